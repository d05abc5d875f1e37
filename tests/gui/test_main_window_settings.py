"""Settings: the dialog, the file, a new window; "Test connection"; damaged files; errors."""

from __future__ import annotations

import itertools
import json
import logging
import re
import socket
import threading
import time
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from oilspill_desktop.core.config.paths import app_paths
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.errors import OutputError
from oilspill_desktop.logging_setup import LOG_FILE_NAME, setup_logging
from oilspill_desktop.scheduling.tasks import FunctionTask, TaskSignals
from oilspill_desktop.ui.app import ErrorReporter
from oilspill_desktop.ui.connection_test import PROBE_SIZE, ConnectionCheck, Verdict
from oilspill_desktop.ui.settings_dialog import SettingsDialog
from oilspill_desktop.ui.window import settings as main_window_module
from oilspill_desktop.ui.window.actions import Id
from tests.endpoint_server import FakeEndpoint

pytestmark = pytest.mark.gui

TOKEN = "tok-9f8e7d6c5b4a"


def test_settings_go_from_dialog_to_file_to_a_new_window(
    qtbot, make_window, tmp_path: Path
) -> None:
    window = make_window()
    dialog = window.open_settings()
    qtbot.waitUntil(dialog.isVisible)
    dialog.engine_page.http_radio.setChecked(True)
    dialog.engine_page.http_box.endpoint_edit.setText("http://127.0.0.1:8123/segment")
    dialog.engine_page.http_box.token_edit.setText(TOKEN)
    dialog.engine_page.http_box.read_timeout_spin.setValue(42.5)
    dialog.engine_page.http_box.retries_spin.setValue(5)
    dialog.processing_page.workers_spin.setValue(3)
    dialog.processing_page.concurrent_spin.setValue(2)
    dialog.general_page.folder_radio.setChecked(True)
    dialog.general_page.output_folder_edit.setText(str(tmp_path / "results"))
    dialog.processing_page.max_pixels_spin.setValue(12.5)
    dialog.processing_page.large_scene_spin.setValue(200.0)
    dialog.general_page.language_box.setCurrentIndex(
        dialog.general_page.language_box.findData("ru")
    )
    dialog.engine_page.http_box.send_mode_box.setCurrentIndex(
        dialog.engine_page.http_box.send_mode_box.findData("original")
    )
    with qtbot.waitSignal(window.settings_changed, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    saved = json.loads(app_paths().settings_file.read_text(encoding="utf-8"))
    assert saved["engine"] == "http"
    assert saved["endpoint"] == "http://127.0.0.1:8123/segment"
    assert saved["read_timeout"] == 42.5
    assert saved["workers"] == 3 and saved["concurrent_jobs"] == 2
    assert saved["output_mode"] == "folder"
    assert saved["limits"]["max_pixels"] == 12_500_000
    assert saved["limits"]["large_scene_pixels"] == 200_000_000
    assert saved["limits"]["max_scene_windows"] == 4096  # not on the page: kept as it was
    assert saved["language"] == "ru"
    assert saved["send_mode"] == "original"

    again = make_window()
    assert again.settings == window.settings
    assert again.settings.api_token == TOKEN
    second = again.open_settings()
    assert second.settings() == again.settings
    assert second.processing_page.large_scene_spin.value() == 200.0
    assert second.engine_page.http_box.isEnabled()
    second.reject()

    again.log_dock.flush()
    assert all(TOKEN not in line.message for line in again.log_dock.model.lines)
    assert all(TOKEN not in line.message for line in window.log_dock.model.lines)


def test_cancelled_dialog_changes_nothing(qtbot, make_window) -> None:
    window = make_window()
    dialog = window.open_settings()
    dialog.processing_page.workers_spin.setValue(17)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert window.settings.workers == Settings().workers
    assert not app_paths().settings_file.exists()


def test_settings_are_saved_off_the_gui_thread(qtbot, make_window, monkeypatch) -> None:
    """The keyring may take its time (D-Bus, an unlock prompt): the window must not wait."""
    savers: list[str] = []
    real_save = main_window_module.save_settings_with_token

    def spying_save(settings: Settings, path: Path) -> None:
        savers.append(threading.current_thread().name)
        real_save(settings, path)

    monkeypatch.setattr(main_window_module, "save_settings_with_token", spying_save)
    window = make_window()
    with qtbot.waitSignal(window.settings_changed, timeout=5000):
        window.apply_settings(window.settings.with_changes(retries=7))
    assert len(savers) == 1 and savers[0] != threading.main_thread().name
    saved = json.loads(app_paths().settings_file.read_text(encoding="utf-8"))
    assert saved["retries"] == 7


def test_a_failed_save_keeps_the_settings_in_use_and_says_so(
    qtbot, make_window, monkeypatch
) -> None:
    def refuse(settings: Settings, path: Path) -> None:
        raise OutputError(f"Cannot write {path}: the disk is full.")

    monkeypatch.setattr(main_window_module, "save_settings_with_token", refuse)
    window = make_window()
    changed: list[Settings] = []
    window.settings_changed.connect(changed.append)
    window.apply_settings(window.settings.with_changes(workers=5))
    assert window.settings.workers == 5  # in use at once, for this session
    qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    assert "could not be saved" in window.banner.text and "disk is full" in window.banner.text
    assert changed == []
    assert not app_paths().settings_file.exists()


def test_a_task_whose_window_is_gone_ends_quietly(qtbot) -> None:
    """A save (or any task) that ends after its window closed has nobody to report to."""
    holder = TaskSignals()
    task = FunctionTask(lambda: 42, holder, "late")
    task.setAutoDelete(False)
    shiboken6.delete(holder)
    task.run()  # must not raise in the pool thread


def test_window_geometry_is_restored(qtbot, make_window) -> None:
    window = make_window()
    window.resize(720, 530)
    window.guard.close_confirmed = True
    assert window.close()
    again = make_window()
    assert (again.width(), again.height()) == (720, 530)


def test_damaged_settings_are_kept_aside_and_defaults_used(qtbot, make_window) -> None:
    path = app_paths().ensure().settings_file
    path.write_text('{"engine": "http", "endpoint": ', encoding="utf-8")
    window = make_window()
    assert window.settings == Settings()
    assert window.banner.isVisible()
    assert "could not be read" in window.banner.text
    backups = list(path.parent.glob("settings.json.corrupt-*"))
    assert len(backups) == 1
    assert backups[0].read_text(encoding="utf-8").startswith('{"engine"')


def test_the_token_never_reaches_the_log_file(qtbot, make_window, write_settings) -> None:
    log_file = setup_logging(app_paths().ensure().log_dir)
    try:
        write_settings(engine="http", endpoint="http://127.0.0.1:9/segment", api_token=TOKEN)
        window = make_window()
        logging.getLogger("oilspill_desktop.test").warning("header was Bearer %s", TOKEN)
        with qtbot.waitSignal(window.settings_changed, timeout=5000):
            window.apply_settings(window.settings.with_changes(retries=1))
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = log_file.read_text(encoding="utf-8")
        assert "header was Bearer ***" in text
        assert TOKEN not in text
        assert log_file.name == LOG_FILE_NAME
    finally:
        logging.captureWarnings(False)
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "_oilspill", False):
                logging.getLogger().removeHandler(handler)
                handler.close()


