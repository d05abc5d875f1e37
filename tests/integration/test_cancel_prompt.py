"""Cancel cuts requests in flight: a hanging endpoint does not hold the workers."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from oilspill_desktop.core.config.paths import app_paths
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.engines.http_engine import HttpEngine
from oilspill_desktop.core.errors import Cancelled
from oilspill_desktop.core.inputs.images import decode_image
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.job import JobRequest
from oilspill_desktop.core.model import Limits
from oilspill_desktop.core.results.png import encode_png
from oilspill_desktop.scheduling.job_runner import JobRunner, JobState
from oilspill_desktop.tools.synthetic import write_survey_zip
from tests.endpoint_server import FakeEndpoint


def test_abort_interrupts_a_request_waiting_on_a_silent_server() -> None:
    source = decode_image(encode_png(Image.new("L", (16, 16), 90)), "a.png", Limits())
    with FakeEndpoint("hang", hang_max=30.0) as endpoint:
        engine = HttpEngine(endpoint.url, read_timeout=30.0, retries=0)
        cancel = CancelToken()
        outcome: list[BaseException] = []

        def run() -> None:
            try:
                engine.segment(source, cancel)
            except BaseException as exc:
                outcome.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        deadline = time.monotonic() + 10
        while endpoint.requests == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        cancel.cancel()
        engine.abort()
        worker.join(timeout=5)  # far below the 30 s the server would hang
        assert not worker.is_alive()
        engine.close()
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)


@pytest.mark.integration
def test_cancelled_job_frees_its_workers_promptly(tmp_path: Path, qtbot: QtBot) -> None:
    source = write_survey_zip(tmp_path / "s.zip", 8, size=(32, 32), seed=5)
    with FakeEndpoint("hang", hang_max=30.0) as endpoint:
        # Four requests hang at once (a fixed number: the adaptive limit would start at 2).
        settings = Settings(
            engine="http",
            endpoint=endpoint.url,
            workers=4,
            read_timeout=30.0,
            adaptive_concurrency=False,
        )
        runner = JobRunner(JobRequest(source, settings, app_paths().ensure()))
        runner.start()
        qtbot.waitUntil(lambda: endpoint.requests >= 4, timeout=10_000)
        with qtbot.waitSignal(runner.finished, timeout=2_000) as blocker:
            runner.cancel()
        assert blocker.args[0].state is JobState.CANCELLED
        qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=5_000)
        assert endpoint.requests == 4
