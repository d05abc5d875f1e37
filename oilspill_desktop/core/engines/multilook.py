"""Multilooking: averaging a scene down before segmentation, and scaling the mask back up.

Field scenes can hold hundreds of megapixels; every engine works on a copy averaged down to
a bounded size, which also reduces speckle, and paints its mask back at full size.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image


def multilook_factor(pixels: int, work_pixels: int) -> int:
    """The smallest block side that brings ``pixels`` to at most about ``work_pixels``."""
    return max(1, math.ceil(math.sqrt(pixels / max(1, work_pixels))))


def block_mean(
    values: npt.NDArray[Any], factor: int, *, square: bool = False
) -> npt.NDArray[np.float32]:
    """Float mean of ``factor`` x ``factor`` blocks of an (H, W[, C]) array, a strip at a time.

    ``square`` averages the squares (amplitude to intensity, where a box average estimates
    sigma0 without bias). Pillow's ``Image.reduce`` on a float (``F``) picture does the
    averaging in C, 2 to 4 times as fast as numpy's reshape-and-sum and with the same
    result to the bit (both add in float32 and divide once); edge blocks average only the
    pixels they hold. Strips, whole blocks high, keep a float copy of the whole scene from
    ever existing.
    """
    height, width = values.shape[:2]
    channels = values.shape[2] if values.ndim == 3 else 0
    out_h, out_w = math.ceil(height / factor), math.ceil(width / factor)
    out = np.empty((out_h, out_w, *values.shape[2:]), dtype=np.float32)
    rows = max(1, 1_000_000 // max(1, width * factor)) * factor
    for top in range(0, height, rows):
        first = top // factor
        for channel in range(max(1, channels)):
            strip = values[top : top + rows]
            if channels:
                strip = strip[..., channel]
            plane = np.square(strip, dtype=np.float32) if square else strip.astype(np.float32)
            reduced = np.asarray(Image.fromarray(plane, mode="F").reduce(factor))
            target = out[first : first + reduced.shape[0]]
            if channels:
                target[..., channel] = reduced
            else:
                target[...] = reduced
    return out


def multilook_mean(values: npt.NDArray[np.uint8], factor: int) -> npt.NDArray[np.uint8]:
    """Mean of ``factor`` x ``factor`` blocks of an 8-bit (H, W[, C]) image, rounded."""
    result: npt.NDArray[np.uint8] = np.rint(block_mean(values, factor)).astype(np.uint8)
    return result


def upscale_mask(
    mask: npt.NDArray[np.bool_], width: int, height: int, factor: int
) -> npt.NDArray[np.bool_]:
    """A mask computed on ``factor``-multilooked cells, back at ``width`` x ``height``."""
    small = Image.fromarray(mask.astype(np.uint8) * np.uint8(255))
    big = small.resize(
        (width, height),
        Image.Resampling.BILINEAR,
        box=(0.0, 0.0, width / factor, height / factor),
    )
    result: npt.NDArray[np.bool_] = np.asarray(big) >= 128
    return result
