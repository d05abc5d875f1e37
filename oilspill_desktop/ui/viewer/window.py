"""The mask viewer's window: the list of images, the linked views, the controls and facts.

It shows a finished results zip (``open_results``) or follows a running job
(``follow``); either way masks and overlays come from a :class:`ResultsSource` and
originals, when they can be found, from the input archive.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QModelIndex, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.jobs.job import model_fingerprint
from ...core.model import ItemRecord, ItemStatus
from .commands import ViewerActions
from .geo_view import GeoView
from .image_export import ImageExporter
from .image_list import ImageList
from .input_tracker import InputTracker
from .item_model import AnyIndex, ItemFilter, ItemFilterProxy, ItemListModel
from .loader import DEFAULT_CACHE_BYTES, ItemLoader, item_key
from .notice import NoticeBar
from .originals import OriginalsStatus
from .pictures import ItemPictures
from .remembered import RememberedView
from .report_export import ReportExporter
from .results_source import (
    FolderResultsSource,
    ResultsError,
    ResultsInfo,
    ResultsSource,
    ZipResultsSource,
)
from .review import ReviewController
from .side_panel import SidePanel
from .status_line import StatusLine
from .thumbnails import ThumbnailLoader
from .views_panel import ViewsPanel

log = logging.getLogger(__name__)

PREFETCH_AHEAD = 2
PREFETCH_BEHIND = 1


class ViewerWindow(QMainWindow):
    """Browse the masks of a results zip or of a running job, image by image."""

    def __init__(
        self,
        results_zip: Path | None = None,
        parent: QWidget | None = None,
        *,
        cache_bytes: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mask viewer"))
        self.resize(1280, 800)
        self._source: ResultsSource | None = None
        self._runner: Any = None
        self._shown_key: object = None
        self._originals_pending = False

        self.inputs = InputTracker(self)
        self.inputs.changed.connect(self._on_input_changed)
        self.loader = ItemLoader(self, cache_bytes=cache_bytes or DEFAULT_CACHE_BYTES)
        self.loader.loaded.connect(self._on_loaded)
        self.thumbnails = ThumbnailLoader(self)
        self.model = ItemListModel(self.thumbnails, self)
        self.proxy = ItemFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self._build_widgets()
        self.review = ReviewController(self)
        self.model.set_review_lookup(self.review.review)
        self.review.changed.connect(self._on_reviews_changed)
        self.images = ImageExporter(self)
        self.reports = ReportExporter(self)
        self.remembered = RememberedView(self.views, self.controls, self)
        self.commands = ViewerActions(self)
        self.proxy.rowsInserted.connect(self._on_rows_inserted)
        self.proxy.modelReset.connect(self._select_first_if_none)
        self.proxy.layoutChanged.connect(self._after_proxy_change)
        self._show_empty(self.tr("Open a results zip with File → Open results…"))
        if results_zip is not None:
            self.open_results(Path(results_zip))

    # -- construction ----------------------------------------------------------------------
    def _build_widgets(self) -> None:
        left = ImageList(self.proxy, self.thumbnails.side, self)
        self.filter_box, self.table = left.filter_box, left.table
        self.count_label = left.count_label
        self.filter_box.currentIndexChanged.connect(self._on_filter_box)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)

        self.notice = NoticeBar(self)
        self.views = ViewsPanel(self)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 4, 0, 4)
        middle_layout.addWidget(self.notice)
        middle_layout.addWidget(self.views, 1)

        scroll = SidePanel(self)
        self.controls, self.facts = scroll.controls, scroll.facts
        self.controls.opacity_changed.connect(self.views.set_opacity)
        self.controls.style_changed.connect(self.views.set_style)
        self.geo = GeoView(scroll.geo, [pane.view for pane in self.views.panes.values()], self)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(scroll)
        for position, stretch in enumerate((0, 1, 0)):
            self.splitter.setStretchFactor(position, stretch)
        self.splitter.setSizes([440, 590, 250])
        self.setCentralWidget(self.splitter)
        self.status_label = QLabel(self)
        self.statusBar().addWidget(self.status_label, 1)
        self.status_line = StatusLine(self.views, self)
        self.statusBar().addPermanentWidget(self.status_line)

    # -- opening ---------------------------------------------------------------------------
    @property
    def source(self) -> ResultsSource | None:
        return self._source

    @property
    def originals_status(self) -> OriginalsStatus | None:
        return self.inputs.status

    def open_results(self, path: Path) -> bool:
        """Show a results zip; on a bad file say why in the window and return False."""
        self._close_source()
        path = Path(path)
        try:
            source = ZipResultsSource(path)
        except ResultsError as exc:
            self.setWindowTitle(self.tr("Mask viewer"))
            self.notice.say(str(exc), self.commands.open_action)
            self._show_empty(str(exc))
            self.status_label.setText(self.tr("Could not open {name}.").format(name=path.name))
            return False
        self._source = source
        self.setWindowTitle(self.tr("{name} — Mask viewer").format(name=path.name))
        self.loader.set_context(source, None, self.tr("Looking for the original images…"))
        self.thumbnails.set_source(source)
        # The input is opened once the first picture is up: listing a 10,000-member archive
        # takes longer than showing a mask, and the two would share the CPU.
        self._originals_pending = True
        self.review.open_for(path, source.info.input_sha256)
        self.model.set_records(source.info.images)
        self._update_counts()
        if self.model.rowCount() == 0:
            self._start_pending_originals()
        return True

    def _start_pending_originals(self) -> None:
        if self._originals_pending and self._source is not None:
            self._originals_pending = False
            self.inputs.look_for(self._source.info)

    def follow(self, runner: Any) -> None:
        """Follow a running :class:`JobRunner`: rows appear as its images finish."""
        outcome = runner.outcome
        if outcome is not None and outcome.results_path and Path(outcome.results_path).is_file():
            self.open_results(Path(outcome.results_path))
            return
        self._close_source()
        self._runner = runner
        runner.items_finished.connect(self._on_runner_items)
        runner.finished.connect(self._on_runner_finished)
        runner.state_changed.connect(self._on_runner_state)
        self.setWindowTitle(
            self.tr("{name} — Mask viewer").format(name=runner.request.input_path.name)
        )
        self._show_empty(self.tr("Waiting for the first images to finish…"))
        if runner.prepared is not None:
            self._attach_job(runner.prepared)
        self._on_runner_state(str(runner.state))

    def _attach_job(self, job: Any) -> None:
        request = job.request
        info = ResultsInfo(
            title=request.input_path.name,
            input_name=request.input_path.name,
            input_size=job.size,
            input_sha256=job.sha256,
            engine=job.engine.engine,
            endpoint=job.engine.endpoint,
            model=model_fingerprint(job.engine),
            started=job.started,
        )
        source = FolderResultsSource(job.workspace.root, info)
        self._source = source
        self.review.open_for(None, "")
        self.loader.set_context(source, None, self.tr("Opening the input archive…"))
        self.thumbnails.set_source(source)
        done = sorted(job.records.values(), key=lambda r: r.member_index)
        self.model.set_records(done)
        self._update_counts()
        settings = request.settings
        self.inputs.open(request.input_path, None, settings.limits, settings.archive_encoding)

    def _close_source(self) -> None:
        self.inputs.reset()
        self.review.close()
        if self._runner is not None:
            for signal, slot in (
                (self._runner.items_finished, self._on_runner_items),
                (self._runner.finished, self._on_runner_finished),
                (self._runner.state_changed, self._on_runner_state),
            ):
                with contextlib.suppress(RuntimeError, TypeError):
                    signal.disconnect(slot)
            self._runner = None
        self.loader.set_context(None, None, None)
        self.thumbnails.set_source(None)
        if self._source is not None:
            self._source.close()
            self._source = None
        self._originals_pending = False
        self._shown_key = None
        self.notice.say(None)
        self.model.set_records([])

    # -- originals -------------------------------------------------------------------------
    def _on_input_changed(self) -> None:
        """The input archive was opened, lost or refused: reload with what there is now."""
        status = self.inputs.status
        originals = self.inputs.originals
        if self._source is None or status is None:
            return
        self.loader.set_context(
            self._source, originals, None if originals is not None else status.message
        )
        if originals is None:
            self.notice.say(status.message, self.commands.locate_action)
        else:
            self.notice.say(self.review.problem)
        self._show_current()  # reloads the current item; its old pictures stay up meanwhile

    def use_input(self, path: Path) -> None:
        """Take originals from ``path`` (the user located the input archive)."""
        if self._source is not None:
            self.inputs.use(Path(path), self._source.info)

    # -- following a job -------------------------------------------------------------------
    def _on_runner_items(self, records: object) -> None:
        runner = self._runner
        if runner is None or not isinstance(records, list):
            return
        if self._source is None:
            if runner.prepared is None:
                return
            self._attach_job(runner.prepared)
            return  # the prepared job's records already hold this batch
        replaced = self.model.upsert(records)
        current = self.current_record()
        if current is not None and any(r is current for r in replaced):
            self._shown_key = None
            self._show_current()
        self._update_counts()

    def _on_runner_state(self, state: str) -> None:
        runner = self._runner
        if runner is None:
            return
        if self._source is None and runner.prepared is not None:
            self._attach_job(runner.prepared)
        states = {
            "queued": self.tr("waiting to start"),
            "preparing": self.tr("reading the archive"),
            "running": self.tr("running"),
            "paused": self.tr("paused"),
            "finishing": self.tr("writing the results"),
            "done": self.tr("done"),
            "done with failures": self.tr("done, some images failed"),
            "failed": self.tr("failed"),
            "cancelled": self.tr("cancelled"),
        }
        self.status_label.setText(
            self.tr("Following {name}: {state}.").format(
                name=runner.request.input_path.name, state=states.get(state, state)
            )
        )

    def _on_runner_finished(self, outcome: object) -> None:
        path = getattr(outcome, "results_path", None)
        message = getattr(outcome, "message", None)
        if path:
            text = self.tr("The job is over; results saved to {path}.").format(path=path)
        else:
            text = self.tr("The job is over; no results file was written.")
        if message:
            text = f"{text} {message}"
        self.status_label.setText(text)

    # -- navigation ------------------------------------------------------------------------
    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def current_record(self) -> ItemRecord | None:
        return self.proxy.record_at(self.current_row())

    def select_row(self, row: int) -> None:
        if 0 <= row < self.proxy.rowCount():
            index = self.proxy.index(row, 0)
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def go(self, offset: int) -> None:
        row = self.current_row()
        target = 0 if row < 0 else row + offset
        self.select_row(min(max(target, 0), self.proxy.rowCount() - 1))

    def go_first(self) -> None:
        self.select_row(0)

    def go_last(self) -> None:
        self.select_row(self.proxy.rowCount() - 1)

    def set_item_filter(self, item_filter: ItemFilter) -> None:
        self.filter_box.setCurrentIndex(self.filter_box.findData(int(item_filter)))

    def _on_filter_box(self) -> None:
        self.proxy.set_item_filter(ItemFilter(self.filter_box.currentData()))
        self._after_proxy_change()

    def _after_proxy_change(self) -> None:
        if self.current_row() < 0:
            self._select_first_if_none()
        self._update_counts()
        self._show_current()

    def _on_rows_inserted(self, _parent: AnyIndex, _first: int, _last: int) -> None:
        self._select_first_if_none()
        self._update_counts()

    def _select_first_if_none(self) -> None:
        if self.current_row() < 0 and self.proxy.rowCount() > 0:
            self.select_row(0)
        elif self.proxy.rowCount() == 0:
            self._show_current()

    def _on_current_row(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current()

    def _neighbours(self, row: int) -> list[ItemRecord]:
        rows = [row + d for d in range(1, PREFETCH_AHEAD + 1)]
        rows += [row - d for d in range(1, PREFETCH_BEHIND + 1)]
        found = [self.proxy.record_at(r) for r in rows if 0 <= r < self.proxy.rowCount()]
        return [r for r in found if r is not None]

    def _show_current(self) -> None:
        record = self.current_record()
        info = self._source.info if self._source is not None else None
        self.geo.show_record(record, self._source)
        if record is None:
            self._shown_key = None
            self.facts.show_record(None, "", None)
            self.controls.show_item(None)
            if self._source is None:
                return
            self._start_pending_originals()
            if self.model.rowCount() == 0:
                self._show_empty(
                    self.tr("Waiting for the first images to finish…")
                    if self._runner is not None
                    else self.tr("These results hold no images.")
                )
            else:
                self._show_empty(self.tr("No image matches this filter."))
            return
        self.facts.show_record(
            record,
            info.engine if info else "",
            info.endpoint if info else None,
            info.model if info else None,
        )
        self.facts.show_review(self.review.review(record))
        key = item_key(record)
        pictures = self.loader.show(record, self._neighbours(self.current_row()))
        if pictures is not None:
            self._display(pictures)
        elif key != self._shown_key:
            self._shown_key = None
            self.views.show_loading(self.tr("Loading…"))
            self.controls.show_item(None)

    def _on_loaded(self, pictures: ItemPictures) -> None:
        current = self.current_record()
        if current is not None and pictures.key == item_key(current):
            self._display(pictures)

    def _display(self, pictures: ItemPictures) -> None:
        if pictures.key == self._shown_key and self.views.pictures is pictures:
            return
        self._shown_key = pictures.key
        self.views.show_pictures(pictures)
        self.controls.show_item(pictures)
        self.facts.show_scale(pictures.shown_at)
        if self._originals_pending:
            self._start_pending_originals()

    def _show_empty(self, text: str) -> None:
        self._shown_key = None
        self.views.show_message(text)
        self.controls.show_item(None)
        self.facts.show_record(None, "", None)

    def _update_counts(self) -> None:
        records = self.model.records()
        failed = sum(1 for r in records if r.status is ItemStatus.FAILED)
        oil = sum(1 for r in records if (r.oil_pixels or 0) > 0)
        number = QLocale().toString
        text = self.tr(
            "{shown} of %Ln image(s) · {oil} with oil · {failed} failed", "", len(records)
        )
        text = text.format(
            shown=number(self.proxy.rowCount()), oil=number(oil), failed=number(failed)
        )
        info = self._source.info if self._source is not None else None
        if info is not None and info.skipped:
            text += self.tr(" · %Ln other file(s) skipped", "", info.skipped)
        if info is not None and info.unreadable_rows:
            text += self.tr(" · %Ln unreadable report row(s)", "", info.unreadable_rows)
        self.count_label.setText(text)
        if self._runner is None and self._source is not None:
            self.status_label.setText(self._source.info.title)

    # -- views, export, full screen --------------------------------------------------------
    def toggle_side_by_side(self) -> None:
        self.views.set_side_by_side(not self.views.side_by_side)

    def ask_open(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open results"), "", self.tr("Results zip (*.zip);;All files (*)")
        )
        if name:
            self.open_results(Path(name))

    def ask_locate_input(self) -> None:
        if self._source is None:
            return
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Locate the input archive {name}").format(name=self._source.info.input_name),
            "",
            self.tr("Zip archives (*.zip);;All files (*)"),
        )
        if name:
            self.use_input(Path(name))

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.commands.full_screen_action.setChecked(self.isFullScreen())

    def leave_full_screen(self) -> None:
        if self.isFullScreen():
            self.toggle_full_screen()

    def _on_reviews_changed(self) -> None:
        self.model.reviews_changed()
        record = self.current_record()
        self.facts.show_review(self.review.review(record) if record is not None else None)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.remembered.sync()
        self._close_source()
        self.inputs.shutdown()
        super().closeEvent(event)
