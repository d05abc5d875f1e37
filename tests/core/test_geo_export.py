"""Slicks exported as a GeoJSON file or a GeoPackage layer, read back by GDAL's ogrinfo."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import numpy as np
import pytest
from affine import Affine

from oilspill_desktop.core.geo.geojson import read_features, write_geojson
from oilspill_desktop.core.geo.georef import read_georeference
from oilspill_desktop.core.geo.gpkg import LAYER, write_geopackage
from oilspill_desktop.core.geo.ground import GroundFrame
from oilspill_desktop.core.geo.slicks import find_slicks
from tests.geotiffs import geotiff, sea


def features() -> list[dict[str, object]]:
    """Two slicks, one with a hole, and one cut by the antimeridian."""
    oil = np.zeros((64, 100), dtype=bool)
    oil[5:30, 5:40] = True
    oil[10:20, 10:20] = False
    oil[40:60, 20:80] = True
    data = geotiff(sea(64, 100), crs="EPSG:4326", transform=Affine(0.01, 0, 179.5, 0, -0.01, -16.0))
    georef = read_georeference(data)
    assert georef is not None
    slicks = find_slicks(oil, GroundFrame.for_image(georef))
    return [slick.feature("pacific/scene.tif") for slick in slicks]


def ogrinfo(path: Path) -> str:
    if shutil.which("ogrinfo") is None:
        pytest.skip("ogrinfo (gdal-bin, installed by scripts/setup.sh) is not here")
    return subprocess.run(
        ["ogrinfo", "-ro", "-al", str(path)], capture_output=True, text=True, check=True
    ).stdout


def test_a_geopackage_layer_has_every_slick_with_its_figures(tmp_path: Path) -> None:
    found = features()
    path = tmp_path / "slicks.gpkg"
    assert write_geopackage(path, found) == 2
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
        rows = db.execute(f"SELECT slick, area_km2, image FROM {LAYER} ORDER BY slick").fetchall()
    assert [(r[0], r[2]) for r in rows] == [(1, "pacific/scene.tif"), (2, "pacific/scene.tif")]
    assert rows[0][1] == pytest.approx(found[0]["properties"]["area_km2"])  # type: ignore[index]
    info = ogrinfo(path)
    assert "Layer name: slicks" in info and "Geometry: Multi Polygon" in info
    assert "Feature Count: 2" in info and "WGS 84" in info
    assert info.count("MULTIPOLYGON (((") == 2
    assert "area_km2 (Real)" in info and "image (String)" in info
    assert not list(tmp_path.glob("*.part"))


def test_a_geojson_export_reads_back_as_the_same_features(tmp_path: Path) -> None:
    found = features()
    path = tmp_path / "slicks.geojson"
    assert write_geojson(path, found) == 2
    assert read_features(path.read_bytes()) == json.loads(json.dumps(found))
    assert read_features(path.read_bytes(), "elsewhere.tif") == []
    info = ogrinfo(path)
    assert "Feature Count: 2" in info and "MULTIPOLYGON" in info and "POLYGON" in info
