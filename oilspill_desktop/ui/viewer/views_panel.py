"""The original, the mask and the overlay: side by side, or one at a time with tabs.

The overlay is the original with the mask's colours painted over it: as a translucent fill
or as an outline (the slider sets the opacity of both). Where the original cannot be had, or
the engine answered with its own annotated picture, that picture is shown instead.

Side by side, the three panes are laid out in a row, a column or a 2×2 grid, whichever
shows the picture largest in the space there is, so a square scene in a wide window is not
three narrow strips with grey bars above and below.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QTabBar, QVBoxLayout, QWidget

from ...core.results.overlay import OverlayStyle
from .pictures import LAYER_TABLE, ItemPictures
from .zoom_view import ViewLink, ZoomView

DEFAULT_OPACITY = 0.45
"""The opacity of the overlays in the results zip, so the first look matches them."""
PANE_SPACING = 4

Arrangement = tuple[int, int]
"""Columns and rows of the side-by-side panes."""
ARRANGEMENTS: tuple[Arrangement, ...] = ((3, 1), (2, 2), (1, 3))


def best_arrangement(
    area: tuple[int, int], picture: tuple[int, int] | None, title: int
) -> Arrangement:
    """The columns × rows that show a ``picture``-sized image largest in ``area``.

    ``title`` is the height of a pane's title. Ties go to the earlier (a row first).
    """
    if picture is None or min(picture) <= 0 or min(area) <= 0:
        return ARRANGEMENTS[0]

    def scale(arrangement: Arrangement) -> float:
        columns, rows = arrangement
        width = (area[0] - PANE_SPACING * (columns - 1)) / columns
        height = (area[1] - PANE_SPACING * (rows - 1)) / rows - title
        return min(width / picture[0], height / picture[1])

    return max(ARRANGEMENTS, key=lambda a: (scale(a), -ARRANGEMENTS.index(a)))


class ViewRole(IntEnum):
    ORIGINAL = 0
    MASK = 1
    OVERLAY = 2


class ViewPane(QWidget):
    """A title above a :class:`ZoomView`."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(title, self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view = ZoomView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)


