"""Recognising a GeoTIFF's georeference, and refusing one that cannot be used."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable

import numpy as np
import pytest
from affine import Affine
from PIL import Image
from rasterio.control import GroundControlPoint
from rasterio.crs import CRS
from rasterio.warp import transform as warp_transform

from oilspill_desktop.core.errors import ItemError
from oilspill_desktop.core.geo.georef import Georeference, check_gcps, read_georeference
from tests.geotiffs import UTM_ORIGIN, geotiff, grid_gcps, sea


def test_a_utm_geotiff_has_its_crs_and_transform() -> None:
    georef = read_georeference(geotiff(sea()))
    assert georef is not None
    assert georef.label == "EPSG:32633"
    assert georef.transform == UTM_ORIGIN
    assert (georef.width, georef.height) == (64, 64)
    assert georef.valid is None
    lon, lat = georef.to_lonlat(np.array([0.0]), np.array([0.0]))
    assert lon[0] == pytest.approx(15.0, abs=1e-6)  # 500 km E is the central meridian
    assert lat[0] == pytest.approx(54.148, abs=0.001)


def test_a_geographic_geotiff_is_in_degrees_longitude_first() -> None:
    data = geotiff(sea(), crs="EPSG:4326", transform=Affine(0.001, 0, 51.3, 0, -0.001, 27.12))
    georef = read_georeference(data)
    assert georef is not None and georef.label == "EPSG:4326"
    lon, lat = georef.to_lonlat(np.array([10.0]), np.array([20.0]))
    assert (lon[0], lat[0]) == pytest.approx((51.31, 27.10))


def test_a_gcp_only_geotiff_is_placed_by_its_control_points() -> None:
    data = geotiff(
        sea(), crs="EPSG:4326", transform=None, gcps=grid_gcps(64, 64, 30.0, 45.0, 0.001)
    )
    georef = read_georeference(data)
    assert georef is not None
    assert georef.transform is None and len(georef.gcps) == 16
    lon, lat = georef.to_lonlat(np.array([32.0]), np.array([16.0]))
    assert (lon[0], lat[0]) == pytest.approx((30.032, 44.984))


def test_no_data_pixels_are_marked_invalid() -> None:
    pixels = sea()
    pixels[:, :10] = 0  # a no-data border, as on the edge of a SAR swath
    georef = read_georeference(geotiff(pixels, nodata=0))
    assert georef is not None and georef.valid is not None
    assert not georef.valid[:, :10].any()
    assert georef.valid[:, 10:].all()


@pytest.mark.parametrize("fmt", ["PNG", "TIFF"])
def test_plain_images_have_no_georeference(fmt: str) -> None:
    buffer = io.BytesIO()
    Image.new("L", (8, 8), 3).save(buffer, fmt)
    assert read_georeference(buffer.getvalue()) is None


def test_a_transform_without_a_crs_is_no_georeference() -> None:
    assert read_georeference(geotiff(sea(), crs=None)) is None


def test_an_engineering_crs_is_refused_in_words() -> None:
    local = 'LOCAL_CS["lab bench",UNIT["metre",1],AXIS["X",EAST],AXIS["Y",NORTH]]'
    with pytest.raises(ItemError) as caught:
        read_georeference(geotiff(sea(), crs=local))
    assert caught.value.message.code == "geo.crs_unusable"
    assert "longitude and latitude" in str(caught.value)


def test_two_control_points_are_too_few() -> None:
    gcps = grid_gcps(64, 64, 30.0, 45.0, 0.001, steps=1)[:2]
    with pytest.raises(ItemError) as caught:
        read_georeference(geotiff(sea(), crs="EPSG:4326", transform=None, gcps=gcps))
    assert caught.value.message.code == "geo.gcps_few"
    assert "2 ground control points" in str(caught.value)


def test_control_points_that_contradict_each_other_are_refused() -> None:
    gcps = grid_gcps(64, 64, 30.0, 45.0, 0.001)
    wrong = gcps[5]
    gcps[5] = GroundControlPoint(row=wrong.row, col=wrong.col, x=wrong.y, y=wrong.x)  # swapped
    with pytest.raises(ItemError) as caught:
        read_georeference(geotiff(sea(), crs="EPSG:4326", transform=None, gcps=gcps))
    assert caught.value.message.code == "geo.gcps_misfit"


def test_coordinates_off_the_earth_are_refused() -> None:
    with pytest.raises(ItemError) as caught:
        read_georeference(
            geotiff(sea(), crs="EPSG:4326", transform=Affine(0.001, 0, 10.0, 0, -0.001, 95.0))
        )
    assert caught.value.message.code == "geo.off_earth"


def test_the_pipeline_and_the_viewer_load_without_gdal() -> None:
    """rasterio (a third of a second) is imported for the first GeoTIFF, not at start."""
    code = (
        "import sys, oilspill_desktop.core.jobs.job, oilspill_desktop.ui.viewer.window; "
        "print('rasterio' in sys.modules)"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert found.stdout.strip() == "False"


def sentinel1_like_gcps() -> tuple[list[GroundControlPoint], Callable[..., tuple]]:
    """A GRD-sized swath (25,000 x 16,700 px of 10 m, 12° off north, in UTM 33N) as a
    21 x 10 grid of GCPs in longitude/latitude, and the true position of any pixel."""
    angle = np.radians(-12)

    def utm(cols: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = 400_000 + 10 * (cols * np.cos(angle) - rows * np.sin(angle))
        y = 6_500_000 - 10 * (cols * np.sin(angle) + rows * np.cos(angle))
        return x, y

    rows, cols = np.meshgrid(np.linspace(0, 16_700, 10), np.linspace(0, 25_000, 21), indexing="ij")
    x, y = utm(cols.ravel(), rows.ravel())
    lon, lat = warp_transform("EPSG:32633", "EPSG:4326", list(x), list(y))
    gcps = [
        GroundControlPoint(row=float(r), col=float(c), x=lo, y=la)
        for r, c, lo, la in zip(rows.ravel(), cols.ravel(), lon, lat, strict=True)
    ]
    return gcps, utm


def test_a_sentinel1_grid_of_gcps_is_accepted_and_placed_within_a_pixel() -> None:
    gcps, utm = sentinel1_like_gcps()
    georef = Georeference(CRS.from_epsg(4326), 25_000, 16_700, gcps=tuple(gcps))
    check_gcps(georef)  # the swath's curvature is no misfit
    cols, rows = np.array([1234.5, 20011.0, 12500.0]), np.array([777.0, 15000.5, 8350.0])
    lon, lat = georef.to_lonlat(cols, rows)
    x, y = warp_transform("EPSG:4326", "EPSG:32633", list(lon), list(lat))
    true_x, true_y = utm(cols, rows)
    assert np.hypot(np.array(x) - true_x, np.array(y) - true_y).max() < 10.0  # metres


def test_one_wrong_point_among_two_hundred_is_found() -> None:
    gcps, _utm = sentinel1_like_gcps()
    wrong = gcps[50]
    gcps[50] = GroundControlPoint(row=wrong.row, col=wrong.col, x=wrong.x + 0.05, y=wrong.y)
    with pytest.raises(ItemError) as caught:
        check_gcps(Georeference(CRS.from_epsg(4326), 25_000, 16_700, gcps=tuple(gcps)))
    assert caught.value.message.code == "geo.gcps_misfit"
