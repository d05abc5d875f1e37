"""The synthetic SAR scenes behave like the physics they claim, and surveys are reproducible."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from oilspill_desktop.tools.synthetic import (
    SyntheticScene,
    survey_scene,
    synthetic_scene,
    write_survey_zip,
)


def _ring(mask: np.ndarray, inner: int, outer: int) -> np.ndarray:
    """Pixels between ``inner`` and ``outer`` (Chebyshev) pixels away from ``mask``."""

    def grow(m: np.ndarray, r: int) -> np.ndarray:
        out = m.copy()
        for _ in range(r):
            rows = out.copy()
            rows[1:] |= out[:-1]
            rows[:-1] |= out[1:]
            out = rows.copy()
            out[:, 1:] |= rows[:, :-1]
            out[:, :-1] |= rows[:, 1:]
        return out

    return grow(mask, outer) & ~grow(mask, inner)


def test_same_seed_same_scene_and_different_seed_different_scene() -> None:
    a = synthetic_scene(120, 90, seed=7, slicks=2, look_alikes=1, ship=True)
    b = synthetic_scene(120, 90, seed=7, slicks=2, look_alikes=1, ship=True)
    c = synthetic_scene(120, 90, seed=8, slicks=2, look_alikes=1, ship=True)
    assert np.array_equal(np.asarray(a.image), np.asarray(b.image))
    assert np.array_equal(a.oil, b.oil)
    assert not np.array_equal(np.asarray(a.image), np.asarray(c.image))


@pytest.mark.parametrize(
    ("dtype", "mode", "numpy_kind"),
    [("uint8", "L", "u"), ("uint16", "I;16", "u"), ("float32", "F", "f")],
)
def test_dtypes_give_the_documented_modes_and_sizes(dtype: str, mode: str, numpy_kind: str) -> None:
    scene = synthetic_scene(97, 61, seed=1, dtype=dtype)
    assert isinstance(scene, SyntheticScene)
    assert scene.image.mode == mode
    assert scene.image.size == (97, 61)
    assert scene.oil.shape == (61, 97)
    assert scene.oil.dtype == np.bool_
    assert np.asarray(scene.image).dtype.kind == numpy_kind


def test_the_three_renderings_of_a_seed_are_the_same_scene() -> None:
    """uint16 is 500 * sqrt(sigma0) and float32 is sigma0: they must agree."""
    sigma0 = np.asarray(synthetic_scene(64, 64, seed=3, dtype="float32").image, dtype=np.float64)
    dn = np.asarray(synthetic_scene(64, 64, seed=3, dtype="uint16").image, dtype=np.float64)
    assert np.allclose(dn, np.clip(np.round(500.0 * np.sqrt(sigma0)), 0, 65535), atol=1.0)
    # Plausible sea: mean sigma0 between -20 and -8 dB.
    assert -20.0 < 10.0 * np.log10(sigma0.mean()) < -8.0


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_slicks_are_several_db_darker_than_the_sea_around_them(seed: int) -> None:
    scene = synthetic_scene(256, 256, seed=seed, slicks=1, dtype="float32")
    intensity = np.asarray(scene.image, dtype=np.float64)
    assert scene.oil.sum() > 200
    around = _ring(scene.oil, 4, 12)
    contrast_db = 10.0 * np.log10(intensity[around].mean() / intensity[scene.oil].mean())
    # 5-10 dB damping, softened at the feathered edge and by the noise floor.
    assert 4.0 < contrast_db < 11.0


@pytest.mark.parametrize("looks", [4.0, 16.0])
def test_speckle_has_the_spread_of_its_number_of_looks(looks: float) -> None:
    """Gamma(L, 1/L) intensity speckle: coefficient of variation 1 / sqrt(L)."""
    scene = synthetic_scene(256, 256, seed=3, slicks=0, dtype="float32", looks=looks)
    tiles = np.asarray(scene.image).reshape(16, 16, 16, 16).transpose(0, 2, 1, 3).reshape(256, 256)
    variation = float(np.median(tiles.std(axis=1) / tiles.mean(axis=1)))
    assert variation == pytest.approx(1.0 / np.sqrt(looks), rel=0.12)


def test_incidence_angle_gradient_runs_across_range() -> None:
    """Near range is brighter than far range, by a few dB, on average over many scenes."""
    spans = []
    for seed in range(6):
        sigma0 = np.asarray(synthetic_scene(128, 64, seed=seed, slicks=0, dtype="float32").image)
        left, right = sigma0[:, :16].mean(), sigma0[:, -16:].mean()
        spans.append(abs(10.0 * np.log10(left / right)))
    assert 1.0 < float(np.mean(spans)) < 6.0


def test_look_alikes_darken_the_sea_but_are_not_oil() -> None:
    # The sea is drawn before the look-alikes, so the same seed gives the same sea.
    plain = synthetic_scene(200, 200, seed=11, slicks=0, dtype="float32")
    calm = synthetic_scene(200, 200, seed=11, slicks=0, look_alikes=2, dtype="float32")
    assert not calm.oil.any()

    def tile_means(scene: SyntheticScene) -> np.ndarray:
        return np.asarray(scene.image).reshape(10, 20, 10, 20).mean(axis=(1, 3))

    darkening_db = 10.0 * np.log10(tile_means(plain) / tile_means(calm))
    assert 2.0 < darkening_db.max() < 6.0  # "less dark" than oil's 5-10 dB
    assert np.asarray(calm.image).mean() < np.asarray(plain.image).mean()


def test_a_ship_is_bright_not_oil_and_trails_a_slick() -> None:
    scene = synthetic_scene(256, 256, seed=5, slicks=0, ship=True)
    pixels = np.asarray(scene.image)
    hull = pixels == 255
    assert hull.any()
    assert not (hull & scene.oil).any()
    assert scene.oil.sum() > 100  # the trail
    rows, cols = np.nonzero(hull)
    oil_rows, oil_cols = np.nonzero(scene.oil)
    gap = np.min(np.hypot(oil_rows[:, None] - rows[None, :], oil_cols[:, None] - cols[None, :]))
    assert gap < 10  # the trail starts at the ship


def test_pure_sea_has_no_oil_and_is_mid_grey() -> None:
    scene = synthetic_scene(128, 128, seed=2, slicks=0)
    pixels = np.asarray(scene.image)
    assert not scene.oil.any()
    assert 80 < pixels.mean() < 140


@pytest.mark.parametrize(("width", "height"), [(1, 1), (3, 7), (7, 3), (1, 40)])
def test_tiny_scenes_work(width: int, height: int) -> None:
    scene = synthetic_scene(width, height, seed=0, slicks=2, look_alikes=1, ship=True)
    assert scene.image.size == (width, height)
    assert scene.oil.shape == (height, width)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"width": 0, "height": 5},
        {"width": 5, "height": 5, "slicks": -1},
        {"width": 5, "height": 5, "dtype": "int8"},
        {"width": 5, "height": 5, "looks": 0.0},
    ],
)
def test_bad_arguments_are_refused_with_a_sentence(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"\.$"):
        synthetic_scene(seed=0, **kwargs)  # type: ignore[arg-type]


def test_survey_scenes_cycle_through_the_cases() -> None:
    kinds = [survey_scene(i, size=(96, 96)) for i in range(5)]
    assert all(scene.oil.any() for scene in kinds[:4])
    assert not kinds[4].oil.any()  # pure sea
    assert (np.asarray(kinds[3].image) == 255).any()  # the ship


def test_survey_zip_is_reproducible_and_complete(tmp_path: Path) -> None:
    first = write_survey_zip(tmp_path / "a.zip", 6, size=(64, 48), seed=3)
    second = write_survey_zip(tmp_path / "b.zip", 6, size=(64, 48), seed=3)
    assert first == tmp_path / "a.zip"
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip", "b.zip"]  # no temp files
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert names == [f"survey/scene_{i:03d}.png" for i in range(6)]
        for index, name in enumerate(names):
            image = Image.open(io.BytesIO(archive.read(name)))
            assert image.size == (64, 48)
            expected = survey_scene(index, size=(64, 48), seed=3).image
            assert np.array_equal(np.asarray(image), np.asarray(expected))


@pytest.mark.parametrize(("fmt", "suffix"), [("JPEG", ".jpg"), ("TIFF", ".tif"), ("bmp", ".bmp")])
def test_survey_zip_formats_and_folder(tmp_path: Path, fmt: str, suffix: str) -> None:
    path = write_survey_zip(tmp_path / "s.zip", 2, size=(32, 32), fmt=fmt, folder="")
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == [f"scene_000{suffix}", f"scene_001{suffix}"]
        assert Image.open(io.BytesIO(archive.read(f"scene_001{suffix}"))).size == (32, 32)


def test_survey_zip_refuses_unknown_formats(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="GIF"):
        write_survey_zip(tmp_path / "s.zip", 1, fmt="GIF")
    assert not any(tmp_path.iterdir())
