"""Small overlay pictures of the images with oil, for ``report.html``.

Made by the worker that segmented the image, from the image and the mask it has in memory
(never read back from the saved overlay, which may be absent or lossy), and saved as a
small JPEG in the job's folder; the report then embeds each one as it streams the rows, so
no picture of a whole survey is ever held at once.
"""

from __future__ import annotations

import io
from pathlib import PurePosixPath

import numpy as np
from PIL import Image

from ..model import ItemRecord, Segmentation
from .overlay import render_overlay

THUMBNAILS = "thumbnails"
"""Their folder, in the job's folder and in the results zip."""
THUMBNAIL_SIDE = 160
"""The longer side of a thumbnail, in pixels."""
JPEG_QUALITY = 80


def thumbnail_name(record: ItemRecord) -> str | None:
    """Where the thumbnail of ``record`` is (beside its mask's name), ``None`` without a mask."""
    if not record.mask:
        return None
    return f"{THUMBNAILS}/{PurePosixPath(record.mask).with_suffix('.jpg')}"


def make_thumbnail(
    base: Image.Image, segmentation: Segmentation, side: int = THUMBNAIL_SIDE
) -> bytes:
    """The overlay of ``segmentation`` on ``base``, at most ``side`` pixels, as a JPEG.

    The picture is shrunk first and the mask after it, keeping every thumbnail pixel that
    covers any oil (a thin slick must not vanish at 1:20), then painted as the results'
    overlays are.
    """
    if segmentation.overlay_image is not None:
        picture = segmentation.overlay_image.convert("RGB")
        picture.thumbnail((side, side), Image.Resampling.BOX)
        return _jpeg(picture)
    small = base if base.mode in ("L", "RGB") else base.convert("RGB")
    small = small.copy()
    small.thumbnail((side, side), Image.Resampling.BOX)
    size = small.size
    classes = _shrunk_classes(segmentation, size)
    oil = classes == 1 if classes is not None else _shrunk(segmentation.oil, size)
    shrunk = Segmentation(
        kind=segmentation.kind,
        oil=oil,
        mask_image=None,
        classes=classes,
    )
    return _jpeg(render_overlay(small, shrunk, opacity=0.6))


def _shrunk(mask: np.ndarray | None, size: tuple[int, int]) -> np.ndarray | None:
    if mask is None:
        return None
    image = Image.fromarray(mask.view(np.uint8) * np.uint8(255), "L")
    return np.asarray(image.resize(size, Image.Resampling.BOX)) > 0


def _shrunk_classes(segmentation: Segmentation, size: tuple[int, int]) -> np.ndarray | None:
    """Each class's pixels shrunk like the oil; a later class wins where they meet."""
    classes = segmentation.classes
    if segmentation.kind != "classes" or classes is None:
        return None
    result = np.zeros((size[1], size[0]), dtype=np.uint8)
    for cls in range(1, 5):
        covered = _shrunk(classes == cls, size)
        if covered is not None:
            result[covered] = cls
    result[_shrunk(classes == 1, size)] = 1  # oil is what the report is about: on top
    return result


def _jpeg(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()
