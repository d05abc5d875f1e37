"""``process --endpoint-kind`` and ``--max-outage`` in a subprocess against fake endpoints on
127.0.0.1, and ``mask_source`` kept across a job killed and resumed."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.endpoint_server import FakeEndpoint

from .cli_helpers import kill_process_midway, read_report, run_cli
from .test_oilspill_ai_service import UNIQUE_NAME, encoded, marked_scene, write_zip

pytestmark = pytest.mark.integration


def png_survey(path: Path, count: int) -> Path:
    """PNG members with dark slicks: a generic upload of them is a PNG, not a JPEG."""
    return write_zip(
        path, {f"pass/{i:02d}.png": encoded(marked_scene(i)[0], "PNG") for i in range(count)}
    )


def test_endpoint_kind_oilspill_ai_sends_jpeg_from_the_first_upload(
    tmp_path: Path, app_home: Path
) -> None:
    source = png_survey(tmp_path / "kind.zip", 3)
    with FakeEndpoint("oilspill_ai") as endpoint:
        result = run_cli(
            "process", source, "--endpoint", endpoint.url, "--endpoint-kind", "oilspill-ai",
            "--workers", "1", "-q", home=app_home, timeout=60,
        )  # fmt: skip
        received = endpoint.received
    assert result.returncode == 0, result.stderr
    # No PNG tried first (as "auto" would): three uploads, each a JPEG named .jpg.
    assert len(received) == 3
    assert all(UNIQUE_NAME.match(r.filename or "") for r in received)
    assert all((r.filename or "").endswith(".jpg") for r in received)
    assert all(r.content_type == "image/jpeg" for r in received)
    report = read_report(tmp_path / "kind_results.zip")
    assert all(i["status"] == "ok" and i["mask_source"] == "derived" for i in report["items"])


def test_endpoint_kind_generic_sends_png_the_service_cannot_answer(
    tmp_path: Path, app_home: Path
) -> None:
    """Told "generic", the job never switches to JPEG: the Oil Spill AI service fails every
    image with its 500 (so the option really decides what is sent)."""
    source = png_survey(tmp_path / "generic.zip", 2)
    with FakeEndpoint("oilspill_ai") as endpoint:
        result = run_cli(
            "process", source, "--endpoint", endpoint.url, "--endpoint-kind", "generic",
            "--workers", "1", "--retries", "0", "-q", home=app_home, timeout=60,
        )  # fmt: skip
        received = endpoint.received
    assert result.returncode == 1, result.stderr
    assert len(received) == 2
    assert all((r.filename or "").endswith(".png") for r in received)
    report = read_report(tmp_path / "generic_results.zip")
    assert all(
        i["status"] == "failed" and "500 Internal Server Error" in i["error"]
        for i in report["items"]
    )


def test_max_outage_is_how_long_the_job_waits_for_a_service_that_is_down(
    tmp_path: Path, app_home: Path
) -> None:
    """A service answering 503 opens the circuit; the job waits --max-outage (3 s here, not
    the default 30 minutes), then fails its images saying so."""
    source = png_survey(tmp_path / "down.zip", 2)
    started = time.monotonic()
    with FakeEndpoint("status", status=503) as endpoint:
        result = run_cli(
            "process", source, "--endpoint", endpoint.url, "--max-outage", "0.05",
            "--workers", "1", "--retries", "3", "-q", home=app_home, timeout=90,
        )  # fmt: skip
        requests = endpoint.requests
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    assert 3.0 <= elapsed < 60, elapsed
    assert requests >= 4  # three outage failures open the circuit, then probes
    report = read_report(tmp_path / "down_results.zip")
    for item in report["items"]:
        assert item["status"] == "failed", item
        assert "stayed unreachable for 0.05 minutes" in item["error"], item["error"]


def test_mask_source_survives_a_killed_and_resumed_job(tmp_path: Path, app_home: Path) -> None:
    images = 16
    source = write_zip(
        tmp_path / "resume.zip",
        {f"pass/{i:02d}.jpg": encoded(marked_scene(i)[0], "JPEG") for i in range(images)},
    )
    with FakeEndpoint("oilspill_ai,latency", latency=0.1) as endpoint:
        kill_process_midway(
            app_home, endpoint, images // 2,
            "process", source, "--endpoint", endpoint.url, "--endpoint-kind", "oilspill-ai",
            "--workers", "2", "-q",
        )  # fmt: skip
        assert not (tmp_path / "resume_results.zip").exists(), "finished before the kill"
        again = run_cli(
            "process", source, "--endpoint", endpoint.url, "--endpoint-kind", "oilspill-ai",
            "-v", home=app_home, timeout=60,
        )  # fmt: skip
    assert again.returncode == 0, again.stderr
    found = re.search(r"Resuming resume\.zip: (\d+) of 16 images already done", again.stderr)
    assert found and int(found[1]) > 0, again.stderr
    report = read_report(tmp_path / "resume_results.zip")
    assert report["counts"]["ok"] == images
    # Images done before the kill come back from the journal still marked "derived".
    assert [i["mask_source"] for i in report["items"]] == ["derived"] * images
