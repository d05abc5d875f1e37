"""Small pictures for the item list, made only for the rows people actually scroll to.

The list asks for a thumbnail when it paints a row; requests go on a stack served newest
first by one worker, so after a fast scroll the rows in sight are done before the ones
scrolled past, and the stack is trimmed so a long fling does not queue thousands.
"""

from __future__ import annotations

import io
import logging
import threading
from collections import OrderedDict
from collections.abc import Hashable

from PIL import Image
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from ...core.model import ItemRecord, Limits
from ...scheduling.pools import WorkerPool
from ...scheduling.tasks import TaskHandle, run_in_pool
from .pictures import qimage_from_pil
from .results_source import ResultsError, ResultsSource

log = logging.getLogger(__name__)

THUMBNAIL_SIDE = 48
MAX_PENDING = 256
MAX_CACHED = 4000


def make_thumbnail(source: ResultsSource, record: ItemRecord, side: int) -> QImage | None:
    """The item's overlay (or mask) shrunk to fit ``side``; ``None`` if there is none."""
    name = record.overlay or record.mask
    if not name:
        return None
    try:
        image = Image.open(io.BytesIO(source.read(name)))
        if image.width * image.height > Limits().max_pixels:
            return None
        image.draft(image.mode, (side * 2, side * 2))  # JPEG only: decode at a fraction of the size
        image.thumbnail((side, side), Image.Resampling.BILINEAR, reducing_gap=2.0)
        return qimage_from_pil(image if image.mode in ("L", "RGB") else image.convert("RGB"))
    except (ResultsError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


class ThumbnailLoader(QObject):
    """Thumbnails by key, made on one worker thread, cached up to ``MAX_CACHED``.

    Signals:
        ready(object): the key of a thumbnail that has just been made.
    """

    ready = Signal(object)

    def __init__(self, parent: QObject | None = None, side: int = THUMBNAIL_SIDE) -> None:
        super().__init__(parent)
        self.side = side
        self._pool = WorkerPool("thumbnails", 1, self)
        self._lock = threading.Lock()
        self._stack: list[tuple[int, Hashable, ItemRecord]] = []
        self._pending: set[Hashable] = set()
        self._running = False
        self._generation = 0
        self._source: ResultsSource | None = None
        self._cache: OrderedDict[Hashable, QImage | None] = OrderedDict()
        self.placeholder = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
        """Shown until a thumbnail is made, and for images without one: keeps names aligned."""
        self.placeholder.fill(0)

    def set_source(self, source: ResultsSource | None) -> None:
        with self._lock:
            self._generation += 1
            self._source = source
            self._stack.clear()
            self._pending.clear()
        self._cache.clear()

    def forget(self, key: Hashable) -> None:
        self._cache.pop(key, None)

    def thumbnail(self, key: Hashable, record: ItemRecord) -> QImage:
        """The thumbnail if made; otherwise the placeholder now and :attr:`ready` later."""
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key] or self.placeholder
        if not (record.overlay or record.mask):
            return self.placeholder
        with self._lock:
            if self._source is None or key in self._pending:
                return self.placeholder
            self._pending.add(key)
            self._stack.append((self._generation, key, record))
            if len(self._stack) > MAX_PENDING:
                _gen, dropped, _rec = self._stack.pop(0)
                self._pending.discard(dropped)
            start = not self._running
            self._running = True
        if start:
            run_in_pool(
                self._pool,
                self._drain,
                context=self,
                on_done=lambda _none: None,
                on_progress=self._on_made,
                key="thumbnails",
            )
        return self.placeholder

    def wait_idle(self, msecs: int = 5000) -> bool:
        return self._pool.waitForDone(msecs)

    def _drain(self, handle: TaskHandle) -> None:
        """Runs on the worker: newest request first until none is left; each thumbnail
        goes back as it is made, not when the stack is empty."""
        while True:
            with self._lock:
                if not self._stack:
                    self._running = False
                    return
                generation, key, record = self._stack.pop()
                source = self._source if generation == self._generation else None
            image = None
            if source is not None:
                try:
                    image = make_thumbnail(source, record, self.side)
                except Exception:  # never let a bad file end the worker
                    log.exception("Making a thumbnail failed")
            handle.report((generation, key, image))

    def _on_made(self, made: tuple[int, Hashable, QImage | None]) -> None:
        generation, key, image = made
        with self._lock:
            if generation != self._generation:
                return
            self._pending.discard(key)
        self._cache[key] = image if isinstance(image, QImage) else None
        while len(self._cache) > MAX_CACHED:
            self._cache.popitem(last=False)
        self.ready.emit(key)
