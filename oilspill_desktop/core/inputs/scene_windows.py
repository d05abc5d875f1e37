"""A TIFF too large to decode whole, read a window at a time with GDAL (rasterio).

A 20,000 × 20,000 16-bit scene is 800 MB of values, and its 8-bit picture, amplitude and
mask as many again: decoding it whole is what the pixel limit refuses. GDAL reads a tiled
or striped TIFF (GeoTIFF or not) a block at a time, so such a scene is instead read in
windows of :data:`CORE` pixels plus a :data:`MARGIN` of context on each side (an engine
sees a slick that crosses a window's edge from both windows; only the core of each answer
is kept).

Every window must look like the same scene: the 8-bit stretch and the amplitude scale
are taken once from a reduced picture of the whole scene (at most :data:`PREVIEW_SIDE`
pixels a side, decimated by GDAL while it reads), and applied to each window. That reduced
picture is also what the overlay and the report's thumbnail show.

Only what windows can serve comes here: one band of 8- or 16-bit unsigned integers, or
8-bit RGB, in blocks small enough to read a window at a time. Anything else keeps the
whole-image path (and its pixel limit). The pipeline imports this module only for a TIFF
above :attr:`~..model.Limits.large_scene_pixels`, so rasterio is not loaded otherwise.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image
from rasterio.enums import ColorInterp, MaskFlags, Resampling
from rasterio.env import set_gdal_config
from rasterio.errors import RasterioError
from rasterio.io import MemoryFile
from rasterio.windows import Window

from ..errors import ItemError, LimitExceeded
from ..geo.georef import Georeference, georeference_of, quiet_open
from ..messages import say
from ..model import Limits, SourceImage
from .images import content_type_for, too_many_pixels, uint16_stretch_table

CORE = 1536
"""Side of the part of a window that is kept; below the classical engine's 4 Mpx work
size with its margins, so no engine multilooks a window."""
MARGIN = 128
"""Context around each core, on every side that has neighbours (a model tile and more)."""
PREVIEW_SIDE = 2048
"""The longer side of the reduced picture: overlay, thumbnail, stretch, slicks."""
MAX_BLOCK_PIXELS = 16_000_000
"""A TIFF whose blocks (tiles or strips) are larger than this cannot be read in windows
without decoding most of it at once: one stored as a single strip, for instance."""
GDAL_CACHE_BYTES = 128 * 1024 * 1024
"""GDAL's block cache, process-wide, once a large scene is read: its default, 5 % of the
memory, would let decoded blocks of a scene grow the process by gigabytes on a large
machine. 128 MB holds the blocks a row of windows shares with the next one on a 20,000-pixel
wide scene in 512-pixel tiles. (``rasterio.Env(GDAL_CACHEMAX=64)`` would set 64 bytes: rasterio
passes the value to GDALSetCacheMax64, in bytes, and restores the old one on leaving,
which several workers would do out of order.)"""
_AMPLITUDE_TOP = 99.5


@dataclass(frozen=True)
class SceneWindow:
    """Where one window lies: ``read`` is what is read, ``core`` what is kept (both in
    scene pixels); ``inner`` is the core's place within what was read."""

    read: Window
    core: Window

    @property
    def inner(self) -> tuple[slice, slice]:
        top = int(self.core.row_off - self.read.row_off)
        left = int(self.core.col_off - self.read.col_off)
        return slice(top, top + int(self.core.height)), slice(left, left + int(self.core.width))


@dataclass(frozen=True)
class WindowPixels:
    """What an engine is given for one window, and where the input holds data in it."""

    source: SourceImage
    valid: npt.NDArray[np.bool_] | None


