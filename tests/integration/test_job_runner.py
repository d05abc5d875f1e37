"""The scheduler on real Qt thread pools, with an engine the test controls."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from oilspill_desktop.core.config.paths import app_paths
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.errors import EngineError
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.job import JobRequest
from oilspill_desktop.core.jobs.record_store import RecordStore
from oilspill_desktop.core.model import EngineAnswer, ItemRecord, ItemStatus, SourceImage
from oilspill_desktop.core.results.results_zip import previous_path
from oilspill_desktop.scheduling.job_queue import JobQueue
from oilspill_desktop.scheduling.job_runner import JobRunner, JobState
from oilspill_desktop.scheduling.progress import RateMeter
from oilspill_desktop.tools.synthetic import write_survey_zip


class ScriptedEngine:
    """Answers an empty mask; can be held at a gate, and fails the names it is told to."""

    engine = "builtin"
    endpoint = None

    def __init__(self, fail: set[str] | None = None, oil: set[str] | None = None) -> None:
        self.gate = threading.Event()
        self.gate.set()
        self.fail = fail or set()
        self.oil = oil or set()
        self.calls: list[str] = []
        self._lock = threading.Lock()
        self.closed = False

    def segment(self, image: SourceImage, cancel: CancelToken) -> EngineAnswer:
        with self._lock:
            self.calls.append(image.path)
        while not self.gate.wait(0.01):
            cancel.raise_if_cancelled()
        if image.path in self.fail:
            raise EngineError(f"refused {image.path}")
        mask = Image.new("L", image.pixels.size, 0)
        if image.path in self.oil:
            mask.paste(255, (0, 0, 4, 4))  # 16 oil pixels
        return EngineAnswer(mask)

    def close(self) -> None:
        self.closed = True


def request_for(tmp_path: Path, count: int, workers: int = 2) -> JobRequest:
    source = write_survey_zip(tmp_path / "s.zip", count, size=(32, 32), seed=1)
    return JobRequest(source, Settings(workers=workers), app_paths().ensure())


def runner_with(engine: ScriptedEngine, request: JobRequest, qtbot: QtBot) -> JobRunner:
    return JobRunner(request, engine_factory=lambda _s: engine, progress_interval_ms=20)


def test_runs_all_images_and_reports_progress(tmp_path: Path, qtbot: QtBot) -> None:
    engine = ScriptedEngine()
    runner = runner_with(engine, request_for(tmp_path, 12), qtbot)
    seen: list[int] = []
    runner.progress.connect(lambda p: seen.append(p.processed))
    with qtbot.waitSignal(runner.finished, timeout=20_000) as blocker:
        runner.start()
    outcome = blocker.args[0]
    assert outcome.state is JobState.DONE
    assert (outcome.ok, outcome.failed, outcome.total) == (12, 0, 12)
    assert outcome.results_path is not None and outcome.results_path.is_file()
    assert seen == sorted(seen) and seen[-1] == 12
    assert len(engine.calls) == 12


def test_records_are_written_by_the_workers_not_the_scheduling_thread(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record store writes to a file: the scheduler's thread (the GUI's) never does."""
    writers: set[str] = set()
    real_put = RecordStore.put

    def spying_put(store: RecordStore, record: ItemRecord) -> ItemStatus | None:
        writers.add(threading.current_thread().name)
        return real_put(store, record)

    monkeypatch.setattr(RecordStore, "put", spying_put)
    runner = runner_with(ScriptedEngine(), request_for(tmp_path, 8), qtbot)
    with qtbot.waitSignal(runner.finished, timeout=20_000) as blocker:
        runner.start()
    assert blocker.args[0].ok == 8
    assert writers and threading.main_thread().name not in writers


def test_pause_holds_dispatch_and_resume_finishes(tmp_path: Path, qtbot: QtBot) -> None:
    engine = ScriptedEngine()
    engine.gate.clear()
    runner = runner_with(engine, request_for(tmp_path, 10, workers=2), qtbot)
    runner.start()
    qtbot.waitUntil(lambda: len(engine.calls) == 2, timeout=10_000)
    runner.pause()
    assert runner.state is JobState.PAUSED
    engine.gate.set()
    qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=10_000)
    held = len(engine.calls)
    assert held < 10
    with qtbot.waitSignal(runner.finished, timeout=20_000):
        runner.resume()
    assert len(engine.calls) == 10


