"""How many requests one endpoint gets at once, found by measuring it (AIMD with a
latency signal, after Netflix's ``concurrency-limits`` and TCP Vegas).

A service's capacity is rarely known and never printed on it: two requests in flight
starve a GPU box, sixty-four drown a laptop. So the limit is measured, a round at a
time (a round: as many answers as the limit, to requests sent under that limit):

* while a round's mean latency holds (within ``TOLERANCE`` of the lowest round mean of
  the recent past, the endpoint's unloaded latency) and the limit was in use, it grows:
  doubling at first (slow start), then by one after ``CLEAN_ROUNDS`` such rounds, so
  the endpoint is probed for more without spending much time above its capacity;
* when the mean latency climbs beyond that, requests are queueing at the endpoint, and
  Little's law says how many it really serves at once: limit × unloaded / measured
  latency. The limit becomes that (at least one);
* 429, 503, a timeout or a failed request cut it by a tenth at once.

Answers to requests sent before the limit last changed say nothing about the new limit
and are not counted. The limit never goes above the job's worker cap.
"""

from __future__ import annotations

import threading
from collections import deque

TOLERANCE = 1.2
"""A round's mean latency above this multiple of the unloaded one means queueing."""
CLEAN_ROUNDS = 4
"""Rounds at the unloaded latency before the limit grows by one (after slow start): each
probe above capacity costs a round of queueing, so probing less often keeps the limit
nearer the capacity (with 2, a service taking 2 at once saw 2.5 on average)."""
BACKOFF = 0.9
"""The cut on 429, 503, a timeout or an error."""
HISTORY = 50
"""How many recent rounds the unloaded latency is the lowest mean of."""


class AimdLimit:
    """Thread-safe; ``limit`` is how many requests may be in flight now."""

    def __init__(self, *, initial: int = 2, most: int = 64, fixed: int | None = None) -> None:
        """``fixed``: never adapt (a benchmark's fixed setting)."""
        self._most = max(1, most)
        self._fixed = fixed
        self._limit = min(max(1, fixed or initial), self._most)
        self._epoch = 0
        self._slow_start = True
        self._clean = 0
        self._sum = 0.0
        self._count = 0
        self._busiest = 0
        self._means: deque[float] = deque(maxlen=HISTORY)
        self._lock = threading.Lock()

    @property
    def limit(self) -> int:
        return self._limit

    def sent(self) -> int:
        """Call when a request goes out; pass what it returns to :meth:`answered`."""
        return self._epoch

    def answered(self, latency: float, in_flight: int, epoch: int) -> None:
        """An answer after ``latency`` seconds, with ``in_flight`` requests out (itself
        included), to a request sent in ``epoch``."""
        with self._lock:
            if self._fixed or epoch != self._epoch:
                return
            self._sum += latency
            self._count += 1
            self._busiest = max(self._busiest, in_flight)
            if self._count >= self._limit:
                self._end_round()

    def overloaded(self, epoch: int) -> None:
        """429, 503, a timeout or a failed request: back off (once per limit)."""
        with self._lock:
            if not self._fixed and epoch == self._epoch:
                self._slow_start = False
                self._set(max(1, min(self._limit - 1, int(self._limit * BACKOFF))))

    def _end_round(self) -> None:
        mean = self._sum / self._count
        self._means.append(mean)
        unloaded = min(self._means)
        in_use = self._busiest >= self._limit
        self._sum, self._count, self._busiest = 0.0, 0, 0
        if mean > TOLERANCE * unloaded:
            self._slow_start = False
            self._set(max(1, int(self._limit * unloaded / mean + 0.5)))
        elif in_use and self._slow_start:
            self._set(min(self._limit * 2, self._most))
        elif in_use:
            self._clean += 1
            if self._clean >= CLEAN_ROUNDS:
                self._set(min(self._limit + 1, self._most))

    def _set(self, limit: int) -> None:
        if limit != self._limit:
            self._limit = limit
            self._epoch += 1
            self._clean = 0
            self._sum, self._count, self._busiest = 0.0, 0, 0
