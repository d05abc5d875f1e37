"""The row-streaming grey PNG reader: the same pixels as Pillow's whole decode, sampled."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from oilspill_desktop.core.errors import Cancelled
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.results import png_rows
from oilspill_desktop.core.results.png import SIGNATURE, GreyPngRows, encode_png
from oilspill_desktop.core.results.png_rows import (
    DamagedPng,
    NotStreamable,
    png_size,
    read_grey_reduced,
    sample_positions,
)


def speckle(height: int = 203, width: int = 157) -> np.ndarray:
    return np.random.default_rng(3).integers(0, 256, size=(height, width), dtype=np.uint8)


def sampled(pixels: np.ndarray, factor: int) -> np.ndarray:
    rows = sample_positions(pixels.shape[0], factor)
    columns = sample_positions(pixels.shape[1], factor)
    return pixels[rows][:, columns]


def filtered_png(pixels: np.ndarray, filters: list[int]) -> bytes:
    """A grey PNG whose rows use the given filters in turn (None, Sub or Up)."""
    lines = bytearray()
    above = np.zeros(pixels.shape[1], dtype=np.uint8)
    for index, row in enumerate(pixels):
        kind = filters[index % len(filters)]
        left = np.concatenate([[0], row[:-1]]).astype(np.uint8)
        raw = {0: row, 1: row - left, 2: row - above}[kind]
        lines += bytes([kind]) + raw.astype(np.uint8).tobytes()
        above = row

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(data, zlib.crc32(kind))
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", pixels.shape[1], pixels.shape[0], 8, 0, 0, 0, 0)
    body = zlib.compress(bytes(lines))
    return SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


@pytest.mark.parametrize("factor", [1, 2, 5, 7])
def test_the_apps_pngs_read_reduced_are_the_whole_decode_sampled(factor: int) -> None:
    pixels = speckle()
    data = encode_png(Image.fromarray(pixels, "L"))
    assert png_size(data) == (157, 203)
    assert np.array_equal(read_grey_reduced(data, factor), sampled(pixels, factor))


def test_a_mask_written_band_by_band_reads_back_reduced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(png_rows, "_BAND_BYTES", 999)  # many bands, rows split across them
    pixels = (speckle(300, 250) > 200).astype(np.uint8) * 255
    buffer = io.BytesIO()
    writer = GreyPngRows(buffer, 250, 300)
    for top in range(0, 300, 64):
        writer.write(pixels[top : top + 64])
    writer.close()
    assert np.array_equal(read_grey_reduced(buffer.getvalue(), 4), sampled(pixels, 4))


def test_rows_filtered_none_sub_and_up_are_undone() -> None:
    pixels = speckle(40, 33)
    data = filtered_png(pixels, [0, 1, 2, 1])
    with Image.open(io.BytesIO(data)) as image:
        assert np.array_equal(np.asarray(image), pixels)  # the test's PNG is a valid one
    assert np.array_equal(read_grey_reduced(data, 1), pixels)
    assert np.array_equal(read_grey_reduced(data, 3), sampled(pixels, 3))


def test_the_centre_of_each_block_is_kept_and_the_last_block_clipped() -> None:
    assert sample_positions(10, 4).tolist() == [2, 6, 9]
    assert sample_positions(5, 1).tolist() == [0, 1, 2, 3, 4]


def test_what_it_does_not_read_is_said() -> None:
    rgb = encode_png(Image.new("RGB", (8, 8)))
    with pytest.raises(NotStreamable, match="colour type 2"):
        read_grey_reduced(rgb, 2)
    paeth = filtered_png(speckle(4, 4), [0]).replace(b"", b"")
    lines = bytes([4]) + bytes(4)
    broken = paeth[:33] + b""  # IHDR ends at 33
    body = zlib.compress(lines * 4)
    crc = zlib.crc32(body, zlib.crc32(b"IDAT"))
    paeth = broken + struct.pack(">I", len(body)) + b"IDAT" + body + struct.pack(">I", crc)
    with pytest.raises(NotStreamable, match="filter 4"):
        read_grey_reduced(paeth, 1)
    assert png_size(b"GIF89a" + bytes(30)) is None


def test_a_png_cut_short_or_garbled_is_damaged() -> None:
    data = encode_png(Image.fromarray(speckle(), "L"))
    with pytest.raises(DamagedPng, match="cut short"):
        read_grey_reduced(data[: len(data) // 2], 2)
    header_only = data[:33] + struct.pack(">I", 0) + b"IEND" + bytes(4)
    with pytest.raises(DamagedPng, match="end after 0 of 203 rows"):
        read_grey_reduced(header_only, 2)
    garbled = bytearray(data)
    garbled[45:60] = bytes(15)
    with pytest.raises(DamagedPng):
        read_grey_reduced(bytes(garbled), 2)
    with pytest.raises(DamagedPng, match="no PNG header"):
        read_grey_reduced(b"not a png", 2)


def test_a_cancelled_read_stops() -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        read_grey_reduced(encode_png(Image.fromarray(speckle(), "L")), 2, token)
