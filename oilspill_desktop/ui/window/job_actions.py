"""What the row actions do: pause, resume, cancel, save what a cancelled job finished,
run the rest on the offline engine, retry, run again, open, reveal, view, remove; looked up
by action id in :data:`OPERATIONS`, applied to the selection or a row.

A cancelled job's abandoned workers may still be running; anything that forgets its runner
(run again, remove) waits until they have all returned, polling without blocking.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPersistentModelIndex, QPoint, QTimer

from ...scheduling.job_runner import JobRunner, JobState
from .. import desktop
from ..queue_model import ROW_ROLE, Action, JobRow, available_actions
from .actions import job_action_text

if TYPE_CHECKING:
    from ..main_window import MainWindow

log = logging.getLogger(__name__)

DRAIN_POLL_MS = 100
"""How often a cancelled job is checked for workers still running."""

_FOLLOWABLE = (JobState.RUNNING.value, JobState.PAUSED.value, JobState.FINISHING.value)
"""States in which View follows the running job instead of opening its results."""


class JobActions(QObject):
    """Applies row actions to rows of the window's queue."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    # -- the selection ---------------------------------------------------------------------
    def selected_rows(self) -> list[JobRow]:
        view, model = self.window.view, self.window.model
        selection = view.selectionModel()
        if selection is None:
            return []
        rows: list[JobRow] = []
        for index in selection.selectedRows(0):
            row = model.data(index, ROW_ROLE)
            if isinstance(row, JobRow):
                rows.append(row)
        if not rows:
            current = view.currentIndex()
            row = model.row_at(current) if current.isValid() else None
            if row is not None and selection.isSelected(current):
                rows.append(row)
        return rows

    def select_row(self, row: JobRow) -> None:
        view = self.window.view
        index = self.window.model.index_of(row)
        if index.isValid():
            view.setCurrentIndex(index)
            flags = view.selectionModel().SelectionFlag
            view.selectionModel().select(index, flags.ClearAndSelect | flags.Rows)

    def possible_actions(self) -> set[str]:
        """The row actions available for at least one selected row."""
        possible: set[str] = set()
        for row in self.selected_rows():
            possible.update(available_actions(row))
        return possible

    # -- performing ------------------------------------------------------------------------
    def perform_on_selection(self, action: str) -> None:
        self.perform(action, self.selected_rows())

    def perform(self, action: str, rows: Sequence[JobRow]) -> None:
        """Do ``action`` to each of ``rows`` for which it is available now."""
        operation = OPERATIONS[action]
        for row in list(rows):
            if action in available_actions(row):
                operation(self, row)
        self.window.update_actions()

    def cancel(self, row: JobRow) -> None:
        if row.pack is not None:
            row.pack.cancel()
        elif row.runner is not None:
            log.info("Cancelling %s", row.name)
            row.runner.cancel()

    def pause(self, row: JobRow) -> None:
        if row.runner is not None:
            row.runner.pause()

    def resume(self, row: JobRow) -> None:
        if row.runner is not None:
            row.runner.resume()

    def retry(self, row: JobRow) -> None:
        runner = row.runner
        if runner is None:
            return
        if runner.retry_failed():
            log.info("Retrying the failed images of %s", row.name)
            self.window.queue.start_pending()
        else:
            self.window.statusBar().showMessage(
                self.tr("{name} has no failed images to retry.").format(name=row.name), 8000
            )

    def save_partial(self, row: JobRow) -> None:
        """Write the results of the images a cancelled job finished (once its workers are
        back); the row stays cancelled and can still be run again to finish."""
        runner = row.runner
        if runner is None:
            return

        def save() -> None:
            if row.runner is runner and not runner.save_partial():
                self.window.statusBar().showMessage(
                    self.tr("{name} has no finished images to save.").format(name=row.name),
                    8000,
                )

        self.when_drained(runner, save)

    def switch_offline(self, row: JobRow) -> None:
        """Stop a job that waits for its endpoint and run the rest on the offline engine;
        the images the endpoint answered are carried over, not done again."""
        runner = row.runner
        if runner is None:
            return
        request = runner.request
        job = runner.prepared
        carry_from = job.workspace.root if job is not None else None
        settings = request.settings.with_changes(engine="model")
        window = self.window
        log.info("Running the rest of %s on the offline engine", row.name)
        runner.cancel()

        def requeue() -> None:
            if row not in window.model.rows or row.runner is not runner:
                return
            window.queue.remove(runner)
            window.adding.queue_archive(
                request.input_path,
                output_folder=request.output_folder,
                row=row,
                settings=settings,
                carry_from=carry_from,
            )

        window.model.set_state(row, JobState.QUEUED.value)
        self.when_drained(runner, requeue)

    def update_texts(self) -> None:
        """Name the count in "Save results of the N images done" for the selection."""
        done = sum(
            row.outcome.ok
            for row in self.selected_rows()
            if row.outcome is not None and Action.SAVE_PARTIAL in available_actions(row)
        )
        action = self.window.registry[Action.SAVE_PARTIAL]
        if done:
            action.setText(self.window.model.save_partial_text(done))
        else:
            action.setText(job_action_text(Action.SAVE_PARTIAL))

    def open_results(self, row: JobRow) -> None:
        path = row.results_path
        if path is not None and not desktop.open_path(path):
            self.window.statusBar().showMessage(
                self.tr("No program is set to open {name}.").format(name=path.name), 10_000
            )

    def reveal(self, row: JobRow) -> None:
        if row.results_path is not None:
            desktop.reveal_path(row.results_path)

    def view(self, row: JobRow) -> None:
        if row.state in _FOLLOWABLE:
            self.window.dialogs.open_viewer(runner=row.runner)
        else:
            self.window.dialogs.open_viewer(results=row.results_path)

    def run_again(self, row: JobRow) -> None:
        runner = row.runner
        if runner is None:
            if row.plan is not None:
                self.window.adding.start_pack(row.plan, row)
            return
        request = runner.request
        window = self.window

        def requeue() -> None:
            if row not in window.model.rows:
                return
            window.queue.remove(runner)
            log.info("Running %s again", row.name)
            window.adding.queue_archive(
                request.input_path, output_folder=request.output_folder, row=row
            )

        window.model.set_state(row, JobState.QUEUED.value)
        self.when_drained(runner, requeue)

    def remove(self, row: JobRow) -> None:
        window = self.window
        if row.is_active:
            window.statusBar().showMessage(
                self.tr("{name} is still running; cancel it first.").format(name=row.name), 8000
            )
            return
        runner = row.runner
        window.model.remove_row(row)
        packed = row.packed_archive

        def forget() -> None:
            if runner is not None:
                window.queue.remove(runner)
            if packed is not None:
                window.adding.remove_packed_later(packed)

        if runner is not None:
            self.when_drained(runner, forget)
        else:
            forget()

    def when_drained(self, runner: JobRunner, then: Callable[[], None]) -> None:
        """Call ``then`` once abandoned workers of a cancelled ``runner`` have all returned."""
        if runner.in_flight == 0:
            then()
            return
        guard = self.window.guard

        def poll() -> None:
            if guard.shut_down:
                return
            if runner.in_flight == 0:
                then()
            else:
                QTimer.singleShot(DRAIN_POLL_MS, poll)

        QTimer.singleShot(DRAIN_POLL_MS, poll)

    # -- several rows at once --------------------------------------------------------------
    def clear_finished(self) -> None:
        for row in self.window.model.rows:
            if row.is_final:
                self.remove(row)

    def cancel_all(self) -> None:
        for row in self.window.model.rows:
            if row.pack is not None:
                row.pack.cancel()
        self.window.queue.cancel_all()

    def toggle_pause(self) -> None:
        for row in self.selected_rows():
            if row.state == JobState.RUNNING.value:
                self.pause(row)
            elif row.state == JobState.PAUSED.value:
                self.resume(row)
        self.window.update_actions()

    # -- the queue view's requests ---------------------------------------------------------
    def on_row_button(self, index: QPersistentModelIndex, action: str) -> None:
        row = self.window.model.row_at(index)
        if row is not None:
            self.perform(action, [row])

    def on_double_click(self, index: QPersistentModelIndex) -> None:
        row = self.window.model.row_at(index)
        if row is None:
            return
        if row.results_path is not None:
            self.perform(Action.OPEN, [row])
        elif row.state in (JobState.RUNNING.value, JobState.PAUSED.value):
            self.perform(Action.VIEW, [row])

    def show_context_menu(self, position: QPoint) -> None:
        view = self.window.view
        index = view.indexAt(position)
        row = self.window.model.row_at(index) if index.isValid() else None
        if row is None:
            return
        if row not in self.selected_rows():
            self.select_row(row)
        self.window.update_actions()
        menu = self.window.registry.context_menu(self.window, available_actions(row))
        menu.exec(view.viewport().mapToGlobal(position))


OPERATIONS: dict[str, Callable[[JobActions, JobRow], None]] = {
    Action.PAUSE: JobActions.pause,
    Action.RESUME: JobActions.resume,
    Action.CANCEL: JobActions.cancel,
    Action.SAVE_PARTIAL: JobActions.save_partial,
    Action.SWITCH_OFFLINE: JobActions.switch_offline,
    Action.RETRY: JobActions.retry,
    Action.RUN_AGAIN: JobActions.run_again,
    Action.OPEN: JobActions.open_results,
    Action.REVEAL: JobActions.reveal,
    Action.VIEW: JobActions.view,
    Action.REMOVE: JobActions.remove,
}
"""What each row action does to one row for which it is available."""
