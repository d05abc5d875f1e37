"""The viewer on a large scene's result: held reduced to the display limit, decoded
reduced (never whole), and read in the scene's own pixels.

The scene is made large by lowering the thresholds instead of the data: a 700 × 600
georeferenced 16-bit GeoTIFF is processed window by window (large-scene threshold 256²,
windows of 256 pixels), and the viewer's display limit is lowered to 128 pixels, so it is
shown at 1:6 (117 × 100).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from rasterio.io import MemoryFile
from rasterio.warp import transform as warp_transform

from oilspill_desktop.core.geo.georef import quiet_open
from oilspill_desktop.core.inputs import scene_windows
from oilspill_desktop.core.inputs.archive import InputArchive
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.pipeline import process_member
from oilspill_desktop.core.jobs.workspace import JobWorkspace
from oilspill_desktop.core.model import EngineAnswer, ItemRecord, ItemStatus, Limits, SourceImage
from oilspill_desktop.core.results.png import SIGNATURE
from oilspill_desktop.core.results.png_rows import sample_positions
from oilspill_desktop.core.results.report import InputFacts, JobReport
from oilspill_desktop.core.results.results_zip import write_results_zip
from oilspill_desktop.ui.viewer import ViewerWindow, display, input_tracker, originals, pictures
from oilspill_desktop.ui.viewer.geo_panel import format_lonlat
from oilspill_desktop.ui.viewer.results_source import ResultsInfo, ResultsSource
from oilspill_desktop.ui.viewer.views_panel import ViewRole
from oilspill_desktop.ui.viewer.zoom_view import ZoomView
from tests.geotiffs import UTM33N, UTM_ORIGIN

from .test_viewer_pipeline import open_window, wait_live
from .viewer_fixtures import OFFSCREEN_NOISE, write_results

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]

WIDTH, HEIGHT = 700, 600
SLICK = (slice(100, 180), slice(200, 330))
"""Rows and columns of the one dark slick."""
LIMITS = Limits(large_scene_pixels=256 * 256)
FACTOR = 6
"""ceil(700 / 128): the reduction at a display limit of 128."""


class DarkIsOil:
    """Answers each window with oil where its picture is dark: the slick, wherever the
    window lies."""

    engine = "fake"
    endpoint = None

    def segment(self, image: SourceImage, cancel: CancelToken) -> EngineAnswer:
        dark = np.asarray(image.pixels) < 60
        return EngineAnswer(image=Image.fromarray(dark.astype(np.uint8) * 255, "L"))

    def close(self) -> None:
        pass


def scene_tiff() -> bytes:
    rng = np.random.default_rng(11)
    pixels = rng.integers(600, 700, size=(HEIGHT, WIDTH)).astype("uint16")
    pixels[SLICK] = 40
    profile = {
        "driver": "GTiff",
        "width": WIDTH,
        "height": HEIGHT,
        "count": 1,
        "dtype": "uint16",
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
        "compress": "deflate",
        "crs": UTM33N,
        "transform": UTM_ORIGIN,
    }
    with MemoryFile() as memory, quiet_open():
        with memory.open(**profile) as dataset:
            dataset.write(pixels, 1)
        return bytes(memory.read())


@pytest.fixture
def large_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``in_results.zip`` of the scene, processed in windows, beside its ``in.zip``."""
    monkeypatch.setattr(scene_windows, "CORE", 256)
    monkeypatch.setattr(display, "DISPLAY_SIDE", 128)
    monkeypatch.setattr(display, "WHOLE_PICTURE_PIXELS", 128 * 128)
    monkeypatch.setattr(input_tracker, "user_limits", lambda: (LIMITS, "auto"))
    source = tmp_path / "in.zip"
    with zipfile.ZipFile(source, "w") as bundle:
        bundle.writestr("gulf/scene.tif", scene_tiff())
    archive = InputArchive(source, Limits())
    workspace = JobWorkspace(tmp_path / "job", fsync=False)
    record = process_member(
        archive, archive.images[0], DarkIsOil(), workspace, LIMITS, CancelToken(), "jpeg"
    )
    workspace.journal.close()
    archive.close()
    assert record.status is ItemStatus.OK, record.error
    assert any("segmented in 9 windows" in warning.text for warning in record.warnings)
    data = source.read_bytes()
    facts = InputFacts(source.name, len(data), hashlib.sha256(data).hexdigest())
    report = JobReport(facts, "fake", None, "t0", "t1", [record])
    return write_results_zip(tmp_path / "in_results.zip", report, workspace)


