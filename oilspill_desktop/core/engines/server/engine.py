"""The Oil Spill AI backend as an engine: a survey goes up in parts, answers come back per part.

The backend takes a zip and answers a zip, with no per-image progress, and deletes the
user's files 10 minutes after processing. Sending the whole survey at once would make
one failure cost everything and leave the progress bar still until the end; so the job
hands this engine a *part* (``part_size`` images) at a time: it packs the part itself
under unique flat names (:mod:`.packing`), uploads it, polls the Celery state with
back-off up to a deadline, downloads the answers as soon as they are ready, and gives
each image of the part an engine of its own (:class:`AnsweredImage`) that answers it from
what came back. The job then treats every image exactly as with the per-image engines
(masks derived from the annotated answers, overlays, report rows, journal).
"""

from __future__ import annotations

import io
import logging
import time
import uuid
import warnings
from collections.abc import Callable, Iterable
from typing import Any

from PIL import Image

from ...errors import EngineError, ItemError
from ...jobs.cancel import CancelToken
from ...messages import say
from ...model import EngineAnswer, SourceImage
from ..circuit import Outage
from ..upload import Upload, UploadNamer, build_upload
from .api import ApiOptions, BackendApi, Submitted
from .packing import answer_key, pack, read_answers, upload_key

log = logging.getLogger(__name__)

FIRST_POLL = 0.25
MAX_POLL = 5.0
"""Polls slow down to one every few seconds: well inside the backend's 10 minutes."""
_MIN_PIXEL_CAP = 1 << 24


class AnsweredImage:
    """An engine for one image of a part: it answers with what the server sent back for
    it, or fails with why there is nothing (the server's error text, or no result)."""

    def __init__(self, content: bytes | None, error: ItemError | None, endpoint: str) -> None:
        self._content = content
        self._error = error
        self._endpoint = endpoint

    @property
    def engine(self) -> str:
        return "server"

    @property
    def endpoint(self) -> str:
        return self._endpoint

    def segment(self, image: SourceImage, cancel: CancelToken) -> EngineAnswer:
        cancel.raise_if_cancelled()
        if self._error is not None:
            raise self._error
        assert self._content is not None
        return EngineAnswer(image=decode_answer(self._content, image), attempts=1)

    def close(self) -> None:
        """Nothing is held but the answer's bytes."""


