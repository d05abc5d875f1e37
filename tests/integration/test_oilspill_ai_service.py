"""Against a fake that behaves like the Oil Spill AI ML service's code (``oilspill_ai``).

Its uploads and results live in shared folders keyed by file name, only ``<stem>.jpg``
results exist, and its answers are YOLO-style annotated JPEGs: every point the service's
own code makes hard is played here, through the real scheduler and the real command.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from oilspill_desktop.core.config.paths import app_paths
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.jobs.job import JobRequest
from oilspill_desktop.scheduling.job_runner import JobOutcome, JobRunner, JobState
from tests.endpoint_server import FakeEndpoint

from .cli_helpers import read_report, run_cli

pytestmark = pytest.mark.integration

SIZE = 160
UNIQUE_NAME = re.compile(r"^[A-Za-z0-9_-]+-[0-9a-f]{12}\.(jpg|png|tif|bmp)$")


def marked_scene(index: int, size: int = SIZE) -> tuple[Image.Image, np.ndarray]:
    """Bright textured sea with one dark slick whose place is this image's own mark (with
    room above it for the label, which YOLO otherwise draws over the slick)."""
    rng = np.random.default_rng(index)
    values = rng.normal(170, 12, (size, size)).clip(0, 255)
    row, col = divmod(index % 56, 8)
    centre_y, centre_x = 40 + 15 * row, 20 + 17 * col
    yy, xx = np.ogrid[:size, :size]
    mark = ((yy - centre_y) / 12) ** 2 + ((xx - centre_x) / 15) ** 2 <= 1
    values[mark] = rng.normal(40, 6, int(mark.sum())).clip(0, 255)
    return Image.fromarray(values.astype(np.uint8), "L"), mark


def encoded(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=97)
    elif fmt == "TIFF16":
        wide = (np.asarray(image).astype(np.uint16) * 257).astype(np.uint16)
        Image.fromarray(wide).save(buffer, "TIFF")
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        for name, data in members.items():
            bundle.writestr(name, data)
    return path


def settings_for(url: str, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "engine": "http",
        "endpoint": url,
        "connect_timeout": 5.0,
        "read_timeout": 10.0,
        "retries": 1,
        "workers": 8,
        "max_outage_minutes": 0.0,
    }
    values.update(changes)
    return Settings(**values)


def run_job(source: Path, qtbot: QtBot, settings: Settings) -> tuple[JobOutcome, dict[str, Any]]:
    runner = JobRunner(JobRequest(source, settings, app_paths().ensure()), progress_interval_ms=20)
    with qtbot.waitSignal(runner.finished, timeout=120_000) as blocker:
        runner.start()
    outcome: JobOutcome = blocker.args[0]
    qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=10_000)
    assert outcome.results_path is not None, outcome.message
    return outcome, read_report(outcome.results_path)


def mask_of(results: Path, item: dict[str, Any]) -> np.ndarray:
    with zipfile.ZipFile(results) as bundle:
        return np.asarray(Image.open(io.BytesIO(bundle.read(item["mask"])))) > 0


BELONGS = 0.7
"""IoU with the scene's own slick (not with the painted region, which the unit tests
hold to 0.8: the box lines here cover the slick's outermost pixels on a small image)."""


def iou(a: np.ndarray, b: np.ndarray) -> float:
    union = int(np.count_nonzero(a | b))
    return int(np.count_nonzero(a & b)) / union if union else 1.0


def test_fifty_same_named_images_each_get_their_own_answer(
    tmp_path: Path, qtbot: QtBot, app_home: Path
) -> None:
    """50 members all called img.jpg, 8 workers, a service that answers late from shared
    folders keyed by name: every result must show its own image's mark."""
    count = 50
    marks = {}
    members = {}
    for index in range(count):
        image, mark = marked_scene(index)
        members[f"pass{index:02d}/img.jpg"] = encoded(image, "JPEG")
        marks[f"pass{index:02d}/img.jpg"] = mark
    source = write_zip(tmp_path / "same-names.zip", members)
    with FakeEndpoint("oilspill_ai,latency", latency=0.3) as endpoint:
        outcome, report = run_job(source, qtbot, settings_for(endpoint.url))
        received = endpoint.received
    assert outcome.state is JobState.DONE, outcome.message
    names = [r.filename or "" for r in received]
    assert len(names) == count and len(set(names)) == count
    assert all(UNIQUE_NAME.match(name) and name.startswith("img-") for name in names), names
    assert outcome.results_path is not None
    for item in report["items"]:
        assert item["status"] == "ok" and item["mask_source"] == "derived", item
        mask = mask_of(outcome.results_path, item)
        own = iou(mask, marks[item["path"]])
        assert own >= BELONGS, (item["path"], own)
        others = max(iou(mask, m) for p, m in marks.items() if p != item["path"])
        assert others < 0.5, (item["path"], others)


def test_the_old_naming_would_have_mixed_answers_up(qtbot: QtBot) -> None:
    """The fake really does mix up same-named uploads in flight (so the test above can fail)."""
    import threading

    import httpx

    first, _ = marked_scene(0)
    second, _ = marked_scene(30)
    bodies = [encoded(first, "JPEG"), encoded(second, "JPEG")]
    answers: list[bytes] = [b"", b""]
    with FakeEndpoint("oilspill_ai,latency", latency=0.4) as endpoint:

        def send(index: int) -> None:
            files = {"file": ("img.jpg", bodies[index], "image/jpeg")}
            answers[index] = httpx.post(endpoint.url, files=files, timeout=10).content

        threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
            threading.Event().wait(0.05)
        for thread in threads:
            thread.join(10)
    assert answers[0] == answers[1]


