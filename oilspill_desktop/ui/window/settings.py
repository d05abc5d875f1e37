"""The settings dialog, and putting new settings to use.

Saving writes the settings file and the token to the OS keyring, which answers over
D-Bus and may wait for the user to unlock it: never on the GUI thread. Saves run on a
one-thread pool, so they land in the order they were made.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

from ...core.config.credentials import save_settings_with_token
from ...core.config.settings import Settings
from ...core.errors import OilSpillError
from ...logging_setup import register_secret
from ...scheduling.pools import settings_pool
from ...scheduling.tasks import run_in_pool
from ..settings_dialog import SettingsDialog

if TYPE_CHECKING:
    from ..main_window import MainWindow

log = logging.getLogger(__name__)


def engine_text(settings: Settings) -> str:
    """The engine in use, as the log names it (English: the log is for support staff)."""
    if settings.engine == "http":
        return f"HTTP {settings.endpoint.split('?', 1)[0]}"
    if settings.engine == "server":
        return f"Oil Spill AI server {settings.server.split('?', 1)[0]}"
    if settings.engine == "classical":
        return "classical"
    return "model"


class SettingsController(QObject):
    """Shows the settings dialog and applies what it returns."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def open_settings(self) -> SettingsDialog:
        """Show the settings dialog (window-modal, not blocking); apply on OK."""
        dialog = SettingsDialog(self.window.settings, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda d=dialog: self.apply_settings(d.settings()))
        dialog.open()
        return dialog

    def apply_settings(self, settings: Settings) -> None:
        """Use ``settings`` for new jobs now, and save them off the GUI thread.

        A save that fails leaves the settings in use for this session and says so in the
        banner; an answer that comes after the window closed goes nowhere.
        """
        window = self.window
        register_secret(settings.api_token)
        language_changed = settings.language != window.settings.language
        window.settings = settings
        window.queue.set_concurrent_jobs(settings.concurrent_jobs)
        path = window.paths.settings_file
        run_in_pool(
            settings_pool(),
            lambda _handle: save_settings_with_token(settings, path),
            context=self,
            on_done=lambda _none: self._on_saved(settings, language_changed),
            on_error=self._on_not_saved,
            key="settings",
        )

    def _on_saved(self, settings: Settings, language_changed: bool) -> None:
        log.info("Settings saved (engine: %s)", engine_text(settings))
        message = self.tr("Settings saved. They apply to jobs queued from now on.")
        if language_changed:
            message = self.tr("Settings saved. The new language applies when the app restarts.")
        self.window.statusBar().showMessage(message, 8000)
        self.window.settings_changed.emit(settings)

    def _on_not_saved(self, exc: BaseException) -> None:
        if not isinstance(exc, OilSpillError):
            log.error("Saving the settings failed", exc_info=exc)
        else:
            log.error("Could not save the settings: %s", exc)
        self.window.banner.show_message(
            self.tr("The settings could not be saved: {reason}").format(reason=exc), "error"
        )
