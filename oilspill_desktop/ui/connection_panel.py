"""The "Test connection" button and its verdict, with the probe run on a pool thread.

The probe's :meth:`~.connection_test.ConnectionProbe.run` blocks on the network, so it goes
to a pool through :func:`~oilspill_desktop.scheduling.tasks.run_in_pool`, the app's one way
to work off the GUI thread; the verdict comes back on the GUI thread, and a worker never
touches a widget. Stopping (the dialog closing, a new test, Cancel) aborts the request in
flight and cancels the task, so the window never waits for a slow service.

While a test runs the verdict's place shows a countdown to the moment the test gives up:
the probe's limit (for the ML service the connect timeout plus the read timeout of the
form; for the Oil Spill AI server the same within a short overall limit, see
:mod:`.server_connection`), and a second of slack for the worker to come back. A service
that accepts the connection and never answers is reported then, by the panel itself if
the worker has not said so already.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core.config.settings import Settings
from ..scheduling.pools import named_pool
from ..scheduling.tasks import TaskHandle, run_in_pool
from . import formatting
from .connection_test import ConnectionCheck, ConnectionProbe, Verdict
from .server_connection import ServerConnectionProbe, describe_check, make_probe

log = logging.getLogger(__name__)

OK_COLOUR = "#2fa36b"
BAD_COLOUR = "#e5484d"
PROBE_THREADS = 2
"""A stopped probe may take a moment to unwind; a new test need not wait for it."""
DEADLINE_SLACK_S = 1.0
"""Beyond connect + read timeout, for the worker's own verdict to come back first."""
TICK_MS = 250


class ConnectionPanel(QWidget):
    """Runs one connection test at a time with the settings the form shows.

    Signals:
        finished(object): the :class:`ConnectionCheck` of a finished test.
    """

    finished = Signal(object)

    def __init__(self, form_settings: Callable[[], Settings], parent: QWidget | None = None):
        super().__init__(parent)
        self._form_settings = form_settings
        self.handle: TaskHandle | None = None
        """The task of the test under way, if one is."""
        self.probe: ConnectionProbe | ServerConnectionProbe | None = None
        """The probe of the test under way, if one is."""
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel test"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        for button in (self.test_button, self.cancel_button):
            button.setAutoDefault(False)  # Enter in the dialog is for OK, never for these
        self._deadline = 0.0
        """When the test under way gives up (time.monotonic())."""
        self._url = ""
        self._deadline_check: Callable[[], ConnectionCheck] | None = None
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.test_result.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_result.setMinimumHeight(self.fontMetrics().height() * 3)
        self.test_result.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # The verdict goes under the button, at the form's full width: it can run to a few
        # sentences (what answered, what it answers, the advice), all of which matter.
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(buttons)
        column.addWidget(self.test_result, 1)

    def start(self) -> None:
        """Check the endpoint in the form without blocking the window."""
        self.stop()
        settings = self._form_settings()
        focused = self.window().focusWidget() is self.test_button
        self.test_button.setEnabled(False)
        self.cancel_button.show()
        if focused:  # not to the next widget in the chain (it was Restore Defaults once)
            self.cancel_button.setFocus()
        self.test_result.setStyleSheet("")
        probe = self.probe = make_probe(settings)
        self._url = probe.url
        self._deadline = time.monotonic() + probe.limit + DEADLINE_SLACK_S
        self._deadline_check = probe.deadline_check
        handle: TaskHandle | None = None

        def done(check: ConnectionCheck) -> None:
            if handle is self.handle:
                self._finish(check)

        def failed(exc: BaseException) -> None:
            if handle is self.handle:
                log.error("The connection test failed unexpectedly", exc_info=exc)
                self._finish(ConnectionCheck(Verdict.OTHER, probe.url, detail=repr(exc)))

        handle = self.handle = run_in_pool(
            named_pool("connection-test-pool", PROBE_THREADS),
            lambda _handle: probe.run(),
            context=self,
            on_done=done,
            on_error=failed,
            key="connection test",
        )
        self._tick()
        self._ticker.start()

    def stop(self) -> None:
        """Stop a running test: its request is cut and the worker releases the client.

        Its late answer, if any, is dropped: only the test under way may show a verdict.
        """
        handle, probe = self.handle, self.probe
        self._end()
        if probe is not None:
            probe.abort()
        if handle is not None:
            handle.cancel()

    def cancel(self) -> None:
        """The user's Cancel: stop the test and say so."""
        if self.handle is None:
            return
        refocus = self.window().focusWidget() is self.cancel_button
        self.stop()
        if refocus:
            self.test_button.setFocus()
        self.test_result.setStyleSheet("")
        self.test_result.setText(self.tr("Test cancelled."))

    def clear(self) -> None:
        """Stop any test and forget the last verdict (the form now shows other settings)."""
        self.stop()
        self.test_result.setStyleSheet("")
        self.test_result.clear()

    def seconds_left(self) -> float:
        """Seconds before the test under way gives up (0 when none runs)."""
        return max(0.0, self._deadline - time.monotonic()) if self.handle is not None else 0.0

    def _tick(self) -> None:
        """Show the countdown; past the deadline, the test gives up on the service."""
        if self.handle is None:
            return
        left = self.seconds_left()
        if left <= 0:
            given_up = self._deadline_check
            self.stop()
            if given_up is not None:
                self._finish(given_up())
            return
        self.test_result.setText(
            self.tr("Testing {url}… no answer yet; gives up in {time}").format(
                url=self._url, time=formatting.duration(left)
            )
        )

    def _end(self) -> None:
        self.handle = None
        self.probe = None
        self._ticker.stop()
        refocus = self.window().focusWidget() is self.cancel_button
        self.cancel_button.hide()
        self.test_button.setEnabled(True)
        if refocus:
            self.test_button.setFocus()

    def _finish(self, check: ConnectionCheck) -> None:
        self._end()
        text = describe_check(check)
        log.info("Connection test of %s: %s", check.url, text)
        self.show_result(text, ok=check.ok)
        self.finished.emit(check)

    def show_result(self, text: str, *, ok: bool) -> None:
        colour = QColor(OK_COLOUR if ok else BAD_COLOUR)
        self.test_result.setStyleSheet(f"color: {colour.name()};")
        self.test_result.setText(("✓ " if ok else "✗ ") + text)
        self._fit_result()
        QTimer.singleShot(0, self._fit_result)  # again at the width the new layout gives it

    def _fit_result(self) -> None:
        """Make room for the whole verdict: the advice at its end is what the user needs, so
        the label asks for the height its text takes at its width and the dialog grows."""
        base = self.fontMetrics().height() * 3
        needed = self.test_result.heightForWidth(max(1, self.test_result.width()))
        # one line of slack: the width can still shrink a little once the dialog grows
        self.test_result.setMinimumHeight(max(base, needed + self.fontMetrics().height()))
