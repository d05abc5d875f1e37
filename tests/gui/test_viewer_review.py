"""Review in the viewer: verdict keys, a note, the column and the filter, a restart, and
File → Export report with the verdicts in HTML, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from oilspill_desktop.core.results.review import ReviewFile, Verdict, review_path
from oilspill_desktop.ui.i18n import install_translators
from oilspill_desktop.ui.viewer import ViewerWindow
from oilspill_desktop.ui.viewer.item_model import Column, ItemFilter

from .test_viewer_window import open_window, wait_shown
from .viewer_fixtures import OFFSCREEN_NOISE, ResultsFixture, results

__all__ = ["results"]

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def verdict_cell(window: ViewerWindow, row: int) -> str:
    return str(window.proxy.index(row, Column.VERDICT).data() or "")


def saved(results: ResultsFixture) -> dict[tuple[int, str], tuple[str | None, str]]:
    path = review_path(results.results)
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {(r["member_index"], r["path"]): (r["verdict"], r["note"]) for r in data["reviews"]}


def ready(qtbot, window: ViewerWindow) -> None:
    wait_shown(qtbot, window)
    qtbot.waitUntil(lambda: window.review.available)


def press(qtbot, window: ViewerWindow, key: Qt.Key) -> None:
    qtbot.keyClick(window.table, key)


def test_verdict_keys_note_column_filter_and_restart(qtbot, results: ResultsFixture) -> None:
    window = open_window(qtbot, results.results)
    ready(qtbot, window)
    first, second = results.records[0], results.records[2]
    key_first = (first.member_index, first.path)

    press(qtbot, window, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: saved(results).get(key_first) == ("confirmed_oil", ""))
    qtbot.waitUntil(lambda: verdict_cell(window, 0) == "Confirmed oil")
    assert window.facts.text("verdict") == "Confirmed oil"

    press(qtbot, window, Qt.Key.Key_2)  # a second thought replaces the first
    qtbot.waitUntil(lambda: saved(results).get(key_first) == ("look_alike", ""))

    press(qtbot, window, Qt.Key.Key_N)
    dialog = window.review.note_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue("calm water behind the headland")
    dialog.done(QDialog.DialogCode.Accepted)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(
        lambda: saved(results).get(key_first) == ("look_alike", "calm water behind the headland")
    )
    qtbot.waitUntil(lambda: verdict_cell(window, 0) == "Look-alike ✎")
    assert "calm water" in str(
        window.proxy.index(0, Column.IMAGE).data(Qt.ItemDataRole.ToolTipRole)
    )

    window.select_row(2)
    wait_shown(qtbot, window)
    press(qtbot, window, Qt.Key.Key_3)
    qtbot.waitUntil(
        lambda: saved(results).get((second.member_index, second.path)) == ("unsure", "")
    )

    # an image without oil is not reviewed: the status bar says why, nothing is written
    window.select_row(1)
    wait_shown(qtbot, window)
    press(qtbot, window, Qt.Key.Key_1)
    assert "images with oil" in window.statusBar().currentMessage()
    assert len(saved(results)) == 2

    window.set_item_filter(ItemFilter.UNSURE)
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)
    assert window.current_record().path == second.path
    window.set_item_filter(ItemFilter.NOT_REVIEWED)
    assert [window.proxy.record_at(r).path for r in range(window.proxy.rowCount())] == [
        results.records[4].path
    ]
    window.set_item_filter(ItemFilter.ALL)

    # Delete takes a verdict back (the note stays)
    window.select_row(0)
    wait_shown(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Delete)
    qtbot.waitUntil(
        lambda: saved(results).get(key_first) == (None, "calm water behind the headland")
    )
    window.close()

    # a restart: the verdicts are read back beside the same results zip
    again = open_window(qtbot, results.results)
    ready(qtbot, again)
    qtbot.waitUntil(lambda: verdict_cell(again, 2) == "Unsure")
    assert verdict_cell(again, 0) == "(note only) ✎"


def test_results_zip_is_never_rewritten(qtbot, results: ResultsFixture) -> None:
    before = results.results.read_bytes()
    window = open_window(qtbot, results.results)
    ready(qtbot, window)
    press(qtbot, window, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: len(saved(results)) == 1)
    assert results.results.read_bytes() == before


def test_unreadable_verdicts_file_is_left_alone(qtbot, results: ResultsFixture) -> None:
    path = review_path(results.results)
    path.write_text("not json", encoding="utf-8")
    window = open_window(qtbot, results.results)
    wait_shown(qtbot, window)
    qtbot.waitUntil(lambda: "cannot be read" in window.notice.label.text())
    press(qtbot, window, Qt.Key.Key_1)
    assert "cannot be read" in window.statusBar().currentMessage()
    assert path.read_text(encoding="utf-8") == "not json"


def test_export_report_with_verdicts(qtbot, results: ResultsFixture, tmp_path: Path) -> None:
    sha = json.loads(_report_json(results))["input"]["sha256"]
    ReviewFile.open(results.results, sha).set(
        (results.records[2].member_index, results.records[2].path),
        Verdict.CONFIRMED_OIL,
        "tanker wake",
    )
    window = open_window(qtbot, results.results)
    ready(qtbot, window)
    for name in ("report.html", "report.csv", "report.json"):
        window.reports.export(tmp_path / name)
        qtbot.waitUntil(lambda n=name: window.reports.last_path == tmp_path / n, timeout=10000)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Reviewed: 1 of 3 images with oil." in page
    assert "confirmed oil" in page and "tanker wake" in page
    assert "500 Internal Server Error" in page  # the failed image and its reason
    rows = list(csv.DictReader(io.StringIO((tmp_path / "report.csv").read_text("utf-8-sig"))))
    assert [(r["verdict"], r["note"]) for r in rows if r["verdict"]] == [
        ("confirmed_oil", "tanker wake")
    ]
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["review"]["confirmed_oil"] == 1
    window.reports.export(tmp_path / "plain")  # no suffix: the chosen format's is added
    qtbot.waitUntil(lambda: window.reports.last_path == tmp_path / "plain.html")


def _report_json(results: ResultsFixture) -> str:
    import zipfile

    with zipfile.ZipFile(results.results) as bundle:
        return bundle.read("report.json").decode("utf-8")


@pytest.fixture
def russian(qapp) -> Iterator[None]:
    assert install_translators(qapp, "ru") == "ru"
    yield
    install_translators(qapp, "en")


def test_russian_viewer_counts_and_verdicts(russian, qtbot, results: ResultsFixture) -> None:
    window = open_window(qtbot, results.results)
    ready(qtbot, window)
    assert window.count_label.text() == "5 из 5 снимков · с нефтью 3 · с ошибкой 1"
    window.set_item_filter(ItemFilter.FAILED)
    assert window.count_label.text().startswith("1 из 5 снимков")
    window.set_item_filter(ItemFilter.ALL)
    window.select_row(0)
    wait_shown(qtbot, window)
    press(qtbot, window, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: len(saved(results)) == 1)
    qtbot.waitUntil(lambda: verdict_cell(window, 0) == "Нефть подтверждена")
    qtbot.waitUntil(lambda: window.facts.text("verdict") == "Нефть подтверждена")
    assert window.facts.text("oil_fraction").endswith(" %") and "," in window.facts.text(
        "oil_fraction"
    )
