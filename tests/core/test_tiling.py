"""Tiling: any image size, seamless blending, memory bounded by a band, prompt cancellation."""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt
import pytest

from oilspill_desktop.core.engines.tiling import TilePlan, edge_weights, segment_tiled, tile_starts

PLAN = TilePlan(tile=64, overlap=16, batch=3)


def _pointwise(tiles: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    grey = tiles.astype(np.float32) if tiles.ndim == 3 else tiles.mean(axis=3, dtype=np.float32)
    return (grey / 255.0)[:, None]


def _dark(scores: npt.NDArray[np.float32]) -> npt.NDArray[np.bool_]:
    return scores[0] < 0.5


@pytest.mark.parametrize("shape", [(64, 64), (1, 1), (10, 300), (130, 97), (200, 200), (257, 64)])
def test_a_pointwise_network_gives_exactly_the_whole_image_answer(shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(sum(shape))
    pixels = rng.integers(0, 256, size=shape, dtype=np.uint8)
    mask = segment_tiled(pixels, PLAN, _pointwise, _dark)
    assert mask.shape == shape
    np.testing.assert_array_equal(mask, pixels < 127.5)


def test_colour_tiles_keep_their_channels() -> None:
    pixels = np.random.default_rng(3).integers(0, 256, size=(90, 150, 3), dtype=np.uint8)
    mask = segment_tiled(pixels, PLAN, _pointwise, _dark)
    np.testing.assert_array_equal(mask, pixels.mean(axis=2) < 127.5)


def test_tiles_cover_every_pixel_and_end_flush() -> None:
    assert tile_starts(64, PLAN) == [0]
    assert tile_starts(200, PLAN) == [0, 48, 96, 136]
    for length in range(64, 400, 7):
        starts = tile_starts(length, PLAN)
        assert starts[-1] + PLAN.tile == length
        assert all(b - a <= PLAN.stride for a, b in itertools.pairwise(starts))


def test_weights_fall_towards_the_edges_but_never_reach_zero() -> None:
    weights = edge_weights(PLAN)
    assert weights[32, 32] == 1.0
    assert 0 < weights[0, 0] < weights[0, 8] < weights[8, 8] <= 1.0
    np.testing.assert_array_equal(weights, weights.T)


RADIUS = 5


def _local_contrast(tiles: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """Dark against the mean of a small window, padded with zeros like a convolution.

    Near a tile's edge the window reaches into the padding, the background looks darker
    and the slick is missed: the edge effect every convolutional network has.
    """
    values = tiles.astype(np.float32)
    size = 2 * RADIUS + 1
    padded = np.pad(values, ((0, 0), (RADIUS, RADIUS), (RADIUS, RADIUS)))
    sums = padded.cumsum(axis=1).cumsum(axis=2)
    sums = np.pad(sums, ((0, 0), (1, 0), (1, 0)))
    box = (
        sums[:, size:, size:]
        - sums[:, :-size, size:]
        - sums[:, size:, :-size]
        + sums[:, :-size, :-size]
    ) / size**2
    return (1.0 / (1.0 + np.exp((values - 0.85 * box) / 3.0)))[:, None].astype(np.float32)


def _is_oil(scores: npt.NDArray[np.float32]) -> npt.NDArray[np.bool_]:
    return scores[0] >= 0.5


def _slick_scene() -> npt.NDArray[np.uint8]:
    height, width = 160, 420
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    slick = np.abs(y - 80 - 0.3 * (x - 210)) < 4  # thin and slanted: crosses many borders
    rng = np.random.default_rng(0)
    sea = 150.0 + rng.normal(0.0, 4.0, (height, width))
    return np.clip(np.where(slick, sea * 0.6, sea), 0, 255).astype(np.uint8)


def test_a_slick_crossing_tile_borders_is_segmented_as_in_one_pass() -> None:
    """Blended tiles give the answer of one pass over the whole scene, borders included.

    Tiles merely butted together lose the slick in a band along every tile border (the
    edge effect), which is what a seam is; the test checks that it provokes them.
    """
    pixels = _slick_scene()
    whole = _is_oil(_local_contrast(pixels[None])[0])
    assert whole.sum() > 1000
    blended = segment_tiled(pixels, PLAN, _local_contrast, _is_oil)
    butted = segment_tiled(pixels, TilePlan(64, 0, 3), _local_contrast, _is_oil)

    def iou(a: npt.NDArray[np.bool_], b: npt.NDArray[np.bool_]) -> float:
        return float((a & b).sum() / (a | b).sum())

    assert iou(blended, whole) > 0.99
    assert iou(butted, whole) < 0.97, "the test scene must provoke seams"


def test_memory_is_one_band_and_batches_are_bounded() -> None:
    seen: list[tuple[int, ...]] = []

    def infer(tiles: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
        seen.append(tiles.shape)
        return _pointwise(tiles)

    pixels = np.zeros((300, 500), dtype=np.uint8)
    segment_tiled(pixels, PLAN, infer, _dark)
    assert all(shape[0] <= PLAN.batch and shape[1:] == (64, 64) for shape in seen)
    assert sum(shape[0] for shape in seen) == len(tile_starts(300, PLAN)) * len(
        tile_starts(500, PLAN)
    )


def test_cancellation_is_checked_between_batches() -> None:
    class Stop(Exception):
        pass

    calls = 0

    def check() -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise Stop

    with pytest.raises(Stop):
        segment_tiled(np.zeros((500, 500), np.uint8), PLAN, _pointwise, _dark, check=check)


def test_impossible_plans_are_refused() -> None:
    with pytest.raises(ValueError, match="Impossible tiling"):
        TilePlan(tile=64, overlap=64, batch=1)
