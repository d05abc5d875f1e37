"""Outlines for a map: pixel staircases simplified, and rings cut at the antimeridian.

A polygonised mask follows every pixel step; a GIS wants the shape. Douglas-Peucker with a
tolerance of half a pixel keeps every point of the outline within half a pixel of the
original (so no oil pixel's centre changes side), and drops the steps. Each ring is
simplified on its own, starting from its two points farthest apart so that the ring's
extreme points stay.

RFC 7946 asks that a geometry crossing the antimeridian be cut in two, each part with
longitudes inside -180..180, so that any reader draws it on the right side of the map.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .georef import Floats
from .ground import signed_area

SIMPLIFY_PX = 0.5
_MIN_RING_POINTS = 4  # a closed triangle


def simplify_ring(ring: Floats, tolerance: float = SIMPLIFY_PX) -> Floats | None:
    """A closed ring (N×2, first point repeated) simplified; ``None`` if it collapses."""
    points = ring[:-1]
    if len(points) < 3:
        return None
    far = int(np.argmax(((points - points[0]) ** 2).sum(axis=1)))
    if far == 0:
        return None
    keep = np.zeros(len(points) + 1, dtype=np.bool_)
    closed = np.vstack([points, points[:1]])
    for start, end in ((0, far), (far, len(points))):
        keep[start] = keep[end] = True
        _douglas_peucker(closed, start, end, tolerance, keep)
    out = closed[keep]
    return out if len(out) >= _MIN_RING_POINTS else None


def _douglas_peucker(
    points: Floats, start: int, end: int, tol: float, keep: npt.NDArray[np.bool_]
) -> None:
    stack = [(start, end)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        a, b = points[first], points[last]
        inner = points[first + 1 : last]
        ab = b - a
        norm = float(np.hypot(*ab))
        if norm == 0:
            distances = np.hypot(*(inner - a).T)
        else:
            distances = np.abs(ab[0] * (inner[:, 1] - a[1]) - ab[1] * (inner[:, 0] - a[0])) / norm
        worst = int(np.argmax(distances))
        if distances[worst] > tol:
            middle = first + 1 + worst
            keep[middle] = True
            stack.append((first, middle))
            stack.append((middle, last))


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
