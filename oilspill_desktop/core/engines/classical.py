"""The built-in offline engine: classical SAR dark-spot detection in NumPy.

Oil damps the capillary waves that scatter radar back, so a slick is a patch of sea that
is several dB darker than the sea around it. This is the method of Solberg et al. (1999)
and of ESA SNAP's *Oil Spill Detection* operator: an adaptive threshold *k* dB below the
local mean of a large background window, then clustering with a minimum cluster size.
It needs no model weights and no network, so the app works out of the box; an ML
endpoint does better on real look-alikes.

**Pixel model.** 8-bit quicklooks are taken as *amplitude* (pixel proportional to
sqrt(sigma0)): detected SAR products store amplitude (Sentinel-1 GRD digital numbers are,
sigma0 = DN^2 / A^2), so a plain linear rendering of them is amplitude too, and it is what
:mod:`.synthetic` renders. Pixels are squared into intensity, where averaging
is the unbiased estimate of sigma0 under speckle. Every threshold is a *ratio* to the
local background, so the gain of the stretch does not matter; only a black offset would.
An image stretched in dB instead shows other contrasts than the true ones (larger, for the
usual stretch over a narrow dB range), but dark stays dark: benchmarks/bench_builtin.py
measures that case too.

**16-bit and float TIFFs** are stretched to 8 bits by the reader for display, with a
black offset or in dB, which distorts ratios badly enough to turn a calm area into "oil".
For those the engine re-reads the member's own bytes and works on the physical values
(:func:`physical_amplitude`): integers as amplitude DN, floats as sigma0 power.

**Steps** (each O(pixels), with box sums from cumulative sums):

1. Scenes above ``work_pixels`` are multilooked (block-averaged intensity) first, which
   bounds time and memory; the mask is scaled back up at the end.
2. No-data (runs of exact black, e.g. a swath border) is excluded everywhere.
3. Speckle filter: box mean of intensity over ``speckle_window``.
4. Background, over a window of ``background_fraction`` of the shorter side, on a grid of
   blocks interpolated back to pixels: first the median of the block means (robust to a
   slick covering up to half the window), then the mean of the pixels that this first
   estimate calls ordinary sea, leaving out dark candidates and bright targets (ships).
5. Hysteresis threshold: pixels ``grow_db`` below background form regions, and a region
   is kept only if it holds a seed ``k_db`` below; a light binary opening cuts speckle
   bridges first.
6. Clustering: connected regions (8-connectivity, union-find on row runs) smaller than
   the minimum slick area, or on average less than ``min_contrast_db`` darker than their
   background (shallow low-wind look-alikes), or on sea too dark to measure, are dropped.
7. A binary closing smooths the outline.

Cancellation is checked between steps. Many worker threads may call :meth:`segment` at
once: nothing is shared but the immutable parameters.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view
from PIL import Image, TiffImagePlugin

from ..errors import EngineError
from ..inputs.images import gdal_nodata
from ..inputs.tiff_bands import Meaning, TiffLayout, read_tiff_band, tiff_layout
from ..jobs.cancel import CancelToken
from ..messages import Message, say
from ..model import EngineAnswer, SourceImage
from .multilook import block_mean, multilook_factor, upscale_mask

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]

_WIDE_MODES = frozenset({"I", "I;16", "I;16L", "I;16B", "I;16N", "F"})
_PERCENTILE_SAMPLE = 1_000_000
_DEPTH_NAMES = {"F": "floating-point", "I": "32-bit"}
PHYSICAL_MAX_PIXELS = 16_000_000
"""Wide TIFFs up to this size are segmented from their physical values."""


@dataclass(frozen=True)
class BuiltinParams:
    """Tuning of the detector; the defaults suit 8-bit amplitude quicklooks of open sea.

    Window sizes that depend on scene content scale with the image (a fraction of the
    shorter side, with a floor in pixels); the speckle window does not, because speckle is
    a per-pixel phenomenon whatever the scene size.
    """

    k_db: float = 4.0
    """A region must hold pixels at least this far below the local background (seeds)."""
    grow_db: float = 2.5
    """Pixels at least this far below background join a seeded region (its outline)."""
    min_contrast_db: float = 3.5
    """A region's mean darkness below its background; calm-wind look-alikes are shallower."""
    speckle_window: int = 5
    """Side of the speckle-filter box, pixels (odd)."""
    background_fraction: float = 0.25
    """Side of the background window as a fraction of the image's shorter side."""
    background_min: int = 31
    """Smallest background window side, pixels."""
    bright_db: float = 6.0
    """Pixels this far above background (ships, platforms) are left out of the background."""
    min_area_fraction: float = 4e-4
    """Smallest slick as a fraction of the image's pixels..."""
    min_area_pixels: int = 24
    """...but never fewer pixels than this."""
    open_radius: int = 1
    """Radius of the square opening applied to candidate pixels (0 turns it off)."""
    close_radius: int = 1
    """Radius of the square closing applied to the final mask (0 turns it off)."""
    min_background_level: float = 8.0
    """8-bit amplitude below which the sea is too dark (noise floor, no wind) to judge."""
    nodata_fraction: float = 0.9
    """A pixel is no-data when at least this share of its speckle window is exact black."""
    work_pixels: int = 4_000_000
    """Larger scenes are multilooked to about this many pixels before detection."""

    def __post_init__(self) -> None:
        problems: list[str] = []
        if not 0.0 < self.grow_db <= self.k_db:
            problems.append(
                f"grow_db ({self.grow_db}) must be above 0 and at most k_db ({self.k_db})"
            )
        if self.speckle_window < 1 or self.speckle_window % 2 == 0:
            problems.append(f"speckle_window ({self.speckle_window}) must be a positive odd number")
        if not 0.0 < self.background_fraction <= 1.0:
            problems.append(f"background_fraction ({self.background_fraction}) must be in (0, 1]")
        if self.background_min < 3:
            problems.append(f"background_min ({self.background_min}) must be at least 3")
        if self.min_area_pixels < 1 or self.min_area_fraction < 0.0:
            problems.append("the minimum slick area must be at least one pixel")
        if self.open_radius < 0 or self.close_radius < 0:
            problems.append("morphology radii cannot be negative")
        if not 0.0 < self.nodata_fraction <= 1.0:
            problems.append(f"nodata_fraction ({self.nodata_fraction}) must be in (0, 1]")
        if self.work_pixels < 10_000:
            problems.append(f"work_pixels ({self.work_pixels}) must be at least 10000")
        if problems:
            raise ValueError("Invalid built-in engine parameters: " + "; ".join(problems) + ".")


