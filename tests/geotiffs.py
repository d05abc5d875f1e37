"""GeoTIFFs made by GDAL itself (rasterio) for the tests: projected, geographic, GCP-only,
rotated, 16-bit with no-data."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from affine import Affine
from rasterio.control import GroundControlPoint
from rasterio.io import MemoryFile

from oilspill_desktop.core.geo.georef import quiet_open

UTM33N = "EPSG:32633"
UTM_ORIGIN = Affine(10.0, 0.0, 500_000.0, 0.0, -10.0, 6_000_000.0)
"""10 m pixels in UTM 33N, top-left at 500 km E, 6000 km N (54.1° N, 15° E)."""


def sea(height: int = 64, width: int = 64, dtype: str = "uint16") -> npt.NDArray[np.generic]:
    """A speckled sea: any value but the no-data value 0."""
    rng = np.random.default_rng(7)
    return rng.integers(200, 900, size=(height, width)).astype(dtype)


def geotiff(
    pixels: npt.NDArray[np.generic],
    *,
    crs: str | None = UTM33N,
    transform: Affine | None = UTM_ORIGIN,
    gcps: list[GroundControlPoint] | None = None,
    nodata: float | None = None,
) -> bytes:
    """A single-band GeoTIFF of ``pixels`` with the given georeference."""
    height, width = pixels.shape
    profile: dict[str, object] = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": 1,
        "dtype": str(pixels.dtype),
        "nodata": nodata,
    }
    if transform is not None:
        profile["transform"] = transform
    if crs is not None and gcps is None:
        profile["crs"] = crs
    with MemoryFile() as memory, quiet_open():
        with memory.open(**profile) as dataset:
            if gcps is not None:
                dataset.gcps = (gcps, crs)
            dataset.write(pixels, 1)
        return bytes(memory.read())


def grid_gcps(
    width: int, height: int, lon0: float, lat0: float, step: float, steps: int = 3
) -> list[GroundControlPoint]:
    """A Sentinel-1-like grid of GCPs: north-up, ``step`` degrees per pixel."""
    points = []
    for i in range(steps + 1):
        for j in range(steps + 1):
            row, col = height * i / steps, width * j / steps
            points.append(
                GroundControlPoint(row=row, col=col, x=lon0 + col * step, y=lat0 - row * step)
            )
    return points
