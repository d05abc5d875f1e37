"""QRunnable wrappers: a PySide6 QRunnable has no signals, so each reports through a holder.

The holder is a QObject living in the scheduler's thread; emitting its signals from a pool
thread queues the call back to that thread, so results always arrive where the
scheduler (and the GUI) live. Workers never touch widgets.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, Signal

log = logging.getLogger(__name__)

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

    On a busy machine with few cores, eight workers would otherwise delay the GUI thread
    by 50-150 ms at a time; at a lower priority they lose no throughput (they wait on the
    network and the disk most of the time) and the window stays smooth. Once per thread,
    best effort: a platform that refuses simply keeps the default priority.
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
    """

    succeeded = Signal(object, object)
    raised = Signal(object, object)


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