def full_mask(results: Path) -> np.ndarray:
    with (
        zipfile.ZipFile(results) as bundle,
        Image.open(io.BytesIO(bundle.read("masks/gulf/scene.png"))) as image,
    ):
        return np.asarray(image) > 0


def sampled(values: np.ndarray, factor: int) -> np.ndarray:
    rows, columns = (
        sample_positions(values.shape[0], factor),
        sample_positions(values.shape[1], factor),
    )
    return values[rows][:, columns]


def held_indices(image) -> np.ndarray:
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * height)
    return data.reshape(height, image.bytesPerLine())[:, :width]


def hover(view: ZoomView, point: QPointF) -> None:
    """The mouse moved over ``point`` of the scene (an event, not the offscreen cursor)."""
    where = QPointF(view.mapFromScene(point))
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        where,
        QPointF(view.viewport().mapToGlobal(where)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), event)


def test_a_large_scene_is_shown_reduced_and_decoded_reduced(
    qtbot, large_result: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: dict[str, list[int]] = {"mask": [], "original": []}
    stream = pictures.read_grey_reduced
    preview = scene_windows.LargeScene.preview
    opened: list[str] = []
    open_picture = pictures._open_picture

    def streamed(data: bytes, factor: int, cancel: CancelToken | None = None) -> np.ndarray:
        asked["mask"].append(factor)
        return stream(data, factor, cancel)

    def previewed(self: scene_windows.LargeScene, factor: int | None = None) -> Image.Image:
        asked["original"].append(factor or 0)
        return preview(self, factor)

    def whole(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the scene was decoded whole")

    def picture(data: bytes, name: str, limits: Limits) -> Image.Image:
        opened.append(name)  # Pillow decodes whole: the saved overlay only (it is reduced)
        return open_picture(data, name, limits)

    monkeypatch.setattr(pictures, "read_grey_reduced", streamed)
    monkeypatch.setattr(scene_windows.LargeScene, "preview", previewed)
    monkeypatch.setattr(pictures, "_open_picture", picture)
    monkeypatch.setattr(originals, "decode_image", whole)

    window = open_window(qtbot, ViewerWindow(large_result))
    wait_live(qtbot, window)
    # the mask is read again once the original is found; each time reduced
    assert set(asked["mask"]) == set(asked["original"]) == {FACTOR}
    assert opened and set(opened) == {"overlays/gulf/scene.jpg"}
    shown = window.views.pictures
    assert shown is not None and (shown.width, shown.height) == (WIDTH, HEIGHT)
    assert shown.shown_at == FACTOR and shown.original is not None and shown.classes is not None
    for pyramid in (shown.original, shown.classes, shown.outlines):
        assert pyramid is not None and (pyramid.width, pyramid.height) == (WIDTH, HEIGHT)
        assert (pyramid.levels[0].width(), pyramid.levels[0].height()) == (117, 100)
    # the mask held is the full-size mask of the results, sampled: nothing made up
    expected = sampled(full_mask(large_result), FACTOR)
    assert expected.sum() > 200
    assert np.array_equal(held_indices(shown.classes.levels[0]) == 1, expected)
    assert window.facts.text("shown") == "1:6, a reduced preview of the scene"
    # the views are in the scene's pixels: fitting a 700-pixel scene is not fitting 117
    view = window.views.view(ViewRole.MASK)
    assert view.sceneRect().width() == WIDTH


def test_the_cursor_reads_the_scene_at_full_resolution(qtbot, large_result: Path) -> None:
    window = open_window(qtbot, ViewerWindow(large_result))
    wait_live(qtbot, window)
    geo = window.geo
    qtbot.waitUntil(lambda: geo.georef is not None, timeout=10000)
    window.commands.actual_action.trigger()  # 1:1 in scene pixels, not in held pixels
    view = window.views.view(ViewRole.MASK)
    qtbot.waitUntil(lambda: abs(view.zoom() - 1.0) < 1e-9)
    x, y = 250, 140  # in the slick
    view.centerOn(QPointF(x, y))
    hover(view, QPointF(x, y))
    status = window.status_line
    qtbot.waitUntil(lambda: f"x {x}, y {y}" in status.text())
    assert status.text().startswith("Zoom 100 % · shown at 1:6 · x 250, y 140 · value ")
    assert status.text().endswith("· Oil")
    # longitude/latitude of that scene pixel, worked out here from the input's transform
    easting, northing = UTM_ORIGIN.c + 10.0 * x, UTM_ORIGIN.f - 10.0 * y  # 10 m pixels
    lon, lat = warp_transform(UTM33N, "EPSG:4326", [easting], [northing])
    expected = format_lonlat(lon[0], lat[0]).replace(", ", "\n")
    qtbot.waitUntil(lambda: geo.panel.text("cursor") == expected)
    # at the sea's edge of the slick the class changes where the scene's does, within a block
    hover(view, QPointF(x, 100 - FACTOR - 1))
    qtbot.waitUntil(lambda: status.text().endswith("· Sea"))


def test_export_saves_the_preview_and_says_so(qtbot, large_result: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, ViewerWindow(large_result))
    wait_live(qtbot, window)
    window.views.set_single(ViewRole.MASK)
    target = tmp_path / "mask.png"
    window.images.save(target)
    said = window.statusBar()
    qtbot.waitUntil(lambda: said.currentMessage().startswith("Saved"), timeout=10000)
    assert said.currentMessage() == (
        f"Saved {target}. It is the preview, reduced 1:6; the full-size mask is "
        "masks/gulf/scene.png in the results."
    )
    with Image.open(target) as image:
        assert image.size == (117, 100)


def test_a_picture_under_the_pixel_limit_is_decoded_whole_then_reduced(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pillow's masks (any PNG filter) and PNG originals take the whole-image path, as
    the job did, and are held reduced all the same."""
    monkeypatch.setattr(display, "DISPLAY_SIDE", 128)
    monkeypatch.setattr(display, "WHOLE_PICTURE_PIXELS", 128 * 128)
    fixture = write_results(tmp_path / "data", count=1, size=(300, 200))
    window = open_window(qtbot, ViewerWindow(fixture.results))
    wait_live(qtbot, window)
    shown = window.views.pictures
    assert shown is not None and shown.shown_at == 3 and shown.classes is not None
    assert (shown.width, shown.height) == (300, 200)
    assert shown.original is not None and shown.original.levels[0].width() == 100
    mask = fixture.masks[0]
    assert mask is not None
    assert np.array_equal(held_indices(shown.classes.levels[0]), sampled(mask, 3))
    assert "shown at 1:3" in window.status_line.describe()


def test_a_damaged_large_mask_is_named_not_shown(qtbot, large_result: Path) -> None:
    cut = large_result.with_name("cut_results.zip")
    with zipfile.ZipFile(large_result) as source, zipfile.ZipFile(cut, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data[: len(data) // 2] if name.startswith("masks/") else data)
    window = open_window(qtbot, ViewerWindow(cut))
    qtbot.waitUntil(lambda: window.views.pictures is not None, timeout=10000)
    shown = window.views.pictures
    assert shown is not None and shown.classes is None
    assert shown.mask_note == (
        "The mask could not be shown: masks/gulf/scene.png is damaged: its rows are cut "
        "short or do not unpack."
    )


class OnePicture(ResultsSource):
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.info = ResultsInfo(title="test")

    def read(self, name: str) -> bytes:
        return self.data


def test_a_huge_mask_the_reader_cannot_stream_is_refused_by_its_size() -> None:
    """An RGB PNG declaring 30,000² pixels: refused from its header, not as unreadable."""
    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 2, 0, 0, 0)
    crc = struct.pack(">I", zlib.crc32(header, zlib.crc32(b"IHDR")))
    data = SIGNATURE + struct.pack(">I", 13) + b"IHDR" + header + crc
    record = ItemRecord(path="big.tif", status=ItemStatus.OK, mask="masks/big.png")
    context = pictures.LoadContext(OnePicture(data))
    loaded = pictures.load_pictures("k", record, context, CancelToken())
    assert loaded.mask_note == (
        "The mask could not be shown: masks/big.png is 30000x30000 pixels, more than the "
        "viewer will open."
    )


def test_pictures_up_to_the_pixel_limit_keep_their_own_pixels() -> None:
    """Zooming into an 8,000-pixel scene shows its real pixels; a 20,000² one is 1:5."""
    assert display.reduction(8_000, 8_000) == 1
    assert display.reduction(20_000, 20_000) == 5
    assert display.reduction(64_000, 1_001) == 16
