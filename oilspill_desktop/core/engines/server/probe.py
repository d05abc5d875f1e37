"""A connection test for the Oil Spill AI backend: one tiny part, the way a job sends one.

A test that only asked whether the address answers could pass while every job fails (a
website at that address, a token the upload refuses, Celery workers that never start, a
proxy that answers for another user's files). So the probe sends one small picture the
way :mod:`.engine` sends a part: packed under its unique flat name (:mod:`.packing`),
uploaded, polled until the job ends or the probe's short limit passes, downloaded, and
found again by name. The answer must be a picture of the probe's size that is the probe
annotated (:func:`~..answers.interpret_answer` given the picture sent), as in a job.

It makes one attempt per call (no retries, no waiting out an outage), so its verdict
comes within its limit. Each way of failing has a verdict of its own (a
:class:`ProbeVerdict`) and the facts to word it; the window words them.
"""

from __future__ import annotations

import io
import ssl
import threading
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from ...errors import EngineError, ItemError
from ...jobs.cancel import CancelToken
from ...model import SourceImage
from ..answers import interpret_answer
from ..http_engine import check_endpoint
from ..upload import UploadNamer, build_upload
from .api import ApiOptions, BackendApi, BackendError, Submitted
from .engine import decode_answer, listed_errors
from .packing import pack, read_answers, upload_key

MOST_PROBE_SECONDS = 120.0
"""The longest a test waits, whatever the timeouts say: it is a test, not a job."""
FIRST_POLL = 0.2
MAX_POLL = 1.0


class ProbeVerdict(StrEnum):
    """What the probe found. The values shared with the ML service's test mean the same."""

    OK = "ok"
    BAD_URL = "bad url"
    BAD_SETTINGS = "bad settings"
    REFUSED = "refused"
    HOST_NOT_FOUND = "host not found"
    CONNECT_TIMEOUT = "connect timeout"
    READ_TIMEOUT = "read timeout"
    TLS = "tls"
    UNAUTHORIZED = "unauthorized"
    NOT_BACKEND = "not a backend"
    """``/api/upload`` is not there (404), or its answer is not the backend's."""
    UPLOAD_FAILED = "upload failed"
    """The upload was answered with an error status (a 500, say)."""
    HTTP_ERROR = "http error"
    """Polling or downloading was answered with an error status."""
    STILL_PENDING = "still pending"
    JOB_FAILED = "job failed"
    """The backend's job failed, or it listed the probe among its errors."""
    EMPTY_RESULT = "empty result"
    NOT_A_ZIP = "not a zip"
    WRONG_IMAGE = "wrong image"
    """The answer is for another image: another name, or not the probe annotated."""
    UNREADABLE_IMAGE = "unreadable image"
    WRONG_SIZE = "wrong size"
    OTHER = "other"


@dataclass(frozen=True)
class ProbeOutcome:
    """The verdict and its facts: the HTTP status and what was asked when the server
    answered an error, the Celery state when it did not finish, the sizes when they
    differ, and on success how much of the probe it called oil."""

    verdict: ProbeVerdict
    detail: str = ""
    status: int | None = None
    reason: str = ""
    path: str = ""
    state: str = ""
    elapsed: float = 0.0
    limit: float = 0.0
    image_size: tuple[int, int] | None = None
    expected_size: tuple[int, int] | None = None
    image_format: str = ""
    oil_fraction: float | None = None

    @property
    def ok(self) -> bool:
        return self.verdict is ProbeVerdict.OK


class _Verdict(Exception):
    def __init__(self, outcome: ProbeOutcome) -> None:
        super().__init__(outcome.detail)
        self.outcome = outcome


def probe_limit(connect_timeout: float, read_timeout: float, part_timeout: float) -> float:
    """How long a test may take: the timeouts of one request, within the part deadline
    and :data:`MOST_PROBE_SECONDS`."""
    return max(0.1, min(connect_timeout + read_timeout, part_timeout, MOST_PROBE_SECONDS))