@pytest.mark.parametrize("kind", ["auto", "oilspill-ai"])
def test_every_supported_format_works_against_the_service(
    tmp_path: Path, qtbot: QtBot, app_home: Path, kind: str
) -> None:
    image, mark = marked_scene(3)
    members = {
        "a/scene.png": encoded(image, "PNG"),
        "a/scene.tif": encoded(image, "TIFF"),
        "a/scene16.tiff": encoded(image, "TIFF16"),
        "a/scene.bmp": encoded(image, "BMP"),
        "b/scene.jpeg": encoded(image, "JPEG"),
        "b/SCENE.JPG": encoded(image, "JPEG"),
        "c/сцена.png": encoded(image, "PNG"),
    }
    source = write_zip(tmp_path / "formats.zip", members)
    with FakeEndpoint("oilspill_ai") as endpoint:
        outcome, report = run_job(
            source, qtbot, settings_for(endpoint.url, endpoint_kind=kind, workers=1)
        )
        received = endpoint.received
    assert outcome.state is JobState.DONE, [i["error"] for i in report["items"]]
    assert outcome.results_path is not None
    for item in report["items"]:
        assert item["status"] == "ok" and item["mask_source"] == "derived", item
        assert item["oil_pixels"] and item["oil_fraction"] > 0
        assert iou(mask_of(outcome.results_path, item), mark) >= BELONGS, item["path"]
    assert all(UNIQUE_NAME.match(r.filename or "") for r in received)
    if kind == "oilspill-ai":
        assert len(received) == len(members)
        assert all(r.filename.endswith(".jpg") for r in received if r.filename)
    else:
        # Only the first non-JPEG upload is sent as PNG; once the 500 and the JPEG answer
        # have told what the service is, every image goes as JPEG.
        assert [r.filename.rsplit(".", 1)[1] for r in received if r.filename][:2] == [
            "png",
            "jpg",
        ]
        assert len(received) == len(members) + 1


def test_a_generic_endpoint_keeps_original_or_png(
    tmp_path: Path, qtbot: QtBot, app_home: Path
) -> None:
    image, _ = marked_scene(5)
    members = {"x/img.png": encoded(image, "PNG"), "y/img.jpeg": encoded(image, "JPEG")}
    members["z/img.tif"] = encoded(image, "TIFF16")
    source = write_zip(tmp_path / "generic.zip", members)
    with FakeEndpoint("ok") as endpoint:
        outcome, report = run_job(
            source, qtbot, settings_for(endpoint.url, endpoint_kind="generic")
        )
        received = {r.filename: r for r in endpoint.received}
    assert outcome.state is JobState.DONE
    types = sorted((name.rsplit(".", 1)[1], r.content_type) for name, r in received.items() if name)
    assert types == [("jpg", "image/jpeg"), ("png", "image/png"), ("png", "image/png")]
    assert members["x/img.png"] in {r.content for r in received.values()}
    assert all(i["mask_source"] == "answer" for i in report["items"])


def test_another_images_annotation_fails_the_item(
    tmp_path: Path, qtbot: QtBot, app_home: Path
) -> None:
    """A service that answers an annotation of some other picture: refused, not trusted."""
    other, other_mark = marked_scene(40)
    rng = np.random.default_rng(9)
    noisy = (np.asarray(other, dtype=np.float64) + rng.normal(0, 25, (SIZE, SIZE))).clip(0, 255)
    rgb = np.repeat(noisy.astype(np.uint8)[..., None], 3, axis=2)
    from tests.endpoint_server import paint_like_yolo

    foreign = paint_like_yolo(rgb, other_mark)
    image, _ = marked_scene(1)
    source = write_zip(tmp_path / "foreign.zip", {"img.jpg": encoded(image, "JPEG")})

    class Poisoned(dict[str, bytes]):
        """A results folder where every picture "YOLO" writes is the foreign one."""

        def __setitem__(self, key: str, value: bytes) -> None:
            super().__setitem__(key, foreign)

    with FakeEndpoint("oilspill_ai") as endpoint:
        endpoint.shared_results = Poisoned()
        outcome, report = run_job(source, qtbot, settings_for(endpoint.url))
    assert outcome.state is JobState.DONE_WITH_FAILURES
    (item,) = report["items"]
    assert item["status"] == "failed" and "not a copy of the image sent" in item["error"]


def test_process_stops_at_once_on_an_endpoint_that_never_answered(
    tmp_path: Path, app_home: Path
) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    image, _ = marked_scene(2)
    source = write_zip(tmp_path / "dead.zip", {f"{i}.png": encoded(image, "PNG") for i in range(6)})
    url = f"http://127.0.0.1:{port}/segment"
    result = run_cli(
        "process", source, "--endpoint", url, "--retries", "2", "-q", home=app_home, timeout=60
    )
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert url in lines[0] and "connection refused" in lines[0], lines[0]
    assert not (tmp_path / "dead_results.zip").exists()
    assert not list(tmp_path.glob("*.zip.*"))