class ClassicalEngine:
    """The offline engine: answers an ``L`` mask, 255 where oil is, 0 elsewhere."""

    def __init__(self, params: BuiltinParams | None = None) -> None:
        self._params = params if params is not None else BuiltinParams()

    @property
    def engine(self) -> str:
        return "classical"

    @property
    def endpoint(self) -> str | None:
        return None

    @property
    def params(self) -> BuiltinParams:
        return self._params

    def segment(self, image: SourceImage, cancel: CancelToken) -> EngineAnswer:
        cancel.raise_if_cancelled()
        width, height = image.pixels.size
        warnings: list[Message] = []
        try:
            amplitude, note = read_physical_amplitude(image, PHYSICAL_MAX_PIXELS)
            if note is not None:
                warnings.append(note)
            if amplitude is None:
                amplitude = amplitude_of(image.pixels)
            cancel.raise_if_cancelled()
            mask = detect_dark_spots(amplitude, self._params, cancel=cancel)
        except MemoryError as exc:
            raise EngineError(say("engine.no_memory", width=width, height=height)) from exc
        cancel.raise_if_cancelled()
        answer = Image.fromarray(mask.astype(np.uint8) * np.uint8(255))
        return EngineAnswer(image=answer, attempts=1, warnings=warnings)

    def close(self) -> None:
        """Nothing to release: the engine holds no connections or files."""


