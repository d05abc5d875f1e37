"""Image decoding: formats and modes to 8-bit, SAR stretches, EXIF, limits, damage."""

from __future__ import annotations

import io

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from oilspill_desktop.core.errors import ItemError, LimitExceeded
from oilspill_desktop.core.inputs.images import (
    IMAGE_EXTENSIONS,
    content_type_for,
    decode_image,
    decoded_pixels,
    is_image_name,
    to_8bit,
)
from oilspill_desktop.core.model import Limits
from tests import hostile_archives as hostile

LIMITS = Limits()


def pixels_of(data: bytes, limits: Limits = LIMITS) -> npt.NDArray[np.uint8]:
    return np.asarray(decode_image(data, "x", limits).pixels)


def assert_monotone_full_range(source: npt.NDArray[np.generic], out: npt.NDArray[np.uint8]) -> None:
    """Brighter input never gives darker output, and the output spans 0..255."""
    order = np.argsort(source.ravel(), kind="stable")
    assert np.all(np.diff(out.ravel()[order].astype(int)) >= 0)
    assert out.min() == 0
    assert out.max() == 255


# --------------------------------------------------------------- names, types


def test_image_names() -> None:
    assert {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".jp2", ".j2k", ".webp"} == (
        IMAGE_EXTENSIONS
    )
    for name in ("a.png", "b/C.JPG", "x.Jpeg", "y.BMP", "scene.tif", "scene.TIFF"):
        assert is_image_name(name), name
    for name in ("a.gif", "png", "a.png.txt", "a.tfw", "a_png"):
        assert not is_image_name(name), name


def test_content_types() -> None:
    assert content_type_for("PNG") == "image/png"
    assert content_type_for("JPEG") == "image/jpeg"
    assert content_type_for("TIFF") == "image/tiff"
    assert content_type_for("BMP") == "image/bmp"
    assert content_type_for("tiff") == "image/tiff"
    assert content_type_for("XYZ") == "application/octet-stream"


# ------------------------------------------------------- ordinary 8-bit files


def test_png_rgb_is_kept_and_sendable() -> None:
    data = hostile.png_bytes(8, 6)
    source = decode_image(data, "a/b.png", LIMITS)
    assert source.path == "a/b.png"
    assert (source.width, source.height) == (8, 6)
    assert source.pixels.mode == "RGB"
    assert source.original is data
    assert (source.original_format, source.content_type) == ("PNG", "image/png")
    assert source.sendable_original is True
    assert source.warnings == []
    assert np.array_equal(np.asarray(source.pixels), np.asarray(hostile.gradient(8, 6)))


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_jpeg_is_sendable(mode: str) -> None:
    source = decode_image(hostile.jpeg_bytes(16, 8, mode), "a.jpg", LIMITS)
    assert source.pixels.mode == mode
    assert (source.original_format, source.content_type) == ("JPEG", "image/jpeg")
    assert source.sendable_original is True


def test_a_png_named_jpg_is_decoded_by_its_content() -> None:
    source = decode_image(hostile.png_bytes(), "a.jpg", LIMITS)
    assert source.original_format == "PNG"


def test_bmp_decodes_but_is_not_sent_as_is() -> None:
    source = decode_image(hostile.bmp_bytes(8, 6), "a.bmp", LIMITS)
    assert source.pixels.mode == "RGB"
    assert (source.original_format, source.content_type) == ("BMP", "image/bmp")
    assert source.sendable_original is False


def test_exif_orientation_turns_the_jpeg_upright() -> None:
    plain = decode_image(hostile.jpeg_bytes(16, 8), "a.jpg", LIMITS)
    turned = decode_image(hostile.jpeg_bytes(16, 8, orientation=6), "a.jpg", LIMITS)
    assert plain.pixels.size == (16, 8)
    assert turned.pixels.size == (8, 16)
    # Orientation 6 means "rotate 90° clockwise to view": the stored left column is on top.
    stored = np.asarray(plain.pixels).astype(int)
    shown = np.asarray(turned.pixels).astype(int)
    assert np.abs(shown - np.rot90(stored, k=-1)).mean() < 4
    # An endpoint would see the file sideways, so the upright pixels are sent instead.
    assert turned.sendable_original is False


# ---------------------------------------------------------------- other modes


def test_cmyk_jpeg_and_tiff_become_rgb() -> None:
    for data in (
        hostile.jpeg_bytes(8, 6, "CMYK"),
        hostile.image_bytes(Image.new("CMYK", (4, 4)), "TIFF"),
    ):
        source = decode_image(data, "c", LIMITS)
        assert source.pixels.mode == "RGB"
        assert source.sendable_original is False


