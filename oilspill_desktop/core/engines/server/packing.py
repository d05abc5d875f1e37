"""A part of a survey as the backend takes it, and its answers found again by name.

The backend flattens folders and keeps one file per base name, so two members called
``img.jpg`` in different folders would overwrite each other and one of them would get
the other's answer, reported as success. The app therefore never sends a member's own
name: each image goes into the part as ``<stem>-<12 hex>.jpg`` (see
:class:`..upload.UploadNamer`), unique on any server, made of the characters the backend
keeps. The backend answers ``<stem><ext>`` for each image it has a result for; that stem
(with any ``result_`` prefix and ``_<user_hash>`` suffix it left removed) is the key back.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from ...errors import EngineError
from ...messages import say
from ..upload import Upload

MAX_ANSWER_BYTES = 512 * 1024 * 1024
"""One answered picture larger than this is not read (a broken or hostile server)."""


def upload_key(upload: Upload) -> str:
    """The key an upload's answer comes back under: its unique name without extension."""
    return upload.filename.rsplit(".", 1)[0]


def pack(uploads: Sequence[Upload]) -> bytes:
    """A zip of the uploads under their flat, unique names (stored: JPEG does not shrink)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for upload in uploads:
            archive.writestr(upload.filename, upload.content)
    return buffer.getvalue()


def answer_key(name: str, user_hash: str) -> str:
    """The key of a server file name: a path's base name without extension, with the
    ``result_`` prefix and the ``_<user_hash>`` suffix the backend may have left on it."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem.removeprefix("result_")
    suffix = f"_{user_hash}"
    if user_hash and stem.endswith(suffix):
        stem = stem[: -len(suffix)]
    return stem


def read_answers(content: bytes, user_hash: str, wanted: set[str]) -> dict[str, bytes]:
    """The answered pictures of the downloaded zip, by key; only the keys asked for.

    An empty zip is a valid answer (nothing was answered, or the files were already
    deleted); a body that is not a zip is the server's fault and fails the whole part.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError) as exc:
        head = content[:16]
        raise EngineError(
            say(
                "engine.unusable_answer",
                detail=f"the download is not a zip ({exc}; it starts with {head!r})",
            )
        ) from None
    found: dict[str, bytes] = {}
    with archive:
        for info in archive.infolist():
            key = answer_key(info.filename, user_hash)
            if info.is_dir() or key not in wanted or key in found:
                continue
            if info.file_size > MAX_ANSWER_BYTES:
                continue  # reported as no result: nothing usable came back for it
            try:
                found[key] = archive.read(info)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
                continue
    return found
