""" "Test connection": one real request to the endpoint, and a precise verdict.

It sends what a job sends (a small generated SAR-like PNG in the multipart field ``file``,
with the token as ``Authorization: Bearer``) and checks that the answer is an ``image/*``
body that decodes. It is a coroutine on the Qt event loop (``qasync`` + ``httpx``), so the
settings dialog stays responsive however long the server takes.

The verdict is a :class:`ConnectionCheck` (a kind plus facts); :func:`describe` words it
in the user's language.
"""

from __future__ import annotations

import io
import socket
import ssl
import time
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import httpx
from PIL import Image
from PySide6.QtCore import QCoreApplication

from ..core.config.settings import Settings
from ..core.engines.http_engine import USER_AGENT, check_endpoint, exception_chain
from ..tools.synthetic import survey_scene

MAX_ANSWER_BYTES = 64 * 1024 * 1024
PROBE_SIZE = (128, 128)


class Verdict(StrEnum):
    OK = "ok"
    BAD_URL = "bad url"
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
    OTHER = "other"


@dataclass(frozen=True)
class ConnectionCheck:
    verdict: Verdict
    url: str
    status: int | None = None
    reason: str = ""
    content_type: str = ""
    detail: str = ""
    elapsed: float = 0.0
    image_size: tuple[int, int] | None = None

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.OK


@cache
def probe_png() -> bytes:
    """A small synthetic sea scene with a slick, as PNG: what a real job would send."""
    buffer = io.BytesIO()
    survey_scene(0, size=PROBE_SIZE).image.save(buffer, format="PNG")
    return buffer.getvalue()


def _verify(settings: Settings) -> bool | ssl.SSLContext:
    if settings.ca_bundle:
        return ssl.create_default_context(cafile=settings.ca_bundle)
    return settings.tls_verify


def _excerpt(body: bytes, limit: int = 160) -> str:
    text = body[:2048].decode("utf-8", "replace").strip()
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _scrub(text: str, token: str) -> str:
    return text.replace(token, "***") if token else text


async def check_connection(settings: Settings) -> ConnectionCheck:
    """POST the probe image to ``settings.endpoint`` and judge the answer."""
    url = settings.endpoint.strip()
    problem = check_endpoint(url)
    if problem:
        return ConnectionCheck(Verdict.BAD_URL, url, detail=problem)
    token = settings.api_token.strip()
    headers = {"User-Agent": USER_AGENT, "Accept": "image/*"}
    if token:
        if not all(32 <= ord(c) < 127 for c in token):
            return ConnectionCheck(
                Verdict.BAD_URL, url, detail="The API token holds characters not allowed in HTTP."
            )
        headers["Authorization"] = f"Bearer {token}"
    try:
        verify = _verify(settings)
    except (OSError, ssl.SSLError, ValueError) as exc:
        return ConnectionCheck(Verdict.TLS, url, detail=f"CA bundle {settings.ca_bundle}: {exc}")
    timeout = httpx.Timeout(
        connect=settings.connect_timeout,
        read=settings.read_timeout,
        write=settings.read_timeout,
        pool=settings.connect_timeout,
    )
    started = time.monotonic()
    try:
        async with httpx.AsyncClient(
            headers=headers, verify=verify, timeout=timeout, follow_redirects=False
        ) as client:
            files = {"file": ("connection-test.png", probe_png(), "image/png")}
            async with client.stream("POST", url, files=files) as response:
                return await _judge(response, url, started, token)
    except httpx.ConnectTimeout:
        return ConnectionCheck(Verdict.CONNECT_TIMEOUT, url, elapsed=time.monotonic() - started)
    except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout):
        return ConnectionCheck(Verdict.READ_TIMEOUT, url, elapsed=time.monotonic() - started)
    except httpx.ConnectError as exc:
        return _connect_failure(exc, url)
    except httpx.TransportError as exc:
        return ConnectionCheck(
            Verdict.OTHER, url, detail=_scrub(f"{type(exc).__name__}: {exc}", token)
        )


