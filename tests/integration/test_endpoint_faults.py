"""Every way an endpoint fails, end to end through the real scheduler, read from report.json.

Each test runs a whole job (JobRunner on Qt's thread pools, the HTTP engine the settings
build) against a real server on 127.0.0.1 that fails on purpose, then opens the results
zip and checks each image's fate and the sentence the user will read. Nothing here leaves
127.0.0.1: the DNS failure is a patched resolver that refuses every name it is asked.
The circuit breaker is off (``max_outage_minutes=0``) except where a test says otherwise,
so each fault's own message reaches the report.
"""

from __future__ import annotations

import contextlib
import logging
import random
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from oilspill_desktop.core.config.paths import app_paths
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.jobs.job import JobRequest
from oilspill_desktop.scheduling.job_runner import JobOutcome, JobRunner, JobState
from oilspill_desktop.tools.synthetic import write_survey_zip
from tests.endpoint_server import FakeEndpoint

from .cli_helpers import read_report

pytestmark = pytest.mark.integration

IMAGES = 4
SIZE = 48
TOKEN = "faults-T0ken-8c1e0a"
MADE_UP_HOST = "engine.oilspill-test.invalid"


def http_settings(url: str, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "engine": "http",
        "endpoint": url,
        "connect_timeout": 0.5,
        "read_timeout": 2.0,
        "retries": 1,
        "workers": IMAGES,
        "max_outage_minutes": 0.0,
        "api_token": TOKEN,
    }
    values.update(changes)
    return Settings(**values)


def run_job(
    tmp_path: Path, qtbot: QtBot, settings: Settings, *, images: int = IMAGES
) -> tuple[JobOutcome, dict[str, Any]]:
    """Process a fresh survey through JobRunner; return the outcome and the report."""
    source = write_survey_zip(tmp_path / "faults.zip", images, size=(SIZE, SIZE), seed=5)
    runner = JobRunner(JobRequest(source, settings, app_paths().ensure()), progress_interval_ms=20)
    with qtbot.waitSignal(runner.finished, timeout=30_000) as blocker:
        runner.start()
    outcome: JobOutcome = blocker.args[0]
    qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=10_000)
    assert outcome.results_path is not None, outcome.message
    with zipfile.ZipFile(outcome.results_path) as bundle:
        for name in bundle.namelist():  # report.json and report.csv alike, unpacked
            assert TOKEN.encode() not in bundle.read(name), f"the token is in {name}"
    return outcome, read_report(outcome.results_path)


def items(report: dict[str, Any]) -> list[dict[str, Any]]:
    found = [i for i in report["items"] if i["status"] != "skipped"]
    assert len(found) == report["counts"]["images"]
    return found


def assert_all_failed(
    outcome: JobOutcome, report: dict[str, Any], *fragments: str, attempts: int | None = None
) -> list[dict[str, Any]]:
    assert outcome.state is JobState.DONE_WITH_FAILURES
    assert (outcome.ok, outcome.failed) == (0, IMAGES)
    assert report["counts"]["failed"] == IMAGES
    failed = items(report)
    for item in failed:
        assert item["status"] == "failed"
        assert item["mask"] is None and item["overlay"] is None
        error = item["error"]
        assert error and error.endswith("."), error
        for fragment in fragments:
            assert fragment in error, (fragment, error)
        assert TOKEN not in error
        if attempts is not None:
            assert item["attempts"] == attempts, item
    return failed


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- cannot connect ------------------------------------------------------------------------


def test_refused_connection_fails_each_image_saying_so(tmp_path: Path, qtbot: QtBot) -> None:
    url = f"http://127.0.0.1:{free_port()}/segment"
    outcome, report = run_job(tmp_path, qtbot, http_settings(url))
    assert_all_failed(
        outcome,
        report,
        "The engine could not be reached",
        f"connection refused to {url}",
        "gave up after 2 attempts",
        attempts=2,
    )


def test_refused_connection_with_the_breaker_on_ends_after_the_allowed_outage(
    tmp_path: Path, qtbot: QtBot
) -> None:
    """The default has the breaker on: the job waits, then fails, naming the cause."""
    url = f"http://127.0.0.1:{free_port()}/segment"
    settings = http_settings(url, retries=2, max_outage_minutes=0.01)  # 0.6 s
    outcome, report = run_job(tmp_path, qtbot, settings)
    assert_all_failed(outcome, report, "connection refused", url)


