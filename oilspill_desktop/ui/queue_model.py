"""The queue as a table model: one row per job, refreshed from the runners' coalesced signals.

A row may exist before its runner does: a folder being packed into an archive shows as a
row at once, and the runner is attached when the archive is ready.

The model is a :class:`QStandardItemModel` on purpose: Qt reads cell data in C++ without
calling Python. A Python ``data()`` is called a hundred times per repaint, and while
worker threads hold the GIL each call waits for it: that made the window stutter during
big jobs. Here Python runs only when a job's figures change (a few times a second per job
at most), writing a row's cells in one go.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QIcon, QStandardItem, QStandardItemModel

from ..core.engines.endpoints.pool import EndpointRate
from ..core.inputs.packing import PackPlan
from ..core.jobs.mending import notes_can_be_mended
from ..scheduling.job_runner import JobOutcome, JobRunner, JobState
from ..scheduling.progress import JobProgress
from . import formatting
from .core_messages import translate_all
from .formatting import PACK_FAILED, PACKING
from .icons import dot_icon
from .intake import PackJob

Index = QModelIndex | QPersistentModelIndex


STATE_COLOURS = {
    JobState.QUEUED.value: "#8a94a6",
    JobState.PREPARING.value: "#3d8bfd",
    JobState.RUNNING.value: "#3d8bfd",
    JobState.WAITING.value: "#e0a100",
    JobState.PAUSED.value: "#e0a100",
    JobState.FINISHING.value: "#3d8bfd",
    JobState.DONE.value: "#2fa36b",
    JobState.DONE_WITH_FAILURES.value: "#e07b00",
    JobState.FAILED.value: "#e5484d",
    JobState.CANCELLED.value: "#8a94a6",
    PACKING: "#3d8bfd",
    PACK_FAILED: "#e5484d",
}
"""Medium tones that read on light and dark backgrounds alike."""


class Column(IntEnum):
    NAME = 0
    PROGRESS = 1
    COUNTS = 2
    RATE = 3
    ETA = 4
    STATE = 5
    ACTIONS = 6


ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""The :class:`JobRow` behind an index."""
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
"""The second, quieter line of the name cell."""
FRACTION_ROLE = Qt.ItemDataRole.UserRole + 3
"""Progress from 0 to 1, or ``None`` when it is not known yet."""
STATE_ROLE = Qt.ItemDataRole.UserRole + 4
"""The raw state value (a :class:`JobState` value, or a packing state)."""
ACTIONS_ROLE = Qt.ItemDataRole.UserRole + 5
"""The row's available actions, most useful first."""
TITLE_ROLE = Qt.ItemDataRole.UserRole + 6
"""The name cell's first line (its display role stays empty: a widget draws the cell)."""
LABELS_ROLE = Qt.ItemDataRole.UserRole + 7
"""Row actions whose label names this row's figures ("Save results of the 79 images done")."""


class Action:
    """Names of the things one can do to a row (also the icon names where they match)."""

    PAUSE = "pause"
    RESUME = "resume"
    CANCEL = "cancel"
    RETRY = "retry"
    RUN_AGAIN = "run-again"
    SAVE_PARTIAL = "save-partial"
    """Write the results of the images a cancelled job finished."""
    SWITCH_OFFLINE = "switch-offline"
    """Run the rest of a job waiting for its endpoint on the offline engine."""
    OPEN = "results"
    REVEAL = "reveal"
    VIEW = "view-masks"
    REMOVE = "remove"


@dataclass(eq=False)
class JobRow:
    """What the queue shows about one job."""

    name: str
    source: Path
    """What the user gave: an archive, a folder, or the folder of loose images."""
    runner: JobRunner | None = None
    pack: PackJob | None = None
    plan: PackPlan | None = None
    """For a folder or loose images: what to gather (kept so the job can be run again)."""
    packed_archive: Path | None = None
    """An archive the app made from a folder or loose images (deleted with the row)."""
    output_folder: Path | None = None
    state: str = JobState.QUEUED.value
    progress: JobProgress | None = None
    outcome: JobOutcome | None = None
    pack_done: int = 0
    pack_total: int = 0
    message: str | None = None

    @property
    def is_final(self) -> bool:
        return self.state == PACK_FAILED or (
            self.state in {s.value for s in JobState} and JobState(self.state).is_final
        )

    @property
    def is_active(self) -> bool:
        if self.state == PACKING:
            return True
        return self.state in {s.value for s in JobState} and JobState(self.state).is_active

    @property
    def results_path(self) -> Path | None:
        return self.outcome.results_path if self.outcome else None


