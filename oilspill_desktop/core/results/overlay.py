"""Paint a segmentation over its image so that people can see the slicks at a glance.

Used for the ``overlays/`` in the results zip and, live, by the mask viewer (opacity and
fill/outline are the viewer's controls), so both always draw the same picture.
"""

from __future__ import annotations

import functools
from typing import Literal

import numpy as np
import numpy.typing as npt
from PIL import Image

from ..model import Segmentation

OverlayStyle = Literal["fill", "outline"]

OIL_RGB: tuple[int, int, int] = (0, 255, 255)
"""Oil is cyan, as in the standard SAR oil-spill palette, and stands out on grey sea."""

CLASS_COLOURS: dict[int, tuple[int, int, int]] = {
    1: OIL_RGB,
    2: (255, 0, 0),
    3: (153, 76, 0),
    4: (0, 153, 0),
}
"""Colours of the non-sea classes of the 5-class palette (sea, 0, is left unpainted)."""


def outline(mask: npt.NDArray[np.bool_], width: int = 2) -> npt.NDArray[np.bool_]:
    """Pixels of ``mask`` within ``width`` pixels of its border (4-neighbour erosion)."""
    inner = mask.copy()
    for _ in range(max(1, width)):
        shrunk = inner.copy()
        shrunk[1:, :] &= inner[:-1, :]
        shrunk[:-1, :] &= inner[1:, :]
        shrunk[:, 1:] &= inner[:, :-1]
        shrunk[:, :-1] &= inner[:, 1:]
        inner = shrunk
    result: npt.NDArray[np.bool_] = mask & ~inner
    return result


def render_overlay(
    base: Image.Image,
    segmentation: Segmentation,
    *,
    opacity: float = 0.45,
    style: OverlayStyle = "fill",
) -> Image.Image:
    """Return ``base`` with the segmentation painted on it, in ``L`` or ``RGB``.

    An engine's own annotated picture (kind ``overlay``, or a mask derived from one) is
    returned as it came: it carries the engine's labels and scores. A grey
    scene with nothing to paint (most of a survey: open sea) stays grey: it looks the same
    as its RGB copy, and is a third of the bytes to encode and to store. ``base`` itself is
    never changed.

    Only the box around each class's pixels is worked on, and by Pillow operations that
    run in C without the GIL (crop, a look-up table, a masked paste), so the workers of a
    job paint in parallel: ``Image.blend`` over the whole picture held the GIL for a
    third of the time eight workers spent on 1-megapixel scenes.
    """
    if segmentation.overlay_image is not None:
        return segmentation.overlay_image.convert("RGB")
    alpha = min(max(opacity, 0.0), 1.0)
    picture = base if base.mode in ("L", "RGB") else base.convert("RGB")
    for mask, colour in _layers(segmentation):
        if mask.shape != (picture.height, picture.width):
            continue
        box = _bounding_box(mask)
        if box is None:
            continue
        if picture is base or picture.mode != "RGB":
            picture = picture.convert("RGB")  # a new picture: ``base`` stays as it is
        left, top, right, bottom = box
        if style == "outline":
            edge = outline(mask, width=max(1, round(min(mask.shape) / 256)))
            picture.paste(colour, box, _mask_image(edge[top:bottom, left:right]))
        else:
            tinted = picture.crop(box).point(_tint_table(colour, alpha))
            picture.paste(tinted, box, _mask_image(mask[top:bottom, left:right]))
    return picture


def paints_anything(segmentation: Segmentation) -> bool:
    """Whether :func:`render_overlay` would paint on the picture (an engine's picture, or
    any pixel of a class it colours): without paint the overlay is the picture itself."""
    if segmentation.overlay_image is not None:
        return True
    return any(mask.any() for mask, _colour in _layers(segmentation))


def _layers(
    segmentation: Segmentation,
) -> list[tuple[npt.NDArray[np.bool_], tuple[int, int, int]]]:
    """What is painted, in order: each coloured class's pixels, or the oil, with its colour."""
    if segmentation.kind == "classes" and segmentation.classes is not None:
        classes = segmentation.classes
        return [(classes == cls, colour) for cls, colour in CLASS_COLOURS.items()]
    if segmentation.oil is not None:
        return [(segmentation.oil, OIL_RGB)]
    return []


def _bounding_box(mask: npt.NDArray[np.bool_]) -> tuple[int, int, int, int] | None:
    """``(left, top, right, bottom)`` around the set pixels, ``None`` when there are none."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    columns = np.flatnonzero(mask.any(axis=0))
    return int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1


@functools.lru_cache(maxsize=64)
def _tint_table(colour: tuple[int, int, int], alpha: float) -> list[int]:
    """The look-up table (per band) of ``Image.blend(picture, colour, alpha)``, made by
    blending a ramp of every value, so painting gives exactly the pixels blend gave."""
    ramp = Image.frombytes("RGB", (256, 1), bytes(v for v in range(256) for _ in range(3)))
    blended = Image.blend(ramp, Image.new("RGB", ramp.size, colour), alpha)
    return [int(value) for value in np.asarray(blended)[0].T.reshape(-1)]


def _mask_image(mask: npt.NDArray[np.bool_]) -> Image.Image:
    return Image.fromarray(mask.view(np.uint8) * np.uint8(255), "L")
