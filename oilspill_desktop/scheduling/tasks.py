"""QRunnable wrappers: a PySide6 QRunnable has no signals, so each reports through a holder.

The holder is a QObject living in the scheduler's thread; emitting its signals from a pool
thread queues the call back to that thread, so results always arrive where the
scheduler (and the GUI) live. Workers never touch widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

log = logging.getLogger(__name__)


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
        try:
            result = self._function()
        except BaseException as exc:  # reported, never lost in a pool thread
            self._signals.raised.emit(self._tag, exc)
        else:
            self._signals.succeeded.emit(self._tag, result)
