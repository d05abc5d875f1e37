"""The Russian translation: complete, compiled, found at run time, and used by the window."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from oilspill_desktop.core.config.resources import resources_root
from oilspill_desktop.ui.i18n import catalogue_path, install_translators, resolve_language
from oilspill_desktop.ui.window.actions import Id

pytestmark = pytest.mark.gui


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[None]:
    assert install_translators(qapp, "ru") == "ru"
    yield
    install_translators(qapp, "en")


def test_every_message_is_translated() -> None:
    tree = ET.parse(resources_root() / "i18n" / "oilspill_desktop_ru.ts")
    messages = list(tree.getroot().iter("message"))
    assert len(messages) > 200
    for message in messages:
        translation = message.find("translation")
        assert translation is not None
        source = message.findtext("source")
        assert translation.get("type") not in ("unfinished", "vanished", "obsolete"), source
        forms = [f.text for f in translation.findall("numerusform")]
        if message.get("numerus") == "yes":
            assert len(forms) == 3 and all(forms), source
        else:
            assert translation.text, source
        for placeholder in ("{name}", "{path}", "{count}", "{reason}", "{detail}", "%n", "%Ln"):
            if placeholder in (source or ""):
                texts = forms or [translation.text or ""]
                assert all(placeholder in t for t in texts), (source, placeholder)


def test_compiled_catalogues_are_shipped() -> None:
    for language in ("ru", "en"):
        assert catalogue_path(language).is_file()


def test_language_follows_the_setting_then_the_system() -> None:
    assert resolve_language("ru", QLocale("en_US")) == "ru"
    assert resolve_language("system", QLocale("ru_RU")) == "ru"
    assert resolve_language("system", QLocale("de_DE")) == "en"
    assert resolve_language("en", QLocale("ru_RU")) == "en"


def test_the_window_speaks_russian(russian, qtbot, make_window, make_survey) -> None:
    window = make_window()
    assert window.drop_area._title.text() == "Перетащите сюда архивы съёмок"
    assert window.registry[Id.SETTINGS].text() == "&Настройки…"
    with qtbot.waitSignal(window.job_finished, timeout=15_000):
        window.add_paths([make_survey("море.zip", 3)])
    assert window.statusBar().currentMessage().startswith("море.zip: все 3 снимка обработаны. ")
    assert window.summary_label.text().startswith("1 задание")
    assert window.model.headerData(0, Qt.Orientation.Horizontal) == "Архив"
