"""Slicks measured on the ground and outlined for a map: areas against a known shape in two
CRSs, holes, simplification, rotated and flipped transforms, the antimeridian."""

from __future__ import annotations

import math

import numpy as np
import pytest
from affine import Affine

from oilspill_desktop.core.geo.georef import Georeference, read_georeference
from oilspill_desktop.core.geo.ground import GroundFrame
from oilspill_desktop.core.geo.outline import simplify_ring
from oilspill_desktop.core.geo.slicks import Slick, find_slicks, pixel_polygons
from tests.geotiffs import geotiff, sea

WGS84_A = 6_378_137.0
WGS84_F = 1 / 298.257223563


def quadrangle_km2(lat1: float, lat2: float, dlon: float) -> float:
    """The exact area of a latitude/longitude quadrangle on the WGS 84 ellipsoid."""
    e2 = WGS84_F * (2 - WGS84_F)
    e = math.sqrt(e2)
    b = WGS84_A * (1 - WGS84_F)

    def q(lat: float) -> float:
        s = math.sin(math.radians(lat))
        return s / (1 - e2 * s * s) + math.log((1 + e * s) / (1 - e * s)) / (2 * e)

    return b * b / 2 * math.radians(dlon) * (q(lat2) - q(lat1)) / 1e6


def georef_of(data: bytes) -> Georeference:
    georef = read_georeference(data)
    assert georef is not None
    return georef


def slicks_of(georef: Georeference, oil: np.ndarray) -> list[Slick]:
    return find_slicks(oil, GroundFrame.for_image(georef))


def test_a_known_quadrangle_has_its_ellipsoidal_area_in_two_crss() -> None:
    truth = quadrangle_km2(45.0, 46.0, 1.0)  # 45-46° N, 10-11° E: 8,740 km²
    # Geographic: 0.005° pixels, the quadrangle is exactly 200 x 200 of them.
    geographic = georef_of(
        geotiff(sea(240, 240), crs="EPSG:4326", transform=Affine(0.005, 0, 9.9, 0, -0.005, 46.1))
    )
    oil = np.zeros((240, 240), dtype=bool)
    oil[20:220, 20:220] = True
    (in_degrees,) = slicks_of(geographic, oil)
    assert in_degrees.area_km2 == pytest.approx(truth, rel=1e-4)
    # UTM 32N, 200 m pixels: oil where a pixel's centre lies inside the quadrangle.
    transform = Affine(200.0, 0, 560_000.0, 0, -200.0, 5_110_000.0)
    projected = georef_of(geotiff(sea(640, 520), crs="EPSG:32632", transform=transform))
    rows, cols = np.mgrid[0:640, 0:520] + 0.5
    lon, lat = projected.to_lonlat(cols.ravel(), rows.ravel())
    inside = (lon >= 10) & (lon <= 11) & (lat >= 45) & (lat <= 46)
    assert inside.any() and not inside.reshape(640, 520)[[0, -1]].any()
    (in_metres,) = slicks_of(projected, inside.reshape(640, 520))
    assert in_metres.area_km2 == pytest.approx(truth, rel=0.01)
    assert in_metres.centroid_lon == pytest.approx(10.5, abs=0.01)
    assert in_metres.centroid_lat == pytest.approx(45.5, abs=0.01)


def test_a_slick_with_a_hole_keeps_it_and_rfc7946_orientation() -> None:
    georef = georef_of(geotiff(sea()))
    oil = np.zeros((64, 64), dtype=bool)
    oil[10:40, 10:50] = True
    oil[20:30, 20:30] = False
    (slick,) = slicks_of(georef, oil)
    rings = slick.geometry["coordinates"]
    assert slick.geometry["type"] == "Polygon" and len(rings) == 2
    exterior, hole = (np.array(ring) for ring in rings)
    assert signed(exterior) > 0 > signed(hole)  # counter-clockwise outside, clockwise hole
    grid_km2 = (30 * 40 - 10 * 10) * 100 / 1e6
    assert slick.area_km2 == pytest.approx(grid_km2 / 0.9996**2, rel=1e-3)  # UTM's scale
    assert slick.perimeter_km == pytest.approx((2 * (30 + 40) + 4 * 10) * 10 / 1000, rel=2e-3)
    assert slick.length_km == pytest.approx(math.hypot(300, 400) / 1000, rel=2e-3)


def test_slicks_are_numbered_largest_first() -> None:
    georef = georef_of(geotiff(sea()))
    oil = np.zeros((64, 64), dtype=bool)
    oil[2:4, 2:4] = True
    oil[30:50, 30:50] = True
    oil[10, 50] = True
    slicks = slicks_of(georef, oil)
    assert [s.number for s in slicks] == [1, 2, 3]
    assert [round(s.area_km2 * 1e6 / 100) for s in slicks] == [400, 4, 1]


