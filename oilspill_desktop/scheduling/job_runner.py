"""One job on the Qt thread pools: prepare, dispatch images lazily, collect, finish.

Preparation (hashing the input, reading its directory) runs on the global pool; images run
on a pool of the job's own with ``settings.workers`` threads; the results zip is assembled
on the one-thread save pool, the single writer of output files. Members are handed to the
pool only a few at a time, so memory stays flat whatever the size of the archive.

Progress is coalesced: records are batched and announced at most every
``progress_interval_ms``, so a 10,000-image job does not flood the GUI's event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from ..core.config.settings import Settings
from ..core.engines.circuit import Outage
from ..core.engines.endpoints.pool import EndpointRate
from ..core.engines.factory import create_engine
from ..core.engines.protocol import Engine, part_size
from ..core.errors import Cancelled, EndpointUnreachable, InputError, OilSpillError, OutputError
from ..core.jobs.cancel import CancelToken
from ..core.jobs.job import JobRequest, PreparedJob, prepare_job
from ..core.messages import Message, Translate, english, join, plain, say
from ..core.model import ArchiveMember, ItemRecord
from ..core.results.report import ReportSummary
from .pools import save_pool
from .progress import JobProgress, RateMeter
from .tasks import FunctionTask, TaskSignals

log = logging.getLogger(__name__)


class JobState(StrEnum):
    QUEUED = "queued"
    PREPARING = "preparing"
    RUNNING = "running"
    WAITING = "waiting for endpoint"
    PAUSED = "paused"
    FINISHING = "finishing"
    DONE = "done"
    DONE_WITH_FAILURES = "done with failures"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_active(self) -> bool:
        return self in (
            JobState.PREPARING,
            JobState.RUNNING,
            JobState.WAITING,
            JobState.PAUSED,
            JobState.FINISHING,
        )

    @property
    def is_processing(self) -> bool:
        """Images are being dispatched (the endpoint may be down meanwhile)."""
        return self in (JobState.RUNNING, JobState.WAITING)

    @property
    def is_final(self) -> bool:
        return self in (
            JobState.DONE,
            JobState.DONE_WITH_FAILURES,
            JobState.FAILED,
            JobState.CANCELLED,
        )


class MemberQueue:
    """The members still to hand out: a sequence and a cursor.

    A deque of members would make every one of them an object up front (about 330 bytes
    each); the job's pending list is a view over the archive's compact table, so members
    are made here one at a time, as the pool takes them.
    """

    def __init__(self, members: Sequence[ArchiveMember] = ()) -> None:
        self._members = members
        self._next = 0

    def __len__(self) -> int:
        return len(self._members) - self._next

    def popleft(self) -> ArchiveMember:
        if self._next >= len(self._members):
            raise IndexError("pop from an empty queue")
        member = self._members[self._next]
        self._next += 1
        return member

    def clear(self) -> None:
        self._members, self._next = (), 0


@dataclass(frozen=True)
class JobOutcome:
    """How a run ended. ``notes`` say why, one sentence each, translatable by the window;
    ``message`` is the same in English (the log, the command line)."""

    state: JobState
    results_path: Path | None
    notes: tuple[Message, ...]
    ok: int
    failed: int
    skipped: int
    total: int
    with_oil: int = 0
    """Of the ``ok`` images, those that hold oil."""
    summary: ReportSummary | None = None
    """What the written report adds up to (oil share, failed names); None without results."""
    mendable: int = 0
    """Images without a success that another try may mend (Retry sends these again)."""

    @property
    def message(self) -> str | None:
        return " ".join(note.text for note in self.notes) or None


class JobRunner(QObject):
    """Runs one :class:`JobRequest`.

    Signals:
        state_changed(str): the new :class:`JobState` value.
        progress(object): a :class:`JobProgress`, at most every ``progress_interval_ms``.
        items_finished(object): a list of :class:`ItemRecord` finished since the last batch.
        finished(object): a :class:`JobOutcome`, once per run (again after a retry).
    """

    state_changed = Signal(str)
    progress = Signal(object)
    items_finished = Signal(object)
    finished = Signal(object)

    def __init__(
        self,
        request: JobRequest,
        parent: QObject | None = None,
        *,
        engine_factory: Callable[[Settings], Engine] = create_engine,
        progress_interval_ms: int = 100,
        translate: Translate = english,
    ) -> None:
        super().__init__(parent)
        self.request = request
        # Words report.html's reasons and warnings, on a save thread: it must be thread-safe.
        self._translate = translate
        self._engine_factory = engine_factory
        self._state = JobState.QUEUED
        self._job: PreparedJob | None = None
        self._cancel = CancelToken()
        self._queue = MemberQueue()
        self._in_flight = 0
        self._fatal: Message | None = None
        self._pending_records: list[ItemRecord] = []
        self._rate = RateMeter()
        self._outcome: JobOutcome | None = None
        self._closed = False
        self._partial = False
        """The results being written are a cancelled job's (or ``--partial``'s): partial."""
        self._last_progress: JobProgress | None = None
        self._workers = request.settings.workers
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(self._workers)
        # Owned by no QObject, as in run_in_pool: workers still running when this runner
        # is deleted emit on a holder they keep alive, never on one being destroyed; the
        # connections to this runner go with it.
        self._signals = TaskSignals()
        self._signals.succeeded.connect(self._on_task_succeeded)
        self._signals.raised.connect(self._on_task_raised)
        self._timer = QTimer(self)
        self._timer.setInterval(progress_interval_ms)
        self._timer.timeout.connect(self._flush_progress)

    # -- public API -------------------------------------------------------------------
    @property
    def state(self) -> JobState:
        return self._state

    @property
    def outcome(self) -> JobOutcome | None:
        return self._outcome

    @property
    def prepared(self) -> PreparedJob | None:
        return self._job

    @property
    def last_progress(self) -> JobProgress | None:
        return self._last_progress

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def start(self) -> None:
        if self._state is not JobState.QUEUED:
            return
        self._set_state(JobState.PREPARING)
        request, cancel, factory = self.request, self._cancel, self._engine_factory
        QThreadPool.globalInstance().start(
            FunctionTask(
                lambda: prepare_job(request, cancel, engine_factory=factory),
                self._signals,
                "prepare",
            )
        )

    def pause(self) -> None:
        if self._state.is_processing:
            self._set_state(JobState.PAUSED)
            self._flush_progress()

    def resume(self) -> None:
        if self._state is JobState.PAUSED:
            self._rate.restart()
            self._set_state(JobState.RUNNING)
            self._dispatch()

    def cancel(self) -> None:
        """Stop now: the job ends at once, images in flight are abandoned.

        Their finished results are still journalled by the workers, so running the job
        again resumes from them.
        """
        if self._state.is_final:
            return
        if self._state is JobState.QUEUED:
            self._end(JobState.CANCELLED, None, say("job.cancelled_before_start"))
            return
        self._cancel.cancel()
        abort = getattr(self._job.engine if self._job else None, "abort", None)
        if callable(abort):
            abort()
        self._queue.clear()
        self._end(JobState.CANCELLED, None, self._kept_message())

    def retry_failed(self) -> bool:
        """Send the failed images again; on success a new, complete results zip is written.

        The input is reopened (and checked unchanged) off the GUI thread first.
        """
        job = self._job
        if (
            job is None
            or self._in_flight
            or self._state
            not in (
                JobState.DONE_WITH_FAILURES,
                JobState.FAILED,
            )
        ):
            return False
        members = job.failed_members()
        if not members:
            return False
        self._cancel = cancel = CancelToken()
        self._fatal = None
        self._outcome = None
        for member in members:
            job.forget(member.index)
        self._queue = MemberQueue(members)
        self._set_state(JobState.PREPARING)

        def reopen() -> PreparedJob:
            job.reopen(cancel)
            return job

        QThreadPool.globalInstance().start(FunctionTask(reopen, self._signals, "prepare"))
        return True

    def can_save_partial(self) -> bool:
        """True for a cancelled job with finished images whose workers have all returned."""
        job = self._job
        return (
            job is not None
            and self._state is JobState.CANCELLED
            and self._in_flight == 0
            and self._outcome is not None
            and self._outcome.results_path is None
            and job.counts()[0] > 0
        )

    def save_partial(self) -> bool:
        """Write the results of the images a cancelled job finished, the rest listed as not
        processed; the job stays cancelled (and can still be run again to finish).

        The job's folder is locked again for the writing (the cancel let go of it), and
        the input must be unchanged, as for any results.
        """
        job = self._job
        if job is None or not self.can_save_partial():
            return False
        self._cancel = cancel = CancelToken()
        self._partial = True
        self._outcome = None
        self._set_state(JobState.FINISHING)
        translate = self._translate

        def write() -> Path:
            if not job.workspace.lock():
                raise InputError(say("input.busy_now", name=job.request.input_path.name))
            try:
                return job.finish(lambda: cancel.cancelled, partial=True, translate=translate)
            finally:
                job.workspace.unlock()

        save_pool().start(FunctionTask(write, self._signals, "finish"))
        return True

    def wait_drained(self, msecs: int = 5000) -> bool:
        """Block until abandoned workers have stopped (used at exit, never on a live GUI)."""
        return self._pool.waitForDone(msecs)

    # -- internals ----------------------------------------------------------------------
    def _set_state(self, state: JobState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state.value)

    def _counts(self) -> tuple[int, int]:
        return self._job.counts() if self._job is not None else (0, 0)

    def _on_task_succeeded(self, tag: object, result: object) -> None:
        if tag == "prepare":
            self._on_prepared(result)  # type: ignore[arg-type]
        elif tag == "finish":
            self._on_results_written(result)  # type: ignore[arg-type]
        else:
            self._on_item_done(result)  # type: ignore[arg-type]

    def _on_task_raised(self, tag: object, exc: object) -> None:
        if tag == "prepare":
            if isinstance(exc, Cancelled):
                return
            message = (
                exc.message
                if isinstance(exc, OilSpillError)
                else say("item.unexpected", reason=repr(exc))
            )
            if not isinstance(exc, OilSpillError):
                log.error("Preparing %s failed", self.request.input_path, exc_info=exc)  # type: ignore[arg-type]
            self._end(JobState.FAILED, None, message)
        elif tag == "finish":
            self._partial = False
            if isinstance(exc, Cancelled):
                return
            if not isinstance(exc, InputError | OutputError):
                log.error("Writing results failed", exc_info=exc)  # type: ignore[arg-type]
            reason = exc.message if isinstance(exc, OilSpillError) else plain(str(exc))
            self._end(JobState.FAILED, None, reason, self._kept_message())
        else:
            self._in_flight -= 1
            fatal = OutputError | EndpointUnreachable
            if isinstance(exc, fatal) and self._fatal is None:
                self._fatal = exc.message
                self._queue.clear()
            elif not isinstance(exc, Cancelled | fatal):
                log.error("A worker raised unexpectedly", exc_info=exc)  # type: ignore[arg-type]
            self._after_item()

    def _on_prepared(self, job: PreparedJob) -> None:
        retrying = self._job is job
        self._job = job
        if self._state.is_final:  # cancelled while preparing
            self._closed = True
            job.close()
            return
        self._closed = False
        if self.request.partial and not retrying:
            self._partial = bool(len(job.pending))  # with nothing pending it is a plain finish
            if self._partial and not job.counts()[0]:
                self._end(JobState.FAILED, None, say("job.nothing_kept"))
                return
        elif not retrying:
            self._queue = MemberQueue(job.pending)
        self._rate.reset()
        self._set_state(JobState.RUNNING)
        self._timer.start()
        self._flush_progress()
        self._dispatch()
        self._maybe_finish()

    def _dispatch(self) -> None:
        """Keep the pool fed with a small margin; never queue the whole archive."""
        job = self._job
        if job is None:
            return
        part = part_size(job.engine)
        if part:
            self._dispatch_parts(job, part)
            return
        limit = self._workers + 2
        cancel = self._cancel
        while self._state.is_processing and self._queue and self._in_flight < limit:
            member = self._queue.popleft()
            self._in_flight += 1
            self._pool.start(
                FunctionTask(partial(job.process, member, cancel), self._signals, "item")
            )

    def _dispatch_parts(self, job: PreparedJob, size: int) -> None:
        """For an engine that takes parts: one part per worker (each mostly waits on the
        server); ``_in_flight`` then counts parts."""
        cancel = self._cancel
        while self._state.is_processing and self._queue and self._in_flight < self._workers:
            members = [self._queue.popleft() for _ in range(min(size, len(self._queue)))]
            self._in_flight += 1
            self._pool.start(
                FunctionTask(partial(job.process_part, members, cancel), self._signals, "part")
            )

    def _on_item_done(self, done: ItemRecord | list[ItemRecord]) -> None:
        self._in_flight -= 1
        if self._job is not None and not self._state.is_final:
            # the worker has kept them in the job
            self._pending_records.extend(done if isinstance(done, list) else [done])
        self._after_item()

    def _after_item(self) -> None:
        if self._state.is_final:
            if self._in_flight == 0:
                self.close()
            return
        self._dispatch()
        self._maybe_finish()

    def _maybe_finish(self) -> None:
        if self._in_flight or not (self._state.is_processing or self._state is JobState.PAUSED):
            return
        if self._fatal is not None:
            self._end(JobState.FAILED, None, self._fatal, self._kept_message())
            return
        if self._queue:
            return
        job = self._job
        assert job is not None
        self._flush_progress()
        self._set_state(JobState.FINISHING)
        cancel, partial, translate = self._cancel, self._partial, self._translate
        save_pool().start(
            FunctionTask(
                lambda: job.finish(lambda: cancel.cancelled, partial=partial, translate=translate),
                self._signals,
                "finish",
            )
        )

    def _on_results_written(self, path: Path) -> None:
        ok, failed = self._counts()
        reasons = self._job.target.fallback_reason if self._job else None
        if self._partial:
            self._partial = False
            total = self._job.total_images if self._job else 0
            note = say(
                "job.partial_saved", count=ok, missing=str(total - ok - failed), total=str(total)
            )
            self._end(JobState.CANCELLED, path, note, *(reasons or ()))
            return
        state = JobState.DONE_WITH_FAILURES if failed else JobState.DONE
        self._end(state, path, *(reasons or ()))

    def _kept_message(self) -> Message:
        ok, _ = self._counts()
        if ok == 0:
            return say("job.nothing_kept")
        return say("job.kept", count=ok)

    def _end(self, state: JobState, path: Path | None, *notes: Message | str | None) -> None:
        self._flush_progress()
        self._timer.stop()
        ok, failed = self._counts()
        job = self._job
        skipped = job.archive.skipped_count if job else 0
        total = job.total_images if job else 0
        self._outcome = JobOutcome(
            state,
            path,
            join(*notes),
            ok,
            failed,
            skipped,
            total,
            with_oil=job.with_oil if job else 0,
            summary=job.summary if job and path is not None else None,
            mendable=job.mendable if job else 0,
        )
        if self._in_flight == 0:
            self.close()  # no handle on the input between runs: the user may move it
        self._set_state(state)
        self.finished.emit(self._outcome)

    def _flush_progress(self) -> None:
        job = self._job
        if job is None:
            return
        if self._pending_records:
            batch, self._pending_records = self._pending_records, []
            self.items_finished.emit(batch)
        outage = self._outage()
        if outage is not None and self._state is JobState.RUNNING:
            log.warning(
                "%s: the endpoint is down (%s); waiting for it",
                job.request.input_path.name,
                outage.reason,
            )
            self._set_state(JobState.WAITING)
        elif outage is None and self._state is JobState.WAITING:
            log.info("%s: the endpoint is back", job.request.input_path.name)
            self._rate.restart()
            self._set_state(JobState.RUNNING)
        ok, failed = self._counts()
        total = job.total_images
        rate = self._rate.sample(ok + failed - job.resumed)
        remaining = total - ok - failed
        eta = remaining / rate if rate > 0 else None
        tiles = job.scene_tiles
        progress = JobProgress(
            ok=ok,
            failed=failed,
            total=total,
            in_flight=self._in_flight,
            images_per_second=rate,
            eta_seconds=eta if remaining else 0.0,
            elapsed_seconds=self._rate.elapsed,
            resumed=job.resumed,
            waiting_reason=outage.reason if outage else None,
            next_try_in=outage.next_probe_in if outage else None,
            gives_up_in=outage.gives_up_in if outage else None,
            with_oil=job.with_oil,
            endpoint_rates=self._endpoint_rates(),
            tiles_done=tiles[0] if tiles else 0,
            tiles_total=tiles[1] if tiles else 0,
        )
        if progress != self._last_progress:
            self._last_progress = progress
            self.progress.emit(progress)

    def _endpoint_rates(self) -> tuple[EndpointRate, ...]:
        rates = getattr(self._job.engine, "rates", None) if self._job is not None else None
        return tuple(rates()) if callable(rates) and self._state.is_processing else ()

    def _outage(self) -> Outage | None:
        job = self._job
        probe = getattr(job.engine, "outage", None) if job is not None else None
        if not callable(probe) or not self._state.is_processing:
            return None
        result = probe()
        return result if isinstance(result, Outage) else None

    def close(self) -> None:
        """Release the input and the engine once no worker is using them."""
        if self._job is not None and self._in_flight == 0 and not self._closed:
            self._closed = True
            self._job.close()
