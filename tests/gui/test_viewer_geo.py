"""The viewer on georeferenced results: the map panel, lon/lat under the cursor, the scale
bar, and the slicks exported as a GeoPackage or GeoJSON."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import io
import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPointF

from oilspill_desktop.core.jobs.workspace import JobWorkspace
from oilspill_desktop.core.model import ItemRecord
from oilspill_desktop.core.results.report import InputFacts, JobReport
from oilspill_desktop.core.results.results_zip import write_results_zip
from oilspill_desktop.ui.viewer import ViewerWindow
from oilspill_desktop.ui.viewer.geo_panel import format_lonlat, nice_length
from oilspill_desktop.ui.viewer.results_source import FolderResultsSource, ResultsInfo
from oilspill_desktop.ui.viewer.views_panel import ViewRole
from tests.core.test_geo_outputs import OIL_BOX, bordered_scene
from tests.core.test_pipeline import MaskEngine, run_one

from .test_viewer_pipeline import open_window
from .viewer_fixtures import OFFSCREEN_NOISE

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def georeferenced_results(tmp_path: Path) -> Path:
    """A results zip of one georeferenced scene with one slick, and one plain PNG."""
    geo_record, root = run_one(tmp_path, "s1.tif", bordered_scene(), MaskEngine(OIL_BOX))
    records: list[ItemRecord] = [geo_record]
    report = JobReport(InputFacts("in.zip", 1, "ab" * 32), "fake", None, "t0", "t1", records)
    return write_results_zip(tmp_path / "in_results.zip", report, JobWorkspace(root, fsync=False))


def test_the_map_panel_cursor_scale_bar_and_export(qtbot, tmp_path: Path) -> None:
    window = open_window(qtbot, ViewerWindow(georeferenced_results(tmp_path)))
    geo, panel = window.geo, window.geo.panel
    qtbot.waitUntil(lambda: geo.georef is not None, timeout=10000)
    assert panel.isVisible()
    assert panel.text("crs") == "EPSG:32633"
    assert panel.text("pixel") == "10.00 m"
    assert panel.text("area") == "0.030 km²"
    slick = panel.text("slicks")
    assert slick.startswith("1: 0.030 km²\n54.14") and "° N, 15.00" in slick

    view = window.views.view(ViewRole.MASK)
    window.commands.actual_action.trigger()  # 1:1, so a viewport pixel is an image pixel
    qtbot.waitUntil(lambda: abs(view.zoom() - 1.0) < 1e-9)
    qtbot.mouseMove(view.viewport(), view.mapFromScene(QPointF(32.0, 16.0)))
    qtbot.waitUntil(lambda: panel.text("cursor") != "—\n—")
    assert geo.georef is not None
    lon, lat = geo.georef.to_lonlat(np.array([32.0]), np.array([16.0]))
    expected = format_lonlat(float(lon[0]), float(lat[0]))
    assert expected.endswith("° E") and panel.text("cursor") == expected.replace(", ", "\n")

    bar = geo.bars[list(window.views.panes).index(ViewRole.MASK)]
    assert bar.isVisible() and bar.label() == "1 km"  # 10 m pixels at 1:1: 100 px
    assert nice_length(10.0, 140) == (1000.0, 100)

    gpkg = tmp_path / "slicks.gpkg"
    with qtbot.waitSignal(geo.exported, timeout=10000) as said:
        geo.export(gpkg, geojson=False)
    assert said.args[0] == f"1 slick exported to {gpkg}"
    with sqlite3.connect(gpkg) as db:
        assert db.execute("SELECT image, slick FROM slicks").fetchall() == [("s1.tif", 1)]
    geojson = tmp_path / "slicks.geojson"
    with qtbot.waitSignal(geo.exported, timeout=10000):
        geo.export(geojson, geojson=True)
    (feature,) = json.loads(geojson.read_text())["features"]
    assert feature["properties"]["image"] == "s1.tif"


def test_an_image_without_georeference_has_no_map_panel(qtbot, tmp_path: Path) -> None:
    record, root = run_one(tmp_path, "plain.png", png_bytes(), MaskEngine(None))
    report = JobReport(InputFacts("in.zip", 1, "ab" * 32), "fake", None, "t0", "t1", [record])
    path = write_results_zip(tmp_path / "r.zip", report, JobWorkspace(root, fsync=False))
    window = open_window(qtbot, ViewerWindow(path))
    qtbot.waitUntil(lambda: window.current_record() is not None)
    assert not window.geo.panel.isVisible()
    assert not any(bar.isVisible() for bar in window.geo.bars)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (16, 16), 40).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_running_jobs_folder_gives_each_images_slicks(qtbot, tmp_path: Path) -> None:
    """While a job runs there is no slicks.geojson yet: each image's own file is read."""
    record, root = run_one(tmp_path, "s1.tif", bordered_scene(), MaskEngine(OIL_BOX))
    source = FolderResultsSource(root, ResultsInfo(title="running", items=[record]))
    window = open_window(qtbot, ViewerWindow())
    window.geo.show_record(record, source)
    qtbot.waitUntil(lambda: window.geo.georef is not None, timeout=10000)
    assert window.geo.panel.text("slicks").startswith("1: 0.030 km²")
