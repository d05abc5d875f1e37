"""The viewer's list of images: a filter above the table, the counts below it."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .item_model import Column, ItemFilter, ItemFilterProxy, PathDelegate


class ImageList(QWidget):
    """The filter box, the table of images (rows as tall as a thumbnail) and the counts.

    The window connects to the widgets and fills the counts; this only builds them.
    """

    def __init__(self, proxy: ItemFilterProxy, side: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.filter_box = QComboBox(self)
        for value, text in (
            (ItemFilter.ALL, self.tr("All images")),
            (ItemFilter.OIL_FOUND, self.tr("Oil found")),
            (ItemFilter.NO_OIL, self.tr("No oil")),
            (ItemFilter.FAILED, self.tr("Failed")),
            (ItemFilter.NOT_REVIEWED, self.tr("Oil, not reviewed")),
            (ItemFilter.CONFIRMED_OIL, self.tr("Confirmed oil")),
            (ItemFilter.LOOK_ALIKE, self.tr("Look-alike")),
            (ItemFilter.UNSURE, self.tr("Unsure")),
        ):
            self.filter_box.addItem(text, int(value))
        self.filter_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self._build_table(proxy, side)
        self.count_label = QLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 0, 4)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

    def _build_table(self, proxy: ItemFilterProxy, side: int) -> None:
        self.table = QTableView(self)
        self.table.setModel(proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setItemDelegateForColumn(Column.IMAGE, PathDelegate(self.table))
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setVisible(False)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(side + 6)
        self.table.setIconSize(QSize(side, side))
        # Fixed widths from the font, never "resize to contents": that measures every row,
        # which takes seconds with 10,000 images.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics = self.table.fontMetrics()
        header.resizeSection(Column.IMAGE, side + metrics.horizontalAdvance("…/scene_000.png") + 16)
        header.resizeSection(Column.STATUS, metrics.horizontalAdvance(self.tr("Failed")) + 20)
        header.resizeSection(Column.OIL, metrics.horizontalAdvance("100.00 %") + 16)
        verdict_width = metrics.horizontalAdvance(self.tr("Confirmed oil") + " ✎") + 16
        header.resizeSection(Column.VERDICT, verdict_width)
        header.resizeSection(Column.NOTE, metrics.horizontalAdvance("M" * 4))
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self._sorted_by = -1
        header.sortIndicatorChanged.connect(self._on_sort)

    def _on_sort(self, column: int, order: Qt.SortOrder) -> None:
        """A first click on the oil column sorts the most oil first: what a user looks for."""
        first_click = column != self._sorted_by
        self._sorted_by = column
        if first_click and column == Column.OIL and order == Qt.SortOrder.AscendingOrder:
            self.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
