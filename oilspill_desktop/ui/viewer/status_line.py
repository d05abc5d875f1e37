"""The viewer's status line: zoom, the pixel under the mouse, and what is there.

"Zoom 37 % · x 1 204, y 388 · value 87 · oil": the zoom of the views (100 % is one image
pixel per screen pixel), the image coordinates under the mouse, the original's value there
(grey, or red/green/blue) and the mask's class. Numbers follow the interface's locale.
A large scene held reduced says so ("shown at 1:5"); its coordinates are still the scene's
pixels, and the values are those of the reduced pixel that stands for the one under the
mouse.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QPointF
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QWidget

from .controls import class_names
from .pictures import ItemPictures, Pyramid
from .views_panel import ViewsPanel


class StatusLine(QLabel):
    """Follows the views: their zoom as they change, the pixel as the mouse moves."""

    def __init__(self, views: ViewsPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.views = views
        self._point: QPointF | None = None
        for view in views.views:
            view.view_changed.connect(self.refresh)
            view.hovered.connect(self._on_hover)
        views.layout_changed.connect(self.refresh)
        self.refresh()

    def _on_hover(self, point: object) -> None:
        self._point = point if isinstance(point, QPointF) else None
        self.refresh()

    def refresh(self) -> None:
        self.setText(self.describe())

    def describe(self) -> str:
        pictures = self.views.pictures
        if pictures is None or not pictures.width or not pictures.height:
            return ""
        locale = QLocale()
        view = self.views.link.leader()
        ratio = view.devicePixelRatioF() or 1.0
        zoom = locale.toString(view.zoom() * ratio * 100, "f", 0)
        parts = [self.tr("Zoom {zoom} %").format(zoom=zoom)]
        if pictures.shown_at > 1:
            parts.append(self.tr("shown at 1:{factor}").format(factor=pictures.shown_at))
        point = self._point
        if point is not None:
            x, y = int(point.x()), int(point.y())
            if 0 <= x < pictures.width and 0 <= y < pictures.height:
                parts.append(f"x {locale.toString(x)}, y {locale.toString(y)}")
                parts.extend(self._values(pictures, x, y))
        return " · ".join(parts)

    def _values(self, pictures: ItemPictures, x: int, y: int) -> list[str]:
        found: list[str] = []
        original = _pixel(pictures.original, x, y)
        if original is not None:
            if original.format() == QImage.Format.Format_Grayscale8:
                found.append(self.tr("value {v}").format(v=original.pixelColor(0, 0).red()))
            else:
                colour = QColor(original.pixel(0, 0))
                found.append(
                    self.tr("value {r}, {g}, {b}").format(
                        r=colour.red(), g=colour.green(), b=colour.blue()
                    )
                )
        mask = _pixel(pictures.classes, x, y)
        if mask is not None:
            found.append(class_names().get(mask.pixelIndex(0, 0), ""))
        return [part for part in found if part]


def _pixel(pyramid: Pyramid | None, x: int, y: int) -> QImage | None:
    """The pixel that shows the image point (x, y), as a 1×1 image of the same format:
    the first level's, which is reduced for a large scene."""
    if pyramid is None or not pyramid.levels or not (0 <= x < pyramid.width):
        return None
    level = pyramid.levels[0]
    column = x * level.width() // pyramid.width
    row = y * level.height() // max(1, pyramid.height)
    if not (0 <= column < level.width() and 0 <= row < level.height()):
        return None
    return level.copy(column, row, 1, 1)
