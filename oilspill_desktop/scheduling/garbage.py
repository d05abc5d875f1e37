"""Python's cyclic garbage collector, run on the thread that owns the Qt objects only.

The collector runs in whichever thread happens to allocate past its threshold, and the
pool threads allocate most (decoding, segmenting, writing). A Qt object caught in a
reference cycle (a closed dialog whose slots are lambdas over itself, a task holder) is
then deleted on a pool thread while the GUI thread may be delivering its events, a
crash that depends on timing. So the window and the command line switch automatic
collection off and run it from a timer on their own thread instead, with the same
generation thresholds; reference counting still frees everything outside cycles at once.
(Calibre has done the same for years, for the same reason.)
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 500
"""How often the thresholds are looked at: cycles wait at most this long for collection."""


def due_generation(counts: tuple[int, int, int], thresholds: tuple[int, int, int]) -> int:
    """The oldest generation whose count is past its threshold, or -1 when none is.

    A generation is only collected after the younger ones filled up, as the interpreter's
    own collector decides.
    """
    due = -1
    for generation in range(3):
        if counts[generation] <= thresholds[generation]:
            break
        due = generation
    return due


class MainThreadCollector(QObject):
    """Turns automatic collection off for its lifetime and collects from a timer instead."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_INTERVAL_MS):
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Collect the generation that is due, if any (on this object's thread)."""
        generation = due_generation(gc.get_count(), gc.get_threshold())
        if generation >= 0:
            gc.collect(generation)

    def stop(self) -> None:
        """Back to the interpreter's own collection (at exit, or when a test is done)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
