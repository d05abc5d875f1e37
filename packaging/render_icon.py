"""Render ``resources/icons/app.svg`` to a PNG for the Windows .exe and the macOS .app.

Those platforms want a raster icon (PyInstaller turns the PNG into .ico or .icns with
Pillow); Linux uses the SVG itself. Drawn with Qt's own SVG renderer so that the icon
looks the same as in the running app.

Usage: python packaging/render_icon.py SVG OUT.png [SIDE]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def render(svg: Path, out: Path, side: int = 1024) -> Path:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icon: {svg} is not an SVG that Qt can draw.")
    image = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out)):  # PNG, from the suffix
        raise SystemExit(f"render_icon: could not write {out}.")
    del app
    return out


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        raise SystemExit(__doc__)
    render(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) == 4 else 1024)
