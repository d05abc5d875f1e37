"""Several ML endpoints at once: spread by measured rate, one parked while the others
carry on, the job waiting only when all are down; through the real command too."""

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

from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.engines.endpoints.gate import AdaptiveGate
from oilspill_desktop.core.engines.endpoints.pool import EndpointPool
from oilspill_desktop.core.engines.factory import create_engine
from oilspill_desktop.core.engines.http_engine import HttpEngine
from oilspill_desktop.core.errors import EndpointUnreachable
from oilspill_desktop.core.inputs.images import decode_image
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.model import EngineAnswer, Limits
from tests.endpoint_server import FakeEndpoint

from .cli_helpers import read_report, run_cli
from .test_oilspill_ai_service import encoded, marked_scene, write_zip

pytestmark = pytest.mark.integration


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/segment"


def pool_for(first: str, *others: str, stop: bool = False, **changes: Any) -> EndpointPool:
    values: dict[str, Any] = {
        "engine": "http",
        "endpoint": first,
        "more_endpoints": "\n".join(others),
        "workers": 8,
        "retries": 2,
        "backoff_base": 0.01,
        "max_outage_minutes": 0.5,
    }
    values.update(changes)
    engine = create_engine(Settings(**values), stop_when_unreachable=stop)
    assert isinstance(engine, EndpointPool)
    return engine


def run_images(
    engine: EndpointPool | AdaptiveGate, count: int, threads: int = 8
) -> list[EngineAnswer | BaseException]:
    """``count`` small images through ``engine`` from ``threads`` workers at once."""
    buffer = io.BytesIO()
    Image.fromarray(np.full((24, 24), 120, np.uint8), "L").save(buffer, "PNG")
    png = buffer.getvalue()
    results: list[EngineAnswer | BaseException] = []
    lock = threading.Lock()
    todo = iter(range(count))

    def work() -> None:
        while True:
            with lock:
                index = next(todo, None)
            if index is None:
                return
            try:
                answer: EngineAnswer | BaseException = engine.segment(
                    decode_image(png, f"s/{index}.png", Limits()), CancelToken()
                )
            except BaseException as exc:
                answer = exc
            with lock:
                results.append(answer)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return results


def test_work_is_spread_by_measured_rate_not_round_robin() -> None:
    with (
        FakeEndpoint("latency", latency=0.02) as fast,
        FakeEndpoint("latency", latency=0.4) as slow,
    ):
        engine = pool_for(fast.url, slow.url)
        try:
            results = run_images(engine, 120)
        finally:
            engine.close()
        assert all(isinstance(r, EngineAnswer) for r in results), results[:3]
        assert slow.requests >= 1  # it was tried, measured and used
        assert fast.requests >= 3 * slow.requests, (fast.requests, slow.requests)


def test_an_endpoint_that_is_down_is_parked_and_its_images_go_to_the_others() -> None:
    with FakeEndpoint() as good:
        engine = pool_for(closed_port_url(), good.url)
        try:
            results = run_images(engine, 30)
            rates = {rate.url: rate for rate in engine.rates()}
            assert engine.outage() is None  # one is up: the job does not wait
        finally:
            engine.close()
    assert all(isinstance(r, EngineAnswer) for r in results), results[:3]
    assert good.requests == 30
    down = [rate for url, rate in rates.items() if not url.startswith(good.url[:-8])]
    assert len(down) == 1 and down[0].down


def test_an_endpoint_failing_midway_hands_its_images_over() -> None:
    with FakeEndpoint("latency", latency=0.01) as one, FakeEndpoint("latency", latency=0.01) as two:
        engine = pool_for(one.url, two.url)
        try:
            assert all(isinstance(r, EngineAnswer) for r in run_images(engine, 16))
            one.configure("status", status=503)
            before, failing_before = two.requests, one.requests
            results = run_images(engine, 40)
            # the requests in flight there and a few tries until its breaker opened
            assert one.requests - failing_before <= 16
            assert two.requests - before == 40  # every image was answered by the other
        finally:
            engine.close()
    assert all(isinstance(r, EngineAnswer) for r in results), results[:3]


def test_the_job_waits_only_when_every_endpoint_is_down() -> None:
    with FakeEndpoint() as one, FakeEndpoint() as two:
        engine = pool_for(one.url, two.url)
        one.configure("status", status=503)
        two.configure("status", status=503)
        box: list[Any] = []
        worker = threading.Thread(target=lambda: box.extend(run_images(engine, 1, 1)))
        worker.start()
        try:
            wait_for(lambda: engine.outage() is not None)
            outage = engine.outage()
            assert outage is not None and "503" in outage.reason
            one.configure("ok")
            two.configure("ok")
            worker.join(timeout=30)
            assert engine.outage() is None
        finally:
            engine.close()
    assert len(box) == 1 and isinstance(box[0], EngineAnswer), box


def test_addresses_that_never_answered_stop_the_command_line_job() -> None:
    engine = pool_for(closed_port_url(), closed_port_url(), retries=1, stop=True)
    try:
        results = run_images(engine, 1, 1)
    finally:
        engine.close()
    assert isinstance(results[0], EndpointUnreachable), results


def test_a_bad_line_in_the_list_stops_the_job_before_anything_is_sent() -> None:
    from oilspill_desktop.core.errors import InputError

    settings = Settings(engine="http", more_endpoints="http://a:1/s kind=nonsense")
    with pytest.raises(InputError, match="kind=nonsense is not one of auto"):
        create_engine(settings)


