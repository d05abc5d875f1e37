"""``process`` on georeferenced scenes: square kilometres in the last line, the report and
``slicks.geojson``; no-data borders never counted as oil."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine

from oilspill_desktop.tools.synthetic import synthetic_scene
from tests.geotiffs import UTM_ORIGIN, geotiff

from .cli_helpers import run_cli


def scene(seed: int, border: int) -> bytes:
    pixels = np.asarray(synthetic_scene(192, 160, seed=seed, dtype="uint16").image).copy()
    pixels[pixels == 0] = 1
    pixels[:, :border] = 0  # no data: the black edge of a swath
    return geotiff(pixels.astype(np.uint16), nodata=0)


def test_a_georeferenced_survey_reports_its_oil_in_square_kilometres(
    tmp_path: Path, app_home: Path
) -> None:
    source = tmp_path / "gulf.zip"
    with zipfile.ZipFile(source, "w") as bundle:
        bundle.writestr("gulf/a.tif", scene(5, 24))
        bundle.writestr("gulf/b.tif", scene(6, 0))
        bundle.writestr(
            "gulf/c_wgs84.tif",
            geotiff(
                np.asarray(synthetic_scene(96, 96, seed=7, dtype="uint16").image),
                crs="EPSG:4326",
                transform=Affine(0.0002, 0, 51.3, 0, -0.0002, 27.12),
            ),
        )
    result = run_cli("process", source, "--engine", "classical", home=app_home)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "gulf_results.zip") as results:
        report = json.loads(results.read("report.json"))
        features = json.loads(results.read("slicks.geojson"))["features"]
        results.extract("geo/gulf/a.tif", tmp_path / "out")
    items = {item["path"]: item for item in report["items"]}
    assert {item["crs"] for item in items.values()} == {"EPSG:32633", "EPSG:4326"}
    assert items["gulf/a.tif"]["pixel_size_m"] == pytest.approx(10.004, abs=1e-3)
    total = sum(item["oil_area_km2"] for item in items.values())
    assert total > 0 and report["oil_area_km2"] == pytest.approx(total)
    assert sum(f["properties"]["area_km2"] for f in features) == pytest.approx(total, rel=1e-5)
    assert len(features) == sum(item["slicks"] for item in items.values())
    with rasterio.open(tmp_path / "out/geo/gulf/a.tif") as mask:
        assert mask.transform == UTM_ORIGIN and mask.crs.to_epsg() == 32633
        values = mask.read(1)
    assert (values[:, :24] == 255).all()  # the border is no data, never oil
    assert int((values == 1).sum()) == items["gulf/a.tif"]["oil_pixels"]
    last = result.stdout.strip().splitlines()[1]
    assert last.endswith(f"; {report['oil_area_km2']:.2f} km² where known)")
