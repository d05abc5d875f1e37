"""Decide what an engine's picture means: a mask, a 5-class map, or an annotated overlay.

Engines are not consistent: the built-in one returns an ``L`` mask, other ML services
return 0/1 or 16-bit masks, the 5-class SAR oil-spill palette, or (the original backend's
service) a JPEG of the photo with translucent masks painted on. Interpreting every answer
here, once, keeps the engines dumb and the report consistent whatever engine ran.

The rules, in order:

* Palette (``P``) answers are resolved to their colours first: indices mean nothing.
* Single-channel answers (``1``, ``L``, ``LA``, 16/32-bit, float) are masks, oil where
  bright: ``== 1`` for 0/1 masks, else at least half the value range.
* Colour answers whose channels agree (JPEG rounding aside) are grey. A grey picture with
  many mid-tones is a photo returned with nothing drawn on it, not a mask (thresholding
  bright waves would invent oil), so it becomes an overlay; the same holds for a
  single-channel JPEG. A grey PNG probability map in ``L`` stays a mask.
* Colour answers made almost wholly of palette colours are 5-class maps.
* Anything else is an annotated picture: kept as the overlay. When the picture that was
  sent is known, the oil mask is derived from the regions the annotation tinted
  (:mod:`.annotated`), and the result says so (``mask_source`` ``derived``); an answer
  that is not a copy of the sent picture is refused rather than trusted.

Everything is vectorised; colour matching goes through a precomputed 6-bit-per-channel
lookup table so a 4 MP answer is classified in a few tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

from ..messages import Message, say
from ..model import Segmentation
from .annotated import derive_mask

CLASS_PALETTE: dict[int, tuple[str, tuple[int, int, int]]] = {
    0: ("sea", (0, 0, 0)),
    1: ("oil", (0, 255, 255)),
    2: ("look-alike", (255, 0, 0)),
    3: ("ship", (153, 76, 0)),
    4: ("land", (0, 153, 0)),
}
OIL_CLASS = 1

# A pixel of a truly grey picture stored as RGB differs between channels only by JPEG
# rounding; anything above this is colour, and a single coloured pixel is enough to say
# the picture is not a grey mask (a small slick in a class map must not be lost).
_GREY_SPREAD = 24
# Class maps: a pixel "is" a palette colour when every channel is within this distance
# (JPEG chroma subsampling smears colour edges by several tens of levels)...
_CLASS_TOLERANCE = 40
_CLASS_MIN_MATCHED = 0.93
# ...and most pixels must sit tightly on a palette colour, so a dark photo (sea a little
# above black, within the loose tolerance) is not mistaken for an all-sea map.
_CLASS_CLOSE = 10
_CLASS_MIN_CLOSE = 0.75
_CLASS_MAX_MEAN_DISTANCE = 10.0
# A grey answer with more than this share of mid-tones is a photo, not a mask (used where
# a photo is plausible: three-channel or JPEG-compressed answers).
_MAX_MIDTONE_SHARE = 0.05

_SINGLE_CHANNEL_MODES = frozenset(
    {"L", "I", "F", "I;16", "I;16L", "I;16B", "I;16N", "LA", "La", "I;16S"}
)


def _build_lookup() -> npt.NDArray[np.uint8]:
    """For every 6-bit RGB cell: nearest palette class (low 3 bits), half its distance (high 5).

    Packing both in one byte means a single gather per pixel; the distance is Chebyshev
    (largest channel difference), measured from the cell's centre and capped at 62.
    """
    levels = (np.arange(64, dtype=np.int16) << 2) + 2  # the centre of each 4-value cell
    r, g, b = np.meshgrid(levels, levels, levels, indexing="ij")
    best_class = np.zeros(r.shape, dtype=np.int16)
    best_dist = np.full(r.shape, 255, dtype=np.int16)
    for index, (_name, (pr, pg, pb)) in CLASS_PALETTE.items():
        dist = np.maximum(np.maximum(np.abs(r - pr), np.abs(g - pg)), np.abs(b - pb))
        closer = dist < best_dist
        best_class[closer] = index
        best_dist[closer] = dist[closer]
    packed = best_class | ((np.minimum(best_dist, 62) // 2) << 3)
    lookup: npt.NDArray[np.uint8] = packed.astype(np.uint8).reshape(-1)
    return lookup


_LOOKUP = _build_lookup()
_PALETTE_BYTES = [c for _i, (_n, rgb) in sorted(CLASS_PALETTE.items()) for c in rgb]


def interpret_answer(
    answer: Image.Image,
    width: int,
    height: int,
    sent: Image.Image | Callable[[], Image.Image] | None = None,
) -> Segmentation:
    """Interpret ``answer`` for a source image of ``width`` x ``height`` pixels.

    ``sent`` is the picture the engine was given (``width`` x ``height``), or a function
    that returns it, called only when it is needed (so that it is decoded only then); with
    it an annotated answer yields a derived mask, and one that is not a copy of it raises
    :class:`~.errors.EngineError`.
    """
    segmentation = _interpret(answer, width, height)
    if segmentation.kind == "overlay" and sent is not None:
        return _derived_segmentation(segmentation, sent() if callable(sent) else sent)
    return segmentation


def _interpret(answer: Image.Image, width: int, height: int) -> Segmentation:
    is_jpeg = (answer.format or "").upper() in ("JPEG", "MPO")
    image = _flatten_palette(answer)
    if image.mode == "1":
        return _mask_segmentation(np.asarray(image, dtype=np.bool_), width, height)
    if image.mode in _SINGLE_CHANNEL_MODES:
        values = _single_channel(image)
        if is_jpeg and _looks_like_photo(values):
            return _overlay_segmentation(image, width, height)
        return _mask_segmentation(_threshold(values), width, height)
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    channels = [np.asarray(band) for band in rgb.split()]
    if _is_grey(channels):
        if _looks_like_photo(channels[1]):
            return _overlay_segmentation(rgb, width, height)
        return _mask_segmentation(_threshold(channels[1]), width, height)
    classes = _class_map(channels)
    if classes is not None:
        return _classes_segmentation(classes, width, height)
    return _overlay_segmentation(rgb, width, height)


def _flatten_palette(image: Image.Image) -> Image.Image:
    """Resolve palette answers to their colours: indices alone mean nothing."""
    if image.mode in ("P", "PA"):
        has_alpha = image.mode == "PA" or "transparency" in image.info
        return image.convert("RGBA" if has_alpha else "RGB")
    return image


def _single_channel(image: Image.Image) -> npt.NDArray[Any]:
    if image.mode in ("LA", "La"):
        image = image.getchannel("L")
    values: npt.NDArray[Any] = np.asarray(image)
    if values.dtype.kind == "f":
        values = np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0)
    return values


def _threshold(values: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Oil where bright: ``== 1`` for 0/1 masks, else at least half the value range.

    The range is the smallest usual one holding the data (1, 255 or 65535), so a 16-bit
    mask saved with 0/255 still means what it says.
    """
    if values.size == 0:
        return np.zeros(values.shape, dtype=np.bool_)
    top = float(values.max())
    if values.dtype.kind == "f" and top <= 1.0:
        return np.asarray(values >= 0.5)
    if top <= 1:
        return np.asarray(values >= 1)
    if top <= 255:
        return np.asarray(values >= 128)
    return np.asarray(values >= 32768)


