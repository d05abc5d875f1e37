"""Process-wide named thread pools; one thread for writing results, so one writer owns
each output file.

Each pool waits for its workers when the application quits (``aboutToQuit``), so no
worker outlives the objects it reports to, whoever made the pool.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool

EXIT_WAIT_MS = 10_000
"""How long a pool waits for its workers at exit before the process goes anyway."""


class WorkerPool(QThreadPool):
    """A :class:`QThreadPool` that waits for its workers when the application quits.

    Without an application (a script, a test) there is no "quit" to wait on; the pool's
    owner waits itself. A pool owned by a window goes with it, and so does its wait.
    """

    def __init__(
        self,
        name: str,
        threads: int,
        parent: QObject | None = None,
        *,
        exit_wait_ms: int = EXIT_WAIT_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setMaxThreadCount(max(1, threads))
        self._exit_wait_ms = exit_wait_ms
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._wait_at_exit)

    def _wait_at_exit(self) -> None:
        self.waitForDone(self._exit_wait_ms)


_pools: dict[str, WorkerPool] = {}


def named_pool(name: str, threads: int) -> WorkerPool:
    """The process's pool called ``name``, created with ``threads`` threads on first use."""
    pool = _pools.get(name)
    if pool is None:
        pool = _pools[name] = WorkerPool(name, threads)
    return pool


def save_pool() -> QThreadPool:
    """A one-thread pool (as in MusicBrainz Picard) on which results zips are assembled."""
    return named_pool("save-pool", 1)


def settings_pool() -> QThreadPool:
    """A one-thread pool for saving settings: saves land in the order they were made."""
    return named_pool("settings-pool", 1)


def intake_pool() -> QThreadPool:
    """A small pool of the window's own, so packing a big folder never delays jobs being
    prepared; also used for its small chores (deleting packed archives, listing jobs)."""
    return named_pool("intake-pool", 4)
