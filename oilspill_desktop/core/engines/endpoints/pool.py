"""Several ML endpoints at once: each image goes where it will be answered soonest.

A survey and an office with three GPU boxes of different speeds: round-robin would wait on
the slowest box for a third of the images. Here each endpoint has a measured latency, a
number of requests it may have in flight (found by :mod:`.limiter`) and a circuit breaker
of its own (:mod:`..circuit`). A worker sends its image to the endpoint with room whose
queue ahead of it is shortest in time (requests in flight × measured latency), so work
spreads by each endpoint's measured rate. An endpoint that looks down (refused, not
resolvable, connect timeout, 502/503/504) is parked by its breaker while the others carry
on, and the image goes to another one without spending a retry; the job waits (and says
so) only when every endpoint is down. One that answers 429 or 503 with ``Retry-After`` is
busy, not down: it is left alone for as long as it asked (its breaker's busy spell) while
the others carry on.

Each endpoint is an :class:`~..http_engine.HttpEngine` of its own, without retries or a
breaker: the pool sees every failed request, so it can send the retry elsewhere and
let the limiter hear of 429 and 503.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ...errors import EndpointUnreachable
from ...jobs.cancel import CancelToken
from ...messages import say
from ...model import EngineAnswer, SourceImage
from ..circuit import CircuitBreaker, Outage, OutageTooLong
from ..http_engine import EndpointError, HttpEngine
from ..urls import display_url
from .limiter import AimdLimit

log = logging.getLogger(__name__)

OUTAGE_STATUSES = frozenset({502, 503, 504})
OUTAGE_VERDICTS = frozenset({"refused", "host not found", "connect timeout"})
OVERLOAD_STATUSES = frozenset({429, 503})
RATE_WINDOW = 10.0
LOG_EVERY = 30.0


@dataclass(frozen=True)
class EndpointRate:
    """One endpoint's figures, for the queue row and the log."""

    url: str
    images_per_second: float
    in_flight: int
    limit: int
    down: bool


class _Slot:
    """One endpoint: its engine, breaker, limit, and what was measured of it."""

    def __init__(self, engine: HttpEngine, breaker: CircuitBreaker, limit: AimdLimit) -> None:
        self.engine = engine
        self.breaker = breaker
        self.limit = limit
        self.url = display_url(engine.endpoint)
        self.in_flight = 0
        self.latency: float | None = None
        """Exponentially weighted mean latency of the answers, seconds."""
        self.answers: deque[float] = deque()
        self.answered = False
        self.unreachable = False
        """Refused (or not resolvable) and never answered: maybe a wrong address."""

    def rate(self, now: float) -> float:
        while self.answers and now - self.answers[0] > RATE_WINDOW:
            self.answers.popleft()
        if not self.answers:
            return 0.0
        return len(self.answers) / max(min(RATE_WINDOW, now - self.answers[0]), 1.0)

    def wait_ahead(self, fallback: float) -> float:
        """Seconds of work queued ahead of a new request here."""
        return (self.in_flight + 1) * (self.latency if self.latency is not None else fallback)


