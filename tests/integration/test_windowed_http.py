"""A large scene sent to an HTTP endpoint: one request per window, the answers stitched.

The endpoint (tests/endpoint_server.py, on 127.0.0.1) marks as oil what is darker than
half the mean of the picture it was sent, so each window's answer depends on that window
alone, and the expected mask can be rebuilt here window by window.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from oilspill_desktop.core.engines.http_engine import HttpEngine
from oilspill_desktop.core.inputs import scene_windows
from oilspill_desktop.core.inputs.archive import InputArchive
from oilspill_desktop.core.inputs.images import decode_image
from oilspill_desktop.core.inputs.scene_windows import LargeScene
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.pipeline import process_member
from oilspill_desktop.core.jobs.workspace import JobWorkspace
from oilspill_desktop.core.model import ItemStatus, Limits
from tests.core.test_windowed import scene_tiff
from tests.endpoint_server import FakeEndpoint

WINDOWED = Limits(large_scene_pixels=256 * 256)


def stitched_threshold(data: bytes) -> np.ndarray:
    """Each window's core, thresholded on the window's own picture."""
    picture = np.asarray(decode_image(data, "a.tif", Limits()).pixels, dtype=np.float64)
    expected = np.zeros(picture.shape, dtype=np.bool_)
    with LargeScene(data, "a.tif", WINDOWED) as scene:
        for row in scene.bands():
            for window in row:
                part = picture[window.read.toslices()]
                expected[window.core.toslices()] = (part < 0.5 * part.mean())[window.inner]
    return expected


def test_each_window_is_a_request_and_the_answers_are_stitched_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scene_windows, "CORE", 256)
    data = scene_tiff(border=0, georeferenced=False)
    with zipfile.ZipFile(tmp_path / "in.zip", "w") as bundle:
        bundle.writestr("a.tif", data)
    archive = InputArchive(tmp_path / "in.zip", Limits())
    workspace = JobWorkspace(tmp_path / "job", fsync=False)
    with FakeEndpoint() as endpoint:
        engine = HttpEngine(endpoint.url, connect_timeout=2.0, read_timeout=10.0, retries=1)
        try:
            record = process_member(
                archive, archive.images[0], engine, workspace, WINDOWED, CancelToken()
            )
        finally:
            engine.close()
        sizes = {Image.open(io.BytesIO(r.content)).size for r in endpoint.received}
        requests = endpoint.requests
    workspace.journal.close()
    archive.close()
    assert record.status is ItemStatus.OK, record.error
    assert requests == 9
    # Cores of 256 with 128 pixels of context where there are neighbours (700 x 600).
    assert sizes == {(w, h) for w in (384, 512, 316) for h in (384, 472, 216)}
    with Image.open(workspace.root / (record.mask or "")) as mask:
        got = np.asarray(mask) > 0
    expected = stitched_threshold(data)
    assert expected.sum() > 1000
    assert np.array_equal(got, expected)
