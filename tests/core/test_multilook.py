"""Multilooking (block means by Pillow's Image.reduce) gives what a plain average gives."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pytest

from oilspill_desktop.core.engines import classical
from oilspill_desktop.core.engines.classical import BuiltinParams, amplitude_of, detect_dark_spots
from oilspill_desktop.core.engines.multilook import block_mean, multilook_mean
from oilspill_desktop.tools.synthetic import synthetic_scene


def _reference(values: npt.NDArray[np.generic], factor: int, square: bool) -> np.ndarray:
    """Block by block in float64, edge blocks over the pixels they hold."""
    height, width = values.shape[:2]
    out = np.empty((math.ceil(height / factor), math.ceil(width / factor), *values.shape[2:]))
    for row in range(out.shape[0]):
        for col in range(out.shape[1]):
            block = values[row * factor : (row + 1) * factor, col * factor : (col + 1) * factor]
            block = block.astype(np.float64)
            out[row, col] = (block**2 if square else block).mean(axis=(0, 1))
    return out


@pytest.mark.parametrize("shape", [(37, 23), (40, 40), (31, 50, 3)])
@pytest.mark.parametrize("factor", [2, 3, 7])
@pytest.mark.parametrize("square", [False, True])
def test_block_means_match_a_plain_average(
    shape: tuple[int, ...], factor: int, square: bool
) -> None:
    rng = np.random.default_rng(factor)
    for values in (
        rng.integers(0, 256, shape).astype(np.uint8),
        rng.gamma(2.0, 40.0, shape).astype(np.float32),
    ):
        result = block_mean(values, factor, square=square)
        assert result.dtype == np.float32
        np.testing.assert_allclose(result, _reference(values, factor, square), rtol=2e-6)


def test_strips_join_without_seams() -> None:
    """A scene taller than one strip (a million values): strip edges fall on block edges."""
    values = np.random.default_rng(2).integers(0, 256, (1001, 1500)).astype(np.uint8)
    np.testing.assert_allclose(block_mean(values, 3), _reference(values, 3, False), rtol=2e-6)


def test_eight_bit_means_are_rounded_to_eight_bits() -> None:
    values = np.array([[0, 1], [1, 1]], dtype=np.uint8)  # mean 0.75
    assert multilook_mean(values, 2).tolist() == [[1]]
    assert multilook_mean(values, 2).dtype == np.uint8


def test_the_classical_masks_are_those_of_a_plain_average(monkeypatch: pytest.MonkeyPatch) -> None:
    scene = synthetic_scene(480, 360, seed=44, slicks=2, look_alikes=1)
    amplitude = amplitude_of(scene.image)
    params = BuiltinParams(work_pixels=20_000)
    found = detect_dark_spots(amplitude, params)
    assert found.any()
    monkeypatch.setattr(
        classical,
        "block_mean",
        lambda values, factor, square: _reference(values, factor, square).astype(np.float32),
    )
    assert np.array_equal(detect_dark_spots(amplitude, params), found)
