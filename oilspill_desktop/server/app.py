"""``oilspill-desktop serve``: an offline engine behind the ML service's HTTP contract.

Other tools built for the original backend (and other copies of this app, set to the HTTP
engine) can then use the learned model (or the classical detector) of this workstation as
if it were the old ML service: ``POST /segment``
with the image in multipart field ``file`` answers an ``image/png`` mask of the same size.

Uploads are hostile until proven otherwise: the body is counted while it streams and cut
off at the member size limit, decoding goes through the same guarded decoder as archives,
and every refusal is a JSON ``{"error": ...}`` with a 4xx code saying whose fault it is.
Segmentation is CPU work, so it runs in worker threads, never on the event loop.

It is a drop-in for the Oil Spill AI ML service behind that service's backend, which
refuses any answer under 100 bytes: every mask carries a text chunk naming the engine,
so even an empty mask of a tiny tile is a valid PNG of at least :data:`MIN_ANSWER_BYTES`.
``GET /stats`` gives operators request counts and timings.
"""

from __future__ import annotations

import io
import logging
import socket
import time
from collections.abc import AsyncGenerator, Mapping

import anyio
import anyio.to_thread
import numpy as np
from PIL import Image, PngImagePlugin
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..core.config.settings import Settings
from ..core.engines.answers import interpret_answer
from ..core.engines.factory import create_engine
from ..core.engines.protocol import Engine
from ..core.errors import EngineError, ItemError, LimitExceeded
from ..core.inputs.images import decode_image
from ..core.jobs.cancel import CancelToken
from ..core.model import Limits, MiB

log = logging.getLogger(__name__)

MULTIPART_OVERHEAD = 64 * 1024
"""Room for boundaries and part headers on top of the largest accepted image."""
MIN_ANSWER_BYTES = 100
"""The Oil Spill AI backend refuses ML answers shorter than this."""


class ServeError(OSError):
    """The server cannot start (the port is taken, the address is not ours)."""


class _TooLargeError(MultiPartException):
    """A MultiPartException so that Starlette closes the spooled parts before re-raising."""

    def __init__(self) -> None:
        super().__init__("the upload is too large")


def create_app(
    engine: Engine | None = None, limits: Limits | None = None, *, workers: int = 4
) -> Starlette:
    """The ASGI application; ``workers`` caps how many images are segmented at once.

    Without an ``engine`` it serves the default offline engine (the bundled model).
    """
    if engine is None:
        engine = create_engine(Settings(workers=workers))
    service = _Service(engine, limits if limits is not None else Limits(), workers)
    app = Starlette(
        routes=[
            Route("/segment", service.segment, methods=["POST"]),
            Route("/health", service.health, methods=["GET"]),
            Route("/stats", service.stats, methods=["GET"]),
        ],
        exception_handlers={HTTPException: _http_error, Exception: _crashed},
    )
    app.add_middleware(_RequestLog)
    return app


class _Service:
    """The routes and the state they share: the engine, the limits, the worker slots and
    the counters ``GET /stats`` reports. One per app, so two apps never share counters."""

    def __init__(self, engine: Engine, bounds: Limits, workers: int) -> None:
        self._engine = engine
        self._bounds = bounds
        self._max_body = bounds.max_member_bytes + MULTIPART_OVERHEAD
        self._workers = workers
        self._slots: list[anyio.CapacityLimiter] = []
        self._started = time.time()
        self._stats: dict[str, float] = {
            "requests": 0,
            "ok": 0,
            "failed": 0,
            "total_ms": 0.0,
            "max_ms": 0.0,
        }

    def _limiter(self) -> anyio.CapacityLimiter:
        # Created on first use, inside the running event loop, as anyio requires.
        if not self._slots:
            self._slots.append(anyio.CapacityLimiter(max(1, self._workers)))
        return self._slots[0]

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "engine": self._engine.engine, "version": __version__})

    async def stats(self, request: Request) -> Response:
        stats = self._stats
        answered = stats["ok"]
        return JSONResponse(
            {
                "engine": self._engine.engine,
                "version": __version__,
                "uptime_s": round(time.time() - self._started, 1),
                "requests": int(stats["requests"]),
                "ok": int(answered),
                "failed": int(stats["failed"]),
                "mean_ms": round(stats["total_ms"] / answered, 1) if answered else None,
                "max_ms": round(stats["max_ms"], 1),
            }
        )

    async def segment(self, request: Request) -> Response:
        """``POST /segment``, counted and timed for ``GET /stats``."""
        stats = self._stats
        began = time.perf_counter()
        stats["requests"] += 1
        response = await self._segment_one(request)
        if response.status_code == 200:
            elapsed = (time.perf_counter() - began) * 1000
            stats["ok"] += 1
            stats["total_ms"] += elapsed
            stats["max_ms"] = max(stats["max_ms"], elapsed)
        else:
            stats["failed"] += 1
        return response

    async def _segment_one(self, request: Request) -> Response:
        """Read the upload within the limits and segment it in a worker thread; every
        refusal is a JSON error whose status says whose fault it is."""
        bounds, max_body = self._bounds, self._max_body
        content_type = request.headers.get("content-type", "")
        if not content_type.lower().startswith("multipart/form-data"):
            return _error(
                415,
                "Send the image as multipart/form-data in a field named 'file' "
                f"(the request was {content_type or 'without a Content-Type'}).",
            )
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_body:
            return _too_large(int(declared), bounds)
        try:
            upload = await _read_file_field(request, max_body)
        except _TooLargeError:
            return _too_large(None, bounds)
        except MultiPartException as exc:
            return _error(400, f"The multipart body could not be read: {exc}.")
        if upload is None:
            return _error(400, "The request has no field named 'file' holding the image.")
        filename, data = upload
        if not data:
            return _error(422, f"The file {filename!r} is empty.")
        try:
            png = await anyio.to_thread.run_sync(
                _segment_to_png, self._engine, data, filename, bounds, limiter=self._limiter()
            )
        except LimitExceeded as exc:
            return _error(413, str(exc))
        except EngineError as exc:
            return _error(500, str(exc))
        except ItemError as exc:
            return _error(422, str(exc))
        return Response(png, media_type="image/png")