class EndpointPool:
    """An :class:`~..protocol.Engine` over several endpoints; safe across threads."""

    def __init__(
        self,
        engines: Sequence[HttpEngine],
        *,
        retries: int = 3,
        backoff_base: float = 0.1,
        max_outage: float = 1800.0,
        most_in_flight: int = 64,
        fixed_limit: int | None = None,
        stop_when_unreachable: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``engines``: one per endpoint, made without retries or breaker (see the
        module's docstring). ``fixed_limit`` turns adaptation off (benchmarks)."""
        if not engines:
            raise ValueError("an endpoint pool needs at least one endpoint")
        self._slots = [
            _Slot(
                engine,
                CircuitBreaker(max_outage=max(max_outage, 1e-3), clock=clock),
                AimdLimit(most=most_in_flight, fixed=fixed_limit),
            )
            for engine in engines
        ]
        self._retries = max(0, retries)
        self._backoff_base = backoff_base
        self._max_outage = max_outage
        self._stop_when_unreachable = stop_when_unreachable
        self._answered = False
        self._clock = clock
        self._cond = threading.Condition()
        self._last_log = clock()

    @property
    def engine(self) -> str:
        return "http"

    @property
    def endpoint(self) -> str:
        """Every endpoint, in the settings' order: what the report and the job key name."""
        return " ".join(slot.engine.endpoint for slot in self._slots)

    def close(self) -> None:
        self._log_rates("at the end")
        for slot in self._slots:
            slot.engine.close()

    def abort(self) -> None:
        for slot in self._slots:
            slot.engine.abort()
            slot.breaker.cancel_waiters()
        with self._cond:
            self._cond.notify_all()

    def outage(self) -> Outage | None:
        """Set only when every endpoint is down: then the job waits."""
        outages = [slot.breaker.outage() for slot in self._slots]
        if any(outage is None for outage in outages):
            return None
        found = [outage for outage in outages if outage is not None]
        return Outage(
            "; ".join(
                f"{slot.url}: {o.reason}" for slot, o in zip(self._slots, found, strict=True)
            ),
            min(o.since for o in found),
            min(o.next_probe_in for o in found),
            max(o.gives_up_in for o in found),
        )

    def capacity(self) -> int:
        """How many requests the endpoints are given at once now, all together (the
        windows of a large scene are sent as many at a time)."""
        with self._cond:
            return sum(slot.limit.limit for slot in self._slots)

    def rates(self) -> list[EndpointRate]:
        now = self._clock()
        with self._cond:
            return [
                EndpointRate(
                    slot.url,
                    slot.rate(now),
                    slot.in_flight,
                    slot.limit.limit,
                    slot.breaker.outage() is not None,
                )
                for slot in self._slots
            ]

    # -- one image ---------------------------------------------------------------------
    def segment(self, image: SourceImage, cancel: CancelToken) -> EngineAnswer:
        attempt = sent = 0
        while True:
            slot, probe = self._take(cancel)
            epoch = slot.limit.sent()
            started = self._clock()
            sent += 1
            try:
                answer = slot.engine.segment(image, cancel)
            except EndpointError as exc:
                self._give_back(slot)
                cancel.raise_if_cancelled()
                if not self._after_failure(slot, exc, probe, epoch):
                    continue  # that endpoint is parked: the image goes elsewhere, for free
                attempt += 1
                if attempt > self._retries or not (retryable(exc) or _is_outage(exc)):
                    if _is_outage(exc) and self._stop_when_unreachable:
                        raise EndpointUnreachable(exc.message) from None
                    exc.attempts = sent
                    raise
                cancel.sleep(random.uniform(0.0, self._backoff_base * 2 ** (attempt - 1)))
                continue
            except BaseException:
                self._give_back(slot)
                raise
            self._succeeded(slot, probe, epoch, self._clock() - started)
            answer.attempts = sent
            return answer

    def _after_failure(self, slot: _Slot, exc: EndpointError, probe: bool, epoch: int) -> bool:
        """Feed the failure to the endpoint's limiter and breaker; True when it spends one
        of the image's retries (False: an outage there, and the image may go elsewhere)."""
        outage = _is_outage(exc) and exc.retry_after is None  # Retry-After: busy, not down
        if exc.status in OVERLOAD_STATUSES or retryable(exc):
            slot.limit.overloaded(epoch)  # busy, timed out, 5xx, dropped: errors rise
        if outage and exc.verdict in ("refused", "host not found") and not slot.answered:
            slot.unreachable = True
        if exc.retry_after is not None:
            slot.breaker.busy(exc.retry_after)  # its engine says so in the log, once
        slot.breaker.failure(str(exc), outage=outage, probe=probe)
        self._wake()
        if not outage:
            return True
        # Nothing ever answered and every address refuses: a wrong address (the command
        # line stops), not an outage to wait out.
        return (
            self._stop_when_unreachable
            and not self._answered
            and all(s.unreachable for s in self._slots)
        )

    def _succeeded(self, slot: _Slot, probe: bool, epoch: int, latency: float) -> None:
        self._answered = slot.answered = True
        slot.unreachable = False
        slot.breaker.success(probe)
        with self._cond:
            slot.limit.answered(latency, slot.in_flight, epoch)
            slot.latency = latency if slot.latency is None else 0.8 * slot.latency + 0.2 * latency
            slot.answers.append(self._clock())
            slot.in_flight -= 1
            self._cond.notify_all()
        self._maybe_log()

    def _take(self, cancel: CancelToken) -> tuple[_Slot, bool]:
        """Wait for an endpoint with room and take a place there; True when the request
        is its breaker's probe. Raises ``EndpointError`` once every endpoint has been down
        for longer than ``max_outage``."""
        with self._cond:
            while True:
                cancel.raise_if_cancelled()
                chosen = self._choose()
                if chosen is not None:
                    slot, probe = chosen
                    slot.in_flight += 1
                    return slot, probe
                self._cond.wait(timeout=0.1)

    def _choose(self) -> tuple[_Slot, bool] | None:
        known = [s.latency for s in self._slots if s.latency is not None]
        fallback = min(known) if known else 1.0
        best: tuple[float, _Slot, bool] | None = None
        too_long: list[str] = []
        for slot in self._slots:
            if slot.in_flight >= slot.limit.limit:
                continue
            try:
                state = slot.breaker.try_acquire()
            except OutageTooLong as exc:
                too_long.append(str(exc))
                continue
            if state is False:
                continue
            if state is True:
                return slot, True  # a probe goes first: it may bring an endpoint back
            score = slot.wait_ahead(fallback)
            if best is None or score < best[0]:
                best = (score, slot, False)
        if best is None and len(too_long) == len(self._slots):
            minutes = f"{self._max_outage / 60:g}"
            raise EndpointError(
                say("engine.outage_too_long", minutes=minutes, reason="; ".join(too_long)),
                attempts=0,
            )
        return (best[1], best[2]) if best is not None else None

    def _give_back(self, slot: _Slot) -> None:
        with self._cond:
            slot.in_flight -= 1
            self._cond.notify_all()

    def _wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def _maybe_log(self) -> None:
        now = self._clock()
        if now - self._last_log >= LOG_EVERY:
            self._last_log = now
            self._log_rates("now")

    def _log_rates(self, when: str) -> None:
        for rate in self.rates():
            log.info(
                "Endpoint %s %s: %.2f images/s, %d in flight of a limit of %d%s",
                rate.url,
                when,
                rate.images_per_second,
                rate.in_flight,
                rate.limit,
                " (down)" if rate.down else "",
            )


def _is_outage(exc: EndpointError) -> bool:
    return (
        exc.verdict in OUTAGE_VERDICTS
        or exc.status in OUTAGE_STATUSES
        or (exc.message.code == "engine.unreachable")
    )


def retryable(exc: EndpointError) -> bool:
    if exc.status is not None:
        return exc.status >= 500 or exc.status == 429
    return exc.message.code in ("engine.unreachable", "engine.no_answer", "engine.failed")
