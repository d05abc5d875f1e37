"""What goes over the wire for one image: a name of its own, and a content the service reads.

Names: the Oil Spill AI ML service saves every upload under its file name in one shared
folder and answers the file of that name from another shared folder. Two uploads with the
same name in flight at once (a survey's many ``img.jpg`` in different folders, or two
workstations) then get each other's answers, reported as success. So no upload is ever
sent under the member's own name: each gets ``<stem>-<12 hex>.<ext>``, the hex a hash of a
per-process random salt, the member path and a per-process upload counter, unique in
flight on any server. The stem is kept ASCII (letters, digits, ``_`` and ``-``) because that
service builds file names from it.

Content: that service writes its result as ``<stem>.jpg`` whatever it was sent and then
answers ``<uploaded name>``, so only JPEG named ``.jpg`` works there. The endpoint kind
(settings ``endpoint_kind``, ``--endpoint-kind``) says what to send:

* ``generic``: the original when an ordinary service reads it (8-bit JPEG/PNG), else an
  8-bit PNG of the pixels (or always the original when the settings say so);
* ``oilspill-ai``: always JPEG named ``.jpg`` (the original JPEG, or the pixels encoded at
  high quality);
* ``auto``: as ``generic``, until a non-JPEG upload fails with a plain-text 500 (FastAPI's
  unhandled-error answer) and the same image sent as JPEG is answered with a JPEG
  picture: that is the Oil Spill AI service, and from then on the engine sends JPEG
  (see :class:`~.http_engine.HttpEngine`).
"""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import re
import threading
from dataclasses import dataclass
from typing import Literal

from PIL import Image

from ..model import SourceImage
from ..results.png import encode_png

EndpointKind = Literal["auto", "generic", "oilspill-ai"]
ENDPOINT_KINDS: tuple[EndpointKind, ...] = ("auto", "generic", "oilspill-ai")
JPEG_QUALITY = 95
_STEM_CHARS = re.compile(r"[^A-Za-z0-9_-]+")
_STEM_MAX = 40
_EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "TIFF": "tif", "BMP": "bmp"}


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes
    content_type: str

    @property
    def is_jpeg(self) -> bool:
        return self.content_type == "image/jpeg"


class UploadNamer:
    """Hands out upload names no other upload in flight can have; safe across threads."""

    def __init__(self, salt: bytes | None = None) -> None:
        self._salt = salt if salt is not None else os.urandom(16)
        self._counter = itertools.count()
        self._lock = threading.Lock()

    def name(self, path: str, extension: str) -> str:
        with self._lock:
            number = next(self._counter)
        digest = hashlib.sha256(
            self._salt
            + b"\0"
            + path.encode("utf-8", "surrogatepass")
            + b"\0"
            + str(number).encode()
        ).hexdigest()[:12]
        return f"{safe_stem(path)}-{digest}.{extension}"


def safe_stem(path: str) -> str:
    """The member's file name without extension, reduced to ASCII a service can store."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.strip(".") else name
    cleaned = _STEM_CHARS.sub("_", stem).strip("_")[:_STEM_MAX]
    return cleaned or "image"


def build_upload(
    image: SourceImage, namer: UploadNamer, *, jpeg: bool, send_mode: str = "compatible"
) -> Upload:
    """The upload for ``image``: JPEG when ``jpeg``, else the original or an 8-bit PNG."""
    is_jpeg_original = image.original_format in ("JPEG", "MPO") and image.sendable_original
    if jpeg:
        content = image.original if is_jpeg_original else encode_jpeg(image.pixels)
        return Upload(namer.name(image.path, "jpg"), content, "image/jpeg")
    if send_mode == "compatible" and not image.sendable_original:
        return Upload(namer.name(image.path, "png"), encode_png(image.pixels), "image/png")
    extension = _EXTENSIONS.get(image.original_format.upper())
    if extension is None:
        original = image.path.rsplit(".", 1)[-1].lower() if "." in image.path else "bin"
        extension = _STEM_CHARS.sub("", original) or "bin"
    return Upload(
        namer.name(image.path, extension),
        image.original,
        image.content_type or "application/octet-stream",
    )


def encode_jpeg(pixels: Image.Image) -> bytes:
    """High-quality JPEG (no chroma subsampling): close enough to the pixels that an
    annotated answer can still be compared with them."""
    picture = pixels if pixels.mode in ("L", "RGB") else pixels.convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=JPEG_QUALITY, subsampling=0)
    return buffer.getvalue()
