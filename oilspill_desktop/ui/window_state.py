"""What the window remembers between sessions that is not a setting: geometry, docks, recents.

Kept in ``window.ini`` beside ``settings.json`` rather than in the registry or a hidden
platform store, so that ``OILSPILL_DESKTOP_HOME`` moves it too and a user can delete it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

MAX_RECENT = 10


class WindowState:
    def __init__(self, path: Path) -> None:
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    def restore(self, window: QMainWindow) -> bool:
        """Put the window back where it was; return False on a first run."""
        geometry = self._settings.value("window/geometry")
        state = self._settings.value("window/state")
        restored = False
        if isinstance(geometry, QByteArray | bytes) and geometry:
            restored = window.restoreGeometry(QByteArray(geometry))
        if isinstance(state, QByteArray | bytes) and state:
            window.restoreState(QByteArray(state))
        return restored

    def save(self, window: QMainWindow) -> None:
        self._settings.setValue("window/geometry", window.saveGeometry())
        self._settings.setValue("window/state", window.saveState())
        self._settings.sync()

    def value(self, key: str, default: object = None) -> object:
        return self._settings.value(key, default)

    def recent_files(self) -> list[str]:
        value = self._settings.value("recent/files", [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return []
        return [str(v) for v in value if v][:MAX_RECENT]

    def add_recent(self, path: Path) -> None:
        text = str(path)
        recent = [p for p in self.recent_files() if p != text]
        self._settings.setValue("recent/files", [text, *recent][:MAX_RECENT])

    def clear_recent(self) -> None:
        self._settings.setValue("recent/files", [])

    def sync(self) -> None:
        self._settings.sync()