class ViewsPanel(QWidget):
    """Three linked views.

    Signals:
        layout_changed(): side by side / one at a time, or the single view shown, changed.
    """

    layout_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        titles = {
            ViewRole.ORIGINAL: self.tr("Original"),
            ViewRole.MASK: self.tr("Mask"),
            ViewRole.OVERLAY: self.tr("Overlay"),
        }
        self.tabs = QTabBar(self)
        for role in ViewRole:
            self.tabs.addTab(titles[role])
        self.tabs.setDocumentMode(True)
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.currentChanged.connect(self._on_tab)
        self.panes = {role: ViewPane(titles[role], self) for role in ViewRole}
        self._row = QWidget(self)
        self._grid = QGridLayout(self._row)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(PANE_SPACING)
        self.arrangement: Arrangement = (0, 0)
        self._arrange(ARRANGEMENTS[0])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.tabs)
        layout.addWidget(self._row, 1)
        self.link = ViewLink([self.panes[role].view for role in ViewRole])
        self._side_by_side = True
        self._single = ViewRole.OVERLAY
        self._opacity = DEFAULT_OPACITY
        self._style: OverlayStyle = "fill"
        self._pictures: ItemPictures | None = None
        self._size: tuple[int, int] | None = None
        self.tabs.setCurrentIndex(self._single)
        self._apply_layout()

    # -- views -----------------------------------------------------------------------------
    def view(self, role: ViewRole) -> ZoomView:
        return self.panes[role].view

    @property
    def views(self) -> list[ZoomView]:
        return [self.panes[role].view for role in ViewRole]

    @property
    def side_by_side(self) -> bool:
        return self._side_by_side

    def set_side_by_side(self, on: bool) -> None:
        if on != self._side_by_side:
            self._side_by_side = on
            self._apply_layout()

    @property
    def single(self) -> ViewRole:
        return self._single

    def set_single(self, role: ViewRole) -> None:
        """Show ``role`` alone (switches to one at a time)."""
        self._single = ViewRole(role)
        self._side_by_side = False
        self._apply_layout()

    def next_single(self) -> None:
        """One at a time: show the next of original, mask, overlay."""
        if self._side_by_side:
            self.set_single(self._single)
        else:
            self.set_single(ViewRole((self._single + 1) % len(ViewRole)))

    def _arrange(self, arrangement: Arrangement) -> None:
        if arrangement == self.arrangement:
            return
        self.arrangement = arrangement
        columns, rows = arrangement
        for role in ViewRole:
            self._grid.removeWidget(self.panes[role])
        for place, role in enumerate(ViewRole):
            self._grid.addWidget(self.panes[role], place // columns, place % columns)
        for index in range(3):
            self._grid.setColumnStretch(index, 1 if index < columns else 0)
            self._grid.setRowStretch(index, 1 if index < rows else 0)

    def rearrange(self) -> None:
        """Side by side: pick the arrangement that shows this picture largest, refit."""
        if not self._side_by_side:
            return
        title = self.panes[ViewRole.ORIGINAL].title.sizeHint().height() + 2
        chosen = best_arrangement((self._row.width(), self._row.height()), self._size, title)
        if chosen != self.arrangement:
            self._arrange(chosen)
            self._grid.activate()
            self.link.resync()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.rearrange()

    def _on_tab(self, index: int) -> None:
        if index >= 0 and not self._side_by_side and index != self._single:
            self.set_single(ViewRole(index))

    def _apply_layout(self) -> None:
        self.tabs.blockSignals(True)
        self.tabs.setCurrentIndex(self._single)
        self.tabs.blockSignals(False)
        self.tabs.setVisible(not self._side_by_side)
        for role, pane in self.panes.items():
            pane.setVisible(self._side_by_side or role == self._single)
            pane.title.setVisible(self._side_by_side)
        self.rearrange()
        self.link.resync()
        self.layout_changed.emit()

    # -- pictures --------------------------------------------------------------------------
    @property
    def pictures(self) -> ItemPictures | None:
        return self._pictures

    def show_message(self, text: str) -> None:
        """No picture: the same sentence in every view."""
        self._pictures = None
        for view in self.views:
            view.base.set_pyramid(None)
            view.layer.set_pyramid(None)
            view.set_message(text)

    def show_loading(self, text: str) -> None:
        """The next item is on its way: keep the last pictures (no flash), say so over them."""
        for view in self.views:
            view.set_message(text)

    def show_pictures(self, pictures: ItemPictures) -> None:
        previous, self._pictures = self._size, pictures
        original = self.view(ViewRole.ORIGINAL)
        mask = self.view(ViewRole.MASK)
        overlay = self.view(ViewRole.OVERLAY)
        size = (pictures.width, pictures.height) if pictures.width and pictures.height else None
        for view in self.views:
            view.set_size(*(size or (None, None)))
            view.layer.set_pyramid(None)

        original.base.set_pyramid(pictures.original)
        original.set_message(
            None
            if pictures.original is not None
            else pictures.original_note or self.tr("The original image is not available.")
        )

        mask.base.set_pyramid(pictures.classes)
        mask.set_message(
            None
            if pictures.classes is not None
            else pictures.mask_note or self.tr("There is no mask for this image.")
        )

        if pictures.live_overlay:
            overlay.base.set_pyramid(pictures.original)
            overlay.set_message(None)
        elif pictures.picture is not None:
            overlay.base.set_pyramid(pictures.picture)
            overlay.set_message(None)
        else:  # no mask (a failed image): the original if there is one, and why
            overlay.base.set_pyramid(pictures.original)
            overlay.set_message(
                pictures.mask_note
                or pictures.original_note
                or self.tr("There is nothing to show for this image.")
            )
        self._apply_overlay()
        self._size = size
        if size != previous:
            self.rearrange()
        self.link.keep_or_fit(size, previous)

    # -- overlay ---------------------------------------------------------------------------
    @property
    def opacity(self) -> float:
        return self._opacity

    @property
    def overlay_style(self) -> OverlayStyle:
        return self._style

    def set_opacity(self, opacity: float) -> None:
        self._opacity = min(max(opacity, 0.0), 1.0)
        self._apply_overlay()

    def set_style(self, style: OverlayStyle) -> None:
        self._style = style
        self._apply_overlay()

    def _apply_overlay(self) -> None:
        layer = self.view(ViewRole.OVERLAY).layer
        pictures = self._pictures
        if pictures is None or not pictures.live_overlay:
            layer.set_pyramid(None)
            return
        shown = pictures.outlines if self._style == "outline" else pictures.classes
        layer.set_pyramid(shown, LAYER_TABLE)
        layer.setOpacity(self._opacity)

    # -- export ----------------------------------------------------------------------------
    def grab_image(self) -> QImage:
        """What is on screen: the one view, or the three with their titles."""
        if self._side_by_side:
            return self._row.grab().toImage()
        return self.view(self._single).viewport().grab().toImage()
