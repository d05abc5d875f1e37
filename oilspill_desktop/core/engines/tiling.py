"""Run a fixed-size network over an image of any size: overlapping tiles, blended back.

A network sees only its tile, so its answer near a tile's edge is made with half the
context it has in the middle; butting tiles together leaves seams where a slick crosses a
border. Tiles therefore overlap, and each pixel's scores are a weighted mean of every tile
that covers it, with weights that fall towards a tile's edges (as the square of the
distance, so the few pixels a network sees without context count for almost nothing): a
slick crossing a border is decided by the tile that sees it from the middle.

Memory is bounded by one band of tiles, not by the scene: scores are accumulated in a
buffer one tile high and as wide as the image, and rows are decided (turned into the
boolean mask) as soon as no later band can touch them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]

Infer = Callable[[npt.NDArray[np.uint8]], FloatArray]
"""(N, tile, tile[, C]) raw pixels -> (N, K, tile, tile) scores."""
Decide = Callable[[FloatArray], BoolArray]
"""(K, rows, width) blended scores -> (rows, width) oil."""


@dataclass(frozen=True)
class TilePlan:
    tile: int
    overlap: int
    batch: int

    def __post_init__(self) -> None:
        if self.tile < 2 or not 0 <= self.overlap < self.tile or self.batch < 1:
            raise ValueError(f"Impossible tiling: {self}.")

    @property
    def stride(self) -> int:
        return self.tile - self.overlap


def tile_starts(length: int, plan: TilePlan) -> list[int]:
    """Tile origins along one axis of ``length >= tile``: every ``stride``, the last flush."""
    last = length - plan.tile
    starts = list(range(0, last, plan.stride))
    starts.append(last)
    return starts


def edge_weights(plan: TilePlan) -> FloatArray:
    """A tile's blending weights: 1 in the middle, falling quadratically over the overlap."""
    ramp = max(1, plan.overlap)
    i = np.arange(plan.tile, dtype=np.float32)
    distance = np.minimum(i, plan.tile - 1 - i)
    line = np.minimum(np.float32(1.0), (distance + 1) / np.float32(ramp + 1))
    line = line * line
    weights: FloatArray = np.outer(line, line).astype(np.float32)
    return weights


def segment_tiled(
    pixels: npt.NDArray[np.uint8],
    plan: TilePlan,
    infer: Infer,
    decide: Decide,
    *,
    check: Callable[[], None] = lambda: None,
) -> BoolArray:
    """The oil mask of ``pixels`` (H, W) or (H, W, C), any size, tile by tile.

    Images smaller than a tile are mirrored out to one (a network given a sliver of
    padding with zeros would see a dark, oil-like border) and the answer is cropped.
    ``check`` is called between batches so that cancellation is prompt.
    """
    height, width = pixels.shape[:2]
    if height == 0 or width == 0:
        return np.zeros((height, width), dtype=np.bool_)
    if height < plan.tile or width < plan.tile:
        pad = [(0, max(0, plan.tile - height)), (0, max(0, plan.tile - width))]
        pad += [(0, 0)] * (pixels.ndim - 2)
        padded = np.pad(pixels, pad, mode="symmetric")
        return segment_tiled(padded, plan, infer, decide, check=check)[:height, :width]

    weights = edge_weights(plan)
    xs = tile_starts(width, plan)
    ys = tile_starts(height, plan)
    mask = np.zeros((height, width), dtype=np.bool_)
    scores: FloatArray | None = None
    total = np.zeros((plan.tile, width), dtype=np.float32)
    for band, y in enumerate(ys):
        for first in range(0, len(xs), plan.batch):
            check()
            group = xs[first : first + plan.batch]
            batch = np.stack([pixels[y : y + plan.tile, x : x + plan.tile] for x in group])
            out = infer(batch)
            if scores is None:
                scores = np.zeros((out.shape[1], plan.tile, width), dtype=np.float32)
            for k, x in enumerate(group):
                scores[:, :, x : x + plan.tile] += out[k] * weights
                total[:, x : x + plan.tile] += weights
        assert scores is not None
        done = (ys[band + 1] - y) if band + 1 < len(ys) else plan.tile
        mask[y : y + done] = decide(scores[:, :done] / total[:done])
        scores = np.roll(scores, -done, axis=1)
        scores[:, plan.tile - done :] = 0.0
        total = np.roll(total, -done, axis=0)
        total[plan.tile - done :] = 0.0
    return mask