def test_cmyk_tiff_colours_are_converted() -> None:
    cyan = Image.new("CMYK", (2, 2), (255, 0, 0, 0))
    pixel = pixels_of(hostile.image_bytes(cyan, "TIFF"))[0, 0]
    assert tuple(pixel) == (0, 255, 255)


def test_palette_png_becomes_rgb_and_stays_sendable() -> None:
    source = decode_image(hostile.png_bytes(8, 6, "P"), "p.png", LIMITS)
    assert source.pixels.mode == "RGB"
    assert source.sendable_original is True


def test_palette_transparency_is_composited_on_black() -> None:
    image = Image.new("P", (2, 1))
    image.putpalette([200, 100, 50] * 2 + [0, 0, 0] * 254)
    image.putpixel((1, 0), 1)
    data = hostile.image_bytes(image, "PNG", transparency=1)
    assert Image.open(io.BytesIO(data)).info.get("transparency") == 1
    out = pixels_of(data)
    assert tuple(out[0, 0]) == (200, 100, 50)
    assert tuple(out[0, 1]) == (0, 0, 0)


def test_rgba_is_composited_on_black() -> None:
    image = Image.new("RGBA", (3, 1))
    image.putdata([(200, 100, 50, 255), (200, 100, 50, 0), (200, 100, 50, 128)])
    source = decode_image(hostile.image_bytes(image, "PNG"), "a.png", LIMITS)
    out = np.asarray(source.pixels)
    assert source.pixels.mode == "RGB"
    assert tuple(out[0, 0]) == (200, 100, 50)
    assert tuple(out[0, 1]) == (0, 0, 0)
    assert np.abs(out[0, 2].astype(int) - [100, 50, 25]).max() <= 1
    assert source.sendable_original is True


def test_la_becomes_l_composited_on_black() -> None:
    image = Image.new("LA", (2, 1))
    image.putdata([(180, 255), (180, 0)])
    source = decode_image(hostile.image_bytes(image, "PNG"), "a.png", LIMITS)
    assert source.pixels.mode == "L"
    assert np.asarray(source.pixels).tolist() == [[180, 0]]
    assert source.sendable_original is False


def test_pa_becomes_rgb() -> None:
    image = hostile.gradient(6, 4, "PA")
    assert image.mode == "PA"
    assert to_8bit(image, []).mode == "RGB"
    source = decode_image(hostile.image_bytes(image, "TIFF"), "a.tif", LIMITS)
    assert source.pixels.mode == "RGB"
    assert np.asarray(source.pixels)[:, 0].max() == 0  # alpha 0 in the first column


def test_one_bit_images_become_black_and_white_l() -> None:
    image = Image.new("1", (2, 1))
    image.putpixel((1, 0), 1)
    for fmt in ("PNG", "TIFF", "BMP"):
        source = decode_image(hostile.image_bytes(image, fmt), "a", LIMITS)
        assert source.pixels.mode == "L"
        assert np.asarray(source.pixels).tolist() == [[0, 255]]
        assert source.sendable_original is False


# --------------------------------------------------------- SAR-style stretches


def ramp_with_outliers(dtype: type[np.integer], base: int = 0) -> npt.NDArray[np.generic]:
    values = base + np.arange(1000, 3000, 2, dtype=np.int64)  # 1000 values in a sliver
    values[:3] = base  # a few dark outliers
    values[-3:] = base + 60000  # and bright ones
    return values.reshape(25, 40).astype(dtype)


@pytest.mark.parametrize("mode", ["I;16", "I;16B"])
def test_16_bit_tiff_is_percentile_stretched(mode: str) -> None:
    data = ramp_with_outliers(np.uint16)
    source = decode_image(hostile.tiff_from_array(data, mode=mode), "s.tif", LIMITS)
    assert Image.open(io.BytesIO(source.original)).mode == mode
    assert source.pixels.mode == "L"
    assert source.sendable_original is False
    out = np.asarray(source.pixels)
    assert_monotone_full_range(data, out)
    # A plain clip to 8 bits would crush the ramp; the stretch spreads it out.
    assert len(np.unique(out)) > 200
    assert source.warnings == []


def test_16_bit_big_and_little_endian_agree() -> None:
    data = ramp_with_outliers(np.uint16)
    little = pixels_of(hostile.tiff_from_array(data))
    big = pixels_of(hostile.tiff_from_array(data, mode="I;16B"))
    assert np.array_equal(little, big)