def _connect_failure(exc: httpx.ConnectError, url: str) -> ConnectionCheck:
    for cause in exception_chain(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return ConnectionCheck(
                Verdict.TLS, url, detail=str(cause.verify_message or cause.reason or cause)
            )
        if isinstance(cause, ssl.SSLError):
            return ConnectionCheck(Verdict.TLS, url, detail=str(cause.reason or cause))
        if isinstance(cause, ConnectionRefusedError):
            return ConnectionCheck(Verdict.REFUSED, url)
        if isinstance(cause, socket.gaierror):
            return ConnectionCheck(Verdict.HOST_NOT_FOUND, url, detail=str(cause))
    text = str(exc)
    lowered = text.lower()
    if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        return ConnectionCheck(Verdict.TLS, url, detail=text)
    if "refused" in lowered:
        return ConnectionCheck(Verdict.REFUSED, url)
    if "name or service not known" in lowered or "getaddrinfo" in lowered:
        return ConnectionCheck(Verdict.HOST_NOT_FOUND, url, detail=text)
    return ConnectionCheck(Verdict.OTHER, url, detail=text or type(exc).__name__)


async def _read_capped(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return b"".join(chunks), True
    return b"".join(chunks), False


async def _judge(response: httpx.Response, url: str, started: float, token: str) -> ConnectionCheck:
    status = response.status_code
    reason = response.reason_phrase
    content_type = response.headers.get("content-type", "").strip()
    media_type = content_type.split(";", 1)[0].strip().lower()
    facts = {"status": status, "reason": reason, "content_type": content_type}
    if response.is_redirect:
        location = response.headers.get("location", "")
        return ConnectionCheck(Verdict.REDIRECT, url, detail=_scrub(location, token), **facts)
    if not response.is_success:
        body, _ = await _read_capped(response, 64 * 1024)
        detail = _scrub(_excerpt(body), token)
        if status == 404:
            verdict = Verdict.NOT_FOUND
        elif status in (401, 403):
            verdict = Verdict.UNAUTHORIZED
        else:
            verdict = Verdict.HTTP_ERROR
        return ConnectionCheck(verdict, url, detail=detail, **facts)
    if not media_type.startswith("image/"):
        body, _ = await _read_capped(response, 64 * 1024)
        return ConnectionCheck(
            Verdict.NOT_IMAGE, url, detail=_scrub(_excerpt(body), token), **facts
        )
    body, too_large = await _read_capped(response, MAX_ANSWER_BYTES)
    elapsed = time.monotonic() - started
    if too_large:
        return ConnectionCheck(Verdict.TOO_LARGE, url, elapsed=elapsed, **facts)
    try:
        with Image.open(io.BytesIO(body)) as picture:
            picture.load()
            size = picture.size
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        return ConnectionCheck(
            Verdict.UNREADABLE_IMAGE,
            url,
            detail=str(exc) or type(exc).__name__,
            elapsed=elapsed,
            **facts,
        )
    return ConnectionCheck(Verdict.OK, url, elapsed=elapsed, image_size=size, **facts)


def describe(check: ConnectionCheck) -> str:
    """One or two sentences for the user, saying what is wrong and what to look at."""

    host_port = check.url
    try:
        parsed = httpx.URL(check.url)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        host_port = f"{parsed.host}:{port}"
    except (httpx.InvalidURL, TypeError, ValueError):
        pass
    status = f"{check.status} {check.reason}".strip()
    body = f" ({check.detail})" if check.detail else ""
    verdict = check.verdict
    if verdict is Verdict.OK:
        width, height = check.image_size or (0, 0)
        return QCoreApplication.translate(
            "ConnectionTest",
            "Connected. The endpoint answered in {ms} ms with a {width}×{height} picture "
            "({type}), as a segmentation service should.",
        ).format(
            ms=round(check.elapsed * 1000), width=width, height=height, type=check.content_type
        )
    if verdict is Verdict.BAD_URL:
        return QCoreApplication.translate(
            "ConnectionTest", "The address cannot be used: {detail}"
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
            "ConnectionTest",
            "The server answered {status} and redirects to {location}; set the endpoint to "
            "that address.",
        ).format(status=status, location=check.detail or "?")
    if verdict is Verdict.HTTP_ERROR:
        return QCoreApplication.translate(
            "ConnectionTest", "The server answered {status}{body}."
        ).format(status=status, body=body)
    if verdict is Verdict.NOT_IMAGE:
        shown = check.content_type or QCoreApplication.translate(
            "ConnectionTest", "no content type"
        )
        return QCoreApplication.translate(
            "ConnectionTest",
            "The server answered with {type} instead of an image{body}: this does not look "
            "like a segmentation endpoint.",
        ).format(type=shown, body=body)
    if verdict is Verdict.UNREADABLE_IMAGE:
        return QCoreApplication.translate(
            "ConnectionTest",
            "The server answered {type}, but the picture could not be decoded ({detail}).",
        ).format(type=check.content_type, detail=check.detail)
    if verdict is Verdict.TOO_LARGE:
        return QCoreApplication.translate(
            "ConnectionTest",
            "The server's answer is far too large to be a mask of a small test image.",
        )
    return QCoreApplication.translate("ConnectionTest", "The test failed: {detail}").format(
        detail=check.detail
    )
