"""The log panel: what happened this session, filterable by level and text.

Worker threads log freely; the handler only appends to a bounded buffer under a lock, and
the GUI drains it a few times a second. So a burst of 10,000 warnings costs the GUI one
model update per tick, never one per line, and never a cross-thread call into a widget.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QObject,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ..logging_setup import RedactSecrets
from .icons import icon

MAX_ROWS = 5000
LEVEL_COLOURS = {
    logging.WARNING: "#e07b00",
    logging.ERROR: "#e5484d",
    logging.CRITICAL: "#e5484d",
}


@dataclass(frozen=True)
class LogLine:
    created: float
    level: int
    logger: str
    message: str
    details: str | None = None


class BufferingHandler(logging.Handler):
    """Collects records from any thread into a bounded deque the GUI drains."""

    def __init__(self, capacity: int = MAX_ROWS) -> None:
        super().__init__(logging.DEBUG)
        self._lines: deque[LogLine] = deque(maxlen=capacity)
        self._guard = threading.Lock()
        self.addFilter(RedactSecrets())

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            details = None
            if record.exc_info and record.exc_info[1] is not None:
                formatter = logging.Formatter()
                details = formatter.formatException(record.exc_info)
                exc = record.exc_info[1]
                message = f"{message} ({type(exc).__name__}: {exc})"
            line = LogLine(record.created, record.levelno, record.name, message, details)
        except Exception:
            self.handleError(record)
            return
        with self._guard:
            self._lines.append(line)

    def drain(self) -> list[LogLine]:
        with self._guard:
            lines = list(self._lines)
            self._lines.clear()
        return lines


LEVEL_ROLE = Qt.ItemDataRole.UserRole + 1
"""The level's rank as text ("20", "30"...): what the level filter matches."""


