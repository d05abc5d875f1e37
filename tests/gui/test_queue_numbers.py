"""Numbers in the queue as the interface's language writes them, with its plural forms.

A Russian user reads "43,908" as 43.908: the queue's counts, speeds, percentages and the
overall progress follow the interface's locale (QLocale), and each count picks the
plural form its language needs (1 снимок, 3 снимка, 5 снимков, 21 снимок).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from oilspill_desktop.scheduling.job_runner import JobState
from oilspill_desktop.scheduling.progress import JobProgress
from oilspill_desktop.ui.i18n import install_translators
from oilspill_desktop.ui.queue_model import DETAIL_ROLE, Column, JobRow
from tests.endpoint_server import FakeEndpoint

pytestmark = pytest.mark.gui

NBSP = "\u00a0"


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[None]:
    assert install_translators(qapp, "ru") == "ru"
    yield
    install_translators(qapp, "en")


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    assert install_translators(qapp, "en") == "en"
    yield


def running_row(window, *, with_oil: int = 21, resumed: int = 0) -> JobRow:
    progress = JobProgress(
        ok=12_000,
        failed=1_000,
        total=20_000,
        in_flight=2,
        images_per_second=1.5,
        eta_seconds=4_666.0,
        elapsed_seconds=600.0,
        resumed=resumed,
        with_oil=with_oil,
    )
    row = JobRow(
        name="survey.zip",
        source=Path("/data/survey.zip"),
        state=JobState.RUNNING.value,
        progress=progress,
    )
    return window.model.add_row(row)


def cell(window, row: JobRow, column: Column) -> str:
    return str(window.model.index_of(row, column).data())


def test_english_numbers_and_plurals(english, qtbot, make_window) -> None:
    window = make_window()
    row = running_row(window)
    assert cell(window, row, Column.COUNTS) == "12,000 / 1,000 / 20,000  ·  21 with oil"
    assert cell(window, row, Column.RATE) == "1.5"
    assert cell(window, row, Column.ETA) == "1:17:46"
    assert window.view.cells(0)[1].bar.text() == "65%"
    window.presenter.on_overall_progress(13_000, 20_000)
    assert window.overall_label.text() == "13,000 of 20,000 images"
    window.presenter.on_overall_progress(1, 1)
    assert window.overall_label.text() == "1 of 1 image"
    one = running_row(window, with_oil=1, resumed=1)
    assert cell(window, one, Column.COUNTS).endswith("·  1 with oil")
    detail = str(window.model.index_of(one).data(DETAIL_ROLE))
    assert detail == "Resumed: 1 image was already done"


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (1, "1 снимок"),
        (3, "3 снимка"),
        (5, "5 снимков"),
        (21, "21 снимок"),
        (1_000, f"1{NBSP}000 снимков"),
    ],
)
def test_russian_plurals_in_the_row(russian, qtbot, make_window, count: int, words: str) -> None:
    window = make_window()
    row = running_row(window, with_oil=count, resumed=count)
    assert cell(window, row, Column.COUNTS).endswith(f"·  {words} с нефтью")
    detail = str(window.model.index_of(row).data(DETAIL_ROLE))
    assert detail.startswith(f"Продолжено: {words} ")


def test_russian_numbers_follow_the_russian_locale(russian, qtbot, make_window) -> None:
    window = make_window()
    row = running_row(window)
    counts = cell(window, row, Column.COUNTS)
    assert counts.startswith(f"12{NBSP}000 / 1{NBSP}000 / 20{NBSP}000")
    assert cell(window, row, Column.RATE) == "1,5"
    assert window.view.cells(0)[1].bar.text() == "65 %"
    window.presenter.on_overall_progress(13_000, 20_000)
    assert window.overall_label.text() == f"13{NBSP}000 из 20{NBSP}000 снимков"


def test_the_russian_title_writes_the_percent_the_russian_way(
    russian, qtbot, make_window, make_survey, write_settings
) -> None:
    with FakeEndpoint("latency", latency=0.3) as endpoint:
        write_settings(engine="http", endpoint=endpoint.url, workers=1)
        window = make_window()
        window.add_paths([make_survey("море.zip", 4)])
        qtbot.waitUntil(lambda: "% — " in window.windowTitle(), timeout=15_000)
        assert re.fullmatch(r"\d+ % — Oil Spill Desktop", window.windowTitle())
        window.cancel_all()
