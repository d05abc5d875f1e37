"""Desktop notifications when a job ends and the user is looking elsewhere.

A system tray message where the desktop has a tray; otherwise the window asks for
attention (a blinking task-bar entry). Nothing is shown while the window has focus: the
row itself already says what happened.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QSystemTrayIcon

from .icons import app_icon

log = logging.getLogger(__name__)


class Notifier(QObject):
    """Tells the user a job ended when the window is not focused.

    Signals:
        shown(str, str, str): ``(title, message, severity)`` each time a notice went out.
        clicked(): the user clicked the tray message.
    """

    shown = Signal(str, str, str)
    clicked = Signal()

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._tray: QSystemTrayIcon | None = None

    def _ensure_tray(self) -> QSystemTrayIcon | None:
        if self._tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            tray = QSystemTrayIcon(app_icon(), self)
            tray.setToolTip(QApplication.applicationDisplayName())
            tray.messageClicked.connect(self.clicked)
            tray.activated.connect(lambda _reason: self.clicked.emit())
            tray.show()
            self._tray = tray
        return self._tray

    def notify(self, title: str, message: str, severity: str = "info") -> bool:
        """Show ``message`` unless the window is active; return whether it was shown."""
        if self._window.isActiveWindow() and not self._window.isMinimized():
            return False
        tray = self._ensure_tray()
        if tray is not None and QSystemTrayIcon.supportsMessages():
            icon = {
                "info": QSystemTrayIcon.MessageIcon.Information,
                "warning": QSystemTrayIcon.MessageIcon.Warning,
                "error": QSystemTrayIcon.MessageIcon.Critical,
            }.get(severity, QSystemTrayIcon.MessageIcon.Information)
            tray.showMessage(title, message, icon, 10_000)
        else:
            QApplication.alert(self._window)
        log.debug("Notified: %s: %s", title, message)
        self.shown.emit(title, message, severity)
        return True

    def close(self) -> None:
        if self._tray is not None:
            self._tray.hide()
            self._tray.deleteLater()
            self._tray = None
