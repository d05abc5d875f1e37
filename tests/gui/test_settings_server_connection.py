"""Settings → Engine with the Oil Spill AI server chosen: "Test connection" tests the server.

The button is clicked in a real dialog against the fake backend on 127.0.0.1; the probe
runs on the pool, the verdict comes back to the dialog in words.
"""

from __future__ import annotations

import socket
import time

import pytest
from PySide6.QtCore import Qt

from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.ui.connection_test import PROBE_SIZE, ConnectionCheck, Verdict
from oilspill_desktop.ui.settings_dialog import SettingsDialog
from tests.backend_server import FakeBackend

pytestmark = pytest.mark.gui


def server_settings(url: str, **changes) -> Settings:
    return Settings(
        engine="server", server=url, endpoint="http://127.0.0.1:9/segment"
    ).with_changes(**changes)


def click_test(qtbot, settings: Settings) -> tuple[ConnectionCheck, SettingsDialog]:
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.engine_page.server_radio.isChecked()
    assert dialog.connection.test_button.isEnabled()
    with qtbot.waitSignal(dialog.test_finished, timeout=15_000) as blocker:
        qtbot.mouseClick(dialog.connection.test_button, Qt.MouseButton.LeftButton)
        assert not dialog.connection.test_button.isEnabled()
    assert dialog.connection.test_button.isEnabled()
    return blocker.args[0], dialog


def test_the_button_tests_the_server_a_job_would_use(qtbot) -> None:
    with FakeBackend(token="s3cret") as backend:
        check, dialog = click_test(qtbot, server_settings(backend.url, api_token="s3cret"))
        uploads = backend.stats.uploads
    assert check.verdict is Verdict.OK and check.engine == "server"
    assert check.image_size == PROBE_SIZE
    text = dialog.connection.test_result.text()
    assert text.startswith("✓ Connected to an Oil Spill AI server")
    assert f"{PROBE_SIZE[0]}×{PROBE_SIZE[1]} JPEG" in text and "Oil in " in text
    assert len(uploads) == 1 and uploads[0][0].startswith("sar_scene-")


def test_an_address_without_api_upload_is_not_a_server(qtbot) -> None:
    with FakeBackend() as backend:
        check, dialog = click_test(qtbot, server_settings(backend.url + "/api"))
    assert check.verdict is Verdict.NOT_BACKEND
    text = dialog.connection.test_result.text()
    assert "is not an Oil Spill AI server: it answered 404 Not Found to /api/upload" in text


def test_a_refused_connection_names_the_address(qtbot) -> None:
    with socket.socket() as spare:
        spare.bind(("127.0.0.1", 0))
        port = spare.getsockname()[1]
    check, dialog = click_test(qtbot, server_settings(f"http://127.0.0.1:{port}"))
    assert check.verdict is Verdict.REFUSED
    assert f"nothing is listening at 127.0.0.1:{port}" in dialog.connection.test_result.text()


def test_a_job_that_stays_pending_counts_down_and_says_so(qtbot) -> None:
    with FakeBackend(never_finish=True) as backend:
        settings = server_settings(backend.url, connect_timeout=0.5, read_timeout=1.0)
        dialog = SettingsDialog(settings)
        qtbot.addWidget(dialog)
        dialog.show()
        with qtbot.waitSignal(dialog.test_finished, timeout=15_000) as blocker:
            dialog.connection.test_button.click()
            assert dialog.connection.cancel_button.isVisibleTo(dialog)
            shown = dialog.connection.test_result.text()
            assert shown.startswith(f"Testing {backend.url}… no answer yet; gives up in 0:0")
            assert 0 < dialog.connection.seconds_left() <= 1.5 + 1.0
    check: ConnectionCheck = blocker.args[0]
    assert check.verdict is Verdict.STILL_PENDING and check.state == "STARTED"
    text = dialog.connection.test_result.text()
    assert "its job was still STARTED after 0:02" in text and "Celery workers" in text


def test_cancel_stops_a_waiting_test(qtbot) -> None:
    with FakeBackend(never_finish=True) as backend:
        dialog = SettingsDialog(server_settings(backend.url))
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.connection.test_button.click()
        probe = dialog.connection.probe
        assert probe is not None
        qtbot.waitUntil(lambda: backend.stats.status_polls >= 1, timeout=5000)
        started = time.monotonic()
        qtbot.mouseClick(dialog.connection.cancel_button, Qt.MouseButton.LeftButton)
        assert dialog.connection.test_result.text() == "Test cancelled."
        assert probe.finished.wait(3.0)
    assert time.monotonic() - started < 3.0
    assert dialog.connection.test_button.isEnabled()


def test_switching_engines_clears_the_verdict(qtbot) -> None:
    with FakeBackend() as backend:
        check, dialog = click_test(qtbot, server_settings(backend.url))
    assert check.ok and dialog.connection.test_result.text()
    dialog.engine_page.http_radio.setChecked(True)
    assert dialog.connection.test_result.text() == ""
    assert dialog.connection.isEnabled()
    dialog.engine_page.model_radio.setChecked(True)
    assert not dialog.connection.isEnabled()
