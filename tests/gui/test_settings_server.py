"""Settings: the Oil Spill AI server engine, from the dialog to the file and back."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from oilspill_desktop.core.config.paths import app_paths

pytestmark = pytest.mark.gui


def test_the_server_engine_goes_from_dialog_to_file_to_a_new_window(qtbot, make_window) -> None:
    window = make_window()
    dialog = window.open_settings()
    qtbot.waitUntil(dialog.isVisible)
    page = dialog.engine_page
    assert not page.server_box.isVisibleTo(dialog)
    page.server_radio.setChecked(True)
    assert page.server_box.isVisibleTo(dialog) and page.server_box.isEnabled()
    assert not page.model_box.isVisibleTo(dialog)
    assert page.http_box.isEnabled()  # the token, timeouts and TLS apply to the server too
    assert page.http_box.connection.isEnabled()  # it tests the server now
    page.server_box.server_edit.setText("http://10.0.0.5:8000")
    page.server_box.part_size_spin.setValue(40)
    page.server_box.part_timeout_spin.setValue(12.5)
    with qtbot.waitSignal(window.settings_changed, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    saved = json.loads(app_paths().settings_file.read_text(encoding="utf-8"))
    assert saved["engine"] == "server"
    assert saved["server"] == "http://10.0.0.5:8000"
    assert saved["part_size"] == 40 and saved["part_timeout_minutes"] == 12.5

    again = make_window()
    second = again.open_settings()
    assert second.engine_page.server_radio.isChecked()
    assert second.engine_page.server_box.server_edit.text() == "http://10.0.0.5:8000"
    assert second.settings() == again.settings
    second.engine_page.model_radio.setChecked(True)
    assert not second.engine_page.server_box.isVisibleTo(second)
    assert second.engine_page.model_box.isVisibleTo(second)
    second.reject()


def test_a_job_on_several_endpoints_resumes_on_the_same_ones() -> None:
    from oilspill_desktop.core.config.settings import Settings
    from oilspill_desktop.ui.window.resume import _with_endpoints

    current = Settings(
        engine="model",
        endpoint="http://a:1/s",
        more_endpoints="http://b:2/s kind=oilspill-ai token=t",
    )
    same = _with_endpoints(current, "http://a:1/s http://b:2/s")
    assert same.engine == "http" and same.more_endpoints == current.more_endpoints
    other = _with_endpoints(current, "http://c:3/s http://d:4/s http://e:5/s")
    assert other.endpoint == "http://c:3/s"
    assert other.more_endpoints == "http://d:4/s\nhttp://e:5/s"


def test_adaptive_concurrency_is_a_setting_of_the_processing_page(qtbot, make_window) -> None:
    window = make_window()
    dialog = window.open_settings()
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.processing_page.adaptive_check.isChecked()  # on by default
    dialog.processing_page.adaptive_check.setChecked(False)
    with qtbot.waitSignal(window.settings_changed, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    saved = json.loads(app_paths().settings_file.read_text(encoding="utf-8"))
    assert saved["adaptive_concurrency"] is False
    again = make_window().open_settings()
    assert not again.processing_page.adaptive_check.isChecked()
    again.reject()
