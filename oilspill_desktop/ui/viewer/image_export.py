"""Export and copy: the picture at its own resolution, not the screen with its grey bars.

One at a time, the view shown is exported (the original, the mask in its colours, or the
overlay as drawn now: fill or outline at the slider's opacity); side by side, the overlay,
which holds the other two. The picture is composed and saved on the save pool, since a
scene may have tens of megapixels.

A large scene is exported as it is shown: the reduced preview (at most the display limit
a side), and the status bar says so and names the full-size mask. Why not compose it at
full size: the mask is in the results zip at full resolution already (PNG, and GeoTIFF
for a georeferenced scene), and an overlay of a 20,000² scene would be 1.6 GB of RGB
composed from a mask the viewer never holds whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QFileDialog

from ...core.results.overlay import OverlayStyle
from ...scheduling.pools import save_pool
from ...scheduling.tasks import TaskHandle, run_in_pool
from .pictures import LAYER_TABLE, ItemPictures
from .views_panel import ViewRole

if TYPE_CHECKING:
    from .window import ViewerWindow


def full_image(
    pictures: ItemPictures | None, role: ViewRole, opacity: float, style: OverlayStyle
) -> QImage | None:
    """``role``'s picture at full size (``None`` when the item has none)."""
    if pictures is None:
        return None
    if role is ViewRole.ORIGINAL:
        return _level0(pictures.original)
    if role is ViewRole.MASK:
        mask = _level0(pictures.classes)
        return mask.convertToFormat(QImage.Format.Format_RGB32) if mask is not None else None
    if not pictures.live_overlay:
        return _level0(pictures.picture) or _level0(pictures.original)
    base = _level0(pictures.original)
    layer = _level0(pictures.outlines if style == "outline" else pictures.classes)
    assert base is not None and layer is not None
    picture = base.convertToFormat(QImage.Format.Format_RGB32)
    layer = layer.copy()
    layer.setColorTable(LAYER_TABLE)
    painter = QPainter(picture)
    painter.setOpacity(opacity)
    painter.drawImage(QRectF(picture.rect()), layer)
    painter.end()
    return picture


def _level0(pyramid: object) -> QImage | None:
    levels = getattr(pyramid, "levels", None)
    return levels[0] if levels else None


class ImageExporter(QObject):
    """The window's Export and Copy (Ctrl+E, Ctrl+C)."""

    def __init__(self, window: ViewerWindow) -> None:
        super().__init__(window)
        self.window = window

    def role(self) -> ViewRole:
        views = self.window.views
        return ViewRole.OVERLAY if views.side_by_side else views.single

    def image(self) -> QImage:
        """What Export saves: the picture at full size, or the screen when there is none."""
        views = self.window.views
        picture = full_image(views.pictures, self.role(), views.opacity, views.overlay_style)
        return picture if picture is not None else views.grab_image()

    def default_path(self) -> Path:
        window = self.window
        record = window.current_record()
        stem = Path(record.path).stem if record else "view"
        folder = Path.home()
        source = window.source
        if source is not None and source.info.results_path is not None:
            folder = source.info.results_path.parent
        return folder / f"{stem}_{self.role().name.lower()}.png"

    def ask(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self.window,
            self.tr("Export picture as PNG"),
            str(self.default_path()),
            self.tr("PNG images (*.png)"),
        )
        if name:
            self.save(Path(name))

    def save(self, path: Path) -> None:
        """Save the picture as PNG (``.png`` is added to a name without it), on the pool."""
        if path.suffix.lower() != ".png":
            path = path.with_name(path.name + ".png")
        views = self.window.views
        pictures, role = views.pictures, self.role()
        opacity, style = views.opacity, views.overlay_style
        screen = views.grab_image() if pictures is None else None
        reduced = pictures is not None and pictures.shown_at > 1
        note = self._reduced_note(pictures) if reduced and pictures is not None else ""

        def work(_handle: TaskHandle) -> bool:  # composing a big overlay is image work too
            image = full_image(pictures, role, opacity, style) if screen is None else screen
            return image is not None and bool(image.save(str(path)))  # the suffix is .png

        run_in_pool(
            save_pool(),
            work,
            context=self,
            on_done=lambda ok: self._saved(path, ok, note),
            on_error=lambda _exc: self._saved(path, False, ""),
            key=f"export-picture:{path.name}",
        )

    def _reduced_note(self, pictures: ItemPictures) -> str:
        mask = pictures.record.mask
        if mask:
            return self.tr(
                "It is the preview, reduced 1:{factor}; the full-size mask is {mask} in the "
                "results."
            ).format(factor=pictures.shown_at, mask=mask)
        return self.tr("It is the preview, reduced 1:{factor}.").format(factor=pictures.shown_at)

    def _saved(self, path: Path, ok: bool, note: str) -> None:
        if ok:
            text = " ".join([self.tr("Saved {path}.").format(path=path), note]).strip()
        else:
            text = self.tr("Could not save {path}.").format(path=path)
        self.window.statusBar().showMessage(text, 15000 if ok and note else 8000)

    def copy(self) -> None:
        QGuiApplication.clipboard().setImage(self.image())
        pictures = self.window.views.pictures
        note = self._reduced_note(pictures) if pictures and pictures.shown_at > 1 else ""
        text = " ".join([self.tr("The picture is on the clipboard."), note]).strip()
        self.window.statusBar().showMessage(text, 4000)
