"""The Oil Spill AI backend's three calls, with retries, a circuit breaker and abort.

``POST /api/upload`` (the zip in the multipart field ``file``), ``GET /api/status/{job_id}``
and ``GET /api/download/{user_hash}``: each is one request here, retried with jittered
back-off on what a retry can help (no connection, a dropped one, 429, 502, 503, 504),
never on an answer about the request itself (400, a plain 500 on a broken zip). A 429 or
503 with ``Retry-After`` is waited out as long as it asked (at most
:data:`RETRY_AFTER_CAP`) and is not taken for an outage: the server is busy, not down. When the
server is down the circuit breaker (:mod:`..circuit`) parks every part until it is back,
so a restart of the backend costs waiting, not a survey of failures.
"""

from __future__ import annotations

import json
import logging
import random
import socket
import ssl
from dataclasses import dataclass
from typing import Any

import httpx

from ...errors import Cancelled, EndpointUnreachable, EngineError
from ...jobs.cancel import CancelToken
from ...messages import Message, say
from ..abortable import AbortableBackend, install_backend
from ..circuit import CircuitBreaker, Outage, OutageTooLong
from ..http_engine import USER_AGENT, exception_chain, parse_retry_after
from ..multipart import form_with_file
from ..urls import display_url

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 502, 503, 504})
OUTAGE_STATUSES = frozenset({502, 503, 504})
RETRY_AFTER_CAP = 60.0
MAX_DOWNLOAD_BYTES = 2 * 1024 * 1024 * 1024
_EXCERPT = 160


@dataclass(frozen=True)
class Submitted:
    """What the backend answered to an upload: the Celery job and the user's folder."""

    job_id: str
    user_hash: str


class BackendError(EngineError):
    """A call that gave no usable answer, with its facts, so that a caller (the settings
    dialog's connection test) can word it without classifying HTTP errors again:
    ``verdict`` (``refused``, ``host not found``, ``connect timeout``, ``read timeout``,
    ``tls``, ``not found``, ``unauthorized``, ``http error``, ``other``), the ``status``
    when the server answered, the ``path`` asked and the ``detail`` in English."""

    def __init__(
        self,
        message: Message,
        *,
        verdict: str = "other",
        status: int | None = None,
        reason: str = "",
        path: str = "",
        detail: str = "",
    ) -> None:
        super().__init__(message)
        self.verdict = verdict
        self.status = status
        self.reason = reason
        self.path = path
        self.detail = detail or str(message)


@dataclass
class _Failure(Exception):
    detail: str
    retryable: bool
    outage: bool = False
    unreachable: bool = False
    rejected: bool = False
    """The server answered about the request itself (4xx, a plain 500)."""
    verdict: str = "other"
    status: int | None = None
    reason: str = ""
    retry_after: float | None = None
    """Seconds a busy server (429 or 503 with ``Retry-After``) asked to be left alone."""


@dataclass(frozen=True)
class ApiOptions:
    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    retries: int = 3
    backoff_base: float = 0.1
    token: str = ""
    verify: bool | str = True
    connections: int = 8
    max_outage: float = 1800.0
    stop_when_unreachable: bool = False


