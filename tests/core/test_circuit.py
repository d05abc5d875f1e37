from __future__ import annotations

import threading

import pytest

from oilspill_desktop.core.engines.circuit import CircuitBreaker, OutageTooLong
from oilspill_desktop.core.errors import Cancelled
from oilspill_desktop.core.jobs.cancel import CancelToken


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_consecutive_outages_and_one_probe_closes_it() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=3, first_delay=5.0, clock=clock)
    token = CancelToken()
    assert breaker.acquire(token) is False
    assert not breaker.failure("refused", outage=True, probe=False)
    assert not breaker.failure("refused", outage=True, probe=False)
    assert breaker.failure("refused", outage=True, probe=False)
    outage = breaker.outage()
    assert outage is not None and outage.reason == "refused" and outage.next_probe_in == 5.0
    clock.now += 5.0
    assert breaker.acquire(token) is True  # this caller probes
    breaker.success(probe=True)
    assert breaker.outage() is None
    assert breaker.acquire(token) is False


def test_answers_that_are_not_outages_reset_the_count() -> None:
    breaker = CircuitBreaker(threshold=2, clock=Clock())
    breaker.failure("503", outage=True, probe=False)
    breaker.failure("422 not an image", outage=False, probe=False)
    assert not breaker.failure("503", outage=True, probe=False)


def test_failed_probes_back_off_exponentially_up_to_the_cap() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=1, first_delay=1.0, max_delay=4.0, clock=clock)
    breaker.failure("down", outage=True, probe=False)
    delays = []
    for _ in range(4):
        clock.now += 10
        assert breaker.acquire(CancelToken())
        breaker.failure("down", outage=True, probe=True)
        outage = breaker.outage()
        assert outage is not None
        delays.append(outage.next_probe_in)
    assert delays == [2.0, 4.0, 4.0, 4.0]


def test_gives_up_after_the_longest_outage_allowed() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=1, max_outage=60, clock=clock)
    breaker.failure("down", outage=True, probe=False)
    clock.now += 61
    with pytest.raises(OutageTooLong, match="down"):
        breaker.acquire(CancelToken())


def test_the_outage_says_how_long_before_the_job_gives_up() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=1, first_delay=8.0, max_outage=1800, clock=clock)
    breaker.failure("refused", outage=True, probe=False)
    clock.now += 20
    outage = breaker.outage()
    assert outage is not None
    assert outage.gives_up_in == 1780.0
    assert outage.next_probe_in == 0.0
    clock.now += 2000
    outage = breaker.outage()
    assert outage is not None and outage.gives_up_in == 0.0  # never negative


def test_parked_workers_notice_cancel() -> None:
    breaker = CircuitBreaker(threshold=1, first_delay=3600)
    breaker.failure("down", outage=True, probe=False)
    token = CancelToken()
    errors: list[BaseException] = []

    def park() -> None:
        try:
            breaker.acquire(token)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=park)
    worker.start()
    token.cancel()
    breaker.cancel_waiters()
    worker.join(timeout=5)
    assert not worker.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], Cancelled)


def test_a_busy_endpoint_is_parked_until_the_time_it_asked_for_but_is_not_down() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=1, clock=clock)
    assert breaker.busy(2.0) is True  # a busy spell begins
    assert breaker.busy(1.0) is False  # the same spell: said once
    assert breaker.try_acquire() is False
    clock.now += 1.9
    assert breaker.try_acquire() is False
    assert breaker.outage() is None  # busy is not an outage, even at a threshold of one
    clock.now += 0.1
    assert breaker.try_acquire() is None
    assert breaker.busy(1.0) is True  # a new spell


def test_a_cancel_ends_a_wait_for_a_busy_endpoint() -> None:
    breaker = CircuitBreaker()  # the real clock: the wait is real
    breaker.busy(60.0)
    token = CancelToken()
    ended: list[BaseException] = []

    def wait() -> None:
        try:
            breaker.acquire(token)
        except Cancelled as exc:
            ended.append(exc)

    worker = threading.Thread(target=wait)
    worker.start()
    token.cancel()
    breaker.cancel_waiters()
    worker.join(timeout=5)
    assert not worker.is_alive() and len(ended) == 1
