"""A real HTTP segmentation endpoint on 127.0.0.1 that misbehaves on purpose.

Tests, GUI tests and benchmarks need an ML service that fails in every way real ones do
(slow, 5xx, 429, wrong bodies, dropped connections, hangs) without touching the network.
This one is a stdlib ``ThreadingHTTPServer`` in a daemon thread. It parses the multipart
upload for real and answers with a real mask of the right size, so success paths are
checked end to end too.

Usage::

    with FakeEndpoint("fail_first_n", fail_first_n=2) as ep:
        engine = HttpEngine(ep.url, ...)
        ...
        assert ep.requests == 3

Behaviours combine: gates (``latency``, ``capacity``, ``hang``, ``rate_limit``,
``fail_first_n``, ``random_fail``) run first, in that order, then exactly one answer
(``ok`` by default, or ``status``, ``not_image``, ``wrong_content_type``, ``truncated``,
``drop``, ``wrong_size``, ``classes``, ``overlay``, ``blank``, ``table``, ``oilspill_ai``).

``oilspill_ai`` behaves like the Oil Spill AI ML service's code: the upload is saved under
its file name in one shared folder, "YOLO" reads it back from there and writes its
annotated picture (50 % tint, box, label, JPEG) as ``<stem>.jpg`` in one shared results
folder, and the answer is the results file named like the upload (500 when there is none,
as FastAPI's FileResponse fails). With ``latency`` the steps are spread over that time,
so uploads with the same name in flight get each other's pictures, as there.
:meth:`FakeEndpoint.configure` changes them while the server runs and restarts the
counters.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import random
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

GATES = ("latency", "capacity", "hang", "rate_limit", "fail_first_n", "random_fail", "reverse")
ANSWERS = (
    "ok",
    "status",
    "not_image",
    "wrong_content_type",
    "truncated",
    "drop",
    "wrong_size",
    "classes",
    "overlay",
    "blank",
    "table",
    "oilspill_ai",
)
YOLO_COLOUR = (255, 56, 56)
"""Ultralytics' first class colour: the slick tint, box and label background."""
PALETTE = {0: (0, 0, 0), 1: (0, 255, 255), 2: (255, 0, 0), 3: (153, 76, 0), 4: (0, 153, 0)}
MAX_BODY = 512 * 1024 * 1024


@dataclass(frozen=True)
class Options:
    """Knobs of the behaviours; only those of the selected behaviours matter."""

    latency: float = 0.0
    """Seconds each request takes (``latency``)."""
    capacity: int = 1
    """Requests processed at once; others wait (``capacity``)."""
    hang_max: float = 30.0
    """A hanging request answers normally after this long, or on :meth:`release`."""
    reverse_n: int = 3
    """``reverse``: requests in groups of n by arrival, each group answered last first;
    a request whose group is not all in within ``hang_max`` is dropped unanswered."""
    rate_limit_n: int = 1
    """The first n requests get 429 (``rate_limit``)."""
    retry_after: str | None = "1"
    """``Retry-After`` value sent with 429 (seconds or an HTTP-date); ``None``: no header."""
    rate_limit_status: int = 429
    """What ``rate_limit`` answers: 429, or 503 (a service that says it is busy)."""
    fail_first_n: int = 1
    """The first n requests fail (``fail_first_n``) with ``fail_status``."""
    fail_status: int = 503
    random_fail_p: float = 0.0
    """Share of requests answered 500 (``random_fail``), drawn from ``seed``."""
    seed: int = 0
    status: int = 500
    """Code sent by ``status``, with a JSON ``{"error": ...}`` body."""
    not_image_type: str = "application/json"
    """Content type sent by ``not_image``: ``application/json`` or ``text/html``."""
    dark_fraction: float = 0.5
    """Pixels darker than this share of the image's mean value are oil in the mask."""
    path: str = "/segment"
    echo_headers: bool = False
    """Error bodies repeat the request headers, as some debug servers do (token leaks)."""
    port: int = 0
    """Port to listen on (fixed at start); 0 picks a free one."""
    keep_received: int = 1000
    """How many uploads :attr:`received` keeps (the oldest go): benchmarks send thousands."""
    tls: tuple[str, str] | None = None
    """``(certfile, keyfile)``: serve HTTPS with that certificate (fixed at start)."""
    table: dict[bytes, bytes] = field(default_factory=dict)
    """``table``: PNG answers by the sha1 digest of the upload (others get ``blank``)."""


@dataclass(frozen=True)
class Received:
    """What one request carried, as parsed by the server."""

    method: str
    path: str
    headers: dict[str, str]
    field_name: str | None
    filename: str | None
    content_type: str | None
    content: bytes
    fields: dict[str, bytes] = field(default_factory=dict)


