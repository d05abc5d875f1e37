"""Keeps track of the input archive the originals come from, off the GUI thread.

Finding the input is cheap (a few ``stat`` calls) and done at once; opening it (listing a
10,000-member archive) and checking its sha256 (reading gigabytes) run on a small pool of
the tracker's own, and every change is announced with one signal. Each lookup carries a
generation, so the answer to a question nobody asks any more is dropped (and its archive
closed).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ...core.config.paths import app_paths
from ...core.config.settings import load_settings
from ...core.model import Limits
from ...scheduling.pools import WorkerPool
from ...scheduling.tasks import TaskHandle, run_in_pool
from .originals import (
    Originals,
    OriginalsState,
    OriginalsStatus,
    find_input,
    open_originals,
    verify_hash,
)
from .results_source import ResultsInfo

log = logging.getLogger(__name__)


def user_limits() -> tuple[Limits, str]:
    """The limits and name encoding of the user's settings, for reading the input again."""
    settings = load_settings(app_paths().settings_file).settings
    return settings.limits, settings.archive_encoding


class InputTracker(QObject):
    """Owns the opened input archive (:class:`Originals`) of the results being viewed.

    Signals:
        changed(): :attr:`originals` or :attr:`status` changed (the pictures must be
            reloaded); not emitted when only :attr:`status`'s ``verified`` flag is set.
    """

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # The pool is created before the tasks' signal holders (children of this object
        # too), so on destruction it is deleted first and waits for its tasks: they never
        # emit into a deleted holder.
        self._pool = WorkerPool("input-tracker", 2, self)
        self._opened: list[Originals] = []
        """Archives opened on the pool whose result has not been delivered yet."""
        self._opened_lock = threading.Lock()
        self._generation = 0
        self._hash_task: TaskHandle | None = None
        self.originals: Originals | None = None
        self.status: OriginalsStatus | None = None

    # -- questions -------------------------------------------------------------------------
    def look_for(self, info: ResultsInfo) -> None:
        """Find the input of these results beside them (or where the job ran) and open it."""
        self.reset()
        path, problem = find_input(info)
        if path is None:
            assert problem is not None
            self._set(None, problem)
            return
        limits, encoding = user_limits()
        self.open(path, info.input_sha256 or None, limits, encoding)

    def use(self, path: Path, info: ResultsInfo) -> None:
        """Open ``path``, a file the user pointed to, if it can be the input of ``info``."""
        self.reset()
        path = Path(path)
        try:
            size = path.stat().st_size
        except OSError as exc:
            self._set(
                None,
                OriginalsStatus(
                    OriginalsState.MISSING,
                    self.tr("{name} cannot be read: {reason}.").format(
                        name=path.name, reason=exc.strerror or exc
                    ),
                ),
            )
            return
        if info.input_size is not None and size != info.input_size:
            self._set(
                None,
                OriginalsStatus(
                    OriginalsState.CHANGED,
                    self.tr(
                        "{name} is not the archive these results were made from (its size differs)."
                    ).format(name=path.name),
                    path,
                ),
            )
            return
        limits, encoding = user_limits()
        self.open(path, info.input_sha256 or None, limits, encoding)

    def open(self, path: Path, sha256: str | None, limits: Limits, encoding: str) -> None:
        """Open ``path`` off the GUI thread; then, when ``sha256`` is given, check it."""
        self.status = OriginalsStatus(
            OriginalsState.LOOKING,
            self.tr("Opening the input archive {name}…").format(name=path.name),
            path,
        )
        opened, lock = self._opened, self._opened_lock

        def open_and_register() -> Originals:
            originals = open_originals(path, limits, encoding)
            with lock:
                opened.append(originals)
            return originals

        generation = self._generation
        run_in_pool(
            self._pool,
            lambda _handle: open_and_register(),
            context=self,
            on_done=lambda originals: self._on_open_done(generation, path, sha256, originals),
            on_error=lambda exc: self._on_open_failed(generation, path, exc),
            key="open input",
        )

    def reset(self) -> None:
        """Forget the input: close it, and drop the answers of lookups still running."""
        self._generation += 1
        if self._hash_task is not None:
            self._hash_task.cancel()
            self._hash_task = None
        if self.originals is not None:
            self.originals.close()
        self.originals = None
        self.status = None

    def shutdown(self) -> None:
        """Reset, wait for the pool, and close archives opened for nobody (window closing)."""
        self.reset()
        self._pool.waitForDone()
        with self._opened_lock:
            leftovers, self._opened[:] = list(self._opened), []
        for originals in leftovers:
            originals.close()

    # -- answers ---------------------------------------------------------------------------
    def _set(self, originals: Originals | None, status: OriginalsStatus) -> None:
        if self.originals is not None and self.originals is not originals:
            self.originals.close()
        self.originals = originals
        self.status = status
        self.changed.emit()

    def _on_open_done(
        self, generation: int, path: Path, sha256: str | None, originals: Originals
    ) -> None:
        with self._opened_lock:
            if originals in self._opened:
                self._opened.remove(originals)
        if generation != self._generation:  # an answer nobody asks for any more
            originals.close()
            return
        self._on_opened(path, sha256, originals)

    def _on_open_failed(self, generation: int, path: Path, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._set(
            None,
            OriginalsStatus(
                OriginalsState.UNREADABLE,
                self.tr("The originals cannot be read from {name}: {reason}").format(
                    name=path.name, reason=exc
                ),
                path,
            ),
        )

    def _on_hashed(self, generation: int, problem: OriginalsStatus | None) -> None:
        if generation != self._generation:
            return
        if problem is not None:
            self._set(None, problem)
        elif self.status is not None:
            self.status = replace(self.status, verified=True)

    def _on_opened(self, path: Path, sha256: str | None, originals: Originals) -> None:
        self._set(
            originals,
            OriginalsStatus(
                OriginalsState.AVAILABLE,
                self.tr("Originals from {name}.").format(name=path.name),
                path,
            ),
        )
        if sha256:
            generation = self._generation
            self._hash_task = run_in_pool(
                self._pool,
                lambda handle: verify_hash(path, sha256, handle.token),
                context=self,
                on_done=lambda problem: self._on_hashed(generation, problem),
                on_error=lambda exc: log.warning("Could not check %s: %s", path.name, exc),
                key="check input",
            )
