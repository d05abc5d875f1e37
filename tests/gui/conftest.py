"""Fixtures for the window's tests: offscreen Qt, tiny surveys, real windows.

Every test already has its own ``OILSPILL_DESKTOP_HOME`` (the root conftest). Windows made
here are torn down for real: jobs cancelled, workers drained, the log handler detached.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import logging
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from oilspill_desktop.core.config.paths import app_paths
from oilspill_desktop.core.config.settings import Settings, save_settings
from oilspill_desktop.tools.synthetic import write_survey_zip


@pytest.fixture(autouse=True)
def _restore_root_logging() -> Iterator[None]:
    """The window lowers the root level to INFO and adds a handler; undo both."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def make_survey(tmp_path: Path) -> Callable[..., Path]:
    """Write a tiny survey zip of 64x64 synthetic scenes; return its path."""

    def make(name: str = "survey.zip", count: int = 3, *, folder: Path | None = None) -> Path:
        target = (folder or tmp_path / "inputs") / name
        target.parent.mkdir(parents=True, exist_ok=True)
        return write_survey_zip(target, count, size=(64, 64), seed=len(name) + count)

    return make


@pytest.fixture
def write_settings() -> Callable[..., Settings]:
    """Save settings for the windows a test is about to create."""

    def write(**changes: Any) -> Settings:
        settings = Settings().with_changes(**changes).validated()
        save_settings(settings, app_paths().ensure().settings_file)
        return settings

    return write


@pytest.fixture
def make_window(qtbot: Any) -> Iterator[Callable[..., Any]]:
    """Build real main windows; at the end stop their jobs and close them without asking."""
    from oilspill_desktop.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def make(**kwargs: Any) -> MainWindow:
        window = MainWindow(**kwargs)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        try:
            window.guard.close_confirmed = True
            window.cancel_all()
            window.close()
            window.wait_for_workers(10_000)
        except RuntimeError:  # already deleted by Qt
            pass


def drop_paths(target: Any, paths: Sequence[Path]) -> QDropEvent:
    """Drag ``paths`` (as file URLs) over ``target`` and drop them; return the drop event."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = QPoint(target.width() // 2, target.height() // 2)
    actions = Qt.DropAction.CopyAction | Qt.DropAction.LinkAction
    enter = QDragEnterEvent(
        centre, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted(), "the window refused the drag"
    move = QDragMoveEvent(
        centre, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, move)
    drop = QDropEvent(
        QPointF(centre), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, drop)
    return drop


@pytest.fixture(scope="session", autouse=True)
def _english(qapp: QApplication) -> None:
    """The app's English catalogue: it spells plurals ("1 job", "2 jobs")."""
    from oilspill_desktop.ui.i18n import install_translators

    install_translators(qapp, "en")


def has_done(count: int) -> Callable[[Any], bool]:
    """A row state for :func:`http_job`: at least ``count`` images succeeded."""
    return lambda row: row.progress is not None and row.progress.ok >= count


def has_ended(row: Any) -> bool:
    """A row state for :func:`http_job`: the job's run is over."""
    return bool(row.is_final)


@pytest.fixture
def http_job(qtbot: Any, make_window: Any, write_settings: Any) -> Callable[..., Any]:
    """Open a window whose settings send ``archive`` to the endpoint at ``url``; return
    ``(window, row)`` once ``ready(row)`` holds."""

    def start(
        archive: Path, url: str, ready: Callable[[Any], bool], **settings: Any
    ) -> tuple[Any, Any]:
        write_settings(engine="http", endpoint=url, **settings)
        window = make_window()
        window.add_paths([archive])
        qtbot.waitUntil(lambda: bool(window.model.rows), timeout=5000)
        row = window.model.rows[0]
        qtbot.waitUntil(lambda: ready(row), timeout=20_000)
        return window, row

    return start
