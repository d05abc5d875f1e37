"""A zoomable, pannable picture view, and the link that keeps several of them in step.

Each view draws pyramids: at any zoom it paints the smallest level that still has at least
one pixel per screen pixel, so zooming out of a huge image stays smooth and zooming in shows
real pixels (unsmoothed, so single mask pixels can be judged). Views share one coordinate
system (the full-size image's pixels), so keeping them in step is copying a scale and the
scene point at the centre.
"""

from __future__ import annotations

import math
from collections import OrderedDict

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QImage,
    QMouseEvent,
    QPainter,
    QPalette,
    QPixmap,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from .pictures import Pyramid

MIN_ZOOM = 1 / 64
MAX_ZOOM = 64.0
ZOOM_STEP = 1.25


class PyramidItem(QGraphicsItem):
    """Paints the level of a :class:`Pyramid` that suits the current zoom."""

    def __init__(self, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self._pyramid: Pyramid | None = None
        self._table: list[int] | None = None
        self._pixmaps: OrderedDict[int, QPixmap] = OrderedDict()
        self.last_level: int | None = None

    @property
    def pyramid(self) -> Pyramid | None:
        return self._pyramid

    def set_pyramid(self, pyramid: Pyramid | None, table: list[int] | None = None) -> None:
        """Show ``pyramid``; ``table`` recolours an indexed (mask) pyramid."""
        if pyramid is self._pyramid and table == self._table:
            return
        self.prepareGeometryChange()
        self._pyramid = pyramid
        self._table = table
        self._pixmaps.clear()
        self.last_level = None
        self.update()

    def boundingRect(self) -> QRectF:
        if self._pyramid is None:
            return QRectF()
        return QRectF(0, 0, self._pyramid.width, self._pyramid.height)

    def level_for(self, scale: float) -> int:
        """The coarsest level with at least ``scale`` level pixels per image pixel."""
        pyramid = self._pyramid
        if pyramid is None:
            return 0
        chosen = 0
        for index, level in enumerate(pyramid.levels):
            if level.width() / pyramid.width >= scale * 0.999:
                chosen = index
            else:
                break
        return chosen

    def _pixmap(self, level: int) -> QPixmap:
        pixmap = self._pixmaps.get(level)
        if pixmap is None:
            assert self._pyramid is not None
            image = self._pyramid.levels[level]
            if self._table is not None and image.format() == QImage.Format.Format_Indexed8:
                image = image.copy()
                image.setColorTable(self._table)
            pixmap = QPixmap.fromImage(image)
            self._pixmaps[level] = pixmap
            while len(self._pixmaps) > 2:  # the GUI keeps two levels, not the whole pyramid
                self._pixmaps.popitem(last=False)
        else:
            self._pixmaps.move_to_end(level)
        return pixmap

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        pyramid = self._pyramid
        if pyramid is None:
            return
        transform = painter.worldTransform()
        scale = math.hypot(transform.m11(), transform.m12()) * painter.device().devicePixelRatioF()
        level = self.level_for(scale)
        self.last_level = level
        pixmap = self._pixmap(level)
        level_scale = pixmap.width() / pyramid.width
        # Smooth when shrinking; when magnifying, show the pixels as they are.
        painter.setRenderHint(
            QPainter.RenderHint.SmoothPixmapTransform, scale < level_scale * 0.999
        )
        painter.drawPixmap(
            QRectF(0, 0, pyramid.width, pyramid.height),
            pixmap,
            QRectF(0, 0, pixmap.width(), pixmap.height()),
        )


class ZoomView(QGraphicsView):
    """A picture with a base and a layer (the overlay's paint), zoomed by wheel, keys or fit.

    Signals:
        view_changed(): zoom or scroll position changed (by the user or by code).
        user_zoomed(): the user zoomed with the wheel (leaves fit-to-window).
        resized(): the viewport changed size.
        hovered(object): the image point (``QPointF``) under the mouse, ``None`` when it left.
    """

    view_changed = Signal()
    user_zoomed = Signal()
    resized = Signal()
    hovered = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.base = PyramidItem()
        self.layer = PyramidItem()
        self.layer.setZValue(1)
        self.scene().addItem(self.base)
        self.scene().addItem(self.layer)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundRole(QPalette.ColorRole.Dark)
        self.setBackgroundBrush(self.palette().brush(QPalette.ColorRole.Dark))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self._message = ""
        self.fit_mode = True
        self.setMouseTracking(True)

    # -- content ---------------------------------------------------------------------------
    def set_size(self, width: int | None, height: int | None) -> None:
        if width and height:
            self.setSceneRect(QRectF(0, 0, width, height))
        else:
            self.setSceneRect(QRectF(0, 0, 1, 1))

    @property
    def message(self) -> str:
        return self._message

    def set_message(self, text: str | None) -> None:
        """A sentence shown over the view (why there is no picture, or what it is)."""
        self._message = text or ""
        self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        if not self._message:
            return
        painter.save()
        painter.resetTransform()
        palette = self.palette()
        area = self.viewport().rect().adjusted(16, 16, -16, -16)
        flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        text_rect = painter.boundingRect(area, flags, self._message).adjusted(-10, -8, 10, 8)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(palette.color(QPalette.ColorRole.Window))
        painter.drawRoundedRect(text_rect, 6, 6)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(area, flags, self._message)
        painter.restore()

    # -- zoom ------------------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    def fit_scale(self) -> float:
        rect = self.sceneRect()
        view = self.viewport().rect()
        if rect.width() <= 0 or rect.height() <= 0 or view.width() <= 0 or view.height() <= 0:
            return 1.0
        return min(view.width() / rect.width(), view.height() / rect.height())

    def center(self) -> QPointF:
        return self.mapToScene(self.viewport().rect().center())

    def fit(self, scale: float | None = None) -> None:
        """Show the whole image (at ``scale`` when given, so linked views match)."""
        self.fit_mode = True
        scale = self.fit_scale() if scale is None else scale
        self.setTransform(QTransform.fromScale(scale, scale))
        self.centerOn(self.sceneRect().center())
        self.view_changed.emit()

    def set_zoom(self, scale: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``scale``, keeping the image point under ``anchor`` (viewport) in place."""
        scale = min(max(scale, MIN_ZOOM), MAX_ZOOM)
        point = anchor if anchor is not None else QPointF(self.viewport().rect().center())
        scene_point = self.mapToScene(point.toPoint())
        self.setTransform(QTransform.fromScale(scale, scale))
        moved = self.mapFromScene(scene_point) - point.toPoint()
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + moved.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + moved.y())
        self.view_changed.emit()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        self.fit_mode = False
        self.set_zoom(self.zoom() * factor, anchor)

    def apply_state(self, scale: float, center: QPointF) -> None:
        """Take another view's zoom and centre (used by :class:`ViewLink`)."""
        self.fit_mode = False
        if abs(self.zoom() - scale) > 1e-9:
            self.setTransform(QTransform.fromScale(scale, scale))
        self.centerOn(center)

    # -- events ----------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if not steps or self.base.pyramid is None:
            event.ignore()
            return
        self.fit_mode = False
        self.user_zoomed.emit()
        self.set_zoom(self.zoom() * ZOOM_STEP**steps, event.position())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        self.hovered.emit(self.mapToScene(event.position().toPoint()))

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        self.hovered.emit(None)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.view_changed.emit()


class ViewLink:
    """Keeps views at the same zoom and centre: what one does, the others follow."""

    def __init__(self, views: list[ZoomView]) -> None:
        self.views = views
        self._busy = False
        self.fit_mode = True
        for view in views:
            view.view_changed.connect(lambda v=view: self._follow(v))
            view.user_zoomed.connect(self._leave_fit)
            view.resized.connect(self._on_resized)

    def _on_resized(self) -> None:
        if self.fit_mode:
            self.fit()

    def _leave_fit(self) -> None:
        self.fit_mode = False
        for view in self.views:
            view.fit_mode = False

    def leader(self) -> ZoomView:
        visible = [v for v in self.views if v.isVisible()]
        return visible[0] if visible else self.views[0]

    def _follow(self, source: ZoomView) -> None:
        if self._busy or self.fit_mode:
            return
        self._busy = True
        try:
            scale, center = source.zoom(), source.center()
            for view in self.views:
                if view is not source:
                    view.apply_state(scale, center)
        finally:
            self._busy = False

    def resync(self) -> None:
        """Bring every view to the leader's state (after views were shown or resized)."""
        if self.fit_mode:
            self.fit()
        else:
            self._follow(self.leader())

    def fit(self) -> None:
        """Fit the image in every view, at one scale: the smallest the visible views need."""
        self.fit_mode = True
        visible = [v for v in self.views if v.isVisible()] or self.views
        scale = min(v.fit_scale() for v in visible)
        for view in self.views:
            view.fit(scale)

    def zoom_by(self, factor: float) -> None:
        self._leave_fit()
        self.leader().zoom_by(factor)

    def actual_size(self) -> None:
        """1:1: one image pixel per screen pixel, around the current centre."""
        self._leave_fit()
        leader = self.leader()
        ratio = leader.devicePixelRatioF() or 1.0
        leader.set_zoom(1.0 / ratio)

    def keep_or_fit(self, size: tuple[int, int] | None, previous: tuple[int, int] | None) -> None:
        """After a new picture: keep the zoom when it is the same size, else fit."""
        if self.fit_mode or size is None or size != previous:
            self.fit()
        else:
            self._follow(self.leader())
