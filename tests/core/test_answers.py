"""Every kind of engine answer is read as what it is: mask, class map or overlay."""

from __future__ import annotations

import io

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from oilspill_desktop.core.engines.answers import CLASS_PALETTE, OIL_CLASS, interpret_answer

W, H = 96, 64


def _truth() -> npt.NDArray[np.bool_]:
    oil = np.zeros((H, W), dtype=bool)
    oil[10:30, 20:60] = True
    oil[45:50, 5:9] = True
    return oil


def _roundtrip(image: Image.Image, fmt: str, **options: object) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    reopened = Image.open(io.BytesIO(buffer.getvalue()))
    reopened.load()
    return reopened


def _class_truth() -> npt.NDArray[np.uint8]:
    classes = np.zeros((H, W), dtype=np.uint8)
    classes[10:30, 20:60] = OIL_CLASS
    classes[35:45, 60:80] = 2
    classes[50:54, 10:20] = 3
    classes[:, 88:] = 4
    return classes


def _class_rgb(classes: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    table = np.array([CLASS_PALETTE[i][1] for i in range(5)], dtype=np.uint8)
    return table[classes]


def _sar_photo(seed: int = 1) -> npt.NDArray[np.uint8]:
    """Speckled dark sea with a brighter band, like a SAR scene."""
    rng = np.random.default_rng(seed)
    base = rng.gamma(4.0, 12.0, size=(H, W))
    base[:, 60:] += 60
    return np.clip(base, 0, 255).astype(np.uint8)


def test_palette_constants() -> None:
    assert CLASS_PALETTE[0] == ("sea", (0, 0, 0))
    assert CLASS_PALETTE[OIL_CLASS] == ("oil", (0, 255, 255))
    assert CLASS_PALETTE[2][1] == (255, 0, 0)
    assert CLASS_PALETTE[3][1] == (153, 76, 0)
    assert CLASS_PALETTE[4][1] == (0, 153, 0)


def test_l_mask_0_255() -> None:
    oil = _truth()
    answer = _roundtrip(Image.fromarray(oil.astype(np.uint8) * 255, "L"), "PNG")
    result = interpret_answer(answer, W, H)
    assert result.kind == "mask"
    assert result.oil is not None
    np.testing.assert_array_equal(result.oil, oil)
    assert result.mask_image is not None
    assert result.mask_image.mode == "L"
    assert result.mask_image.size == (W, H)
    assert set(np.unique(np.asarray(result.mask_image)).tolist()) == {0, 255}
    assert result.overlay_image is None
    assert result.classes is None
    assert result.warnings == []


def test_bilevel_mode_1() -> None:
    oil = _truth()
    answer = _roundtrip(Image.fromarray(oil.astype(np.uint8) * 255, "L").convert("1"), "PNG")
    assert answer.mode == "1"
    result = interpret_answer(answer, W, H)
    assert result.kind == "mask"
    assert result.oil is not None
    np.testing.assert_array_equal(result.oil, oil)


def test_zero_one_mask_means_oil_where_one() -> None:
    oil = _truth()
    answer = _roundtrip(Image.fromarray(oil.astype(np.uint8), "L"), "PNG")
    result = interpret_answer(answer, W, H)
    assert result.kind == "mask"
    assert result.oil is not None
    np.testing.assert_array_equal(result.oil, oil)
    assert result.mask_image is not None
    assert int(np.asarray(result.mask_image).max()) == 255


@pytest.mark.parametrize("high", [1, 255, 65535])
def test_sixteen_bit_masks(high: int) -> None:
    oil = _truth()
    data = oil.astype(np.uint16) * np.uint16(high)
    answer = _roundtrip(Image.fromarray(data), "PNG")
    assert answer.mode.startswith("I")
    result = interpret_answer(answer, W, H)
    assert result.kind == "mask"
    assert result.oil is not None
    np.testing.assert_array_equal(result.oil, oil)


def test_float_probability_map() -> None:
    probability = np.where(_truth(), 0.8, 0.2).astype(np.float32)
    probability[0, 0] = np.nan
    result = interpret_answer(Image.fromarray(probability, "F"), W, H)
    assert result.kind == "mask"
    assert result.oil is not None
    np.testing.assert_array_equal(result.oil, _truth())


def test_grey_soft_mask_png_is_thresholded_at_half() -> None:
    ramp = np.tile(np.linspace(0, 255, W).astype(np.uint8), (H, 1))
    result = interpret_answer(_roundtrip(Image.fromarray(ramp, "L"), "PNG"), W, H)
    assert result.kind == "mask"
    assert result.oil is not None
    np.testing.assert_array_equal(result.oil, ramp >= 128)


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "LA"])
def test_grey_mask_in_colour_modes(mode: str) -> None:
    oil = _truth()
    answer = Image.fromarray(oil.astype(np.uint8) * 255, "L").convert(mode)
    result = interpret_answer(_roundtrip(answer, "PNG"), W, H)
    assert result.kind == "mask"
    assert result.oil is not None
    np.testing.assert_array_equal(result.oil, oil)


