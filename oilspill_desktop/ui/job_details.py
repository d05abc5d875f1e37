"""The details area under the queue: a job's reason in full, wrapped, never cut.

A row has one line for its reason, elided in the middle when it is long, and a reason is
exactly what the user needs whole: why a job waits ("connection refused to …; next try in
0:08, gives up in 29:51"), why an archive could not be read, which results were kept. So
the reason of the selected job (or, when none is selected, of the first job that has
one) is also shown here, word-wrapped and selectable, and the area hides when no job has a
reason to give.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..scheduling.job_runner import JobState
from .formatting import PACK_FAILED
from .queue_model import DETAIL_ROLE, JobRow, QueueModel


def has_reason(row: JobRow) -> bool:
    """True when the row's second line is a reason (not a path, nor a count)."""
    if row.state == PACK_FAILED or (row.message and row.is_final):
        return True
    progress = row.progress
    return (
        row.state == JobState.WAITING.value
        and progress is not None
        and bool(progress.waiting_reason)
    )


class JobDetails(QFrame):
    """Shows one job's reason whole (see the module's docstring)."""

    def __init__(
        self, model: QueueModel, selection: QItemSelectionModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("jobDetails")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._model = model
        self._selection = selection
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(self)
        for label in (self.title, self.text):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        unit = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(unit // 2, unit // 3, unit // 2, unit // 3)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        model.dataChanged.connect(lambda *_: self.refresh())
        model.rowsRemoved.connect(lambda *_: self.refresh())
        selection.selectionChanged.connect(lambda *_: self.refresh())
        self.refresh()

    def shown_row(self) -> JobRow | None:
        """The job whose reason is shown: the selected one, else the first with a reason."""
        selected = [self._model.row_at(index) for index in self._selection.selectedRows(0)]
        candidates = [row for row in selected if row is not None] or self._model.rows
        return next((row for row in candidates if has_reason(row)), None)

    def refresh(self) -> None:
        row = self.shown_row()
        if row is None:
            self.hide()
            return
        detail = str(self._model.index_of(row).data(DETAIL_ROLE) or "")
        if self.title.text() != row.name:
            self.title.setText(row.name)
        if self.text.text() != detail:
            self.text.setText(detail)
        self.show()
