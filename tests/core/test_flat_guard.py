"""A picture decoded to one value from data that are not one value fails, with a reason.

A black picture reported ok is the worst result the app can give: the item looks
processed, the engine finds no oil in it, and nobody looks again.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
import tifffile
from PIL import Image

from oilspill_desktop.core.errors import ItemError
from oilspill_desktop.core.inputs import tiff_bands
from oilspill_desktop.core.inputs.images import decode_image
from oilspill_desktop.core.model import Limits


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_rgb16(values: np.ndarray) -> bytes:
    """A 48-bit RGB PNG (Pillow cannot write one): IHDR, one IDAT of unfiltered rows."""
    height, width, _ = values.shape
    rows = b"".join(b"\x00" + values[y].astype(">u2").tobytes() for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


def _low_values(shape: tuple[int, ...]) -> np.ndarray:
    return np.random.default_rng(5).integers(0, 256, shape).astype(np.uint16)


def test_a_48_bit_png_with_values_below_256_is_refused_not_black() -> None:
    data = _png_rgb16(_low_values((12, 10, 3)))
    with Image.open(io.BytesIO(data)) as image:
        assert image.getextrema() == ((0, 0), (0, 0), (0, 0))  # what Pillow makes of it
    with pytest.raises(ItemError, match="16-bit colour PNG decodes to a picture of one single"):
        decode_image(data, "a.png", Limits())


def test_a_tiff_that_the_pillow_path_would_decode_black_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The guard behind the reader: force the old path for a 48-bit RGB TIFF of 8-bit values."""
    buffer = io.BytesIO()
    tifffile.imwrite(buffer, _low_values((12, 10, 3)), photometric="rgb")
    monkeypatch.setattr(tiff_bands.TiffLayout, "pillow_reads_it", property(lambda _self: True))
    with pytest.raises(ItemError, match="single value 0 everywhere, although its data are not"):
        decode_image(buffer.getvalue(), "a.tif", Limits())
    monkeypatch.undo()
    source = decode_image(buffer.getvalue(), "a.tif", Limits())  # the reader gets it right
    assert len(np.unique(np.asarray(source.pixels))) > 100


def test_data_that_are_all_no_data_of_two_kinds_are_refused() -> None:
    values = np.zeros((8, 8), np.float32)
    values[:4] = np.nan
    buffer = io.BytesIO()
    Image.fromarray(values).save(buffer, "TIFF")
    with pytest.raises(ItemError, match="perhaps all no-data"):
        decode_image(buffer.getvalue(), "a.tif", Limits())


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_pictures_that_are_truly_one_value_stay_ok(mode: str) -> None:
    for fmt in ("PNG", "TIFF"):
        buffer = io.BytesIO()
        Image.new(mode, (9, 7), 0).save(buffer, fmt)
        assert decode_image(buffer.getvalue(), "a", Limits()).pixels.getbbox() is None
    flat16 = io.BytesIO()
    tifffile.imwrite(flat16, np.full((7, 9, 3), 300, np.uint16), photometric="rgb")
    assert decode_image(flat16.getvalue(), "a.tif", Limits()).pixels.size == (9, 7)
