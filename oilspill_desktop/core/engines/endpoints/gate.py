"""One ML endpoint with the number of requests in flight found, not guessed.

With a single endpoint the job's HTTP engine keeps everything it does on its own (its
retries, its circuit breaker, waiting out an outage, stopping on an address that never
answered): this gate only decides how many of the job's workers may have a request out
at once, with the same limiter the endpoint pool uses (:mod:`.limiter`). A call that
needed retries, or failed in a way a retry could mend, tells the limiter the endpoint is
overloaded; a clean answer tells it its latency.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from ...jobs.cancel import CancelToken
from ...model import EngineAnswer, SourceImage
from ..http_engine import EndpointError, HttpEngine
from .limiter import AimdLimit
from .pool import OVERLOAD_STATUSES, retryable


class AdaptiveGate:
    """An :class:`HttpEngine` behind an adaptive limit; anything else is the engine's."""

    def __init__(self, inner: HttpEngine, *, most: int) -> None:
        self.inner = inner
        self.limit = AimdLimit(most=most)
        self._in_flight = 0
        self._cond = threading.Condition()

    def __getattr__(self, name: str) -> Any:
        # engine, endpoint, outage(), abort(), fingerprint...: the engine's own.
        return getattr(self.inner, name)

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def capacity(self) -> int:
        """How many requests the endpoint is given at once now (the windows of a large
        scene are sent as many at a time)."""
        return self.limit.limit

    def segment(self, image: SourceImage, cancel: CancelToken) -> EngineAnswer:
        in_flight = self._enter(cancel)
        epoch = self.limit.sent()
        started = time.perf_counter()
        try:
            answer = self.inner.segment(image, cancel)
        except EndpointError as exc:
            if exc.status in OVERLOAD_STATUSES or exc.attempts > 1 or retryable(exc):
                self.limit.overloaded(epoch)
            raise
        finally:
            self._leave()
        if answer.attempts > 1:
            self.limit.overloaded(epoch)  # it answered, but only after failures
        else:
            self.limit.answered(time.perf_counter() - started, in_flight, epoch)
        return answer

    def close(self) -> None:
        self.inner.close()

    def _enter(self, cancel: CancelToken) -> int:
        """Wait for room under the limit; return how many are out, this one included."""
        with self._cond:
            while self._in_flight >= self.limit.limit:
                cancel.raise_if_cancelled()
                self._cond.wait(timeout=0.1)
            self._in_flight += 1
            return self._in_flight

    def _leave(self) -> None:
        with self._cond:
            self._in_flight -= 1
            self._cond.notify_all()
