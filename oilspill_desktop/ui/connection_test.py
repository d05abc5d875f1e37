""" "Test connection": one image through the very code a job uses, and a precise verdict.

A test that spoke HTTP on its own could pass while jobs fail (another upload name, another
format, another reading of the answer). So this builds the job's engine from the form's
settings (:func:`~oilspill_desktop.core.engines.factory.create_engine`, an
:class:`~oilspill_desktop.core.engines.http_engine.HttpEngine`), sends it a small synthetic
SAR scene with a dark slick decoded as a job decodes a member (so it gets a unique upload
name, and JPEG named ``.jpg`` for the Oil Spill AI kind), and reads the answer with
:func:`~oilspill_desktop.core.engines.answers.interpret_answer` given the picture sent, so an
annotated answer is recognised and its mask derived as in a job. Failures are the
engine's own :class:`~oilspill_desktop.core.engines.http_engine.EndpointError`, whose verdict
and facts are only worded here.

The test makes one attempt (no retries, no waiting out an outage) so its verdict comes in
seconds; ``auto`` may still send the image a second time as JPEG, as a job would, and that
is how it finds an Oil Spill AI service.

The blocking :meth:`ConnectionProbe.run` runs on a pool thread
(:func:`~oilspill_desktop.scheduling.tasks.run_in_pool`, as all work off the GUI thread
does), never on the GUI thread. :meth:`ConnectionProbe.abort` (the dialog closing) cuts the
request in flight; the worker always closes the client when it is done.

The verdict is a :class:`ConnectionCheck` (a kind plus facts); :func:`describe` words it
in the user's language.
"""

from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from typing import Literal

import httpx
from PySide6.QtCore import QCoreApplication, QLocale

from ..core.config.settings import Settings
from ..core.engines.answers import interpret_answer
from ..core.engines.factory import create_engine
from ..core.engines.http_engine import EndpointError, HttpEngine
from ..core.errors import ItemError
from ..core.inputs.images import decode_image
from ..core.jobs.cancel import CancelToken
from ..core.model import Limits, SourceImage
from ..tools.synthetic import survey_scene

PROBE_SIZE = (128, 128)
PROBE_PATH = "test-connection/sar_scene.png"
"""The probe's member path: the upload name is made from it like any member's, unique."""

Service = Literal["generic", "oilspill-ai", "server"]
AnswerKind = Literal["mask", "classes", "derived"]


class Verdict(StrEnum):
    """What the test found; the failure values are the engine's own verdicts."""

    OK = "ok"
    BAD_URL = "bad url"
    BAD_SETTINGS = "bad settings"
    REFUSED = "refused"
    HOST_NOT_FOUND = "host not found"
    CONNECT_TIMEOUT = "connect timeout"
    READ_TIMEOUT = "read timeout"
    TLS = "tls"
    NOT_FOUND = "not found"
    UNAUTHORIZED = "unauthorized"
    REDIRECT = "redirect"
    HTTP_ERROR = "http error"
    NOT_IMAGE = "not an image"
    UNREADABLE_IMAGE = "unreadable image"
    TOO_LARGE = "too large"
    WRONG_PICTURE = "wrong picture"
    """An annotated answer that is not a copy of the picture sent."""
    OTHER = "other"
    # The Oil Spill AI server's own (see core.engines.server.probe.ProbeVerdict)
    NOT_BACKEND = "not a backend"
    UPLOAD_FAILED = "upload failed"
    STILL_PENDING = "still pending"
    JOB_FAILED = "job failed"
    EMPTY_RESULT = "empty result"
    NOT_A_ZIP = "not a zip"
    WRONG_IMAGE = "wrong image"
    WRONG_SIZE = "wrong size"


