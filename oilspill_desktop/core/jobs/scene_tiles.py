"""The windows of a large scene segmented several at once, handed back in their order.

A 20,000² scene is some two hundred windows; sent to an endpoint one after another they
take minutes while the endpoint could answer several at once. So the windows go to a
few threads of the scene's own, and the scene's worker (the one writer of its mask)
takes the answers back strictly in the scene's order:

* **How many at once** is the job's :class:`TileBudget`: for an endpoint, what its
  adaptive limit allows at the moment (the gate's or the pool's, see
  :mod:`..engines.endpoints`), up to :data:`ENDPOINT_MOST`; for a local engine, the job's
  worker count, up to :data:`LOCAL_MOST` (what memory allows). It is shared
  by every large scene of the job, so four scenes on four workers still segment at most
  that many windows at once (the memory of a window in work is the engine's, tens of MB).
  A window is read only once it has its place, so waiting windows hold no pixels.
* **Back-pressure**: at most :data:`AHEAD` times the budget's threads of windows are
  given out beyond the last one taken back, so when the writer lags, the threads wait
  instead of piling up answers.
* **Stopping**: a cancel, or the first window that fails, stops the others at their next
  check (they are handed a token of the scene's own, so an endpoint's retries and waits
  stop too); the failure is what the caller sees, and no thread outlives the scene.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

from .cancel import CancelToken

In = TypeVar("In")
Out = TypeVar("Out")

LOCAL_MOST = 2
"""Windows a local engine segments at once, whatever the job's workers: each holds the
engine's working memory on a 1792² window, and a local engine already keeps the cores
busy on one. Four at a time a 20,000² scene peaked at 1406 MB with the learned model
(883 MB one at a time), too close to the 1.5 GB target for machines whose allocator
keeps more per thread; figures for two are in the README (bench_large_scene.py)."""
ENDPOINT_MOST = 16
"""Windows sent to endpoints at once at most, whatever their adaptive limit: each holds
its pixels, amplitude and upload while it is out (some 25 MB for a 1792² window)."""
PREPARING = 2
"""Windows of an endpoint's read and encoded beyond its limit, to go out as soon as a
request comes back: the adaptive limit grows only while it is used up."""
POLL_SECONDS = 0.1
"""How often a waiting writer or window looks at the cancel token."""
AHEAD = 2
"""Windows given out at most, as a multiple of the threads: those in work and as many
finished or waiting for a place."""


class TileBudget:
    """How many windows of large scenes one job segments at once; thread-safe.

    ``threads`` is the most there can ever be (the threads each scene starts); ``room``
    says how many may be in work now (an endpoint's adaptive limit changes as it is
    measured), at least one.
    """

    def __init__(self, threads: int, room: Callable[[], int] | None = None) -> None:
        self.threads = max(1, threads)
        self._room = room if room is not None else (lambda: self.threads)
        self._busy = 0
        self._cond = threading.Condition()

    @property
    def busy(self) -> int:
        return self._busy

    def room(self) -> int:
        return max(1, min(self.threads, self._room()))

    def take(self, cancel: CancelToken) -> None:
        """Wait for a place; raises ``Cancelled`` when ``cancel`` is set meanwhile."""
        with self._cond:
            while self._busy >= self.room():
                cancel.raise_if_cancelled()
                self._cond.wait(timeout=POLL_SECONDS)
            self._busy += 1

    def give_back(self) -> None:
        with self._cond:
            self._busy -= 1
            self._cond.notify_all()


def in_order(
    items: Iterable[In],
    work: Callable[[In, CancelToken], Out],
    cancel: CancelToken,
    budget: TileBudget,
) -> Generator[Out, None, None]:
    """``work`` done on each of ``items`` by the budget's threads, yielded in the items'
    order. The first failure (in the items' order, among those that failed) is raised
    as soon as it is known; ``Cancelled`` within :data:`POLL_SECONDS` of ``cancel``.
    Close the iterator (or exhaust it): closing stops and joins the threads."""
    scene = CancelToken()  # the scene's own: set when it stops for any reason

    def run(item: In) -> Out:
        scene.raise_if_cancelled()
        budget.take(scene)
        try:
            scene.raise_if_cancelled()
            return work(item, scene)
        finally:
            budget.give_back()

    source = iter(items)
    pending: deque[Future[Out]] = deque()
    pool = ThreadPoolExecutor(max_workers=budget.threads, thread_name_prefix="scene-window")
    try:
        while True:
            _give_out(pool, run, source, pending, AHEAD * budget.threads)
            if not pending:
                return
            _wait_for_head(pending, cancel, scene)
            yield pending.popleft().result()
    finally:
        scene.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _give_out(
    pool: ThreadPoolExecutor,
    run: Callable[[In], Out],
    source: Iterator[In],
    pending: deque[Future[Out]],
    most: int,
) -> None:
    while len(pending) < most:
        for item in source:
            pending.append(pool.submit(run, item))
            break
        else:
            return


def _wait_for_head(pending: deque[Future[Out]], cancel: CancelToken, scene: CancelToken) -> None:
    """Wait until the first window is done; raise the earliest failure or a cancel."""
    while True:
        if cancel.cancelled:
            scene.cancel()
            cancel.raise_if_cancelled()
        failed = next((f for f in pending if f.done() and f.exception() is not None), None)
        if failed is not None:
            scene.cancel()
            failed.result()  # raises the window's own error
        if pending[0].done():
            return
        wait([f for f in pending if not f.done()], POLL_SECONDS, FIRST_COMPLETED)
