"""The fast PNG writer: every picture it writes decodes to exactly the pixels it was given."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from oilspill_desktop.core.results import png
from oilspill_desktop.core.results.png import SIGNATURE, encode_png, save_png
from oilspill_desktop.tools.synthetic import synthetic_scene


def encode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    save_png(image, buffer)
    return buffer.getvalue()


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """Walk the chunks, checking each CRC (Pillow does not check them all)."""
    assert data.startswith(SIGNATURE)
    found, at = [], len(SIGNATURE)
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        found.append((kind, body))
        at += 12 + length
    assert at == len(data)
    return found


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def random_picture(mode: str, width: int, height: int, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    shape = (height, width) if mode == "L" else (height, width, 3)
    return Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8), mode)


@pytest.mark.parametrize("mode", ["L", "RGB"])
@pytest.mark.parametrize("size", [(1, 1), (1, 7), (7, 1), (33, 17), (256, 256)])
def test_pictures_come_back_pixel_for_pixel(mode: str, size: tuple[int, int]) -> None:
    picture = random_picture(mode, *size)
    data = encode(picture)
    back = decoded(data)
    assert back.mode == mode and back.size == size
    assert np.array_equal(np.asarray(back), np.asarray(picture))
    kinds = [kind for kind, _ in chunks(data)]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"IDAT" in kinds


def test_bands_and_chunks_join_without_a_seam(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny bands and IDAT chunks: the Up filter must reach across every band boundary."""
    monkeypatch.setattr(png, "_BAND_BYTES", 50)
    monkeypatch.setattr(png, "_IDAT_BYTES", 64)
    picture = random_picture("RGB", 23, 41, seed=3)
    data = encode(picture)
    assert sum(kind == b"IDAT" for kind, _ in chunks(data)) > 10
    assert np.array_equal(np.asarray(decoded(data)), np.asarray(picture))


def test_sizes_stay_close_to_pillows() -> None:
    """The fixed filter must not bloat what we store: a SAR scene, a mask, an overlay."""
    scene = synthetic_scene(256, 256, seed=5, slicks=2)
    mask = Image.fromarray(scene.oil.astype(np.uint8) * 255, "L")
    overlay = Image.composite(
        Image.new("RGB", mask.size, (0, 255, 255)), scene.image.convert("RGB"), mask
    )
    for picture in (scene.image, mask, overlay):
        ours = len(encode(picture))
        pillows = io.BytesIO()
        picture.save(pillows, "PNG", compress_level=1)
        assert ours <= 1.1 * len(pillows.getvalue()), picture.mode
        assert np.array_equal(np.asarray(decoded(encode(picture))), np.asarray(picture))


@pytest.mark.parametrize("mode", ["1", "P", "RGBA", "LA", "I;16"])
def test_other_modes_are_left_to_pillow(mode: str) -> None:
    picture = Image.new(mode, (9, 5))
    back = decoded(encode(picture))
    assert back.size == (9, 5)
    assert np.array_equal(np.asarray(back), np.asarray(picture))


def test_encode_png_round_trips() -> None:
    image = Image.new("RGB", (13, 7))
    image.putdata(
        [(x * 19 % 256, y * 37 % 256, (x + y) * 11 % 256) for y in range(7) for x in range(13)]
    )
    decoded = Image.open(io.BytesIO(encode_png(image)))
    assert decoded.format == "PNG"
    assert np.array_equal(np.asarray(decoded), np.asarray(image))
