"""Which overlay picture a job keeps for each image: JPEG, lossless PNG, or none.

Overlays are for people glancing at results; the answer itself is the mask, which is always
a lossless PNG. On a megapixel SAR scene a lossless RGB overlay is about 1.5 MB (speckle
does not compress), three times the JPEG scene it was made from, and encoding it was most
of the CPU a worker spent per image. So the default is JPEG at quality 90 (what the Oil
Spill AI service itself answers): about the size of the input scene, and encoded by
libjpeg-turbo in a few milliseconds without the GIL. ``png`` keeps overlays lossless, as
they were before the choice existed; ``none`` keeps masks only (the viewer paints its own
overlays from the mask and the original anyway).

The choice is part of a job's identity (:func:`~..jobs.workspace.job_key`), so a resume
never mixes overlays of two kinds in one results zip.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final, Literal

OverlayFormat = Literal["jpeg", "png", "none"]
OVERLAY_FORMATS: Final[tuple[OverlayFormat, ...]] = ("jpeg", "png", "none")
DEFAULT_OVERLAYS: Final[OverlayFormat] = "jpeg"
LEGACY_OVERLAYS: Final[OverlayFormat] = "png"
"""What results made before overlays were a choice hold (and what their job keys mean)."""
JPEG_QUALITY: Final = 90
_EXTENSIONS: Final = {"jpeg": "jpg", "png": "png"}
JPEG_START: Final = b"\xff\xd8\xff"
JPEG_END: Final = b"\xff\xd9"
"""The end-of-image marker, the last two bytes of every whole JPEG this app writes."""


def overlay_format(name: object) -> OverlayFormat:
    """A known overlay format; anything else (a hand-edited settings file) is the default."""
    for known in OVERLAY_FORMATS:
        if name == known:
            return known
    return DEFAULT_OVERLAYS


def overlay_member(folder: str, stem: str, fmt: OverlayFormat) -> str | None:
    """The overlay's name in the results (``overlays/a.jpg``), ``None`` when none is kept."""
    extension = _EXTENSIONS.get(fmt)
    return f"{folder}/{stem}.{extension}" if extension else None


def jpeg_is_whole(data: bytes) -> bool:
    """True when ``data`` starts and ends like a whole JPEG (nothing cut, nothing trailing)."""
    return data.startswith(JPEG_START) and data.endswith(JPEG_END)


def jpeg_file_is_complete(path: Path) -> bool:
    """True when the file at ``path`` starts and ends like a whole JPEG (reads 5 bytes)."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(JPEG_START)) != JPEG_START:
                return False
            handle.seek(-len(JPEG_END), 2)
            return handle.read() == JPEG_END
    except OSError:
        return False
