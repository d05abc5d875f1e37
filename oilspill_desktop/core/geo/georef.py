"""Where an image lies on the Earth: its GeoTIFF georeference, read with GDAL (rasterio).

The pixels are decoded elsewhere (:mod:`..inputs.images`); this module reads only what
places them: the coordinate reference system (CRS), the affine geotransform or the ground
control points (GCPs, as Sentinel-1 GRD products carry), and which pixels hold no data.
GDAL is the field's reference reader for all three, so nothing here parses GeoKeys by hand.

An image is georeferenced when it has a CRS and either a geotransform or at least three
GCPs. Anything short of that (a plain TIFF, a transform without a CRS) is simply not
georeferenced and is processed as before. A georeference that is present but cannot be
used (an engineering CRS, GCPs that contradict each other, coordinates off the Earth)
raises :class:`~..errors.ItemError` with a coded sentence: a wrong square kilometre is
worse than none.
"""

from __future__ import annotations

import contextlib
import math
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from affine import Affine
from rasterio.control import GroundControlPoint
from rasterio.crs import CRS
from rasterio.enums import MaskFlags
from rasterio.errors import CRSError, NotGeoreferencedWarning, RasterioError
from rasterio.io import MemoryFile
from rasterio.transform import AffineTransformer, GCPTransformer
from rasterio.warp import transform as warp_transform

from ..errors import ItemError
from ..messages import say
from .detect import has_geotags

Floats = npt.NDArray[np.float64]

WGS84 = CRS.from_epsg(4326)

_MIN_GCPS = 3
TPS_MIN_GCPS = 10
"""From this many GCPs on (a Sentinel-1 GRD grid has about 200), the image is placed by a
thin-plate spline through them, as ``gdalwarp -tps`` does: it passes through every point,
where a polynomial of order 3 is off by pixels over a 250 km swath (measured: 2.6 px RMS
on a simulated 25,000 x 16,700 GRD grid)."""
GCP_TOLERANCE_PX = 2.0
GCP_TOLERANCE_SHARE = 0.001
"""GCPs are refused when a polynomial through them misses one of them by more than 2 pixels
or 0.1 % of the scene's diagonal (30 px on a GRD scene; the simulated grid's worst is
under 10): that is not the curvature of a swath but a typing error or a swapped latitude,
and areas derived from such points would be wrong. The worst point counts, not the mean:
among 200 points the mean hides one blunder."""

# ``catch_warnings`` is process-wide, so it is taken under a lock and only around an open.
_OPEN_LOCK = threading.Lock()


@dataclass(frozen=True)
class Georeference:
    """How pixel positions map to the Earth, for one image.

    Pixel positions are ``(col, row)`` in pixel-corner coordinates: ``(0, 0)`` is the
    top-left corner of the top-left pixel, ``(width, height)`` the far corner.
    ``valid`` is ``False`` where the input holds no data (its no-data value or mask), or
    ``None`` when every pixel holds data.
    """

    crs: CRS
    width: int
    height: int
    transform: Affine | None = None
    gcps: tuple[GroundControlPoint, ...] = ()
    valid: npt.NDArray[np.bool_] | None = None

    @property
    def label(self) -> str:
        """``EPSG:32633`` where the CRS has a code, else its name: what the report shows."""
        return crs_label(self.crs)

    def to_map(self, cols: Floats, rows: Floats) -> tuple[Floats, Floats]:
        """Map coordinates (in :attr:`crs`) of pixel-corner positions."""
        transformer: AffineTransformer | GCPTransformer
        if self.transform is not None:
            transformer = AffineTransformer(self.transform)
        else:
            transformer = GCPTransformer(list(self.gcps), tps=len(self.gcps) >= TPS_MIN_GCPS)
        with transformer:
            xs, ys = transformer.xy(rows, cols, offset="ul")
        return np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)

    def to_lonlat(self, cols: Floats, rows: Floats) -> tuple[Floats, Floats]:
        """Longitude and latitude (WGS 84, degrees) of pixel-corner positions."""
        xs, ys = self.to_map(cols, rows)
        return to_crs(self.crs, WGS84, xs, ys)


@contextlib.contextmanager
def quiet_open() -> Iterator[None]:
    """Open or create a dataset without GDAL's NotGeoreferencedWarning.

    GDAL warns while opening a TIFF whose geotags turn out to be unusable (that case is
    reported by us, in words) and while creating one that will be placed by GCPs (they
    are set after it is created).
    """
    with _OPEN_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        yield


def crs_label(crs: CRS) -> str:
    epsg = crs.to_epsg()
    if epsg is not None:
        return f"EPSG:{epsg}"
    try:
        name = crs.to_dict(projjson=True).get("name")
    except CRSError:
        name = None
    return str(name) if name else crs.to_string()


def to_crs(source: CRS, target: CRS, xs: Floats, ys: Floats) -> tuple[Floats, Floats]:
    """Coordinates from ``source`` to ``target`` (longitude first for geographic ones)."""
    if len(xs) == 0:
        return np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    out_x, out_y = warp_transform(source, target, list(map(float, xs)), list(map(float, ys)))
    return np.asarray(out_x, dtype=np.float64), np.asarray(out_y, dtype=np.float64)


def read_georeference(data: bytes, *, with_valid: bool = True) -> Georeference | None:
    """The georeference of a member's bytes; ``None`` when it has none (a plain image).

    Without ``with_valid`` the no-data mask is not read (see :func:`georeference_of`): the
    viewer places the cursor with a large scene's mask GeoTIFF, whose no-data mask would
    be a byte per scene pixel. Raises :class:`ItemError` when geotags are present but
    cannot be used.
    """
    if not has_geotags(data):
        return None
    with _geodata_errors(), MemoryFile(data) as memory:
        with quiet_open():
            dataset = memory.open()
        with dataset:
            return georeference_of(dataset, with_valid=with_valid)


