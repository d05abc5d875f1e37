"""One way to run work off the GUI thread: :func:`run_in_pool` over :class:`FunctionTask`.

A PySide6 QRunnable has no signals, so a task reports through a holder: a QObject living
in the caller's thread. Emitting its signals from a pool thread queues the call back to
that thread, so results always arrive where the scheduler (and the GUI) live, and
workers never touch widgets.

Why a helper of our own rather than superqt's ``thread_worker`` (napari's choice): every
pool here is a plain :class:`QThreadPool` with priorities (the viewer's current picture
goes before its neighbours), workers must run at a lower OS priority
(:func:`lower_worker_priority`), and the core's long functions already cancel
cooperatively through a :class:`CancelToken`. :func:`run_in_pool` gives all three in a
page of code, typed end to end, without another dependency or a generator protocol. The
scheduler's :class:`JobRunner` uses :class:`FunctionTask` and :class:`TaskSignals`
directly: it multiplexes hundreds of items over one holder by tag.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

from ..core.errors import Cancelled
from ..core.jobs.cancel import CancelToken

log = logging.getLogger(__name__)

T = TypeVar("T")

WORKER_NICENESS = 10
"""How much lower than the GUI thread pool threads run in the window (Unix nice steps)."""

_worker = threading.local()
_niceness = 0


def set_worker_niceness(steps: int) -> None:
    """Run pool threads ``steps`` nice steps below the scheduling thread from now on.

    The window sets :data:`WORKER_NICENESS` so that drawing wins the CPU. The command
    line keeps 0: it has nothing to draw, and niced workers holding the GIL while
    another process (a local endpoint, say) takes the CPU would stall the whole job.
    """
    global _niceness
    _niceness = max(0, steps)


def lower_worker_priority() -> None:
    """Let the thread that schedules (and draws the window) win the CPU over workers.

    On a busy machine with few cores, eight workers at the GUI's priority make the window
    stutter; at a lower priority they lose no throughput (they wait on the network and
    the disk most of the time) and the window stays smooth. Once per thread, best
    effort: a platform that refuses simply keeps the default priority.
    """
    if _niceness == 0 or getattr(_worker, "lowered", False):
        return
    _worker.lowered = True
    try:
        if sys.platform.startswith("linux"):  # Linux applies nice values per thread
            tid = threading.get_native_id()
            current = os.getpriority(os.PRIO_PROCESS, tid)
            os.setpriority(os.PRIO_PROCESS, tid, min(19, current + _niceness))
        elif sys.platform == "win32":
            thread = QThread.currentThread()
            if thread is not None:
                thread.setPriority(QThread.Priority.LowPriority)
    except (OSError, RuntimeError):
        pass


class TaskSignals(QObject):
    """Holder of a runnable's signals.

    Signals:
        succeeded(object, object): ``(tag, result)`` when the function returned.
        raised(object, object): ``(tag, exception)`` when it raised.
        progress(object, object): ``(tag, value)`` reported by a running function.
    """

    succeeded = Signal(object, object)
    raised = Signal(object, object)
    progress = Signal(object, object)


class FunctionTask(QRunnable):
    """Run ``function()`` on a pool thread and post its outcome to ``signals``."""

    def __init__(self, function: Callable[[], Any], signals: TaskSignals, tag: object = None):
        super().__init__()
        self._function = function
        self._signals = signals
        self._tag = tag
        self.setAutoDelete(True)

    def run(self) -> None:
        lower_worker_priority()
        try:
            result = self._function()
        except BaseException as exc:  # reported, never lost in a pool thread
            self._report("raised", exc)
        else:
            self._report("succeeded", result)

    def _report(self, signal: str, value: object) -> None:
        try:
            getattr(self._signals, signal).emit(self._tag, value)
        except RuntimeError:  # the holder was deleted (its window closed): nobody to tell
            log.debug("No one left to hear how task %r ended", self._tag)


class TaskHandle:
    """A task started by :func:`run_in_pool`: the caller cancels it, the function reads it.

    Cancelling is cooperative: the function sees :attr:`token` set (core functions take
    the token and raise :class:`Cancelled`), and a task cancelled before it started does
    not run at all. Either way ``on_cancelled`` is called instead of ``on_done``.
    """

    def __init__(self, key: object, signals: TaskSignals) -> None:
        self.key = key
        self.token = CancelToken()
        self._signals = signals

    def cancel(self) -> None:
        self.token.cancel()

    @property
    def cancelled(self) -> bool:
        return self.token.cancelled

    def report(self, value: object) -> None:
        """From the worker: hand ``value`` to ``on_progress`` on the caller's thread."""
        with contextlib.suppress(RuntimeError):  # the context is gone: nobody listens
            self._signals.progress.emit(self.key, value)


