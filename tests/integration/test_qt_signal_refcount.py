"""Guard against the PySide6 6.12.0 bug that aborted long jobs.

That release dropped a reference to ``True``/``False`` on every ``Signal.emit()``; after a
few hundred signals the interpreter died with "bool_dealloc: deallocating True or False".
A job of thousands of images emits thousands of signals, so this is checked directly.
"""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot


class Emitter(QObject):
    fired = Signal(object, object)


def bool_refs() -> int:
    return sys.getrefcount(True) + sys.getrefcount(False)


def test_emitting_signals_leaves_bool_refcounts_alone(qtbot: QtBot) -> None:
    emitter = Emitter()
    received: list[object] = []
    emitter.fired.connect(lambda tag, value: received.append(value))
    before = bool_refs()
    for index in range(200):
        emitter.fired.emit("main", index)

    def from_a_worker() -> None:
        for index in range(200):
            emitter.fired.emit("worker", index)

    worker = threading.Thread(target=from_a_worker)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(received) == 400, timeout=5_000)
    assert abs(bool_refs() - before) < 20
