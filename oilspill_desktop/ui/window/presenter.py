"""What the window says about the queue: the summary line, the overall progress in the
status bar and the title, and a notification when a job ends.

User-facing texts follow the window's language; the log lines stay English, since they go
to support staff.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ... import APP_NAME
from ...scheduling.job_runner import JobOutcome, JobState
from .. import formatting
from ..core_messages import translate_all
from ..formatting import PACKING
from ..queue_model import JobRow

if TYPE_CHECKING:
    from ..main_window import MainWindow

log = logging.getLogger(__name__)

SUMMARY_ORDER = (
    PACKING,
    JobState.PREPARING.value,
    JobState.RUNNING.value,
    JobState.WAITING.value,
    JobState.PAUSED.value,
    JobState.QUEUED.value,
    JobState.FINISHING.value,
    JobState.DONE.value,
    JobState.DONE_WITH_FAILURES.value,
    JobState.FAILED.value,
    JobState.CANCELLED.value,
)
"""The order in which the summary counts jobs by state."""


class ProgressPresenter(QObject):
    """Keeps the summary, the status bar and the title in step with the queue."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._last_notified: JobRow | None = None

    def on_rows_changed(self) -> None:
        window = self.window
        rows = window.model.rows
        window.stack.setCurrentIndex(1 if rows else 0)
        counts = window.model.counts_by_state()
        parts = [self.tr("%Ln job(s)", "", len(rows))]
        for state in SUMMARY_ORDER:
            if counts.get(state):
                parts.append(
                    self.tr("{count} {state}", "a count of jobs in a state: 2 running").format(
                        count=formatting.integer(counts[state]),
                        state=formatting.state_label(state).lower(),
                    )
                )
        window.summary_label.setText("  ·  ".join(parts))
        window.update_actions()

    def on_overall_progress(self, processed: int, total: int) -> None:
        window = self.window
        if total <= 0:
            window.overall_bar.hide()
            window.overall_label.setText("")
            window.setWindowTitle(APP_NAME)
            return
        window.overall_bar.show()
        window.overall_bar.setValue(round(1000 * processed / total))
        window.overall_label.setText(
            self.tr("{done} of %Ln image(s)", "", total).format(done=formatting.integer(processed))
        )
        if window.queue.has_unfinished():
            window.setWindowTitle(
                self.tr("{percent}% — {app}", "the window title while jobs run").format(
                    percent=formatting.integer(round(100 * processed / total)), app=APP_NAME
                )
            )
        else:
            window.setWindowTitle(APP_NAME)

    def on_idle(self) -> None:
        self.window.setWindowTitle(APP_NAME)
        self.window.update_actions()

    def _finished_text(self, row: JobRow, outcome: JobOutcome) -> tuple[str, str]:
        """The status line for a job that ended, and its severity."""
        state = outcome.state
        if state is JobState.DONE:
            text = self.tr("{name}: all %Ln image(s) done.", "", outcome.ok)
            return f"{text.format(name=row.name)} {self._oil_text(outcome)}", "info"
        if state is JobState.DONE_WITH_FAILURES:
            text = self.tr("{name}: %Ln image(s) done, {failed} failed.", "", outcome.ok)
            text = text.format(name=row.name, failed=formatting.integer(outcome.failed))
            return f"{text} {self._oil_text(outcome)}", "warning"
        text = self.tr("{name} failed: {reason}").format(
            name=row.name, reason=translate_all(outcome.notes) or ""
        )
        return text, "error"

    def _oil_text(self, outcome: JobOutcome) -> str:
        """The answer: in how many of the images oil was found."""
        if not outcome.with_oil:
            return self.tr("No oil found.")
        return self.tr("Oil in %Ln image(s).", "", outcome.with_oil)

    def on_row_finished(self, row: JobRow, outcome: JobOutcome) -> None:
        window = self.window
        state = outcome.state
        if state is JobState.CANCELLED:
            log.info("%s cancelled. %s", row.name, outcome.message or "")
            if outcome.results_path is not None:  # the results of the images it finished
                window.statusBar().showMessage(
                    f"{row.name}: {translate_all(outcome.notes) or ''}", 15_000
                )
            window.job_finished.emit(row, outcome)
            return
        text, severity = self._finished_text(row, outcome)
        if state is JobState.FAILED:
            log.error("%s failed: %s", row.name, outcome.message or "")
        else:
            log.info(
                "%s: %d images done, %d failed. Results: %s",
                row.name,
                outcome.ok,
                outcome.failed,
                outcome.results_path,
            )
        if outcome.message and state is not JobState.FAILED:
            log.warning("%s: %s", row.name, outcome.message)
        window.statusBar().showMessage(text, 15_000)
        title = {
            "info": self.tr("Job finished"),
            "warning": self.tr("Job finished with failures"),
            "error": self.tr("Job failed"),
        }[severity]
        self._last_notified = row
        window.notifier.notify(title, text, severity)
        window.job_finished.emit(row, outcome)

    def bring_to_front(self) -> None:
        """A notification was clicked: show the window and the job it was about."""
        window = self.window
        window.showNormal()
        window.raise_()
        window.activateWindow()
        row = self._last_notified
        if row is not None and row in window.model.rows:
            window.jobs.select_row(row)
