"""Synthetic SAR sea scenes with an exact oil truth mask, for tests, benchmarks and the sample.

Real annotated SAR scenes are large, licensed and not ours to ship; a fake that follows the
physics closely enough lets tests measure accuracy ("IoU >= 0.6") instead of "it runs".

The model, in the order it is applied:

* **Sea** backscatter in dB: a level of -15 to -12 dB at mid range, a gentle
  incidence-angle gradient of 2-5 dB across range (the columns; either looking direction)
  and smooth wind variability of a fraction of a dB.
* **Oil** damps the capillary waves, so slicks are 5-10 dB darker than the sea around
  them. Each slick is a bent, tapered ellipse whose outline is pushed around by smooth noise
  (irregular edges) and whose damping fades out over a feather zone; thicker patches inside
  are a little darker. The truth mask is where the damping is at least half its full value.
* **Look-alikes** (low-wind areas) are larger, smoother and only 2-4 dB darker; not oil.
* **Ships** are bright point targets 15-25 dB above the sea, with faint range and azimuth
  side lobes and a slick trailing behind them (oil; the ship itself is not).
* A thermal **noise floor** (NESZ, -27 to -24 dB) is added in linear power, so the darkest
  slicks lose some contrast, as in real scenes.
* Multiplicative **speckle**: intensity times Gamma(L, 1/L) for ``looks`` = L (4 by default,
  a typical multilooked GRD; quicklooks are smoother and use more).

Rendering by ``dtype``:

* ``"uint8"`` - an 8-bit amplitude quicklook, mode ``L``: pixel = gain * sqrt(intensity),
  with the gain putting mid-range sea near 110 and bright targets saturating at 255. This
  is the model the built-in engine assumes (pixel proportional to amplitude).
* ``"uint16"`` - amplitude digital numbers, mode ``I;16``: DN = 500 * sqrt(sigma0), the
  form of Sentinel-1 GRD calibration (sigma0 = DN^2 / A^2; A = 500 is typical of its
  sigma-nought tables), so sea sits near DN 100 and ships reach a few thousand.
* ``"float32"`` - calibrated sigma0 in linear power, mode ``F`` (what a float GeoTIFF of a
  calibrated product holds).

Everything is vectorised and works on the bounding box of each feature only, so scenes
are cheap enough to make by the hundred in tests. A scene depends only on its arguments
(NumPy's PCG64 generator seeded with ``seed``).
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image

from ..core.atomic import atomic_write
from ..core.errors import OutputError

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]

QUICKLOOK_SEA_LEVEL = 110.0
"""8-bit amplitude of mid-range sea in a ``uint8`` scene (before speckle)."""
DN_GAIN = 500.0
"""Calibration constant A of ``uint16`` scenes: sigma0 = DN^2 / A^2."""

_DTYPES: tuple[str, ...] = ("uint8", "uint16", "float32")
_FORMATS: dict[str, str] = {"PNG": "png", "JPEG": "jpg", "BMP": "bmp", "TIFF": "tif"}
# Members are dated like this so that a survey archive is byte-for-byte reproducible.
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class SyntheticScene:
    """A rendered scene and its truth: ``oil[y, x]`` is True where a slick is."""

    image: Image.Image
    oil: BoolArray


@dataclass(frozen=True)
class _Blob:
    """A bent, tapered ellipse with a noisy, feathered outline (a slick or a calm area)."""

    cx: float
    cy: float
    length: float
    width: float
    angle: float
    bend: float  # pixels the middle is pushed sideways relative to the ends
    taper: float  # -1..1: how much wider one end is than the other
    feather: float  # half-width of the soft edge, in units of the normalised radius squared
    roughness: float  # amplitude of the outline noise, same units


def synthetic_scene(
    width: int,
    height: int,
    *,
    seed: int,
    slicks: int = 2,
    look_alikes: int = 0,
    ship: bool = False,
    dtype: str = "uint8",
    looks: float = 4.0,
) -> SyntheticScene:
    """Render one scene; see the module docstring for the model and the ``dtype`` choices."""
    if width < 1 or height < 1:
        raise ValueError(f"A scene must be at least 1x1 pixels; {width}x{height} was asked for.")
    if slicks < 0 or look_alikes < 0:
        raise ValueError(
            f"Slick and look-alike counts cannot be negative; got {slicks} and {look_alikes}."
        )
    if dtype not in _DTYPES:
        raise ValueError(f"The dtype {dtype!r} is not one of {', '.join(_DTYPES)}.")
    if not looks > 0:
        raise ValueError(f"The number of looks must be positive; got {looks}.")

    rng = np.random.default_rng(seed)
    short = float(min(width, height))
    base_db = rng.uniform(-15.0, -12.0)
    sea_db = _sea_db(rng, width, height, base_db)
    damp_db = np.zeros((height, width), dtype=np.float32)
    oil = np.zeros((height, width), dtype=np.bool_)

    for _ in range(look_alikes):
        _apply(
            rng, _random_look_alike(rng, width, height, short), rng.uniform(2.0, 4.0), damp_db, None
        )
    for _ in range(slicks):
        _apply(rng, _random_slick(rng, width, height, short), rng.uniform(5.0, 10.0), damp_db, oil)

    target: tuple[BoolArray, float] | None = None
    if ship:
        target = _ship(rng, damp_db, oil)

    sigma0 = np.exp((sea_db - damp_db) * np.float32(math.log(10.0) / 10.0))
    if target is not None:
        _paint_ship(sigma0, target[0], target[1])
    nesz = np.float32(10.0 ** (rng.uniform(-27.0, -24.0) / 10.0))
    speckle = rng.standard_gamma(looks, size=(height, width), dtype=np.float32)
    speckle *= np.float32(1.0 / looks)
    if target is not None:
        speckle[target[0]] = 1.0  # a ship is a few strong scatterers, not a speckled surface
    intensity = (sigma0 + nesz) * speckle
    return SyntheticScene(_render(intensity, dtype, base_db), oil)


def survey_scene(
    index: int, *, size: tuple[int, int] = (256, 256), seed: int = 0, dtype: str = "uint8"
) -> SyntheticScene:
    """Scene ``index`` of a survey: a fixed cycle of cases so any survey exercises them all.

    The cycle of five is: one slick; two slicks; a slick with a look-alike; a ship with its
    trail; pure sea.
    """
    kind = index % 5
    slicks = (1, 2, 1, 0, 0)[kind]
    look_alikes = 1 if kind == 2 else 0
    scene_seed = int(np.random.SeedSequence([seed, index]).generate_state(1)[0])
    return synthetic_scene(
        size[0],
        size[1],
        seed=scene_seed,
        slicks=slicks,
        look_alikes=look_alikes,
        ship=kind == 3,
        dtype=dtype,
    )


def write_survey_zip(
    path: Path,
    count: int,
    *,
    size: tuple[int, int] = (256, 256),
    seed: int = 0,
    fmt: str = "PNG",
    folder: str = "survey",
) -> Path:
    """Write ``count`` scenes from :func:`survey_scene` as ``<folder>/scene_NNN.<ext>``.

    The archive is written under a temporary name and renamed, so a reader never sees half
    of it, and is byte-for-byte the same for the same arguments.
    """
    fmt = fmt.upper()
    if fmt not in _FORMATS:
        raise ValueError(f"The image format {fmt!r} is not one of {', '.join(_FORMATS)}.")
    if count < 0:
        raise ValueError(f"The number of scenes cannot be negative; got {count}.")
    prefix = f"{folder.strip('/')}/" if folder.strip("/") else ""
    members = (
        (
            f"{prefix}scene_{i:03d}.{_FORMATS[fmt]}",
            encode_image(survey_scene(i, size=size, seed=seed).image, fmt),
        )
        for i in range(count)
    )
    return write_zip(path, members)


def encode_image(image: Image.Image, fmt: str) -> bytes:
    """The bytes of ``image`` in ``fmt``: TIFFs deflated, JPEGs at quality 90."""
    buffer = io.BytesIO()
    fmt = fmt.upper()
    if fmt == "JPEG":
        image.save(buffer, format="JPEG", quality=90)
    elif fmt == "TIFF":
        # Deflate with the predictor that suits the samples: horizontal differencing (2,
        # baseline TIFF 6) for integers, Adobe's floating-point predictor (3) for floats;
        # libtiff, GDAL and Pillow read both.
        predictor = 3 if image.mode == "F" else 2 if image.mode.startswith("I") else 1
        image.save(buffer, format="TIFF", compression="tiff_deflate", tiffinfo={317: predictor})
    else:
        image.save(buffer, format=fmt)
    return buffer.getvalue()


def write_zip(path: Path, members: Iterable[tuple[str, bytes]]) -> Path:
    """Write a reproducible zip of ``(name, data)`` members atomically; return ``path``.

    Already-compressed formats are stored, everything else deflated.
    """
    try:
        with atomic_write(path) as handle, zipfile.ZipFile(handle, "w") as archive:
            for name, data in members:
                info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
                info.external_attr = 0o644 << 16
                stored = name.lower().endswith((".png", ".jpg", ".jpeg"))
                info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
    except OSError as exc:
        raise OutputError(
            f"Cannot write the survey archive {path}: {exc.strerror or exc}."
        ) from exc
    return path


# --- the sea -----------------------------------------------------------------------------


def _sea_db(rng: np.random.Generator, width: int, height: int, base_db: float) -> FloatArray:
    """Sea sigma0 in dB: level, incidence-angle ramp across range, smooth wind variability."""
    drop = rng.uniform(2.0, 5.0) * (1.0 if rng.random() < 0.5 else -1.0)
    x = (np.arange(width, dtype=np.float32) + 0.5) / np.float32(width) - np.float32(0.5)
    ramp = np.float32(base_db) - np.float32(drop) * x
    wind_cell = max(min(width, height) / 3.0, 2.0)
    wind = _smooth_noise(rng, height, width, wind_cell) * np.float32(rng.uniform(0.6, 1.5))
    return (wind + ramp[None, :]).astype(np.float32)


def _smooth_noise(rng: np.random.Generator, height: int, width: int, cell: float) -> FloatArray:
    """Band-limited noise with features about ``cell`` pixels across (std about 0.6).

    A coarse Gaussian grid upsampled bicubically: C code in Pillow, so it costs about as
    much as one pass over the pixels.
    """
    grid_h = max(2, math.ceil(height / cell) + 2)
    grid_w = max(2, math.ceil(width / cell) + 2)
    grid = rng.standard_normal((grid_h, grid_w)).astype(np.float32)
    up = Image.fromarray(grid).resize((width, height), Image.Resampling.BICUBIC)
    return np.asarray(up, dtype=np.float32)


# --- slicks and look-alikes ----------------------------------------------------------------


def _random_slick(rng: np.random.Generator, width: int, height: int, short: float) -> _Blob:
    length = rng.uniform(0.25, 0.55) * short
    return _Blob(
        cx=rng.uniform(0.2, 0.8) * width,
        cy=rng.uniform(0.2, 0.8) * height,
        length=length,
        width=max(length * rng.uniform(0.1, 0.3), 2.0),
        angle=rng.uniform(0.0, math.pi),
        bend=rng.uniform(-0.2, 0.2) * length,
        taper=rng.uniform(-0.6, 0.6),
        feather=rng.uniform(0.15, 0.4),
        roughness=rng.uniform(0.2, 0.45),
    )


def _random_look_alike(rng: np.random.Generator, width: int, height: int, short: float) -> _Blob:
    length = rng.uniform(0.35, 0.7) * short
    return _Blob(
        cx=rng.uniform(0.2, 0.8) * width,
        cy=rng.uniform(0.2, 0.8) * height,
        length=length,
        width=length * rng.uniform(0.45, 0.9),
        angle=rng.uniform(0.0, math.pi),
        bend=rng.uniform(-0.1, 0.1) * length,
        taper=rng.uniform(-0.3, 0.3),
        feather=rng.uniform(0.5, 0.8),
        roughness=rng.uniform(0.15, 0.3),
    )


def _apply(
    rng: np.random.Generator,
    blob: _Blob,
    depth_db: float,
    damp_db: FloatArray,
    oil: BoolArray | None,
) -> None:
    """Darken ``damp_db`` by the blob (overlaps take the stronger damping); mark ``oil``."""
    shape = _blob_shape(rng, blob, damp_db.shape)
    if shape is None:
        return
    rows, cols, fraction, inside = shape
    # Thicker oil (or calmer water) in patches: +-15 % around the nominal depth.
    patches = _smooth_noise(rng, fraction.shape[0], fraction.shape[1], max(blob.width, 2.0))
    depth = np.float32(depth_db) * (np.float32(1.0) + np.float32(0.25) * np.tanh(patches))
    region = damp_db[rows, cols]
    np.maximum(region, depth * fraction, out=region)
    if oil is not None:
        oil[rows, cols] |= inside


def _blob_shape(
    rng: np.random.Generator, blob: _Blob, shape: tuple[int, ...]
) -> tuple[slice, slice, FloatArray, BoolArray] | None:
    """The blob's bounding box, its damping fraction (0..1) there and its truth outline.

    In the blob's frame (u along, v across, both normalised to the half axes) the field
    f = u^2 + (v / taper(u))^2, plus smooth noise, is below 1 inside; the damping fraction
    falls smoothly from 1 to 0 as f crosses 1 - feather .. 1 + feather.
    """
    height, width = shape
    half_l = blob.length / 2.0
    half_w = blob.width / 2.0
    reach = (half_l + abs(blob.bend) + half_w * (1.0 + abs(blob.taper))) * 1.6 + 2.0
    y0, y1 = max(0, math.floor(blob.cy - reach)), min(height, math.ceil(blob.cy + reach) + 1)
    x0, x1 = max(0, math.floor(blob.cx - reach)), min(width, math.ceil(blob.cx + reach) + 1)
    if y0 >= y1 or x0 >= x1:
        return None
    dy = (np.arange(y0, y1, dtype=np.float32) + np.float32(0.5 - blob.cy))[:, None]
    dx = (np.arange(x0, x1, dtype=np.float32) + np.float32(0.5 - blob.cx))[None, :]
    cos, sin = np.float32(math.cos(blob.angle)), np.float32(math.sin(blob.angle))
    u = (dx * cos + dy * sin) / np.float32(half_l)
    v = -dx * sin + dy * cos - np.float32(blob.bend) * (np.float32(1.0) - u * u)
    spread = np.maximum(np.float32(1.0) + np.float32(blob.taper) * np.clip(u, -1.0, 1.0), 0.15)
    across = v / (np.float32(half_w) * spread)
    field = u * u + across * across
    coarse = _smooth_noise(rng, y1 - y0, x1 - x0, max(half_w * 1.5, 2.0))
    fine = _smooth_noise(rng, y1 - y0, x1 - x0, max(half_w * 0.5, 1.5))
    field += np.float32(blob.roughness) * (coarse + np.float32(0.4) * fine)
    t = np.clip((np.float32(1.0 + blob.feather) - field) / np.float32(2.0 * blob.feather), 0, 1)
    fraction = (t * t * (np.float32(3.0) - np.float32(2.0) * t)).astype(np.float32)
    return slice(y0, y1), slice(x0, x1), fraction, field < 1.0


# --- ships -----------------------------------------------------------------------------------


def _ship(rng: np.random.Generator, damp_db: FloatArray, oil: BoolArray) -> tuple[BoolArray, float]:
    """Place a ship and the slick it trails; return its pixels and brightness over the sea."""
    height, width = damp_db.shape
    short = float(min(height, width))
    cx, cy = rng.uniform(0.3, 0.7) * width, rng.uniform(0.3, 0.7) * height
    heading = rng.uniform(0.0, 2.0 * math.pi)
    hx, hy = math.cos(heading), math.sin(heading)
    ship_len = max(3.0, 0.02 * short)
    trail_len = rng.uniform(0.25, 0.45) * short
    # The narrow end reaches under the hull: the noisy outline would otherwise leave a gap.
    behind = 0.46 * trail_len
    trail = _Blob(
        cx=cx - hx * behind,
        cy=cy - hy * behind,
        length=trail_len,
        width=max(trail_len * rng.uniform(0.12, 0.2), 2.0),
        angle=heading,
        bend=rng.uniform(-0.08, 0.08) * trail_len,
        taper=-0.8,  # narrow at the ship (u = +1), spreading out behind it
        feather=rng.uniform(0.15, 0.3),
        roughness=rng.uniform(0.15, 0.3),
    )
    _apply(rng, trail, rng.uniform(5.0, 9.0), damp_db, oil)

    # The hull, drawn in a box around the ship only.
    reach = int(ship_len) + 2
    y0, x0 = max(0, int(cy) - reach), max(0, int(cx) - reach)
    y1, x1 = min(height, int(cy) + reach + 1), min(width, int(cx) + reach + 1)
    ys = np.arange(y0, y1, dtype=np.float32)[:, None] + np.float32(0.5 - cy)
    xs = np.arange(x0, x1, dtype=np.float32)[None, :] + np.float32(0.5 - cx)
    along = xs * np.float32(hx) + ys * np.float32(hy)
    across = -xs * np.float32(hy) + ys * np.float32(hx)
    hull = np.zeros((height, width), dtype=np.bool_)
    hull[y0:y1, x0:x1] = (np.abs(along) <= ship_len / 2.0) & (
        np.abs(across) <= max(ship_len * 0.18, 0.75)
    )
    if not hull.any():  # keep at least the centre pixel so the ship is always visible
        hull[min(int(cy), height - 1), min(int(cx), width - 1)] = True
    damp_db[hull] = 0.0
    oil[hull] = False
    return hull, rng.uniform(15.0, 25.0)


def _paint_ship(sigma0: FloatArray, hull: BoolArray, boost_db: float) -> None:
    """Set the hull to its bright level and add the cross of side lobes a point target makes."""
    sea = float(np.median(sigma0[hull]))
    peak = sea * 10.0 ** (boost_db / 10.0)
    sigma0[hull] = np.float32(peak)
    rows, cols = np.nonzero(hull)
    r0, r1, c0, c1 = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
    reach = max(4, 3 * max(r1 - r0, c1 - c0))
    offsets = np.arange(1, reach + 1, dtype=np.float32)
    lobes = np.float32(peak) * np.power(np.float32(10.0), -(13.0 + offsets * 1.5) / 10.0)
    height, width = sigma0.shape
    for i, lobe in enumerate(lobes):
        up, down, left, right = r0 - 1 - i, r1 + i, c0 - 1 - i, c1 + i
        if up >= 0:
            sigma0[up, c0:c1] += lobe
        if down < height:
            sigma0[down, c0:c1] += lobe
        if left >= 0:
            sigma0[r0:r1, left] += lobe
        if right < width:
            sigma0[r0:r1, right] += lobe


# --- rendering -------------------------------------------------------------------------------


def _render(intensity: FloatArray, dtype: str, base_db: float) -> Image.Image:
    if dtype == "float32":
        return Image.fromarray(intensity.astype(np.float32))
    amplitude = np.sqrt(intensity)
    if dtype == "uint16":
        dn = np.clip(amplitude * np.float32(DN_GAIN) + np.float32(0.5), 0, 65535)
        return Image.fromarray(dn.astype(np.uint16))
    gain = QUICKLOOK_SEA_LEVEL / math.sqrt(10.0 ** (base_db / 10.0))
    pixels = np.clip(amplitude * np.float32(gain) + np.float32(0.5), 0, 255)
    return Image.fromarray(pixels.astype(np.uint8))