def test_a_rotated_and_a_flipped_transform_put_the_slick_where_it_was_drawn() -> None:
    north_up = Affine(10.0, 0, 500_000.0, 0, -10.0, 6_000_000.0)
    rotated = north_up @ Affine.rotation(30)
    flipped = Affine(10.0, 0, 500_000.0, 0, 10.0, 5_999_360.0)  # rows run north
    oil = np.zeros((64, 64), dtype=bool)
    oil[8:24, 30:60] = True
    for transform in (north_up, rotated, flipped):
        georef = georef_of(geotiff(sea(), transform=transform))
        (slick,) = slicks_of(georef, oil)
        lon, lat = georef.to_lonlat(np.array([45.0]), np.array([16.0]))  # the slick's middle
        assert (slick.centroid_lon, slick.centroid_lat) == pytest.approx((lon[0], lat[0]))
        assert slick.area_km2 == pytest.approx(16 * 30 * 100 / 1e6 / 0.9996**2, rel=1e-3)
        exterior = np.array(slick.geometry["coordinates"][0])
        assert signed(exterior) > 0
        # corners are cut by at most half a pixel (5 m, 0.00008° of longitude here)
        assert exterior[:, 0].min() == pytest.approx(lon_lat_bounds(georef, oil)[0], abs=1e-4)


def test_a_slick_across_the_antimeridian_is_cut_in_two_with_its_area_kept() -> None:
    oil = np.zeros((64, 100), dtype=bool)
    oil[20:40, 20:80] = True
    across = georef_of(
        geotiff(sea(64, 100), crs="EPSG:4326", transform=Affine(0.01, 0, 179.5, 0, -0.01, -16.0))
    )
    away = georef_of(
        geotiff(sea(64, 100), crs="EPSG:4326", transform=Affine(0.01, 0, -0.5, 0, -0.01, -16.0))
    )
    (cut,) = slicks_of(across, oil)
    (whole,) = slicks_of(away, oil)
    assert cut.geometry["type"] == "MultiPolygon"
    parts = [np.array(part[0]) for part in cut.geometry["coordinates"]]
    assert len(parts) == 2
    assert all(p[:, 0].min() >= -180 and p[:, 0].max() <= 180 for p in parts)
    assert sorted(round(float(p[:, 0].mean())) for p in parts) == [-180, 180]
    assert all(signed(p) > 0 for p in parts)
    assert cut.area_km2 == pytest.approx(whole.area_km2, rel=1e-6)
    assert abs(cut.centroid_lon) == pytest.approx(180.0, abs=1e-6)


def test_simplified_outlines_stay_within_half_a_pixel() -> None:
    yy, xx = np.mgrid[0:200, 0:200]
    disc = (yy - 100.3) ** 2 + (xx - 99.7) ** 2 < 80**2
    georef = georef_of(geotiff(sea(200, 200)))
    (rings,) = pixel_polygons(disc)
    simple = simplify_ring(rings[0])
    assert simple is not None and len(simple) < 0.8 * len(rings[0])
    worst = max(distance_to_ring(point, simple) for point in rings[0])
    assert worst <= 0.5 + 1e-9
    (slick,) = slicks_of(georef, disc)
    assert len(slick.geometry["coordinates"][0]) == len(simple)
    # A straight diagonal band: its staircase of ~500 corners is four points and a repeat.
    band = np.abs(yy - xx) < 6
    (diagonal,) = pixel_polygons(band)
    simple = simplify_ring(diagonal[0])
    assert len(diagonal[0]) > 400 and simple is not None and len(simple) <= 10
    assert max(distance_to_ring(point, simple) for point in diagonal[0]) <= 0.5 + 1e-9


def signed(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])) / 2


def distance_to_ring(point: np.ndarray, ring: np.ndarray) -> float:
    a, b = ring[:-1], ring[1:]
    ab = b - a
    t = np.clip(((point - a) * ab).sum(axis=1) / np.maximum((ab**2).sum(axis=1), 1e-12), 0, 1)
    nearest = a + ab * t[:, None]
    return float(np.hypot(*(nearest - point).T).min())


def lon_lat_bounds(georef: Georeference, oil: np.ndarray) -> tuple[float, float]:
    rows, cols = np.nonzero(oil)
    corners_c = np.concatenate([cols, cols + 1, cols, cols + 1]).astype(float)
    corners_r = np.concatenate([rows, rows, rows + 1, rows + 1]).astype(float)
    lon, lat = georef.to_lonlat(corners_c, corners_r)
    return float(lon.min()), float(lat.min())
