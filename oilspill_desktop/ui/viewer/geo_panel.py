"""What the viewer shows of a georeferenced image: its place, its slicks, a scale bar.

:class:`GeoPanel` sits under the facts: the CRS, the ground size of a pixel, the oil area,
each slick's area and centroid, the longitude and latitude under the cursor, and a button
that exports the slicks. :class:`ScaleBar` lies over a view's bottom-left corner and
follows its zoom. Neither reads a file: :mod:`.geo_view` feeds them.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QLocale, QRect, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QPushButton, QWidget

from ...core.model import GeoFacts

translate = QCoreApplication.translate
"""Qt's translation lookup under the name lupdate recognises."""

SLICKS_LISTED = 8
"""How many slicks (the largest) the panel lists; the rest are counted."""
_BAR_MAX_PX = 140
_BAR_STEPS = (1, 2, 5)


class GeoPanel(QGroupBox):
    """The selected image's place on the Earth and its slicks.

    Signals:
        export_requested(): the user asked to export the slicks (GeoJSON or GeoPackage).
    """

    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("On the map"))
        self._form = QFormLayout(self)
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.fields: dict[str, QLabel] = {}
        for key, label in (
            ("crs", self.tr("Coordinates")),
            ("pixel", self.tr("Pixel size")),
            ("area", self.tr("Oil area")),
            ("slicks", self.tr("Slicks")),
            ("cursor", self.tr("Cursor")),
        ):
            value = QLabel(self)
            value.setWordWrap(key != "cursor")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._form.addRow(label, value)
            self.fields[key] = value
        self.export_button = QPushButton(self.tr("Export slicks…"), self)
        self.export_button.setToolTip(
            self.tr("Save every slick of these results as GeoJSON or as a GeoPackage layer")
        )
        self.export_button.clicked.connect(self.export_requested)
        self._form.addRow(self.export_button)
        self.show_facts(None)

    def text(self, key: str) -> str:
        return self.fields[key].text()

    def show_facts(self, geo: GeoFacts | None) -> None:
        """The report's figures for the image; hidden for an image without georeference."""
        self.setVisible(geo is not None)
        locale = QLocale()
        if geo is None:
            for label in self.fields.values():
                label.clear()
            return
        self.fields["crs"].setText(geo.crs or "")
        pixel = geo.pixel_size_m
        self.fields["pixel"].setText(
            self.tr("{size} m").format(size=locale.toString(pixel, "f", 2)) if pixel else ""
        )
        area = geo.oil_area_km2
        self.fields["area"].setText(
            self.tr("{area} km²").format(area=locale.toString(area, "f", 3))
            if area is not None
            else ""
        )
        count = geo.slicks or 0
        self.fields["slicks"].setText(
            self.tr("%n slick(s)", "", count) if count else self.tr("none")
        )
        self.show_cursor(None, None)

    def show_slicks(self, features: list[dict[str, object]], total: int) -> None:
        """Each listed slick's area and centroid, largest first."""
        locale = QLocale()
        lines = []
        for feature in features[:SLICKS_LISTED]:
            properties = feature.get("properties")
            if not isinstance(properties, dict):
                continue
            place = format_lonlat(
                float(properties.get("centroid_lon") or 0.0),
                float(properties.get("centroid_lat") or 0.0),
                decimals=4,
            )
            area = locale.toString(float(properties.get("area_km2") or 0.0), "f", 3)
            number = properties.get("slick")
            lines.append(
                self.tr("{number}: {area} km²").format(number=number, area=area) + "\n" + place
            )
        if total > len(lines):
            lines.append(self.tr("and %n more", "", total - len(lines)))
        if lines:
            self.fields["slicks"].setText("\n".join(lines))

    def show_cursor(self, lon: float | None, lat: float | None) -> None:
        """Latitude over longitude (two lines that never wrap, so nothing moves)."""
        place = format_lonlat(lon, lat)
        self.fields["cursor"].setText(place.replace(", ", "\n") if place else "—\n—")


def format_lonlat(lon: float | None, lat: float | None, decimals: int = 5) -> str:
    """``27.12345° N, 51.30123° E``: latitude first, as field staff say a position.

    Five decimals are a metre; four (11 m) are enough for a slick's centroid."""
    if lon is None or lat is None or not (math.isfinite(lon) and math.isfinite(lat)):
        return ""
    locale = QLocale()
    north = translate("GeoPanel", "N") if lat >= 0 else translate("GeoPanel", "S")
    east = translate("GeoPanel", "E") if lon >= 0 else translate("GeoPanel", "W")
    return (
        f"{locale.toString(abs(lat), 'f', decimals)}° {north}, "
        f"{locale.toString(abs(lon), 'f', decimals)}° {east}"
    )


def nice_length(metres_per_px: float, max_px: int = _BAR_MAX_PX) -> tuple[float, int]:
    """The longest 1, 2 or 5 × 10ⁿ metres that fits in ``max_px``, and its length in px."""
    longest = metres_per_px * max_px
    exponent = math.floor(math.log10(longest))
    best = 0.0
    for power in (exponent - 1, exponent):
        for step in _BAR_STEPS:
            candidate = step * 10.0**power
            if candidate <= longest:
                best = max(best, candidate)
    return best, round(best / metres_per_px)


class ScaleBar(QWidget):
    """A scale bar over a view: metres from the image's pixel size and the view's zoom."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.metres_per_image_px: float | None = None
        self.zoom = 1.0
        self.resize(_BAR_MAX_PX + 24, 34)
        self.hide()

    def set_scale(self, metres_per_image_px: float | None, zoom: float) -> None:
        self.metres_per_image_px = metres_per_image_px
        self.zoom = zoom
        parent = self.parentWidget()
        if parent is not None:
            self.move(10, parent.height() - self.height() - 10)
        self.setVisible(bool(metres_per_image_px) and zoom > 0)
        self.update()

    def label(self) -> str:
        """What the bar says, e.g. ``500 m`` or ``2 km``; empty when hidden."""
        if not self.metres_per_image_px or self.zoom <= 0:
            return ""
        metres, _px = nice_length(self.metres_per_image_px / self.zoom)
        if metres >= 1000:
            return self.tr("{n} km").format(n=QLocale().toString(metres / 1000, "g", 6))
        return self.tr("{n} m").format(n=QLocale().toString(metres, "g", 6))

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.metres_per_image_px or self.zoom <= 0:
            return
        _metres, length = nice_length(self.metres_per_image_px / self.zoom)
        painter = QPainter(self)
        palette = self.palette()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRect(0, 0, length + 16, self.height())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Window))
        painter.setOpacity(0.85)
        painter.drawRoundedRect(box, 4, 4)
        painter.setOpacity(1.0)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        base = self.height() - 8
        painter.drawLine(8, base, 8 + length, base)
        painter.drawLine(8, base - 5, 8, base)
        painter.drawLine(8 + length, base - 5, 8 + length, base)
        painter.drawText(
            QRect(4, 2, length + 8, base - 6), Qt.AlignmentFlag.AlignCenter, self.label()
        )
        painter.end()
