"""The batch queue: jobs run one after another, or a few side by side as the settings say.

Both the window and ``oilspill-desktop process`` drive their jobs through this class.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from ..core.config.settings import Settings
from ..core.engines.factory import create_engine
from ..core.engines.protocol import Engine
from ..core.jobs.job import JobRequest
from ..core.messages import Translate, english
from .job_runner import JobOutcome, JobRunner, JobState


class JobQueue(QObject):
    """Owns the :class:`JobRunner` of every queued job.

    Signals:
        job_added(object): a new :class:`JobRunner` (not started yet).
        job_removed(object): a runner that was removed from the queue.
        job_finished(object, object): ``(runner, outcome)`` when a run ends.
        overall_progress(int, int): images processed and images known, across the jobs
            still to finish (running, waiting, paused or queued); finished jobs do not count,
            or a survey's progress would read 90 % while its running job is at 13 %.
        idle(): no job is running or waiting any more.
    """

    job_added = Signal(object)
    job_removed = Signal(object)
    job_finished = Signal(object, object)
    overall_progress = Signal(int, int)
    idle = Signal()

    def __init__(
        self,
        concurrent_jobs: int = 1,
        parent: QObject | None = None,
        *,
        engine_factory: Callable[[Settings], Engine] = create_engine,
        progress_interval_ms: int = 100,
        translate: Translate = english,
    ) -> None:
        """``translate`` words the reasons and warnings of each job's ``report.html``:
        the window passes its translation, the command line keeps English."""
        super().__init__(parent)
        self._concurrent = max(1, concurrent_jobs)
        self._translate = translate
        self._runners: list[JobRunner] = []
        self._factory = engine_factory
        self._interval = progress_interval_ms

    @property
    def runners(self) -> list[JobRunner]:
        return list(self._runners)

    def set_concurrent_jobs(self, count: int) -> None:
        self._concurrent = max(1, count)
        self._start_next()

    def add(self, request: JobRequest, *, start: bool = True) -> JobRunner:
        runner = JobRunner(
            request,
            self,
            engine_factory=self._factory,
            progress_interval_ms=self._interval,
            translate=self._translate,
        )
        runner.finished.connect(lambda outcome, r=runner: self._on_finished(r, outcome))
        runner.progress.connect(lambda _p: self._emit_overall())
        runner.state_changed.connect(lambda _s, r=runner: self._on_state(r))
        self._runners.append(runner)
        self.job_added.emit(runner)
        if start:
            self._start_next()
        return runner

    def remove(self, runner: JobRunner) -> bool:
        """Forget a job that is not running; its results stay where they are."""
        if runner.state.is_active or runner.in_flight:
            return False
        if runner in self._runners:
            self._runners.remove(runner)
            runner.close()
            self.job_removed.emit(runner)
            self._emit_overall()
            runner.deleteLater()
        return True

    def start_pending(self) -> None:
        self._start_next()

    def has_unfinished(self) -> bool:
        return any(r.state.is_active or r.state is JobState.QUEUED for r in self._runners)

    def cancel_all(self) -> None:
        for runner in list(self._runners):
            runner.cancel()

    def wait_drained(self, msecs: int = 5000) -> None:
        for runner in self._runners:
            runner.wait_drained(msecs)

    def totals(self) -> tuple[int, int]:
        """(processed, total) images of the jobs not finished yet; (0, 0) when none are."""
        processed = total = 0
        for runner in self._runners:
            progress = runner.last_progress
            if progress is not None and not runner.state.is_final:
                processed += progress.processed
                total += progress.total
        return processed, total

    def _on_state(self, runner: JobRunner) -> None:
        if runner.state is JobState.RUNNING:
            self._emit_overall()
        self._start_next()

    def _on_finished(self, runner: JobRunner, outcome: JobOutcome) -> None:
        self.job_finished.emit(runner, outcome)
        self._emit_overall()
        self._start_next()
        if not self.has_unfinished():
            self.idle.emit()

    def _start_next(self) -> None:
        busy = sum(1 for r in self._runners if r.state.is_active)
        for runner in self._runners:
            if busy >= self._concurrent:
                break
            if runner.state is JobState.QUEUED:
                busy += 1
                runner.start()

    def _emit_overall(self) -> None:
        self.overall_progress.emit(*self.totals())
