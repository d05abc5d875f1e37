"""A circuit breaker: when the endpoint is down, wait for it instead of failing every image.

Field links drop and services restart. Without this, a 5,000-image job against an
endpoint that is down for two minutes would burn every image's retries in seconds and end
with 5,000 failures. With it, after a few consecutive outage-type failures (refused,
unresolvable, connect timeouts, 502/503/504) the circuit *opens*: workers park, one probe
at a time tries the endpoint with growing pauses, and the first success closes the
circuit and lets everyone go on. Attempts made while the circuit is open do not count
against an image's retries. After ``max_outage`` seconds the job gives up with a clear
message rather than waiting forever.

An endpoint that answers 429 or 503 with ``Retry-After`` is up but busy: :meth:`busy`
parks every request until the time it asked for, without counting towards an outage.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import Cancelled
from ..jobs.cancel import CancelToken


class OutageTooLong(Exception):
    """The endpoint stayed unreachable for longer than allowed."""


@dataclass(frozen=True)
class Outage:
    """What the scheduler shows while the circuit is open."""

    reason: str
    since: float
    next_probe_in: float
    gives_up_in: float = 0.0
    """Seconds left of the ``max_outage`` the job waits before it gives up (shown so the
    user knows whether to fix the service now or let the job fail)."""


OUTAGE_FAILURES = 3
"""Failed attempts in a row, none answered, after which an endpoint is taken for down."""


class CircuitBreaker:
    def __init__(
        self,
        *,
        threshold: int = OUTAGE_FAILURES,
        first_delay: float = 1.0,
        max_delay: float = 60.0,
        max_outage: float = 1800.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._threshold = max(1, threshold)
        self._first_delay = first_delay
        self._max_delay = max(first_delay, max_delay)
        self._max_outage = max_outage
        self._clock = clock
        self._cond = threading.Condition()
        self._consecutive = 0
        self._open_since: float | None = None
        self._next_probe = 0.0
        self._delay = first_delay
        self._probing = False
        self._reason = ""
        self._busy_until = 0.0

    def outage(self) -> Outage | None:
        with self._cond:
            if self._open_since is None:
                return None
            now = self._clock()
            return Outage(
                self._reason,
                self._open_since,
                max(0.0, self._next_probe - now),
                max(0.0, self._open_since + self._max_outage - now),
            )

    def acquire(self, cancel: CancelToken) -> bool:
        """Wait until a request may be sent; True when this caller is the circuit's probe.

        Raises :class:`OutageTooLong` once the outage has lasted ``max_outage`` seconds.
        """
        with self._cond:
            while True:
                parked = self._open_since is not None or self._clock() < self._busy_until
                if parked and cancel.cancelled:
                    raise Cancelled("cancelled")
                state = self._poll()
                if state is not False:
                    return bool(state)
                now = self._clock()
                if now < self._busy_until:
                    wait = self._busy_until - now
                else:
                    wait = self._next_probe - now if not self._probing else 0.25
                self._cond.wait(timeout=min(max(wait, 0.01), 0.25))

    def try_acquire(self) -> bool | None:
        """:meth:`acquire` without waiting: ``None`` while the circuit is closed (send),
        ``True`` when this caller is the probe, ``False`` while parked.

        Raises :class:`OutageTooLong` once the outage has lasted ``max_outage`` seconds.
        """
        with self._cond:
            return self._poll()

    def _poll(self) -> bool | None:
        """What :meth:`try_acquire` says; the caller holds the lock."""
        now = self._clock()
        if now < self._busy_until:
            return False
        if self._open_since is None:
            return None
        if now - self._open_since > self._max_outage:
            raise OutageTooLong(self._reason)
        if not self._probing and now >= self._next_probe:
            self._probing = True
            return True
        return False

    def success(self, probe: bool) -> None:
        with self._cond:
            self._consecutive = 0
            self._delay = self._first_delay
            self._open_since = None
            if probe:
                self._probing = False
            self._cond.notify_all()

    def failure(self, reason: str, *, outage: bool, probe: bool) -> bool:
        """Record a failed attempt; True when the circuit is (now) open."""
        with self._cond:
            if probe:
                self._probing = False
            if not outage:
                # The endpoint answered: it is up, even if it disliked this image.
                self._consecutive = 0
                if probe:
                    self._open_since = None
                    self._delay = self._first_delay
                    self._cond.notify_all()
                return False
            self._consecutive += 1
            self._reason = reason
            now = self._clock()
            if self._open_since is None and self._consecutive >= self._threshold:
                self._open_since = now
                self._delay = self._first_delay
                self._next_probe = now + self._delay
            elif self._open_since is not None and probe:
                self._delay = min(self._delay * 2, self._max_delay)
                self._next_probe = now + self._delay
            self._cond.notify_all()
            return self._open_since is not None

    def busy(self, seconds: float) -> bool:
        """The endpoint asked to be left alone for ``seconds`` (429 or 503 with
        ``Retry-After``): park every request until then. It answered, so it is up: this is
        not a failure and does not count towards an outage. True when a busy spell begins
        (it was not busy already)."""
        with self._cond:
            now = self._clock()
            began = now >= self._busy_until
            self._busy_until = max(self._busy_until, now + max(0.0, seconds))
            self._cond.notify_all()
            return began

    def cancel_waiters(self) -> None:
        """Wake parked workers so they notice their cancel tokens."""
        with self._cond:
            self._cond.notify_all()
