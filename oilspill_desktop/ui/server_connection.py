""" "Test connection" for the Oil Spill AI server, beside the ML service's test.

The probe itself is the core's :class:`~oilspill_desktop.core.engines.server.probe.ServerProbe`
(one tiny part sent, polled, downloaded and checked as a job would); this module builds
it from the form's settings, turns its outcome into the dialog's :class:`ConnectionCheck`
and words the server's verdicts. :func:`make_probe` and :func:`describe_check` choose
between the two tests by the engine the form shows, so the panel need not know there
are two.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QLocale

from ..core.config.settings import Settings
from ..core.engines.factory import server_api_options
from ..core.engines.server.probe import ProbeOutcome, ServerProbe, probe_limit
from ..core.jobs.cancel import CancelToken
from . import formatting
from .connection_test import (
    ConnectionCheck,
    ConnectionProbe,
    Verdict,
    describe,
    describe_unreached,
    probe_source,
)


class ServerConnectionProbe:
    """One test of the server in the form: :meth:`run` blocks (call it off the GUI thread);
    :meth:`abort` may be called from any thread and makes :meth:`run` end soon."""

    def __init__(self, settings: Settings) -> None:
        self.url = settings.server.strip()
        self.limit = probe_limit(
            settings.connect_timeout, settings.read_timeout, settings.part_timeout_minutes * 60
        )
        """Seconds after which the probe stops waiting for the server's job."""
        self.finished = threading.Event()
        """Set once :meth:`run` has returned and the client is closed."""
        self._cancel = CancelToken()
        self._probe = ServerProbe(
            self.url, server_api_options(settings, stop_when_unreachable=False), limit=self.limit
        )

    def abort(self) -> None:
        """Stop the test: cut the request in flight and let :meth:`run` end."""
        self._cancel.cancel()
        self._probe.abort()

    def deadline_check(self) -> ConnectionCheck:
        """The verdict when the probe has not come back by :attr:`limit` (and a little):
        a request of it hangs within its read timeout."""
        return ConnectionCheck(Verdict.READ_TIMEOUT, self.url, detail="deadline", engine="server")

    def run(self) -> ConnectionCheck:
        """Send the probe and judge what came back; :class:`Cancelled` after :meth:`abort`."""
        try:
            return as_check(self._probe.run(probe_source(), self._cancel), self.url)
        finally:
            self.finished.set()


def make_probe(settings: Settings) -> ConnectionProbe | ServerConnectionProbe:
    """The test of what the form would use: the server, or the (first) ML service."""
    if settings.engine == "server":
        return ServerConnectionProbe(settings)
    return ConnectionProbe(settings)


def as_check(outcome: ProbeOutcome, url: str) -> ConnectionCheck:
    """The probe's outcome as the dialog's verdict (the verdicts share their values)."""
    try:
        verdict = Verdict(outcome.verdict.value)
    except ValueError:
        verdict = Verdict.OTHER
    return ConnectionCheck(
        verdict,
        url,
        status=outcome.status,
        reason=outcome.reason,
        detail=outcome.detail,
        elapsed=outcome.elapsed,
        image_size=outcome.image_size,
        image_format=outcome.image_format,
        service="server" if outcome.ok else None,
        answer="derived" if outcome.ok else None,
        oil_fraction=outcome.oil_fraction,
        engine="server",
        path=outcome.path,
        state=outcome.state,
        limit=outcome.limit,
        expected_size=outcome.expected_size,
    )


def describe_check(check: ConnectionCheck) -> str:
    """The verdict of either test in the user's language."""
    return describe_server(check) if check.engine == "server" else describe(check)


