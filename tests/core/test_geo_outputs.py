"""A georeferenced image through the pipeline and into the results zip: the mask GeoTIFF,
slicks.geojson (checked with GDAL's own readers) and the report's ground figures."""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest
import rasterio
from PIL import Image

from oilspill_desktop.core.geo.mask_tiff import NODATA
from oilspill_desktop.core.inputs.archive import InputArchive
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.pipeline import process_member
from oilspill_desktop.core.jobs.workspace import JobWorkspace
from oilspill_desktop.core.model import ItemRecord, ItemStatus, Limits
from oilspill_desktop.core.results.report import InputFacts, JobReport
from oilspill_desktop.core.results.results_zip import write_results_zip
from tests.core.test_pipeline import MaskEngine, run_one
from tests.geotiffs import UTM_ORIGIN, geotiff, grid_gcps, sea

OIL_BOX = (0, 20, 40, 30)  # left, top, right, bottom: it runs into the no-data border


def bordered_scene() -> bytes:
    """16-bit UTM scene whose first 10 columns hold no data (0), as at a swath's edge."""
    pixels = sea()
    pixels[:, :10] = 0
    return geotiff(pixels, nodata=0)


def finish(tmp_path: Path, root: Path, records: list[ItemRecord]) -> zipfile.ZipFile:
    report = JobReport(InputFacts("in.zip", 1, "ab" * 32), "fake", None, "t0", "t1", records)
    workspace = JobWorkspace(root, fsync=False)
    path = write_results_zip(tmp_path / "in_results.zip", report, workspace)
    return zipfile.ZipFile(path)


def test_no_data_is_never_oil_and_the_outputs_lie_on_the_input(tmp_path: Path) -> None:
    record, root = run_one(tmp_path, "scenes/s1.tif", bordered_scene(), MaskEngine(OIL_BOX))
    assert record.oil_pixels == 30 * 10  # the 10 columns of no-data are not oil
    geo = record.geo
    assert geo is not None and geo.crs == "EPSG:32633" and geo.slicks == 1
    assert geo.pixel_size_m == pytest.approx(10.0 / 0.9996, rel=1e-3)
    assert geo.oil_area_km2 == pytest.approx(300 * 100 / 1e6 / 0.9996**2, rel=1e-3)
    with rasterio.open(root / (geo.mask or "")) as mask:
        assert mask.crs.to_epsg() == 32633 and mask.transform == UTM_ORIGIN
        assert mask.nodata == NODATA and mask.compression is not None
        values = mask.read(1)
    assert (values[:, :10] == NODATA).all()
    assert values[20:30, 10:40].all() and values[20:30, 10:40].max() == 1
    assert int((values == 1).sum()) == 300
    with Image.open(root / (record.mask or "")) as picture:
        assert not np.asarray(picture)[:, :10].any()  # the mask picture agrees


def test_the_results_zip_has_the_geotiff_slicks_geojson_and_ground_figures(
    tmp_path: Path,
) -> None:
    record, root = run_one(tmp_path, "scenes/s1.tif", bordered_scene(), MaskEngine(OIL_BOX))
    plain = ItemRecord(path="b.png", status=ItemStatus.FAILED, error="x")
    with finish(tmp_path, root, [record, plain]) as bundle:
        names = set(bundle.namelist())
        assert len(names) == len(bundle.namelist())  # nothing written twice
        assert {"geo/scenes/s1.tif", "slicks.geojson"} <= names
        collection = json.loads(bundle.read("slicks.geojson"))
        report = json.loads(bundle.read("report.json"))
        rows = list(csv.DictReader(io.StringIO(bundle.read("report.csv").decode("utf-8-sig"))))
        bundle.extract("slicks.geojson", tmp_path / "out")
        bundle.extract("geo/scenes/s1.tif", tmp_path / "out")
    (feature,) = collection["features"]
    assert "crs" not in collection  # RFC 7946: WGS 84 longitude, latitude is implied
    properties = feature["properties"]
    assert properties["image"] == "scenes/s1.tif" and properties["slick"] == 1
    assert properties["area_km2"] == pytest.approx(record.geo.oil_area_km2, rel=1e-6)  # type: ignore[union-attr]
    assert properties["length_km"] == pytest.approx(math.hypot(0.3, 0.1) / 0.9996, rel=2e-3)
    ring = np.array(feature["geometry"]["coordinates"][0])
    assert 15.0 < ring[:, 0].min() < ring[:, 0].max() < 15.01  # longitude first
    assert 54.14 < ring[:, 1].min() < ring[:, 1].max() < 54.15
    item = report["items"][0]
    assert item["crs"] == "EPSG:32633" and item["slicks"] == 1
    assert item["geo_mask"] == "geo/scenes/s1.tif"
    assert report["oil_area_km2"] == pytest.approx(item["oil_area_km2"])
    assert report["summary"]["oil_area_km2"] == report["oil_area_km2"]
    assert report["summary"]["georeferenced"] == 1
    assert report["items"][1]["crs"] is None
    assert rows[0]["crs"] == "EPSG:32633" and float(rows[0]["oil_area_km2"]) > 0
    assert rows[1]["oil_area_km2"] == ""
    # GDAL's own readers agree: a valid GeoJSON layer of one polygon, the mask in place.
    if shutil.which("ogrinfo") is None:
        pytest.skip("ogrinfo (gdal-bin, installed by scripts/setup.sh) is not here")
    info = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", str(tmp_path / "out" / "slicks.geojson")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Feature Count: 1" in info and "Polygon" in info and "WGS 84" in info
    assert "area_km2: Real" in info