@dataclass(frozen=True)
class ConnectionCheck:
    """The outcome of one test. On success ``service`` is the kind of endpoint that
    answered (``detected`` when ``auto`` found it out), ``answer`` what its answers are,
    ``oil_fraction`` how much of the test scene it called oil."""

    verdict: Verdict
    url: str
    status: int | None = None
    reason: str = ""
    content_type: str = ""
    detail: str = ""
    body: str = ""
    elapsed: float = 0.0
    image_size: tuple[int, int] | None = None
    image_format: str = ""
    endpoint_kind: str = "auto"
    service: Service | None = None
    detected: bool = False
    answer: AnswerKind | None = None
    oil_fraction: float | None = None
    engine: str = "http"
    """``server`` for a test of the Oil Spill AI server, with the facts below."""
    path: str = ""
    state: str = ""
    limit: float = 0.0
    expected_size: tuple[int, int] | None = None

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.OK


@cache
def probe_png() -> bytes:
    """A small synthetic sea scene with a dark slick, as PNG: what a survey holds."""
    buffer = io.BytesIO()
    survey_scene(0, size=PROBE_SIZE).image.save(buffer, format="PNG")
    return buffer.getvalue()


def probe_source() -> SourceImage:
    """The probe decoded as a job decodes an archive member."""
    return decode_image(probe_png(), PROBE_PATH, Limits())


def probe_settings(settings: Settings) -> Settings:
    """The form's settings, as the test uses them: the HTTP engine, one attempt, no
    waiting out an outage, one connection; the first endpoint of several."""
    return settings.with_changes(
        engine="http",
        retries=0,
        max_outage_minutes=0.0,
        workers=1,
        concurrent_jobs=1,
        more_endpoints="",
    )


class ConnectionProbe:
    """One connection test: :meth:`run` blocks (call it off the GUI thread); :meth:`abort`
    may be called from any thread and makes :meth:`run` end soon."""

    def __init__(self, settings: Settings) -> None:
        self.settings = probe_settings(settings)
        self.url = self.settings.endpoint.strip()
        self.finished = threading.Event()
        """Set once :meth:`run` has returned and the client is closed."""
        self.limit = self.settings.connect_timeout + self.settings.read_timeout
        """Seconds after which the test has given up (one request's timeouts)."""
        self._cancel = CancelToken()
        self._lock = threading.Lock()
        self._engine: HttpEngine | None = None

    def abort(self) -> None:
        """Stop the test: cut the request in flight and let :meth:`run` end."""
        self._cancel.cancel()
        with self._lock:
            engine = self._engine
        if engine is not None:
            engine.abort()

    def deadline_check(self) -> ConnectionCheck:
        """The verdict when the test has not answered by :attr:`limit` (and a little)."""
        return ConnectionCheck(Verdict.READ_TIMEOUT, self.url, detail="deadline")

    def run(self) -> ConnectionCheck:
        """Send the probe through the job's engine and judge what came back.

        Raises :class:`~oilspill_desktop.core.errors.Cancelled` after :meth:`abort`.
        """
        try:
            # One probe request: nothing to adapt, and the check needs the engine itself.
            engine = create_engine(self.settings.with_changes(adaptive_concurrency=False))
            if not isinstance(engine, HttpEngine):  # the engine is forced to http
                engine.close()
                raise TypeError(f"expected the HTTP engine, got {engine.engine}")
            with self._lock:
                self._engine = engine
            try:
                return self._check(engine)
            finally:
                with self._lock:
                    self._engine = None
                engine.close()
        finally:
            self.finished.set()

    def _check(self, engine: HttpEngine) -> ConnectionCheck:
        kind = self.settings.endpoint_kind
        source = probe_source()
        started = time.monotonic()
        try:
            answer = engine.segment(source, self._cancel)
        except EndpointError as exc:
            return ConnectionCheck(
                _verdict(exc.verdict),
                self.url,
                status=exc.status,
                reason=exc.reason,
                content_type=exc.content_type,
                detail=exc.detail,
                body=exc.body,
                elapsed=time.monotonic() - started,
                endpoint_kind=kind,
            )
        elapsed = time.monotonic() - started
        picture = answer.image
        service: Service = "oilspill-ai" if engine.sends_jpeg else "generic"
        answered = ConnectionCheck(
            Verdict.OK,
            self.url,
            elapsed=elapsed,
            image_size=picture.size,
            image_format=picture.format or "",
            endpoint_kind=kind,
            service=service,
            detected=kind == "auto",
        )
        self._cancel.raise_if_cancelled()
        try:
            segmentation = interpret_answer(
                picture, source.width, source.height, sent=source.pixels
            )
        except ItemError as exc:  # the engine's EngineError: not a copy of the picture sent
            return replace(answered, verdict=Verdict.WRONG_PICTURE, detail=str(exc))
        if segmentation.mask_source == "derived":
            kind_of_answer: AnswerKind = "derived"
        elif segmentation.kind == "classes":
            kind_of_answer = "classes"
        else:
            kind_of_answer = "mask"
        oil = segmentation.oil
        fraction = float(oil.mean()) if oil is not None and oil.size else None
        return replace(answered, answer=kind_of_answer, oil_fraction=fraction)


