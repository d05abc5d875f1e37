"""An item's warnings reach a Russian user in Russian: the viewer's facts and item list,
and the report.html a Russian window writes, whose reasons are Russian too; report.json
keeps the English, and a warning without a code (an old journal) stays English."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from oilspill_desktop.core.messages import Message, plain, say
from oilspill_desktop.core.model import ItemRecord, ItemStatus
from oilspill_desktop.tools.synthetic import synthetic_scene
from oilspill_desktop.ui.core_messages import record_warnings, translate
from oilspill_desktop.ui.i18n import install_translators
from oilspill_desktop.ui.viewer.facts import FactsPanel
from oilspill_desktop.ui.viewer.item_model import ItemListModel, note_text
from tests import hostile_archives as hostile

from .test_main_window import wait_all_final

pytestmark = pytest.mark.gui

MULTILOOKED_RU = (
    "Сцена 12000x9000 перед сегментацией усреднена по 3x3 пикселей (многовзглядовая "
    "обработка), поэтому пятна уже этого не различаются."
)


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[None]:
    assert install_translators(qapp, "ru") == "ru"
    yield
    install_translators(qapp, "en")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (say("warn.tiff_pages", count=3), "В TIFF 3 страницы; использована только первая."),
        (say("warn.tiff_pages", count=5), "В TIFF 5 страниц; использована только первая."),
        (
            say("warn.band_used_named", band=2, label="VH", bands=2),
            "Использован канал 2 (VH) из 2.",
        ),
        (
            say("warn.nodata", share="4"),
            "В 4% пикселей нет данных; они показаны чёрным.",
        ),
        (
            say("warn.scene_windows", width=20000, height=20000, count=9),
            "Сцена 20000x20000 сегментирована по частям: 9 окон.",
        ),
        (say("warn.multilooked", width=12000, height=9000, factor=3), MULTILOOKED_RU),
    ],
)
def test_warnings_read_russian(russian, message: Message, expected: str) -> None:
    assert translate(message) == expected
    assert message.text != expected  # the report keeps the English


def test_a_russian_viewer_shows_an_items_warnings_in_russian(russian, qtbot) -> None:
    record = ItemRecord(
        path="scene.tif",
        status=ItemStatus.OK,
        member_index=0,
        oil_fraction=0.01,
        warnings=[
            say("warn.multilooked", width=12000, height=9000, factor=3),
            plain("A warning from an older journal."),  # no code: shown as it is
        ],
    )
    assert record_warnings(record) == [MULTILOOKED_RU, "A warning from an older journal."]
    facts = FactsPanel()
    qtbot.addWidget(facts)
    facts.show_record(record, "classical", None)
    assert facts.text("warnings") == f"{MULTILOOKED_RU}\nA warning from an older journal."
    items = ItemListModel()
    items.set_records([record])
    tooltip = items.data(items.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert MULTILOOKED_RU in tooltip and record.warnings[0].text not in tooltip
    assert note_text(record) == MULTILOOKED_RU


def test_a_russian_windows_report_html_has_russian_reasons_and_warnings(
    russian, qtbot, make_window, write_settings, tmp_path: Path
) -> None:
    write_settings(engine="classical", language="ru", workers=1)
    scene = synthetic_scene(96, 96, seed=5, slicks=2)
    pages = [(hostile.gradient(8, 8, "L"), 0), (hostile.gradient(8, 8, "L"), 0)]
    archive = hostile.zip_with_members(
        tmp_path / "survey.zip",
        {
            "broken.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
            "pages.tif": hostile.tiff_from_array(np.asarray(scene.image), more_pages=pages),
        },
    )
    window = make_window()
    window.add_paths([archive])
    wait_all_final(qtbot, window)
    row = window.model.rows[0]
    assert row.results_path is not None
    with zipfile.ZipFile(row.results_path) as results:
        page = results.read("report.html").decode("utf-8")
        items = {i["path"]: i for i in json.loads(results.read("report.json"))["items"]}
    assert '<html lang="ru">' in page
    assert "Снимок не удалось декодировать" in page  # the failed image's reason
    assert "could not be decoded" not in page
    assert items["broken.png"]["error"].startswith("The image could not be decoded")
    pages_item = items["pages.tif"]
    assert pages_item["warnings"] == ["The TIFF holds 3 pages; only the first is used."]
    assert pages_item["warning_codes"] == [{"code": "warn.tiff_pages", "params": {"count": 3}}]
    assert pages_item["oil_pixels"] > 0  # an image with oil is listed, with its warnings
    assert "В TIFF 3 страницы; использована только первая." in page
    assert "The TIFF holds" not in page
