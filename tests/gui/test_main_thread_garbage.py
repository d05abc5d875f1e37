"""Cyclic garbage made on a worker is collected on the main thread while the loop runs."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest

from oilspill_desktop.scheduling.garbage import MainThreadCollector, due_generation

pytestmark = pytest.mark.gui


class Node:
    """A cycle that says on which thread it was finalised."""

    finalised_on: list[str] = []  # noqa: RUF012 (a record shared by the test's nodes)

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        Node.finalised_on.append(threading.current_thread().name)


@pytest.fixture
def collector(qapp) -> Iterator[MainThreadCollector]:
    made = MainThreadCollector(interval_ms=20)
    yield made
    made.stop()
    made.deleteLater()


def test_the_thresholds_pick_the_oldest_generation_due() -> None:
    assert due_generation((10, 0, 0), (700, 10, 10)) == -1
    assert due_generation((701, 3, 0), (700, 10, 10)) == 0
    assert due_generation((701, 11, 2), (700, 10, 10)) == 1
    assert due_generation((701, 11, 11), (700, 10, 10)) == 2
    assert due_generation((10, 11, 11), (700, 10, 10)) == -1  # young ones not full yet


def test_cycles_dropped_on_a_worker_are_collected_on_the_main_thread(
    qtbot, collector: MainThreadCollector
) -> None:
    assert not gc.isenabled()
    Node.finalised_on.clear()
    refs: list[weakref.ref[Node]] = []

    def work() -> None:
        for _ in range(50):
            refs.append(weakref.ref(Node()))
        # allocations far past the thresholds: the interpreter would collect here
        junk = [[object()] for _ in range(100_000)]
        del junk

    worker = threading.Thread(target=work, name="pool-like-worker")
    worker.start()
    worker.join()
    assert all(ref() is not None for ref in refs)  # nothing was collected on the worker
    gc.collect()  # what the timer does once the counts are due, done at once here
    assert all(ref() is None for ref in refs)
    assert set(Node.finalised_on) == {threading.main_thread().name}


def test_the_timer_collects_when_a_generation_is_due(qtbot, collector: MainThreadCollector) -> None:
    ref = weakref.ref(Node())
    assert ref() is not None
    threshold = gc.get_threshold()[0]
    filler = [[] for _ in range(threshold + 1)]  # generation 0 now past its threshold
    qtbot.waitUntil(lambda: ref() is None, timeout=5000)
    del filler


def test_stopping_gives_collection_back_to_the_interpreter(qapp) -> None:
    made = MainThreadCollector(interval_ms=20)
    assert not gc.isenabled()
    made.stop()
    assert gc.isenabled()
    made.deleteLater()
