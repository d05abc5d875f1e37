"""Outlines for a map: pixel staircases simplified, and rings cut at the antimeridian.

A polygonised mask follows every pixel step; a GIS wants the shape. Douglas-Peucker with a
tolerance of half a pixel keeps every point of the outline within half a pixel of the
original (so no oil pixel's centre changes side), and drops the steps. The midpoints of
the staircase's edges may be kept in place of its corners, which is what turns a staircase
into a slanted line. Each ring is simplified on its own, starting from its two points
farthest apart so that the ring's extreme points stay.

RFC 7946 asks that a geometry crossing the antimeridian be cut in two, each part with
longitudes inside -180..180, so that any reader draws it on the right side of the map.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .georef import Floats
from .ground import densify, signed_area

SIMPLIFY_PX = 0.5
_MIN_RING_POINTS = 4  # a closed triangle


def simplify_ring(ring: Floats, tolerance: float = SIMPLIFY_PX) -> Floats | None:
    """A closed ring (N×2, first point repeated) simplified; ``None`` if it collapses.

    The outline's points alternate: the midpoint of an edge (even places), then the corner
    that ends it (odd places). Only midpoints become vertices of the result, so a 45°
    staircase turns into one slanted line with its corners 0.35 px off it; a corner is
    0.5 px from the midpoints beside it, so it can always be brought within tolerance.
    """
    if len(ring) < _MIN_RING_POINTS:
        return None
    ring = densify(ring, 1.0)  # a midpoint every pixel, half a pixel from each corner
    points = np.empty((2 * (len(ring) - 1), 2))
    points[0::2] = (ring[:-1] + ring[1:]) / 2
    points[1::2] = ring[1:]
    far = 2 * int(np.argmax(((points[0::2] - points[0]) ** 2).sum(axis=1)))
    if far == 0:
        return None
    keep = np.zeros(len(points) + 1, dtype=np.bool_)
    closed = np.vstack([points, points[:1]])
    for first, last in ((0, far), (far, len(points))):
        keep[first] = keep[last] = True
        _douglas_peucker(closed, first, last, tolerance, keep)
    out = closed[keep]
    return out if len(out) >= _MIN_RING_POINTS else None


def _douglas_peucker(
    points: Floats, start: int, end: int, tol: float, keep: npt.NDArray[np.bool_]
) -> None:
    """Keep the midpoints (even places) needed for every point to be within ``tol``."""
    stack = [(start, end)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        distances = _distances(points[first + 1 : last], points[first], points[last])
        worst = int(np.argmax(distances))
        if distances[worst] <= tol:
            continue
        middle = first + 1 + worst
        if middle % 2:  # a corner: split at the midpoint beside it that stands out more
            beside = [i for i in (middle - 1, middle + 1) if first < i < last]
            if not beside:
                continue  # both neighbours are this chord's ends: 0.5 px from each
            middle = max(beside, key=lambda i: distances[i - first - 1])
        keep[middle] = True
        stack.append((first, middle))
        stack.append((middle, last))


def _distances(inner: Floats, a: Floats, b: Floats) -> Floats:
    ab = b - a
    norm = float(np.hypot(*ab))
    if norm == 0:
        return np.asarray(np.hypot(*(inner - a).T), dtype=np.float64)
    cross = ab[0] * (inner[:, 1] - a[1]) - ab[1] * (inner[:, 0] - a[0])
    return np.asarray(np.abs(cross) / norm, dtype=np.float64)


def unwrap_lon(lon: Floats, reference: float | None = None) -> Floats:
    """Longitudes made continuous along a ring (no 360° jumps), near ``reference``."""
    out = np.unwrap(lon, period=360.0)
    if reference is not None:
        out = out - 360.0 * np.round((out.mean() - reference) / 360.0)
    return out


def polygon_parts(rings: list[Floats]) -> list[list[Floats]]:
    """A polygon (exterior, holes; lon/lat rings) as parts inside -180..180.

    Longitudes are unwrapped first; a polygon reaching past ±180 is clipped into its
    western and eastern parts, the far one shifted by 360°. Rings are oriented as
    RFC 7946 asks: exteriors counter-clockwise, holes clockwise.
    """
    exterior = rings[0].copy()
    exterior[:, 0] = unwrap_lon(exterior[:, 0])
    centre = float(exterior[:, 0].mean())
    shift = 360.0 * np.round(centre / 360.0)  # bring the polygon's centre into -180..180
    exterior[:, 0] -= shift
    unwrapped = [exterior]
    for hole in rings[1:]:
        moved = hole.copy()
        moved[:, 0] = unwrap_lon(moved[:, 0], centre - shift)
        unwrapped.append(moved)
    west, east = float(exterior[:, 0].min()), float(exterior[:, 0].max())
    if east <= 180.0 and west >= -180.0:
        return [_oriented(unwrapped)]
    cut = 180.0 if east > 180.0 else -180.0
    parts = []
    for keep_below, offset in ((True, 0.0), (False, -360.0 if cut > 0 else 360.0)):
        clipped = [_clip(ring, cut, keep_below) for ring in unwrapped]
        if clipped[0] is None:
            continue
        part = [clipped[0]] + [ring for ring in clipped[1:] if ring is not None]
        for ring in part:
            ring[:, 0] += offset
        parts.append(_oriented(part))
    return parts


def _clip(ring: Floats, cut: float, keep_below: bool) -> Floats | None:
    """Sutherland-Hodgman against the meridian ``cut``: the side below or above it."""
    inside = ring[:, 0] <= cut if keep_below else ring[:, 0] >= cut
    out: list[Floats] = []
    for i in range(len(ring) - 1):
        a, b = ring[i], ring[i + 1]
        if inside[i]:
            out.append(a)
        if inside[i] != inside[i + 1]:
            t = (cut - a[0]) / (b[0] - a[0])
            out.append(np.array([cut, a[1] + t * (b[1] - a[1])]))
    if len(out) < 3:
        return None
    clipped = np.array([*out, out[0]])
    return clipped if abs(_signed_area(clipped)) > 0 else None


def _oriented(rings: list[Floats]) -> list[Floats]:
    """Exterior counter-clockwise, holes clockwise (longitude east, latitude north)."""
    out = []
    for index, ring in enumerate(rings):
        ccw = _signed_area(ring) > 0
        out.append(ring if ccw == (index == 0) else ring[::-1].copy())
    return out


def _signed_area(ring: Floats) -> float:
    return signed_area(ring[:, 0], ring[:, 1])
