"""One part of a survey through the job's side: which images go, what comes back where."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from PIL import Image

from oilspill_desktop.core.engines.server.engine import AnsweredImage
from oilspill_desktop.core.errors import EngineError
from oilspill_desktop.core.inputs.archive import InputArchive
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.parts import process_part
from oilspill_desktop.core.jobs.workspace import JobWorkspace
from oilspill_desktop.core.messages import plain
from oilspill_desktop.core.model import ItemStatus, Limits, SourceImage
from tests.geotiffs import geotiff


def png(width: int, value: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (width, 8), value).save(buffer, "PNG")
    return buffer.getvalue()


class PartStub:
    """Answers each image of a part with a mask as wide as the image, except those whose
    name says ``fail``; cancels ``cancel`` after the part came back when asked to."""

    engine = "server"
    endpoint = "http://stub"
    part_size = 4

    def __init__(self, cancel_after: CancelToken | None = None) -> None:
        self.sent: list[str] = []
        self._cancel_after = cancel_after

    def segment_part(
        self, images: Iterable[SourceImage], cancel: CancelToken
    ) -> list[AnsweredImage]:
        answered = []
        for image in images:
            self.sent.append(image.path)
            if "fail" in image.path:
                error = EngineError(plain("The server failed on this image: boom."))
                answered.append(AnsweredImage(None, error, self.endpoint))
            else:
                answered.append(AnsweredImage(png(image.width, 255), None, self.endpoint))
        if self._cancel_after is not None:
            self._cancel_after.cancel()  # the user cancels just as the part comes back
        return answered

    def segment(self, image: SourceImage, cancel: CancelToken) -> object:
        raise AssertionError("a part engine is given parts")

    def close(self) -> None:
        pass


def test_each_member_gets_its_own_answer_and_broken_ones_are_never_sent(
    tmp_path: Path,
) -> None:
    with zipfile.ZipFile(tmp_path / "in.zip", "w") as bundle:
        bundle.writestr("a.png", png(10, 100))
        bundle.writestr("broken.png", b"not a picture")
        bundle.writestr("fail.png", png(12, 100))
        bundle.writestr("b.png", png(14, 100))
    archive = InputArchive(tmp_path / "in.zip", Limits())
    workspace = JobWorkspace(tmp_path / "job", fsync=False)
    engine = PartStub()
    records = process_part(
        archive, list(archive.images), engine, workspace, Limits(), CancelToken()
    )
    workspace.journal.close()
    archive.close()
    assert engine.sent == ["a.png", "fail.png", "b.png"]
    assert [r.path for r in records] == ["a.png", "broken.png", "fail.png", "b.png"]
    assert [r.status for r in records] == [
        ItemStatus.OK, ItemStatus.FAILED, ItemStatus.FAILED, ItemStatus.OK,
    ]  # fmt: skip
    assert [r.width for r in records if r.status is ItemStatus.OK] == [10, 14]
    assert records[1].error is not None and "could not be decoded" in records[1].error
    assert records[2].error == "The server failed on this image: boom."


def test_a_part_that_came_back_is_finished_and_journalled_despite_a_cancel(
    tmp_path: Path,
) -> None:
    with zipfile.ZipFile(tmp_path / "in.zip", "w") as bundle:
        for index in range(3):
            bundle.writestr(f"s{index}.png", png(8 + index, 90))
    archive = InputArchive(tmp_path / "in.zip", Limits())
    workspace = JobWorkspace(tmp_path / "job", fsync=False)
    cancel = CancelToken()
    records = process_part(
        archive, list(archive.images), PartStub(cancel), workspace, Limits(), cancel
    )
    workspace.journal.close()
    archive.close()
    assert cancel.cancelled
    assert [r.status for r in records] == [ItemStatus.OK] * 3
    done = workspace.journalled_successes(3)
    assert all(done.status(index) is ItemStatus.OK for index in range(3))
    done.close()


def test_a_large_scene_goes_to_a_server_whole_and_over_the_limit_fails_with_that_reason(
    tmp_path: Path,
) -> None:
    scene = np.full((40, 50), 300, dtype=np.uint16) + np.eye(40, 50, dtype=np.uint16)
    with zipfile.ZipFile(tmp_path / "in.zip", "w") as bundle:
        bundle.writestr("a.tif", geotiff(scene))
        bundle.writestr("b.tif", geotiff(np.tile(scene, (2, 2))))
    archive = InputArchive(tmp_path / "in.zip", Limits())
    workspace = JobWorkspace(tmp_path / "job", fsync=False)
    engine = PartStub()
    # Both are large scenes (over 1,000 pixels); b is over the pixel limit too.
    limits = Limits(large_scene_pixels=1_000, max_pixels=3_000)
    records = process_part(archive, list(archive.images), engine, workspace, limits, CancelToken())
    workspace.journal.close()
    archive.close()
    assert engine.sent == ["a.tif"]
    assert records[0].status is ItemStatus.OK and records[0].width == 50
    assert not any("windows" in warning.text for warning in records[0].warnings)
    assert records[1].error_code == "image.too_many_pixels"
