"""Pool threads run below the scheduling thread in the window only, never in the CLI."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator

import pytest

from oilspill_desktop.scheduling import tasks

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice")


@pytest.fixture(autouse=True)
def restore_niceness() -> Iterator[None]:
    yield
    tasks.set_worker_niceness(0)


def niceness_in_a_new_thread() -> tuple[int, int]:
    seen: list[int] = []

    def run() -> None:
        tid = threading.get_native_id()
        seen.append(os.getpriority(os.PRIO_PROCESS, tid))
        tasks.lower_worker_priority()
        seen.append(os.getpriority(os.PRIO_PROCESS, tid))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return seen[0], seen[1]


def test_the_command_line_keeps_workers_at_normal_priority() -> None:
    tasks.set_worker_niceness(0)  # the default; only the window's create_application raises it
    before, after = niceness_in_a_new_thread()
    assert after == before


def test_the_window_lowers_workers() -> None:
    tasks.set_worker_niceness(3)
    before, after = niceness_in_a_new_thread()
    assert after == min(19, before + 3)
