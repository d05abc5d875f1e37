"""The answer first: how many images hold oil, in the row, the status bar and the notice."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from collections.abc import Iterator

import pytest
from PIL import Image
from PySide6.QtWidgets import QApplication

from oilspill_desktop.ui.i18n import install_translators
from oilspill_desktop.ui.queue_model import Column
from tests.endpoint_server import FakeEndpoint

pytestmark = pytest.mark.gui


def with_open_sea(survey, count: int):
    """Add ``count`` even grey images: nothing in them is darker than the rest."""
    with zipfile.ZipFile(survey, "a") as bundle:
        for i in range(count):
            buffer = io.BytesIO()
            Image.new("L", (64, 64), 180).save(buffer, "PNG")
            bundle.writestr(f"survey/sea_{i}.png", buffer.getvalue())
    return survey


def run_one(qtbot, make_window, write_settings, survey, behaviour: str):
    with FakeEndpoint(behaviour) as endpoint:
        write_settings(engine="http", endpoint=endpoint.url, workers=2, retries=0)
        window = make_window()
        window.showMinimized()
        with qtbot.waitSignal(window.notifier.shown, timeout=15_000) as blocker:
            window.add_paths([survey])
    row = window.model.rows[0]
    with zipfile.ZipFile(row.results_path) as results:
        summary = json.loads(results.read("report.json"))["summary"]
    return window, row, blocker.args, summary


def test_the_row_the_status_bar_and_the_notice_say_how_many_hold_oil(
    qtbot, make_window, make_survey, write_settings
) -> None:
    survey = with_open_sea(make_survey("gulf.zip", 3), 2)
    window, row, notice, summary = run_one(qtbot, make_window, write_settings, survey, "ok")
    assert summary["ok"] == 5 and summary["with_oil"] == 3  # the slicks, not the open sea
    assert row.progress is not None and row.progress.with_oil == 3
    assert row.outcome.with_oil == 3
    counts = window.model.data(window.model.index_of(row, Column.COUNTS))
    assert counts == "5 / 0 / 5  ·  3 with oil"
    text = "gulf.zip: all 5 images done. Oil in 3 images."
    assert list(notice) == ["Job finished", text, "info"]
    assert window.statusBar().currentMessage() == text


def test_no_oil_is_said_plainly(qtbot, make_window, make_survey, write_settings) -> None:
    survey = make_survey("calm.zip", 2)
    window, row, notice, summary = run_one(qtbot, make_window, write_settings, survey, "blank")
    assert summary["with_oil"] == 0 and summary["ok"] == 2
    assert (
        window.model.data(window.model.index_of(row, Column.COUNTS)) == "2 / 0 / 2  ·  0 with oil"
    )
    assert notice[1] == "calm.zip: all 2 images done. No oil found."


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[None]:
    assert install_translators(qapp, "ru") == "ru"
    yield
    install_translators(qapp, "en")


def test_russian_counts_oil_with_its_plurals(
    russian, qtbot, make_window, make_survey, write_settings
) -> None:
    survey = with_open_sea(make_survey("залив.zip", 3), 2)
    window, row, notice, _summary = run_one(qtbot, make_window, write_settings, survey, "ok")
    assert notice[1] == "залив.zip: все 5 снимков обработаны. 3 снимка с нефтью."
    index = window.model.index_of(row, Column.COUNTS)
    for oil, words in ((1, "1 снимок"), (3, "3 снимка"), (5, "5 снимков"), (21, "21 снимок")):
        row.runner.progress.emit(dataclasses.replace(row.progress, with_oil=oil))
        assert window.model.data(index) == f"5 / 0 / 5  ·  {words} с нефтью"
