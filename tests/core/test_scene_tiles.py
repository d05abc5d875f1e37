"""Windows segmented several at once and taken back in order (jobs/scene_tiles.py).

No test here waits on the clock: the work items block on events the test sets, and what
is checked is what was started, in what order results came, and what was stopped.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.engines.classical import ClassicalEngine
from oilspill_desktop.core.engines.endpoints.gate import AdaptiveGate
from oilspill_desktop.core.engines.http_engine import HttpEngine
from oilspill_desktop.core.errors import Cancelled, ItemError
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.job import scene_budget
from oilspill_desktop.core.jobs.scene_tiles import (
    AHEAD,
    ENDPOINT_MOST,
    LOCAL_MOST,
    PREPARING,
    TileBudget,
    in_order,
)

WAIT = 10.0  # a bound that only a hang reaches


def window_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("scene-window")]


def test_results_come_in_order_when_the_work_finishes_last_first() -> None:
    go = [threading.Event() for _ in range(4)]
    finished: list[int] = []
    lock = threading.Lock()

    def work(item: int, token: CancelToken) -> int:
        assert go[item].wait(WAIT)
        with lock:
            finished.append(item)
        if item > 0:
            go[item - 1].set()  # each lets the one before it finish: 3, 2, 1, 0
        return item * 10

    go[3].set()
    results = list(in_order(range(4), work, CancelToken(), TileBudget(4)))
    assert finished == [3, 2, 1, 0]
    assert results == [0, 10, 20, 30]
    assert not window_threads()


def test_no_more_are_in_work_than_the_budget_has_room_for_across_scenes() -> None:
    busy = most = arrived = 0
    lock = threading.Condition()
    room = [2]

    def work(item: int, token: CancelToken) -> int:
        nonlocal busy, most, arrived
        with lock:
            busy += 1
            arrived += 1
            mine = arrived
            most = max(most, busy)
            lock.notify_all()
            # Stay in work until another comes in (more would, if the budget let them);
            # the last one left alone goes on after a while.
            if busy < 2:
                lock.wait_for(lambda: arrived > mine, timeout=1.0)
            busy -= 1
        return item

    budget = TileBudget(6, lambda: room[0])  # an endpoint's limit, below the threads
    results: list[list[int]] = [[], []]

    def scene(index: int) -> None:
        results[index] = list(in_order(range(40), work, CancelToken(), budget))

    scenes = [threading.Thread(target=scene, args=(i,)) for i in range(2)]
    for thread in scenes:
        thread.start()
    for thread in scenes:
        thread.join(WAIT)
    assert results == [list(range(40)), list(range(40))]
    assert most == 2
    assert budget.busy == 0
    assert budget.room() == 2
    room[0] = 0
    assert budget.room() == 1  # never below one


def test_a_writer_that_lags_holds_the_windows_given_out_to_a_bound() -> None:
    pulled = 0

    def items() -> Iterator[int]:
        nonlocal pulled
        for item in range(100):
            pulled += 1
            yield item

    answers = in_order(items(), lambda item, token: item, CancelToken(), TileBudget(3))
    assert next(answers) == 0
    assert pulled == AHEAD * 3  # the rest wait until the writer takes more
    assert next(answers) == 1
    assert pulled == AHEAD * 3 + 1
    answers.close()
    assert not window_threads()


def test_the_first_failure_fails_at_once_and_stops_the_others() -> None:
    stopped = threading.Event()
    started = threading.Event()

    def work(item: int, token: CancelToken) -> int:
        if item == 0:  # still in work when item 2 fails
            started.set()
            try:
                token.sleep(WAIT)
            except Cancelled:
                stopped.set()
                raise
        if item == 2:
            assert started.wait(WAIT)
            raise ItemError("window 2 is broken")
        return item

    with pytest.raises(ItemError, match="window 2 is broken"):
        list(in_order(range(50), work, CancelToken(), TileBudget(3)))
    assert stopped.is_set()  # item 0 was told to stop, not waited out
    assert not window_threads()


def test_a_cancel_stops_the_windows_in_work_promptly() -> None:
    cancel = CancelToken()
    in_work = threading.Semaphore(0)
    stopped: list[int] = []
    lock = threading.Lock()

    def work(item: int, token: CancelToken) -> int:
        in_work.release()
        try:
            token.sleep(WAIT)
        except Cancelled:
            with lock:
                stopped.append(item)
            raise
        return item

    def cancel_when_busy() -> None:
        for _ in range(2):
            assert in_work.acquire(timeout=WAIT)
        cancel.cancel()

    canceller = threading.Thread(target=cancel_when_busy)
    canceller.start()
    with pytest.raises(Cancelled):
        list(in_order(range(10), work, cancel, TileBudget(2)))
    canceller.join(WAIT)
    assert sorted(stopped) == [0, 1]
    assert not window_threads()


def test_one_thread_does_the_windows_one_after_another() -> None:
    seen: list[int] = []

    def work(item: int, token: CancelToken) -> int:
        seen.append(item)
        return -item

    assert list(in_order(range(5), work, CancelToken(), TileBudget(1))) == [0, -1, -2, -3, -4]
    assert seen == [0, 1, 2, 3, 4]


def test_a_job_gives_an_endpoint_its_adaptive_limit_and_a_local_engine_its_workers() -> None:
    settings = Settings(engine="http", workers=3, concurrent_jobs=2)
    gate = AdaptiveGate(HttpEngine("http://127.0.0.1:9/segment"), most=6)
    try:
        budget = scene_budget(gate, settings)
        assert budget.threads == 6 + PREPARING  # the requests the job may have out
        assert gate.limit.limit == 2  # the limit starts low, then grows
        assert budget.room() == 2 + PREPARING
        gate.limit.answered(0.1, 2, gate.limit.sent())
        gate.limit.answered(0.1, 2, gate.limit.sent())
        assert gate.limit.limit == 4
        assert budget.room() == 4 + PREPARING
    finally:
        gate.close()
    local = scene_budget(ClassicalEngine(), Settings(engine="classical", workers=1))
    assert local.threads == local.room() == 1
    local = scene_budget(ClassicalEngine(), Settings(engine="classical", workers=3))
    assert local.threads == local.room() == min(3, LOCAL_MOST)


def test_memory_bounds_the_windows_at_once_whatever_the_workers() -> None:
    many = Settings(engine="http", workers=64, concurrent_jobs=2)
    engine = HttpEngine("http://127.0.0.1:9/segment")
    try:
        assert scene_budget(engine, many).threads == ENDPOINT_MOST
    finally:
        engine.close()
    local = scene_budget(ClassicalEngine(), Settings(engine="classical", workers=64))
    assert local.threads == LOCAL_MOST
