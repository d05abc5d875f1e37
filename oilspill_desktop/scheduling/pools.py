"""Process-wide named thread pools; one thread for writing results, so one writer owns
each output file."""

from __future__ import annotations

from PySide6.QtCore import QThreadPool

_pools: dict[str, QThreadPool] = {}


def named_pool(name: str, threads: int) -> QThreadPool:
    """The process's pool called ``name``, created with ``threads`` threads on first use."""
    pool = _pools.get(name)
    if pool is None:
        pool = _pools[name] = QThreadPool()
        pool.setMaxThreadCount(threads)
        pool.setObjectName(name)
    return pool


def save_pool() -> QThreadPool:
    """A one-thread pool (as in MusicBrainz Picard) on which results zips are assembled."""
    return named_pool("save-pool", 1)


def settings_pool() -> QThreadPool:
    """A one-thread pool for saving settings: saves land in the order they were made."""
    return named_pool("settings-pool", 1)
