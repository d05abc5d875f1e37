"""The viewer's map side: it reads an image's georeference and slicks off the GUI thread and
feeds :class:`~.geo_panel.GeoPanel`, the scale bars and the cursor's longitude/latitude.

The georeference comes from the image's mask GeoTIFF (``geo/<stem>.tif``: it carries the
input's CRS and transform or GCPs), read on a worker; so does the slicks file (the
zip's ``slicks.geojson``, or a running job's per-image file). Only the answer for the
image still selected is used. Exports gather every slick of the results on a worker too.
rasterio is imported there, on the first georeferenced image: the viewer opens without
paying for GDAL.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QPointF, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QWidget

from ...core.geo.geojson import read_features, write_geojson
from ...core.geo.gpkg import write_geopackage
from ...core.model import ItemRecord
from ...core.results.results_zip import SLICKS_GEOJSON
from ...scheduling.pools import WorkerPool
from ...scheduling.tasks import TaskHandle, run_in_pool
from .geo_panel import GeoPanel, ScaleBar
from .results_source import ResultsError, ResultsSource
from .zoom_view import ZoomView

if TYPE_CHECKING:
    from ...core.geo.georef import Georeference

log = logging.getLogger(__name__)

Features = list[dict[str, object]]


class GeoView(QObject):
    """Connects the panel, the views' scale bars and cursor to the selected image.

    Signals:
        exported(str): a sentence saying where the slicks were exported, or why not.
    """

    exported = Signal(str)

    def __init__(self, panel: GeoPanel, views: list[ZoomView], parent: QWidget) -> None:
        super().__init__(parent)
        self._pool = WorkerPool("geo", 1, self)  # before the tasks' holders: see InputTracker
        self.panel = panel
        self.views = views
        self.bars = [ScaleBar(view.viewport()) for view in views]
        self.georef: Georeference | None = None
        self._record: ItemRecord | None = None
        self._source: ResultsSource | None = None
        self._zip_features: dict[str, Features] | None = None
        for view in views:
            view.hovered.connect(self.point_at)
            view.view_changed.connect(self._update_bars)
            view.resized.connect(self._update_bars)
        panel.export_requested.connect(self.ask_export)
        if isinstance(parent, QMainWindow):
            self.exported.connect(parent.statusBar().showMessage)

    # -- the selected image ----------------------------------------------------------------
    def show_record(self, record: ItemRecord | None, source: ResultsSource | None) -> None:
        if source is not self._source:
            self._source, self._zip_features = source, None
        self._record = record
        self.georef = None
        geo = record.geo if record is not None else None
        self.panel.show_facts(geo)
        self._update_bars()
        if record is None or geo is None or geo.mask is None or source is None:
            return
        run_in_pool(
            self._pool,
            lambda _handle: self._read(record, source),
            context=self,
            on_done=lambda found: self._on_read(record, found),
            on_error=lambda exc: log.warning("No georeference for %s: %s", record.path, exc),
            key="georeference",
        )

    def _read(
        self, record: ItemRecord, source: ResultsSource
    ) -> tuple[Georeference | None, Features]:
        """On a worker: the georeference from the mask GeoTIFF, and the image's slicks."""
        from ...core.geo.georef import read_georeference

        assert record.geo is not None and record.geo.mask is not None
        georef = read_georeference(source.read(record.geo.mask), with_valid=False)
        return georef, self._features_of(record, source)

    def _features_of(self, record: ItemRecord, source: ResultsSource) -> Features:
        geo = record.geo
        if geo is not None and geo.slicks_file:
            try:
                return read_features(
                    b'{"features": ' + source.read(geo.slicks_file) + b"}", record.path
                )
            except ResultsError:
                pass  # a results zip: its slicks are all in one file
        if self._zip_features is None:
            by_image: dict[str, Features] = {}
            try:
                for feature in read_features(source.read(SLICKS_GEOJSON)):
                    properties = feature.get("properties")
                    image = properties.get("image") if isinstance(properties, dict) else None
                    by_image.setdefault(str(image), []).append(feature)
            except ResultsError:
                pass
            self._zip_features = by_image
        return self._zip_features.get(record.path, [])

    def _on_read(self, record: ItemRecord, found: tuple[Georeference | None, Features]) -> None:
        if record is not self._record:
            return  # another image was selected meanwhile
        self.georef, features = found
        self.panel.show_slicks(features, len(features))

    def _update_bars(self) -> None:
        geo = self._record.geo if self._record is not None else None
        size = geo.pixel_size_m if geo is not None else None
        for view, bar in zip(self.views, self.bars, strict=True):
            bar.set_scale(size, view.zoom())

    # -- the cursor ------------------------------------------------------------------------
    def point_at(self, point: object) -> None:
        """Show the longitude/latitude of an image point (a ``QPointF`` in pixels, as a
        view's ``hovered`` gives it; ``None`` when the mouse left)."""
        georef = self.georef
        if georef is None:
            return
        x, y = (point.x(), point.y()) if isinstance(point, QPointF) else (-1.0, -1.0)
        if not (0 <= x <= georef.width and 0 <= y <= georef.height):
            self.panel.show_cursor(None, None)
            return
        lon, lat = georef.to_lonlat(np.array([x]), np.array([y]))
        self.panel.show_cursor(float((lon[0] + 180.0) % 360.0 - 180.0), float(lat[0]))

    # -- export ----------------------------------------------------------------------------
    def ask_export(self) -> None:
        source = self._source
        if source is None:
            return
        start = source.info.results_path or Path.home() / "results.zip"
        suggested = start.with_name(f"{start.stem}_slicks.gpkg")
        path, chosen = QFileDialog.getSaveFileName(
            self.panel,
            self.tr("Export slicks"),
            str(suggested),
            self.tr("GeoPackage (*.gpkg);;GeoJSON (*.geojson)"),
        )
        if path:
            geojson = "geojson" in chosen.lower() or path.lower().endswith(".geojson")
            self.export(Path(path), geojson=geojson)

    def export(self, path: Path, *, geojson: bool) -> None:
        """Write every slick of the results to ``path`` on a worker; :attr:`exported` tells."""
        source = self._source
        if source is None:
            return
        records = [r for r in source.info.items if r.geo is not None]

        def work(_handle: TaskHandle) -> int:
            features = self._all_features(records, source)
            if geojson:
                return write_geojson(path, features)
            return write_geopackage(path, features)

        run_in_pool(
            self._pool,
            work,
            context=self,
            on_done=lambda count: self.exported.emit(
                self.tr("%n slick(s) exported to {path}", "", count).format(path=path)
            ),
            on_error=lambda exc: self.exported.emit(
                self.tr("The slicks could not be exported to {path}: {reason}").format(
                    path=path, reason=exc
                )
            ),
            key="export slicks",
        )

    def _all_features(
        self, records: list[ItemRecord], source: ResultsSource
    ) -> Iterator[dict[str, object]]:
        for record in records:
            yield from self._features_of(record, source)