def test_a_gcp_scene_gets_a_mask_placed_by_the_same_control_points(tmp_path: Path) -> None:
    gcps = grid_gcps(64, 64, 30.0, 45.0, 0.0005)
    data = geotiff(sea(), crs="EPSG:4326", transform=None, gcps=gcps)
    record, root = run_one(tmp_path, "s1_grd.tiff", data, MaskEngine((10, 10, 30, 20)))
    assert record.geo is not None and record.geo.crs == "EPSG:4326"
    with rasterio.open(root / (record.geo.mask or "")) as mask:
        found, crs = mask.gcps
        assert crs.to_epsg() == 4326 and len(found) == len(gcps)
        assert mask.transform.is_identity
    features = json.loads((root / "geo/s1_grd.slicks.json").read_bytes())
    centroid = features[0]["properties"]
    assert centroid["centroid_lon"] == pytest.approx(30.0 + 20 * 0.0005, abs=1e-6)
    assert centroid["centroid_lat"] == pytest.approx(45.0 - 15 * 0.0005, abs=1e-6)


def test_a_broken_georeference_fails_the_image_in_words(tmp_path: Path) -> None:
    local = 'LOCAL_CS["lab bench",UNIT["metre",1],AXIS["X",EAST],AXIS["Y",NORTH]]'
    with zipfile.ZipFile(tmp_path / "in.zip", "w") as bundle:
        bundle.writestr("bench.tif", geotiff(sea(), crs=local))
    archive = InputArchive(tmp_path / "in.zip", Limits())
    workspace = JobWorkspace(tmp_path / "job", fsync=False)
    record = process_member(
        archive, archive.images[0], MaskEngine(None), workspace, Limits(), CancelToken()
    )
    workspace.journal.close()
    archive.close()
    assert record.status is ItemStatus.FAILED and record.error_code == "geo.crs_unusable"
    assert record.geo is None


@pytest.mark.parametrize("fmt", ["PNG", "TIFF"])
def test_an_image_without_georeference_is_processed_as_before(tmp_path: Path, fmt: str) -> None:
    buffer = io.BytesIO()
    Image.new("L", (8, 8), 9).save(buffer, fmt)
    name = f"plain.{fmt.lower()}"
    record, root = run_one(tmp_path, name, buffer.getvalue(), MaskEngine((0, 0, 4, 4)))
    assert record.geo is None and record.oil_pixels == 16
    assert not (root / "geo").exists()


def test_geo_facts_survive_the_journal(tmp_path: Path) -> None:
    record, root = run_one(tmp_path, "a.tif", bordered_scene(), MaskEngine(OIL_BOX))
    again = ItemRecord.from_json(json.loads(json.dumps(record.to_json())))
    assert again.geo == record.geo
    workspace = JobWorkspace(root, fsync=False)
    assert workspace.has_files(again)
    (root / "geo/a.slicks.json").write_bytes(b"[{")  # cut short by a power failure
    assert not workspace.has_files(again)