def amplitude_of(pixels: Image.Image, *, nodata: float | None = None) -> npt.NDArray[Any]:
    """A 2-D amplitude array on the 0..255 scale of an 8-bit quicklook.

    ``L`` is used as it is, colour through Pillow's ITU-R 601 luminance. Wide single-band
    modes hold physical values: integers are amplitude DN (the Sentinel-1 GRD
    convention), floats are sigma0 power, or dB when most values are negative (see
    :func:`amplitude_from_values`).
    """
    if pixels.mode == "L":
        return np.asarray(pixels)
    if pixels.mode not in _WIDE_MODES:
        return np.asarray(pixels.convert("L"))
    raw = np.asarray(pixels)
    meaning: Meaning = "amplitude"
    if pixels.mode == "F":
        with np.errstate(all="ignore"):
            sample = raw.ravel()[:: max(1, raw.size // _PERCENTILE_SAMPLE)]
            meaning = "db" if np.count_nonzero(sample < 0) > sample.size // 2 else "power"
    return amplitude_from_values(raw, meaning, nodata=nodata)


def amplitude_from_values(
    raw: npt.NDArray[Any], meaning: Meaning, *, nodata: float | None = None
) -> FloatArray:
    """Physical values of one band as amplitude on the 0..255 scale of an 8-bit quicklook.

    Amplitude is kept, power square-rooted, dB turned back into amplitude (10^(dB/20));
    negative amplitude and power are below the noise floor and become 0. The result is
    scaled without offset, so ratios survive, putting the 99.5th percentile at 200;
    ``nodata`` (the GeoTIFF's declared value), NaN and infinities become 0, which the
    detector treats as no-data.
    """
    if raw.dtype.byteorder not in ("=", "|"):
        raw = raw.astype(raw.dtype.newbyteorder("="))
    with np.errstate(all="ignore"):
        values = raw.astype(np.float32)
        invalid = ~np.isfinite(values)
        if nodata is not None:
            invalid |= raw == nodata
        values[invalid] = 0.0
        if meaning == "db":
            values = np.power(np.float32(10.0), np.minimum(values, 60.0) / np.float32(20.0))
            values[invalid] = 0.0
        elif meaning == "power":
            values = np.sqrt(np.maximum(values, 0.0))
        else:
            values = np.maximum(values, 0.0)
        sample = values.ravel()[:: max(1, values.size // _PERCENTILE_SAMPLE)]
        top = float(np.percentile(sample, 99.5)) if sample.size else 0.0
        scale = np.float32(200.0 / top if top > 0.0 else 0.0)
        amplitude: FloatArray = np.minimum(values * scale, np.float32(255.0))
    return amplitude


def read_physical_amplitude(
    image: SourceImage, max_pixels: int = PHYSICAL_MAX_PIXELS
) -> tuple[npt.NDArray[Any] | None, Message | None]:
    """Amplitude from the physical values of a 16-bit, 32-bit, signed, float or complex
    TIFF member, else ``None``; and a note for the user when only the size stood in the way.

    The reader stretches such data to 8 bits for display (percentiles, sometimes in dB),
    which changes contrasts in ways the detector cannot undo; the member's own bytes do
    not. The reader has already checked them against the limits. Anything unexpected
    (another layout, a size that differs, a decoding error) means ``None``, and the
    displayed pixels are used instead; so does a picture above ``max_pixels``, whose float
    copies would cost over a gigabyte at the 64-megapixel limit. A multi-band raster is read
    at the band the reader used (``image.band``).

    The member is decoded a second time here on purpose: the reader could keep these
    values in :class:`~oilspill_desktop.core.model.SourceImage`, but then every image in
    flight would carry a float copy for every engine, the HTTP engine included, which
    never reads them; only wide TIFFs pay for the second decode.
    """
    if image.amplitude is not None:
        return image.amplitude, None
    if image.original_format != "TIFF" or not image.original:
        return None, None
    # Above Pillow's own threshold a load would warn process-wide; skip it too.
    cap = Image.MAX_IMAGE_PIXELS
    limit = max_pixels if cap is None else min(max_pixels, cap)
    try:
        layout = tiff_layout(image.original)
        if layout is not None and not layout.pillow_reads_it:
            return _tifffile_amplitude(image, layout, limit)
        with TiffImagePlugin.TiffImageFile(io.BytesIO(image.original)) as raw:
            if raw.mode not in _WIDE_MODES or raw.size != image.pixels.size:
                return None, None
            if raw.width * raw.height > limit:
                return None, _too_large_note(_DEPTH_NAMES.get(raw.mode, "16-bit"), limit)
            raw.load()
            return amplitude_of(raw, nodata=gdal_nodata(raw)), None
    except MemoryError:
        raise
    except Exception:  # any decoder complaint: fall back to the pixels, never fail here
        return None, None


def _tifffile_amplitude(
    image: SourceImage, layout: TiffLayout, limit: int
) -> tuple[npt.NDArray[Any] | None, Message | None]:
    """The band the reader showed, from tifffile; colour pictures use their pixels."""
    if layout.colour or (layout.width, layout.height) != image.pixels.size:
        return None, None
    if layout.width * layout.height > limit:
        return None, _too_large_note(f"{layout.bits}-bit", limit)
    read = read_tiff_band(image.original, image.band)
    if read.values is None or read.values.dtype == np.uint8:
        return None, None  # 8-bit bands are shown as they are: the pixels are the data
    return amplitude_from_values(read.values, read.meaning, nodata=read.nodata), None


def _too_large_note(depth: str, limit: int) -> Message:
    return say("warn.wide_values_unused", depth=depth, limit=f"{limit:,}")


def detect_dark_spots(
    gray: npt.NDArray[Any], params: BuiltinParams, *, cancel: CancelToken | None = None
) -> BoolArray:
    """The oil mask of a 2-D amplitude array on the 0..255 scale (see the module docstring)."""
    values = np.asarray(gray)
    if values.ndim != 2:
        raise ValueError(f"Expected a 2-D grey image; got an array of shape {values.shape}.")
    height, width = values.shape
    if values.size == 0:
        return np.zeros((height, width), dtype=np.bool_)
    factor = multilook_factor(values.size, params.work_pixels)
    # Intensity (amplitude squared) is where a box average estimates sigma0 without bias.
    intensity = (
        block_mean(values, factor, square=True)
        if factor > 1
        else np.square(values, dtype=np.float32)
    )
    _check(cancel)
    mask = _detect(intensity, params, cancel, area_scale=factor * factor)
    if factor > 1:
        mask = upscale_mask(mask, width, height, factor)
    return mask


# --- detection ---------------------------------------------------------------------------


def _detect(
    intensity: FloatArray, params: BuiltinParams, cancel: CancelToken | None, *, area_scale: int
) -> BoolArray:
    height, width = intensity.shape
    radius = params.speckle_window // 2
    valid = _valid_pixels(intensity, params)
    filtered = _box_mean(intensity, radius)
    _check(cancel)

    window = max(params.background_min, round(params.background_fraction * min(height, width)))
    block = max(1, window // 8)
    reach = max(1, round(window / (2 * block)))
    grow = np.float32(10.0 ** (-params.grow_db / 10.0))
    median = _median_grid(intensity, valid, block, reach)
    first = _upsample(median, block, (height, width))
    typical = (filtered >= first * grow) & (
        filtered <= first * np.float32(10.0 ** (params.bright_db / 10.0))
    )
    if valid is not None:
        typical &= valid
    background = _upsample(
        _mean_grid(intensity, typical, block, reach, median), block, (height, width)
    )
    _check(cancel)

    darkest_sea = np.float32(params.min_background_level**2)
    candidates = (filtered < background * grow) & (background >= darkest_sea)
    if valid is not None:
        candidates &= valid
    if params.open_radius:
        candidates = _open(candidates, params.open_radius)
    _check(cancel)

    seeds = filtered < background * np.float32(10.0 ** (-params.k_db / 10.0))
    min_area = (
        max(params.min_area_pixels, params.min_area_fraction * intensity.size * area_scale)
        / area_scale
    )
    mask = _keep_slicks(
        candidates,
        seeds,
        filtered,
        background,
        min_area=min_area,
        max_ratio=10.0 ** (-params.min_contrast_db / 10.0),
    )
    _check(cancel)
    if params.close_radius and mask.any():
        mask = _close(mask, params.close_radius)
        if valid is not None:
            mask &= valid
    return mask


def _check(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.raise_if_cancelled()


def _valid_pixels(intensity: FloatArray, params: BuiltinParams) -> BoolArray | None:
    """False inside areas of exact black (no-data borders); ``None`` when there are none.

    A lone black pixel in a dark slick is speckle, not no-data: only pixels whose speckle
    window is mostly black count. The area is then grown by the speckle radius, because
    the filtered value of a sea pixel beside it averages in black and looks dark.
    """
    black = intensity <= 0.0
    if not black.any():
        return None
    radius = params.speckle_window // 2
    share = _box_mean(black.astype(np.float32), radius)
    nodata = share >= np.float32(params.nodata_fraction)
    if radius:
        nodata = _shift_combine(nodata, radius, grow=True)
    valid: BoolArray = ~nodata
    return valid


def _median_grid(
    intensity: FloatArray, valid: BoolArray | None, block: int, reach: int
) -> npt.NDArray[np.float64]:
    """First background estimate per block: the median of the block means around it.

    A median over ``(2 * reach + 1)^2`` blocks ignores dark slicks and bright ships
    covering up to half the window, where a mean would be dragged towards them. Blocks
    with too little valid data do not vote; cells with no vote at all take the mean of the
    whole image (zero if nothing is valid).
    """
    sums, counts = _block_sums(intensity, valid, block)
    voting = counts >= max(1.0, 0.25 * block * block)
    means = np.where(voting, sums / np.maximum(counts, 1.0), np.nan)
    side = 2 * reach + 1
    neighbours = sliding_window_view(np.pad(means, reach, constant_values=np.nan), (side, side))
    ordered = np.sort(neighbours.reshape(*means.shape, side * side), axis=2)  # NaNs sort last
    present = np.count_nonzero(~np.isnan(ordered), axis=2)
    low = np.take_along_axis(ordered, np.maximum(present - 1, 0)[..., None] // 2, axis=2)
    high = np.take_along_axis(ordered, (present // 2)[..., None], axis=2)
    median = ((low + high) / 2.0)[..., 0]
    total = float(counts.sum())
    overall = float(sums.sum()) / total if total else 0.0
    result: npt.NDArray[np.float64] = np.where(present > 0, median, overall)
    return result


def _mean_grid(
    intensity: FloatArray,
    keep: BoolArray,
    block: int,
    reach: int,
    fallback: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Mean of the kept (ordinary sea) pixels in the window around each block.

    Where fewer than a fifth of the window's pixels are kept (inside a very large slick),
    the ``fallback`` grid is used instead.
    """
    sums, counts = _block_sums(intensity, keep, block)
    area_sum = _box_sum(sums, reach)
    area_count = _box_sum(counts, reach)
    possible = _box_sum(_block_sums(intensity, None, block)[1], reach)
    enough = area_count >= 0.2 * possible
    result: npt.NDArray[np.float64] = np.where(
        enough, area_sum / np.maximum(area_count, 1.0), fallback
    )
    return result


def _upsample(grid: npt.NDArray[np.float64], block: int, shape: tuple[int, int]) -> FloatArray:
    """Bilinear interpolation of a block grid back to pixels, block centres aligned."""
    height, width = shape
    coarse = Image.fromarray(grid.astype(np.float32))
    full = coarse.resize(
        (width, height), Image.Resampling.BILINEAR, box=(0.0, 0.0, width / block, height / block)
    )
    return np.asarray(full, dtype=np.float32)


def _block_sums(
    values: FloatArray, keep: BoolArray | None, block: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Sums of kept ``values`` and counts of kept pixels over ``block``-sided cells."""
    height, width = values.shape
    out_h, out_w = math.ceil(height / block), math.ceil(width / block)
    pad = ((0, out_h * block - height), (0, out_w * block - width))
    kept = values if keep is None else np.where(keep, values, np.float32(0.0))
    ones = np.ones(values.shape, dtype=np.float32) if keep is None else keep.astype(np.float32)
    shape = (out_h, block, out_w, block)
    sums = np.pad(kept, pad).reshape(shape).sum(axis=(1, 3), dtype=np.float64)
    counts = np.pad(ones, pad).reshape(shape).sum(axis=(1, 3), dtype=np.float64)
    return sums, counts


# --- box sums and morphology -------------------------------------------------------------


def _box_sum_axis(values: npt.NDArray[Any], radius: int, axis: int) -> npt.NDArray[Any]:
    """Sum over a window of ``2 * radius + 1`` along ``axis``, clipped at the edges.

    Small windows add shifted slices (a few passes of contiguous memory); large ones take
    differences of a cumulative sum, whose cost does not grow with the window.
    """
    moved = np.moveaxis(values, axis, 0)
    length = moved.shape[0]
    if radius <= 3:
        out = moved.astype(np.float32 if values.dtype.kind == "f" else np.int32)
        for shift in range(1, min(radius, length - 1) + 1):
            out[shift:] += moved[:-shift]
            out[:-shift] += moved[shift:]
        return np.moveaxis(out, 0, axis)
    accumulator = np.float64 if values.dtype.kind == "f" else np.int64
    running = np.zeros((length + 1, *moved.shape[1:]), dtype=accumulator)
    np.cumsum(moved, axis=0, dtype=accumulator, out=running[1:])
    index = np.arange(length)
    upper = np.minimum(index + radius + 1, length)
    lower = np.maximum(index - radius, 0)
    return np.moveaxis(running[upper] - running[lower], 0, axis)


def _box_sum(values: npt.NDArray[Any], radius: int) -> npt.NDArray[Any]:
    return _box_sum_axis(_box_sum_axis(values, radius, 0), radius, 1)


def _window_counts(length: int, radius: int) -> npt.NDArray[np.float32]:
    index = np.arange(length)
    counts = np.minimum(index + radius + 1, length) - np.maximum(index - radius, 0)
    return counts.astype(np.float32)


def _box_mean(values: FloatArray, radius: int) -> FloatArray:
    """Mean over a ``2 * radius + 1`` square, over the part of it inside the image."""
    if radius == 0:
        return values.astype(np.float32)
    height, width = values.shape
    sums = _box_sum(values, radius)
    sums /= _window_counts(height, radius)[:, None]
    sums /= _window_counts(width, radius)[None, :]
    return sums.astype(np.float32, copy=False)


def _shift_combine(mask: BoolArray, radius: int, *, grow: bool) -> BoolArray:
    """Dilate (``grow``) or erode with a square of side ``2 * radius + 1``.

    Separable one-pixel steps repeated ``radius`` times. Erosion leaves the border alone
    on the outside (the image edge counts as set), so a slick cut by the frame keeps its
    edge there.
    """
    op = np.logical_or if grow else np.logical_and
    out = mask
    for _ in range(radius):
        step = out.copy()
        op(step[1:], out[:-1], out=step[1:])
        op(step[:-1], out[1:], out=step[:-1])
        out = step.copy()
        op(out[:, 1:], step[:, :-1], out=out[:, 1:])
        op(out[:, :-1], step[:, 1:], out=out[:, :-1])
    return out


def _within_extent(mask: BoolArray, margin: int) -> tuple[slice, slice] | None:
    """The bounding box of the set pixels grown by ``margin``: morphology only acts there."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    height, width = mask.shape
    return (
        slice(max(0, int(rows[0]) - margin), min(height, int(rows[-1]) + margin + 1)),
        slice(max(0, int(cols[0]) - margin), min(width, int(cols[-1]) + margin + 1)),
    )


def _open(mask: BoolArray, radius: int) -> BoolArray:
    """Opening (erode, dilate): removes specks and bridges narrower than the square."""
    box = _within_extent(mask, 2 * radius)
    if box is None:
        return mask
    out = np.zeros_like(mask)
    part = mask[box]
    # The margin keeps every pixel the operation reads inside the box, so working on the
    # box alone gives exactly the whole-image result.
    eroded = _shift_combine(part, radius, grow=False)
    out[box] = _shift_combine(eroded, radius, grow=True) & part
    return out


def _close(mask: BoolArray, radius: int) -> BoolArray:
    """Closing (dilate, erode): fills pinholes and notches narrower than the square."""
    box = _within_extent(mask, 2 * radius)
    if box is None:
        return mask
    out = mask.copy()
    part = mask[box]
    out[box] = _shift_combine(_shift_combine(part, radius, grow=True), radius, grow=False) | part
    return out


# --- clustering --------------------------------------------------------------------------


def _runs(mask: BoolArray) -> tuple[IntArray, IntArray, IntArray]:
    """Horizontal runs of set pixels: row, first column, one past the last column."""
    height, width = mask.shape
    padded = np.zeros((height, width + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    steps = np.diff(padded, axis=1)
    rows, starts = np.nonzero(steps == 1)
    _rows, ends = np.nonzero(steps == -1)
    return rows, starts, ends


def label_runs(rows: IntArray, starts: IntArray, ends: IntArray, width: int) -> IntArray:
    """Connected-component label (0..n-1) of each run, 8-connectivity.

    Runs are in row-major order, so for each run the runs it touches in the row above form
    one contiguous index range, found with two binary searches. Components are then merged
    by vectorised union-find: hook every edge's larger root under its smaller one, then
    halve paths until every run points at its root, until no edge joins two roots.
    """
    count = rows.size
    if count == 0:
        return np.zeros(0, dtype=np.intp)
    stride = width + 3
    start_keys = rows * stride + starts
    end_keys = rows * stride + ends
    above = (rows - 1) * stride
    first = np.searchsorted(end_keys, above + starts, side="left")
    last = np.searchsorted(start_keys, above + ends, side="right")
    links = np.maximum(last - first, 0)
    total = int(links.sum())
    parent = np.arange(count, dtype=np.intp)
    if total:
        lower = np.repeat(np.arange(count, dtype=np.intp), links)
        offsets = np.arange(total, dtype=np.intp) - np.repeat(np.cumsum(links) - links, links)
        upper = np.repeat(first, links) + offsets
        while True:
            a, b = parent[lower], parent[upper]
            joined = a != b
            if not joined.any():
                break
            np.minimum.at(parent, np.maximum(a, b)[joined], np.minimum(a, b)[joined])
            while True:
                grand = parent[parent]
                if np.array_equal(grand, parent):
                    break
                parent = grand
    _roots, labels = np.unique(parent, return_inverse=True)
    return labels.astype(np.intp)


def _keep_slicks(
    candidates: BoolArray,
    seeds: BoolArray,
    filtered: FloatArray,
    background: FloatArray,
    *,
    min_area: float,
    max_ratio: float,
) -> BoolArray:
    """Keep connected candidate regions that are large, seeded and dark enough on average."""
    height, width = candidates.shape
    rows, starts, ends = _runs(candidates)
    if rows.size == 0:
        return np.zeros((height, width), dtype=np.bool_)
    labels = label_runs(rows, starts, ends, width)
    lengths = ends - starts
    pixel_labels = np.repeat(labels, lengths)
    area = np.bincount(labels, weights=lengths.astype(np.float64))
    seeded = np.bincount(pixel_labels, weights=seeds[candidates].astype(np.float64))
    dark = np.bincount(pixel_labels, weights=filtered[candidates].astype(np.float64))
    bright = np.bincount(pixel_labels, weights=background[candidates].astype(np.float64))
    keep = (area >= min_area) & (seeded > 0) & (dark < max_ratio * bright)
    chosen = keep[labels]
    return _paint(rows[chosen], starts[chosen], ends[chosen], height, width)


def _paint(rows: IntArray, starts: IntArray, ends: IntArray, height: int, width: int) -> BoolArray:
    """A mask with the given runs set: +1 at each start, -1 past each end, cumulative sum."""
    steps = np.zeros((height, width + 1), dtype=np.int8)
    steps[rows, starts] = 1
    steps[rows, ends] = -1
    painted: BoolArray = np.cumsum(steps, axis=1, dtype=np.int8)[:, :width] > 0
    return painted
