"""An endpoint that goes away and comes back: the job waits for it, nothing fails."""

from __future__ import annotations

import dataclasses
import socket
from pathlib import Path

from pytestqt.qtbot import QtBot

from oilspill_desktop.core.config.paths import app_paths
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.jobs.job import JobRequest
from oilspill_desktop.core.model import ItemStatus
from oilspill_desktop.scheduling.job_runner import JobRunner, JobState
from oilspill_desktop.tools.synthetic import write_survey_zip
from tests.endpoint_server import FakeEndpoint


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def settings_for(url: str, *, max_outage_minutes: float = 5.0) -> Settings:
    return Settings(
        engine="http",
        endpoint=url,
        workers=3,
        retries=1,
        connect_timeout=1.0,
        read_timeout=5.0,
        max_outage_minutes=max_outage_minutes,
    )


def run_until_waiting(runner: JobRunner, qtbot: QtBot) -> list[str]:
    states: list[str] = []
    runner.state_changed.connect(states.append)
    runner.start()
    qtbot.waitUntil(lambda: runner.state is JobState.WAITING, timeout=15_000)
    return states


def test_a_job_waits_for_an_endpoint_that_is_not_up_yet(tmp_path: Path, qtbot: QtBot) -> None:
    source = write_survey_zip(tmp_path / "s.zip", 6, size=(32, 32), seed=4)
    port = free_port()
    url = f"http://127.0.0.1:{port}/segment"
    runner = JobRunner(JobRequest(source, settings_for(url), app_paths().ensure()))
    progress: list[object] = []
    runner.progress.connect(progress.append)
    states = run_until_waiting(runner, qtbot)
    waiting = [p for p in progress if getattr(p, "waiting_reason", None)]
    assert waiting and "connection refused" in waiting[-1].waiting_reason  # type: ignore[attr-defined]
    limit = waiting[-1].gives_up_in  # type: ignore[attr-defined]
    assert limit is not None and 4 * 60 < limit <= 5 * 60  # of the 5 minutes allowed
    with (
        FakeEndpoint("ok", port=port) as endpoint,
        qtbot.waitSignal(runner.finished, timeout=30_000) as blocker,
    ):
        pass
    outcome = blocker.args[0]
    assert outcome.state is JobState.DONE, outcome
    assert outcome.ok == 6
    assert endpoint.requests >= 6
    assert "waiting for endpoint" in states and states[-1] == "done"


def test_a_service_answering_503_is_waited_for_then_used(tmp_path: Path, qtbot: QtBot) -> None:
    source = write_survey_zip(tmp_path / "s.zip", 5, size=(32, 32), seed=6)
    with FakeEndpoint("status", status=503) as endpoint:
        runner = JobRunner(JobRequest(source, settings_for(endpoint.url), app_paths().ensure()))
        run_until_waiting(runner, qtbot)
        assert runner.prepared is not None
        assert all(r.status is not ItemStatus.FAILED for r in runner.prepared.records.values())
        with qtbot.waitSignal(runner.finished, timeout=30_000) as blocker:
            endpoint.configure("ok")
    assert blocker.args[0].state is JobState.DONE
    assert blocker.args[0].ok == 5


def test_an_outage_longer_than_allowed_fails_the_images_clearly(
    tmp_path: Path, qtbot: QtBot
) -> None:
    source = write_survey_zip(tmp_path / "s.zip", 3, size=(32, 32), seed=8)
    url = f"http://127.0.0.1:{free_port()}/segment"
    settings = settings_for(url, max_outage_minutes=2 / 60)
    runner = JobRunner(JobRequest(source, settings, app_paths().ensure()))
    with qtbot.waitSignal(runner.finished, timeout=30_000) as blocker:
        runner.start()
    outcome = blocker.args[0]
    assert outcome.state is JobState.DONE_WITH_FAILURES and outcome.failed == 3
    assert runner.prepared is not None
    errors = {r.error for r in runner.prepared.records.values()}
    assert all(e and "stayed unreachable" in e and "connection refused" in e for e in errors), (
        errors
    )


def test_one_image_alone_waits_for_the_outage_instead_of_spending_its_tries(
    tmp_path: Path, qtbot: QtBot
) -> None:
    """With one worker and one retry, the image's two refused tries are all the breaker
    sees: it must open on the last of them, not let the image fail as unreachable."""
    source = write_survey_zip(tmp_path / "s.zip", 1, size=(32, 32), seed=9)
    url = f"http://127.0.0.1:{free_port()}/segment"
    settings = dataclasses.replace(settings_for(url, max_outage_minutes=1 / 60), workers=1)
    runner = JobRunner(JobRequest(source, settings, app_paths().ensure()))
    with qtbot.waitSignal(runner.finished, timeout=30_000):
        runner.start()
    assert runner.prepared is not None
    (record,) = runner.prepared.records.values()
    assert record.error is not None and "stayed unreachable" in record.error