def _log_failure(key: object, exc: BaseException) -> None:
    log.error("A background task (%s) failed", key, exc_info=exc)


class _Receiver(QObject):
    """Takes a task's outcome on the caller's thread, as a child of the caller's ``context``.

    The split from :class:`TaskSignals` is what makes a late outcome safe: the holder the
    worker emits on belongs to no one (the worker and the handle keep it alive), so closing
    a window can never destroy it under a running worker; the receiver dies with the
    window, and Qt then drops the queued outcome instead of delivering it.
    """

    def __init__(
        self,
        context: QObject,
        handle: TaskHandle,
        on_done: Callable[[Any], object],
        on_error: Callable[[BaseException], object] | None,
        on_cancelled: Callable[[], object] | None,
        on_progress: Callable[[Any], object] | None,
    ) -> None:
        super().__init__(context)
        self._handle = handle
        self._on_done = on_done
        self._on_error = on_error
        self._on_cancelled = on_cancelled
        self._on_progress = on_progress

    @Slot(object, object)
    def succeeded(self, _tag: object, result: tuple[Any]) -> None:
        self.deleteLater()
        if self._handle.cancelled and self._on_cancelled is not None:
            self._on_cancelled()
        else:
            self._on_done(result[0])

    @Slot(object, object)
    def raised(self, _tag: object, exc: BaseException) -> None:
        self.deleteLater()
        if isinstance(exc, Cancelled):
            if self._on_cancelled is not None:
                self._on_cancelled()
        elif self._on_error is not None:
            self._on_error(exc)
        else:
            _log_failure(self._handle.key, exc)

    @Slot(object, object)
    def progress(self, _tag: object, value: object) -> None:
        if self._on_progress is not None:
            self._on_progress(value)


def run_in_pool(
    pool: QThreadPool,
    function: Callable[[TaskHandle], T],
    *,
    context: QObject,
    on_done: Callable[[T], object],
    on_error: Callable[[BaseException], object] | None = None,
    on_cancelled: Callable[[], object] | None = None,
    on_progress: Callable[[Any], object] | None = None,
    key: object = None,
    priority: int = 0,
) -> TaskHandle:
    """Run ``function(handle)`` on ``pool``; its outcome comes back on ``context``'s thread.

    Exactly one of ``on_done(result)``, ``on_error(exception)`` (default: logged with the
    traceback) or ``on_cancelled()`` is called, unless ``context`` was deleted first: a
    late answer to a closed window goes nowhere. ``on_progress`` gets what the function
    passes to :meth:`TaskHandle.report`. ``key`` names the task in the log.
    """
    signals = TaskSignals()  # owned by no QObject: see _Receiver
    handle = TaskHandle(key, signals)
    receiver = _Receiver(context, handle, on_done, on_error, on_cancelled, on_progress)

    def work() -> tuple[T]:
        handle.token.raise_if_cancelled()
        # A tuple, never a bare None or bool, goes through the signal: some PySide6
        # releases drop a reference to those singletons on every emit (see pyproject).
        return (function(handle),)

    signals.succeeded.connect(receiver.succeeded)
    signals.raised.connect(receiver.raised)
    signals.progress.connect(receiver.progress)
    pool.start(FunctionTask(work, signals, key), priority)
    return handle