class BackendApi:
    """One pooled client for every worker; safe across threads."""

    def __init__(self, base_url: str, options: ApiOptions = ApiOptions()) -> None:
        self._base = base_url.strip().rstrip("/")
        self._shown = display_url(self._base)
        self._options = options
        self._answered = False
        self._breaker = (
            CircuitBreaker(max_outage=options.max_outage) if options.max_outage > 0 else None
        )
        headers = {"User-Agent": USER_AGENT}
        if options.token.strip():
            headers["Authorization"] = f"Bearer {options.token.strip()}"
        connections = max(1, options.connections)
        verify: Any = options.verify
        if isinstance(verify, str):
            # A CA bundle that cannot be read leaves the system's roots: stricter, never looser.
            try:
                verify = ssl.create_default_context(cafile=verify)
            except (OSError, ssl.SSLError, ValueError):
                log.warning("The CA bundle %s could not be loaded; using the system's", verify)
                verify = True
        self._client = httpx.Client(
            headers=headers,
            verify=verify,
            timeout=httpx.Timeout(
                connect=options.connect_timeout,
                read=options.read_timeout,
                write=options.read_timeout,
                pool=options.connect_timeout + options.read_timeout,
            ),
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
            follow_redirects=False,
        )
        self._abortable = AbortableBackend()
        install_backend(self._client, self._abortable)

    @property
    def shown_url(self) -> str:
        return self._shown

    def close(self) -> None:
        self._client.close()

    def abort(self) -> None:
        """Cut every request in flight and wake parked parts (a cancel)."""
        self._abortable.abort()
        if self._breaker is not None:
            self._breaker.cancel_waiters()

    def outage(self) -> Outage | None:
        return self._breaker.outage() if self._breaker is not None else None

    # -- the three calls -------------------------------------------------------------------
    def upload(self, archive: bytes, filename: str, cancel: CancelToken) -> Submitted:
        body, form_type = form_with_file("file", filename, archive, "application/zip")
        answer = self._request(
            "POST",
            "/api/upload",
            cancel,
            content=body,
            headers={"Content-Type": form_type},
        )
        data = _json_object(answer, "the upload")
        job_id, user_hash = data.get("job_id"), data.get("user_hash")
        if not isinstance(job_id, str) or not job_id or not isinstance(user_hash, str):
            raise EngineError(
                say("engine.unusable_answer", detail=f"the upload answer {_excerpt(answer)}")
            )
        return Submitted(job_id, user_hash)

    def status(self, job_id: str, cancel: CancelToken) -> tuple[str, Any]:
        """The Celery state (``PENDING``, ``STARTED``, ``SUCCESS``, ``FAILURE``...) and result."""
        data = _json_object(self._request("GET", f"/api/status/{job_id}", cancel), "the status")
        state = data.get("status")
        if not isinstance(state, str):
            raise EngineError(
                say("engine.unusable_answer", detail=f"a status without a state: {data!r:.160}")
            )
        return state.upper(), data.get("result")

    def download(self, user_hash: str, cancel: CancelToken) -> bytes:
        return self._request("GET", f"/api/download/{user_hash}", cancel)

    # -- one request, retried --------------------------------------------------------------
    def _request(self, method: str, path: str, cancel: CancelToken, **kwargs: Any) -> bytes:
        total = self._options.retries + 1
        attempt = sent = 0
        while True:
            cancel.raise_if_cancelled()
            probe = self._wait(cancel, sent)
            sent += 1
            attempt += 0 if probe else 1
            try:
                body = self._once(method, path, cancel, **kwargs)
            except _Failure as failure:
                cancel.raise_if_cancelled()  # an abort cut the request
                if self._never_answered(failure) and attempt >= total:
                    raise EndpointUnreachable(
                        say("engine.never_answered", detail=failure.detail, count=sent)
                    ) from None
                busy = failure.retry_after is not None  # up, but asked to wait: not an outage
                if self._breaker is not None and self._breaker.failure(
                    failure.detail, outage=failure.outage and not busy, probe=probe
                ):
                    attempt -= 0 if probe else 1  # parked until the server is back
                    continue
                if not failure.retryable or attempt >= total:
                    raise self._error(failure, sent, path) from None
                if failure.retry_after is not None:
                    delay = min(failure.retry_after, RETRY_AFTER_CAP)
                else:
                    delay = random.uniform(0.0, self._options.backoff_base * 2 ** (attempt - 1))
                log.warning(
                    "%s %s at %s failed (%s); retrying in %.2f s.",
                    method,
                    path,
                    self._shown,
                    failure.detail,
                    delay,
                )
                cancel.sleep(delay)
                continue
            if self._breaker is not None:
                self._breaker.success(probe)
            return body

    def _never_answered(self, failure: _Failure) -> bool:
        return self._options.stop_when_unreachable and failure.unreachable and not self._answered

    def _wait(self, cancel: CancelToken, sent: int) -> bool:
        if self._breaker is None:
            return False
        try:
            return self._breaker.acquire(cancel)
        except OutageTooLong as exc:
            minutes = f"{self._options.max_outage / 60:g}"
            raise EngineError(
                say("engine.outage_too_long", minutes=minutes, reason=str(exc))
            ) from None

    def _once(self, method: str, path: str, cancel: CancelToken, **kwargs: Any) -> bytes:
        url = f"{self._base}{path}"
        try:
            with self._client.stream(method, url, **kwargs) as response:
                self._answered = True
                body = _read(response, cancel)
        except httpx.TransportError as exc:
            raise _transport_failure(exc, self._shown) from None
        except RuntimeError as exc:  # httpx refuses to send on a closed client
            raise _Failure(f"its connection pool is closed ({exc})", False) from None
        status = response.status_code
        if response.is_success:
            return body
        detail = f"{method} {path} answered {status} {response.reason_phrase}".rstrip()
        text = _error_text(body)
        detail = f"{detail}: {text}" if text else detail
        retryable = status in RETRY_STATUSES
        raise _Failure(
            detail,
            retryable,
            outage=status in OUTAGE_STATUSES,
            rejected=not retryable,
            verdict=_STATUS_VERDICTS.get(status, "http error"),
            status=status,
            reason=response.reason_phrase,
            retry_after=(
                parse_retry_after(response.headers.get("retry-after"))
                if status in (429, 503)
                else None
            ),
        )

    def _error(self, failure: _Failure, attempts: int, path: str) -> BackendError:
        detail = failure.detail.rstrip(".")
        if attempts > 1:
            detail += f"; gave up after {attempts} attempts"
        if failure.rejected:
            code = "engine.rejected"
        elif failure.unreachable or failure.outage:
            code = "engine.unreachable"
        else:
            code = "engine.no_answer"
        return BackendError(
            say(code, detail=detail),
            verdict=failure.verdict,
            status=failure.status,
            reason=failure.reason,
            path=path,
            detail=failure.detail,
        )