def _looks_like_photo(values: npt.NDArray[Any]) -> bool:
    """A mask is nearly all dark or bright; a photo has plenty of mid-tones."""
    if values.size == 0 or values.dtype != np.uint8:
        return False
    counts = np.bincount(values.reshape(-1), minlength=256)
    midtones = int(counts[26:230].sum())
    return midtones > _MAX_MIDTONE_SHARE * values.size


def _is_grey(channels: list[npt.NDArray[np.uint8]]) -> bool:
    r, g, b = channels
    high = np.maximum(np.maximum(r, g), b)
    low = np.minimum(np.minimum(r, g), b)
    return not bool(np.any((high - low) > _GREY_SPREAD))


def _class_map(channels: list[npt.NDArray[np.uint8]]) -> npt.NDArray[np.uint8] | None:
    """The class of every pixel, or ``None`` when the picture is not a palette class map."""
    r, g, b = channels
    if r.size == 0:
        return None
    cell = r.astype(np.uint32)
    cell >>= 2
    cell <<= 6
    cell |= g >> 2
    cell <<= 6
    cell |= b >> 2
    packed = _LOOKUP[cell]
    half_distance = packed >> 3
    matched = int(np.count_nonzero(half_distance <= _CLASS_TOLERANCE // 2))
    if matched < _CLASS_MIN_MATCHED * packed.size:
        return None
    close = int(np.count_nonzero(half_distance <= _CLASS_CLOSE // 2))
    if close < _CLASS_MIN_CLOSE * packed.size:
        return None
    if 2.0 * float(half_distance.mean(dtype=np.float64)) > _CLASS_MAX_MEAN_DISTANCE:
        return None
    classes: npt.NDArray[np.uint8] = packed & np.uint8(7)
    return classes


def _size_warning(code: str, got: tuple[int, int], width: int, height: int) -> list[Message]:
    if got == (width, height):
        return []
    return [say(code, got_width=got[0], got_height=got[1], width=width, height=height)]


def _fit(image: Image.Image, width: int, height: int) -> Image.Image:
    if image.size == (width, height):
        return image
    return image.resize((width, height), Image.Resampling.NEAREST)


def _mask_segmentation(oil: npt.NDArray[np.bool_], width: int, height: int) -> Segmentation:
    got = (oil.shape[1], oil.shape[0])
    mask = Image.fromarray(oil.view(np.uint8) * np.uint8(255), "L")
    if got != (width, height):  # only a resized mask has to be read back
        mask = _fit(mask, width, height)
        oil = np.asarray(mask) > 0
    return Segmentation(
        kind="mask",
        oil=oil,
        mask_image=mask,
        warnings=_size_warning("warn.mask_resized", got, width, height),
        mask_source="answer",
    )


def _classes_segmentation(classes: npt.NDArray[np.uint8], width: int, height: int) -> Segmentation:
    got = (classes.shape[1], classes.shape[0])
    class_image = _fit(Image.fromarray(classes, "L"), width, height)
    fitted: npt.NDArray[np.uint8] = np.asarray(class_image).copy()
    coloured = class_image.copy()
    coloured.putpalette(_PALETTE_BYTES)
    return Segmentation(
        kind="classes",
        oil=fitted == OIL_CLASS,
        mask_image=coloured.convert("RGB"),
        classes=fitted,
        warnings=_size_warning("warn.class_mask_resized", got, width, height),
        mask_source="answer",
    )


def _overlay_segmentation(image: Image.Image, width: int, height: int) -> Segmentation:
    got = image.size
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    if got != (width, height):
        rgb = rgb.resize((width, height), Image.Resampling.BILINEAR)
    return Segmentation(
        kind="overlay",
        oil=None,
        mask_image=None,
        overlay_image=rgb,
        warnings=_size_warning("warn.picture_resized", got, width, height),
    )


def _derived_segmentation(overlay: Segmentation, sent: Image.Image) -> Segmentation:
    """A mask from the regions an annotated answer tinted; the engine's picture stays the
    overlay (it carries the engine's labels and scores)."""
    assert overlay.overlay_image is not None
    picture = overlay.overlay_image
    sent_rgb = sent if sent.mode == "RGB" else sent.convert("RGB")
    if sent_rgb.size != picture.size:
        sent_rgb = sent_rgb.resize(picture.size, Image.Resampling.BILINEAR)
    derived = derive_mask(np.asarray(picture), np.asarray(sent_rgb))
    mask = Image.fromarray(derived.oil.astype(np.uint8) * np.uint8(255), "L")
    return Segmentation(
        kind="mask",
        oil=derived.oil,
        mask_image=mask,
        overlay_image=picture,
        warnings=overlay.warnings,
        mask_source="derived",
    )
