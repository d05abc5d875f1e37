"""One member through the pipeline: what lands in the job folder for each kind of answer."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

from oilspill_desktop.core.inputs.archive import InputArchive
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.pipeline import process_member
from oilspill_desktop.core.jobs.workspace import JobWorkspace
from oilspill_desktop.core.model import EngineAnswer, ItemRecord, ItemStatus, Limits, SourceImage
from oilspill_desktop.core.results.overlay_files import OverlayFormat
from oilspill_desktop.core.results.png import blank_png
from tests import hostile_archives as hostile


class MaskEngine:
    """Answers every image with the mask ``oil`` (True where oil), at the image's size."""

    engine = "fake"
    endpoint = None

    def __init__(self, oil_box: tuple[int, int, int, int] | None, engine: str = "fake") -> None:
        self.oil_box = oil_box
        self.engine = engine
        self.sources: list[SourceImage] = []

    def segment(self, image: SourceImage, cancel: CancelToken) -> EngineAnswer:
        self.sources.append(image)
        mask = Image.new("L", (image.width, image.height), 0)
        if self.oil_box is not None:
            mask.paste(255, self.oil_box)
        return EngineAnswer(image=mask)

    def close(self) -> None:
        pass


def run_one(
    tmp_path: Path,
    name: str,
    data: bytes,
    engine: MaskEngine,
    overlays: OverlayFormat = "png",
) -> tuple[ItemRecord, Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(tmp_path / "in.zip", "w") as bundle:
        bundle.writestr(name, data)
    archive = InputArchive(tmp_path / "in.zip", Limits())
    workspace = JobWorkspace(tmp_path / "job", fsync=False)
    member = archive.images[0]
    record = process_member(archive, member, engine, workspace, Limits(), CancelToken(), overlays)
    workspace.journal.close()
    archive.close()
    assert record.status is ItemStatus.OK, record.error
    return record, workspace.root


def png_of(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image)


def test_open_sea_keeps_the_png_original_as_its_overlay(tmp_path: Path) -> None:
    original = png_of(hostile.gradient(24, 16, "L"))
    record, root = run_one(tmp_path, "sea/a.png", original, MaskEngine(None))
    assert record.oil_pixels == 0
    assert (root / (record.overlay or "")).read_bytes() == original
    mask = (root / (record.mask or "")).read_bytes()
    assert mask == blank_png("L", 24, 16)
    assert not pixels(root / (record.mask or "")).any()


def test_a_slick_is_painted_on_a_new_rgb_overlay(tmp_path: Path) -> None:
    image = hostile.gradient(24, 16, "L")
    record, root = run_one(tmp_path, "a.png", png_of(image), MaskEngine((4, 4, 10, 8)))
    assert record.oil_pixels == 24
    overlay = pixels(root / (record.overlay or ""))
    assert overlay.shape == (16, 24, 3)
    base = np.asarray(image)
    assert np.array_equal(overlay[0, 0], [base[0, 0]] * 3)  # unpainted: the grey value
    assert tuple(overlay[5, 5]) != (base[5, 5],) * 3  # painted
    assert pixels(root / (record.mask or ""))[5, 5] == 255


def test_open_sea_from_a_jpeg_gets_an_encoded_grey_overlay(tmp_path: Path) -> None:
    data = hostile.jpeg_bytes(16, 8, "L")
    record, root = run_one(tmp_path, "a.jpg", data, MaskEngine(None))
    overlay_path = root / (record.overlay or "")
    assert overlay_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(io.BytesIO(data)) as decoded:
        assert np.array_equal(pixels(overlay_path), np.asarray(decoded))


def test_an_image_with_oil_gets_a_thumbnail_for_the_report(tmp_path: Path) -> None:
    original = png_of(hostile.gradient(400, 200, "L"))
    _record, root = run_one(tmp_path, "slick.png", original, MaskEngine((100, 50, 200, 100)))
    with Image.open(root / "thumbnails" / "masks" / "slick.jpg") as thumb:
        assert thumb.size == (160, 80)
        painted = np.asarray(thumb.convert("RGB"))[30, 60]
    assert painted[2] > painted[0] + 40  # the oil is tinted cyan, from the image and mask


def test_open_sea_gets_no_thumbnail(tmp_path: Path) -> None:
    _record, root = run_one(
        tmp_path, "sea.png", png_of(hostile.gradient(40, 20, "L")), MaskEngine(None)
    )
    assert not (root / "thumbnails").exists()


def test_a_slick_is_painted_on_a_jpeg_overlay_and_the_mask_stays_lossless(
    tmp_path: Path,
) -> None:
    record, root = run_one(
        tmp_path, "a.jpg", hostile.jpeg_bytes(64, 48, "L"), MaskEngine((8, 8, 40, 30)), "jpeg"
    )
    assert record.overlay == "overlays/a.jpg"
    data = (root / record.overlay).read_bytes()
    assert data[:3] == b"\xff\xd8\xff" and data[-2:] == b"\xff\xd9"
    overlay = pixels(root / record.overlay).astype(int)
    assert overlay.shape == (48, 64, 3)
    r, g, b = overlay[20, 20]
    assert g - r > 80 and b - r > 80  # painted cyan, give or take JPEG rounding
    r, g, b = overlay[44, 60]
    assert abs(r - g) < 12 and abs(g - b) < 12  # unpainted: grey
    assert record.mask == "masks/a.png"
    mask = pixels(root / record.mask)
    assert mask[20, 20] == 255 and mask[2, 2] == 0 and int((mask == 255).sum()) == 32 * 22


def test_open_sea_keeps_a_jpeg_original_as_its_jpeg_overlay(tmp_path: Path) -> None:
    data = hostile.jpeg_bytes(16, 8, "L")
    record, root = run_one(tmp_path, "sea/b.jpeg", data, MaskEngine(None), "jpeg")
    assert record.overlay == "overlays/sea/b.jpg"
    assert (root / record.overlay).read_bytes() == data


def test_open_sea_from_a_png_gets_an_encoded_jpeg_overlay(tmp_path: Path) -> None:
    image = hostile.gradient(24, 16, "L")
    record, root = run_one(tmp_path, "a.png", png_of(image), MaskEngine(None), "jpeg")
    assert record.overlay == "overlays/a.jpg"
    overlay = pixels(root / record.overlay).astype(int)
    assert overlay.shape == (16, 24)
    error = np.abs(overlay - np.asarray(image, dtype=int))
    assert error.mean() < 2 and error.max() <= 16  # JPEG at quality 90


def test_no_overlays_keeps_the_mask_alone(tmp_path: Path) -> None:
    record, root = run_one(
        tmp_path, "a.png", png_of(hostile.gradient(24, 16, "L")), MaskEngine((4, 4, 10, 8)), "none"
    )
    assert record.overlay is None
    assert record.mask == "masks/a.png" and record.oil_pixels == 24
    assert not (root / "overlays").exists()


def test_an_endpoint_sent_a_jpeg_on_open_sea_never_needs_its_pixels(tmp_path: Path) -> None:
    """The JPEG's bytes go to the endpoint and become the overlay: nothing is decoded."""
    data = hostile.jpeg_bytes(32, 24, "L")
    for overlays in ("jpeg", "none"):
        engine = MaskEngine(None, engine="http")
        record, _root = run_one(tmp_path / overlays, "a.jpg", data, engine, overlays)
        assert engine.sources[0].pixels_deferred  # still undecoded after the whole image
        assert record.oil_pixels == 0 and record.mask == "masks/a.png"
    assert (tmp_path / "jpeg" / "job" / "overlays" / "a.jpg").read_bytes() == data


def test_an_endpoint_sent_a_jpeg_with_a_slick_paints_its_decoded_pixels(tmp_path: Path) -> None:
    data = hostile.jpeg_bytes(32, 24, "L")
    offline = run_one(tmp_path / "offline", "a.jpg", data, MaskEngine((4, 4, 20, 12)), "jpeg")
    engine = MaskEngine((4, 4, 20, 12), engine="http")
    record, root = run_one(tmp_path / "http", "a.jpg", data, engine, "jpeg")
    assert not engine.sources[0].pixels_deferred  # decoded to paint
    assert record.oil_pixels == 16 * 8
    painted = pixels(root / (record.overlay or ""))
    assert np.array_equal(painted, pixels(offline[1] / (offline[0].overlay or "")))


def test_without_overlays_a_jpeg_with_oil_is_decoded_for_its_thumbnail(tmp_path: Path) -> None:
    data = hostile.jpeg_bytes(320, 160, "L")
    box = (100, 50, 200, 100)
    _offline, offline_root = run_one(tmp_path / "offline", "a.jpg", data, MaskEngine(box), "none")
    engine = MaskEngine(box, engine="http")
    _record, root = run_one(tmp_path / "http", "a.jpg", data, engine, "none")
    assert not engine.sources[0].pixels_deferred
    name = "thumbnails/masks/a.jpg"
    assert (root / name).read_bytes() == (offline_root / name).read_bytes()
