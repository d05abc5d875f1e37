"""The app's one PNG writer: masks, overlays and upload bodies, grey and RGB.

Why not Pillow's PNG encoder: it tries all five PNG filters on every row and keeps the
best, which is what makes PNGs small in general but costs more than everything else a
worker does with an image put together. Our pictures are speckled SAR scenes, masks and
overlays; on them one fixed filter ("Up": each row minus the row above) loses almost
nothing in size (speckle hardly compresses; masks and flat areas become runs of zeros),
and the work moves into numpy and zlib, which both release the GIL so the workers encode
in parallel. ``benchmarks/bench_png.py`` compares it with Pillow (figures in the README).

Grey rows are deflated with the run-length strategy (matches at distance 1 only): as small
as full LZ77 on speckle and on masks, and twice as fast. RGB rows keep full LZ77 at level
1, because the repeats that matter there are R=G=B on unpainted grey pixels.

The picture is written in horizontal bands, so memory stays a few hundred kilobytes above
the picture itself whatever its size. Modes other than ``L`` and ``RGB`` go to Pillow.
"""

from __future__ import annotations

import functools
import io
import struct
import zlib
from typing import IO, Final

import numpy as np
import numpy.typing as npt
from PIL import Image

SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
END: Final = b"\x00\x00\x00\x00IEND\xaeB`\x82"
"""The IEND chunk, which every whole PNG ends with."""
_COLOUR_TYPES: Final = {"L": (0, 1), "RGB": (2, 3)}
"""PNG colour type and bytes per pixel of the modes written here."""
_FILTER_UP: Final = 2
_BAND_BYTES: Final = 1 << 20
"""About how many raw bytes are filtered and deflated at a time."""
_IDAT_BYTES: Final = 1 << 18
"""Compressed bytes per IDAT chunk (any size is valid; this bounds what is buffered)."""


def save_png(image: Image.Image, handle: IO[bytes]) -> None:
    """Write ``image`` to ``handle`` as a PNG that decodes to exactly the same pixels."""
    layout = _COLOUR_TYPES.get(image.mode)
    if layout is None or image.width == 0 or image.height == 0:
        image.save(handle, format="PNG", compress_level=1)
        return
    colour_type, channels = layout
    pixels = np.asarray(image)
    rows = pixels.reshape(image.height, image.width * channels)
    handle.write(SIGNATURE)
    header = struct.pack(">IIBBBBB", image.width, image.height, 8, colour_type, 0, 0, 0)
    _chunk(handle, b"IHDR", header)
    strategy = zlib.Z_RLE if channels == 1 else zlib.Z_DEFAULT_STRATEGY
    compressor = zlib.compressobj(1, zlib.DEFLATED, 15, 9, strategy)
    pending = bytearray()
    band = max(1, _BAND_BYTES // rows.shape[1])
    for top in range(0, image.height, band):
        pending += compressor.compress(_filter_up(rows, top, min(top + band, image.height)).data)
        while len(pending) >= _IDAT_BYTES:
            _chunk(handle, b"IDAT", bytes(pending[:_IDAT_BYTES]))
            del pending[:_IDAT_BYTES]
    pending += compressor.flush()
    for start in range(0, len(pending), _IDAT_BYTES):
        _chunk(handle, b"IDAT", bytes(pending[start : start + _IDAT_BYTES]))
    _chunk(handle, b"IEND", b"")


def encode_png(image: Image.Image) -> bytes:
    """The PNG of ``image`` as bytes (an upload body); the same writer as the results'."""
    buffer = io.BytesIO()
    save_png(image, buffer)
    return buffer.getvalue()


@functools.lru_cache(maxsize=8)
def blank_png(mode: str, width: int, height: int) -> bytes:
    """The PNG of an all-black picture: the mask of every image where nothing was found.

    Most images of a survey are open sea, and their masks are all alike; encoding one per
    size instead of one per image saves a worker the encoding of a picture.
    """
    return encode_png(Image.new(mode, (width, height)))


class GreyPngRows:
    """A grey (``L``) PNG written a band of rows at a time, for a mask too large to hold
    as one picture (a large scene's: see :mod:`..jobs.windowed`). The same filter and
    deflate settings as :func:`save_png`, so it decodes to exactly the rows given."""

    def __init__(self, handle: IO[bytes], width: int, height: int) -> None:
        self._handle, self._width, self._height = handle, width, height
        self._written = 0
        self._last: npt.NDArray[np.uint8] | None = None
        self._compressor = zlib.compressobj(1, zlib.DEFLATED, 15, 9, zlib.Z_RLE)
        handle.write(SIGNATURE)
        _chunk(handle, b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))

    def write(self, rows: npt.NDArray[np.uint8]) -> None:
        """The next rows, (n, width) bytes; raises ValueError past the declared height."""
        if rows.ndim != 2 or rows.shape[1] != self._width:
            raise ValueError(f"rows of {rows.shape} for a PNG {self._width} wide")
        if self._written + rows.shape[0] > self._height:
            raise ValueError("more rows than the PNG's height")
        if self._last is None:
            lines = _filter_up(rows, 0, rows.shape[0])
        else:
            lines = _filter_up(np.vstack([self._last, rows]), 1, rows.shape[0] + 1)
        self._last = rows[-1:].copy()
        self._written += rows.shape[0]
        data = self._compressor.compress(lines.data)
        if data:
            _chunk(self._handle, b"IDAT", data)

    def close(self) -> None:
        """End the PNG; raises ValueError if rows are missing (a PNG is whole or not written)."""
        if self._written != self._height:
            raise ValueError(f"{self._written} of {self._height} rows written")
        _chunk(self._handle, b"IDAT", self._compressor.flush())
        _chunk(self._handle, b"IEND", b"")


def _filter_up(rows: npt.NDArray[np.uint8], top: int, bottom: int) -> npt.NDArray[np.uint8]:
    """Rows ``top:bottom`` as PNG scanlines with the Up filter (the first row unfiltered)."""
    out = np.empty((bottom - top, rows.shape[1] + 1), dtype=np.uint8)
    out[:, 0] = _FILTER_UP
    if top == 0:
        out[0, 0] = 0  # "None": there is no row above the first one
        out[0, 1:] = rows[0]
        first = 1
    else:
        first = 0
    np.subtract(rows[top + first : bottom], rows[top + first - 1 : bottom - 1], out=out[first:, 1:])
    return out


def _chunk(handle: IO[bytes], kind: bytes, data: bytes) -> None:
    handle.write(struct.pack(">I", len(data)))
    handle.write(kind)
    handle.write(data)
    handle.write(struct.pack(">I", zlib.crc32(data, zlib.crc32(kind))))