@pytest.fixture
def resolver_that_knows_no_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """getaddrinfo refuses every name but 127.0.0.1 (nothing is ever really resolved)."""
    asked: list[str] = []
    original = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        text = host.decode() if isinstance(host, bytes) else str(host)
        if text == "127.0.0.1":
            return original(host, *args, **kwargs)
        asked.append(text)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_unresolvable_host_fails_each_image_naming_the_host(
    tmp_path: Path, qtbot: QtBot, resolver_that_knows_no_names: list[str]
) -> None:
    url = f"http://{MADE_UP_HOST}:8002/segment"
    outcome, report = run_job(tmp_path, qtbot, http_settings(url))
    assert_all_failed(
        outcome,
        report,
        f"the host name '{MADE_UP_HOST}' could not be resolved",
        "gave up after 2 attempts",
        attempts=2,
    )
    assert set(resolver_that_knows_no_names) == {MADE_UP_HOST}


def test_untrusted_certificate_fails_at_once_without_sending(
    tmp_path: Path, qtbot: QtBot, certificate: tuple[str, str]
) -> None:
    with FakeEndpoint("ok", tls=certificate) as ep:
        outcome, report = run_job(tmp_path, qtbot, http_settings(ep.url, retries=3))
        assert ep.requests == 0  # the handshake failed: no image left the machine
    assert_all_failed(outcome, report, "TLS certificate verification failed", attempts=1)


def test_a_trusted_custom_ca_makes_the_same_endpoint_work(
    tmp_path: Path, qtbot: QtBot, certificate: tuple[str, str]
) -> None:
    with FakeEndpoint("ok", tls=certificate) as ep:
        settings = http_settings(ep.url, ca_bundle=certificate[0])
        outcome, report = run_job(tmp_path, qtbot, settings)
    assert outcome.state is JobState.DONE
    assert report["counts"]["ok"] == IMAGES


@contextlib.contextmanager
def silent_listener() -> Iterator[str]:
    """A port whose accept queue is full: a SYN gets no answer, so connecting times out.

    listen(0) lets the kernel complete one or two handshakes nobody accepts; the sockets
    below fill that queue, and later connection attempts wait in SYN_SENT.
    """
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    fillers: list[socket.socket] = []
    try:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = int(server.getsockname()[1])
        for _ in range(4):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", port))
            fillers.append(filler)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.2)
            try:
                probe.connect(("127.0.0.1", port))
            except TimeoutError:
                pass
            else:
                pytest.skip("this kernel completes connections beyond a full accept queue")
        yield f"http://127.0.0.1:{port}/segment"
    finally:
        for filler in fillers:
            filler.close()
        server.close()


def test_connect_timeout_fails_each_image_saying_so(tmp_path: Path, qtbot: QtBot) -> None:
    with silent_listener() as url:
        settings = http_settings(url, connect_timeout=0.3, retries=1)
        outcome, report = run_job(tmp_path, qtbot, settings)
    assert_all_failed(
        outcome,
        report,
        f"timed out after 0.3 s connecting to {url}",
        "gave up after 2 attempts",
        attempts=2,
    )


# -- connects, then fails ------------------------------------------------------------------


def test_read_timeout_fails_each_image_saying_so(tmp_path: Path, qtbot: QtBot) -> None:
    with FakeEndpoint("latency", latency=5.0) as ep:
        settings = http_settings(ep.url, read_timeout=0.3, retries=0)
        outcome, report = run_job(tmp_path, qtbot, settings)
    assert_all_failed(
        outcome,
        report,
        "The engine did not answer",
        f"timed out after 0.3 s waiting for an answer from {ep.url}",
        attempts=1,
    )


def test_endpoint_hanging_forever_does_not_hang_the_job(tmp_path: Path, qtbot: QtBot) -> None:
    with FakeEndpoint("hang", hang_max=60.0) as ep:
        settings = http_settings(ep.url, read_timeout=0.3, retries=1)
        outcome, report = run_job(tmp_path, qtbot, settings)
        assert ep.requests == 2 * IMAGES
    assert_all_failed(
        outcome,
        report,
        "timed out after 0.3 s waiting for an answer",
        "gave up after 2 attempts",
        attempts=2,
    )


def test_connection_dropped_mid_answer_is_retried_then_reported(
    tmp_path: Path, qtbot: QtBot
) -> None:
    with FakeEndpoint("drop") as ep:
        outcome, report = run_job(tmp_path, qtbot, http_settings(ep.url))
        assert ep.requests == 2 * IMAGES
    assert_all_failed(
        outcome,
        report,
        f"the connection was dropped mid-answer by {ep.url}",
        "gave up after 2 attempts",
        attempts=2,
    )


def test_server_error_is_retried_then_reported_with_what_came_back(
    tmp_path: Path, qtbot: QtBot
) -> None:
    with FakeEndpoint("status", status=500, echo_headers=True) as ep:
        outcome, report = run_job(tmp_path, qtbot, http_settings(ep.url))
        assert ep.requests == 2 * IMAGES
        assert all(r.headers.get("authorization") == f"Bearer {TOKEN}" for r in ep.received)
    # The server echoed the Authorization header into its error body; the report must not.
    assert_all_failed(
        outcome,
        report,
        "The engine failed: it answered 500 Internal Server Error",
        "Status 500 on purpose",
        attempts=2,
    )