def test_16_bit_png_is_stretched_and_not_sendable() -> None:
    data = ramp_with_outliers(np.uint16)
    source = decode_image(hostile.image_bytes(Image.fromarray(data), "PNG"), "s.png", LIMITS)
    assert source.original_format == "PNG"
    assert source.sendable_original is False
    assert_monotone_full_range(data, np.asarray(source.pixels))


def test_32_bit_integer_tiff_with_a_big_offset_is_stretched() -> None:
    data = ramp_with_outliers(np.int32, base=1_000_000_000)
    source = decode_image(hostile.tiff_from_array(data), "s.tif", LIMITS)
    assert Image.open(io.BytesIO(source.original)).mode == "I"
    out = np.asarray(source.pixels)
    assert_monotone_full_range(data, out)
    assert len(np.unique(out)) > 200


def test_float_power_with_a_large_range_is_shown_in_db() -> None:
    # Linear sigma0 from 1e-4 to 1 (40 dB); in dB the ramp is even, so the output is too.
    power = np.logspace(-4, 0, 1000).astype(np.float32).reshape(25, 40)
    source = decode_image(hostile.tiff_from_array(power), "s.tif", LIMITS)
    out = np.asarray(source.pixels).ravel().astype(float)
    assert_monotone_full_range(power, np.asarray(source.pixels))
    assert np.corrcoef(out, np.arange(out.size))[0, 1] > 0.99
    assert 115 <= out[out.size // 2] <= 140  # -20 dB sits mid-way; linear would be ~0


def test_float_already_in_db_is_stretched_linearly() -> None:
    decibels = np.linspace(-35, 5, 1000, dtype=np.float32).reshape(25, 40)
    out = pixels_of(hostile.tiff_from_array(decibels))
    assert_monotone_full_range(decibels, out)
    assert np.corrcoef(out.ravel().astype(float), decibels.ravel())[0, 1] > 0.99


def test_float_with_small_positive_range_is_stretched_linearly() -> None:
    values = np.linspace(10, 20, 1000, dtype=np.float32).reshape(25, 40)
    out = pixels_of(hostile.tiff_from_array(values))
    assert_monotone_full_range(values, out)
    assert np.corrcoef(out.ravel().astype(float), values.ravel())[0, 1] > 0.99


def test_nan_inf_and_zero_are_no_data_in_float() -> None:
    power = np.logspace(-4, 0, 1000).astype(np.float32).reshape(25, 40)
    holes = power.copy()
    holes[0, :10] = np.nan
    holes[1, :10] = np.inf
    holes[2, :10] = -np.inf
    holes[3, :10] = 0.0
    source = decode_image(hostile.tiff_from_array(holes), "s.tif", LIMITS)
    out = np.asarray(source.pixels)
    assert np.all(out[:4, :10] == 0)
    valid = np.ones(holes.shape, dtype=bool)
    valid[:4, :10] = False
    assert_monotone_full_range(holes[valid], out[valid])
    assert [w.text for w in source.warnings] == [
        "4% of the pixels hold no data and are shown black."
    ]


def test_gdal_nodata_value_is_honoured() -> None:
    values = np.linspace(-30, -1, 1000, dtype=np.float32).reshape(25, 40)
    values[:, :4] = -9999.0
    source = decode_image(hostile.tiff_from_array(values, nodata="-9999"), "s.tif", LIMITS)
    out = np.asarray(source.pixels)
    assert np.all(out[:, :4] == 0)
    assert_monotone_full_range(values[:, 4:], out[:, 4:])
    assert "10% of the pixels hold no data" in source.warnings[0].text

    integers = ramp_with_outliers(np.uint16)
    integers[0, :] = 65535
    out16 = pixels_of(hostile.tiff_from_array(integers, nodata="65535"))
    assert np.all(out16[0] == 0)
    assert_monotone_full_range(integers[1:], out16[1:])


def test_all_no_data_and_constant_images() -> None:
    empty = np.full((4, 4), np.nan, dtype=np.float32)
    source = decode_image(hostile.tiff_from_array(empty), "s.tif", LIMITS)
    assert np.asarray(source.pixels).max() == 0
    assert [w.text for w in source.warnings] == [
        "100% of the pixels hold no data and are shown black."
    ]

    flat = np.full((4, 4), 1234, dtype=np.uint16)
    source = decode_image(hostile.tiff_from_array(flat), "s.tif", LIMITS)
    assert np.all(np.asarray(source.pixels) == 128)
    assert "single value" in source.warnings[0].text


def test_large_float_image_is_stretched_from_a_sample() -> None:
    rng = np.random.default_rng(3)
    power = rng.gamma(1.0, 0.01, (1200, 1000)).astype(np.float32)
    out = pixels_of(hostile.tiff_from_array(power))
    assert out.shape == (1200, 1000)
    assert_monotone_full_range(power, out)
    # About 1% at each end is clipped, whatever the sampling.
    assert 0.005 < np.mean(out == 0) < 0.02
    assert 0.005 < np.mean(out == 255) < 0.02


# ------------------------------------------------------------- multi-page TIFF


def test_multi_page_tiff_uses_the_first_page_with_a_warning() -> None:
    first = ramp_with_outliers(np.uint16)
    data = hostile.tiff_from_array(
        first, more_pages=[(hostile.gradient(5, 5, "L"), 0), (hostile.gradient(5, 5, "L"), 0)]
    )
    source = decode_image(data, "s.tif", LIMITS)
    assert source.pixels.size == (40, 25)
    assert_monotone_full_range(first, np.asarray(source.pixels))
    assert [w.text for w in source.warnings] == ["The TIFF holds 3 pages; only the first is used."]
    assert source.warnings[0].code == "warn.tiff_pages"
    assert source.warnings[0].params == {"count": 3}


def test_overview_pages_do_not_count_as_pages() -> None:
    data = hostile.tiff_from_array(
        ramp_with_outliers(np.uint16), more_pages=[(hostile.gradient(20, 12, "L"), 1)]
    )
    source = decode_image(data, "s.tif", LIMITS)
    assert source.pixels.size == (40, 25)
    assert source.warnings == []


# --------------------------------------------------------------------- limits


def test_pixel_limit_is_checked_from_the_header() -> None:
    with pytest.raises(
        LimitExceeded,
        match=r"^The image is 20 × 20 = 400 pixels, above the limit of 100 pixels\.$",
    ):
        decode_image(hostile.png_bytes(20, 20), "a.png", Limits(max_pixels=100))


def test_a_huge_declared_image_is_refused_without_decoding() -> None:
    data = hostile.png_header_only(100_000, 100_000)  # 33 bytes, no pixel data at all
    with pytest.raises(LimitExceeded, match="10,000,000,000 pixels, above the limit of 64,000,000"):
        decode_image(data, "a.png", LIMITS)


def test_pil_own_threshold_neither_warns_nor_blocks_allowed_images(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Pretend PIL's threshold is tiny; the user's limit is what counts, and no
    # DecompressionBombWarning may escape (warnings are errors in the tests).
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    limits = Limits(max_pixels=10_000)
    for data in (
        hostile.png_bytes(40, 40),
        hostile.jpeg_bytes(40, 40),
        hostile.image_bytes(hostile.gradient(40, 40, "L"), "TIFF"),  # PIL checks TIFF loads
    ):
        assert decode_image(data, "a", limits).pixels.size == (40, 40)
    assert Image.MAX_IMAGE_PIXELS == 1000  # nothing global was changed behind our back


def test_pil_hard_error_is_reported_as_a_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 500)
    data = hostile.image_bytes(hostile.gradient(40, 40, "L"), "TIFF")  # 1600 > 2 * 500
    with pytest.raises(LimitExceeded, match="imaging library's own safety limit of 1,000"):
        decode_image(data, "a.tif", Limits(max_pixels=10_000))


# ------------------------------------------------------------- damaged data


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the member is empty"),
        (b"hello, not an image", "the data is not a PNG, JPEG, BMP, TIFF, JPEG 2000 or WebP image"),
        (b"GIF89a" + bytes(40), "the data is not a PNG, JPEG, BMP, TIFF, JPEG 2000 or WebP image"),
    ],
)
def test_unrecognised_data(data: bytes, reason: str) -> None:
    with pytest.raises(ItemError, match=rf"^The image could not be decoded: {reason}\.$"):
        decode_image(data, "a.png", LIMITS)