def _verdict(value: str) -> Verdict:
    try:
        return Verdict(value)
    except ValueError:
        return Verdict.OTHER


def _host_port(url: str) -> str:
    try:
        parsed = httpx.URL(url)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        return f"{parsed.host}:{port}"
    except (httpx.InvalidURL, TypeError, ValueError):
        return url


_REACHING = frozenset(
    {
        Verdict.BAD_URL,
        Verdict.BAD_SETTINGS,
        Verdict.REFUSED,
        Verdict.HOST_NOT_FOUND,
        Verdict.CONNECT_TIMEOUT,
        Verdict.READ_TIMEOUT,
        Verdict.TLS,
    }
)
"""The verdicts about reaching the service at all (the others are about its answer)."""


def describe(check: ConnectionCheck) -> str:
    """One to three sentences for the user: what answered and how, or what is wrong."""
    if check.ok:
        return _describe_success(check)
    if check.verdict in _REACHING:
        return describe_unreached(check)
    return describe_answer(check)


def describe_unreached(check: ConnectionCheck) -> str:
    """Why the service could not be asked: the address, the network, TLS."""
    host_port = _host_port(check.url)
    verdict = check.verdict
    if verdict is Verdict.BAD_URL:
        return QCoreApplication.translate(
            "ConnectionTest", "The address cannot be used: {detail}"
        ).format(detail=check.detail)
    if verdict is Verdict.BAD_SETTINGS:
        return QCoreApplication.translate(
            "ConnectionTest", "These settings cannot be used: {detail}"
        ).format(detail=check.detail)
    if verdict is Verdict.REFUSED:
        return QCoreApplication.translate(
            "ConnectionTest",
            "Connection refused: nothing is listening at {host}. Check that the service is "
            "running and that the port is right.",
        ).format(host=host_port)
    if verdict is Verdict.HOST_NOT_FOUND:
        return QCoreApplication.translate(
            "ConnectionTest", "The host name in {url} could not be found. Check the address."
        ).format(url=check.url)
    if verdict is Verdict.CONNECT_TIMEOUT:
        return QCoreApplication.translate(
            "ConnectionTest",
            "Timed out connecting to {host}: no answer within the connect timeout. A firewall "
            "or a wrong address is likely.",
        ).format(host=host_port)
    if verdict is Verdict.READ_TIMEOUT:
        return QCoreApplication.translate(
            "ConnectionTest",
            "Connected to {host}, but no answer came within the read timeout. The service may "
            "be overloaded or still loading its model; try a longer read timeout.",
        ).format(host=host_port)
    if verdict is Verdict.TLS:
        return QCoreApplication.translate(
            "ConnectionTest",
            "The secure (TLS) connection failed: {detail}. Check the server's certificate, or "
            "set a CA bundle in these settings.",
        ).format(detail=check.detail)
    return describe_answer(check)


