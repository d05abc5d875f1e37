"""A fake of the Oil Spill AI *backend* (FastAPI + Celery + Redis) on 127.0.0.1.

It follows the backend's code, as issue 13 describes it, rule by rule, so the server
engine is tested against what the real one does, failure modes included:

* ``POST /api/upload``, the zip in the multipart field ``file``: keeps only ``.jpg .jpeg
  .png .bmp .tif .tiff`` members (case-insensitive), skips ``__MACOSX`` and names starting
  with a dot, flattens folders and saves each as ``<stem>_<user_hash><lower-case ext>``
  (two members with the same base name overwrite each other). ``200 {"status":
  "processing", "job_id", "user_hash"}``; ``400 {"detail": "No files extracted from
  archive"}`` for a zip without images; a plain-text ``500`` for something not a zip.
* ``GET /api/status/{job_id}``: ``PENDING``, ``STARTED``, then ``SUCCESS`` with ``{"archive",
  "processed_files", "errors": [{"file", "error"}]}`` (server paths) or ``FAILURE``. An
  unknown id stays ``PENDING`` forever. No per-image progress.
* ``GET /api/download/{user_hash}``: a zip of ``<stem><lower-case ext>`` for each answered
  image (the ``result_`` prefix and ``_<user_hash>`` removed); failed images are missing;
  an unknown hash is a ``200`` with an empty zip. Files go ``retention`` seconds after
  processing (10 minutes there); ``GET /api/archive_time_left/{user_hash}`` says how long.

The "ML service" behind it answers like the Oil Spill AI one: a YOLO-style annotated JPEG
(:func:`tests.endpoint_server.paint_like_yolo`) with the dark regions tinted as oil.
Knobs: ``latency`` (seconds a part takes), ``finish_only`` (only the first N
uploads ever finish, until it is changed), ``fail`` (stems, as the member's file name
starts, that the ML service fails with an error text), ``drop`` (likewise, answered by
nothing and not listed as errors), ``never_finish``, ``failure`` (the Celery task fails),
``upload_errors`` (the first N uploads answered ``upload_error_status``, ``503`` unless
told, with ``Retry-After: <retry_after>`` when that is set), ``capacity`` (parts
processed at once, like Celery workers), ``token`` (every call without ``Authorization:
Bearer <token>`` is answered ``401``, as behind an auth proxy),
and for a backend that answers wrongly: ``download_body`` (what every download answers
instead of the zip), ``answer_name`` (renames each answer in the download zip) and
``answer`` (replaces each answered picture's bytes).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import threading
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from typing import Any

import numpy as np

from tests.endpoint_server import _decode_rgb, _Handler, _parse_upload, paint_like_yolo

KEPT = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff")
UPLOADS = "/app/uploads"


@dataclass
class _Job:
    user_hash: str
    files: dict[str, bytes]
    """Saved name (``<stem>_<hash><ext>``) to content."""
    state: str = "PENDING"
    result: Any = None
    finished_at: float | None = None
    results: dict[str, bytes] = field(default_factory=dict)
    number: int = 0
    """Its place among the uploads, from 0."""
    """What the ML service answered, as ``result_<stem>_<hash>.jpg``."""


@dataclass
class BackendStats:
    uploads: list[list[str]] = field(default_factory=list)
    """The member names of each accepted upload, in order."""
    status_polls: int = 0
    downloads: list[str] = field(default_factory=list)


class FakeBackend:
    """The backend; a context manager. ``url`` is its base (``http://127.0.0.1:PORT``)."""

    def __init__(
        self,
        *,
        latency: float = 0.05,
        fail: tuple[str, ...] = (),
        drop: tuple[str, ...] = (),
        never_finish: bool = False,
        failure: str | None = None,
        upload_errors: int = 0,
        capacity: int = 4,
        retention: float = 600.0,
        finish_only: int | None = None,
        upload_error_status: int = 503,
        token: str | None = None,
        download_body: bytes | None = None,
        answer_name: Callable[[str], str] | None = None,
        answer: Callable[[bytes], bytes] | None = None,
        retry_after: str | None = None,
    ) -> None:
        self.latency = latency
        self.fail = fail
        self.drop = drop
        self.never_finish = never_finish
        self.failure = failure
        self.upload_errors = upload_errors
        self.retention = retention
        self.finish_only = finish_only
        """Only the first N uploads ever finish (None: all)."""
        self.upload_error_status = upload_error_status
        self.token = token
        self.download_body = download_body
        self.answer_name = answer_name
        self.answer = answer
        self.retry_after = retry_after
        self.stats = BackendStats()
        self._jobs: dict[str, _Job] = {}
        self._by_hash: dict[str, _Job] = {}
        self._lock = threading.Lock()
        self._workers = threading.BoundedSemaphore(max(1, capacity))
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> FakeBackend:
        server = _BackendServer(("127.0.0.1", 0), _BackendHandler)
        server.backend = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def forget_files(self) -> None:
        """Delete every user's files now, as the 10-minute clean-up does."""
        with self._lock:
            for job in self._jobs.values():
                job.files.clear()

    # -- the routes ------------------------------------------------------------------------
    def upload(self, content: bytes) -> tuple[int, str, bytes]:
        with self._lock:
            if self.upload_errors > 0:
                self.upload_errors -= 1
                if self.upload_error_status == 500:  # FastAPI's unhandled error
                    return 500, "text/plain; charset=utf-8", b"Internal Server Error"
                detail = json.dumps({"detail": HTTPStatus(self.upload_error_status).phrase})
                return self.upload_error_status, "application/json", detail.encode()
        try:
            archive = zipfile.ZipFile(io.BytesIO(content))
        except zipfile.BadZipFile:
            return 500, "text/plain; charset=utf-8", b"Internal Server Error"
        user_hash = uuid.uuid4().hex[:16]
        files: dict[str, bytes] = {}
        names: list[str] = []
        with archive:
            for info in archive.infolist():
                base = info.filename.rsplit("/", 1)[-1]
                if info.is_dir() or "__MACOSX" in info.filename or base.startswith("."):
                    continue
                stem, dot, ext = base.rpartition(".")
                if not dot or f".{ext.lower()}" not in KEPT:
                    continue
                names.append(base)
                files[f"{stem}_{user_hash}.{ext.lower()}"] = archive.read(info)
        if not files:
            return 400, "application/json", b'{"detail": "No files extracted from archive"}'
        job_id = str(uuid.uuid4())
        job = _Job(user_hash, files)
        with self._lock:
            job.number = len(self.stats.uploads)
            self._jobs[job_id] = job
            self._by_hash[user_hash] = job
            self.stats.uploads.append(names)
        threading.Thread(target=self._process, args=(job,), daemon=True).start()
        body = {"status": "processing", "job_id": job_id, "user_hash": user_hash}
        return 200, "application/json", json.dumps(body).encode()

    def status(self, job_id: str) -> dict[str, Any]:
        with self._lock:
            self.stats.status_polls += 1
            job = self._jobs.get(job_id)
            if job is None:
                return {"status": "PENDING", "result": None}
            return {"status": job.state, "result": job.result}

    def download(self, user_hash: str) -> bytes:
        if self.download_body is not None:
            return self.download_body
        buffer = io.BytesIO()
        with self._lock:
            self.stats.downloads.append(user_hash)
            job = self._by_hash.get(user_hash)
            kept = job is not None and job.files and not self._expired(job)
            results = dict(job.results) if job is not None and kept else {}
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, content in results.items():
                plain = name.removeprefix("result_").replace(f"_{user_hash}", "")
                if self.answer_name is not None:
                    plain = self.answer_name(plain)
                answered = content if self.answer is None else self.answer(content)
                archive.writestr(plain, answered)
        return buffer.getvalue()

    def time_left(self, user_hash: str) -> dict[str, int]:
        with self._lock:
            job = self._by_hash.get(user_hash)
            done = job.finished_at if job is not None else None
        left = self.retention - (time.monotonic() - done) if done is not None else 0
        return {"seconds_left": max(0, int(left))}

    def _expired(self, job: _Job) -> bool:
        done = job.finished_at
        return done is not None and time.monotonic() - done > self.retention

    # -- the Celery task ---------------------------------------------------------------------
    def _process(self, job: _Job) -> None:
        with self._workers:
            with self._lock:
                job.state = "STARTED"
            if self._stop.wait(self.latency) or self.never_finish:
                return
            while self.finish_only is not None and job.number >= self.finish_only:
                if self._stop.wait(0.05):
                    return
            if self.failure is not None:
                with self._lock:
                    job.state, job.result = "FAILURE", self.failure
                return
            processed, errors, results = [], [], {}
            for name, content in job.files.items():
                path = f"{UPLOADS}/{name}"
                if name.startswith(self.fail):
                    errors.append({"file": path, "error": f"ML service returned 500 for {name}"})
                    continue
                processed.append(path)
                if name.startswith(self.drop):
                    continue
                results[f"result_{name.rsplit('.', 1)[0]}.jpg"] = _annotate(content)
            with self._lock:
                job.results = results
                job.finished_at = time.monotonic()
                job.state = "SUCCESS"
                job.result = {
                    "archive": f"{UPLOADS}/{job.user_hash}.zip",
                    "processed_files": processed,
                    "errors": errors,
                }


def _annotate(content: bytes) -> bytes:
    """What the ML service answers: the picture with its dark regions tinted as oil."""
    values, rgb = _decode_rgb(content)
    oil = values < 0.5 * float(values.mean())
    return paint_like_yolo(rgb, np.asarray(oil))


class _BackendServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    backend: FakeBackend


_ROUTE = re.compile(r"^/api/(status|download|archive_time_left)/([^/?]+)$")


class _BackendHandler(_Handler):
    server: _BackendServer  # type: ignore[assignment]

    def setup(self) -> None:
        super(_Handler, self).setup()

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super(_Handler, self).finish()

    def send_json(self, code: int, data: object, headers: dict[str, str] | None = None) -> None:
        self.send_bytes(code, "application/json", json.dumps(data).encode(), headers)

    def _authorised(self) -> bool:
        token = self.server.backend.token
        if token is None or self.headers.get("Authorization") == f"Bearer {token}":
            return True
        self.send_json(401, {"detail": "Not authenticated"})
        return False

    def do_POST(self) -> None:
        body = self.read_body()
        if not self._authorised():
            return
        if self.path != "/api/upload":
            self.send_json(404, {"detail": "Not Found"})
            return
        received = _parse_upload(self, body)
        if received.field_name != "file":
            self.send_json(422, {"detail": [{"loc": ["body", "file"], "msg": "field required"}]})
            return
        backend = self.server.backend
        code, content_type, answer = backend.upload(received.content)
        busy = code in (429, 503) and backend.retry_after is not None
        headers = {"Retry-After": str(backend.retry_after)} if busy else None
        self.send_bytes(code, content_type, answer, headers)

    def do_GET(self) -> None:
        self.read_body()
        if not self._authorised():
            return
        found = _ROUTE.match(self.path)
        backend = self.server.backend
        if found is None:
            self.send_json(404, {"detail": "Not Found"})
        elif found[1] == "status":
            self.send_bytes(200, "application/json", json.dumps(backend.status(found[2])).encode())
        elif found[1] == "download":
            self.send_bytes(200, "application/zip", backend.download(found[2]))
        else:
            self.send_bytes(
                200, "application/json", json.dumps(backend.time_left(found[2])).encode()
            )
