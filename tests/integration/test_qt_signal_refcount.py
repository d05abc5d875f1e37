"""Guard against the PySide6 6.12.0 bug that aborted long jobs.

That release dropped a reference to ``True``/``False`` on every ``Signal.emit()`` (and to
``None`` on every void call); after a few hundred signals the interpreter died with
"bool_dealloc: deallocating True or False". A job of thousands of images emits thousands
of signals, so this is checked directly, in a fresh interpreter where nothing else runs.
"""

from __future__ import annotations

import subprocess
import sys

PROGRAM = r"""
import os, sys, threading
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Emitter(QObject):
    fired = Signal(object, object)

app = QCoreApplication([])
emitter = Emitter()
received = []
emitter.fired.connect(lambda tag, value: received.append(value))
refs = lambda: sys.getrefcount(True) + sys.getrefcount(False) + sys.getrefcount(None)
before = refs()
for index in range(1000):
    emitter.fired.emit("main", index)

def from_a_worker():
    for index in range(1000):
        emitter.fired.emit("worker", index)

worker = threading.Thread(target=from_a_worker)
worker.start()
worker.join()
while len(received) < 2000:
    app.processEvents()
received.clear()
print(refs() - before)
"""


def test_emitting_signals_leaves_singleton_refcounts_alone() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    drift = int(result.stdout.strip())
    assert abs(drift) < 100, f"{drift} references to True/False/None lost in 2,000 emits"
