"""The learned engine in the window: choosing a model in Settings, Help → About Models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QTextBrowser

from oilspill_desktop.core.config.paths import app_paths
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.ui.models_dialog import ModelsDialog
from oilspill_desktop.ui.settings_dialog import SettingsDialog
from oilspill_desktop.ui.window.actions import Id
from tests.onnx_models import dark_is_oil_model

pytestmark = pytest.mark.gui


def test_the_dialog_offers_three_engines_with_the_model_first(qtbot) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert dialog.engine_page.model_radio.isChecked()
    assert dialog.engine_page.model_box.isEnabled() and not dialog.engine_page.http_box.isEnabled()
    assert "bundled model" in dialog.engine_page.model_box.model_info.text()
    dialog.engine_page.classical_radio.setChecked(True)
    assert not dialog.engine_page.model_box.isEnabled()
    assert dialog.settings().engine == "classical"


def test_a_users_model_is_described_and_saved(qtbot, make_window, tmp_path: Path) -> None:
    model = dark_is_oil_model(tmp_path / "mine.onnx")
    window = make_window()
    dialog = window.open_settings()
    qtbot.waitUntil(dialog.isVisible)
    dialog.engine_page.model_box.model_edit.setText(str(model))
    dialog.engine_page.model_box.model_edit.editingFinished.emit()
    info = dialog.engine_page.model_box.model_info
    qtbot.waitUntil(lambda: "test-model: 32×32 tiles" in info.text())  # read on a worker
    assert "oil is class “oil”" in info.text()
    with qtbot.waitSignal(window.settings_changed, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    saved = json.loads(app_paths().settings_file.read_text(encoding="utf-8"))
    assert saved["engine"] == "model"
    assert saved["model_path"] == str(model)


def test_a_broken_description_is_shown_before_any_job_runs(qtbot, tmp_path: Path) -> None:
    model = dark_is_oil_model(tmp_path / "mine.onnx")
    model.with_suffix(".json").write_text('{"format": 1}', encoding="utf-8")
    dialog = SettingsDialog(Settings(model_path=str(model)))
    qtbot.addWidget(dialog)
    info = dialog.engine_page.model_box.model_info
    qtbot.waitUntil(lambda: "'input' must be an object" in info.text())  # read on a worker


def test_about_models_shows_the_model_card_with_its_measured_figures(qtbot, make_window) -> None:
    window = make_window()
    window.registry[Id.ABOUT_MODELS].trigger()
    dialog = window.findChild(ModelsDialog)
    assert dialog is not None and dialog.tabs.count() == 1
    card = dialog.tabs.widget(0)
    assert isinstance(card, QTextBrowser)
    qtbot.waitUntil(lambda: "Model card: oil-unet-lite" in card.toPlainText())  # on a worker
    text = card.toPlainText()
    assert "Figures on the held-out part" in text
    assert "Sentinel-1" in text and "ALOS PALSAR" in text
    assert "Known failure modes" in text
    dialog.close()


def test_about_models_describes_a_users_model_from_its_sidecar(qtbot, tmp_path: Path) -> None:
    model = dark_is_oil_model(tmp_path / "mine.onnx")
    dialog = ModelsDialog(Settings(model_path=str(model)))
    qtbot.addWidget(dialog)
    assert dialog.tabs.count() == 2
    card = dialog.tabs.widget(1)
    qtbot.waitUntil(lambda: '"oil_class": 1' in card.toPlainText())  # read on a worker
    assert "mine.onnx" in card.toPlainText()


def test_about_models_says_why_a_users_model_has_no_description(qtbot, tmp_path: Path) -> None:
    model = dark_is_oil_model(tmp_path / "mine.onnx")
    model.with_suffix(".json").write_text("{not json", encoding="utf-8")
    dialog = ModelsDialog(Settings(model_path=str(model)))
    qtbot.addWidget(dialog)
    card = dialog.tabs.widget(1)
    qtbot.waitUntil(lambda: "could not be read" in card.toPlainText())
    assert "mine.onnx" in card.toPlainText() and "Expecting property name" in card.toPlainText()
