"""The band of multi-band radar TIFFs is a setting: the dialog saves it and shows it again."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from oilspill_desktop.core.config.paths import app_paths

pytestmark = pytest.mark.gui


def test_the_band_goes_from_the_dialog_to_the_file_and_back(qtbot, make_window) -> None:
    window = make_window()
    dialog = window.open_settings()
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.processing_page.band_spin.value() == 1
    dialog.processing_page.band_spin.setValue(2)
    with qtbot.waitSignal(window.settings_changed, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    saved = json.loads(app_paths().settings_file.read_text(encoding="utf-8"))
    assert saved["limits"]["band"] == 2
    again = make_window()
    assert again.settings.limits.band == 2
    second = again.open_settings()
    assert second.processing_page.band_spin.value() == 2
    second.reject()