# -- Test connection ---------------------------------------------------------------------


def run_connection_test(qtbot, settings: Settings) -> tuple[ConnectionCheck, SettingsDialog]:
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.connection.test_button.isEnabled()
    with qtbot.waitSignal(dialog.test_finished, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.connection.test_button, Qt.MouseButton.LeftButton)
        assert not dialog.connection.test_button.isEnabled()  # busy, yet the window is alive
    assert dialog.connection.test_button.isEnabled()
    return blocker.args[0], dialog


def http_settings(url: str, **changes) -> Settings:
    return Settings(engine="http", endpoint=url).with_changes(**changes)


def test_connection_ok_against_a_generic_mask_endpoint(qtbot) -> None:
    with FakeEndpoint("ok") as endpoint:
        check, dialog = run_connection_test(qtbot, http_settings(endpoint.url, api_token=TOKEN))
        received = endpoint.received
    assert check.verdict is Verdict.OK
    assert (check.service, check.detected, check.answer) == ("generic", True, "mask")
    assert check.image_size == PROBE_SIZE and check.image_format == "PNG"
    assert check.oil_fraction is not None and 0.005 < check.oil_fraction < 0.5
    text = dialog.connection.test_result.text()
    assert text.startswith("✓ Connected to a generic segmentation service")
    assert "It answers masks" in text
    # One request, sent as a job sends it: field, token, a unique name of its own.
    assert len(received) == 1
    assert received[0].field_name == "file"
    assert received[0].content_type == "image/png"
    assert received[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert re.fullmatch(r"sar_scene-[0-9a-f]{12}\.png", received[0].filename or "")


def test_two_tests_send_different_upload_names(qtbot) -> None:
    with FakeEndpoint("classes") as endpoint:
        first, dialog = run_connection_test(qtbot, http_settings(endpoint.url))
        with qtbot.waitSignal(dialog.test_finished, timeout=10_000):
            dialog.connection.start()
        names = [r.filename for r in endpoint.received]
    assert first.answer == "classes"
    assert "It answers 5-class masks" in dialog.connection.test_result.text()
    assert len(set(names)) == 2


def test_connection_finds_the_oilspill_ai_service(qtbot) -> None:
    with FakeEndpoint("oilspill_ai") as endpoint:
        check, dialog = run_connection_test(qtbot, http_settings(endpoint.url))
        received = endpoint.received
    assert check.verdict is Verdict.OK
    assert (check.service, check.detected, check.answer) == ("oilspill-ai", True, "derived")
    assert check.oil_fraction is not None and check.oil_fraction > 0.005
    text = dialog.connection.test_result.text()
    assert "Oil Spill AI ML service (found automatically" in text
    assert "annotated pictures, masks derived" in text
    # auto: the PNG failed with FastAPI's plain 500, the same scene as JPEG was answered.
    assert [r.content_type for r in received] == ["image/png", "image/jpeg"]
    assert (received[1].filename or "").endswith(".jpg")


def test_connection_to_the_oilspill_ai_kind_sends_one_jpeg(qtbot) -> None:
    with FakeEndpoint("oilspill_ai") as endpoint:
        check, dialog = run_connection_test(
            qtbot, http_settings(endpoint.url, endpoint_kind="oilspill-ai")
        )
        received = endpoint.received
    assert (check.service, check.detected, check.answer) == ("oilspill-ai", False, "derived")
    text = dialog.connection.test_result.text()
    assert "Oil Spill AI ML service (sent as JPEG named .jpg)" in text
    assert len(received) == 1
    assert received[0].content_type == "image/jpeg"
    assert re.fullmatch(r"sar_scene-[0-9a-f]{12}\.jpg", received[0].filename or "")
    assert received[0].content.startswith(b"\xff\xd8\xff")


def test_the_generic_kind_reports_the_oilspill_ai_service_failing(qtbot) -> None:
    """Told "generic", the test sends the PNG a job would send, and the service's 500 shows."""
    with FakeEndpoint("oilspill_ai") as endpoint:
        check, dialog = run_connection_test(
            qtbot, http_settings(endpoint.url, endpoint_kind="generic")
        )
    assert check.verdict is Verdict.HTTP_ERROR and check.status == 500
    text = dialog.connection.test_result.text()
    assert "500 Internal Server Error (Internal Server Error)" in text


def test_connection_refused(qtbot) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    check, dialog = run_connection_test(qtbot, http_settings(f"http://127.0.0.1:{port}/segment"))
    assert check.verdict is Verdict.REFUSED
    assert f"Connection refused: nothing is listening at 127.0.0.1:{port}" in (
        dialog.connection.test_result.text()
    )


def test_connection_404(qtbot) -> None:
    with FakeEndpoint("ok") as endpoint:
        check, dialog = run_connection_test(qtbot, http_settings(endpoint.base_url + "/predict"))
    assert check.verdict is Verdict.NOT_FOUND
    assert check.status == 404
    assert "404 Not Found" in dialog.connection.test_result.text()


def test_connection_500(qtbot) -> None:
    with FakeEndpoint("status", status=500) as endpoint:
        check, dialog = run_connection_test(qtbot, http_settings(endpoint.url, retries=5))
        requests = endpoint.requests
    assert check.verdict is Verdict.HTTP_ERROR and check.status == 500
    assert requests == 1  # one attempt, whatever the job's retries
    assert "Status 500 on purpose" in dialog.connection.test_result.text()


def test_connection_not_an_image(qtbot) -> None:
    with FakeEndpoint("not_image", not_image_type="text/html") as endpoint:
        check, dialog = run_connection_test(qtbot, http_settings(endpoint.url))
    assert check.verdict is Verdict.NOT_IMAGE
    assert check.content_type.startswith("text/html")
    text = dialog.connection.test_result.text()
    assert "instead of an image" in text and "Welcome" in text


def test_connection_unreadable_image(qtbot) -> None:
    with FakeEndpoint("truncated") as endpoint:
        check, dialog = run_connection_test(qtbot, http_settings(endpoint.url))
    assert check.verdict is Verdict.UNREADABLE_IMAGE
    assert "not a readable picture" in dialog.connection.test_result.text()


def test_connection_timeout(qtbot) -> None:
    with FakeEndpoint("latency", latency=5.0) as endpoint:
        check, dialog = run_connection_test(qtbot, http_settings(endpoint.url, read_timeout=0.3))
    assert check.verdict is Verdict.READ_TIMEOUT
    assert "no answer came within the read timeout" in dialog.connection.test_result.text()


def test_connection_bad_address(qtbot) -> None:
    check, _ = run_connection_test(qtbot, http_settings("ftp://example/segment"))
    assert check.verdict is Verdict.BAD_URL


def test_closing_the_dialog_stops_a_running_test(qtbot) -> None:
    with FakeEndpoint("latency", latency=5.0) as endpoint:
        dialog = SettingsDialog(http_settings(endpoint.url))
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.connection.start()
        task, probe = dialog.connection.handle, dialog.connection.probe
        assert task is not None and probe is not None
        qtbot.waitUntil(lambda: endpoint.requests == 1, timeout=5000)  # request in flight
        started = time.monotonic()
        dialog.close()
        qtbot.waitUntil(probe.finished.is_set, timeout=5000)
        assert task.cancelled
        # The request was cut and the worker closed the client, long before the answer.
        assert probe.finished.wait(3.0)
        assert time.monotonic() - started < 3.0


def test_the_test_runs_off_the_gui_thread(qtbot) -> None:
    """While the endpoint takes its time the GUI thread keeps turning its event loop."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    try:
        with FakeEndpoint("latency", latency=0.6) as endpoint:
            check, _ = run_connection_test(qtbot, http_settings(endpoint.url))
    finally:
        timer.stop()
    assert check.ok
    assert len(ticks) >= 10
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.3


def test_the_endpoint_kind_is_loaded_chosen_and_saved(qtbot, make_window) -> None:
    window = make_window()
    with qtbot.waitSignal(window.settings_changed, timeout=5000):
        window.apply_settings(window.settings.with_changes(endpoint_kind="generic"))
    dialog = window.open_settings()
    qtbot.waitUntil(dialog.isVisible)
    box = dialog.engine_page.http_box.endpoint_kind_box
    assert box.currentData() == "generic"
    assert [box.itemData(i) for i in range(box.count())] == ["auto", "generic", "oilspill-ai"]
    assert box.itemText(2) == "Oil Spill AI service (JPEG named .jpg)"
    assert "JPEG named .jpg" in box.itemData(2, Qt.ItemDataRole.ToolTipRole)
    dialog.engine_page.http_radio.setChecked(True)
    box.setCurrentIndex(box.findData("oilspill-ai"))
    assert dialog.settings().endpoint_kind == "oilspill-ai"
    with qtbot.waitSignal(window.settings_changed, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    saved = json.loads(app_paths().settings_file.read_text(encoding="utf-8"))
    assert saved["endpoint_kind"] == "oilspill-ai"
    assert window.settings.endpoint_kind == "oilspill-ai"
    again = SettingsDialog(window.settings)
    qtbot.addWidget(again)
    assert again.engine_page.http_box.endpoint_kind_box.currentData() == "oilspill-ai"
    again.restore_defaults()
    assert again.engine_page.http_box.endpoint_kind_box.currentData() == "auto"


# -- help and errors -------------------------------------------------------------------------


def test_f1_opens_help(qtbot, make_window) -> None:
    window = make_window()
    assert window.registry[Id.HELP].shortcut().toString() == "F1"
    window.registry[Id.HELP].trigger()
    assert window.dialogs.help is not None and window.dialogs.help.isVisible()


def test_unexpected_exception_is_logged_and_shown(qtbot, monkeypatch, caplog) -> None:
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    reporter = ErrorReporter(Path("/tmp/oilspill-desktop.log"))
    try:
        raise ValueError("boom in a slot")
    except ValueError as exc:
        with caplog.at_level(logging.CRITICAL):
            reporter._excepthook(type(exc), exc, exc.__traceback__)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=5000)
    assert "ValueError: boom in a slot" in shown[0].text()
    assert "boom in a slot" in shown[0].detailedText()
    assert any(r.levelno == logging.CRITICAL for r in caplog.records)


def test_run_in_pool_reports_each_ending_on_the_gui_thread(qtbot) -> None:
    """Done, failed and cancelled tasks each call exactly their own callback."""
    from PySide6.QtCore import QObject, QThreadPool

    from oilspill_desktop.core.errors import Cancelled
    from oilspill_desktop.scheduling.tasks import TaskHandle, run_in_pool

    owner = QObject()
    pool = QThreadPool()
    heard: list[object] = []

    def cancelled_inside(handle: TaskHandle) -> None:
        raise Cancelled("stop")

    def fail(_handle: TaskHandle) -> None:
        raise ValueError("broken")

    run_in_pool(pool, lambda h: 42, context=owner, on_done=heard.append)
    run_in_pool(pool, fail, context=owner, on_done=heard.append, on_error=heard.append)
    run_in_pool(
        pool,
        cancelled_inside,
        context=owner,
        on_done=heard.append,
        on_cancelled=lambda: heard.append("cancelled"),
    )
    qtbot.waitUntil(lambda: len(heard) == 3, timeout=5000)
    assert 42 in heard and "cancelled" in heard
    errors = [h for h in heard if isinstance(h, ValueError)]
    assert len(errors) == 1 and str(errors[0]) == "broken"
    assert pool.waitForDone(5000)


def test_english_status_bar_says_image_and_images(qtbot, make_window) -> None:
    window = make_window()
    window.presenter.on_overall_progress(1, 1)
    assert window.overall_label.text() == "1 of 1 image"
    window.presenter.on_overall_progress(5, 33)
    assert window.overall_label.text() == "5 of 33 images"


def test_the_overlays_are_loaded_chosen_and_saved(qtbot, make_window) -> None:
    window = make_window()
    dialog = window.open_settings()
    qtbot.waitUntil(dialog.isVisible)
    box = dialog.general_page.overlays_box
    assert box.currentData() == "jpeg"  # the default
    assert [box.itemData(i) for i in range(box.count())] == ["jpeg", "png", "none"]
    box.setCurrentIndex(box.findData("none"))
    with qtbot.waitSignal(window.settings_changed, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    saved = json.loads(app_paths().settings_file.read_text(encoding="utf-8"))
    assert saved["overlays"] == "none"
    assert window.settings.overlays == "none"
    again = SettingsDialog(window.settings)
    qtbot.addWidget(again)
    assert again.general_page.overlays_box.currentData() == "none"
    again.restore_defaults()
    assert again.general_page.overlays_box.currentData() == "jpeg"
