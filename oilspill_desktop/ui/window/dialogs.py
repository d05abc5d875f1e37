"""The window's secondary windows: help, the models' cards, the log folder, mask viewers.

Viewers are kept in a list only so that closing the main window closes them too; each
forgets itself when it is destroyed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from ...scheduling.job_runner import JobRunner
from .. import desktop
from ..help_dialog import HelpDialog
from ..models_dialog import ModelsDialog

if TYPE_CHECKING:
    from ..main_window import MainWindow

log = logging.getLogger(__name__)


class WindowDialogs(QObject):
    """Opens the window's dialogs and viewers, and remembers the ones still open."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.viewers: list[QWidget] = []
        self.help: HelpDialog | None = None

    def show_models(self) -> None:
        dialog = ModelsDialog(self.window.settings, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def show_help(self) -> None:
        if self.help is None:
            self.help = HelpDialog(self.window.paths, self.window)
        self.help.show()
        self.help.raise_()
        self.help.activateWindow()

    def open_log_folder(self) -> None:
        log_dir = self.window.paths.log_dir
        log_dir.mkdir(parents=True, exist_ok=True)
        if not desktop.open_path(log_dir):
            self.window.statusBar().showMessage(
                self.tr("The log folder is {path}").format(path=log_dir), 15_000
            )

    def open_viewer(
        self, *, results: Path | None = None, runner: JobRunner | None = None
    ) -> QWidget | None:
        """Open the mask viewer on a results zip, or following a running job."""
        status = self.window.statusBar()
        try:
            from ..viewer import ViewerWindow
        except ImportError as exc:
            log.warning("The mask viewer cannot be opened: %s", exc)
            status.showMessage(
                self.tr("The mask viewer is not available in this installation."), 10_000
            )
            return None
        try:
            viewer = ViewerWindow(results_zip=results if runner is None else None)
            if runner is not None:
                viewer.follow(runner)
        except Exception as exc:
            log.exception("The mask viewer failed to open")
            status.showMessage(
                self.tr("The mask viewer could not open: {reason}").format(reason=exc), 10_000
            )
            return None
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.viewers.append(viewer)
        viewer.destroyed.connect(lambda _obj=None, v=viewer: self._forget_viewer(v))
        viewer.show()
        return viewer

    def _forget_viewer(self, viewer: QWidget) -> None:
        if viewer in self.viewers:
            self.viewers.remove(viewer)

    def close_all(self) -> None:
        for viewer in list(self.viewers):
            viewer.close()
