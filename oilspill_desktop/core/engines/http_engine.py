"""Send each image to an ML service speaking the original backend's contract.

The contract is the old backend's: ``POST`` multipart with the image in field ``file``; the
answer is an ``image/*`` body. Services in the field are flaky (cold starts, 503s under
load, proxies that cut connections), so transient failures are retried with jittered
back-off, and every final failure says exactly what came back, because "the engine failed"
helps nobody fix a service. One pooled client serves all worker threads, so connections
are reused rather than opened per image.

Every upload has a name of its own and a content the endpoint kind reads (see
:mod:`.upload`): a service that keeps uploads in a shared folder keyed by name can never
hand one image's answer to another.

The API token goes into a header and nowhere else: messages and logs are scrubbed of it.
"""

from __future__ import annotations

import email.utils
import io
import logging
import math
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from PIL import Image

from ... import __version__
from ..errors import Cancelled, EndpointUnreachable, EngineError
from ..jobs.cancel import CancelToken
from ..messages import Message, plain, say
from ..model import EngineAnswer, MiB, SourceImage
from .abortable import AbortableBackend, install_backend
from .circuit import OUTAGE_FAILURES, CircuitBreaker, Outage, OutageTooLong
from .multipart import form_with_file
from .upload import EndpointKind, Upload, UploadNamer, build_upload
from .urls import display_url

log = logging.getLogger(__name__)

USER_AGENT = f"oilspill-desktop/{__version__}"
MAX_ANSWER_BYTES = 512 * MiB
"""An answer larger than this is not a mask of any image we accept; stop reading it."""
_EXCERPT_CHARS = 120
_ERROR_BODY_BYTES = 64 * 1024
_MIN_ANSWER_PIXEL_CAP = 1 << 24


