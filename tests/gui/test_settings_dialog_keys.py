"""The settings dialog's keys and its connection test's countdown, through the real widgets.

Once, Test connection disabled itself, focus went on to Restore Defaults, and Enter reset
every setting without a word. Here Enter means OK whatever has the focus, Restore Defaults
asks first, and a service that accepts the connection and never answers is reported
within the timeouts the form sets, with a countdown and a Cancel meanwhile.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox, QPushButton

from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.ui.connection_panel import DEADLINE_SLACK_S
from oilspill_desktop.ui.connection_test import Verdict
from oilspill_desktop.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui

URL = "http://127.0.0.1:{port}/segment"


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server on 127.0.0.1 that accepts connections, reads nothing and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield URL.format(port=listener.getsockname()[1])
    finally:
        stop.set()
        thread.join(5)
        listener.close()
        for connection in held:
            connection.close()


def refused_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return URL.format(port=probe.getsockname()[1])


def open_dialog(qtbot, settings: Settings) -> SettingsDialog:
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    return dialog


def test_only_ok_is_a_default_button(qtbot) -> None:
    dialog = open_dialog(qtbot, Settings())
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    others = [b for b in dialog.findChildren(QPushButton) if b is not ok]
    assert ok.isDefault()
    assert others and not any(b.isDefault() or b.autoDefault() for b in others)


def test_enter_after_a_connection_test_keeps_the_address_and_means_ok(qtbot) -> None:
    url = refused_url()
    dialog = open_dialog(qtbot, Settings())
    dialog.tabs.setCurrentWidget(dialog.engine_page)
    dialog.engine_page.http_radio.setChecked(True)
    edit = dialog.engine_page.http_box.endpoint_edit
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, url)
    test_button = dialog.connection.test_button
    test_button.setFocus()
    with qtbot.waitSignal(dialog.test_finished, timeout=10_000) as blocker:
        QTest.keyClick(test_button, Qt.Key.Key_Space)  # the keyboard user's click
    assert blocker.args[0].verdict is Verdict.REFUSED
    focused = QApplication.focusWidget()
    assert focused is not None and focused is not dialog.buttons.button(
        QDialogButtonBox.StandardButton.RestoreDefaults
    )
    QTest.keyClick(focused, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    chosen = dialog.settings()
    assert chosen.engine == "http" and chosen.endpoint == url


def answer_question(qtbot, dialog: SettingsDialog, button: QMessageBox.StandardButton) -> None:
    qtbot.waitUntil(lambda: dialog.defaults_question is not None, timeout=5000)
    box = dialog.defaults_question
    assert box is not None
    qtbot.waitExposed(box)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    box.button(button).click()
    qtbot.waitUntil(lambda: dialog.defaults_question is None, timeout=5000)


def test_restore_defaults_asks_first(qtbot) -> None:
    url = "http://10.1.2.3:9000/segment"
    dialog = open_dialog(qtbot, Settings(engine="http", endpoint=url, workers=3))
    dialog.connection.show_result("an old verdict", ok=False)
    restore = dialog.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)

    restore.click()
    answer_question(qtbot, dialog, QMessageBox.StandardButton.Cancel)
    assert dialog.settings().endpoint == url and dialog.settings().workers == 3

    restore.click()
    answer_question(qtbot, dialog, QMessageBox.StandardButton.RestoreDefaults)
    defaults = Settings()
    assert dialog.settings().endpoint == defaults.endpoint
    assert dialog.settings().engine == defaults.engine
    assert dialog.settings().workers == defaults.workers
    assert dialog.connection.test_result.text() == ""  # not the old address's verdict
    assert dialog.isVisible()  # restoring is not OK: nothing is applied yet


def test_a_silent_server_shows_a_countdown_and_can_be_cancelled(qtbot, silent_server) -> None:
    settings = Settings(engine="http", endpoint=silent_server, read_timeout=30.0)
    dialog = open_dialog(qtbot, settings)
    panel = dialog.connection
    qtbot.mouseClick(panel.test_button, Qt.MouseButton.LeftButton)
    assert panel.cancel_button.isVisible() and not panel.test_button.isEnabled()
    qtbot.waitUntil(lambda: "gives up in 0:3" in panel.test_result.text(), timeout=5000)
    probe = panel.probe
    assert probe is not None
    seen = panel.test_result.text()
    qtbot.waitUntil(lambda: panel.test_result.text() != seen, timeout=5000)  # it counts down
    limit = settings.connect_timeout + settings.read_timeout + DEADLINE_SLACK_S
    assert 0 < panel.seconds_left() < limit
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert panel.test_result.text() == "Test cancelled."
    assert panel.test_button.isEnabled() and not panel.cancel_button.isVisible()
    assert probe.finished.wait(5.0)  # the request was cut, the client closed


def test_a_silent_server_is_reported_within_the_timeouts_set(qtbot, silent_server) -> None:
    settings = Settings(
        engine="http", endpoint=silent_server, connect_timeout=0.5, read_timeout=1.5
    )
    dialog = open_dialog(qtbot, settings)
    started = time.monotonic()
    with qtbot.waitSignal(dialog.test_finished, timeout=15_000) as blocker:
        qtbot.mouseClick(dialog.connection.test_button, Qt.MouseButton.LeftButton)
    elapsed = time.monotonic() - started
    assert blocker.args[0].verdict is Verdict.READ_TIMEOUT
    # By the deadline (connect + read + slack) and the event loop's turn on a busy machine;
    # the old dialog said "Testing…" until the default 60 s read timeout ran out.
    assert elapsed <= settings.connect_timeout + settings.read_timeout + DEADLINE_SLACK_S + 3.0
    assert "no answer came within the read timeout" in dialog.connection.test_result.text()
