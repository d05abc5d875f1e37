"""Progress figures of a job: counts, throughput over a sliding window, and an ETA."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

from ..core.engines.endpoints.pool import EndpointRate


@dataclass(frozen=True)
class JobProgress:
    ok: int
    failed: int
    total: int
    in_flight: int
    images_per_second: float
    eta_seconds: float | None
    elapsed_seconds: float
    resumed: int = 0
    waiting_reason: str | None = None
    """Set while the endpoint is down and the job waits for it."""
    next_try_in: float | None = None
    gives_up_in: float | None = None
    """While waiting: seconds left before the job stops waiting for the endpoint."""
    with_oil: int = 0
    """Of the ``ok`` images, those that hold oil."""
    endpoint_rates: tuple[EndpointRate, ...] = ()
    """With several endpoints: each one's rate, requests in flight and limit."""
    tiles_done: int = 0
    tiles_total: int = 0
    """Windows done and in all of the large scene being segmented (0 and 0 when none is):
    such a scene can take minutes, and the images' counts would stand still meanwhile."""

    @property
    def processed(self) -> int:
        return self.ok + self.failed

    @property
    def fraction(self) -> float:
        """Images done, and the share of the large scene in hand."""
        scene = self.tiles_done / self.tiles_total if self.tiles_total else 0.0
        return min(1.0, (self.processed + scene) / self.total) if self.total else 0.0


class RateMeter:
    """Images per second over the last ``window`` seconds: steady, yet quick to react."""

    def __init__(self, window: float = 10.0) -> None:
        self._window = window
        self._samples: deque[tuple[float, int]] = deque()
        self._clock = time.monotonic
        self._started = self._clock()

    def reset(self) -> None:
        self._samples.clear()
        self._started = self._clock()

    def restart(self) -> None:
        """Measure the speed afresh from now, keeping the elapsed time.

        After a pause (or a wait for the endpoint) the samples from before it would make
        the speed look low, and the time left long, until they slid out of the window.
        """
        self._samples.clear()

    @property
    def elapsed(self) -> float:
        return self._clock() - self._started

    def sample(self, processed: int) -> float:
        now = self._clock()
        self._samples.append((now, processed))
        while len(self._samples) > 2 and now - self._samples[0][0] > self._window:
            self._samples.popleft()
        first_t, first_n = self._samples[0]
        span = now - first_t
        if span < 0.2:
            return 0.0
        return (processed - first_n) / span