class ServerEngine:
    """An :class:`~..protocol.Engine` that works per part; safe across threads."""

    def __init__(
        self,
        url: str,
        *,
        part_size: int = 16,
        part_timeout: float = 1800.0,
        options: ApiOptions | None = None,
        first_poll: float = FIRST_POLL,
        max_poll: float = MAX_POLL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url.strip()
        self.part_size = max(1, part_size)
        self._part_timeout = part_timeout
        self._first_poll = first_poll
        self._max_poll = max(first_poll, max_poll)
        self._clock = clock
        self._api = BackendApi(self._url, options or ApiOptions())
        self._namer = UploadNamer()

    @property
    def engine(self) -> str:
        return "server"

    @property
    def endpoint(self) -> str:
        return self._url

    def close(self) -> None:
        self._api.close()

    def abort(self) -> None:
        """Cut requests in flight and wake parts waiting out an outage (a cancel)."""
        self._api.abort()

    def outage(self) -> Outage | None:
        return self._api.outage()

    def segment(self, image: SourceImage, cancel: CancelToken) -> EngineAnswer:
        """One image as a part of its own (the connection test uses this)."""
        (answered,) = self.segment_part([image], cancel)
        return answered.segment(image, cancel)

    def segment_part(
        self, images: Iterable[SourceImage], cancel: CancelToken
    ) -> list[AnsweredImage]:
        """Send ``images`` as one part; one engine per image, in order, answers it.

        The images are read one at a time and only their JPEG bytes are kept, so a part
        costs its compressed size, not its pixels. A failure of the whole part (refused,
        a broken answer, the Celery task failed, the deadline passed) fails each of its
        images with that reason; ``Cancelled`` and ``EndpointUnreachable`` go up.
        """
        uploads: list[Upload] = [
            build_upload(image, self._namer, jpeg=True) for image in _checked(images, cancel)
        ]
        if not uploads:
            return []
        keys = [upload_key(upload) for upload in uploads]
        try:
            answers, errors = self._round_trip(pack(uploads), keys, cancel)
        except EngineError as exc:
            log.warning("A part of %d images failed at %s: %s", len(keys), self._url, exc)
            return [AnsweredImage(None, exc, self._url) for _key in keys]
        return [self._answered(key, answers, errors) for key in keys]

    def _answered(
        self, key: str, answers: dict[str, bytes], errors: dict[str, str]
    ) -> AnsweredImage:
        if key in answers:
            return AnsweredImage(answers[key], None, self._url)
        if key in errors:
            error = EngineError(say("server.image_failed", detail=errors[key]))
        else:
            error = EngineError(say("server.no_result"))
        return AnsweredImage(None, error, self._url)

    def _round_trip(
        self, archive: bytes, keys: list[str], cancel: CancelToken
    ) -> tuple[dict[str, bytes], dict[str, str]]:
        submitted = self._api.upload(archive, f"part-{uuid.uuid4().hex[:12]}.zip", cancel)
        del archive
        result = self._wait_for(submitted, cancel)
        errors = listed_errors(result, submitted.user_hash)
        content = self._api.download(submitted.user_hash, cancel)
        answers = read_answers(content, submitted.user_hash, set(keys))
        log.info(
            "A part of %d images came back from %s: %d answered, %d failed there",
            len(keys),
            self._api.shown_url,
            len(answers),
            len(errors),
        )
        return answers, errors

    def _wait_for(self, submitted: Submitted, cancel: CancelToken) -> dict[str, Any]:
        """Poll the job's state with growing pauses until it ends or the deadline passes.

        An unknown job id stays ``PENDING`` for ever on the backend, so the deadline is
        what ends a part that will never finish.
        """
        deadline = self._clock() + self._part_timeout
        pause = self._first_poll
        while True:
            cancel.sleep(min(pause, max(0.0, deadline - self._clock())))
            state, result = self._api.status(submitted.job_id, cancel)
            if state == "SUCCESS":
                if not isinstance(result, dict):
                    detail = f"the finished job's result is {result!r:.160}"
                    raise EngineError(say("engine.unusable_answer", detail=detail))
                return result
            if state in ("FAILURE", "REVOKED"):
                raise EngineError(say("server.part_failed", detail=f"{result}"[:300]))
            if self._clock() >= deadline:
                minutes = f"{self._part_timeout / 60:g}"
                raise EngineError(say("server.part_timeout", minutes=minutes, state=state))
            pause = min(pause * 1.5, self._max_poll)


def _checked(images: Iterable[SourceImage], cancel: CancelToken) -> Iterable[SourceImage]:
    for image in images:
        cancel.raise_if_cancelled()
        yield image


def listed_errors(result: dict[str, Any], user_hash: str) -> dict[str, str]:
    """The server's error text for each key it lists as failed."""
    found: dict[str, str] = {}
    listed = result.get("errors")
    for entry in listed if isinstance(listed, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("file"), str):
            text = str(entry.get("error") or "no reason given").strip()
            found[answer_key(entry["file"], user_hash)] = text[:300].rstrip(".")
    return found


def decode_answer(content: bytes, image: SourceImage) -> Image.Image:
    """The answered picture, decoded; not a picture, or absurdly large, fails the image."""
    cap = max(_MIN_PIXEL_CAP, 4 * image.width * image.height)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(content))
            if picture.width * picture.height > cap:
                raise EngineError(
                    say(
                        "engine.unusable_answer",
                        detail=f"it is {picture.width}x{picture.height} pixels",
                    )
                )
            picture.load()
    except EngineError:
        raise
    except Exception as exc:
        detail = f"{type(exc).__name__}: {exc}"
        raise EngineError(say("engine.unreadable_answer", detail=detail)) from None
    return picture
