"""The viewer's panes fill the space, its status line, sorting, names, the facts panel with
long names, what it remembers, and numbers in the interface's locale."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from oilspill_desktop.core.model import ItemRecord, ItemStatus
from oilspill_desktop.ui.viewer.item_model import Column, PathDelegate, oil_text
from oilspill_desktop.ui.viewer.originals import OriginalsState
from oilspill_desktop.ui.viewer.views_panel import ViewRole, best_arrangement

from .test_viewer_window import open_window, wait_shown
from .viewer_fixtures import OFFSCREEN_NOISE, ResultsFixture, results, write_results

__all__ = ["results"]

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def test_best_arrangement() -> None:
    assert best_arrangement((660, 700), (512, 512), 20) == (2, 2)
    assert best_arrangement((1500, 400), (512, 512), 20) == (3, 1)
    assert best_arrangement((400, 1200), (512, 512), 20) == (1, 3)
    assert best_arrangement((900, 700), None, 20) == (3, 1)


def test_square_scenes_fill_the_panes(qtbot, tmp_path: Path) -> None:
    fixture = write_results(tmp_path / "data", count=2, size=(96, 96))
    window = open_window(qtbot, fixture.results)
    window.resize(1400, 900)
    wait_shown(qtbot, window, live=True)
    qtbot.waitUntil(lambda: window.views.arrangement == (2, 2))
    view = window.views.view(ViewRole.ORIGINAL)

    def filled() -> None:
        # the picture takes the whole of one side of its pane: no large grey bars
        shown = view.zoom() * 96
        assert shown >= min(view.viewport().width(), view.viewport().height()) - 2
        assert shown > 280  # was ~210 px in a row of three on a 1400 px screen

    qtbot.waitUntil(filled)


def test_status_line_zoom_cursor_and_value(qtbot, results: ResultsFixture) -> None:
    window = open_window(qtbot, results.results)
    wait_shown(qtbot, window, live=True)
    window.commands.actual_action.trigger()
    assert "Zoom 100 %" in window.status_line.text()
    view = window.views.view(ViewRole.ORIGINAL)
    at = view.mapFromScene(QPointF(10.2, 20.2))
    move = QMouseEvent(
        QMouseEvent.Type.MouseMove,
        QPointF(at),
        QPointF(view.viewport().mapToGlobal(at)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), move)
    expected = results.originals[0].getpixel((10, 20))
    text = window.status_line.text()
    assert "x 10, y 20" in text and f"value {expected}" in text
    assert text.endswith(("Sea", "Oil"))


def test_sorting_by_oil_starts_with_the_largest(qtbot, results: ResultsFixture) -> None:
    window = open_window(qtbot, results.results)
    wait_shown(qtbot, window)
    header = window.table.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(Column.OIL) + 5, header.height() // 2),
    )
    fractions = [window.proxy.record_at(r).oil_fraction or -1 for r in range(3)]
    assert fractions == sorted(fractions, reverse=True) and fractions[0] > 0


def test_names_elided_in_the_middle(qtbot, results: ResultsFixture) -> None:
    window = open_window(qtbot, results.results)
    delegate = window.table.itemDelegateForColumn(Column.IMAGE)
    assert isinstance(delegate, PathDelegate)
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, window.proxy.index(0, Column.IMAGE))
    assert option.textElideMode == Qt.TextElideMode.ElideMiddle


def test_facts_panel_stays_inside_with_a_long_name(qtbot, tmp_path: Path) -> None:
    long_name = "S1A_IW_GRDH_1SDV_20230716T053512_20230716T053537_049439_05F1E9_" * 2
    fixture = write_results(tmp_path / "data", count=1, name=long_name[:60])
    window = open_window(qtbot, fixture.results)
    wait_shown(qtbot, window)
    # Once the originals are found the current item is shown again; wait, or that would
    # replace the record shown below.
    qtbot.waitUntil(lambda: window.originals_status.state is OriginalsState.AVAILABLE)
    record = ItemRecord(path=f"{long_name}.tif", status=ItemStatus.OK, width=10, height=10)
    window.facts.show_record(record, "model", None)
    qtbot.wait(50)
    scroll = window.controls.parentWidget().parentWidget().parentWidget()
    inner = window.facts.parentWidget()
    assert inner.width() <= scroll.viewport().width()
    assert window.facts.text("path") == f"{long_name}.tif"
    right = window.facts.mapTo(window, QPoint(window.facts.width(), 0)).x()
    assert right <= window.width()


def test_view_mode_and_opacity_remembered(qtbot, results: ResultsFixture) -> None:
    window = open_window(qtbot, results.results)
    wait_shown(qtbot, window)
    window.views.set_single(ViewRole.MASK)
    window.controls.slider.setValue(70)
    window.controls.set_style("outline")
    window.close()
    again = open_window(qtbot, results.results)
    assert not again.views.side_by_side and again.views.single is ViewRole.MASK
    assert again.views.opacity == pytest.approx(0.7)
    assert again.views.overlay_style == "outline"


def test_numbers_in_the_interface_locale(qtbot, results: ResultsFixture) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.Russian))
    try:
        window = open_window(qtbot, results.results)
        wait_shown(qtbot, window)
        record = ItemRecord(
            path="a.png",
            status=ItemStatus.OK,
            width=4000,
            height=2000,
            oil_pixels=43908,
            oil_fraction=0.0105,
        )
        assert oil_text(record) == "1,05 %"
        window.facts.show_record(record, "model", None)
        assert window.facts.text("oil_pixels") == "43\u00a0908"
        assert window.facts.text("oil_fraction") == "1,050 %"
    finally:
        QLocale.setDefault(QLocale(QLocale.Language.English))