_STATUS_VERDICTS = {404: "not found", 401: "unauthorized", 403: "unauthorized"}


def _read(response: httpx.Response, cancel: CancelToken) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        if cancel.cancelled:
            raise Cancelled("cancelled")
        size += len(chunk)
        if size > MAX_DOWNLOAD_BYTES:
            raise _Failure(f"the answer is larger than {MAX_DOWNLOAD_BYTES} bytes", False)
        chunks.append(chunk)
    return b"".join(chunks)


def _transport_failure(exc: httpx.TransportError, shown: str) -> _Failure:
    if isinstance(exc, httpx.ConnectError):
        return _connect_failure(exc, shown)
    if isinstance(exc, httpx.ConnectTimeout):
        return _Failure(
            f"connecting to {shown} timed out", True, outage=True, verdict="connect timeout"
        )
    if isinstance(exc, httpx.TimeoutException):
        return _Failure(f"{shown} did not answer in time", True, verdict="read timeout")
    return _Failure(f"the connection to {shown} failed ({type(exc).__name__}: {exc})", True)


def _connect_failure(exc: httpx.ConnectError, shown: str) -> _Failure:
    for cause in exception_chain(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or cause.reason or str(cause)
            detail = f"TLS certificate verification failed: {reason} ({shown})"
            return _Failure(detail, False, verdict="tls")
        if isinstance(cause, ssl.SSLError):
            detail = f"the TLS handshake with {shown} failed ({cause.reason or cause})"
            return _Failure(detail, False, verdict="tls")
        if isinstance(cause, ConnectionRefusedError):
            detail = f"connection refused to {shown}"
            return _Failure(detail, True, True, unreachable=True, verdict="refused")
        if isinstance(cause, socket.gaierror):
            detail = f"the host name of {shown} could not be resolved"
            return _Failure(detail, True, True, True, verdict="host not found")
    text = str(exc)
    if "Name or service not known" in text or "nodename nor servname" in text:
        detail = f"the host name of {shown} could not be resolved"
        return _Failure(detail, True, True, True, verdict="host not found")
    return _Failure(f"could not connect to {shown} ({text})", True, outage=True)


def _json_object(body: bytes, what: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise EngineError(
            say("engine.unusable_answer", detail=f"{what} is not a JSON object: {_excerpt(body)}")
        )
    return data


def _error_text(body: bytes) -> str:
    """FastAPI's ``{"detail": ...}``, or the plain text, in a few words."""
    try:
        data = json.loads(body)
    except ValueError:
        return _excerpt(body)
    if isinstance(data, dict) and "detail" in data:
        return str(data["detail"])[:_EXCERPT]
    return _excerpt(body)


def _excerpt(body: bytes) -> str:
    text = body[: _EXCERPT * 4].decode("utf-8", "replace").strip()
    text = " ".join(text.split())
    return text[:_EXCERPT] + ("…" if len(text) > _EXCERPT else "")