class _HideUrlSecrets(logging.Filter):
    """httpx logs each request's full URL; a key in its query string must not reach logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(
            isinstance(arg, httpx.URL) for arg in record.args
        ):
            record.args = tuple(
                display_url(str(arg)) if isinstance(arg, httpx.URL) else arg for arg in record.args
            )
        return True


_URL_FILTER = _HideUrlSecrets()
logging.getLogger("httpx").addFilter(_URL_FILTER)


class EndpointError(EngineError):
    """An endpoint gave no usable answer; ``attempts`` is how many requests were made.

    The other fields are the facts of the last attempt, so that a caller (the settings
    dialog's connection test) can word the failure without classifying HTTP errors again:
    ``verdict`` (``refused``, ``read timeout``, ``tls``, ``not found``, ``not an image``...,
    ``bad url`` and ``bad settings`` for settings that cannot be used), the status line and
    content type when there was an answer, ``detail`` (what went wrong, scrubbed of the
    token) and ``body`` (what the answer held, in a few words).
    """

    def __init__(
        self,
        message: Message | str,
        *,
        attempts: int,
        verdict: str = "other",
        status: int | None = None,
        reason: str = "",
        content_type: str = "",
        detail: str = "",
        body: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        """Seconds the endpoint asked to be left alone (429 or 503 with ``Retry-After``,
        capped): it is busy, not down."""
        self.attempts = attempts
        self.verdict = verdict
        self.status = status
        self.reason = reason
        self.content_type = content_type
        self.detail = detail or str(message)
        self.body = body


@dataclass(frozen=True)
class _Failure:
    """One attempt's failure: ``lead`` and ``detail`` make the user's sentence."""

    lead: str
    detail: str
    retryable: bool
    retry_after: float | None = None
    outage: bool = False
    """The endpoint looks down (not merely unhappy with this image): feeds the breaker."""
    verdict: str = "other"
    """What went wrong, in the words of the connection test's verdicts."""
    status: int | None = None
    reason: str = ""
    content_type: str = ""
    unreachable: bool = False
    """Nothing answered at all: connection refused or the host name unknown."""
    body: str = ""
    """What an answer that is not a picture held, in a few words (see :func:`_body_text`)."""


class _AttemptError(Exception):
    def __init__(self, failure: _Failure) -> None:
        super().__init__(failure.detail)
        self.failure = failure


@dataclass
class _Tries:
    """Where one image's requests stand, shared by :meth:`HttpEngine.segment` and the
    failure handling it hands each failed request to.

    ``attempt`` counts the tries that spend a retry, ``sent`` every request made (what the
    report's ``attempts`` says).
    """

    upload: Upload
    total: int
    attempt: int = 0
    sent: int = 0
    fell_back: bool = False
    body: bytes = field(init=False, default=b"")
    form_type: str = field(init=False, default="")

    def __post_init__(self) -> None:
        self.prepare(self.upload)

    def prepare(self, upload: Upload) -> None:
        """Send ``upload`` from now on, as the multipart form the contract asks for."""
        self.upload = upload
        self.body, self.form_type = form_with_file(
            "file", upload.filename, upload.content, upload.content_type
        )


def _status_failure(
    response: httpx.Response, status: str, content_type: str, body: bytes
) -> _Failure:
    """What an answer with an error status means: whether to retry (5xx, 429), how long the
    service asked us to wait, whether it looks down, and a hint at the setting to fix.

    ``body`` is the start of the answer, already read (capped), for the user's sentence.
    """
    detail = f"it answered {status}"
    if response.is_redirect and response.headers.get("location"):
        detail += f" pointing to {display_url(response.headers['location'])}"
    detail += _describe_body(content_type, body)
    code = response.status_code
    retryable = code >= 500 or code == 429
    retry_after = (
        parse_retry_after(response.headers.get("retry-after")) if code in (429, 503) else None
    )
    lead = "The engine failed" if retryable else "The engine rejected the request"
    if code == 404:
        detail += "; check the endpoint address"
    elif code in (401, 403):
        detail += "; check the API token"
    elif 300 <= code < 400:
        lead = "The engine redirected the request"
        detail += "; set the endpoint to the new address"
    outage = code in (502, 503, 504)  # a gateway or a service saying it is down
    if code == 404:
        verdict = "not found"
    elif code in (401, 403):
        verdict = "unauthorized"
    elif 300 <= code < 400:
        verdict = "redirect"
    else:
        verdict = "http error"
    return _Failure(
        lead,
        detail,
        retryable,
        retry_after,
        outage,
        verdict=verdict,
        status=code,
        reason=response.reason_phrase,
        content_type=content_type,
        body=_body_text(body),
    )


def check_endpoint(endpoint: str) -> Message | None:
    """A sentence saying why ``endpoint`` cannot be used, or ``None`` when it looks fine."""
    try:
        url = httpx.URL(endpoint.strip())
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        return say("engine.bad_url", endpoint=repr(endpoint), reason=str(exc))
    if url.scheme not in ("http", "https") or not url.host:
        return say("engine.not_http_url", endpoint=repr(endpoint))
    return None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _outage_breaker(retries: int, max_outage: float, probe_delay: float) -> CircuitBreaker | None:
    """The breaker that waits out a down endpoint, or ``None`` when ``max_outage`` is 0.

    An image must never run out of tries on an endpoint that is down before the breaker
    sees it is, so it opens at the latest on one image's last failed try.
    """
    if max_outage <= 0:
        return None
    threshold = min(OUTAGE_FAILURES, max(0, retries) + 1)
    return CircuitBreaker(threshold=threshold, first_delay=probe_delay, max_outage=max_outage)


class HttpEngine:
    """A :class:`~.protocol.Engine` backed by an HTTP endpoint; safe across threads."""

    def __init__(
        self,
        endpoint: str,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        retries: int = 3,
        token: str = "",
        send_mode: str = "compatible",
        verify: bool | str = True,
        max_connections: int = 8,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        retry_after_cap: float = 60.0,
        max_outage: float = 0.0,
        outage_probe_delay: float = 1.0,
        endpoint_kind: EndpointKind = "auto",
        stop_when_unreachable: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``max_outage`` > 0 turns on the circuit breaker (see :mod:`.circuit`): an
        endpoint that is down is waited for, up to that many seconds, instead of failing
        every image. ``stop_when_unreachable``: while no request has ever been answered, a
        refused connection or an unknown host is not an outage to wait for but a wrong
        address, and stops the job (:class:`EndpointUnreachable`) once the retries are
        spent. A 429 or 503 with ``Retry-After`` is neither an outage nor a failure to
        back off from at random: every request here waits as long as it asked (at most
        ``retry_after_cap`` seconds), see :meth:`_hold`."""
        self._endpoint = endpoint.strip()
        self._clock = clock
        self._busy_lock = threading.Lock()
        self._busy_until = 0.0
        self._kind: EndpointKind = endpoint_kind
        self._jpeg_only = endpoint_kind == "oilspill-ai"
        self._stop_when_unreachable = stop_when_unreachable
        self._answered = False
        self._namer = UploadNamer()
        self._max_outage = max_outage
        self._breaker = _outage_breaker(retries, max_outage, outage_probe_delay)
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._retries = max(0, retries)
        self._token = token.strip()
        self._send_mode = send_mode
        self._backoff_base = max(0.0, backoff_base)
        self._backoff_cap = max(0.0, backoff_cap)
        self._retry_after_cap = max(0.0, retry_after_cap)
        self._problem = check_endpoint(self._endpoint)
        self._problem_verdict = "bad url"
        self._display_url = self._endpoint if self._problem else display_url(self._endpoint)
        if not self._problem:
            self._check_token()
        self._client = self._make_client(verify, connect_timeout, read_timeout, max_connections)
        self._backend = AbortableBackend()
        install_backend(self._client, self._backend)

    def _check_token(self) -> None:
        """Refuse a token httpx could not put in a header, with a sentence saying what to do,
        rather than failing every image with an encoding error."""
        if self._token and not all(32 <= ord(c) < 127 for c in self._token):
            self._problem_verdict = "bad settings"
            self._problem = say("engine.bad_token")

    def _make_client(
        self, verify: bool | str, connect_timeout: float, read_timeout: float, connections: int
    ) -> httpx.Client:
        """The one pooled client every worker thread shares (connections are reused).

        No token header when the settings are unusable: no request is sent then anyway, and
        a token that cannot be sent must not get as far as httpx.
        """
        headers = {"User-Agent": USER_AGENT, "Accept": "image/*"}
        if self._token and not self._problem:
            headers["Authorization"] = f"Bearer {self._token}"
        connections = max(1, connections)
        return httpx.Client(
            headers=headers,
            verify=self._verify_setting(verify),
            timeout=httpx.Timeout(
                connect=connect_timeout,
                read=read_timeout,
                write=read_timeout,
                pool=connect_timeout + read_timeout,
            ),
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
            follow_redirects=False,
        )

    def _verify_setting(self, verify: bool | str) -> bool | ssl.SSLContext:
        """A CA bundle path becomes an SSL context (httpx no longer takes paths)."""
        if isinstance(verify, bool):
            return verify
        try:
            return ssl.create_default_context(cafile=verify)
        except (OSError, ssl.SSLError, ValueError) as exc:
            if not self._problem:
                self._problem_verdict = "bad settings"
                self._problem = say("engine.bad_ca_bundle", path=verify, reason=str(exc))
            return True

    @property
    def engine(self) -> str:
        return "http"

    @property
    def endpoint(self) -> str:
        return self._endpoint

    @property
    def sends_jpeg(self) -> bool:
        """True once the endpoint is known to read JPEG only (set, or learned in ``auto``)."""
        return self._jpeg_only

    def close(self) -> None:
        self._client.close()

    def abort(self) -> None:
        """Cut every request in flight (from any thread); used when a job is cancelled."""
        self._backend.abort()
        if self._breaker is not None:
            self._breaker.cancel_waiters()

    def segment(self, image: SourceImage, cancel: CancelToken) -> EngineAnswer:
        if self._problem:
            raise EndpointError(self._problem, attempts=0, verdict=self._problem_verdict)
        tries = _Tries(self._upload(image, jpeg=self._jpeg_only), total=self._retries + 1)
        while True:
            cancel.raise_if_cancelled()
            probe = self._wait_for_endpoint(cancel, tries.sent)
            tries.sent += 1
            tries.attempt += 0 if probe else 1
            try:
                picture = self._attempt(tries.body, tries.form_type, image, cancel)
            except _AttemptError as failed:
                cancel.raise_if_cancelled()  # an abort cut the request: not an engine failure
                self._after_failure(failed.failure, tries, image, probe, cancel)
                continue
            if self._breaker is not None:
                self._breaker.success(probe)
            if tries.fell_back and not self._jpeg_only and (picture.format or "").upper() == "JPEG":
                self._jpeg_only = True
                log.info(
                    "%s fails on %s uploads and answers JPEG pictures of JPEG ones (the Oil "
                    "Spill AI ML service does): sending JPEG from now on.",
                    self._display_url,
                    image.original_format,
                )
            return EngineAnswer(image=picture, attempts=tries.sent)

    def _after_failure(
        self, failure: _Failure, tries: _Tries, image: SourceImage, probe: bool, cancel: CancelToken
    ) -> None:
        """Decide what a failed request leads to: return to send again (after any wait this
        does), or raise the error that ends the image (or, for an address that never
        answered, the job).

        Tries that are not the endpoint's fault (the JPEG fallback, waiting out an outage)
        are given back, so ``retries`` counts only real failures.
        """
        if self._should_send_jpeg(tries.upload, failure, tries.fell_back):
            # The Oil Spill AI service fails every name but .jpg with a 500: try the
            # image as JPEG once, without spending a retry on it.
            tries.fell_back = True
            tries.attempt -= 0 if probe else 1
            if self._breaker is not None:
                self._breaker.failure(failure.detail, outage=False, probe=probe)
            tries.prepare(self._upload(image, jpeg=True))
            return
        if self._stop_when_unreachable and failure.unreachable and not self._answered:
            if probe and self._breaker is not None:
                self._breaker.failure(failure.detail, outage=False, probe=True)
            if tries.attempt >= tries.total:
                raise EndpointUnreachable(self._never_answered(failure, tries.sent)) from None
            cancel.sleep(self._delay(tries.attempt))
            return
        if failure.retry_after is not None:
            # Busy, not down: it said how long to leave it alone; every request waits.
            self._hold(min(failure.retry_after, self._retry_after_cap), failure)
            if self._breaker is not None:
                self._breaker.failure(self._scrub(failure.detail), outage=False, probe=probe)
            if tries.attempt >= tries.total:
                raise self._error(failure, tries.sent) from None
            return  # the next request waits out the hold in _wait_for_endpoint
        if self._breaker is not None and self._breaker.failure(
            self._scrub(failure.detail), outage=failure.outage, probe=probe
        ):
            # The endpoint is down: park until it is back; this try did not count.
            tries.attempt -= 0 if probe else 1
            return
        if not failure.retryable or tries.attempt >= tries.total:
            raise self._error(failure, tries.sent) from None
        delay = self._delay(tries.attempt)
        log.warning(
            "Attempt %d of %d for %s at %s failed (%s); retrying in %.2f s.",
            tries.attempt,
            tries.total,
            tries.upload.filename,
            self._display_url,
            self._scrub(failure.detail),
            delay,
        )
        cancel.sleep(delay)

    def _should_send_jpeg(self, upload: Upload, failure: _Failure, fell_back: bool) -> bool:
        return (
            self._kind == "auto"
            and not fell_back
            and not upload.is_jpeg
            and failure.status == 500
            # FastAPI's answer to an unhandled error (the missing results file); a service
            # that explains its 500 in JSON or HTML meant something else.
            and failure.content_type.split(";", 1)[0].strip().lower() == "text/plain"
        )

    def _hold(self, seconds: float, failure: _Failure) -> None:
        """Hold every request to this endpoint for ``seconds`` from now: it answered 429 or
        503 with ``Retry-After``. Said in the log once per busy spell, not per request."""
        now = self._clock()
        with self._busy_lock:
            new_spell = now >= self._busy_until
            self._busy_until = max(self._busy_until, now + seconds)
        if new_spell:
            log.warning(
                "%s is busy (%s %s) and asked to be left alone for %.1f s (Retry-After): "
                "its requests wait until then.",
                self._display_url,
                failure.status,
                failure.reason,
                seconds,
            )

    def busy_for(self) -> float:
        """Seconds this endpoint asked to be left alone for, from now (0 when not busy)."""
        with self._busy_lock:
            return max(0.0, self._busy_until - self._clock())

    def _wait_for_endpoint(self, cancel: CancelToken, sent: int) -> bool:
        """Block while the endpoint is busy or the circuit is open; True when this request
        is the circuit's probe."""
        busy = self.busy_for()
        if busy > 0:
            cancel.sleep(busy)
        if self._breaker is None:
            return False
        try:
            return self._breaker.acquire(cancel)
        except OutageTooLong as exc:
            minutes = self._max_outage / 60
            raise EndpointError(
                say("engine.outage_too_long", minutes=f"{minutes:g}", reason=str(exc)),
                attempts=sent,
            ) from None

    def outage(self) -> Outage | None:
        """Set while the endpoint is down and workers wait for it (shown as a job state)."""
        return self._breaker.outage() if self._breaker is not None else None

    # -- one request ---------------------------------------------------------------------

    def _upload(self, image: SourceImage, *, jpeg: bool) -> Upload:
        """A uniquely named upload in a format this endpoint reads (see :mod:`.upload`)."""
        return build_upload(image, self._namer, jpeg=jpeg, send_mode=self._send_mode)

    def _attempt(
        self, body: bytes, form_type: str, image: SourceImage, cancel: CancelToken
    ) -> Image.Image:
        got_headers = False
        try:
            with self._client.stream(
                "POST", self._endpoint, content=body, headers={"Content-Type": form_type}
            ) as response:
                got_headers = True
                self._answered = True
                return self._read_answer(response, image, cancel)
        except httpx.TransportError as exc:
            raise _AttemptError(self._transport_failure(exc, got_headers)) from None
        except RuntimeError as exc:  # httpx refuses to send on a closed client
            raise _AttemptError(
                _Failure(
                    "The engine could not be used", f"its connection pool is closed ({exc})", False
                )
            ) from None

    def _read_answer(
        self, response: httpx.Response, image: SourceImage, cancel: CancelToken
    ) -> Image.Image:
        status = f"{response.status_code} {response.reason_phrase}".strip()
        content_type = response.headers.get("content-type", "").strip()
        media_type = content_type.split(";", 1)[0].strip().lower()
        if not response.is_success:
            body = _read_capped(response, _ERROR_BODY_BYTES, cancel, truncate=True)
            raise _AttemptError(_status_failure(response, status, content_type, body))
        if not media_type.startswith("image/"):
            body = _read_capped(response, _ERROR_BODY_BYTES, cancel, truncate=True)
            shown = content_type or "no Content-Type"
            raise _AttemptError(
                _Failure(
                    "The engine did not answer with a picture",
                    f"it answered {status} with {shown} instead of an image"
                    + _describe_body("", body),
                    False,
                    verdict="not an image",
                    status=response.status_code,
                    reason=response.reason_phrase,
                    content_type=content_type,
                    body=_body_text(body),
                )
            )
        body = _read_capped(response, MAX_ANSWER_BYTES, cancel, truncate=False)
        return self._decode(body, status, media_type, image)

    def _decode(self, body: bytes, status: str, media_type: str, image: SourceImage) -> Image.Image:
        lead = "The engine's answer is not a readable picture"
        if not body:
            raise _AttemptError(
                _Failure(
                    lead,
                    f"it answered {status} with {media_type} but an empty body",
                    False,
                    verdict="unreadable image",
                )
            )
        cap = max(4 * image.width * image.height, _MIN_ANSWER_PIXEL_CAP)
        try:
            picture = Image.open(io.BytesIO(body))
            if picture.width * picture.height > cap:
                raise _AttemptError(
                    _Failure(
                        lead,
                        f"it is {picture.width}x{picture.height} pixels, far larger than "
                        f"the {image.width}x{image.height} image",
                        False,
                        verdict="too large",
                    )
                )
            picture.load()
        except _AttemptError:
            raise
        except (
            OSError,
            ValueError,
            SyntaxError,
            EOFError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ) as exc:
            reason = str(exc) or type(exc).__name__
            raise _AttemptError(
                _Failure(
                    lead,
                    f"it answered {status} with {media_type} and {len(body)} bytes that "
                    f"could not be decoded ({reason})",
                    False,
                    verdict="unreadable image",
                )
            ) from None
        return picture

    def _transport_failure(self, exc: httpx.TransportError, got_headers: bool) -> _Failure:
        url = self._display_url
        unreachable = "The engine could not be reached"
        if isinstance(exc, httpx.ConnectTimeout):
            return _Failure(
                unreachable,
                f"timed out after {self._connect_timeout:g} s connecting to {url}",
                True,
                outage=True,
                verdict="connect timeout",
            )
        if isinstance(exc, httpx.ReadTimeout):
            return _Failure(
                "The engine did not answer",
                f"timed out after {self._read_timeout:g} s waiting for an answer from {url}",
                True,
                verdict="read timeout",
            )
        if isinstance(exc, httpx.WriteTimeout):
            return _Failure(
                "The engine did not answer",
                f"timed out after {self._read_timeout:g} s sending the image to {url}",
                True,
                verdict="read timeout",
            )
        if isinstance(exc, httpx.PoolTimeout):
            return _Failure(
                "The engine could not be used",
                f"timed out waiting for a free connection to {url}",
                True,
            )
        if isinstance(exc, httpx.ConnectError):
            return self._connect_failure(exc)
        if isinstance(exc, httpx.WriteError) and not got_headers:
            return _Failure(
                "The engine failed",
                f"the connection was dropped while sending the image to {url}",
                True,
            )
        if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
            return _Failure(
                "The engine failed", f"the connection was dropped mid-answer by {url}", True
            )
        if isinstance(exc, httpx.ProxyError):
            return _Failure(unreachable, f"the proxy failed on the way to {url} ({exc})", True)
        if isinstance(exc, httpx.UnsupportedProtocol):
            return _Failure(unreachable, f"{url} uses a protocol other than http or https", False)
        return _Failure("The engine failed", f"{type(exc).__name__} talking to {url}: {exc}", True)

    def _connect_failure(self, exc: httpx.ConnectError) -> _Failure:
        url = self._display_url
        unreachable = "The engine could not be reached"
        for cause in exception_chain(exc):
            if isinstance(cause, ssl.SSLCertVerificationError):
                reason = cause.verify_message or cause.reason or str(cause)
                return _Failure(
                    unreachable,
                    f"TLS certificate verification failed: {reason} ({url})",
                    False,
                    verdict="tls",
                )
            if isinstance(cause, ssl.SSLError):
                return _Failure(
                    unreachable,
                    f"the TLS handshake with {url} failed ({cause.reason or cause})",
                    False,
                    verdict="tls",
                )
            if isinstance(cause, ConnectionRefusedError):
                return _refused(url)
            if isinstance(cause, socket.gaierror):
                return _unknown_host(httpx.URL(self._endpoint).host, url)
        text = str(exc)
        if "CERTIFICATE_VERIFY_FAILED" in text:
            return _Failure(
                unreachable,
                f"TLS certificate verification failed: {text} ({url})",
                False,
                verdict="tls",
            )
        if "refused" in text.lower():
            return _refused(url)
        if "name or service not known" in text.lower() or "getaddrinfo" in text.lower():
            return _unknown_host(httpx.URL(self._endpoint).host, url)
        return _Failure(
            unreachable,
            f"could not connect to {url} ({text or type(exc).__name__})",
            True,
            outage=True,
        )

    # -- policy and wording --------------------------------------------------------------

    def _delay(self, attempt: int) -> float:
        """Full-jitter exponential back-off (a Retry-After is a hold instead, see :meth:`_hold`)."""
        ceiling = min(self._backoff_cap, self._backoff_base * (2 ** (attempt - 1)))
        return random.uniform(0.0, ceiling)

    def _error(self, failure: _Failure, attempts: int) -> EndpointError:
        """The image's final failure, with the facts a caller may word for itself."""
        return EndpointError(
            self._message(failure, attempts),
            attempts=attempts,
            verdict=failure.verdict,
            status=failure.status,
            reason=failure.reason,
            content_type=failure.content_type,
            detail=self._scrub(failure.detail),
            body=self._scrub(failure.body),
            retry_after=(
                None
                if failure.retry_after is None
                else min(failure.retry_after, self._retry_after_cap)
            ),
        )

    def _message(self, failure: _Failure, attempts: int) -> Message:
        """The sentence for an image that failed: its lead (translated by the window, see
        ``_LEAD_CODES``), and the detail as the endpoint's answer makes it (English)."""
        detail = failure.detail
        if attempts > 1:
            detail += f"; gave up after {attempts} attempts"
        detail = self._scrub(detail).rstrip(".")
        code = _LEAD_CODES.get(failure.lead)
        if code is None:
            return plain(f"{failure.lead}: {detail}.")
        return say(code, detail=detail)

    def _never_answered(self, failure: _Failure, attempts: int) -> Message:
        detail = self._scrub(failure.detail)
        if failure.lead == "The engine could not be reached":
            return say("engine.never_answered", detail=detail, count=attempts)
        return plain(
            f"{failure.lead}: {detail}; no request was ever answered, so the job stopped "
            f"after {attempts} attempt{'s' if attempts > 1 else ''}."
        )

    def _scrub(self, text: str) -> str:
        """Remove the token wherever a server echoed it back."""
        if self._token:
            text = text.replace(self._token, "***")
        return text


_LEAD_CODES = {
    "The engine failed": "engine.failed",
    "The engine rejected the request": "engine.rejected",
    "The engine redirected the request": "engine.redirected",
    "The engine could not be reached": "engine.unreachable",
    "The engine did not answer": "engine.no_answer",
    "The engine could not be used": "engine.unusable",
    "The engine did not answer with a picture": "engine.not_a_picture",
    "The engine's answer is not a readable picture": "engine.unreadable_answer",
    "The engine's answer is not a usable picture": "engine.unusable_answer",
}
"""Message codes of the leads of :class:`_Failure`; each code's English is ``lead: {detail}.``"""


def _refused(url: str) -> _Failure:
    return _Failure(
        "The engine could not be reached",
        f"connection refused to {url}",
        True,
        outage=True,
        verdict="refused",
        unreachable=True,
    )


def _unknown_host(host: str, url: str) -> _Failure:
    return _Failure(
        "The engine could not be reached",
        f"the host name {host!r} could not be resolved ({url})",
        True,
        outage=True,
        verdict="host not found",
        unreachable=True,
    )


def exception_chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and its causes, outermost first (httpx wraps the OS error that says why)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 16:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _read_capped(
    response: httpx.Response, cap: int, cancel: CancelToken, *, truncate: bool
) -> bytes:
    """Read at most ``cap`` bytes; an oversize answer is cut (errors) or refused (pictures)."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        if cancel.cancelled:
            raise Cancelled("cancelled")
        chunks.append(chunk)
        size += len(chunk)
        if size > cap:
            if truncate:
                break
            raise _AttemptError(
                _Failure(
                    "The engine's answer is not a usable picture",
                    f"it is larger than {cap // MiB} MB, far more than any mask",
                    False,
                    verdict="too large",
                )
            )
    return b"".join(chunks)[:cap]


_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG picture"),
    (b"\xff\xd8\xff", "a JPEG picture"),
    (b"GIF8", "a GIF picture"),
    (b"II*\x00", "a TIFF picture"),
    (b"MM\x00*", "a TIFF picture"),
    (b"BM", "a BMP picture"),
)


def _describe_body(content_type: str, body: bytes) -> str:
    """`` (type): start of the body`` so the user sees what actually came back."""
    head = f" ({content_type})" if content_type else ""
    if not body:
        return f"{head} with an empty body"
    return f"{head}: {_body_text(body)}"


def _body_text(body: bytes) -> str:
    """A body in a few words: its start when it is text, what it is when it is not."""
    if not body:
        return "an empty body"
    for signature, what in _SIGNATURES:
        if body.startswith(signature):
            return f"{len(body)} bytes of {what}"
    text = body[:4096].decode("utf-8", errors="replace")
    printable = sum(1 for c in text if c.isprintable() or c in "\r\n\t")
    if b"\x00" in body[:4096] or printable < 0.9 * len(text):
        return f"{len(body)} bytes of binary data"
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    if len(flat) > _EXCERPT_CHARS:
        flat = flat[:_EXCERPT_CHARS].rstrip() + "…"
    return flat
