"""Multilooking: averaging a scene down before segmentation, and scaling the mask back up.

Field scenes can hold hundreds of megapixels; every engine works on a copy averaged down to
a bounded size, which also reduces speckle, and paints its mask back at full size.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from PIL import Image


def multilook_factor(pixels: int, work_pixels: int) -> int:
    """The smallest block side that brings ``pixels`` to at most about ``work_pixels``."""
    return max(1, math.ceil(math.sqrt(pixels / max(1, work_pixels))))


def multilook_mean(values: npt.NDArray[np.uint8], factor: int) -> npt.NDArray[np.uint8]:
    """Mean of ``factor`` x ``factor`` blocks of an 8-bit (H, W[, C]) image, a strip at a time.

    Edge blocks average only the pixels they hold. Strips keep a float copy of the whole
    scene from ever existing.
    """
    height, width = values.shape[:2]
    out_h, out_w = math.ceil(height / factor), math.ceil(width / factor)
    out = np.empty((out_h, out_w, *values.shape[2:]), dtype=np.uint8)
    rows = max(1, 1_000_000 // max(1, width * factor)) * factor
    for top in range(0, height, rows):
        strip = values[top : top + rows].astype(np.float32)
        strip_h = strip.shape[0]
        cells_h = math.ceil(strip_h / factor)
        pad = [(0, cells_h * factor - strip_h), (0, out_w * factor - width)]
        pad += [(0, 0)] * (values.ndim - 2)
        shape = (cells_h, factor, out_w, factor, *values.shape[2:])
        sums = np.pad(strip, pad).reshape(shape).sum(axis=(1, 3))
        ones = np.pad(np.ones((strip_h, width), np.float32), pad[:2])
        counts = ones.reshape(cells_h, factor, out_w, factor).sum(axis=(1, 3))
        if values.ndim == 3:
            counts = counts[..., None]
        first = top // factor
        out[first : first + cells_h] = np.rint(sums / counts).astype(np.uint8)
    return out


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
