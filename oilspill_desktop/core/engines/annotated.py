"""Recover the oil mask from an annotated answer: the sent picture with detections painted on.

The Oil Spill AI ML service (YOLO segmentation) answers the photo it was sent with each
detected slick tinted by its class colour blended at about 50 %, a box around it and a
label ("oil 0.77"). Such an answer holds the mask, only hidden: a tinted pixel is
``answer = (1 - a) * sent + a * colour`` for one alpha and one colour per class, while a
box line or a label is solid paint, ``answer = colour``. So, knowing what was sent:

1. pixels that changed by more than JPEG noise are candidates;
2. for each candidate the colour a 50 % blend would need, ``2 * answer - sent``, is
   computed; tinted pixels of one slick all need the same colour, inside the RGB cube,
   while solid paint needs a colour outside it unless the picture under it already had
   the paint's colour (a red box over dark sea would need a red far above 255). The few
   colours that explain the most candidates are found from a sample;
3. the consistent pixels are cleaned up: an opening drops box lines, strokes of text and
   the streaks JPEG's half-resolution chroma smears along solid paint, specks smaller
   than a slick go, and what is left grows a few pixels into the slick's edge, where the
   same smearing makes the blend fit only loosely.

Before a mask is derived, the answer must be a copy of the picture that was sent: outside
the tinted regions almost every pixel must match it. Another image's annotation (a
service mixing up uploads) differs nearly everywhere, and deriving a mask from it would
put another image's slick into this one: that is refused with :class:`EngineError`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..errors import EngineError
from ..messages import say
from .classical import _close, _open, _paint, _runs, _shift_combine, label_runs

BoolArray = npt.NDArray[np.bool_]

CHANGED = 24
"""A pixel whose largest channel moved by more than this was painted on (JPEG noise stays
under it, even after the two encodings of a converted upload)."""
ALPHA = 0.5
"""The tint's opacity: Ultralytics blends masks at 50 %."""
_COLOUR_TOLERANCE = 20.0
"""How far (in answer levels) a tinted pixel may sit from the exact blend."""
_FRINGE_TOLERANCE = 45.0
_FRINGE_STEPS = 2
"""A slick's edge pixels, their colour smeared by JPEG's half-resolution chroma, are taken
when they touch the slick (up to this many pixels out) and fit the blend more loosely."""
_MAX_COLOURS = 6
_SAMPLE = 200_000
_MAX_UNEXPLAINED = 0.3
"""Outside tinted regions, at most this share of pixels may differ from what was sent
(boxes and labels on a tiny image take up to about a fifth of it)."""


@dataclass(frozen=True)
class DerivedMask:
    oil: BoolArray
    colours: tuple[tuple[int, int, int], ...]
    """The blend colours found (one per class painted), for logs and tests."""
    alpha: float
    unexplained: float
    """Share of the pixels outside tinted regions that differ from what was sent."""


def derive_mask(answer: npt.NDArray[np.uint8], sent: npt.NDArray[np.uint8]) -> DerivedMask:
    """The tinted regions of ``answer`` (RGB, same shape as ``sent``) as an oil mask.

    Raises :class:`EngineError` when ``answer`` is not a copy of ``sent`` with paint on it.
    """
    if answer.shape != sent.shape or answer.ndim != 3 or answer.shape[2] != 3:
        raise ValueError("answer and sent must be RGB arrays of one shape")
    height, width = answer.shape[:2]
    a = answer.astype(np.int16)
    s = sent.astype(np.int16)
    changed = np.abs(a - s).max(axis=2) > CHANGED
    count = int(np.count_nonzero(changed))
    empty = np.zeros((height, width), dtype=np.bool_)
    if count == 0:
        return DerivedMask(empty, (), 0.5, 0.0)
    a_changed = a[changed].astype(np.float32)
    s_changed = s[changed].astype(np.float32)
    alpha, colours = _find_blend(a_changed, s_changed)
    tinted = empty.copy()
    tinted[changed] = _matches(a_changed, s_changed, alpha, colours, _COLOUR_TOLERANCE)
    fringe = empty.copy()
    fringe[changed] = _matches(a_changed, s_changed, alpha, colours, _FRINGE_TOLERANCE)
    core = _solid_regions(tinted, height * width)
    oil = _close(_grow_into(core, fringe, _FRINGE_STEPS), 1)
    outside = ~oil
    total_outside = int(np.count_nonzero(outside))
    differing = int(np.count_nonzero(changed & outside & ~core))
    unexplained = differing / total_outside if total_outside else 0.0
    if unexplained > _MAX_UNEXPLAINED:
        raise EngineError(say("engine.not_the_image_sent", share=f"{unexplained:.0%}"))
    return DerivedMask(oil, tuple(colours), alpha, unexplained)


