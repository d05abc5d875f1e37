"""The list of a job's images: a table model fed by records, and a sort/filter proxy.

Rows are the report's images (skipped non-image members are counted, not listed). A running
job adds rows as it finishes images, and a retried image replaces its row in place.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QStyledItemDelegate, QStyleOptionViewItem

from ...core.model import ItemRecord, ItemStatus
from ...core.results.review import Review, Verdict
from ..core_messages import record_error, record_warnings, translate
from .loader import item_key
from .thumbnails import ThumbnailLoader

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    IMAGE = 0
    STATUS = 1
    OIL = 2
    VERDICT = 3
    NOTE = 4


class ItemFilter(IntEnum):
    ALL = 0
    OIL_FOUND = 1
    NO_OIL = 2
    FAILED = 3
    NOT_REVIEWED = 4
    CONFIRMED_OIL = 5
    LOOK_ALIKE = 6
    UNSURE = 7


VERDICT_FILTERS = {
    ItemFilter.CONFIRMED_OIL: Verdict.CONFIRMED_OIL,
    ItemFilter.LOOK_ALIKE: Verdict.LOOK_ALIKE,
    ItemFilter.UNSURE: Verdict.UNSURE,
}

ReviewLookup = Callable[[ItemRecord], Review | None]
"""Where the list finds an image's verdict (the viewer's verdicts file)."""


def row_key(record: ItemRecord) -> Hashable:
    """A row is an archive member; a retry of it updates the same row."""
    return (record.member_index, record.path)


def has_oil(record: ItemRecord) -> bool:
    return record.status is ItemStatus.OK and (record.oil_pixels or 0) > 0


def has_no_oil(record: ItemRecord) -> bool:
    return record.status is ItemStatus.OK and record.oil_pixels == 0


class ItemListModel(QAbstractTableModel):
    def __init__(self, thumbnails: ThumbnailLoader | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._records: list[ItemRecord] = []
        self._rows: dict[Hashable, int] = {}
        self._thumbnails = thumbnails
        self._thumb_rows: dict[Hashable, int] = {}
        self._reviews: ReviewLookup = lambda _record: None
        if thumbnails is not None:
            thumbnails.ready.connect(self._on_thumbnail)

    # -- content ---------------------------------------------------------------------------
    def set_records(self, records: Iterable[ItemRecord]) -> None:
        self.beginResetModel()
        self._records = [r for r in records if r.status is not ItemStatus.SKIPPED]
        self._rows = {row_key(r): i for i, r in enumerate(self._records)}
        self._thumb_rows = {item_key(r): i for i, r in enumerate(self._records)}
        self.endResetModel()

    def upsert(self, records: Sequence[ItemRecord]) -> list[ItemRecord]:
        """Add new rows and replace changed ones; returns the records that replaced a row."""
        replaced: list[ItemRecord] = []
        fresh: list[ItemRecord] = []
        for record in records:
            if record.status is ItemStatus.SKIPPED:
                continue
            row = self._rows.get(row_key(record))
            if row is None:
                fresh.append(record)
                continue
            old = self._records[row]
            self._thumb_rows.pop(item_key(old), None)
            self._records[row] = record
            self._thumb_rows[item_key(record)] = row
            replaced.append(record)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
        if fresh:
            first = len(self._records)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            for offset, record in enumerate(fresh):
                self._records.append(record)
                self._rows[row_key(record)] = first + offset
                self._thumb_rows[item_key(record)] = first + offset
            self.endInsertRows()
        return replaced

    def set_review_lookup(self, lookup: ReviewLookup) -> None:
        self._reviews = lookup
        self.reviews_changed()

    def reviews_changed(self) -> None:
        """The verdicts changed: repaint their column (the proxy refilters on dataChanged)."""
        if self._records:
            last = len(self._records) - 1
            self.dataChanged.emit(self.index(0, Column.VERDICT), self.index(last, Column.VERDICT))

    def review(self, record: ItemRecord) -> Review | None:
        return self._reviews(record)

    def record(self, row: int) -> ItemRecord | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def records(self) -> list[ItemRecord]:
        return list(self._records)

    # -- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            Column.IMAGE: self.tr("Image"),
            Column.STATUS: self.tr("Status"),
            Column.OIL: self.tr("Oil"),
            Column.VERDICT: self.tr("Verdict"),
            Column.NOTE: self.tr("Note"),
        }.get(Column(section))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        column = Column(index.column())
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == SORT_ROLE:
            return self._sort_value(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.IMAGE:
            if self._thumbnails is None:
                return None
            return self._thumbnails.thumbnail(item_key(record), record)
        failed = record.status is ItemStatus.FAILED
        if role == Qt.ItemDataRole.ForegroundRole and column is Column.STATUS and failed:
            return QApplication.palette().color(QPalette.ColorRole.Link)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.OIL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, record: ItemRecord, column: Column) -> str:
        if column is Column.IMAGE:
            return record.path
        if column is Column.STATUS:
            return self.tr("OK") if record.status is ItemStatus.OK else self.tr("Failed")
        if column is Column.OIL:
            return oil_text(record)
        if column is Column.VERDICT:
            return self._verdict_text(record)
        return note_text(record)

    def _verdict_text(self, record: ItemRecord) -> str:
        review = self._reviews(record)
        if review is None:
            return ""
        name = verdict_name(review.verdict) or self.tr("(note only)")
        return f"{name} ✎" if review.note else name

    def _sort_value(self, record: ItemRecord, column: Column) -> Any:
        if column is Column.IMAGE:
            return record.path.casefold()
        if column is Column.STATUS:
            return 0 if record.status is ItemStatus.OK else 1
        if column is Column.OIL:
            return record.oil_fraction if record.oil_fraction is not None else -1.0
        if column is Column.VERDICT:
            return self._verdict_text(record)
        return note_text(record)

    def _tooltip(self, record: ItemRecord) -> str:
        lines = [record.path]
        if record.error:
            lines.append(record_error(record))
        lines.extend(record_warnings(record))
        review = self._reviews(record)
        if review is not None and review.note:
            lines.append(self.tr("Note: {note}").format(note=review.note))
        return "\n".join(lines)

    def _on_thumbnail(self, key: Hashable) -> None:
        row = self._thumb_rows.get(key)
        if row is not None:
            index = self.index(row, Column.IMAGE)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


def oil_text(record: ItemRecord) -> str:
    if record.status is not ItemStatus.OK:
        return ""
    if record.kind == "overlay" or record.oil_fraction is None:
        return QApplication.translate("ItemListModel", "picture")
    return f"{QLocale().toString(record.oil_fraction * 100, 'f', 2)} %"


def verdict_name(verdict: Verdict | None) -> str:
    """The verdict as the list and the status line say it."""
    names = {
        Verdict.CONFIRMED_OIL: QApplication.translate("Review", "Confirmed oil"),
        Verdict.LOOK_ALIKE: QApplication.translate("Review", "Look-alike"),
        Verdict.UNSURE: QApplication.translate("Review", "Unsure"),
    }
    return names.get(verdict, "") if verdict is not None else ""


def note_text(record: ItemRecord) -> str:
    if record.error:
        return record_error(record)
    if record.warnings:
        return translate(record.warnings[0])
    return ""


class PathDelegate(QStyledItemDelegate):
    """Elides paths in the middle: the start tells scenes apart, the end is the file name."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class ItemFilterProxy(QSortFilterProxyModel):
    """Sorts by raw values (fractions, not their text) and filters by what was found."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = ItemFilter.ALL
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    @property
    def item_filter(self) -> ItemFilter:
        return self._filter

    def set_item_filter(self, item_filter: ItemFilter) -> None:
        if item_filter != self._filter:
            self.beginFilterChange()
            self._filter = item_filter
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if self._filter is ItemFilter.ALL:
            return True
        model = self.sourceModel()
        record = model.record(source_row) if isinstance(model, ItemListModel) else None
        if record is None:
            return False
        if self._filter is ItemFilter.OIL_FOUND:
            return has_oil(record)
        if self._filter is ItemFilter.NO_OIL:
            return has_no_oil(record)
        if self._filter is ItemFilter.FAILED:
            return record.status is ItemStatus.FAILED
        assert isinstance(model, ItemListModel)
        review = model.review(record)
        if self._filter is ItemFilter.NOT_REVIEWED:
            return has_oil(record) and (review is None or review.verdict is None)
        wanted = VERDICT_FILTERS.get(self._filter)
        return review is not None and review.verdict is wanted

    def record_at(self, row: int) -> ItemRecord | None:
        index = self.index(row, 0)
        record = index.data(RECORD_ROLE) if index.isValid() else None
        return record if isinstance(record, ItemRecord) else None
