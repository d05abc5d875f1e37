"""Load items' pictures on a thread pool and keep the neighbours of the current one ready.

The GUI asks for the current item (urgent) and a few neighbours (prefetch); decoding runs
on the loader's own pool through :func:`run_in_pool`, results come back on the GUI thread,
and finished items
sit in an LRU cache capped by bytes, so memory stays bounded however many items the job
has, while next/previous usually finds its item already there.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from collections.abc import Hashable, Iterable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from ...core.errors import Cancelled
from ...core.model import ItemRecord, Limits, MiB
from ...scheduling.pools import WorkerPool
from ...scheduling.tasks import TaskHandle, run_in_pool
from .originals import Originals
from .pictures import ItemPictures, LoadContext, load_pictures
from .results_source import ResultsSource

translate = QCoreApplication.translate
"""Qt's translation lookup under the name lupdate recognises."""

log = logging.getLogger(__name__)

DEFAULT_CACHE_BYTES = 256 * MiB


def item_key(record: ItemRecord) -> tuple[object, ...]:
    """What identifies an item's pictures: a retried item gets new ones."""
    return (record.member_index, record.path, record.status.value, record.mask, record.overlay)


class ItemLoader(QObject):
    """Loads :class:`ItemPictures` off the GUI thread, with a byte-capped LRU cache.

    Signals:
        loaded(object): an :class:`ItemPictures` that was asked for (urgent or prefetch).
    """

    loaded = Signal(object)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        threads: int | None = None,
        prefetch_delay_ms: int = 40,
    ) -> None:
        super().__init__(parent)
        self.cache_bytes = cache_bytes
        if threads is None:  # leave a core to the GUI: painting must not wait for decoding
            threads = min(2, (os.cpu_count() or 2) - 1)
        self._pool = WorkerPool("viewer-loader", threads, self)
        self._cache: OrderedDict[Hashable, ItemPictures] = OrderedDict()
        self._cached_bytes = 0
        self._in_flight: dict[Hashable, TaskHandle] = {}
        self._wanted: set[Hashable] = set()
        self._pinned: Hashable | None = None
        self._generation = 0
        self._context: LoadContext | None = None
        self._prefetch: list[ItemRecord] = []
        self._prefetch_timer = QTimer(self)
        self._prefetch_timer.setSingleShot(True)
        self._prefetch_timer.setInterval(prefetch_delay_ms)
        self._prefetch_timer.timeout.connect(self._start_prefetch)

    # -- context -------------------------------------------------------------------------
    def set_context(
        self,
        source: ResultsSource | None,
        originals: Originals | None,
        originals_note: str | None,
        limits: Limits | None = None,
    ) -> None:
        """Switch to another source or originals: everything cached or in flight is dropped."""
        self._context = (
            None
            if source is None
            else LoadContext(source, originals, originals_note, limits or Limits())
        )
        self.clear()

    def clear(self) -> None:
        self._generation += 1
        for handle in self._in_flight.values():
            handle.cancel()
        self._in_flight.clear()
        self._cache.clear()
        self._cached_bytes = 0
        self._wanted.clear()
        self._prefetch = []

    def forget(self, key: Hashable) -> None:
        """Drop one item (its files changed)."""
        pictures = self._cache.pop(key, None)
        if pictures is not None:
            self._cached_bytes -= pictures.nbytes

    @property
    def cached_bytes(self) -> int:
        return self._cached_bytes

    @property
    def cached_count(self) -> int:
        return len(self._cache)

    def wait_idle(self, msecs: int = 5000) -> bool:
        """Block until no load runs (benchmarks and shutdown only, never on a live GUI)."""
        return self._pool.waitForDone(msecs)

    # -- requests ------------------------------------------------------------------------
    def get(self, record: ItemRecord) -> ItemPictures | None:
        key = item_key(record)
        pictures = self._cache.get(key)
        if pictures is not None:
            self._cache.move_to_end(key)
        return pictures

    def show(
        self, record: ItemRecord, neighbours: Iterable[ItemRecord] = ()
    ) -> ItemPictures | None:
        """The current item: returned at once when cached, else loaded first; then neighbours.

        Loads for items that are neither current nor neighbours any more are cancelled.
        """
        key = item_key(record)
        self._pinned = key
        around = [n for n in neighbours if item_key(n) != key]
        self._wanted = {key, *(item_key(n) for n in around)}
        for other, handle in list(self._in_flight.items()):
            if other not in self._wanted:
                handle.cancel()
        cached = self.get(record)
        if cached is None:
            self._start(record, urgent=True)
        # Neighbours start a moment later: decoding them competes with painting this one
        # for the interpreter, and while a key is held down they would be wasted anyway.
        self._prefetch = around
        self._prefetch_timer.start()
        return cached

    def _start_prefetch(self) -> None:
        for neighbour in self._prefetch:
            key = item_key(neighbour)
            if key in self._wanted and key not in self._cache:
                self._start(neighbour, urgent=False)
        self._prefetch = []

    def _start(self, record: ItemRecord, *, urgent: bool) -> None:
        key = item_key(record)
        context = self._context
        running = self._in_flight.get(key)
        if context is None or (running is not None and not running.cancelled):
            return
        generation = self._generation

        def job(handle: TaskHandle) -> ItemPictures:
            try:
                return load_pictures(key, record, context, handle.token)
            except (Cancelled, MemoryError):
                raise
            except Exception as exc:  # a bug costs this item's pictures, not the viewer
                log.exception("Loading the pictures of %s failed", record.path)
                note = translate("ItemLoader", "This image could not be shown: {reason}").format(
                    reason=f"{type(exc).__name__}: {exc}"
                )
                return ItemPictures(key, record, mask_note=note, original_note=note)

        def failed(exc: BaseException) -> None:  # out of memory: this picture, not the viewer
            log.error("Loading the pictures of %s failed", record.path, exc_info=exc)
            self._on_done(generation, key, None, handle)

        handle = run_in_pool(
            self._pool,
            job,
            context=self,
            on_done=lambda pictures: self._on_done(generation, key, pictures, handle),
            on_error=failed,
            on_cancelled=lambda: self._on_done(generation, key, None, handle),
            key="load pictures",
            priority=10 if urgent else 0,
        )
        self._in_flight[key] = handle

    def _on_done(
        self, generation: int, key: Hashable, pictures: ItemPictures | None, handle: TaskHandle
    ) -> None:
        if generation != self._generation:
            return
        if self._in_flight.get(key) is handle:  # not a cancelled load replaced by a newer one
            del self._in_flight[key]
        if pictures is None or key not in self._wanted:
            return  # failed, cancelled, or asked for then scrolled past: not worth memory
        self._cache[key] = pictures
        self._cache.move_to_end(key)
        self._cached_bytes += pictures.nbytes
        self._evict()
        self.loaded.emit(pictures)

    def _evict(self) -> None:
        """Drop least recently used items beyond the cap; never the current one."""
        for key in list(self._cache):
            if self._cached_bytes <= self.cache_bytes:
                break
            if key == self._pinned:
                continue
            self._cached_bytes -= self._cache.pop(key).nbytes