class LogModel(QStandardItemModel):
    """The last :data:`MAX_ROWS` log lines: time, level, message.

    A :class:`QStandardItemModel` so that painting and filtering the panel run in C++
    alone; a Python ``data()`` would make every repaint wait for the GIL, which worker
    threads hold during big jobs.
    """

    COLUMNS = 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, self.COLUMNS, parent)
        self._lines: deque[LogLine] = deque()
        self.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Level"), self.tr("Message")])
        self._bold = QFont()
        self._bold.setWeight(QFont.Weight.DemiBold)

    @property
    def lines(self) -> list[LogLine]:
        return list(self._lines)

    def append(self, lines: list[LogLine]) -> None:
        if not lines:
            return
        lines = lines[-MAX_ROWS:]
        overflow = len(self._lines) + len(lines) - MAX_ROWS
        if overflow > 0:
            for _ in range(overflow):
                self._lines.popleft()
            self.removeRows(0, overflow)
        for line in lines:
            self._lines.append(line)
            self.appendRow(self._items(line))

    def _items(self, line: LogLine) -> list[QStandardItem]:
        text = f"{line.logger}: {line.message}"
        tooltip = f"{text}\n\n{line.details}" if line.details else text
        rank = str(min(50, max(10, line.level // 10 * 10)))
        cells = [
            QStandardItem(time.strftime("%H:%M:%S", time.localtime(line.created))),
            QStandardItem(level_label(line.level)),
            QStandardItem(line.message),
        ]
        for item in cells:
            item.setEditable(False)
            item.setToolTip(tooltip)
            item.setData(rank, LEVEL_ROLE)
        if line.level in LEVEL_COLOURS:
            cells[1].setForeground(QColor(LEVEL_COLOURS[line.level]))
        if line.level >= logging.ERROR:
            cells[1].setFont(self._bold)
        return cells

    def clear(self) -> None:
        self._lines.clear()
        self.removeRows(0, self.rowCount())


def level_label(level: int) -> str:
    if level >= logging.ERROR:
        return QCoreApplication.translate("LogLevel", "Error")
    if level >= logging.WARNING:
        return QCoreApplication.translate("LogLevel", "Warning")
    if level >= logging.INFO:
        return QCoreApplication.translate("LogLevel", "Info")
    return QCoreApplication.translate("LogLevel", "Debug")


class LogFilter(QSortFilterProxyModel):
    """Lines at or above a level whose message contains some text, filtered in C++.

    Two chained proxies: this one keeps levels (a regular expression on the level rank),
    an inner one matches the text. Neither calls back into Python per row.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._minimum = logging.INFO
        self.text_filter = QSortFilterProxyModel(self)
        self.text_filter.setFilterKeyColumn(2)
        self.text_filter.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterRole(LEVEL_ROLE)
        self.setFilterKeyColumn(2)
        super().setSourceModel(self.text_filter)
        self.set_minimum(logging.INFO)

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        self.text_filter.setSourceModel(model)

    @property
    def minimum(self) -> int:
        return self._minimum

    def set_minimum(self, level: int) -> None:
        self._minimum = level
        ranks = [str(rank) for rank in (10, 20, 30, 40, 50) if rank >= level]
        self.setFilterRegularExpression(QRegularExpression(f"^({'|'.join(ranks)})$"))

    def set_text(self, text: str) -> None:
        self.text_filter.setFilterFixedString(text.strip())


class LogDock(QDockWidget):
    """A dock with the session's log.

    Signals:
        open_log_folder(): the "Open log folder" button.
    """

    open_log_folder = Signal()

    LEVELS = (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR)

    def __init__(self, parent: QWidget | None = None, *, attach: bool = True) -> None:
        super().__init__(self.tr("Log"), parent)
        self.setObjectName("logDock")
        self.handler = BufferingHandler()
        self.model = LogModel(self)
        self.proxy = LogFilter(self)
        self.proxy.setSourceModel(self.model)

        self.level_box = QComboBox()
        for level in self.LEVELS:
            self.level_box.addItem(self._level_choice(level), level)
        self.level_box.setCurrentIndex(self.LEVELS.index(logging.INFO))
        self.level_box.setToolTip(self.tr("Show messages of this level and above"))
        self.level_box.currentIndexChanged.connect(
            lambda i: self.proxy.set_minimum(int(self.level_box.itemData(i)))
        )
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Filter messages"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.folder_button = folder_button = QToolButton()
        folder_button.setIcon(icon("reveal"))
        folder_button.setToolTip(self.tr("Open log folder"))
        folder_button.setAutoRaise(True)
        folder_button.clicked.connect(self.open_log_folder)
        self.clear_button = clear_button = QToolButton()
        clear_button.setIcon(icon("remove"))
        clear_button.setToolTip(self.tr("Clear the panel (the log file is kept)"))
        clear_button.setAutoRaise(True)
        clear_button.clicked.connect(self.model.clear)

        self.view = self._make_view()
        metrics = self.fontMetrics()

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.level_box)
        bar.addWidget(self.search, 1)
        bar.addWidget(folder_button)
        bar.addWidget(clear_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        unit = metrics.height() // 2
        layout.setContentsMargins(unit, unit // 2, unit, unit)
        layout.setSpacing(unit // 2)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self.setWidget(body)
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.flush)
        self._attached = False
        if attach:
            self.attach()

    def _make_view(self) -> QTreeView:
        """The list of messages, columns sized for a time and the longest level name."""
        view = QTreeView()
        view.setObjectName("logView")
        view.setModel(self.proxy)
        view.setRootIsDecorated(False)
        view.setUniformRowHeights(True)
        view.setAlternatingRowColors(True)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setWordWrap(False)
        header = view.header()
        metrics = self.fontMetrics()
        header.setStretchLastSection(True)
        header.resizeSection(0, metrics.horizontalAdvance("00:00:00") + metrics.height() * 2)
        header.resizeSection(
            1, metrics.horizontalAdvance(self.tr("Warning")) + metrics.height() * 3
        )
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        return view

    def _level_choice(self, level: int) -> str:
        return {
            logging.DEBUG: self.tr("Everything"),
            logging.INFO: self.tr("Info and above"),
            logging.WARNING: self.tr("Warnings and errors"),
            logging.ERROR: self.tr("Errors only"),
        }[level]

    def attach(self) -> None:
        if not self._attached:
            logging.getLogger().addHandler(self.handler)
            self._attached = True
            self._timer.start()

    def detach(self) -> None:
        if self._attached:
            logging.getLogger().removeHandler(self.handler)
            self._attached = False
            self._timer.stop()
        self.flush()

    def set_minimum_level(self, level: int) -> None:
        if level in self.LEVELS:
            self.level_box.setCurrentIndex(self.LEVELS.index(level))

    def flush(self) -> None:
        """Move buffered lines into the view, keeping it scrolled to the end if it was."""
        lines = self.handler.drain()
        if not lines:
            return
        bar = self.view.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 2
        self.model.append(lines)
        if at_end:
            self.view.scrollToBottom()