def describe_server(check: ConnectionCheck) -> str:
    """One to three sentences on the server's test: what worked, or what is wrong."""
    verdict = check.verdict
    status = f"{check.status} {check.reason}".strip()
    if verdict is Verdict.OK:
        return _describe_success(check)
    if verdict is Verdict.NOT_BACKEND:
        if check.status is None:
            text = QCoreApplication.translate(
                "ServerConnectionTest",
                "{url} is not an Oil Spill AI server: its answer to the upload is not the "
                "backend's ({detail}). Enter the backend's base address, without /api.",
            )
        else:
            text = QCoreApplication.translate(
                "ServerConnectionTest",
                "{url} is not an Oil Spill AI server: it answered {status} to /api/upload. "
                "Enter the backend's base address (for example http://host:8000), without /api.",
            )
        return text.format(url=check.url, status=status, detail=check.detail)
    if verdict is Verdict.UPLOAD_FAILED:
        return QCoreApplication.translate(
            "ServerConnectionTest",
            "The server failed on the test upload: it answered {status} ({detail}). Its log "
            "should say why.",
        ).format(status=status, detail=check.detail)
    if verdict is Verdict.HTTP_ERROR:
        return QCoreApplication.translate(
            "ServerConnectionTest", "The server answered {status} to {path} ({detail})."
        ).format(status=status, path=check.path, detail=check.detail)
    if verdict is Verdict.STILL_PENDING:
        return QCoreApplication.translate(
            "ServerConnectionTest",
            "The server took the test image, but its job was still {state} after {time}: "
            "no worker finished it. Check that the server's Celery workers and Redis are "
            "running, or allow a longer read timeout.",
        ).format(state=check.state, time=formatting.duration(check.limit))
    return _describe_result(check)


def _describe_result(check: ConnectionCheck) -> str:
    """What is wrong with the job's result (or, for the shared verdicts, the shared words)."""
    verdict = check.verdict
    if verdict is Verdict.JOB_FAILED:
        return QCoreApplication.translate(
            "ServerConnectionTest", "The server's job failed on the test image: {detail}."
        ).format(detail=check.detail.rstrip("."))
    if verdict is Verdict.EMPTY_RESULT:
        return QCoreApplication.translate(
            "ServerConnectionTest",
            "The server finished the job, but its result zip is empty: its ML service "
            "answered nothing for the test image.",
        )
    if verdict is Verdict.NOT_A_ZIP:
        return QCoreApplication.translate(
            "ServerConnectionTest",
            "The server's download is not a zip ({detail}): something else (a proxy, a login "
            "page) answers at this address.",
        ).format(detail=check.detail)
    if verdict is Verdict.WRONG_IMAGE:
        return QCoreApplication.translate(
            "ServerConnectionTest",
            "The server answered for a different image ({detail}): its results could not be "
            "matched to the images sent.",
        ).format(detail=check.detail.rstrip("."))
    if verdict is Verdict.WRONG_SIZE:
        width, height = check.image_size or (0, 0)
        expected_width, expected_height = check.expected_size or (0, 0)
        return QCoreApplication.translate(
            "ServerConnectionTest",
            "The server's answer is {width}×{height} pixels, not the test image's "
            "{expected_width}×{expected_height}: its masks would not fit the images.",
        ).format(
            width=width,
            height=height,
            expected_width=expected_width,
            expected_height=expected_height,
        )
    return describe_unreached(check)  # the verdicts the ML service's test has too


def _describe_success(check: ConnectionCheck) -> str:
    width, height = check.image_size or (0, 0)
    text = QCoreApplication.translate(
        "ServerConnectionTest",
        "Connected to an Oil Spill AI server: the test image went up as a part of its own "
        "and came back annotated ({width}×{height} {format}), found by its name, in {seconds} s.",
    ).format(
        width=width,
        height=height,
        format=check.image_format or "?",
        seconds=QLocale().toString(check.elapsed, "f", 1),
    )
    if check.oil_fraction is None:
        return text
    oil = QCoreApplication.translate("ConnectionTest", "Oil in {percent} % of the test scene.")
    return f"{text} {oil.format(percent=QLocale().toString(check.oil_fraction * 100, 'f', 1))}"
