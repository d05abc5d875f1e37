"""The mask viewer's window: opening results, navigating, filtering, missing and bad files."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage

from oilspill_desktop.core.model import ItemStatus
from oilspill_desktop.ui.viewer import ViewerWindow
from oilspill_desktop.ui.viewer.item_model import ItemFilter
from oilspill_desktop.ui.viewer.originals import OriginalsState
from oilspill_desktop.ui.viewer.views_panel import ViewRole

from .viewer_fixtures import OFFSCREEN_NOISE, ResultsFixture, results, write_results

__all__ = ["results"]

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def open_window(qtbot, path: Path | None = None) -> ViewerWindow:
    window = ViewerWindow(path)
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def wait_shown(qtbot, window: ViewerWindow, *, live: bool | None = None) -> None:
    """Until the current item's pictures are on screen (with the original when ``live``)."""

    def shown() -> None:
        pictures = window.views.pictures
        record = window.current_record()
        assert pictures is not None and record is not None
        assert pictures.record.path == record.path
        if live is not None:
            assert pictures.live_overlay is live

    qtbot.waitUntil(shown)


def test_opens_results_zip_with_originals(qtbot, results: ResultsFixture) -> None:
    window = open_window(qtbot, results.results)
    assert window.model.rowCount() == 5
    assert window.current_row() == 0
    wait_shown(qtbot, window, live=True)
    qtbot.waitUntil(lambda: window.originals_status.state is OriginalsState.AVAILABLE)
    assert not window.notice.isVisible()
    pictures = window.views.pictures
    assert pictures is not None and pictures.original is not None
    assert (pictures.width, pictures.height) == (64, 48)
    assert window.facts.text("path") == results.records[0].path
    assert "64 × 48" in window.facts.text("size")
    assert window.facts.text("oil_pixels") == f"{results.records[0].oil_pixels:,}"
    assert "results" in window.windowTitle()
    # the thumbnail of a visible row is made off the GUI thread and then shown
    index = window.proxy.index(0, 0)

    def thumbnail_made() -> None:
        image = index.data(Qt.ItemDataRole.DecorationRole)
        assert isinstance(image, QImage)
        assert image.cacheKey() != window.thumbnails.placeholder.cacheKey()
        assert image.pixel(image.width() // 2, image.height() // 2) != 0

    qtbot.waitUntil(thumbnail_made)


def test_navigation_keys(qtbot, results: ResultsFixture) -> None:
    window = open_window(qtbot, results.results)
    wait_shown(qtbot, window)
    window.table.setFocus()
    steps = [
        (Qt.Key.Key_Right, 1),
        (Qt.Key.Key_PageDown, 2),
        (Qt.Key.Key_Left, 1),
        (Qt.Key.Key_PageUp, 0),
        (Qt.Key.Key_End, 4),
        (Qt.Key.Key_Home, 0),
        (Qt.Key.Key_Left, 0),
    ]
    for key, row in steps:
        qtbot.keyClick(window.table, key)
        assert window.current_row() == row, key
    qtbot.keyClick(window.table, Qt.Key.Key_End)
    qtbot.keyClick(window.table, Qt.Key.Key_Right)
    assert window.current_row() == 4
    wait_shown(qtbot, window)
    assert window.facts.text("path") == results.records[4].path

    assert window.views.side_by_side
    qtbot.keyClick(window.table, Qt.Key.Key_V)
    assert not window.views.side_by_side
    assert window.views.single is ViewRole.OVERLAY
    assert not window.views.panes[ViewRole.ORIGINAL].isVisible()
    qtbot.keyClick(window.table, Qt.Key.Key_B)
    assert window.views.single is ViewRole.ORIGINAL
    assert window.views.panes[ViewRole.ORIGINAL].isVisible()
    assert not window.views.panes[ViewRole.OVERLAY].isVisible()
    qtbot.keyClick(window.table, Qt.Key.Key_V)
    assert window.views.side_by_side

    qtbot.keyClick(window.table, Qt.Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    qtbot.keyClick(window.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())


def test_failed_item_shows_its_error(qtbot, results: ResultsFixture) -> None:
    window = open_window(qtbot, results.results)
    window.select_row(3)
    wait_shown(qtbot, window)
    assert window.current_record().status is ItemStatus.FAILED
    assert "500" in window.facts.text("error")
    assert window.facts.text("attempts") == "3"
    mask_view = window.views.view(ViewRole.MASK)
    assert mask_view.base.pyramid is None
    assert "failed" in mask_view.message
    # the original is still shown: it helps to see what the engine refused
    qtbot.waitUntil(lambda: window.views.pictures.original is not None)


def test_filter(qtbot, results: ResultsFixture) -> None:
    window = open_window(qtbot, results.results)
    wait_shown(qtbot, window)
    expected = {
        ItemFilter.ALL: [0, 1, 2, 3, 4],
        ItemFilter.OIL_FOUND: [0, 2, 4],
        ItemFilter.NO_OIL: [1],
        ItemFilter.FAILED: [3],
    }
    for item_filter, rows in expected.items():
        window.set_item_filter(item_filter)
        paths = [window.proxy.record_at(r).path for r in range(window.proxy.rowCount())]
        assert paths == [results.records[i].path for i in rows], item_filter
        assert window.current_record() is not None
        assert window.current_record().path in paths
    window.set_item_filter(ItemFilter.FAILED)
    wait_shown(qtbot, window)
    assert window.current_record().status is ItemStatus.FAILED
    assert "1 of 5 images" in window.count_label.text()


def test_sort_by_oil_fraction(qtbot, results: ResultsFixture) -> None:
    window = open_window(qtbot, results.results)
    window.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    fractions = [
        window.proxy.record_at(r).oil_fraction or -1 for r in range(window.proxy.rowCount())
    ]
    assert fractions == sorted(fractions, reverse=True)


def test_missing_input_still_shows_masks(qtbot, tmp_path: Path) -> None:
    fixture = write_results(tmp_path / "moved", count=3)
    fixture.input.unlink()
    window = open_window(qtbot, fixture.results)
    qtbot.waitUntil(lambda: window.originals_status.state is OriginalsState.MISSING)
    wait_shown(qtbot, window, live=False)
    qtbot.waitUntil(lambda: "not available" in (window.views.pictures.original_note or ""))
    assert window.notice.isVisible()
    assert "not available" in window.notice.label.text()
    assert fixture.input.name in window.notice.label.text()
    assert window.notice.button.isVisible()  # "Locate input…"
    pictures = window.views.pictures
    assert pictures.classes is not None  # the mask is shown
    assert pictures.picture is not None  # and the overlay saved in the results
    assert window.views.view(ViewRole.OVERLAY).base.pyramid is pictures.picture
    assert "not available" in window.views.view(ViewRole.ORIGINAL).message
    assert window.controls.note.isVisible()
    assert not window.controls.slider.isEnabled()

    # pointing the viewer at a copy of the input brings the originals back
    copy = write_results(tmp_path / "copy", count=3)
    window.use_input(copy.input)
    qtbot.waitUntil(lambda: window.originals_status.state is OriginalsState.AVAILABLE)
    wait_shown(qtbot, window, live=True)
    assert not window.notice.isVisible()


def test_changed_input_is_not_used(qtbot, tmp_path: Path) -> None:
    fixture = write_results(tmp_path / "data", count=2)
    data = bytearray(fixture.input.read_bytes())
    data[200] ^= 0xFF  # same size, other contents: only the sha256 can tell
    fixture.input.write_bytes(bytes(data))
    window = open_window(qtbot, fixture.results)
    # The status exists once the first picture is up; under load that can take a while.
    qtbot.waitUntil(
        lambda: (
            window.originals_status is not None
            and window.originals_status.state is OriginalsState.CHANGED
        ),
        timeout=15000,
    )
    assert "contents differ" in window.notice.label.text()
    wait_shown(qtbot, window, live=False)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"this is not a zip at all", "not a readable zip"),
        (b"PK\x03\x04" + b"\0" * 50, "not a readable zip"),
        ("no-report", "holds no report.json"),
        ("bad-json", "not valid JSON"),
        ("no-items", "does not list any items"),
    ],
)
def test_corrupt_results_zip(qtbot, tmp_path: Path, content: bytes | str, expected: str) -> None:
    path = tmp_path / "broken_results.zip"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as bundle:
            bundle.writestr("masks/a.png", b"x")
            if content == "bad-json":
                bundle.writestr("report.json", b"{ not json")
            elif content == "no-items":
                bundle.writestr("report.json", b'{"app": "Oil Spill Desktop"}')
    window = open_window(qtbot)
    assert window.open_results(path) is False
    assert window.notice.isVisible()
    assert expected in window.notice.label.text()
    assert expected in window.views.view(ViewRole.OVERLAY).message
    assert window.model.rowCount() == 0
    # the window stays usable: a good file opens afterwards
    good = write_results(tmp_path / "good", count=2)
    assert window.open_results(good.results) is True
    wait_shown(qtbot, window)
    assert not window.notice.isVisible() or "Opening" in window.notice.label.text()


