"""The connection test of the Oil Spill AI backend, against the fake backend on 127.0.0.1.

One success and one test per way of failing: each must end in its own verdict, never in
a success, and within the probe's limit.
"""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from oilspill_desktop.core.engines.server.api import ApiOptions
from oilspill_desktop.core.engines.server.probe import (
    MOST_PROBE_SECONDS,
    ProbeOutcome,
    ProbeVerdict,
    ServerProbe,
    probe_limit,
)
from oilspill_desktop.core.errors import Cancelled
from oilspill_desktop.core.inputs.images import decode_image
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.model import Limits, SourceImage
from oilspill_desktop.tools.synthetic import survey_scene
from tests.backend_server import FakeBackend

pytestmark = pytest.mark.integration

SIZE = (96, 80)


def probe_image() -> SourceImage:
    buffer = io.BytesIO()
    survey_scene(0, size=SIZE).image.save(buffer, format="PNG")
    return decode_image(buffer.getvalue(), "test-connection/sar_scene.png", Limits())


def run_probe(url: str, *, limit: float = 10.0, **options: Any) -> ProbeOutcome:
    settings: dict[str, Any] = {"connect_timeout": 2.0, "read_timeout": 5.0, **options}
    probe = ServerProbe(url, ApiOptions(**settings), limit=limit, first_poll=0.02)
    return probe.run(probe_image(), CancelToken())


