"""Closing the window: ask before stopping jobs, let go of everything once, clean up at exit.

Jobs keep their journals, so stopping loses nothing already processed; the question is
only asked because a stopped job needs the user to open the archive again to carry on.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QMessageBox

from ...core.inputs.packing import clean_old_packs
from ...core.jobs.workspace import clean_cache
from ...scheduling.job_runner import JobState
from ...scheduling.pools import intake_pool, settings_pool
from ..formatting import PACKING

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from ..main_window import MainWindow

log = logging.getLogger(__name__)


class ShutdownGuard(QObject):
    """Decides whether the window may close, and shuts it down exactly once."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.close_confirmed = False
        """Set once the user (or a signal) agreed to stop unfinished jobs."""
        self.shut_down = False

    def has_unfinished(self) -> bool:
        window = self.window
        return (
            window.queue.has_unfinished()
            or bool(window.adding.intakes)
            or any(row.state == PACKING for row in window.model.rows)
        )

    def _stop_everything(self) -> None:
        self.window.jobs.cancel_all()
        for task in list(self.window.adding.intakes):
            task.cancel()

    def stop_and_close(self) -> None:
        """Stop every job and close without asking (Ctrl+C in the terminal, session end)."""
        if self.has_unfinished():
            log.info("Interrupted: stopping the jobs; finished images are kept")
        self.close_confirmed = True
        self._stop_everything()
        self.window.close()
        QApplication.closeAllWindows()

    def quit(self) -> None:
        if self.window.close():
            QApplication.closeAllWindows()
            QApplication.quit()

    def may_close(self) -> bool:
        """Whether the window may close now; asks first if jobs would be stopped."""
        if self.shut_down or not self.has_unfinished() or self.close_confirmed:
            return True
        rows = self.window.model.rows
        running = sum(1 for row in rows if row.is_active or row.state == JobState.QUEUED.value)
        answer = QMessageBox.question(
            self.window,
            self.tr("Stop the jobs?"),
            self.tr(
                "%n job(s) have not finished. Stop them and quit?\n\n"
                "Images already processed are kept: open the same archives again to "
                "carry on where they stopped.",
                "",
                max(1, running),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        log.info("Quitting: stopping %d unfinished job(s)", running)
        self._stop_everything()
        return True

    def close_event(self, event: QCloseEvent) -> None:
        if not self.may_close():
            event.ignore()
            return
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Save the window's state and let go of everything; safe to call twice."""
        if self.shut_down:
            return
        self.shut_down = True
        window = self.window
        try:
            window.window_state.save(window)
        except Exception:
            log.exception("Could not save the window's state")
        window.log_dock.detach()
        window.notifier.close()
        window.dialogs.close_all()

    def wait_for_workers(self, msecs: int = 10_000) -> None:
        """Block until abandoned workers stop (at exit, once the window is gone)."""
        self.window.queue.wait_drained(msecs)
        intake_pool().waitForDone(msecs)
        settings_pool().waitForDone(msecs)

    def clean_up_cache(self) -> None:
        """Forget finished jobs' working files older than the setting says (at exit).

        Run once the window is gone and every worker has stopped, so no job can be using
        them; unfinished jobs are kept so that they can be resumed.
        """
        window = self.window
        keep = window.settings.keep_finished_days
        try:
            freed = clean_cache(window.paths.jobs_dir, older_than_days=keep)
            clean_old_packs(window.paths.cache_dir, keep)
        except OSError as exc:
            log.warning("Could not clean the cache: %s", exc)
            return
        if freed:
            log.info("Removed %.1f MB of finished jobs' working files", freed / 1e6)
