"""What the screenshot scripts share: a fresh app home, the app in a language, and taking
a window's picture once the event loop has settled.

Import it after putting the repository root on ``sys.path`` (the scripts do), so that the
checkout's code is what is photographed.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent


class Shots:
    """The application under Xvfb, with its own ``OILSPILL_DESKTOP_HOME``.

    ``suffix`` is added to every picture's name (``-dark``, ``-ru``); ``palette`` makes the
    colour scheme to use instead of the system's.
    """

    def __init__(
        self,
        language: str = "en",
        *,
        suffix: str = "",
        palette: Callable[[], Any] | None = None,
    ) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="oilspill-shots-"))
        os.environ["OILSPILL_DESKTOP_HOME"] = str(self.home)
        os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
        from oilspill_desktop.ui.app import create_application
        from oilspill_desktop.ui.i18n import install_translators

        self.app = create_application()
        if palette is not None:  # made once the application exists
            self.app.setPalette(palette())
        install_translators(self.app, language)
        self.suffix = suffix

    def pump(self, until: Callable[[], bool], timeout: float = 120.0) -> bool:
        """Run the event loop until ``until()`` holds or ``timeout`` passes; say which."""
        from PySide6.QtCore import QEventLoop

        end = time.monotonic() + timeout
        while not until() and time.monotonic() < end:
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 30)
        return until()

    def settle(self, seconds: float = 0.4) -> None:
        end = time.monotonic() + seconds
        self.pump(lambda: time.monotonic() > end, seconds + 1)

    def shoot(self, widget: Any, name: str) -> Path:
        """Save ``widget``'s window as ``<name><suffix>.png`` beside this script."""
        from PySide6.QtGui import QGuiApplication

        self.settle()
        path = OUT / f"{name}{self.suffix}.png"
        frame = widget.frameGeometry()
        image = QGuiApplication.primaryScreen().grabWindow(
            0, frame.x(), frame.y(), frame.width(), frame.height()
        )
        if image.isNull() or image.width() < 10:
            image = widget.grab()
        image.save(str(path), "PNG")
        print(f"saved {path} ({path.stat().st_size // 1024} KB)")
        return path