def test_429_waits_as_long_as_retry_after_says_then_succeeds(
    tmp_path: Path, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="oilspill_desktop.core.engines.http_engine")
    with FakeEndpoint("rate_limit", rate_limit_n=2, retry_after="0.3") as ep:
        outcome, report = run_job(tmp_path, qtbot, http_settings(ep.url, retries=1))
        assert ep.requests == IMAGES + 2
    assert outcome.state is JobState.DONE
    assert report["counts"]["ok"] == IMAGES
    assert sorted(i["attempts"] for i in items(report)) == [1, 1, 2, 2]
    messages = [r.getMessage() for r in caplog.records]
    busy = [m for m in messages if "is busy" in m]
    # said once per busy spell (the two 429s normally fall in one), never per request
    assert 1 <= len(busy) <= 2 and not any("retrying in" in m for m in messages)
    assert all("429 Too Many Requests" in m and "for 0.3 s (Retry-After)" in m for m in busy)


def test_429_that_never_ends_is_reported(tmp_path: Path, qtbot: QtBot) -> None:
    with FakeEndpoint("rate_limit", rate_limit_n=1000, retry_after="0.05") as ep:
        outcome, report = run_job(tmp_path, qtbot, http_settings(ep.url))
    assert_all_failed(outcome, report, "429 Too Many Requests", "Too many requests", attempts=2)


# -- answers that are not masks ------------------------------------------------------------


@pytest.mark.parametrize(
    ("behaviour", "fragments"),
    [
        (
            "not_image",
            (
                "The engine did not answer with a picture",
                "200 OK with application/json instead of an image",
            ),
        ),
        (
            "truncated",
            ("The engine's answer is not a readable picture", "200 OK with image/png"),
        ),
        ("wrong_content_type", ("200 OK with text/plain instead of an image",)),
    ],
)
def test_a_200_that_is_not_a_usable_picture_fails_without_retrying(
    tmp_path: Path, qtbot: QtBot, behaviour: str, fragments: tuple[str, ...]
) -> None:
    with FakeEndpoint(behaviour) as ep:
        outcome, report = run_job(tmp_path, qtbot, http_settings(ep.url, retries=3))
        assert ep.requests == IMAGES  # the same question would get the same answer
    assert_all_failed(outcome, report, *fragments, attempts=1)


def test_a_mask_of_the_wrong_size_is_resized_and_says_so(tmp_path: Path, qtbot: QtBot) -> None:
    with FakeEndpoint("wrong_size") as ep:
        outcome, report = run_job(tmp_path, qtbot, http_settings(ep.url))
    assert outcome.state is JobState.DONE
    assert report["counts"] == {"images": IMAGES, "ok": IMAGES, "failed": 0, "skipped": 0}
    half = SIZE // 2
    for item in items(report):
        assert item["status"] == "ok" and item["mask"] and item["overlay"]
        assert (item["width"], item["height"]) == (SIZE, SIZE)
        assert (
            f"The engine's mask was {half}x{half} for a {SIZE}x{SIZE} image; it was resized."
            in item["warnings"]
        )


# -- flaky, but alive ----------------------------------------------------------------------


def requests_needed(images: int, share: float, seed: int) -> int:
    """How many requests the endpoint sees: its draws decide which requests fail."""
    draws = random.Random(seed)
    requests = successes = 0
    while successes < images:
        requests += 1
        successes += draws.random() >= share
    return requests


def test_thirty_percent_random_failures_all_end_ok_with_retries(
    tmp_path: Path, qtbot: QtBot
) -> None:
    images, seed = 12, 11
    expected = requests_needed(images, 0.3, seed)
    assert expected > images  # the seed does inject failures
    with FakeEndpoint("random_fail", random_fail_p=0.3, seed=seed) as ep:
        settings = http_settings(ep.url, retries=8, workers=3)
        outcome, report = run_job(tmp_path, qtbot, settings, images=images)
        assert ep.requests == expected
    assert outcome.state is JobState.DONE
    assert report["counts"]["ok"] == images
    assert sum(i["attempts"] for i in items(report)) == expected


def test_a_key_in_the_endpoint_address_stays_out_of_the_report(
    tmp_path: Path, qtbot: QtBot
) -> None:
    """Some services take their key in the query string; the report names the service only."""
    with FakeEndpoint("ok") as ep:
        outcome, report = run_job(tmp_path, qtbot, http_settings(f"{ep.url}?api_key={TOKEN}"))
        assert ep.received[0].path.endswith(f"?api_key={TOKEN}")  # it was sent, as asked
    assert outcome.state is JobState.DONE
    assert report["endpoint"] == ep.url