def test_grey_mask_as_jpeg_rgb_keeps_its_shape() -> None:
    oil = _truth()
    answer = _roundtrip(
        Image.fromarray(oil.astype(np.uint8) * 255, "L").convert("RGB"), "JPEG", quality=80
    )
    result = interpret_answer(answer, W, H)
    assert result.kind == "mask"
    assert result.oil is not None
    assert np.count_nonzero(result.oil != oil) < 0.01 * oil.size


def test_palette_mode_grey_mask() -> None:
    oil = _truth()
    answer = Image.fromarray(oil.astype(np.uint8), "P")
    answer.putpalette([0, 0, 0, 255, 255, 255])
    result = interpret_answer(_roundtrip(answer, "PNG"), W, H)
    assert result.kind == "mask"
    assert result.oil is not None
    np.testing.assert_array_equal(result.oil, oil)


def test_palette_mode_class_map_with_indices_in_another_order() -> None:
    """The indices of a P image are arbitrary: only the colours they point to count."""
    classes = _class_truth()
    order = [3, 0, 4, 1, 2]  # palette slot -> class
    slot_of_class = np.argsort(order).astype(np.uint8)
    answer = Image.fromarray(slot_of_class[classes], "P")
    answer.putpalette([c for cls in order for c in CLASS_PALETTE[cls][1]])
    result = interpret_answer(_roundtrip(answer, "PNG"), W, H)
    assert result.kind == "classes"
    assert result.classes is not None
    np.testing.assert_array_equal(result.classes, classes)


def test_exact_class_map() -> None:
    classes = _class_truth()
    answer = _roundtrip(Image.fromarray(_class_rgb(classes), "RGB"), "PNG")
    result = interpret_answer(answer, W, H)
    assert result.kind == "classes"
    assert result.classes is not None
    assert result.classes.dtype == np.uint8
    np.testing.assert_array_equal(result.classes, classes)
    assert result.oil is not None
    np.testing.assert_array_equal(result.oil, classes == OIL_CLASS)
    assert result.mask_image is not None
    assert result.mask_image.mode == "RGB"
    np.testing.assert_array_equal(np.asarray(result.mask_image), _class_rgb(classes))
    assert result.overlay_image is None


def test_class_map_with_only_a_few_oil_pixels_is_not_taken_for_grey() -> None:
    classes = np.zeros((H, W), dtype=np.uint8)
    classes[5, 5] = OIL_CLASS
    result = interpret_answer(Image.fromarray(_class_rgb(classes), "RGB"), W, H)
    assert result.kind == "classes"
    assert result.oil is not None
    assert int(result.oil.sum()) == 1
    assert bool(result.oil[5, 5])