def jpeg(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_a_working_backend_answers_the_probe_annotated() -> None:
    with FakeBackend(latency=0.05, token="s3cret") as backend:
        outcome = run_probe(backend.url, token="s3cret")
        uploads = backend.stats.uploads
    assert outcome.verdict is ProbeVerdict.OK, outcome
    assert outcome.image_size == SIZE and outcome.image_format == "JPEG"
    assert outcome.oil_fraction is not None and 0.001 < outcome.oil_fraction < 0.5
    # one part of one image, under a unique flat name, as a job packs it
    assert len(uploads) == 1 and len(uploads[0]) == 1
    assert uploads[0][0].startswith("sar_scene-") and uploads[0][0].endswith(".jpg")
    assert 0 < outcome.elapsed < outcome.limit == 10.0


def test_nothing_listening_is_refused() -> None:
    with socket.socket() as spare:
        spare.bind(("127.0.0.1", 0))
        port = spare.getsockname()[1]
    outcome = run_probe(f"http://127.0.0.1:{port}")
    assert outcome.verdict is ProbeVerdict.REFUSED
    assert f"127.0.0.1:{port}" in outcome.detail


def test_no_api_upload_is_not_a_backend() -> None:
    with FakeBackend() as backend:
        outcome = run_probe(backend.url + "/elsewhere")
    assert outcome.verdict is ProbeVerdict.NOT_BACKEND
    assert (outcome.status, outcome.path) == (404, "/api/upload")


@pytest.mark.parametrize("token", ["", "wrong"])
def test_a_missing_or_wrong_token_is_unauthorised(token: str) -> None:
    with FakeBackend(token="s3cret") as backend:
        outcome = run_probe(backend.url, token=token)
    assert outcome.verdict is ProbeVerdict.UNAUTHORIZED and outcome.status == 401
    assert "s3cret" not in outcome.detail


def test_a_500_on_the_upload_is_an_upload_failure() -> None:
    with FakeBackend(upload_errors=1, upload_error_status=500) as backend:
        outcome = run_probe(backend.url)
    assert outcome.verdict is ProbeVerdict.UPLOAD_FAILED
    assert (outcome.status, outcome.path) == (500, "/api/upload")
    assert "Internal Server Error" in outcome.detail


def test_a_503_on_the_upload_is_not_retried_by_the_test() -> None:
    with FakeBackend(upload_errors=1) as backend:
        outcome = run_probe(backend.url)
        uploads = backend.stats.uploads
    assert outcome.verdict is ProbeVerdict.UPLOAD_FAILED and outcome.status == 503
    assert uploads == []  # one attempt: the second upload would have been accepted


def test_a_job_that_never_finishes_ends_at_the_limit() -> None:
    with FakeBackend(never_finish=True) as backend:
        outcome = run_probe(backend.url, limit=0.6)
        polls = backend.stats.status_polls
    assert outcome.verdict is ProbeVerdict.STILL_PENDING
    assert outcome.state == "STARTED" and polls >= 2
    assert 0.6 <= outcome.elapsed < 5.0


def test_a_failed_job_says_why() -> None:
    with FakeBackend(failure="CUDA out of memory") as backend:
        outcome = run_probe(backend.url)
    assert outcome.verdict is ProbeVerdict.JOB_FAILED
    assert "CUDA out of memory" in outcome.detail


def test_the_probe_listed_among_the_errors_says_why() -> None:
    with FakeBackend(fail=("sar_scene",)) as backend:
        outcome = run_probe(backend.url)
    assert outcome.verdict is ProbeVerdict.JOB_FAILED
    assert "ML service returned 500" in outcome.detail


def test_an_empty_result_zip() -> None:
    with FakeBackend(drop=("sar_scene",)) as backend:
        outcome = run_probe(backend.url)
    assert outcome.verdict is ProbeVerdict.EMPTY_RESULT


def test_a_download_that_is_not_a_zip() -> None:
    with FakeBackend(download_body=b"<html>login</html>") as backend:
        outcome = run_probe(backend.url)
    assert outcome.verdict is ProbeVerdict.NOT_A_ZIP
    assert "<html>" in outcome.detail


def test_an_answer_named_after_another_image() -> None:
    with FakeBackend(answer_name=lambda _name: "someone_else.jpg") as backend:
        outcome = run_probe(backend.url)
    assert outcome.verdict is ProbeVerdict.WRONG_IMAGE
    assert "someone_else.jpg" in outcome.detail


def other_picture(_content: bytes) -> bytes:
    noise = np.random.default_rng(7).integers(0, 256, (SIZE[1], SIZE[0], 3), dtype=np.uint8)
    return jpeg(Image.fromarray(noise))


def resized(content: bytes) -> bytes:
    return jpeg(Image.open(io.BytesIO(content)).resize((SIZE[0] * 2, SIZE[1])))


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [
        (other_picture, ProbeVerdict.WRONG_IMAGE),
        (resized, ProbeVerdict.WRONG_SIZE),
        (lambda _content: b"not a picture", ProbeVerdict.UNREADABLE_IMAGE),
    ],
)
def test_an_answer_that_is_not_the_probe_annotated(
    answer: Callable[[bytes], bytes], verdict: ProbeVerdict
) -> None:
    with FakeBackend(answer=answer) as backend:
        outcome = run_probe(backend.url)
    assert outcome.verdict is verdict, outcome
    if verdict is ProbeVerdict.WRONG_SIZE:
        assert outcome.image_size == (SIZE[0] * 2, SIZE[1])
        assert outcome.expected_size == SIZE


def test_settings_that_cannot_be_used(tmp_path: Path) -> None:
    assert run_probe("ftp://example").verdict is ProbeVerdict.BAD_URL
    missing = str(tmp_path / "none.pem")
    outcome = run_probe("https://127.0.0.1:1", verify=missing)
    assert outcome.verdict is ProbeVerdict.BAD_SETTINGS and missing in outcome.detail


def test_an_abort_ends_a_waiting_probe_at_once() -> None:
    with FakeBackend(never_finish=True) as backend:
        probe = ServerProbe(backend.url, ApiOptions(), limit=60.0, first_poll=0.02)
        cancel = CancelToken()
        ended: list[BaseException] = []

        def run() -> None:
            try:
                probe.run(probe_image(), cancel)
            except Cancelled as exc:
                ended.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        while backend.stats.status_polls < 1:
            time.sleep(0.01)
        cancel.cancel()
        probe.abort()
        worker.join(timeout=5)
    assert not worker.is_alive() and len(ended) == 1


def test_the_limit_is_the_request_timeouts_within_the_part_deadline() -> None:
    assert probe_limit(5.0, 60.0, 1800.0) == 65.0
    assert probe_limit(5.0, 600.0, 1800.0) == MOST_PROBE_SECONDS
    assert probe_limit(5.0, 60.0, 30.0) == 30.0
