"""A grey PNG read a row at a time and kept reduced: a large scene's mask, for showing.

A large scene's mask PNG (:class:`~.png.GreyPngRows`) is as large as the scene: 20,000 ×
20,000 is 400 MB of rows once inflated, and Pillow's PNG decoder inflates a picture whole
before handing any of it over. This reader inflates the stream a band at a time, undoes
each row's filter against the row above, and keeps only every ``factor``-th row and
column (the centre pixel of each ``factor`` × ``factor`` block: a mask's classes must not
blend into made-up values), so memory is a row, a band of inflated bytes and the reduced
picture, whatever the size of the mask.

Only what such masks are made of is read here: 8-bit grey, not interlaced, rows filtered
with None, Sub or Up (the app's own writer uses Up). Anything else raises
:class:`NotStreamable`, and the caller decodes the picture whole under its pixel limit.
"""

from __future__ import annotations

import math
import struct
import zlib

import numpy as np
import numpy.typing as npt

from ..jobs.cancel import CancelToken
from .png import SIGNATURE

_BAND_BYTES = 1 << 20
"""Inflated bytes handled at a time."""
_NONE, _SUB, _UP = 0, 1, 2


class NotStreamable(ValueError):
    """The PNG is not one this reader takes (colour type, bit depth, interlace, filter)."""


class DamagedPng(ValueError):
    """The PNG is cut short or its data do not inflate to the rows it declares."""


def png_size(data: bytes) -> tuple[int, int] | None:
    """The width and height a PNG's header declares; ``None`` when ``data`` is no PNG."""
    if len(data) < 24 or not data.startswith(SIGNATURE) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def sample_positions(length: int, factor: int) -> npt.NDArray[np.intp]:
    """The rows (or columns) kept when ``length`` is reduced ``factor`` times: the centre
    of each block, the last block's clipped to the picture."""
    count = math.ceil(length / factor)
    positions: npt.NDArray[np.intp] = np.minimum(
        np.arange(count, dtype=np.intp) * factor + factor // 2, length - 1
    )
    return positions


def read_grey_reduced(
    data: bytes, factor: int, cancel: CancelToken | None = None
) -> npt.NDArray[np.uint8]:
    """The grey PNG ``data`` reduced ``factor`` times on both sides, (rows, columns).

    Raises :class:`NotStreamable` for a PNG this reader does not take and
    :class:`DamagedPng` for a broken one; :class:`~..errors.Cancelled` when ``cancel`` is set.
    """
    if factor < 1:
        raise ValueError(f"reduction factor {factor}")
    width, height = _header(data)
    columns = sample_positions(width, factor)
    rows = sample_positions(height, factor)
    out = np.empty((len(rows), len(columns)), dtype=np.uint8)
    stride = width + 1
    previous = np.zeros(width, dtype=np.uint8)
    inflater = zlib.decompressobj()
    pending = bytearray()
    row = kept = 0
    for chunk in _idat_chunks(data):
        piece: bytes | memoryview = chunk
        while piece and row < height:
            if cancel is not None:
                cancel.raise_if_cancelled()
            try:
                pending += inflater.decompress(piece, _BAND_BYTES)
            except zlib.error as error:
                raise DamagedPng(f"the image data do not inflate: {error}") from error
            piece = inflater.unconsumed_tail
            lines = min(len(pending) // stride, height - row)
            band = np.frombuffer(bytes(pending[: lines * stride]), np.uint8)
            del pending[: lines * stride]
            for scanline in band.reshape(lines, stride):
                previous = _unfilter(int(scanline[0]), scanline[1:], previous)
                if kept < len(rows) and rows[kept] == row:
                    out[kept] = previous[columns]
                    kept += 1
                row += 1
    if row < height:
        raise DamagedPng(f"the image data end after {row} of {height} rows")
    return out


def _header(data: bytes) -> tuple[int, int]:
    size = png_size(data)
    if size is None or len(data) < 29:
        raise DamagedPng("no PNG header")
    depth, colour, _compression, _filter, interlace = data[24:29]
    if depth != 8 or colour != 0 or interlace != 0:
        raise NotStreamable(f"bit depth {depth}, colour type {colour}, interlace {interlace}")
    if size[0] < 1 or size[1] < 1:
        raise DamagedPng(f"a {size[0]}x{size[1]} picture")
    return size


def _idat_chunks(data: bytes) -> list[memoryview]:
    """The IDAT chunks' data, in order (views: nothing is copied)."""
    view = memoryview(data)
    chunks: list[memoryview] = []
    offset = len(SIGNATURE)
    while offset + 8 <= len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        start, end = offset + 8, offset + 8 + length
        if end + 4 > len(data):
            raise DamagedPng("a chunk is cut short")
        if kind == b"IDAT":
            chunks.append(view[start:end])
        elif kind == b"IEND":
            break
        offset = end + 4
    return chunks


def _unfilter(
    kind: int, raw: npt.NDArray[np.uint8], previous: npt.NDArray[np.uint8]
) -> npt.NDArray[np.uint8]:
    """One row with its filter undone (one byte per pixel: the left neighbour is the
    previous byte)."""
    if kind == _NONE:
        return raw.copy()
    if kind == _UP:
        return raw + previous  # uint8: wraps modulo 256, as the filter means
    if kind == _SUB:
        return np.cumsum(raw, dtype=np.uint8)
    raise NotStreamable(f"a row filtered with PNG filter {kind}")