@pytest.mark.parametrize(
    "data",
    [
        hostile.png_bytes(64, 64)[:-40],
        hostile.jpeg_bytes(64, 64)[:200],
        hostile.bmp_bytes(64, 64)[:100],
        hostile.tiff_from_array(ramp_with_outliers(np.uint16))[:300],
        b"\x89PNG\r\n\x1a\n" + bytes(30),
        b"II*\x00" + bytes(30),
    ],
    ids=["png", "jpeg", "bmp", "tiff", "png-header", "tiff-header"],
)
def test_truncated_or_corrupt_data_is_an_item_error(data: bytes) -> None:
    with pytest.raises(ItemError, match=r"^The image could not be decoded: .+\.$") as caught:
        decode_image(data, "a", LIMITS)
    assert not isinstance(caught.value, LimitExceeded)


# ---------------------------------------- an original that can stand for its pixels


def animated_png() -> bytes:
    frames = [Image.new("L", (4, 4), value) for value in (10, 200)]
    return png_with(frames[0], save_all=True, append_images=frames[1:])


def png_with(image: Image.Image, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **options)
    return buffer.getvalue()


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_an_8_bit_grey_or_rgb_png_is_a_png_of_its_pixels(mode: str) -> None:
    source = decode_image(png_with(hostile.gradient(9, 5, mode)), "a.png", LIMITS)
    assert source.original_is_png_of_pixels is True
    again = Image.open(io.BytesIO(source.original))
    assert np.array_equal(np.asarray(again), np.asarray(source.pixels))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(png_with(Image.new("L", (4, 4), 9), transparency=9), id="grey-tRNS"),
        pytest.param(png_with(Image.new("RGB", (4, 4)), transparency=(0, 0, 0)), id="rgb-tRNS"),
        pytest.param(png_with(Image.new("P", (4, 4))), id="palette"),
        pytest.param(png_with(Image.new("RGBA", (4, 4))), id="alpha"),
        pytest.param(png_with(Image.new("I;16", (4, 4), 300)), id="16-bit"),
        pytest.param(png_with(Image.new("1", (4, 4), 1)), id="1-bit"),
        pytest.param(png_with(Image.new("L", (4, 4)), exif=b"Exif\x00\x00MM\x00*"), id="exif"),
        pytest.param(animated_png(), id="apng"),
        pytest.param(png_with(Image.new("L", (4, 4))) + b"trailing junk", id="trailing-bytes"),
        pytest.param(hostile.jpeg_bytes(8, 8, "L"), id="jpeg"),
        pytest.param(hostile.bmp_bytes(8, 6), id="bmp"),
    ],
)
def test_other_originals_are_not_taken_for_their_pixels(data: bytes) -> None:
    assert decode_image(data, "a.png", LIMITS).original_is_png_of_pixels is False