def available_actions(row: JobRow) -> list[str]:
    """What can be done to ``row`` now, most useful first (the first few get buttons)."""
    state = row.state
    if state == PACKING:
        return [Action.CANCEL]
    if state == PACK_FAILED:
        return [Action.REMOVE]
    job_state = JobState(state)
    has_results = row.results_path is not None
    if job_state is JobState.QUEUED:
        return [Action.CANCEL, Action.REMOVE]
    if job_state is JobState.PREPARING:
        return [Action.CANCEL]
    if job_state is JobState.WAITING and row.runner is not None:
        return [Action.SWITCH_OFFLINE, Action.PAUSE, Action.CANCEL, Action.VIEW]
    if job_state.is_processing:
        return [Action.PAUSE, Action.CANCEL, Action.VIEW]
    if job_state is JobState.PAUSED:
        return [Action.RESUME, Action.CANCEL, Action.VIEW]
    if job_state is JobState.FINISHING:
        return [Action.VIEW]
    actions: list[str] = []
    if job_state is JobState.CANCELLED and can_save_partial(row):
        actions.append(Action.SAVE_PARTIAL)
    # Only where another try can help: not for corrupt images, nor for "not a zip".
    outcome = row.outcome
    mendable = outcome.mendable if outcome is not None else 0
    can_retry = row.runner is not None and row.runner.prepared is not None and mendable > 0
    if job_state in (JobState.DONE_WITH_FAILURES, JobState.FAILED) and can_retry:
        actions.append(Action.RETRY)
    if job_state is JobState.CANCELLED or (
        job_state is JobState.FAILED
        and not can_retry
        and (outcome is None or notes_can_be_mended(outcome.notes))
    ):
        actions.append(Action.RUN_AGAIN)
    if has_results:
        actions += [Action.OPEN, Action.REVEAL, Action.VIEW]
    actions.append(Action.REMOVE)
    return actions


def can_save_partial(row: JobRow) -> bool:
    """A cancelled job with finished images and no results yet (its workers may still be
    returning: the action waits for them)."""
    outcome = row.outcome
    return (
        row.runner is not None
        and row.runner.prepared is not None
        and outcome is not None
        and outcome.results_path is None
        and outcome.ok > 0
    )


