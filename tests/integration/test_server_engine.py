"""The Oil Spill AI backend as an engine, against a fake that follows its code rule by rule.

Parts packed by the app under unique flat names (same-named members in different folders
each get their own answer), answers mapped back by name, masks derived from the annotated
JPEGs, rows for every member (the server's error text, "no result"), the failure modes of
the backend (unknown ids, empty zips, 500 on a broken zip, a part that never finishes, an
upload refused for a while), and resume and cancel, through the real scheduler and the
real command.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from oilspill_desktop.core.config.paths import app_paths
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.engines.factory import create_engine
from oilspill_desktop.core.engines.server.api import ApiOptions, BackendApi
from oilspill_desktop.core.engines.server.engine import ServerEngine
from oilspill_desktop.core.errors import EngineError
from oilspill_desktop.core.inputs.images import decode_image
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.job import JobRequest
from oilspill_desktop.core.model import Limits
from oilspill_desktop.scheduling.job_runner import JobOutcome, JobRunner, JobState
from tests.backend_server import FakeBackend

from .cli_helpers import read_report, run_cli
from .test_oilspill_ai_service import BELONGS, encoded, iou, marked_scene, mask_of, write_zip

pytestmark = pytest.mark.integration


def server_settings(url: str, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "engine": "server",
        "server": url,
        "part_size": 4,
        "workers": 2,
        "retries": 2,
        "backoff_base": 0.01,
        "max_outage_minutes": 0.0,
    }
    values.update(changes)
    return Settings(**values)


def survey(tmp_path: Path, count: int, *, name: str = "survey.zip") -> tuple[Path, dict]:
    """``count`` scenes, all called img.jpg in folders of their own, each with its mark."""
    members, marks = {}, {}
    for index in range(count):
        image, mark = marked_scene(index)
        path = f"pass{index:02d}/img.jpg"
        members[path] = encoded(image, "JPEG")
        marks[path] = mark
    return write_zip(tmp_path / name, members), marks


def run_job(
    source: Path, qtbot: QtBot, settings: Settings, *, timeout: int = 60_000
) -> tuple[JobOutcome, dict[str, Any]]:
    runner = JobRunner(JobRequest(source, settings, app_paths().ensure()), progress_interval_ms=20)
    with qtbot.waitSignal(runner.finished, timeout=timeout) as blocker:
        runner.start()
    outcome: JobOutcome = blocker.args[0]
    qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=10_000)
    assert outcome.results_path is not None, outcome.message
    return outcome, read_report(outcome.results_path)


def test_same_named_members_go_in_parts_and_each_gets_its_own_answer(
    tmp_path: Path, qtbot: QtBot, app_home: Path
) -> None:
    source, marks = survey(tmp_path, 10)
    with FakeBackend(latency=0.2) as backend:
        outcome, report = run_job(source, qtbot, server_settings(backend.url))
    assert outcome.state is JobState.DONE, outcome.message
    assert outcome.ok == 10
    assert sorted(len(part) for part in backend.stats.uploads) == [2, 4, 4]
    names = [name for part in backend.stats.uploads for name in part]
    assert len(set(names)) == 10 and all(name.startswith("img-") for name in names), names
    assert report["engine"] == "server" and report["endpoint"].startswith(backend.url)
    assert outcome.results_path is not None
    for item in report["items"]:
        assert item["status"] == "ok" and item["mask_source"] == "derived", item
        mask = mask_of(outcome.results_path, item)
        assert iou(mask, marks[item["path"]]) >= BELONGS, item["path"]
        others = max(iou(mask, m) for p, m in marks.items() if p != item["path"])
        assert others < 0.5, item["path"]


def test_every_member_has_a_row_with_why_it_failed(
    tmp_path: Path, qtbot: QtBot, app_home: Path
) -> None:
    """The server's error text for the images it failed, "no result" for the ones its zip
    lacks, the decoding error for a broken member (never sent), ok for the rest."""
    image, _mark = marked_scene(1)
    members = {
        "a/good.jpg": encoded(image, "JPEG"),
        "b/bad.jpg": encoded(image, "JPEG"),
        "c/lost.png": encoded(image, "PNG"),
        "d/broken.jpg": b"not a picture at all",
        "notes.txt": b"skipped",
    }
    source = write_zip(tmp_path / "mixed.zip", members)
    with FakeBackend(fail=("bad-",), drop=("lost-",)) as backend:
        outcome, report = run_job(source, qtbot, server_settings(backend.url, part_size=8))
    rows = {item["path"]: item for item in report["items"]}
    assert outcome.state is JobState.DONE_WITH_FAILURES
    assert rows["a/good.jpg"]["status"] == "ok"
    assert rows["b/bad.jpg"]["status"] == "failed"
    assert (
        "The server failed on this image: ML service returned 500 for bad-"
        in (rows["b/bad.jpg"]["error"])
    )
    assert rows["c/lost.png"]["error"] == "The server returned no result for this image."
    assert rows["d/broken.jpg"]["error"].startswith("The image could not be decoded")
    assert rows["notes.txt"]["status"] == "skipped"
    assert len(backend.stats.uploads) == 1
    assert len(backend.stats.uploads[0]) == 3  # the broken member was never sent
    assert all(name.endswith(".jpg") for name in backend.stats.uploads[0])


def test_a_part_that_never_finishes_fails_its_images_at_the_deadline(
    tmp_path: Path, qtbot: QtBot, app_home: Path
) -> None:
    source, _marks = survey(tmp_path, 3)
    with FakeBackend(never_finish=True) as backend:
        settings = server_settings(backend.url, part_timeout_minutes=0.02)
        outcome, report = run_job(source, qtbot, settings)
    assert outcome.state is JobState.DONE_WITH_FAILURES and outcome.failed == 3
    for item in report["items"]:
        assert "did not finish this part of the survey within 0.02 minutes" in item["error"]
        assert "STARTED" in item["error"]


def test_a_failed_celery_task_fails_its_part_with_the_reason(
    tmp_path: Path, qtbot: QtBot, app_home: Path
) -> None:
    source, _marks = survey(tmp_path, 2)
    with FakeBackend(failure="Redis connection lost") as backend:
        outcome, report = run_job(source, qtbot, server_settings(backend.url))
    assert outcome.failed == 2
    assert all("Redis connection lost" in item["error"] for item in report["items"])


def test_an_upload_refused_for_a_while_is_retried(
    tmp_path: Path, qtbot: QtBot, app_home: Path
) -> None:
    source, _marks = survey(tmp_path, 4)
    with FakeBackend(upload_errors=2) as backend:
        outcome, _report = run_job(source, qtbot, server_settings(backend.url, retries=3))
    assert outcome.state is JobState.DONE and outcome.ok == 4


def test_the_backend_failure_modes_as_the_client_sees_them() -> None:
    """Unknown ids stay PENDING, unknown hashes give an empty zip, a broken zip a 500."""
    cancel = CancelToken()
    with FakeBackend() as backend:
        api = BackendApi(backend.url, ApiOptions(retries=0))
        try:
            assert api.status("no-such-job", cancel) == ("PENDING", None)
            empty = api.download("0123456789abcdef", cancel)
            with zipfile.ZipFile(io.BytesIO(empty)) as archive:
                assert archive.namelist() == []
            with pytest.raises(EngineError, match="500 Internal Server Error"):
                api.upload(b"PK not really a zip", "part.zip", cancel)
            with pytest.raises(EngineError, match="No files extracted from archive"):
                api.upload(_zip({"readme.txt": b"x", "__MACOSX/._a.jpg": b"x"}), "p.zip", cancel)
        finally:
            api.close()


def test_an_empty_download_means_no_result_for_every_image(
    tmp_path: Path, qtbot: QtBot, app_home: Path
) -> None:
    """The files were deleted before the download (the 10 minutes passed): no result."""
    source, _marks = survey(tmp_path, 2)
    with FakeBackend(retention=0.0) as backend:
        outcome, report = run_job(source, qtbot, server_settings(backend.url))
    assert outcome.failed == 2
    assert {item["error"] for item in report["items"]} == {
        "The server returned no result for this image."
    }


def test_cancel_stops_polling_and_resume_does_not_send_a_finished_part_again(
    tmp_path: Path, qtbot: QtBot, app_home: Path
) -> None:
    source, _marks = survey(tmp_path, 8)
    settings = server_settings("", part_size=4, workers=1)
    with FakeBackend(latency=0.1, finish_only=1) as backend:
        settings = settings.with_changes(server=backend.url)
        runner = JobRunner(
            JobRequest(source, settings, app_paths().ensure()), progress_interval_ms=20
        )
        runner.start()
        # the first part comes back, the second is held on the server: cancel then
        qtbot.waitUntil(lambda: len(backend.stats.uploads) == 2, timeout=20_000)
        assert runner.prepared is not None
        assert runner.prepared.counts() == (4, 0)
        runner.cancel()  # the part waiting on the server stops polling at once
        qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=10_000)
        assert runner.state is JobState.CANCELLED
        backend.finish_only = None
        outcome, report = run_job(source, qtbot, settings)
    assert outcome.state is JobState.DONE and outcome.ok == 8
    sent = [sorted(part) for part in backend.stats.uploads]
    assert len(sent) == 3 and len(sent[2]) == 4  # only the cancelled part went again
    assert len(report["items"]) == 8


def test_process_command_with_the_server_engine(tmp_path: Path, app_home: Path) -> None:
    source, _marks = survey(tmp_path, 5)
    out = tmp_path / "out.zip"
    with FakeBackend() as backend:
        result = run_cli(
            "process", source, "-o", out, "--server", backend.url, "--part-size", "2", "-q",
            home=app_home,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert sorted(len(part) for part in backend.stats.uploads) == [1, 2, 2]
    report = read_report(out)
    assert report["engine"] == "server"
    assert [item["status"] for item in report["items"]] == ["ok"] * 5


def test_process_command_stops_when_the_server_never_answers(
    tmp_path: Path, app_home: Path
) -> None:
    source, _marks = survey(tmp_path, 2)
    with socket_closed() as url:
        result = run_cli(
            "process", source, "--engine", "server", "--server", url, "--retries", "1", "-q",
            home=app_home,
        )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "connection refused" in result.stderr + result.stdout


def test_the_engine_answers_one_image_as_a_part_of_its_own() -> None:
    """What the connection test uses: ``segment`` sends a part of one."""
    from tests.sources import in_memory_source

    image, _mark = marked_scene(3)
    with FakeBackend() as backend:
        engine = create_engine(server_settings(backend.url))
        try:
            assert isinstance(engine, ServerEngine)
            answer = engine.segment(in_memory_source(image, "x/scene.png"), CancelToken())
        finally:
            engine.close()
        assert backend.stats.uploads == [[backend.stats.uploads[0][0]]]
    assert answer.image.size == image.size
    assert np.asarray(answer.image).ndim == 3


class socket_closed:  # noqa: N801 - used as a context manager
    """The URL of a port on 127.0.0.1 nothing listens on."""

    def __enter__(self) -> str:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        return None


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_part_straight_through_the_engine_with_every_outcome() -> None:
    """The engine alone (no scheduler): an answer, the server's error text, no result,
    and a part that never finishes failing each image at its deadline."""
    from oilspill_desktop.core.inputs.images import decode_image
    from oilspill_desktop.core.model import Limits

    sources = [
        decode_image(encoded(marked_scene(i)[0], "JPEG"), f"survey/{name}.jpg", Limits())
        for i, name in enumerate(("good", "bad", "lost"))
    ]
    cancel = CancelToken()
    with FakeBackend(fail=("bad-",), drop=("lost-",)) as backend:
        engine = ServerEngine(backend.url, options=ApiOptions(retries=0), first_poll=0.02)
        try:
            good, bad, lost = engine.segment_part(sources, cancel)
        finally:
            engine.close()
    assert good.segment(sources[0], cancel).image.size == sources[0].pixels.size
    with pytest.raises(EngineError, match="The server failed on this image: ML service"):
        bad.segment(sources[1], cancel)
    with pytest.raises(EngineError, match="The server returned no result for this image"):
        lost.segment(sources[2], cancel)
    with FakeBackend(never_finish=True) as backend:
        engine = ServerEngine(
            backend.url, part_timeout=0.3, options=ApiOptions(retries=0), first_poll=0.02
        )
        try:
            answered = engine.segment_part(sources[:2], cancel)
        finally:
            engine.close()
        assert backend.stats.status_polls >= 3  # polled, with growing pauses
    for answer, source in zip(answered, sources, strict=False):
        with pytest.raises(EngineError, match="did not finish this part of the survey"):
            answer.segment(source, cancel)


def test_a_busy_backend_is_waited_for_as_long_as_it_asks() -> None:
    """503 with Retry-After: 1 on the upload: the part waits that long (not the tiny
    back-off), is not taken for an outage, and then goes through."""
    image = decode_image(encoded(marked_scene(0)[0], "JPEG"), "a/img.jpg", Limits())
    with FakeBackend(upload_errors=1, retry_after="1") as backend:
        engine = ServerEngine(
            backend.url,
            options=ApiOptions(retries=2, backoff_base=0.01, max_outage=60.0),
            first_poll=0.02,
        )
        started = time.monotonic()
        try:
            (answered,) = engine.segment_part([image], CancelToken())
            answer = answered.segment(image, CancelToken())
            assert engine.outage() is None
        finally:
            engine.close()
        uploads = backend.stats.uploads
    assert time.monotonic() - started >= 0.9
    assert answer.image.size == (image.width, image.height) and len(uploads) == 1