class FakeEndpoint:
    """A misbehaving segmentation service; a context manager, safe across threads."""

    def __init__(self, behaviour: str | Iterable[str] = "ok", **options: Any) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._release = threading.Event()
        self._received: list[Received] = []
        self._blank_masks: dict[tuple[int, int], bytes] = {}
        self.shared_uploads: dict[str, bytes] = {}
        """``oilspill_ai``: the service's upload folder, by file name."""
        self.shared_results: dict[str, bytes] = {}
        """``oilspill_ai``: the service's results folder, by file name."""
        self._requests = 0
        self._active = 0
        self._max_active = 0
        self._connections: set[socket.socket] = set()
        self.errors: list[BaseException] = []
        self._names, self._options = _parse(behaviour, Options(), options)
        self._counter = 0
        self._rng = random.Random(self._options.seed)
        self._capacity = threading.BoundedSemaphore(max(1, self._options.capacity))
        self._turns = threading.Condition(self._lock)
        self._answered: set[int] = set()
        self._server: _Server | None = None
        self._port: int | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> FakeEndpoint:
        server = _Server(("127.0.0.1", self._options.port), _Handler)
        server.endpoint = self
        if self._options.tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self._options.tls)
            server.tls_context = context
        self._server = server
        self._port = int(server.server_address[1])
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop promptly: hanging handlers are released and open connections cut."""
        self._stop.set()
        self._release.set()
        server = self._server
        if server is None:
            return
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> FakeEndpoint:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what tests look at ------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port it listens (or, once closed, listened) on."""
        if self._port is None:
            raise RuntimeError("the endpoint has not been started")
        return self._port

    @property
    def base_url(self) -> str:
        scheme = "https" if self._options.tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.base_url + self._options.path

    @property
    def requests(self) -> int:
        """POST requests received since start (not reset by :meth:`configure`)."""
        with self._lock:
            return self._requests

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    @property
    def max_concurrent(self) -> int:
        """The most requests processed at once (waiting at the ``capacity`` gate excluded)."""
        with self._lock:
            return self._max_active

    def configure(self, behaviour: str | Iterable[str] | None = None, **options: Any) -> None:
        """Change behaviour at runtime; counters for ``fail_first_n``/``rate_limit`` restart."""
        with self._lock:
            names = self._names if behaviour is None else behaviour
            self._names, self._options = _parse(names, self._options, options)
            self._counter = 0
            self._answered.clear()
            self._rng = random.Random(self._options.seed)
            self._capacity = threading.BoundedSemaphore(max(1, self._options.capacity))
            self._release.clear()

    def release(self) -> None:
        """Let hanging requests go on (they then answer as the other behaviours say)."""
        self._release.set()

    # -- request handling (called by handler threads) ----------------------------------

    def _track(self, connection: socket.socket, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def _begin(self, received: Received) -> tuple[int, frozenset[str], Options, float, Any]:
        with self._lock:
            self._requests += 1
            self._counter += 1
            self._received.append(received)
            if len(self._received) > self._options.keep_received:
                del self._received[: len(self._received) - self._options.keep_received]
            return self._counter, self._names, self._options, self._rng.random(), self._capacity

    @contextlib.contextmanager
    def _processing(self) -> Iterator[None]:
        """Counts requests being worked on (past the ``capacity`` gate) at once."""
        with self._lock:
            self._active += 1
            self._max_active = max(self._max_active, self._active)
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1

    def _handle_post(self, handler: _Handler) -> None:
        body = handler.read_body()
        received = _parse_upload(handler, body)
        number, names, options, draw, capacity = self._begin(received)
        gated = "capacity" in names
        if gated:
            while not capacity.acquire(timeout=0.05):
                if self._stop.is_set():
                    handler.abandon()
                    return
        if "reverse" in names and not self._wait_turn(number, options):
            handler.abandon()
            return
        try:
            with self._processing():
                self._respond(
                    handler,
                    received=received,
                    number=number,
                    names=names,
                    options=options,
                    draw=draw,
                )
        finally:
            if gated:
                capacity.release()
            with self._turns:
                self._answered.add(number)
                self._turns.notify_all()

    def _wait_turn(self, number: int, options: Options) -> bool:
        """``reverse``: wait until this request's group has all come and every later one
        of it has been answered; False when that takes ``hang_max`` or the server stops."""
        last = -(-number // options.reverse_n) * options.reverse_n
        deadline = time.monotonic() + options.hang_max
        with self._turns:
            while not self._stop.is_set() and time.monotonic() < deadline:
                later = range(number + 1, last + 1)
                if self._counter >= last and all(n in self._answered for n in later):
                    return True
                self._turns.wait(timeout=0.05)
        return False

    def _respond(
        self,
        handler: _Handler,
        *,
        received: Received,
        number: int,
        names: frozenset[str],
        options: Options,
        draw: float,
    ) -> None:
        if "oilspill_ai" in names:
            self._answer_like_oilspill_ai(handler, received, names, options)
            return
        if "latency" in names and self._stop.wait(options.latency):
            handler.abandon()
            return
        if "hang" in names:
            self._release.wait(options.hang_max)
            if self._stop.is_set():
                handler.abandon()
                return
        if "rate_limit" in names and number <= options.rate_limit_n:
            headers = {} if options.retry_after is None else {"Retry-After": options.retry_after}
            busy = {"error": "Too many requests, slow down."}
            handler.send_json(options.rate_limit_status, busy, headers)
            return
        if "fail_first_n" in names and number <= options.fail_first_n:
            handler.send_json(options.fail_status, {"error": f"Warming up (request {number})."})
            return
        if "random_fail" in names and draw < options.random_fail_p:
            handler.send_json(500, {"error": "Random failure."})
            return
        if "status" in names:
            handler.send_json(options.status, {"error": f"Status {options.status} on purpose."})
            return
        if received.field_name != "file":
            handler.send_json(400, {"error": "The request has no 'file' field."})
            return
        if "table" in names:
            found = options.table.get(hashlib.sha1(received.content).digest())
            if found is not None:
                handler.send_bytes(200, "image/png", found)
                return
        if "blank" in names or "table" in names:
            self._answer_blank(handler, received.content)
            return
        try:
            values = _decode(received.content)
        except Exception as exc:
            handler.send_json(422, {"error": f"Not an image: {exc}"})
            return
        self._answer(handler, values, names, options)

    def _answer_like_oilspill_ai(
        self, handler: _Handler, received: Received, names: frozenset[str], options: Options
    ) -> None:
        """Save, "YOLO", answer ``results/<uploaded name>``: shared folders keyed by name."""
        name = (received.filename or "upload").replace("\\", "/").rsplit("/", 1)[-1]
        stem = name.rsplit(".", 1)[0] if "." in name else name
        pause = options.latency / 2 if "latency" in names else 0.0
        with self._lock:
            self.shared_uploads[name] = received.content
        if pause and self._stop.wait(pause):
            handler.abandon()
            return
        with self._lock:
            saved = self.shared_uploads[name]
        try:
            values, rgb = _decode_rgb(saved)
        except Exception:
            handler.send_bytes(500, "text/plain; charset=utf-8", b"Internal Server Error")
            return
        oil = values < options.dark_fraction * float(values.mean())
        picture = paint_like_yolo(rgb, oil)
        with self._lock:
            self.shared_results[f"{stem}.jpg"] = picture
        if pause and self._stop.wait(pause):
            handler.abandon()
            return
        with self._lock:
            answer = self.shared_results.get(name)
        if answer is None:
            handler.send_bytes(500, "text/plain; charset=utf-8", b"Internal Server Error")
            return
        handler.send_bytes(200, "image/jpeg", answer)

    def _answer_blank(self, handler: _Handler, content: bytes) -> None:
        """An empty mask of the upload's size, read from its header only: costs next to no
        CPU, so a benchmark measures the client, not this server."""
        try:
            with Image.open(io.BytesIO(content)) as image:
                size = image.size
        except Exception as exc:
            handler.send_json(422, {"error": f"Not an image: {exc}"})
            return
        with self._lock:
            png = self._blank_masks.get(size)
            if png is None:
                png = self._blank_masks[size] = _png(Image.new("L", size, 0))
        handler.send_bytes(200, "image/png", png)

    def _answer(
        self,
        handler: _Handler,
        values: npt.NDArray[np.float64],
        names: frozenset[str],
        options: Options,
    ) -> None:
        oil = values < options.dark_fraction * float(values.mean())
        if "not_image" in names:
            if options.not_image_type.startswith("text/html"):
                page = b"<html><body><h1>Welcome</h1><p>This is not a mask.</p></body></html>"
                handler.send_bytes(200, options.not_image_type, page)
            else:
                handler.send_json(200, {"status": "ok", "mask": None, "note": "not an image"})
            return
        if "classes" in names:
            classes = np.where(oil, 1, 0).astype(np.uint8)
            band = max(1, classes.shape[0] // 16)
            classes[:band][classes[:band] == 0] = 4
            table = np.array([PALETTE[i] for i in range(5)], dtype=np.uint8)
            handler.send_bytes(200, "image/png", _png(Image.fromarray(table[classes], "RGB")))
            return
        if "overlay" in names:
            handler.send_bytes(200, "image/jpeg", _overlay_jpeg(values, oil))
            return
        mask = Image.fromarray(oil.astype(np.uint8) * np.uint8(255), "L")
        if "wrong_size" in names:
            mask = mask.resize(
                (max(1, mask.width // 2), max(1, mask.height // 2)), Image.Resampling.NEAREST
            )
        png = _png(mask)
        if "wrong_content_type" in names:
            handler.send_bytes(200, "text/plain", png)
        elif "truncated" in names:
            handler.send_bytes(200, "image/png", png[: len(png) // 2])
        elif "drop" in names:
            handler.send_dropped(200, "image/png", png)
        else:
            handler.send_bytes(200, "image/png", png)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    endpoint: FakeEndpoint
    tls_context: ssl.SSLContext | None = None

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        error = sys.exc_info()[1]
        quiet = ConnectionError | TimeoutError | ssl.SSLError
        if error is not None and not isinstance(error, quiet):
            self.endpoint.errors.append(error)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 30
    # Headers and body go out in two writes; with Nagle's algorithm the client's delayed
    # ACK would hold every answer ~40 ms, as no real ML server (uvicorn sets NODELAY) does.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        context = self.server.tls_context
        if context is not None:
            # Handshake here, in the connection's thread, never in the accept loop.
            self.request.settimeout(self.timeout)
            self.request = context.wrap_socket(self.request, server_side=True)
        super().setup()
        self.server.endpoint._track(self.connection, True)

    def finish(self) -> None:
        self.server.endpoint._track(self.connection, False)
        with contextlib.suppress(OSError):
            super().finish()
        if self.server.tls_context is not None:
            with contextlib.suppress(OSError):
                self.connection.close()

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: test output stays readable."""

    def do_GET(self) -> None:
        self.read_body()
        if self.path.split("?", 1)[0] == "/health":
            self.send_json(200, {"status": "ok", "engine": "fake"})
        else:
            self.send_json(404, {"error": f"No route {self.path}."})

    def do_POST(self) -> None:
        endpoint = self.server.endpoint
        if self.path.split("?", 1)[0] != endpoint._options.path:
            self.read_body()
            self.send_json(404, {"error": f"No route {self.path}."})
            return
        try:
            endpoint._handle_post(self)
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ConnectionError("request too large for the fake endpoint")
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the client died mid-upload: nothing was received
            raise ConnectionError("the client closed the connection mid-request")
        return body

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()

    def send_bytes(
        self, code: int, content_type: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def send_json(self, code: int, data: object, headers: dict[str, str] | None = None) -> None:
        if code >= 400 and isinstance(data, dict) and self.server.endpoint._options.echo_headers:
            echoed = {"authorization": self.headers.get("Authorization")}
            data = {**echoed, **data, "headers": dict(self.headers.items())}
        self.send_bytes(code, "application/json", json.dumps(data).encode(), headers)

    def send_dropped(self, code: int, content_type: str, body: bytes) -> None:
        """Promise the whole body, send half, and cut the connection."""
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self.abandon()

    def abandon(self) -> None:
        """Close without (finishing) an answer."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def _parse(
    behaviour: str | Iterable[str], base: Options, changes: dict[str, Any]
) -> tuple[frozenset[str], Options]:
    if isinstance(behaviour, str):
        names = frozenset(n.strip() for n in behaviour.split(",") if n.strip())
    else:
        names = frozenset(behaviour)
    unknown = names - set(GATES) - set(ANSWERS)
    if unknown:
        raise ValueError(f"unknown behaviours: {sorted(unknown)}")
    answers = names & set(ANSWERS)
    if len(answers) > 1:
        raise ValueError(f"pick one answer behaviour, not {sorted(answers)}")
    known = {f.name for f in fields(Options)}
    if set(changes) - known:
        raise TypeError(f"unknown options: {sorted(set(changes) - known)}")
    return names or frozenset({"ok"}), replace(base, **changes)


def _parse_upload(handler: _Handler, body: bytes) -> Received:
    headers = {k.lower(): v for k, v in handler.headers.items()}
    message = Message()
    message["content-type"] = headers.get("content-type", "")
    boundary = message.get_param("boundary")
    found: dict[str, tuple[str | None, str | None, bytes]] = {}
    if isinstance(boundary, str) and message.get_content_type() == "multipart/form-data":
        delimiter = b"--" + boundary.encode("latin-1")
        for chunk in body.split(delimiter)[1:]:
            if chunk.startswith(b"--"):
                break
            head, _, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
            content = content.removesuffix(b"\r\n")
            part = Message()
            for line in head.split(b"\r\n"):
                name, _, value = line.decode("utf-8", "replace").partition(":")
                part[name.strip()] = value.strip()
            disposition = Message()
            disposition["content-type"] = "x/" + part.get("content-disposition", "")
            part_name = disposition.get_param("name")
            part_filename = disposition.get_param("filename")
            if isinstance(part_name, str):
                found[part_name] = (
                    part_filename if isinstance(part_filename, str) else None,
                    part.get("content-type"),
                    content,
                )
    if "file" in found:
        filename, content_type, content = found["file"]
        field_name: str | None = "file"
    elif found:
        field_name = next(iter(found))
        filename, content_type, content = found[field_name]
    else:
        field_name, filename, content_type, content = None, None, None, b""
    return Received(
        method=handler.command,
        path=handler.path,
        headers=headers,
        field_name=field_name,
        filename=filename,
        content_type=content_type,
        content=content,
        fields={name: value[2] for name, value in found.items()},
    )


def _decode(data: bytes) -> npt.NDArray[np.float64]:
    """The image as one float channel, whatever its bit depth or colours."""
    with Image.open(io.BytesIO(data)) as opened:
        opened.load()
        image: Image.Image = opened
        if image.mode in ("P", "PA", "CMYK", "YCbCr", "LAB", "HSV", "1"):
            image = image.convert("RGB")
        values = np.asarray(image, dtype=np.float64)
    if values.ndim == 3:
        values = values[..., : min(3, values.shape[2])].mean(axis=2)
    return np.nan_to_num(values)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _overlay_jpeg(values: npt.NDArray[np.float64], oil: npt.NDArray[np.bool_]) -> bytes:
    """The photo with translucent cyan where oil is, and a red blob, like the old service."""
    top = float(values.max()) if values.size else 0.0
    grey = values * (255.0 / top) if top > 255 else values
    rgb = np.repeat(grey[..., None], 3, axis=2)
    rgb[oil] = 0.55 * rgb[oil] + 0.45 * np.array([0.0, 255.0, 255.0])
    h, w = oil.shape
    yy, xx = np.ogrid[:h, :w]
    blob = ((yy - h * 0.7) / max(1.0, h * 0.12)) ** 2 + ((xx - w * 0.3) / max(1.0, w * 0.15)) ** 2
    inside = blob <= 1.0
    rgb[inside] = 0.6 * rgb[inside] + 0.4 * np.array([255.0, 0.0, 0.0])
    buffer = io.BytesIO()
    Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _decode_rgb(data: bytes) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8]]:
    """Grey values and the 8-bit RGB picture, as OpenCV's imread gives YOLO."""
    values = _decode(data)
    top = float(values.max()) if values.size else 0.0
    grey = values * (255.0 / top) if top > 255 else values
    with Image.open(io.BytesIO(data)) as opened:
        opened.load()
        if opened.mode in ("RGB", "RGBA", "P", "PA", "CMYK", "YCbCr"):
            rgb = np.asarray(opened.convert("RGB"), dtype=np.uint8)
        else:
            rgb = np.repeat(np.clip(grey, 0, 255).astype(np.uint8)[..., None], 3, axis=2)
    return values, rgb


def paint_like_yolo(
    rgb: npt.NDArray[np.uint8],
    oil: npt.NDArray[np.bool_],
    *,
    colour: tuple[int, int, int] = YOLO_COLOUR,
    label: str = "oil 0.77",
    quality: int = 95,
) -> bytes:
    """What Ultralytics' ``plot()`` makes of one detection: the mask blended at 50 %, a box
    around it (line width from the image size) and a filled label above it, as JPEG."""
    from PIL import ImageDraw

    out = rgb.astype(np.float32)
    out[oil] = 0.5 * out[oil] + 0.5 * np.asarray(colour, dtype=np.float32)
    image = Image.fromarray(np.clip(out + 0.5, 0, 255).astype(np.uint8), "RGB")
    if oil.any():
        draw = ImageDraw.Draw(image)
        ys, xs = np.nonzero(oil)
        line = max(round(sum(image.size) / 2 * 0.003), 2)
        box = (int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max()))
        draw.rectangle(box, outline=colour, width=line)
        _left, _top, text_w, text_h = draw.textbbox((0, 0), label)
        top = box[1] - text_h - 3
        top = top if top >= 0 else box[1]  # no room above: inside the box, as YOLO does
        draw.rectangle((box[0], top, box[0] + text_w + 2, top + text_h + 3), fill=colour)
        draw.text((box[0] + 1, top + 1), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()
