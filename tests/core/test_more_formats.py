"""JPEG 2000 and WebP are images too: decoded within the pixel limits, or refused clearly."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from oilspill_desktop.core.errors import ItemError, LimitExceeded
from oilspill_desktop.core.inputs.images import decode_image, is_image_name
from oilspill_desktop.core.model import Limits
from oilspill_desktop.tools.synthetic import synthetic_scene

SCENE = synthetic_scene(64, 48, seed=71, slicks=1).image


def _encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "fmt", "options"),
    [
        ("scene.jp2", "JPEG2000", {"irreversible": False}),
        ("scene.J2K", "JPEG2000", {"no_jp2": True, "irreversible": False}),
        ("scene.webp", "WEBP", {"lossless": True}),
    ],
)
def test_jpeg_2000_and_webp_decode_exactly_when_lossless(
    name: str, fmt: str, options: dict[str, object]
) -> None:
    assert is_image_name(name)
    for mode in ("L", "RGB"):
        source = decode_image(_encoded(SCENE.convert(mode), fmt, **options), name, Limits())
        assert source.original_format == fmt
        assert source.sendable_original is False  # a service gets a PNG of the pixels
        np.testing.assert_array_equal(np.asarray(source.pixels.convert("L")), np.asarray(SCENE))


@pytest.mark.parametrize("fmt", ["JPEG2000", "WEBP"])
def test_the_pixel_limit_holds_before_decoding(fmt: str) -> None:
    with pytest.raises(LimitExceeded, match="above the limit of 3,000 pixels"):
        decode_image(_encoded(SCENE, fmt), "a", Limits(max_pixels=3_000))


@pytest.mark.parametrize("image", [SCENE, Image.new("L", (64, 48), 9)])
def test_a_jpeg_2000_openjpeg_cannot_decode_gets_a_clear_error(image: Image.Image) -> None:
    data = _encoded(image, "JPEG2000", irreversible=False)
    broken = data[: len(data) // 2] + bytes(len(data) // 2)
    with pytest.raises(ItemError, match=r"^The JPEG 2000 image could not be decoded by OpenJPEG: "):
        decode_image(broken, "a.jp2", Limits())


def test_riff_data_that_is_not_webp_is_not_an_image() -> None:
    with pytest.raises(ItemError, match="could not be decoded"):
        decode_image(b"RIFF\x10\x00\x00\x00WAVEfmt " + bytes(16), "a.webp", Limits())