class QueueModel(QStandardItemModel):
    """Rows of the job queue.

    Signals:
        row_finished(object, object): ``(JobRow, JobOutcome)`` when a row's run ends.
        rows_changed(): rows were added or removed, or a state changed (for summaries).
    """

    row_finished = Signal(object, object)
    rows_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, len(Column), parent)
        self._rows: list[JobRow] = []
        self._row_height = 40
        self._dots: dict[str, QIcon] = {}
        self.retranslate()

    def set_row_height(self, height: int) -> None:
        """Rows are this tall (two lines of text); the view measures it from its font."""
        self._row_height = height
        for row in self._rows:
            self.refresh(row)

    def _dot(self, state: str) -> QIcon:
        found = self._dots.get(state)
        if found is None:
            found = self._dots[state] = dot_icon(STATE_COLOURS.get(state, "#8a94a6"))
        return found

    def retranslate(self) -> None:
        headers = {
            Column.NAME: self.tr("Archive"),
            Column.PROGRESS: self.tr("Progress"),
            Column.COUNTS: self.tr("Done / failed / total"),
            Column.RATE: self.tr("Images/s"),
            Column.ETA: self.tr("Time left"),
            Column.STATE: self.tr("State"),
            Column.ACTIONS: "",
        }
        for column, text in headers.items():
            item = QStandardItem(text)
            numeric = column in (Column.COUNTS, Column.RATE, Column.ETA)
            item.setTextAlignment(
                (Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft)
                | Qt.AlignmentFlag.AlignVCenter
            )
            self.setHorizontalHeaderItem(column, item)

    # -- rows -------------------------------------------------------------------------------
    @property
    def rows(self) -> list[JobRow]:
        return list(self._rows)

    def row_at(self, index: Index) -> JobRow | None:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def index_of(self, row: JobRow, column: int = 0) -> QModelIndex:
        try:
            return self.index(self._rows.index(row), column)
        except ValueError:
            return QModelIndex()

    def add_row(self, row: JobRow) -> JobRow:
        items = []
        for _column in Column:
            item = QStandardItem()
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            items.append(item)
        self._rows.append(row)
        self.appendRow(items)
        if row.runner is not None:
            self._connect(row, row.runner)
        self.refresh(row)
        self.rows_changed.emit()
        return row

    def attach(self, row: JobRow, runner: JobRunner) -> None:
        """Give ``row`` its (new) runner: after packing, or when a job is run again."""
        row.runner = runner
        row.pack = None
        row.progress = None
        row.outcome = None
        row.message = None
        row.state = runner.state.value
        self._connect(row, runner)
        self.refresh(row)
        self.rows_changed.emit()

    def remove_row(self, row: JobRow) -> None:
        try:
            position = self._rows.index(row)
        except ValueError:
            return
        del self._rows[position]
        self.removeRow(position)
        self.rows_changed.emit()

    def set_pack_progress(self, row: JobRow, done: int, total: int) -> None:
        row.pack_done, row.pack_total = done, total
        self.refresh(row)

    def set_state(self, row: JobRow, state: str, message: str | None = None) -> None:
        row.state = state
        row.message = message
        self.refresh(row)
        self.rows_changed.emit()

    def refresh(self, row: JobRow) -> None:
        """Write the row's cells from its figures, announcing one change for the row."""
        try:
            position = self._rows.index(row)
        except ValueError:
            return
        values = self._cells(row)
        blocked = self.blockSignals(True)
        try:
            for column, roles in values.items():
                item = self.item(position, column)
                if item is None:
                    continue
                for role, value in roles.items():
                    item.setData(value, role)
        finally:
            self.blockSignals(blocked)
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(Column) - 1))

    def _cells(self, row: JobRow) -> dict[int, dict[int, Any]]:
        display = Qt.ItemDataRole.DisplayRole
        tooltip = Qt.ItemDataRole.ToolTipRole
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        common = {ROW_ROLE: row, STATE_ROLE: row.state}
        cells: dict[int, dict[int, Any]] = {}
        for column in Column:
            roles: dict[int, Any] = dict(common)
            widget_drawn = column in (Column.NAME, Column.PROGRESS, Column.ACTIONS)
            roles[display] = "" if widget_drawn else self._display(row, column)
            roles[tooltip] = self._tooltip(row, column)
            if column in (Column.COUNTS, Column.RATE, Column.ETA):
                roles[Qt.ItemDataRole.TextAlignmentRole] = right
            cells[column] = roles
        cells[Column.NAME][TITLE_ROLE] = row.name
        cells[Column.NAME][DETAIL_ROLE] = self._detail(row)
        cells[Column.NAME][Qt.ItemDataRole.AccessibleTextRole] = (
            f"{row.name}, {formatting.state_label(row.state)}, {self._display(row, Column.COUNTS)}"
        )
        cells[Column.NAME][Qt.ItemDataRole.SizeHintRole] = QSize(0, self._row_height)
        cells[Column.STATE][Qt.ItemDataRole.DecorationRole] = self._dot(row.state)
        cells[Column.PROGRESS][FRACTION_ROLE] = self._fraction(row)
        cells[Column.ACTIONS][ACTIONS_ROLE] = actions = available_actions(row)
        labels: dict[str, str] = {}
        if Action.SAVE_PARTIAL in actions and row.outcome is not None:
            labels[Action.SAVE_PARTIAL] = self.save_partial_text(row.outcome.ok)
        cells[Column.ACTIONS][LABELS_ROLE] = labels
        return cells

    def _connect(self, row: JobRow, runner: JobRunner) -> None:
        runner.state_changed.connect(lambda state, r=row, j=runner: self._on_state(r, j, state))
        runner.progress.connect(lambda progress, r=row, j=runner: self._on_progress(r, j, progress))
        runner.finished.connect(lambda outcome, r=row, j=runner: self._on_finished(r, j, outcome))
        if runner.last_progress is not None:
            row.progress = runner.last_progress

    def _on_state(self, row: JobRow, runner: JobRunner, state: str) -> None:
        if row.runner is not runner:
            return
        row.state = state
        if state == JobState.RUNNING.value:
            row.outcome = None
            row.message = None
        self.refresh(row)
        self.rows_changed.emit()

    def _on_progress(self, row: JobRow, runner: JobRunner, progress: JobProgress) -> None:
        if row.runner is runner:
            row.progress = progress
            self.refresh(row)

    def _on_finished(self, row: JobRow, runner: JobRunner, outcome: JobOutcome) -> None:
        if row.runner is not runner:
            return
        row.outcome = outcome
        row.state = outcome.state.value
        row.message = translate_all(outcome.notes)
        self.refresh(row)
        self.rows_changed.emit()
        self.row_finished.emit(row, outcome)

    # -- what the cells say -----------------------------------------------------------------
    def save_partial_text(self, count: int) -> str:
        """The label of Save results for a cancelled job with ``count`` images done."""
        return self.tr("Save results of the %n image(s) done", "", count)

    def oil_text(self, count: int) -> str:
        """``67 with oil``: how many of a job's images hold oil, in the counts column."""
        return self.tr("%Ln with oil", "images in which oil was found", count)

    @staticmethod
    def _fraction(row: JobRow) -> float | None:
        if row.state == PACKING:
            return row.pack_done / row.pack_total if row.pack_total else 0.0
        if row.progress is not None and row.progress.total:
            return row.progress.fraction
        if row.state == JobState.DONE.value:
            return 1.0
        return None

    def _display(self, row: JobRow, column: int) -> str:
        progress = row.progress
        if column == Column.NAME:
            return row.name
        if column == Column.COUNTS:
            if row.state == PACKING:
                return ""
            if progress is None:
                return "–"
            counts = (
                f"{formatting.integer(progress.ok)} / {formatting.integer(progress.failed)}"
                f" / {formatting.integer(progress.total)}"
            )
            return f"{counts}  ·  {self.oil_text(progress.with_oil)}{formatting.tiles(progress)}"
        if column == Column.RATE:
            running = row.state == JobState.RUNNING.value
            return formatting.rate(progress.images_per_second) if progress and running else "–"
        if column == Column.ETA:
            if progress is None or row.state != JobState.RUNNING.value:
                return "–"
            return formatting.duration(progress.eta_seconds)
        if column == Column.STATE:
            return formatting.state_label(row.state)
        return ""

    def _detail(self, row: JobRow) -> str:
        if row.state == PACKING:
            return self.tr(
                "Gathering {done} of %Ln image(s) into an archive", "", row.pack_total
            ).format(done=formatting.integer(row.pack_done))
        if row.message and row.is_final:
            return row.message
        if row.state == JobState.WAITING.value and row.progress and row.progress.waiting_reason:
            # The state column already says "waiting for endpoint": the line says why, when
            # the next try is, and how long before the job gives up on the endpoint.
            return self.tr("{reason}; next try in {time}, gives up in {limit}").format(
                reason=row.progress.waiting_reason,
                time=formatting.duration(row.progress.next_try_in),
                limit=formatting.duration(row.progress.gives_up_in),
            )
        if row.results_path is not None:
            return str(row.results_path)
        if row.progress is not None and row.progress.endpoint_rates and not row.is_final:
            return "  ·  ".join(self._endpoint_rate(rate) for rate in row.progress.endpoint_rates)
        if (
            row.progress is not None
            and row.progress.resumed
            and row.state == JobState.RUNNING.value
        ):
            return self.tr("Resumed: %Ln image(s) were already done", "", row.progress.resumed)
        return str(row.source)

    def _endpoint_rate(self, rate: EndpointRate, *, short: bool = True) -> str:
        """One endpoint of several: its images per second, in flight of its found limit;
        ``short``: named by host and port (the row's line), else by its URL (the tooltip)."""
        url = QUrl(rate.url)
        text = self.tr("{url}: {rate}/s, {busy} of {limit} in flight").format(
            url=f"{url.host()}:{url.port()}" if short and url.port() > 0 else rate.url,
            rate=formatting.rate(rate.images_per_second),
            busy=formatting.integer(rate.in_flight),
            limit=formatting.integer(rate.limit),
        )
        return self.tr("{endpoint} (down)").format(endpoint=text) if rate.down else text

    def _tooltip(self, row: JobRow, column: int) -> str | None:
        if column == Column.NAME:
            lines = [str(row.source)]
            if row.results_path is not None:
                lines.append(self.tr("Results: {path}").format(path=row.results_path))
            if row.message:
                lines.append(row.message)
            rates = row.progress.endpoint_rates if row.progress and not row.is_final else ()
            lines.extend(self._endpoint_rate(rate, short=False) for rate in rates)
            return "\n".join(lines)
        if column == Column.STATE and row.message:
            return row.message
        if column == Column.COUNTS and row.progress is not None:
            return self.tr(
                "{ok} succeeded, {failed} failed, %Ln image(s) in the archive",
                "",
                row.progress.total,
            ).format(
                ok=formatting.integer(row.progress.ok),
                failed=formatting.integer(row.progress.failed),
            )
        return None

    # -- summaries --------------------------------------------------------------------------
    def counts_by_state(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self._rows:
            counts[row.state] = counts.get(row.state, 0) + 1
        return counts
