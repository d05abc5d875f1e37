"""Masks derived from YOLO-style annotated answers, and their round trip through records."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from oilspill_desktop.core.engines.annotated import derive_mask
from oilspill_desktop.core.engines.answers import interpret_answer
from oilspill_desktop.core.engines.upload import UploadNamer, safe_stem
from oilspill_desktop.core.errors import EngineError
from oilspill_desktop.core.model import ItemRecord, ItemStatus
from oilspill_desktop.tools.synthetic import survey_scene
from tests.endpoint_server import paint_like_yolo


def scene(index: int, size: tuple[int, int]) -> np.ndarray:
    return np.asarray(survey_scene(index, size=size).image.convert("RGB"))


def blob(size: tuple[int, int]) -> np.ndarray:
    width, height = size
    yy, xx = np.ogrid[:height, :width]
    return ((yy - height * 0.55) / (height * 0.2)) ** 2 + (
        (xx - width * 0.5) / (width * 0.25)
    ) ** 2 <= 1


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return int(np.count_nonzero(a & b)) / int(np.count_nonzero(a | b))


@pytest.mark.parametrize("size", [(256, 256), (640, 480), (1024, 768)])
def test_the_painted_region_comes_back_as_the_mask(size: tuple[int, int]) -> None:
    sent = scene(3, size)
    painted = blob(size)
    answer = Image.open(io.BytesIO(paint_like_yolo(sent, painted)))
    result = interpret_answer(answer, size[0], size[1], sent=Image.fromarray(sent))
    assert result.kind == "mask" and result.mask_source == "derived"
    assert result.oil is not None and result.overlay_image is not None
    assert iou(result.oil, painted) >= 0.8


def test_an_answer_with_nothing_painted_gives_an_empty_mask() -> None:
    sent = scene(4, (200, 150))
    buffer = io.BytesIO()
    Image.fromarray(sent).save(buffer, "JPEG", quality=95)
    result = interpret_answer(Image.open(buffer), 200, 150, sent=Image.fromarray(sent))
    assert result.mask_source == "derived" and result.oil is not None
    assert not result.oil.any()


def test_another_images_annotation_is_refused() -> None:
    size = (256, 256)
    answer = Image.open(io.BytesIO(paint_like_yolo(scene(7, size), blob(size))))
    with pytest.raises(EngineError, match="not a copy of the image sent"):
        interpret_answer(answer, 256, 256, sent=Image.fromarray(scene(3, size)))


def test_without_the_sent_picture_an_annotation_stays_an_overlay() -> None:
    size = (128, 128)
    answer = Image.open(io.BytesIO(paint_like_yolo(scene(3, size), blob(size))))
    result = interpret_answer(answer, 128, 128)
    assert result.kind == "overlay" and result.oil is None and result.mask_source is None


def test_derive_mask_wants_matching_rgb_arrays() -> None:
    with pytest.raises(ValueError):
        derive_mask(np.zeros((4, 4, 3), np.uint8), np.zeros((4, 5, 3), np.uint8))


def test_mask_source_survives_the_record_round_trip() -> None:
    record = ItemRecord(path="a/img.jpg", status=ItemStatus.OK, mask_source="derived")
    assert ItemRecord.from_json(record.to_json()).mask_source == "derived"
    assert ItemRecord.from_json({"path": "x", "status": "ok"}).mask_source is None


def test_upload_names_are_unique_and_ascii() -> None:
    namer = UploadNamer()
    names = {namer.name("a/img.jpg", "jpg") for _ in range(1000)}
    assert len(names) == 1000
    assert all(n.startswith("img-") and n.endswith(".jpg") for n in names)
    assert safe_stem("папка/сцена 1.v2.png") == "1_v2"
    assert safe_stem("папка/сцена.png") == "image"
