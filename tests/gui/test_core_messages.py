"""The core's sentences reach the user in the user's language: the viewer's facts and item
list, the queue's row; the English is unchanged where no translation applies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from oilspill_desktop.core.inputs.archive import InputArchive
from oilspill_desktop.core.jobs.job import ReportRows
from oilspill_desktop.core.jobs.record_store import RecordStore
from oilspill_desktop.core.messages import TEMPLATES, Message, say
from oilspill_desktop.core.model import Limits
from oilspill_desktop.scheduling.job_runner import JobState
from oilspill_desktop.ui.core_messages import _sources, record_error, translate
from oilspill_desktop.ui.i18n import install_translators
from oilspill_desktop.ui.queue_model import Column
from oilspill_desktop.ui.viewer.facts import FactsPanel
from oilspill_desktop.ui.viewer.item_model import ItemListModel
from tests import hostile_archives as hostile
from tests.core.test_messages import corrupt_record, sample_params

from .test_main_window import wait_all_final

pytestmark = pytest.mark.gui


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    assert install_translators(qapp, "en") == "en"
    yield


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[None]:
    assert install_translators(qapp, "ru") == "ru"
    yield
    install_translators(qapp, "en")


def test_the_window_knows_every_code_of_the_core() -> None:
    assert set(_sources()) == set(TEMPLATES)


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_the_english_window_says_what_the_report_says(english, code: str) -> None:
    """The window's source strings (and English plural forms) match the core's English."""
    for count in (1, 2, 7):
        message = say(code, **sample_params(code, count))
        assert translate(message) == message.text


def test_unknown_codes_and_plain_sentences_stay_english(russian) -> None:
    assert translate(Message("A newer version's words.", "image.from_the_future")) == (
        "A newer version's words."
    )
    assert translate(Message("Something rare.")) == "Something rare."


def test_russian_plurals_follow_the_count(russian) -> None:
    assert translate(say("job.kept", count=1)).startswith("1 готовый снимок сохранён")
    assert translate(say("job.kept", count=3)).startswith("3 готовых снимка сохранены")
    assert translate(say("job.kept", count=5)).startswith("5 готовых снимков сохранены")


def test_a_corrupt_image_reads_russian_in_the_viewer(russian, qtbot, tmp_path: Path) -> None:
    record, workspace = corrupt_record(tmp_path)
    workspace.journal.close()
    assert record.error_code == "image.undecodable"
    reason = str(record.error_params["reason"])
    expected = f"Снимок не удалось декодировать: {reason}."
    assert record_error(record) == expected
    facts = FactsPanel()
    qtbot.addWidget(facts)
    facts.show_record(record, "model", None)
    assert facts.text("error") == expected
    items = ItemListModel()
    items.set_records([record])
    tooltip = items.data(items.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert expected in tooltip and record.error not in tooltip
    assert record.error.startswith("The image could not be decoded")  # the report's English


def test_a_broken_archive_reads_russian_in_the_queue(
    russian, qtbot, make_window, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"this is not a zip archive at all")
    window = make_window()
    window.add_paths([broken])
    wait_all_final(qtbot, window)
    row = window.model.rows[0]
    assert row.state == JobState.FAILED.value
    assert row.outcome is not None
    assert [note.code for note in row.outcome.notes] == ["zip.not_zip"]
    assert row.outcome.message == "The file “broken.zip” is not a zip archive."
    expected = "Файл «broken.zip» не является zip-архивом."
    tooltip = window.model.data(
        window.model.index_of(row, Column.STATE), Qt.ItemDataRole.ToolTipRole
    )
    assert tooltip == expected
    assert expected in window.statusBar().currentMessage()


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (say("skip.not_image", suffix=".txt"), "не изображение (.txt)"),
        (say("skip.nested_archive"), "вложенный архив; распакуйте его и добавьте отдельно"),
        (say("skip.symlink"), "символическая ссылка"),
        (say("skip.name_parent"), "небезопасное имя: содержит компонент «..»"),
        (say("zip.is_rar", name="a.zip"), "Файл «a.zip» — архив RAR, а не zip-архив."),
        (
            say("output.not_writable", folder="/in", fallback="/data"),
            "В /in нельзя записывать, поэтому результаты сохранены в /data.",
        ),
        (
            say("engine.no_memory", width=64, height=32),
            "Встроенному движку не хватило памяти для этого снимка 64x32.",
        ),
        (
            say("engine.not_http_url", endpoint="'ftp://x'"),
            "Адрес сервиса сегментации 'ftp://x' не является URL вида http:// или https:// "
            "с именем хоста.",
        ),
        (
            say("model.spec_field", where="m.json", detail="input.std values must be above 0."),
            "Описание модели m.json: input.std values must be above 0.",
        ),
    ],
)
def test_the_newly_coded_sentences_read_russian(russian, message: Message, expected: str) -> None:
    """Skip reasons, other kinds of file, results placement, engine and model problems."""
    assert translate(message) == expected
    assert message.text != expected  # the report keeps the English


def test_a_skipped_member_reads_russian_from_its_record(russian, tmp_path: Path) -> None:
    path = hostile.zip_with_members(
        tmp_path / "in.zip", {"notes.txt": b"x", "ok.png": hostile.png_bytes(4, 3)}
    )
    with InputArchive(path, Limits()) as archive:
        [skipped] = [
            r
            for r in ReportRows(archive.members, RecordStore(archive.entry_count))
            if r.path == "notes.txt"
        ]
    assert skipped.error == "not an image (.txt)"
    assert record_error(skipped) == "не изображение (.txt)"