def describe_answer(check: ConnectionCheck) -> str:
    """What is wrong with what the service answered."""
    status = f"{check.status} {check.reason}".strip()
    verdict = check.verdict
    if verdict is Verdict.NOT_FOUND:
        return QCoreApplication.translate(
            "ConnectionTest",
            "The server answered 404 Not Found: there is no segmentation endpoint at this "
            "address. Check the path (for example /segment).",
        )
    if verdict is Verdict.UNAUTHORIZED:
        return QCoreApplication.translate(
            "ConnectionTest", "The server answered {status}: check the API token."
        ).format(status=status)
    if verdict is Verdict.REDIRECT:
        return QCoreApplication.translate(
            "ConnectionTest", "The server redirects the request: {detail}."
        ).format(detail=check.detail)
    if verdict is Verdict.HTTP_ERROR:
        return QCoreApplication.translate(
            "ConnectionTest", "The server answered {status} ({body})."
        ).format(status=status, body=check.body or check.content_type or "–")
    if verdict is Verdict.NOT_IMAGE:
        shown = check.content_type or QCoreApplication.translate(
            "ConnectionTest", "no content type"
        )
        return QCoreApplication.translate(
            "ConnectionTest",
            "The server answered with {type} instead of an image ({body}): this does not look "
            "like a segmentation endpoint.",
        ).format(type=shown, body=check.body)
    if verdict is Verdict.UNREADABLE_IMAGE:
        return QCoreApplication.translate(
            "ConnectionTest", "The server's answer is not a readable picture: {detail}."
        ).format(detail=check.detail)
    if verdict is Verdict.TOO_LARGE:
        return QCoreApplication.translate(
            "ConnectionTest",
            "The server's answer is far too large to be a mask of a small test image.",
        )
    if verdict is Verdict.WRONG_PICTURE:
        return QCoreApplication.translate(
            "ConnectionTest",
            "The server answered a picture that is not the test image annotated: {detail}",
        ).format(detail=check.detail)
    return QCoreApplication.translate("ConnectionTest", "The test failed: {detail}").format(
        detail=check.detail
    )


def _describe_success(check: ConnectionCheck) -> str:
    if check.service == "oilspill-ai":
        if check.detected:
            service = QCoreApplication.translate(
                "ConnectionTest",
                "Connected to an Oil Spill AI ML service (found automatically: it failed on a "
                "PNG and answered the same image as JPEG; jobs send JPEG named .jpg).",
            )
        else:
            service = QCoreApplication.translate(
                "ConnectionTest",
                "Connected to an Oil Spill AI ML service (sent as JPEG named .jpg).",
            )
    elif check.detected:
        service = QCoreApplication.translate(
            "ConnectionTest",
            "Connected to a generic segmentation service (found automatically: it read the "
            "PNG sent).",
        )
    else:
        service = QCoreApplication.translate(
            "ConnectionTest", "Connected to a generic segmentation service."
        )
    width, height = check.image_size or (0, 0)
    if check.answer == "derived":
        answer = QCoreApplication.translate(
            "ConnectionTest",
            "It answers annotated pictures, masks derived from them: {width}×{height} {format} "
            "in {ms} ms.",
        )
    elif check.answer == "classes":
        answer = QCoreApplication.translate(
            "ConnectionTest", "It answers 5-class masks: {width}×{height} {format} in {ms} ms."
        )
    else:
        answer = QCoreApplication.translate(
            "ConnectionTest", "It answers masks: {width}×{height} {format} in {ms} ms."
        )
    answer = answer.format(
        width=width,
        height=height,
        format=check.image_format or "?",
        ms=round(check.elapsed * 1000),
    )
    if check.oil_fraction is None:
        return f"{service} {answer}"
    oil = QCoreApplication.translate(
        "ConnectionTest", "Oil in {percent} % of the test scene."
    ).format(percent=QLocale().toString(check.oil_fraction * 100, "f", 1))
    return f"{service} {answer} {oil}"