def test_a_whole_jpeg_can_keep_its_pixels_undecoded_until_asked() -> None:
    data = hostile.jpeg_bytes(40, 30, "L")
    eager = decode_image(data, "a.jpg", Limits())
    assert not eager.pixels_deferred
    source = decode_image(data, "a.jpg", Limits(), defer_jpeg=True)
    assert source.pixels_deferred and source.original_is_jpeg_of_pixels
    assert (source.width, source.height) == (40, 30) and source.sendable_original
    pixels = decoded_pixels(source)
    assert not source.pixels_deferred
    assert np.array_equal(np.asarray(pixels), np.asarray(eager.pixels))


def test_a_cut_short_jpeg_is_decoded_at_once_and_fails_as_before() -> None:
    data = hostile.jpeg_bytes(40, 30, "RGB")[:-200]
    with pytest.raises(ItemError) as eager:
        decode_image(data, "a.jpg", Limits())
    with pytest.raises(ItemError) as deferred:
        decode_image(data, "a.jpg", Limits(), defer_jpeg=True)
    assert deferred.value.message.code == eager.value.message.code == "image.undecodable"


def test_only_plain_jpegs_are_deferred() -> None:
    turned = decode_image(
        hostile.jpeg_bytes(8, 6, "RGB", orientation=6), "a.jpg", Limits(), defer_jpeg=True
    )
    assert not turned.pixels_deferred and turned.pixels.size == (6, 8)
    png = decode_image(hostile.png_bytes(8, 6, "L"), "a.png", Limits(), defer_jpeg=True)
    assert not png.pixels_deferred


def test_a_deferred_decode_that_fails_says_so_like_an_eager_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = decode_image(hostile.jpeg_bytes(8, 6, "L"), "a.jpg", Limits(), defer_jpeg=True)

    def broken() -> None:
        raise OSError("broken data stream when reading image file")

    monkeypatch.setattr(source.pixels, "load", broken)
    with pytest.raises(ItemError) as failed:
        decoded_pixels(source)
    assert failed.value.message.code == "image.undecodable"
    assert "broken data stream" in failed.value.message.text
