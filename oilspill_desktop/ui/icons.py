"""Icons drawn from the bundled SVGs, in the palette's colours, as plain pixmap icons.

The action icons are single-colour line drawings (``currentColor``), rendered once per
size in the palette's text colour so they read in light and dark themes. They are plain
pixmap icons on purpose: a Python icon engine would run Python (and wait for the GIL,
which busy workers hold) every time Qt paints a button, and that made the window stutter
during big jobs. :class:`IconBinder` re-colours bound icons when the palette changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QByteArray, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from ..core.config.resources import resource_path

log = logging.getLogger(__name__)

PIXEL_SIZES = (16, 20, 24, 32, 40, 48, 64)
"""Device-pixel sizes rendered: 16-32 logical pixels at scale factors 1 to 2."""

_icons: dict[tuple[str, int, int], QIcon] = {}


@cache
def _svg_text(name: str) -> str:
    try:
        return resource_path(f"icons/{name}.svg").read_text(encoding="utf-8")
    except (OSError, FileNotFoundError):
        log.warning("The icon %s is missing", name)
        return ""


def _render(name: str, colour: QColor, side: int) -> QPixmap:
    text = _svg_text(name).replace("currentColor", colour.name())
    renderer = QSvgRenderer(QByteArray(text.encode("utf-8")))
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if colour.alpha() < 255:
        painter.setOpacity(colour.alphaF())
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.end()
    return pixmap


def icon(name: str, colour: QColor | str | None = None) -> QIcon:
    """The bundled icon ``name`` (e.g. ``pause``), in the palette's button text colour."""
    palette = QGuiApplication.palette()
    normal = QColor(colour) if colour is not None else palette.color(QPalette.ColorRole.ButtonText)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
    key = (name, normal.rgba(), disabled.rgba())
    found = _icons.get(key)
    if found is not None:
        return found
    result = QIcon()
    if _svg_text(name):
        for side in PIXEL_SIZES:
            result.addPixmap(_render(name, normal, side), QIcon.Mode.Normal)
            result.addPixmap(_render(name, disabled, side), QIcon.Mode.Disabled)
    _icons[key] = result
    return result


def clear_icon_cache() -> None:
    _icons.clear()


class IconBinder:
    """Remembers which icon each action or button shows, to re-colour them all at once."""

    def __init__(self) -> None:
        self._bound: list[tuple[Callable[[QIcon], None], str]] = []

    def bind(self, setter: Callable[[QIcon], None], name: str) -> None:
        setter(icon(name))
        self._bound.append((setter, name))

    def refresh(self) -> None:
        """After a palette change: draw every bound icon again in the new colours."""
        clear_icon_cache()
        alive: list[tuple[Callable[[QIcon], None], str]] = []
        for setter, name in self._bound:
            try:
                setter(icon(name))
            except RuntimeError:  # its widget is gone
                continue
            alive.append((setter, name))
        self._bound = alive


def app_icon() -> QIcon:
    """The application icon: the full-colour SVG, rasterised at the usual sizes."""
    result = QIcon()
    try:
        path = resource_path("icons/app.svg")
    except FileNotFoundError:
        log.warning("The application icon is missing")
        return result
    renderer = QSvgRenderer(str(path))
    for side in (16, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap(side, side)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, side, side))
        painter.end()
        result.addPixmap(pixmap)
    return result


def app_pixmap(side: int, device_pixel_ratio: float = 1.0) -> QPixmap:
    """The app icon rendered at ``side`` logical pixels, for the empty state and About."""
    pixmap = QPixmap(QSize(side, side) * device_pixel_ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    try:
        renderer = QSvgRenderer(str(resource_path("icons/app.svg")))
    except FileNotFoundError:
        return pixmap
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(QPoint(0, 0), pixmap.size().toSizeF()))
    painter.end()
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    return pixmap


def dot_icon(colour: QColor | str, diameter: int = 10) -> QIcon:
    """A filled circle, for state columns; rendered at 1x and 2x."""
    result = QIcon()
    for scale in (1, 2):
        side = diameter * scale
        pixmap = QPixmap(side, side)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawEllipse(0, 0, side, side)
        painter.end()
        result.addPixmap(pixmap)
    return result