class ServerProbe:
    """One test of the backend at ``url``: :meth:`run` blocks (call it off the GUI thread);
    :meth:`abort` may be called from any thread and makes :meth:`run` end soon."""

    def __init__(
        self,
        url: str,
        options: ApiOptions,
        *,
        limit: float,
        first_poll: float = FIRST_POLL,
        max_poll: float = MAX_POLL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url.strip().rstrip("/")
        self.limit = limit
        self._options = replace(options, retries=0, max_outage=0.0, connections=1)
        self._first_poll = first_poll
        self._max_poll = max(first_poll, max_poll)
        self._clock = clock
        self._lock = threading.Lock()
        self._api: BackendApi | None = None
        self._aborted = False

    def abort(self) -> None:
        """Cut the request in flight (the dialog closing, Cancel)."""
        with self._lock:
            self._aborted = True
            api = self._api
        if api is not None:
            api.abort()

    def run(self, image: SourceImage, cancel: CancelToken) -> ProbeOutcome:
        """Send ``image`` as a part of one and judge what comes back.

        Raises :class:`~...errors.Cancelled` when ``cancel`` is set.
        """
        started = self._clock()
        try:
            self._check_settings()
            api = BackendApi(self.url, self._options)
            with self._lock:
                self._api = api
                aborted = self._aborted
            if aborted:
                api.abort()
            try:
                outcome = self._round_trip(api, image, cancel, started)
            finally:
                with self._lock:
                    self._api = None
                api.close()
        except _Verdict as found:
            outcome = found.outcome
        return replace(outcome, elapsed=self._clock() - started, limit=self.limit)

    def _check_settings(self) -> None:
        problem = check_endpoint(self.url)
        if problem is not None:
            raise _Verdict(ProbeOutcome(ProbeVerdict.BAD_URL, problem.text))
        verify = self._options.verify
        if isinstance(verify, str):
            try:
                ssl.create_default_context(cafile=verify)
            except (OSError, ssl.SSLError, ValueError) as exc:
                detail = f"the CA bundle {verify} cannot be used ({exc})"
                raise _Verdict(ProbeOutcome(ProbeVerdict.BAD_SETTINGS, detail)) from None

    def _round_trip(
        self, api: BackendApi, image: SourceImage, cancel: CancelToken, started: float
    ) -> ProbeOutcome:
        upload = build_upload(image, UploadNamer(), jpeg=True)
        key = upload_key(upload)
        name = f"connection-test-{uuid.uuid4().hex[:12]}.zip"
        submitted = _call(lambda: api.upload(pack([upload]), name, cancel), upload=True)
        result = self._wait_for(api, submitted, cancel, started + self.limit)
        failed = listed_errors(result, submitted.user_hash).get(key)
        if failed is not None:
            raise _Verdict(ProbeOutcome(ProbeVerdict.JOB_FAILED, failed))
        content = _call(lambda: api.download(submitted.user_hash, cancel), upload=False)
        answer = _find_answer(content, submitted.user_hash, key)
        cancel.raise_if_cancelled()
        return _judge(answer, image)

    def _wait_for(
        self, api: BackendApi, submitted: Submitted, cancel: CancelToken, deadline: float
    ) -> dict[str, Any]:
        """Poll with growing pauses until the job ends or the probe's limit passes."""
        pause = self._first_poll
        while True:
            cancel.sleep(min(pause, max(0.0, deadline - self._clock())))
            state, result = _call(lambda: api.status(submitted.job_id, cancel), upload=False)
            if state == "SUCCESS":
                if isinstance(result, dict):
                    return result
                detail = f"the finished job's result is {result!r:.160}"
                raise _Verdict(ProbeOutcome(ProbeVerdict.JOB_FAILED, detail, state=state))
            if state in ("FAILURE", "REVOKED"):
                detail = f"{result}"[:300]
                raise _Verdict(ProbeOutcome(ProbeVerdict.JOB_FAILED, detail, state=state))
            if self._clock() >= deadline:
                detail = f"the job was still {state} after {self.limit:g} s"
                raise _Verdict(ProbeOutcome(ProbeVerdict.STILL_PENDING, detail, state=state))
            pause = min(pause * 1.5, self._max_poll)


def _call(request: Callable[[], Any], *, upload: bool) -> Any:
    """One of the backend's calls, its failure turned into the probe's verdict."""
    try:
        return request()
    except BackendError as exc:
        raise _Verdict(_failed_call(exc, upload)) from None
    except EngineError as exc:  # an answer that is not the backend's JSON
        verdict = ProbeVerdict.NOT_BACKEND if upload else ProbeVerdict.OTHER
        raise _Verdict(ProbeOutcome(verdict, str(exc))) from None


def _failed_call(exc: BackendError, upload: bool) -> ProbeOutcome:
    verdict: ProbeVerdict
    if exc.verdict == "not found" and upload:
        verdict = ProbeVerdict.NOT_BACKEND
    elif exc.verdict in ("not found", "http error"):
        verdict = ProbeVerdict.UPLOAD_FAILED if upload else ProbeVerdict.HTTP_ERROR
    else:
        try:
            verdict = ProbeVerdict(exc.verdict)
        except ValueError:
            verdict = ProbeVerdict.OTHER
    return ProbeOutcome(verdict, exc.detail, status=exc.status, reason=exc.reason, path=exc.path)


def _find_answer(content: bytes, user_hash: str, key: str) -> bytes:
    """The probe's answer in the downloaded zip, or the verdict on what came instead."""
    try:
        found = read_answers(content, user_hash, {key})
    except EngineError:
        head = content[:16]
        detail = f"{len(content)} bytes starting with {head!r}"
        raise _Verdict(ProbeOutcome(ProbeVerdict.NOT_A_ZIP, detail)) from None
    if key in found:
        return found[key]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
    if not names:
        raise _Verdict(ProbeOutcome(ProbeVerdict.EMPTY_RESULT, "the result zip is empty"))
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    detail = f"it holds {shown}, none of them named after {key}"
    raise _Verdict(ProbeOutcome(ProbeVerdict.WRONG_IMAGE, detail))


def _judge(answer: bytes, image: SourceImage) -> ProbeOutcome:
    """The answer as a job would take it: a picture of the probe's size, the probe annotated."""
    try:
        picture = decode_answer(answer, image)
    except ItemError as exc:
        raise _Verdict(ProbeOutcome(ProbeVerdict.UNREADABLE_IMAGE, str(exc))) from None
    expected = (image.width, image.height)
    if picture.size != expected:
        detail = f"{picture.width}×{picture.height} instead of {image.width}×{image.height}"
        raise _Verdict(
            ProbeOutcome(
                ProbeVerdict.WRONG_SIZE, detail, image_size=picture.size, expected_size=expected
            )
        )
    try:
        segmentation = interpret_answer(picture, image.width, image.height, sent=image.pixels)
    except ItemError as exc:
        raise _Verdict(ProbeOutcome(ProbeVerdict.WRONG_IMAGE, str(exc))) from None
    oil = segmentation.oil
    fraction = float(oil.mean()) if oil is not None and oil.size else None
    return ProbeOutcome(
        ProbeVerdict.OK,
        image_size=picture.size,
        image_format=picture.format or "",
        oil_fraction=fraction,
    )