async def _not_found(request: Request, exc: Exception) -> Response:
    return _error(
        404,
        f"There is no {request.url.path} here; use POST /segment, GET /health or GET /stats.",
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (unknown path, wrong method) in the same JSON shape."""
    if isinstance(exc, HTTPException):
        if exc.status_code == 404:
            return await _not_found(request, exc)
        if exc.status_code == 405:
            return _error(
                405, f"{request.method} is not allowed on {request.url.path}.", exc.headers
            )
        return _error(exc.status_code, str(exc.detail), exc.headers)
    return _error(500, "The server failed unexpectedly.")


async def _crashed(request: Request, exc: Exception) -> Response:
    log.exception("Unexpected error on %s %s", request.method, request.url.path)
    return _error(500, f"The server failed unexpectedly: {type(exc).__name__}.")


def _segment_to_png(engine: Engine, data: bytes, filename: str, limits: Limits) -> bytes:
    """Worker-thread part: decode, segment, and encode the mask at the image's size."""
    source = decode_image(data, filename, limits)
    answer = engine.segment(source, CancelToken())
    result = interpret_answer(answer.image, source.width, source.height)
    if result.oil is not None:
        mask = result.oil.astype(np.uint8) * np.uint8(255)
        return answer_png(Image.fromarray(mask, "L"), engine.engine)
    if result.overlay_image is None:
        raise EngineError("The engine gave neither a mask nor a picture.")
    return answer_png(result.overlay_image, engine.engine)


def answer_png(image: Image.Image, engine: str) -> bytes:
    """PNG with a text chunk naming the engine: never under :data:`MIN_ANSWER_BYTES`."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", f"oilspill-desktop {__version__} ({engine} engine)")
    info.add_text("Comment", "Oil spill mask: 255 is oil, 0 is not.")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=3, pnginfo=info)
    data = buffer.getvalue()
    assert len(data) >= MIN_ANSWER_BYTES
    return data


async def _read_file_field(request: Request, max_body: int) -> tuple[str, bytes] | None:
    """The ``file`` part's name and bytes, never holding more than ``max_body`` bytes."""

    async def capped() -> AsyncGenerator[bytes, None]:
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
            if total > max_body:
                raise _TooLargeError
            yield chunk

    parser = MultiPartParser(
        request.headers, capped(), max_files=4, max_fields=32, max_part_size=MULTIPART_OVERHEAD
    )
    form = await parser.parse()
    try:
        field = form.get("file")
        if not isinstance(field, UploadFile):
            return None
        return field.filename or "upload", await field.read()
    finally:
        await form.close()


def _error(code: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=code, headers=headers)


def _too_large(size: int | None, limits: Limits) -> JSONResponse:
    cap = limits.max_member_bytes / MiB
    if size is None:
        return _error(413, f"The upload is larger than the {cap:g} MB limit.")
    return _error(413, f"The upload is {size / MiB:.1f} MB, above the {cap:g} MB limit.")


class _RequestLog:
    """One log line per request: method, path, status, size and time."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: list[int] = [0]
        size: list[int] = [0]
        logged: list[bool] = [False]

        def log_line() -> None:
            # Written before the last byte goes out, so the line exists once the client
            # has its answer (tests and people reading logs alongside rely on that).
            if logged[0]:
                return
            logged[0] = True
            client = scope.get("client") or ("-", 0)
            log.info(
                "%s %s %s -> %d (%d bytes, %.0f ms)",
                client[0],
                scope.get("method", "-"),
                scope.get("path", "-"),
                status[0] or 500,
                size[0],
                (time.perf_counter() - started) * 1000,
            )

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            elif message["type"] == "http.response.body":
                size[0] += len(message.get("body", b""))
                if not message.get("more_body", False):
                    log_line()
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            log_line()


def serve(
    host: str = "127.0.0.1",
    port: int = 8002,
    *,
    workers_hint: int = 4,
    engine: Engine | None = None,
) -> None:
    """Run the server until interrupted (Ctrl+C); blocking."""
    import uvicorn

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    log.setLevel(logging.INFO)
    if engine is None:
        engine = create_engine(Settings(workers=workers_hint))
    sock = _bind(host, port)
    shown = f"[{host}]" if ":" in host else host
    described = getattr(engine, "fingerprint", None) or engine.engine
    log.info("Serving %s on http://%s:%d/segment", described, shown, sock.getsockname()[1])
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("Listening on %s: other machines on the network can use this server.", host)
    config = uvicorn.Config(
        create_app(engine, workers=workers_hint),
        log_level="info",
        access_log=False,
        lifespan="off",
        timeout_keep_alive=5,
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        # uvicorn re-raises the Ctrl+C it caught once it has shut down gracefully.
        log.info("Stopped.")
    finally:
        sock.close()


def _bind(host: str, port: int) -> socket.socket:
    """Bind before uvicorn does, so a taken port is one clear sentence, not a traceback."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"The address {host!r} could not be resolved ({exc.strerror}).") from exc
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ServeError(
            f"Cannot listen on {host} port {port}: {exc.strerror or exc}; "
            "choose another with --port."
        ) from exc
    sock.set_inheritable(True)
    return sock
