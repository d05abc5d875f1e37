"""True ground measures of pixel outlines: an equal-area plane on the ellipsoid.

Areas are measured in a Lambert azimuthal equal-area projection of the WGS 84 ellipsoid
(PROJ's ``laea``, through rasterio) centred on the scene. An equal-area projection keeps
every area exactly as it is on the ellipsoid, wherever the centre is, so this is the
geodesic area for geographic inputs and the true ground area for projected ones (a UTM
grid's own areas are off by up to 0.2 % from its scale factor; here they are not). Pixel
outlines are densified before they are projected, so a long straight pixel edge that is
curved on the ground is followed, not cut short.

Distances (perimeters, lengths) come from the same plane. Its scale along and across
the radius from the centre differs from 1 by about c²/8 at an angular distance c, which
is under 0.1 % within 550 km of the scene's centre: far beyond a slick in a SAR scene.
This keeps one library (PROJ, inside rasterio) for every coordinate in the app, where
pyproj.Geod would bring a second copy of PROJ into the bundle for the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rasterio.crs import CRS

from .georef import WGS84, Floats, Georeference, to_crs

DENSIFY_PX = 8.0
"""The longest segment, in pixels, of an outline before it is measured."""
_DIRECT_EXTENT_POINTS = 256


@dataclass(frozen=True)
class GroundFrame:
    """Pixel positions of one image in a local equal-area plane (metres) and in lon/lat."""

    georef: Georeference
    plane: CRS
    centre_lon: float
    centre_lat: float

    @classmethod
    def for_image(cls, georef: Georeference) -> GroundFrame:
        lon, lat = georef.to_lonlat(np.array([georef.width / 2]), np.array([georef.height / 2]))
        centre_lon = float((lon[0] + 180.0) % 360.0 - 180.0)
        centre_lat = float(lat[0])
        plane = CRS.from_proj4(
            f"+proj=laea +lat_0={centre_lat!r} +lon_0={centre_lon!r} +ellps=WGS84 +units=m +no_defs"
        )
        return cls(georef, plane, centre_lon, centre_lat)

    def to_plane(self, cols: Floats, rows: Floats) -> tuple[Floats, Floats]:
        """Metres in the equal-area plane of pixel-corner positions."""
        xs, ys = self.georef.to_map(cols, rows)
        return to_crs(self.georef.crs, self.plane, xs, ys)

    def plane_to_lonlat(self, xs: Floats, ys: Floats) -> tuple[Floats, Floats]:
        return to_crs(self.plane, WGS84, xs, ys)

    def pixel_size_m(self) -> float:
        """The side of a square with the ground area of the centre pixel, in metres."""
        cx, cy = self.georef.width // 2, self.georef.height // 2
        cols = np.array([cx, cx + 1, cx + 1, cx], dtype=np.float64)
        rows = np.array([cy, cy, cy + 1, cy + 1], dtype=np.float64)
        xs, ys = self.to_plane(cols, rows)
        return float(np.sqrt(abs(signed_area(xs, ys))))


def densify(ring: Floats, step: float = DENSIFY_PX) -> Floats:
    """A closed ring (N×2, first point repeated last) with no segment longer than ``step``."""
    starts, ends = ring[:-1], ring[1:]
    lengths = np.hypot(*(ends - starts).T)
    pieces = np.maximum(1, np.ceil(lengths / step).astype(np.int64))
    if int(pieces.max(initial=1)) == 1:
        return ring
    index = np.repeat(np.arange(len(starts)), pieces)
    offsets = np.arange(int(pieces.sum())) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    t = (offsets / pieces[index])[:, None]
    points = starts[index] + (ends[index] - starts[index]) * t
    return np.vstack([points, ring[-1:]])


def signed_area(xs: Floats, ys: Floats) -> float:
    """Shoelace area of a closed ring, positive when counter-clockwise (y up)."""
    return 0.5 * float(np.dot(xs[:-1], ys[1:]) - np.dot(xs[1:], ys[:-1]))


def ring_length(xs: Floats, ys: Floats) -> float:
    return float(np.hypot(np.diff(xs), np.diff(ys)).sum())


def ring_centroid(xs: Floats, ys: Floats) -> tuple[float, float, float]:
    """(signed area, x, y) of a closed ring's area centroid (area-weighted sums)."""
    cross = xs[:-1] * ys[1:] - xs[1:] * ys[:-1]
    area = 0.5 * float(cross.sum())
    if area == 0:
        return 0.0, float(xs.mean()), float(ys.mean())
    cx = float(((xs[:-1] + xs[1:]) * cross).sum()) / (6.0 * area)
    cy = float(((ys[:-1] + ys[1:]) * cross).sum()) / (6.0 * area)
    return area, cx, cy


def longest_extent(xs: Floats, ys: Floats) -> float:
    """The greatest distance between two points of an outline (over its convex hull).

    A small outline (most slicks: specks of a few pixels) is compared point against point
    at once; finding the hull first costs more than that below a few hundred points."""
    points = np.column_stack([xs, ys])
    hull = points if len(points) <= _DIRECT_EXTENT_POINTS else convex_hull(points)
    if len(hull) < 2:
        return 0.0
    deltas = hull[:, None, :] - hull[None, :, :]
    return float(np.sqrt((deltas**2).sum(axis=2).max()))


def convex_hull(points: Floats) -> Floats:
    """Andrew's monotone chain; the hull's points without repetition."""
    unique = np.unique(points, axis=0)
    if len(unique) < 3:
        return unique

    def half(pts: Floats) -> list[Floats]:
        chain: list[Floats] = []
        for p in pts:
            while len(chain) >= 2 and _cross(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
        return chain

    lower, upper = half(unique), half(unique[::-1])
    return np.array(lower[:-1] + upper[:-1])


def _cross(o: Floats, a: Floats, b: Floats) -> float:
    return float((a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]))