def test_cancel_ends_the_job_at_once_with_work_in_flight(tmp_path: Path, qtbot: QtBot) -> None:
    engine = ScriptedEngine()
    engine.gate.clear()
    runner = runner_with(engine, request_for(tmp_path, 20), qtbot)
    runner.start()
    qtbot.waitUntil(lambda: len(engine.calls) >= 2, timeout=10_000)
    with qtbot.waitSignal(runner.finished, timeout=1_000) as blocker:
        runner.cancel()
    assert blocker.args[0].state is JobState.CANCELLED
    assert blocker.args[0].results_path is None
    qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=5_000)
    assert engine.closed
    assert len(engine.calls) < 20


def test_retry_failed_resends_only_failures_and_writes_a_new_zip(
    tmp_path: Path, qtbot: QtBot
) -> None:
    engine = ScriptedEngine(fail={"survey/scene_001.png", "survey/scene_003.png"})
    runner = runner_with(engine, request_for(tmp_path, 5), qtbot)
    with qtbot.waitSignal(runner.finished, timeout=20_000) as first:
        runner.start()
    assert first.args[0].state is JobState.DONE_WITH_FAILURES
    assert first.args[0].failed == 2
    engine.fail.clear()
    engine.calls.clear()
    with qtbot.waitSignal(runner.finished, timeout=20_000) as second:
        assert runner.retry_failed()
    assert sorted(engine.calls) == ["survey/scene_001.png", "survey/scene_003.png"]
    outcome = second.args[0]
    assert outcome.state is JobState.DONE and outcome.ok == 5
    # One current results zip: the retry's replaces the first, which is kept once.
    assert outcome.results_path == first.args[0].results_path
    assert outcome.results_path is not None
    assert previous_path(outcome.results_path).is_file()
    assert runner.prepared is not None
    assert all(r.status is ItemStatus.OK for r in runner.prepared.records.values())


def test_images_with_oil_are_counted_as_the_job_runs_and_after_a_retry(
    tmp_path: Path, qtbot: QtBot
) -> None:
    oily = {"survey/scene_000.png", "survey/scene_002.png", "survey/scene_003.png"}
    engine = ScriptedEngine(fail={"survey/scene_003.png"}, oil=oily)
    runner = runner_with(engine, request_for(tmp_path, 5), qtbot)
    seen: list[int] = []
    runner.progress.connect(lambda p: seen.append(p.with_oil))
    with qtbot.waitSignal(runner.finished, timeout=20_000) as first:
        runner.start()
    outcome = first.args[0]
    assert (outcome.ok, outcome.failed, outcome.with_oil) == (4, 1, 2)
    assert seen == sorted(seen) and seen[-1] == 2
    summary = outcome.summary
    assert summary is not None
    assert (summary.with_oil, summary.oil_pixels, summary.imaged_pixels) == (2, 32, 4 * 32 * 32)
    assert summary.failed_names == ["survey/scene_003.png"]
    engine.fail.clear()
    with qtbot.waitSignal(runner.finished, timeout=20_000) as second:
        assert runner.retry_failed()
    outcome = second.args[0]
    assert (outcome.ok, outcome.failed, outcome.with_oil) == (5, 0, 3)
    assert outcome.summary is not None and outcome.summary.with_oil == 3
    assert runner.last_progress is not None and runner.last_progress.with_oil == 3


def test_queue_runs_jobs_one_after_another(tmp_path: Path, qtbot: QtBot) -> None:
    engine = ScriptedEngine()
    queue = JobQueue(1, engine_factory=lambda _s: engine, progress_interval_ms=20)
    paths = app_paths().ensure()
    runners = []
    for name in ("a", "b", "c"):
        source = write_survey_zip(tmp_path / f"{name}.zip", 2, size=(16, 16), seed=2)
        runners.append(queue.add(JobRequest(source, Settings(), paths)))
    assert [r.state for r in runners[1:]] == [JobState.QUEUED, JobState.QUEUED]
    with qtbot.waitSignal(queue.idle, timeout=20_000):
        pass
    assert [r.state for r in runners] == [JobState.DONE] * 3
    assert queue.totals() == (0, 0)  # nothing left to do: no overall progress to show