def test_damaged_mask_member_is_reported_in_the_view(qtbot, tmp_path: Path) -> None:
    fixture = write_results(tmp_path / "data", count=2)
    rebuilt = tmp_path / "data" / "rebuilt_results.zip"
    with zipfile.ZipFile(fixture.results) as old, zipfile.ZipFile(rebuilt, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == fixture.records[0].mask:
                data = data[:20]  # a truncated PNG
            new.writestr(info, data)
    window = open_window(qtbot, rebuilt)
    wait_shown(qtbot, window)
    message = window.views.view(ViewRole.MASK).message
    assert "could not be shown" in message and "not a readable picture" in message


def test_export_and_copy(qtbot, results: ResultsFixture, tmp_path: Path) -> None:
    window = open_window(qtbot, results.results)
    wait_shown(qtbot, window, live=True)
    target = tmp_path / "view.png"
    window.images.save(target)  # side by side: the overlay, at the image's own size
    qtbot.waitUntil(lambda: "Saved" in window.statusBar().currentMessage())
    saved = QImage(str(target))
    record = results.records[0]
    assert (saved.width(), saved.height()) == (record.width, record.height)
    window.views.set_single(ViewRole.MASK)
    window.images.copy()
    copied = QGuiApplication.clipboard().image()
    assert (copied.width(), copied.height()) == (record.width, record.height)
    assert copied.pixelColor(0, 0).name() in ("#000000", "#ffffff")  # the mask, not the screen


def test_engine_picture_is_shown_as_it_came(qtbot, tmp_path: Path) -> None:
    fixture = write_results(tmp_path / "data", count=2, kind="overlay")
    window = open_window(qtbot, fixture.results)
    wait_shown(qtbot, window)
    pictures = window.views.pictures
    assert pictures.kind == "overlay" and pictures.picture is not None
    assert window.views.view(ViewRole.OVERLAY).base.pyramid is pictures.picture
    assert "annotated picture" in window.views.view(ViewRole.MASK).message
    assert window.controls.note.isVisible()
    assert "annotated picture" in window.controls.note.text()
    assert not window.controls.fill_button.isEnabled()
    assert window.facts.text("oil_pixels") == ""


def test_class_legend_for_five_class_masks(qtbot, tmp_path: Path) -> None:
    fixture = write_results(tmp_path / "data", count=2, kind="classes")
    window = open_window(qtbot, fixture.results)
    wait_shown(qtbot, window, live=True)
    assert window.views.pictures.kind == "classes"
    assert window.controls.legend.isVisible()
    assert "5-class" in window.facts.text("kind")
    shares = {i: label.text() for i, label in window.controls._legend_counts.items()}
    assert shares[4] != "0.0 %"  # the strip of land is counted
    fixture_binary = write_results(tmp_path / "binary", count=1)
    window.open_results(fixture_binary.results)
    wait_shown(qtbot, window)
    assert not window.controls.legend.isVisible()


def test_closing_while_pictures_load(qtbot, tmp_path: Path) -> None:
    fixture = write_results(tmp_path / "data", count=6, size=(320, 240))
    window = open_window(qtbot, fixture.results)
    window.go_last()
    window.close()  # loads and the input's opening are cancelled and drained, not crashed
    assert window.source is None
    assert window.model.rowCount() == 0
