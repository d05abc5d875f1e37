"""A large scene's windows sent to an endpoint on 127.0.0.1 several at once.

The endpoint (tests/endpoint_server.py) marks as oil what is darker than half the mean of
the picture it was sent, so each window's answer depends on that window alone and the
expected mask is rebuilt window by window (``stitched_threshold``). Answers that come
back out of order, late, or not at all must still land on their own window, or fail the
scene with the window named.
"""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from oilspill_desktop.core.config.paths import AppPaths
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.engines.endpoints.gate import AdaptiveGate
from oilspill_desktop.core.engines.http_engine import HttpEngine
from oilspill_desktop.core.engines.protocol import Engine
from oilspill_desktop.core.errors import Cancelled
from oilspill_desktop.core.inputs import scene_windows
from oilspill_desktop.core.inputs.archive import InputArchive
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.job import JobRequest, prepare_job
from oilspill_desktop.core.jobs.pipeline import process_member
from oilspill_desktop.core.jobs.scene_tiles import TileBudget
from oilspill_desktop.core.jobs.workspace import JobWorkspace
from oilspill_desktop.core.model import ItemRecord, ItemStatus
from tests.core.test_windowed import scene_tiff
from tests.endpoint_server import FakeEndpoint
from tests.integration.test_windowed_http import WINDOWED, stitched_threshold

WAIT = 30.0


@pytest.fixture(autouse=True)
def small_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scene_windows, "CORE", 256)  # 700 x 600: 9 windows


def http_engine(endpoint: FakeEndpoint, connections: int = 4, retries: int = 0) -> HttpEngine:
    return HttpEngine(
        endpoint.url,
        connect_timeout=2.0,
        read_timeout=WAIT,
        retries=retries,
        backoff_base=0.01,
        max_connections=connections,
    )


def run(
    tmp_path: Path,
    data: bytes,
    engine: Engine,
    budget: TileBudget,
    cancel: CancelToken | None = None,
) -> tuple[ItemRecord, Path]:
    with zipfile.ZipFile(tmp_path / "in.zip", "w") as bundle:
        bundle.writestr("a.tif", data)
    archive = InputArchive(tmp_path / "in.zip", WINDOWED)
    workspace = JobWorkspace(tmp_path / "job", fsync=False)
    try:
        record = process_member(
            archive,
            archive.images[0],
            engine,
            workspace,
            WINDOWED,
            cancel or CancelToken(),
            budget=budget,
        )
    finally:
        workspace.journal.close()
        archive.close()
    return record, workspace.root


def mask(root: Path, record: ItemRecord) -> np.ndarray:
    with Image.open(root / (record.mask or "")) as image:
        return np.asarray(image) > 0


def window_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("scene-window")]


def test_answers_that_come_back_last_first_land_on_their_own_windows(tmp_path: Path) -> None:
    data = scene_tiff(border=0, georeferenced=False)
    # Requests in threes, each three answered last first; one sent alone is never answered.
    with FakeEndpoint("reverse", reverse_n=3, hang_max=WAIT) as endpoint:
        engine = http_engine(endpoint, connections=3)
        try:
            record, root = run(tmp_path, data, engine, TileBudget(3))
        finally:
            engine.close()
        assert endpoint.requests == 9
    assert record.status is ItemStatus.OK, record.error
    assert record.mask_source == "answer"
    expected = stitched_threshold(data)
    assert expected.sum() > 1000
    assert np.array_equal(mask(root, record), expected)
    assert not window_threads()


def test_windows_go_out_as_many_at_once_as_the_adaptive_gate_allows(tmp_path: Path) -> None:
    data = scene_tiff(border=0, georeferenced=False)
    with FakeEndpoint(["latency", "capacity"], latency=0.05, capacity=8) as endpoint:
        gate = AdaptiveGate(http_engine(endpoint, connections=8), most=8)
        budget = TileBudget(8, gate.capacity)
        try:
            record, root = run(tmp_path, data, gate, budget)
        finally:
            gate.close()
        assert endpoint.requests == 9
        assert 2 <= endpoint.max_concurrent <= 8  # more than one, never above the limit
    assert record.status is ItemStatus.OK, record.error
    assert np.array_equal(mask(root, record), stitched_threshold(data))
    assert budget.busy == 0


def test_one_window_that_fails_fails_the_scene_with_its_place(tmp_path: Path) -> None:
    data = scene_tiff(border=0, georeferenced=False)
    with FakeEndpoint("status", status=500) as endpoint:
        engine = http_engine(endpoint, retries=1)
        try:
            record, root = run(tmp_path, data, engine, TileBudget(4))
        finally:
            engine.close()
        requests = endpoint.requests
    assert record.status is ItemStatus.FAILED
    assert record.error_code == "scene.window_failed"
    assert record.error is not None
    assert record.error.startswith("Window ") and " of 9 (rows " in record.error
    assert "500" in record.error
    assert record.attempts == 2  # the engine's own retry, then the scene gave up
    assert requests < 2 * 9  # the windows not yet sent were never sent
    assert not (root / "masks/a.png").exists()
    assert not window_threads()


def test_a_cancel_stops_the_windows_in_flight(tmp_path: Path) -> None:
    data = scene_tiff(border=0, georeferenced=False)
    cancel = CancelToken()
    with FakeEndpoint("hang", hang_max=WAIT) as endpoint:
        engine = http_engine(endpoint)

        def cancel_when_busy() -> None:
            while endpoint.requests < 4 and not cancel.cancelled:
                threading.Event().wait(0.01)
            cancel.cancel()
            engine.abort()  # as the scheduler does on cancel

        canceller = threading.Thread(target=cancel_when_busy)
        canceller.start()
        try:
            with pytest.raises(Cancelled):
                run(tmp_path, data, engine, TileBudget(4), cancel)
        finally:
            canceller.join(WAIT)
            engine.close()
        assert endpoint.requests == 4
    assert not window_threads()


def test_a_job_sends_its_scene_windows_as_many_at_once_as_its_workers(tmp_path: Path) -> None:
    """Through the job, as the window and the command line run it: three workers and a
    fixed concurrency put three windows out at once, or the endpoint never answers."""
    data = scene_tiff(border=0, georeferenced=False)
    source = tmp_path / "in.zip"
    with zipfile.ZipFile(source, "w") as bundle:
        bundle.writestr("a.tif", data)
    home = tmp_path / "home"
    paths = AppPaths(home / "config", home / "data", home / "cache", home / "logs").ensure()
    with FakeEndpoint("reverse", reverse_n=3, hang_max=WAIT) as endpoint:
        settings = Settings(
            engine="http",
            endpoint=endpoint.url,
            workers=3,
            adaptive_concurrency=False,
            retries=0,
            limits=WINDOWED,
        )
        request = JobRequest(source, settings, paths, output_folder=tmp_path / "out")
        job = prepare_job(request, CancelToken())
        try:
            (member,) = job.pending
            record = job.process(member, CancelToken())
        finally:
            job.close()
        assert endpoint.requests == 9
    assert record.status is ItemStatus.OK, record.error
    with Image.open(job.workspace.root / (record.mask or "")) as image:
        assert np.array_equal(np.asarray(image) > 0, stitched_threshold(data))