def georeference_of(dataset: object, *, with_valid: bool = True) -> Georeference | None:
    """The georeference of an open dataset. Without ``with_valid``, :attr:`~Georeference.valid`
    is left ``None`` (a large scene reads its no-data window by window)."""
    with _geodata_errors():
        georef = _from_dataset(dataset, with_valid)
    if georef is not None:
        check_on_earth(georef)
    return georef


@contextlib.contextmanager
def _geodata_errors() -> Iterator[None]:
    """GDAL's and PROJ's complaints as the coded sentences an image fails with."""
    try:
        yield
    except ItemError:
        raise
    except CRSError as error:
        raise ItemError(say("geo.crs_unusable", reason=_reason(error))) from error
    except (RasterioError, ValueError) as error:
        raise ItemError(say("geo.unreadable", reason=_reason(error))) from error


def _from_dataset(dataset: object, with_valid: bool) -> Georeference | None:
    crs: CRS | None = getattr(dataset, "crs", None)
    gcps, gcp_crs = getattr(dataset, "gcps", ([], None))
    transform: Affine = getattr(dataset, "transform", Affine.identity())
    width, height = int(getattr(dataset, "width", 0)), int(getattr(dataset, "height", 0))
    valid = _valid_pixels(dataset) if with_valid else None
    if gcps and transform.is_identity:
        if gcp_crs is None:
            raise ItemError(say("geo.crs_unusable", reason="its ground control points name no CRS"))
        _check_crs(gcp_crs)
        georef = Georeference(gcp_crs, width, height, gcps=tuple(gcps), valid=valid)
        check_gcps(georef)
        return georef
    if crs is None or transform.is_identity:
        return None  # pixels only, or a position without a CRS: nothing to measure with
    _check_crs(crs)
    if not math.isfinite(transform.determinant) or transform.determinant == 0:
        raise ItemError(say("geo.unreadable", reason="its geotransform is degenerate"))
    return Georeference(crs, width, height, transform=transform, valid=valid)


def _check_crs(crs: CRS) -> None:
    if not (crs.is_geographic or crs.is_projected):
        raise ItemError(
            say("geo.crs_unusable", reason=f"{crs_label(crs)} is not tied to the Earth")
        )


def _valid_pixels(dataset: object) -> npt.NDArray[np.bool_] | None:
    """Where the input holds data, from its no-data value, mask or alpha; ``None``: all."""
    flags = getattr(dataset, "mask_flag_enums", ())
    first = flags[0] if flags else ()
    if MaskFlags.all_valid in first and getattr(dataset, "nodata", None) is None:
        return None
    mask = np.asarray(dataset.dataset_mask()) != 0  # type: ignore[attr-defined]
    return None if bool(mask.all()) else mask


def check_gcps(georef: Georeference) -> None:
    """Refuse GCPs too few to place the image, or that contradict one another."""
    count = len(georef.gcps)
    if count < _MIN_GCPS:
        raise ItemError(say("geo.gcps_few", count=count))
    gcps = georef.gcps
    rows = np.array([g.row for g in gcps], dtype=np.float64)
    cols = np.array([g.col for g in gcps], dtype=np.float64)
    try:
        # Forward (pixel to map): in pixel space the points form a grid, so one wrong
        # point cannot pull the polynomial through itself as it can the other way round.
        cx, cy = georef.width / 2, georef.height / 2
        with GCPTransformer(list(gcps)) as polynomial:
            xs, ys = (
                np.asarray(v, dtype=np.float64) for v in polynomial.xy(rows, cols, offset="ul")
            )
            px, py = (
                np.asarray(v, dtype=np.float64)
                for v in polynomial.xy([cy, cy, cy + 1], [cx, cx + 1, cx], offset="ul")
            )
    except (RasterioError, ValueError) as error:
        raise ItemError(say("geo.unreadable", reason=_reason(error))) from error
    per_pixel = math.sqrt(
        abs((px[1] - px[0]) * (py[2] - py[0]) - (px[2] - px[0]) * (py[1] - py[0]))
    )
    d_x = (xs - [g.x for g in gcps]) / per_pixel
    d_y = (ys - [g.y for g in gcps]) / per_pixel
    misfit = float(np.sqrt(np.max(d_x**2 + d_y**2))) if per_pixel > 0 else math.inf
    tolerance = max(GCP_TOLERANCE_PX, GCP_TOLERANCE_SHARE * math.hypot(cx * 2, cy * 2))
    if not math.isfinite(misfit) or misfit > tolerance:
        raise ItemError(
            say(
                "geo.gcps_misfit",
                pixels=f"{misfit:.1f}" if math.isfinite(misfit) else "infinitely",
                limit=f"{tolerance:.1f}",
            )
        )


def check_on_earth(georef: Georeference) -> None:
    """Corners and centre must have a longitude and latitude (else: off the Earth)."""
    w, h = georef.width, georef.height
    cols = np.array([0, w, 0, w, w / 2], dtype=np.float64)
    rows = np.array([0, 0, h, h, h / 2], dtype=np.float64)
    try:
        lon, lat = georef.to_lonlat(cols, rows)
    except (RasterioError, ValueError) as error:
        raise ItemError(say("geo.crs_unusable", reason=_reason(error))) from error
    if not (np.all(np.isfinite(lon)) and np.all(np.isfinite(lat))):
        raise ItemError(say("geo.off_earth"))
    if np.any(np.abs(lat) > 90.0 + 1e-9):
        raise ItemError(say("geo.off_earth"))


def _reason(error: BaseException) -> str:
    text = str(error).strip().rstrip(".")
    return text or type(error).__name__
