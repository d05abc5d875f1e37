"""Keeps track of the input archive the originals come from, off the GUI thread.

Finding the input is cheap (a few ``stat`` calls) and done at once; opening it (listing a
10,000-member archive) and checking its sha256 (reading gigabytes) run on a small pool of
the tracker's own, and every change is announced with one signal. Each lookup carries a
generation, so the answer to a question nobody asks any more is dropped (and its archive
closed).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from ...core.config.paths import app_paths
from ...core.config.settings import load_settings
from ...core.jobs.cancel import CancelToken
from ...core.model import Limits
from ...scheduling.tasks import FunctionTask, TaskSignals
from .originals import (
    Originals,
    OriginalsState,
    OriginalsStatus,
    find_input,
    open_originals,
    verify_hash,
)
from .results_source import ResultsInfo


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
        # The pool is created before the signal holder, so on destruction it is deleted
        # first and waits for its tasks: they never emit into a deleted holder.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._signals = TaskSignals(self)
        self._signals.succeeded.connect(self._on_succeeded)
        self._signals.raised.connect(self._on_raised)
        self._opened: list[Originals] = []
        """Archives opened on the pool whose result has not been delivered yet."""
        self._opened_lock = threading.Lock()
        self._generation = 0
        self._hash_cancel: CancelToken | None = None
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

        self._pool.start(
            FunctionTask(open_and_register, self._signals, ("open", self._generation, path, sha256))
        )

    def reset(self) -> None:
        """Forget the input: close it, and drop the answers of lookups still running."""
        self._generation += 1
        if self._hash_cancel is not None:
            self._hash_cancel.cancel()
            self._hash_cancel = None
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

    def _on_succeeded(self, tag: object, result: object) -> None:
        if isinstance(result, Originals):
            with self._opened_lock:
                if result in self._opened:
                    self._opened.remove(result)
        current = isinstance(tag, tuple) and tag[1] == self._generation
        if not current:
            if isinstance(result, Originals):
                result.close()
            return
        assert isinstance(tag, tuple)
        if tag[0] == "open" and isinstance(result, Originals):
            self._on_opened(tag[2], tag[3], result)
        elif tag[0] == "hash" and isinstance(result, tuple):
            problem = result[0]
            if isinstance(problem, OriginalsStatus):
                self._set(None, problem)
            elif self.status is not None:
                self.status = replace(self.status, verified=True)

    def _on_raised(self, tag: object, exc: object) -> None:
        if isinstance(tag, tuple) and tag[1] == self._generation and tag[0] == "open":
            self._set(
                None,
                OriginalsStatus(
                    OriginalsState.UNREADABLE,
                    self.tr("The originals cannot be read from {name}: {reason}").format(
                        name=tag[2].name, reason=exc
                    ),
                    tag[2],
                ),
            )

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
            cancel = CancelToken()
            self._hash_cancel = cancel
            # A tuple, never a bare None, goes through the signal (see PySide6 6.12 notes).
            self._pool.start(
                FunctionTask(
                    lambda: (verify_hash(path, sha256, cancel),),
                    self._signals,
                    ("hash", self._generation),
                )
            )
