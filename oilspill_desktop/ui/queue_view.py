"""The queue's view: two-line names, real progress bars, coloured states, buttons in the row.

The rich cells are small ordinary widgets (labels, a progress bar, tool buttons) placed in
the rows with ``setIndexWidget``, so Qt paints them in C++. Python runs only when a job's
figures change, to set their text and values; painting never waits for the GIL that busy
worker threads hold (custom delegates did, and stuttered visibly during big jobs).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ..scheduling.job_runner import JobState
from .formatting import state_label
from .icons import icon
from .queue_model import (
    ACTIONS_ROLE,
    DETAIL_ROLE,
    FRACTION_ROLE,
    LABELS_ROLE,
    STATE_COLOURS,
    STATE_ROLE,
    TITLE_ROLE,
    Action,
    Column,
    QueueModel,
)
from .window.actions import job_action_icon, job_action_text

MAX_ROW_BUTTONS = 3


def _padding(widget: QWidget) -> int:
    return max(6, widget.fontMetrics().height() // 3)


class NameCell(QWidget):
    """The archive's name, with the source, results path or a message on a quieter line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._title_text = ""
        self._detail_text = ""
        self.title = QLabel(self)
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.detail = QLabel(self)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.9))
        self.detail.setFont(small)
        for label in (self.title, self.detail):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setTextFormat(Qt.TextFormat.PlainText)
        pad = _padding(self)
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(pad + 2, pad // 2, pad, pad // 2)
        layout.setSpacing(1)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.set_selected(False)

    def set_text(self, title: str, detail: str) -> None:
        if (title, detail) != (self._title_text, self._detail_text):
            self._title_text, self._detail_text = title, detail
            self._elide()

    def set_selected(self, selected: bool) -> None:
        if selected:
            self.title.setForegroundRole(QPalette.ColorRole.HighlightedText)
            self.detail.setForegroundRole(QPalette.ColorRole.HighlightedText)
        else:
            self.title.setForegroundRole(QPalette.ColorRole.Text)
            self.detail.setForegroundRole(QPalette.ColorRole.PlaceholderText)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        margins = self._layout.contentsMargins()
        width = max(10, self.contentsRect().width() - margins.left() - margins.right() - 4)
        for label, text in ((self.title, self._title_text), (self.detail, self._detail_text)):
            label.setText(label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideMiddle, width))


class ProgressCell(QWidget):
    """A real progress bar, coloured by the job's state; hidden until there is progress."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        # "13%" in English, "13 %" in Russian: the percent sign follows the language.
        self.bar.setFormat(self.tr("%p%", "a job's progress bar: %p is the percentage"))
        self.bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        metrics = self.fontMetrics()
        self.bar.setFixedHeight(max(metrics.height() + 4, 16))
        pad = _padding(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(pad, 0, pad, 0)
        layout.addWidget(self.bar)
        self._state: str | None = None

    def set_progress(self, state: str, fraction: float | None) -> None:
        if state != self._state:
            self._state = state
            palette = self.bar.palette()
            palette.setColor(
                QPalette.ColorRole.Highlight, QColor(STATE_COLOURS.get(state, "#3d8bfd"))
            )
            self.bar.setPalette(palette)
        if fraction is None:
            if state in (JobState.PREPARING.value, JobState.FINISHING.value):
                self.bar.setRange(0, 0)  # busy: the style animates it
                self.bar.setVisible(True)
            else:
                self.bar.setVisible(False)
            return
        if self.bar.maximum() == 0:
            self.bar.setRange(0, 1000)
        self.bar.setValue(round(fraction * 1000))
        self.bar.setVisible(True)


class ActionsCell(QWidget):
    """Up to three buttons for the row's most useful actions.

    Signals:
        triggered(str): a button was clicked; the action's name.
        pressed(): the cell's background was clicked (the view selects the row).
    """

    triggered = Signal(str)
    pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actions: list[str] = []
        self._labels: dict[str, str] = {}
        self.buttons: list[QToolButton] = []
        side = max(24, round(self.fontMetrics().height() * 1.6))
        glyph = max(16, round(side * 0.62))
        layout = QHBoxLayout(self)
        pad = _padding(self)
        layout.setContentsMargins(pad, 0, pad, 0)
        layout.setSpacing(max(2, side // 8))
        layout.addStretch(1)
        for position in range(MAX_ROW_BUTTONS):
            button = QToolButton(self)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setFixedSize(side, side)
            button.setIconSize(QSize(glyph, glyph))
            button.clicked.connect(lambda _checked=False, p=position: self._clicked(p))
            button.hide()
            self.buttons.append(button)
            layout.addWidget(button)

    def set_actions(self, actions: list[str], labels: dict[str, str] | None = None) -> None:
        """Show buttons for ``actions``; ``labels`` name the row's own figures in some."""
        shown = [a for a in actions if a != Action.REMOVE][:MAX_ROW_BUTTONS]
        labels = labels or {}
        if (shown, labels) == (self._actions, self._labels):
            return
        self._actions, self._labels = shown, labels
        for position, button in enumerate(self.buttons):
            if position < len(shown):
                button.setIcon(icon(job_action_icon(shown[position])))
                label = labels.get(shown[position]) or job_action_text(shown[position])
                button.setToolTip(label)
                button.setAccessibleName(label)
                button.show()
            else:
                button.hide()

    def refresh_icons(self) -> None:
        for name, button in zip(self._actions, self.buttons, strict=False):
            button.setIcon(icon(job_action_icon(name)))

    def _clicked(self, position: int) -> None:
        if position < len(self._actions):
            self.triggered.emit(self._actions[position])

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.pressed.emit()
        event.ignore()