def test_overall_progress_counts_only_jobs_still_to_finish(tmp_path: Path, qtbot: QtBot) -> None:
    quick, held = ScriptedEngine(), ScriptedEngine()
    held.gate.clear()
    engines = {1: quick, 2: held}  # told apart by their jobs' worker counts
    queue = JobQueue(1, engine_factory=lambda s: engines[s.workers], progress_interval_ms=20)
    paths = app_paths().ensure()
    first = queue.add(
        JobRequest(
            write_survey_zip(tmp_path / "a.zip", 2, size=(16, 16)), Settings(workers=1), paths
        )
    )
    second = queue.add(
        JobRequest(
            write_survey_zip(tmp_path / "b.zip", 4, size=(16, 16)), Settings(workers=2), paths
        )
    )
    emitted: list[tuple[int, int]] = []
    queue.overall_progress.connect(lambda done, total: emitted.append((done, total)))
    qtbot.waitUntil(
        lambda: first.state is JobState.DONE and second.last_progress is not None, timeout=20_000
    )
    # The finished job's 2 of 2 would make it read 33 % while the running one is at 0 %.
    assert queue.totals() == (0, 4)
    assert emitted[-1] == (0, 4)
    with qtbot.waitSignal(queue.idle, timeout=20_000):
        held.gate.set()
    assert queue.totals() == (0, 0) and emitted[-1] == (0, 0)


def test_speed_after_a_pause_is_measured_from_the_resume() -> None:
    meter = RateMeter(window=10.0)
    now = [0.0]
    meter._clock = lambda: now[0]
    meter.reset()
    for second in range(11):  # 10 images a second
        now[0] = float(second)
        meter.sample(10 * second)
    for second in range(11, 71):  # a minute paused: the count stands still
        now[0] = float(second)
        meter.sample(100)
    meter.restart()
    for step in range(1, 5):  # resumed: 10 images a second again
        now[0] = 70 + step * 0.5
        rate = meter.sample(100 + 5 * step)
    assert rate == pytest.approx(10.0)
    assert meter.elapsed == pytest.approx(72.0)  # the job's own time is kept


def test_an_input_that_is_not_a_zip_fails_the_job_with_its_reason(
    tmp_path: Path, qtbot: QtBot
) -> None:
    bogus = tmp_path / "bogus.zip"
    bogus.write_bytes(b"not a zip at all")
    runner = JobRunner(JobRequest(bogus, Settings(), app_paths().ensure()))
    with qtbot.waitSignal(runner.finished, timeout=10_000) as blocker:
        runner.start()
    assert blocker.args[0].state is JobState.FAILED
    assert "bogus.zip" in (blocker.args[0].message or "")


def test_the_same_archive_twice_at_once_runs_once(tmp_path: Path, qtbot: QtBot) -> None:
    engine = ScriptedEngine()
    engine.gate.clear()
    request = request_for(tmp_path, 4)
    first = runner_with(engine, request, qtbot)
    second = runner_with(ScriptedEngine(), request, qtbot)
    first.start()
    qtbot.waitUntil(lambda: first.state is JobState.RUNNING, timeout=10_000)
    with qtbot.waitSignal(second.finished, timeout=10_000) as blocker:
        second.start()
    assert blocker.args[0].state is JobState.FAILED
    assert "already being processed" in (blocker.args[0].message or "")
    with qtbot.waitSignal(first.finished, timeout=20_000) as done:
        engine.gate.set()
    assert done.args[0].state is JobState.DONE


def test_results_fall_back_to_the_data_folder_when_the_output_folder_goes(
    tmp_path: Path, qtbot: QtBot
) -> None:
    engine = ScriptedEngine()
    engine.gate.clear()
    source = write_survey_zip(tmp_path / "s.zip", 3, size=(16, 16), seed=9)
    out = tmp_path / "out"
    paths = app_paths().ensure()
    runner = runner_with(engine, JobRequest(source, Settings(), paths, output_folder=out), qtbot)
    runner.start()
    qtbot.waitUntil(lambda: len(engine.calls) >= 1, timeout=10_000)
    out.rmdir()
    out.write_bytes(b"a file where the folder was")  # the folder can no longer take files
    with qtbot.waitSignal(runner.finished, timeout=20_000) as blocker:
        engine.gate.set()
    outcome = blocker.args[0]
    assert outcome.state is JobState.DONE
    assert outcome.results_path == paths.fallback_output_dir / "s_results.zip"
    assert outcome.message and str(paths.fallback_output_dir) in outcome.message
