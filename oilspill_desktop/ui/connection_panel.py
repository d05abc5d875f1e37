"""The "Test connection" button and its verdict, with the probe run on a pool thread.

The probe's :meth:`~.connection_test.ConnectionProbe.run` blocks on the network, so it goes
to a pool through :func:`~oilspill_desktop.scheduling.tasks.run_in_pool`, the app's one way
to work off the GUI thread; the verdict comes back on the GUI thread, and a worker never
touches a widget. Stopping (the dialog closing, a new test) aborts the request in flight
and cancels the task, so the window never waits for a slow service.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ..core.config.settings import Settings
from ..scheduling.pools import named_pool
from ..scheduling.tasks import TaskHandle, run_in_pool
from .connection_test import ConnectionCheck, ConnectionProbe, Verdict, describe

log = logging.getLogger(__name__)

OK_COLOUR = "#2fa36b"
BAD_COLOUR = "#e5484d"
PROBE_THREADS = 2
"""A stopped probe may take a moment to unwind; a new test need not wait for it."""


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
        self.probe: ConnectionProbe | None = None
        """The probe of the test under way, if one is."""
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.start)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.test_result.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_result.setMinimumHeight(self.fontMetrics().height() * 3)
        self.test_result.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # The verdict goes under the button, at the form's full width: it can run to a few
        # sentences (what answered, what it answers, the advice), all of which matter.
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.test_result, 1)

    def start(self) -> None:
        """Check the endpoint in the form without blocking the window."""
        self.stop()
        settings = self._form_settings()
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(self.tr("Testing {url}…").format(url=settings.endpoint))
        probe = self.probe = ConnectionProbe(settings)
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

    def _end(self) -> None:
        self.handle = None
        self.probe = None
        self.test_button.setEnabled(True)

    def _finish(self, check: ConnectionCheck) -> None:
        self._end()
        text = describe(check)
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