class LargeScene:
    """An open large scene. Use as a context manager. :meth:`read` may be called from
    several threads (the windows segmented at once): GDAL's dataset is not for two threads
    at a time, so their reads take turns, and only the stretch is done side by side."""

    def __init__(self, data: bytes, path: str, limits: Limits) -> None:
        self.path = path
        self._lock = threading.Lock()
        _bound_gdal_cache()
        try:
            self._memory = MemoryFile(data)
            with quiet_open():
                self._dataset: Any = self._memory.open()
            self._bands = _bands_of(self._dataset, limits.band)
        except RasterioError as error:
            self.close()
            raise ItemError(say("image.undecodable", reason=str(error).rstrip("."))) from error
        except BaseException:
            self.close()
            raise
        self.width, self.height = int(self._dataset.width), int(self._dataset.height)
        self.factor = max(1, math.ceil(max(self.width, self.height) / PREVIEW_SIDE))
        self.core = max(1, CORE // self.factor) * self.factor
        try:
            self._check_windows(limits)
        except LimitExceeded:
            self.close()
            raise
        self._table: npt.NDArray[np.uint8] | None = None
        self._amplitude_scale = np.float32(0.0)
        flags = self._dataset.mask_flag_enums[self._bands[0] - 1]
        self.has_nodata = MaskFlags.all_valid not in flags or self._dataset.nodata is not None

    @property
    def colour(self) -> bool:
        return len(self._bands) == 3

    @property
    def wide(self) -> bool:
        return bool(self._dataset.dtypes[self._bands[0] - 1] == "uint16")

    @property
    def nodata(self) -> float | None:
        value = self._dataset.nodata
        return None if value is None else float(value)

    def georeference(self) -> Georeference | None:
        """The scene's georeference, without its no-data mask (read window by window)."""
        return georeference_of(self._dataset, with_valid=False)

    def preview_size(self, factor: int | None = None) -> tuple[int, int]:
        factor = factor or self.factor
        return math.ceil(self.width / factor), math.ceil(self.height / factor)

    def preview(self, factor: int | None = None) -> Image.Image:
        """The reduced picture (``L`` or ``RGB``); sets the stretch every window gets.

        Reduced :attr:`factor` times, or ``factor`` times when given (the viewer shows a
        scene at its own display size)."""
        width, height = self.preview_size(factor)
        values = self._dataset.read(
            self._bands, out_shape=(len(self._bands), height, width), resampling=Resampling.nearest
        )
        if self.colour:
            return Image.fromarray(np.ascontiguousarray(np.moveaxis(values, 0, -1)), "RGB")
        band = values[0]
        if not self.wide:
            return Image.fromarray(np.ascontiguousarray(band.astype(np.uint8)), "L")
        self._set_stretch(band)
        assert self._table is not None
        return Image.fromarray(self._table[band], "L")

    def _set_stretch(self, band: npt.NDArray[Any]) -> None:
        table, _flat = uint16_stretch_table(np.bincount(band.ravel(), minlength=65536), self.nodata)
        self._table = table if table is not None else np.zeros(65536, dtype=np.uint8)
        # The engines' amplitude rule (classical.amplitude_from_values): the 99.5th
        # percentile at 200, no-data counted as 0.
        values = band.astype(np.float32)
        if self.nodata is not None:
            values[band == self.nodata] = 0.0
        top = float(np.percentile(values, _AMPLITUDE_TOP)) if values.size else 0.0
        self._amplitude_scale = np.float32(200.0 / top if top > 0.0 else 0.0)

    def bands(self) -> Iterator[list[SceneWindow]]:
        """The windows, a row of them at a time, top to bottom, left to right."""
        for top in range(0, self.height, self.core):
            yield [self._window(top, left) for left in range(0, self.width, self.core)]

    @property
    def window_count(self) -> int:
        return math.ceil(self.width / self.core) * math.ceil(self.height / self.core)

    def _window(self, top: int, left: int) -> SceneWindow:
        bottom, right = min(self.height, top + self.core), min(self.width, left + self.core)
        r0, c0 = max(0, top - MARGIN), max(0, left - MARGIN)
        r1, c1 = min(self.height, bottom + MARGIN), min(self.width, right + MARGIN)
        return SceneWindow(
            read=Window(c0, r0, c1 - c0, r1 - r0),
            core=Window(left, top, right - left, bottom - top),
        )

    def read(self, window: SceneWindow, *, with_amplitude: bool = True) -> WindowPixels:
        """One window as an engine takes it (call :meth:`preview` first); without its
        amplitude (4 bytes a pixel) for an engine that only sends the picture."""
        with self._lock:
            try:
                values = self._dataset.read(self._bands, window=window.read)
                valid = self.valid(window.read) if self.has_nodata else None
            except RasterioError as error:
                reason = str(error).rstrip(".")
                raise ItemError(say("image.undecodable", reason=reason)) from error
        amplitude: npt.NDArray[np.float32] | None = None
        if self.colour:
            pixels = Image.fromarray(np.ascontiguousarray(np.moveaxis(values, 0, -1)), "RGB")
        elif self.wide:
            assert self._table is not None, "preview() sets the stretch"
            band = values[0]
            pixels = Image.fromarray(self._table[band], "L")
            if with_amplitude:
                amplitude = np.minimum(band * self._amplitude_scale, np.float32(255.0))
                if valid is not None:
                    amplitude[~valid] = 0.0
        else:
            pixels = Image.fromarray(np.ascontiguousarray(values[0].astype(np.uint8)), "L")
        source = SourceImage(
            path=self.path,
            pixels=pixels,
            original=b"",
            original_format="TIFF",
            content_type=content_type_for("TIFF"),
            sendable_original=False,
            amplitude=amplitude,
        )
        return WindowPixels(source, valid)

    def valid(self, window: Window) -> npt.NDArray[np.bool_]:
        """Where the input holds data within ``window`` (its no-data value or mask)."""
        mask = self._dataset.read_masks(self._bands[0], window=window)
        valid: npt.NDArray[np.bool_] = np.asarray(mask) != 0
        return valid

    def _check_windows(self, limits: Limits) -> None:
        """The pixel limit bounds each window (so a limit set below a window's size refuses
        the scene as before), and ``max_scene_windows`` the scene."""
        side = self.core + 2 * MARGIN
        if side * side > limits.max_pixels:
            raise too_many_pixels(self.width, self.height, limits)
        if self.window_count > limits.max_scene_windows:
            raise LimitExceeded(
                say(
                    "image.too_many_windows",
                    width=str(self.width),
                    height=str(self.height),
                    windows=f"{self.window_count:,}",
                    limit=f"{limits.max_scene_windows:,}",
                )
            )

    def close(self) -> None:
        dataset = getattr(self, "_dataset", None)
        if dataset is not None:
            dataset.close()
        memory = getattr(self, "_memory", None)
        if memory is not None:
            memory.close()

    def __enter__(self) -> LargeScene:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


@functools.cache
def _bound_gdal_cache() -> None:
    set_gdal_config("GDAL_CACHEMAX", GDAL_CACHE_BYTES)


class NotWindowable(Exception):
    """The scene's layout cannot be read in windows: it takes the whole-image path."""


def _bands_of(dataset: Any, band: int) -> list[int]:
    """Which bands make the picture: the chosen one, or the three of 8-bit RGB."""
    dtypes = set(dataset.dtypes)
    if not dtypes <= {"uint8", "uint16"}:
        raise NotWindowable
    shapes = dataset.block_shapes
    if any(rows * cols > MAX_BLOCK_PIXELS for rows, cols in shapes):
        raise NotWindowable
    rgb = (ColorInterp.red, ColorInterp.green, ColorInterp.blue)
    if dataset.count >= 3 and tuple(dataset.colorinterp[:3]) == rgb and dtypes == {"uint8"}:
        return [1, 2, 3]
    return [band if 1 <= band <= dataset.count else 1]
