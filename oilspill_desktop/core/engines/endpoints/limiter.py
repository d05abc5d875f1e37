"""How many requests one endpoint gets at once, found by measuring it (AIMD).

A service's capacity is rarely known and never printed on it: two requests in flight
starve a GPU box, sixty-four drown a laptop. As Netflix's ``concurrency-limits`` library
does (its ``AIMDLimit``), and TCP before it, the limit starts low and grows while the
endpoint answers as fast as when it is idle: by one per answer at first (slow start),
then by about one per round of answers. It is cut by a tenth (by half on the first
sign, which ends the slow start's overshoot) when the latency climbs
well above the unloaded latency (requests queue at the endpoint), when the endpoint
answers 429 or 503, or when requests fail; at most once per round, since the answers
to requests sent before a cut say nothing about the new limit. It never goes below one
nor above the job's worker cap.

The unloaded latency is the lowest latency of the recent past (a window that forgets old
answers, so a service that got slower for good is learnt again).
"""

from __future__ import annotations

import threading
from collections import deque

BACKOFF = 0.9
"""The multiplicative cut on a sign of overload."""
TOLERANCE = 1.5
"""A latency above this multiple of the unloaded one means requests queue at the endpoint."""
SLACK = 0.005
"""Seconds of latency variation that never count as queueing (timer and scheduler noise)."""
WINDOW = 200
"""How many recent answers the unloaded latency is the minimum of."""


class AimdLimit:
    """Thread-safe; ``limit`` is how many requests may be in flight now."""

    def __init__(self, *, initial: int = 2, most: int = 64, fixed: int | None = None) -> None:
        """``fixed``: never adapt (a benchmark's fixed setting)."""
        self._most = max(1, most)
        self._fixed = fixed
        self._limit = float(min(max(1, fixed or initial), self._most))
        self._recent: deque[float] = deque(maxlen=WINDOW)
        self._epoch = 0
        self._slow_start = True
        self._lock = threading.Lock()

    @property
    def limit(self) -> int:
        return int(self._limit)

    def sent(self) -> int:
        """Call when a request goes out; pass what it returns to :meth:`answered`."""
        return self._epoch

    def answered(self, latency: float, in_flight: int, epoch: int) -> None:
        """An answer after ``latency`` seconds, with ``in_flight`` requests out (itself
        included), to a request sent in ``epoch``."""
        with self._lock:
            self._recent.append(latency)
            if self._fixed:
                return
            floor = min(self._recent)
            if latency > TOLERANCE * floor + SLACK:
                self._cut(epoch)
            elif in_flight * 2 >= self._limit:  # only a limit in use is known to be enough
                step = 1.0 if self._slow_start else 1.0 / self._limit
                self._limit = min(self._limit + step, float(self._most))

    def overloaded(self, epoch: int) -> None:
        """429, 503, a timeout or a failed request: back off."""
        with self._lock:
            if not self._fixed:
                self._cut(epoch)

    def _cut(self, epoch: int) -> None:
        if epoch != self._epoch:
            return  # sent before the last cut: already accounted for
        # leaving slow start, the limit has overshot by up to one round's growth: halve it
        factor = 0.5 if self._slow_start else BACKOFF
        self._slow_start = False
        self._epoch += 1
        self._limit = max(1.0, self._limit * factor)