class QueueView(QTreeView):
    """The job list.

    Signals:
        action_triggered(QPersistentModelIndex, str): a row button was clicked.
    """

    action_triggered = Signal(QPersistentModelIndex, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueView")
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAllColumnsShowFocus(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setIconSize(QSize(10, 10))
        self._cells: dict[int, tuple[NameCell, ProgressCell, ActionsCell]] = {}

    def queue_model(self) -> QueueModel:
        model = self.model()
        assert isinstance(model, QueueModel)
        return model

    def setModel(self, model: QueueModel) -> None:  # type: ignore[override]
        super().setModel(model)
        metrics = self.fontMetrics()
        pad = max(6, metrics.height() // 3)
        model.set_row_height(metrics.height() * 2 + 3 * pad)
        model.rowsInserted.connect(self._on_rows_inserted)
        model.rowsRemoved.connect(lambda *_: self._reindex())
        model.dataChanged.connect(self._on_data_changed)
        self.selectionModel().selectionChanged.connect(self._on_selection_changed)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(False)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)

        def heading(column: Column) -> int:
            text = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            return metrics.horizontalAdvance(text) + 2 * metrics.height()

        widths = {
            Column.PROGRESS: metrics.horizontalAdvance("M" * 11),
            # room for the answer too, in the longest plural form ("1 000 снимков с нефтью")
            Column.COUNTS: metrics.horizontalAdvance(
                f"0 000 / 000 / 0 000  ·  {model.oil_text(5_555)}"
            )
            + 16,
            Column.RATE: metrics.horizontalAdvance("000.0") + 16,
            Column.ETA: metrics.horizontalAdvance("00:00:00") + 16,
            Column.STATE: max(metrics.horizontalAdvance(state_label(s)) for s in STATE_COLOURS)
            + metrics.height() * 3,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(width, heading(column)))
        header.setSectionResizeMode(Column.ACTIONS, QHeaderView.ResizeMode.Fixed)
        side = max(24, round(metrics.height() * 1.6))
        header.resizeSection(Column.ACTIONS, MAX_ROW_BUTTONS * (side + 4) + 2 * pad + 4)
        for row in range(model.rowCount()):
            self._install(row)

    # -- cells ------------------------------------------------------------------------------
    def cells(self, row: int) -> tuple[NameCell, ProgressCell, ActionsCell] | None:
        model = self.queue_model()
        index = model.index(row, Column.NAME)
        name = self.indexWidget(index)
        progress = self.indexWidget(model.index(row, Column.PROGRESS))
        actions = self.indexWidget(model.index(row, Column.ACTIONS))
        cells = (name, progress, actions)
        if isinstance(name, NameCell) and isinstance(progress, ProgressCell):
            return cells if isinstance(actions, ActionsCell) else None  # type: ignore[return-value]
        return None

    def _install(self, row: int) -> None:
        model = self.queue_model()
        name, progress, actions = NameCell(), ProgressCell(), ActionsCell()
        actions.triggered.connect(lambda action, a=actions: self._on_button(a, action))
        actions.pressed.connect(lambda a=actions: self._on_cell_pressed(a))
        self.setIndexWidget(model.index(row, Column.NAME), name)
        self.setIndexWidget(model.index(row, Column.PROGRESS), progress)
        self.setIndexWidget(model.index(row, Column.ACTIONS), actions)
        self._update(row)

    def _row_of(self, cell: QWidget) -> int:
        model = self.queue_model()
        for row in range(model.rowCount()):
            if self.indexWidget(model.index(row, Column.ACTIONS)) is cell:
                return row
        return -1

    def _on_button(self, cell: ActionsCell, action: str) -> None:
        row = self._row_of(cell)
        if row >= 0:
            index = self.queue_model().index(row, Column.NAME)
            self.action_triggered.emit(QPersistentModelIndex(index), action)

    def _on_cell_pressed(self, cell: ActionsCell) -> None:
        row = self._row_of(cell)
        if row >= 0:
            self.setCurrentIndex(self.queue_model().index(row, Column.NAME))

    def _on_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if not parent.isValid():
            for row in range(first, last + 1):
                self._install(row)

    def _reindex(self) -> None:
        selection = self.selectionModel()
        for row in range(self.queue_model().rowCount()):
            cells = self.cells(row)
            if cells is not None:
                cells[0].set_selected(selection.isRowSelected(row, QModelIndex()))

    def _on_data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, *_: object
    ) -> None:
        for row in range(top_left.row(), bottom_right.row() + 1):
            self._update(row)

    def _update(self, row: int) -> None:
        cells = self.cells(row)
        if cells is None:
            return
        model = self.queue_model()
        name_cell, progress_cell, actions_cell = cells
        index = model.index(row, Column.NAME)
        name_cell.set_text(str(index.data(TITLE_ROLE) or ""), str(index.data(DETAIL_ROLE) or ""))
        progress_index = model.index(row, Column.PROGRESS)
        progress_cell.set_progress(
            str(progress_index.data(STATE_ROLE) or ""), progress_index.data(FRACTION_ROLE)
        )
        actions_index = model.index(row, Column.ACTIONS)
        actions_cell.set_actions(
            list(actions_index.data(ACTIONS_ROLE) or []), actions_index.data(LABELS_ROLE)
        )

    def _on_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        rows = {index.row() for index in selected.indexes()} | {
            index.row() for index in deselected.indexes()
        }
        selection = self.selectionModel()
        for row in rows:
            cells = self.cells(row)
            if cells is not None:
                cells[0].set_selected(selection.isRowSelected(row, QModelIndex()))

    def refresh_icons(self) -> None:
        for row in range(self.queue_model().rowCount()):
            cells = self.cells(row)
            if cells is not None:
                cells[2].refresh_icons()