def _blend_colours(
    a: npt.NDArray[np.float32], s: npt.NDArray[np.float32], alpha: float
) -> npt.NDArray[np.float32]:
    colours = ((a - np.float32(1.0 - alpha) * s) / np.float32(alpha)).astype(np.float32)
    return colours


def _find_blend(
    a: npt.NDArray[np.float32], s: npt.NDArray[np.float32]
) -> tuple[float, list[tuple[int, int, int]]]:
    """The blend colours that explain the most changed pixels (found from a sample).

    The alpha is fixed at YOLO's 50 %: left free, a solid label over a uniform sea would
    pass for a blend at some other alpha. The tolerance still takes blends from about 40 %
    to 60 % (the colour a pixel needs then drifts by a tenth to a fifth of its level).
    """
    if a.shape[0] > _SAMPLE:
        pick = np.random.default_rng(0).choice(a.shape[0], _SAMPLE, replace=False)
        a, s = a[pick], s[pick]
    first_floor = max(8, int(0.01 * a.shape[0]))
    needed = _blend_colours(a, s, ALPHA)
    tolerance = _COLOUR_TOLERANCE / ALPHA
    left = np.all((needed >= -tolerance) & (needed <= 255 + tolerance), axis=1)
    colours: list[tuple[int, int, int]] = []
    while len(colours) < _MAX_COLOURS:
        idx = np.flatnonzero(left)
        # A second class painted is a region of its own, not JPEG noise around the first.
        floor = first_floor if not colours else max(first_floor, int(0.05 * a.shape[0]))
        if idx.size < floor:
            break
        cells = np.clip((needed[idx] + 32.0) // 16.0, 0, 23).astype(np.int32)
        keys = (cells[:, 0] * 24 + cells[:, 1]) * 24 + cells[:, 2]
        counts = np.bincount(keys, minlength=24**3)
        top = int(counts.argmax())
        if counts[top] < floor:
            break
        centre = np.median(needed[idx[keys == top]], axis=0)
        close = np.abs(needed[idx] - centre).max(axis=1) <= tolerance
        if int(np.count_nonzero(close)) < floor:
            break
        colours.append((round(centre[0]), round(centre[1]), round(centre[2])))
        left[idx[close]] = False
    return ALPHA, colours


def _grow_into(core: BoolArray, allowed: BoolArray, steps: int) -> BoolArray:
    """Grow ``core`` a pixel at a time, only onto ``allowed`` pixels (hysteresis)."""
    grown = core
    for _ in range(steps):
        step = _shift_combine(grown, 1, grow=True) & allowed | grown
        if np.array_equal(step, grown):
            break
        grown = step
    return grown


def _matches(
    a: npt.NDArray[np.float32],
    s: npt.NDArray[np.float32],
    alpha: float,
    colours: list[tuple[int, int, int]],
    level_tolerance: float = 20.0,
) -> BoolArray:
    result = np.zeros(a.shape[0], dtype=np.bool_)
    if not colours:
        return result
    needed = _blend_colours(a, s, alpha)
    tolerance = level_tolerance / alpha
    for colour in colours:
        result |= np.abs(needed - np.asarray(colour, dtype=np.float32)).max(axis=1) <= tolerance
    return result


def _solid_regions(tinted: BoolArray, pixels: int) -> BoolArray:
    """Filled regions only: an opening drops box lines, text strokes and the one-pixel
    streaks JPEG's chroma smears along solid paint, then specks smaller than a slick go."""
    if not tinted.any():
        return tinted
    opened = _open(_close(tinted, 1), 1)
    rows, starts, ends = _runs(opened)
    if rows.size == 0:
        return opened
    labels = label_runs(rows, starts, ends, opened.shape[1])
    area = np.bincount(labels, weights=(ends - starts).astype(np.float64))
    keep = (area >= max(12.0, 2e-4 * pixels))[labels]
    return _paint(rows[keep], starts[keep], ends[keep], opened.shape[0], opened.shape[1])
