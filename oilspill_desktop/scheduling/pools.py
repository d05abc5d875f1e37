"""Process-wide pools: one thread for writing results, so one writer owns each output file."""

from __future__ import annotations

from PySide6.QtCore import QThreadPool

_save_pool: QThreadPool | None = None


def save_pool() -> QThreadPool:
    """A one-thread pool (as in MusicBrainz Picard) on which results zips are assembled."""
    global _save_pool
    if _save_pool is None:
        _save_pool = QThreadPool()
        _save_pool.setMaxThreadCount(1)
        _save_pool.setObjectName("save-pool")
    return _save_pool