def test_process_command_with_two_endpoints(tmp_path: Path, app_home: Path) -> None:
    members = {f"p{i}/img.jpg": encoded(marked_scene(i)[0], "JPEG") for i in range(12)}
    source = write_zip(tmp_path / "two.zip", members)
    out = tmp_path / "out.zip"
    with FakeEndpoint("oilspill_ai") as one, FakeEndpoint("latency", latency=0.05) as two:
        result = run_cli(
            "process", source, "-o", out, "--endpoint", f"{one.url},kind=oilspill-ai",
            "--endpoint", two.url, "--workers", "4", "-q", "-v",
            home=app_home,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert one.requests >= 1 and two.requests >= 1
        assert one.requests + two.requests == 12
    report = read_report(out)
    assert report["endpoint"] == f"{one.url} {two.url}"
    assert [item["status"] for item in report["items"]] == ["ok"] * 12
    assert "images/s" in result.stderr  # the per-endpoint rates at the end, in the log


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    done = threading.Event()
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        done.wait(0.05)
    raise AssertionError("timed out")


def test_the_job_reports_each_endpoints_rate_as_it_runs(
    tmp_path: Path, qtbot: Any, app_home: Path
) -> None:
    from oilspill_desktop.core.config.paths import app_paths
    from oilspill_desktop.core.jobs.job import JobRequest
    from oilspill_desktop.scheduling.job_runner import JobRunner, JobState
    from oilspill_desktop.ui.queue_model import QueueModel

    members = {f"p{i}.png": encoded(marked_scene(i)[0], "PNG") for i in range(16)}
    source = write_zip(tmp_path / "rates.zip", members)
    seen: list[Any] = []
    with FakeEndpoint("latency", latency=0.1) as one, FakeEndpoint("latency", latency=0.1) as two:
        settings = Settings(
            engine="http", endpoint=one.url, more_endpoints=two.url, workers=4, retries=1
        )
        runner = JobRunner(
            JobRequest(source, settings, app_paths().ensure()), progress_interval_ms=20
        )
        runner.progress.connect(seen.append)
        with qtbot.waitSignal(runner.finished, timeout=60_000) as blocker:
            runner.start()
        qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=10_000)
    assert blocker.args[0].state is JobState.DONE
    rates = [p.endpoint_rates for p in seen if p.endpoint_rates]
    assert rates and {rate.url for rate in rates[-1]} == {one.url, two.url}
    model, rate = QueueModel(), rates[-1][0]
    port = rate.url.split(":")[2].split("/")[0]
    assert model._endpoint_rate(rate).startswith(f"127.0.0.1:{port}: ")
    assert "in flight" in model._endpoint_rate(rate)
    assert model._endpoint_rate(rate, short=False).startswith(f"{rate.url}: ")


def test_one_endpoint_with_adaptive_concurrency_from_the_command_line(
    tmp_path: Path, app_home: Path
) -> None:
    members = {f"p{i}.png": encoded(marked_scene(i)[0], "PNG") for i in range(10)}
    source = write_zip(tmp_path / "one.zip", members)
    out = tmp_path / "out.zip"
    with FakeEndpoint("capacity,latency", capacity=2, latency=0.05) as endpoint:
        engine = create_engine(
            Settings(engine="http", endpoint=endpoint.url, adaptive_concurrency=True)
        )
        # One endpoint keeps its own engine (retries, breaker, outages) behind the gate.
        assert isinstance(engine, AdaptiveGate) and engine.endpoint == endpoint.url
        assert isinstance(engine.inner, HttpEngine)
        engine.close()
        fixed = create_engine(Settings(engine="http", endpoint=endpoint.url))
        assert isinstance(fixed, AdaptiveGate)  # the default
        fixed.close()
        result = run_cli(
            "process", source, "-o", out, "--endpoint", endpoint.url, "--adaptive",
            "--workers", "8", "-q",
            home=app_home,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    report = read_report(out)
    assert report["endpoint"] == endpoint.url
    assert [item["status"] for item in report["items"]] == ["ok"] * 10


def test_429_lowers_the_number_of_requests_in_flight() -> None:
    with FakeEndpoint("rate_limit", rate_limit_n=2, retry_after=None) as endpoint:
        engine = create_engine(
            Settings(engine="http", endpoint=endpoint.url, retries=4, backoff_base=0.01)
        )
        assert isinstance(engine, AdaptiveGate)
        try:
            assert engine.limit.limit == 2  # where it starts
            results = run_images(engine, 1, 1)
            assert engine.limit.limit == 1  # answered only after two 429s: overloaded
        finally:
            engine.close()
    assert isinstance(results[0], EngineAnswer), results
    assert endpoint.requests == 3


def test_a_busy_endpoint_is_left_alone_while_the_others_carry_on() -> None:
    """503 with Retry-After: that endpoint is busy for as long as it asked, not down: its
    images go to the other one, and the job never waits as for an outage."""
    with (
        FakeEndpoint(
            "rate_limit", rate_limit_n=1000, retry_after="30", rate_limit_status=503
        ) as busy,
        FakeEndpoint() as good,
    ):
        engine = pool_for(busy.url, good.url, workers=2)
        try:
            results = run_images(engine, 12, threads=2)
            assert engine.outage() is None
            assert not any(rate.down for rate in engine.rates())
        finally:
            engine.close()
    assert all(isinstance(r, EngineAnswer) for r in results), results[:3]
    assert busy.requests <= 2  # asked once (or by both workers at once), then left alone
    assert good.requests == 12


def test_when_the_only_endpoint_is_busy_the_image_waits_and_succeeds() -> None:
    with FakeEndpoint("rate_limit", rate_limit_n=1, retry_after="1", rate_limit_status=503) as ep:
        engine = pool_for(ep.url, closed_port_url(), retries=1)
        started = time.monotonic()
        try:
            results = run_images(engine, 1, threads=1)
        finally:
            engine.close()
    assert all(isinstance(r, EngineAnswer) for r in results), results
    assert time.monotonic() - started >= 0.9 and ep.requests == 2
