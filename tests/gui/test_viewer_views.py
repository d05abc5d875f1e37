"""The viewer's pictures: overlay controls change the pixels, zoom and pan stay linked."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from oilspill_desktop.core.engines.answers import interpret_answer
from oilspill_desktop.core.results.overlay import render_overlay
from oilspill_desktop.ui.viewer import ViewerWindow
from oilspill_desktop.ui.viewer.loader import ItemLoader
from oilspill_desktop.ui.viewer.pictures import pyramid_from_pil
from oilspill_desktop.ui.viewer.results_source import ZipResultsSource
from oilspill_desktop.ui.viewer.views_panel import ViewRole
from oilspill_desktop.ui.viewer.zoom_view import ZoomView

from .viewer_fixtures import OFFSCREEN_NOISE, ResultsFixture, results, write_results

__all__ = ["results"]

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def as_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return data[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def grab(view: ZoomView) -> np.ndarray:
    view.viewport().repaint()
    return as_array(view.viewport().grab().toImage())


def image_area(view: ZoomView, width: int, height: int) -> np.ndarray:
    """The on-screen pixels of the image at 1:1."""
    top_left = view.mapFromScene(QPointF(0, 0))
    pixels = grab(view)
    return pixels[top_left.y() : top_left.y() + height, top_left.x() : top_left.x() + width]


def shown_window(qtbot, path: Path) -> ViewerWindow:
    window = ViewerWindow(path)
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    def live() -> None:
        pictures = window.views.pictures
        assert pictures is not None and pictures.live_overlay

    qtbot.waitUntil(live)
    return window


def test_opacity_and_outline_change_the_pixels(qtbot, results: ResultsFixture) -> None:
    window = shown_window(qtbot, results.results)
    overlay = window.views.view(ViewRole.OVERLAY)
    original = window.views.view(ViewRole.ORIGINAL)
    default = grab(overlay)

    window.controls.slider.setValue(90)
    strong = grab(overlay)
    assert np.abs(strong.astype(int) - default).sum() > 0

    window.controls.slider.setValue(0)
    assert np.array_equal(grab(overlay), grab(original))  # nothing painted at all

    window.controls.slider.setValue(45)
    assert np.array_equal(grab(overlay), default)

    window.controls.outline_button.setChecked(True)
    outlined = grab(overlay)
    assert not np.array_equal(outlined, default)
    assert window.controls.slider.isEnabled()  # the outline has an opacity too
    window.controls.slider.setValue(0)
    assert np.array_equal(grab(overlay), grab(original))
    window.controls.slider.setValue(45)
    assert np.array_equal(grab(overlay), outlined)
    window.controls.fill_button.setChecked(True)
    assert np.array_equal(grab(overlay), default)


@pytest.mark.parametrize("style", ["fill", "outline"])
def test_overlay_is_the_one_written_to_the_results(
    qtbot, results: ResultsFixture, style: str
) -> None:
    """At 1:1 the viewer draws what core.overlay.render_overlay draws, give or take rounding."""
    window = shown_window(qtbot, results.results)
    window.controls.set_style(style)  # type: ignore[arg-type]
    opacity = 0.6 if style == "fill" else 1.0  # the results' outlines are opaque
    window.controls.slider.setValue(round(opacity * 100))
    window.commands.actual_action.trigger()
    overlay = window.views.view(ViewRole.OVERLAY)
    assert overlay.zoom() == pytest.approx(1.0)
    record = results.records[0]
    with zipfile.ZipFile(results.results) as bundle:
        mask = Image.open(io.BytesIO(bundle.read(record.mask)))
        mask.load()
    segmentation = interpret_answer(mask, record.width, record.height)
    expected = np.asarray(
        render_overlay(results.originals[0], segmentation, opacity=opacity, style=style)  # type: ignore[arg-type]
    )
    shown = image_area(overlay, record.width, record.height)
    assert shown.shape == expected.shape
    assert np.abs(shown.astype(int) - expected).max() <= 2


def wheel(view: ZoomView, position: QPoint, steps: int) -> None:
    event = QWheelEvent(
        QPointF(position),
        QPointF(view.viewport().mapToGlobal(position)),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def drag(view: ZoomView, start: QPoint, end: QPoint) -> None:
    viewport = view.viewport()
    for kind, point, buttons in (
        (QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton),
        (QEvent.Type.MouseMove, (start + end) / 2, Qt.MouseButton.LeftButton),
        (QEvent.Type.MouseMove, end, Qt.MouseButton.LeftButton),
        (QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton),
    ):
        event = QMouseEvent(
            kind,
            QPointF(point),
            QPointF(viewport.mapToGlobal(point)),
            Qt.MouseButton.LeftButton,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)


def assert_in_step(window: ViewerWindow) -> None:
    views = window.views.views
    scales = {round(v.zoom(), 6) for v in views}
    assert len(scales) == 1, scales
    centres = [v.center() for v in views]
    for centre in centres[1:]:
        assert abs(centre.x() - centres[0].x()) <= 1.5
        assert abs(centre.y() - centres[0].y()) <= 1.5


def test_zoom_and_pan_are_linked(qtbot, results: ResultsFixture) -> None:
    window = shown_window(qtbot, results.results)
    mask = window.views.view(ViewRole.MASK)
    fit = mask.zoom()
    assert_in_step(window)

    # wheel zoom around the cursor: the image point under it stays put (once the image is
    # larger than the view both ways, so that it can move at all)
    cursor = mask.viewport().rect().center()
    wheel(mask, cursor, 8)
    assert mask.zoom() == pytest.approx(fit * 1.25**8)
    assert mask.zoom() * 48 > mask.viewport().height()
    cursor += QPoint(30, 10)
    under = mask.mapToScene(cursor)
    wheel(mask, cursor, 1)
    after = mask.mapFromScene(under)
    assert abs(after.x() - cursor.x()) <= 1 and abs(after.y() - cursor.y()) <= 1
    assert_in_step(window)

    # drag to pan, in the overlay view this time
    overlay = window.views.view(ViewRole.OVERLAY)
    before = overlay.center()
    drag(overlay, QPoint(150, 150), QPoint(100, 120))
    moved = overlay.center()
    assert (moved.x(), moved.y()) != (before.x(), before.y())
    assert_in_step(window)

    # keys: + and - zoom all, Ctrl+1 is one image pixel per screen pixel, 0 fits again
    window.table.setFocus()
    zoom = mask.zoom()
    qtbot.keyClick(window.table, Qt.Key.Key_Plus)
    assert mask.zoom() == pytest.approx(zoom * 1.25)
    qtbot.keyClick(window.table, Qt.Key.Key_Minus)
    assert mask.zoom() == pytest.approx(zoom)
    assert_in_step(window)
    qtbot.keyClick(window.table, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert all(v.zoom() == pytest.approx(1.0) for v in window.views.views)
    qtbot.keyClick(window.table, Qt.Key.Key_0)
    assert all(v.zoom() == pytest.approx(fit) for v in window.views.views)

    # the zoom is kept when moving to an image of the same size
    wheel(mask, cursor, 2)
    zoomed = mask.zoom()
    qtbot.keyClick(window.table, Qt.Key.Key_Right)

    def second_shown() -> None:
        pictures = window.views.pictures
        assert pictures is not None and pictures.record.path == results.records[1].path

    qtbot.waitUntil(second_shown)
    assert mask.zoom() == pytest.approx(zoomed)
    assert_in_step(window)


def test_one_at_a_time_keeps_zoom(qtbot, results: ResultsFixture) -> None:
    window = shown_window(qtbot, results.results)
    mask = window.views.view(ViewRole.MASK)
    wheel(mask, mask.viewport().rect().center(), 4)
    zoom = mask.zoom()
    window.views.set_single(ViewRole.ORIGINAL)
    original = window.views.view(ViewRole.ORIGINAL)
    qtbot.waitUntil(original.isVisible)
    assert original.zoom() == pytest.approx(zoom)
    assert window.views.tabs.isVisible()
    window.views.tabs.setCurrentIndex(int(ViewRole.MASK))
    assert window.views.single is ViewRole.MASK
    assert mask.isVisible() and not original.isVisible()


def test_large_images_draw_a_downsampled_level(qtbot) -> None:
    rng = np.random.default_rng(1)
    image = Image.fromarray(rng.integers(0, 255, (900, 1200), dtype=np.uint8), "L")
    pyramid = pyramid_from_pil(image)
    assert [level.width() for level in pyramid.levels] == [1200, 600, 300, 150]
    view = ZoomView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    view.set_size(1200, 900)
    view.base.set_pyramid(pyramid)
    view.fit()
    view.viewport().grab()
    assert view.zoom() == pytest.approx(1 / 3, rel=0.02)
    assert view.base.last_level == 1  # 600 px across: the coarsest at least as fine as 1/3
    view.set_zoom(1.0)
    view.viewport().grab()
    assert view.base.last_level == 0
    view.set_zoom(0.2)
    view.viewport().grab()
    assert view.base.last_level == 2


def test_loader_cache_stays_within_its_byte_cap(qtbot, tmp_path: Path) -> None:
    fixture = write_results(tmp_path / "data", count=8, size=(160, 120))
    source = ZipResultsSource(fixture.results)
    loader = ItemLoader(cache_bytes=3 * 160 * 120 * 3)  # room for about one item's pictures
    loader.set_context(source, None, "no originals in this test")
    records = source.info.images
    peak = 0
    for index, record in enumerate(records):
        loader.show(record, records[index + 1 : index + 3])
        qtbot.waitUntil(lambda record=record: loader.get(record) is not None)
        peak = max(peak, loader.cached_bytes)
        assert loader.cached_bytes <= loader.cache_bytes or loader.cached_count == 1
        assert loader.get(record) is not None  # the current item is never evicted
    loader.wait_idle()
    assert loader.cached_count < len(records)
    source.close()


def test_loader_loads_an_item_asked_for_again_after_a_cancel(qtbot, tmp_path: Path) -> None:
    fixture = write_results(tmp_path / "data", count=3, size=(200, 150))
    source = ZipResultsSource(fixture.results)
    loader = ItemLoader()
    loader.set_context(source, None, "no originals in this test")
    first, second, _third = source.info.images
    for _ in range(10):  # back and forth faster than the pictures load
        loader.show(first)
        loader.show(second)
    loader.show(first)
    qtbot.waitUntil(lambda: loader.get(first) is not None)
    loader.clear()  # no prefetch left to start while the test tears down
    loader.wait_idle()
    source.close()