def test_jpeg_noisy_class_map_snaps_to_palette() -> None:
    classes = _class_truth()
    answer = _roundtrip(Image.fromarray(_class_rgb(classes), "RGB"), "JPEG", quality=85)
    result = interpret_answer(answer, W, H)
    assert result.kind == "classes"
    assert result.classes is not None
    assert np.count_nonzero(result.classes != classes) < 0.03 * classes.size
    # Well inside each region the class is exact despite the noise.
    assert bool((result.classes[14:26, 24:56] == OIL_CLASS).all())
    assert bool((result.classes[:, 90:] == 4).all())
    assert result.mask_image is not None
    colours = {tuple(c) for c in np.asarray(result.mask_image).reshape(-1, 3).tolist()}
    assert colours <= {rgb for _name, rgb in CLASS_PALETTE.values()}


def test_annotated_photo_is_an_overlay() -> None:
    photo = np.stack([_sar_photo()] * 3, axis=-1).astype(np.float32)
    blob = _truth()
    colour = np.array([0, 255, 255], dtype=np.float32)
    photo[blob] = 0.55 * photo[blob] + 0.45 * colour
    answer = _roundtrip(Image.fromarray(photo.astype(np.uint8), "RGB"), "JPEG", quality=90)
    result = interpret_answer(answer, W, H)
    assert result.kind == "overlay"
    assert result.oil is None
    assert result.mask_image is None
    assert result.classes is None
    assert result.overlay_image is not None
    assert result.overlay_image.mode == "RGB"
    assert result.overlay_image.size == (W, H)


def test_dark_photo_with_class_colours_painted_is_not_a_class_map() -> None:
    """Dark sea sits near palette black; painted blobs must not turn it into a class map."""
    photo = np.stack([_sar_photo(seed=2) // 3] * 3, axis=-1)
    photo[_truth()] = (0, 255, 255)
    result = interpret_answer(Image.fromarray(photo, "RGB"), W, H)
    assert result.kind == "overlay"


@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_grey_photo_without_annotations_is_an_overlay(mode: str) -> None:
    """A JPEG photo of grey sea with nothing drawn is not a mask of its bright waves."""
    answer = _roundtrip(Image.fromarray(_sar_photo(), "L").convert(mode), "JPEG", quality=90)
    result = interpret_answer(answer, W, H)
    assert result.kind == "overlay"
    assert result.oil is None


def test_mask_of_another_size_is_resized_with_a_warning() -> None:
    small = np.zeros((128, 128), dtype=np.uint8)
    small[:64, :] = 255
    result = interpret_answer(Image.fromarray(small, "L"), 256, 256)
    assert result.kind == "mask"
    assert result.oil is not None
    assert result.oil.shape == (256, 256)
    assert bool(result.oil[:128].all())
    assert not bool(result.oil[128:].any())
    assert result.mask_image is not None
    assert result.mask_image.size == (256, 256)
    assert [w.text for w in result.warnings] == [
        "The engine's mask was 128x128 for a 256x256 image; it was resized."
    ]
    assert result.warnings[0].code == "warn.mask_resized"
    assert result.warnings[0].params == {
        "got_width": 128,
        "got_height": 128,
        "width": 256,
        "height": 256,
    }


def test_class_map_of_another_size_is_resized_with_a_warning() -> None:
    classes = _class_truth()
    answer = Image.fromarray(_class_rgb(classes), "RGB")
    result = interpret_answer(answer, W * 2, H * 2)
    assert result.kind == "classes"
    assert result.classes is not None
    assert result.classes.shape == (H * 2, W * 2)
    np.testing.assert_array_equal(result.classes[::2, ::2], classes)
    assert result.mask_image is not None
    assert result.mask_image.size == (W * 2, H * 2)
    assert len(result.warnings) == 1
    assert f"was {W}x{H} for a {W * 2}x{H * 2} image" in result.warnings[0].text


def test_overlay_of_another_size_is_resized_with_a_warning() -> None:
    photo = np.stack([_sar_photo(), _sar_photo(3), _sar_photo(4)], axis=-1)
    result = interpret_answer(Image.fromarray(photo, "RGB"), W // 2, H // 2)
    assert result.kind == "overlay"
    assert result.overlay_image is not None
    assert result.overlay_image.size == (W // 2, H // 2)
    assert len(result.warnings) == 1
    assert "resized" in result.warnings[0].text
