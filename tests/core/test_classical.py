"""The built-in engine finds synthetic slicks, leaves clean sea alone and survives odd inputs.

These are accuracy tests with margins (the benchmark reports the exact figures); speed is
measured in benchmarks/bench_builtin.py, never here.
"""

from __future__ import annotations

import io
from collections import deque

import numpy as np
import pytest
from PIL import Image

from oilspill_desktop.core.engines import classical
from oilspill_desktop.core.engines.classical import (
    BuiltinParams,
    ClassicalEngine,
    amplitude_of,
    detect_dark_spots,
    label_runs,
    read_physical_amplitude,
)
from oilspill_desktop.core.engines.protocol import Engine
from oilspill_desktop.core.errors import Cancelled, EngineError
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.model import SourceImage
from oilspill_desktop.tools.synthetic import encode_image, synthetic_scene
from tests.sources import in_memory_source


def _segment(image: Image.Image, params: BuiltinParams | None = None) -> np.ndarray:
    answer = ClassicalEngine(params).segment(in_memory_source(image), CancelToken())
    assert answer.image.mode == "L"
    assert answer.image.size == image.size
    assert answer.attempts == 1
    values = np.asarray(answer.image)
    assert set(np.unique(values).tolist()) <= {0, 255}
    return values == 255


def _iou(found: np.ndarray, truth: np.ndarray) -> float:
    return float((found & truth).sum() / max((found | truth).sum(), 1))


def test_engine_identity_and_protocol() -> None:
    engine: Engine = ClassicalEngine()
    assert engine.engine == "classical"
    assert engine.endpoint is None
    engine.close()
    engine.close()  # closing twice is harmless


@pytest.mark.parametrize("seed", [101, 102, 103, 104])
def test_finds_slicks_in_synthetic_scenes(seed: int) -> None:
    scene = synthetic_scene(256, 256, seed=seed, slicks=2)
    found = _segment(scene.image)
    assert _iou(found, scene.oil) >= 0.7


@pytest.mark.parametrize("seed", [201, 202])
def test_finds_a_ship_trail_but_not_the_ship(seed: int) -> None:
    scene = synthetic_scene(320, 256, seed=seed, slicks=0, ship=True)
    found = _segment(scene.image)
    assert _iou(found, scene.oil) >= 0.6
    hull = np.asarray(scene.image) == 255
    assert not (found & hull).any()


def test_mean_quality_over_several_scenes() -> None:
    scores = []
    for seed in range(300, 308):
        scene = synthetic_scene(192, 192, seed=seed, slicks=1 + seed % 3, ship=seed % 4 == 0)
        scores.append(_iou(_segment(scene.image), scene.oil))
    assert float(np.mean(scores)) >= 0.75
    assert min(scores) >= 0.5


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_pure_sea_gives_almost_nothing(seed: int) -> None:
    scene = synthetic_scene(256, 256, seed=seed, slicks=0)
    assert _segment(scene.image).mean() < 0.001


@pytest.mark.parametrize("seed", [10, 11, 12, 13])
def test_shallow_calm_areas_are_not_taken_for_oil(seed: int) -> None:
    scene = synthetic_scene(256, 256, seed=seed, slicks=0, look_alikes=2)
    assert _segment(scene.image).mean() < 0.005


@pytest.mark.parametrize(
    ("depth_db", "min_contrast_db", "kept"),
    [(3.0, 3.5, False), (3.0, 0.01, True), (6.0, 3.5, True)],
)
def test_regions_are_judged_by_their_mean_contrast(
    depth_db: float, min_contrast_db: float, kept: bool
) -> None:
    """A wide area a little darker than the sea, with a deeper core, is a calm-wind look-alike.

    The core passes the seed threshold, so only the mean-contrast criterion can tell it
    from a slick; the same shape darker all over is a slick.
    """
    sea = 120.0
    amplitude = np.full((240, 240), sea)
    amplitude[105:135, 105:135] = sea * 10.0 ** (-depth_db / 20.0)
    amplitude[117:123, 117:123] = sea * 10.0 ** (-5.0 / 20.0)
    image = Image.fromarray(np.round(amplitude).astype(np.uint8))
    found = _segment(image, BuiltinParams(min_contrast_db=min_contrast_db))
    assert found[120, 120] == kept
    assert found.any() == kept


@pytest.mark.parametrize("value", [0, 1, 100, 255])
@pytest.mark.parametrize("size", [(1, 1), (3, 7), (7, 3), (64, 48), (1, 300)])
def test_uniform_images_give_no_oil(value: int, size: tuple[int, int]) -> None:
    image = Image.new("L", size, value)
    assert not _segment(image).any()


@pytest.mark.parametrize("size", [(1, 1), (3, 7), (2, 2), (5, 1)])
def test_tiny_noisy_images_work(size: tuple[int, int]) -> None:
    pixels = np.random.default_rng(1).integers(0, 256, (size[1], size[0]), dtype=np.uint8)
    _segment(Image.fromarray(pixels))


def test_a_dark_rectangle_on_flat_sea_is_found_exactly() -> None:
    pixels = np.full((200, 200), 120, dtype=np.uint8)
    pixels[80:120, 60:140] = 40  # about 9.5 dB darker in amplitude terms
    truth = pixels == 40
    assert _iou(_segment(Image.fromarray(pixels)), truth) > 0.95


def test_colour_input_is_read_through_its_luminance() -> None:
    scene = synthetic_scene(200, 160, seed=7, slicks=2)
    grey = _segment(scene.image)
    rgb = np.stack([np.asarray(scene.image)] * 3, axis=-1)
    assert np.array_equal(_segment(Image.fromarray(rgb)), grey)
    tinted = rgb.copy()
    tinted[..., 2] = tinted[..., 2] // 2  # a bluish-less tint keeps the slick dark
    assert _iou(_segment(Image.fromarray(tinted)), scene.oil) >= 0.7


def test_no_data_borders_are_not_oil() -> None:
    scene = synthetic_scene(300, 240, seed=21, slicks=0)
    pixels = np.asarray(scene.image).copy()
    pixels[:, :70] = 0  # swath edge
    pixels[:30, :] = 0
    assert not _segment(Image.fromarray(pixels)).any()


def test_a_slick_beside_a_no_data_border_is_still_found() -> None:
    scene = synthetic_scene(300, 240, seed=22, slicks=2)
    pixels = np.asarray(scene.image).copy()
    pixels[:, :40] = 0
    truth = scene.oil.copy()
    truth[:, :40] = False
    assert _iou(_segment(Image.fromarray(pixels)), truth) >= 0.6


@pytest.mark.parametrize("dtype", ["uint16", "float32"])
def test_wide_mode_pictures_are_read_as_physical_values(dtype: str) -> None:
    scene = synthetic_scene(256, 256, seed=31, slicks=2, dtype=dtype)
    amplitude = amplitude_of(scene.image)
    assert amplitude.shape == (256, 256)
    assert float(amplitude.min()) >= 0.0
    assert float(amplitude.max()) <= 255.0
    assert _iou(_segment(scene.image), scene.oil) >= 0.7


def test_float_decibels_are_recognised() -> None:
    scene = synthetic_scene(256, 256, seed=32, slicks=2, dtype="float32")
    decibels = 10.0 * np.log10(np.asarray(scene.image))
    assert _iou(_segment(Image.fromarray(decibels.astype(np.float32))), scene.oil) >= 0.7


def _display_stretch(values: np.ndarray) -> Image.Image:
    """What a viewer does to wide data: a 1-99 % linear stretch, black offset and all."""
    low, high = np.percentile(values, [1.0, 99.0])
    return Image.fromarray(np.clip((values - low) / (high - low) * 255.0, 0, 255).astype(np.uint8))


def _tiffin_memory_source(image: Image.Image, pixels: Image.Image, **tiffinfo: str) -> SourceImage:
    buffer = io.BytesIO()
    image.save(buffer, format="TIFF", tiffinfo={int(k[1:]): v for k, v in tiffinfo.items()})
    return SourceImage("s.tif", pixels, buffer.getvalue(), "TIFF", "image/tiff", False)


@pytest.mark.parametrize("dtype", ["uint16", "float32"])
def test_wide_tiffs_are_segmented_from_their_physical_values(dtype: str) -> None:
    """A calm area in a smooth float scene becomes "oil" in a display stretch; not here."""
    scene = synthetic_scene(256, 256, seed=51, slicks=1, look_alikes=1, dtype=dtype, looks=100)
    raw = np.asarray(scene.image, dtype=np.float64)
    source = _tiffin_memory_source(scene.image, _display_stretch(raw))
    amplitude = read_physical_amplitude(source)[0]
    assert amplitude is not None
    assert np.array_equal(amplitude, amplitude_of(scene.image))
    answer = ClassicalEngine().segment(source, CancelToken())
    assert _iou(np.asarray(answer.image) == 255, scene.oil) >= 0.75


def test_the_geotiff_no_data_value_is_no_data() -> None:
    scene = synthetic_scene(200, 160, seed=52, slicks=0, dtype="float32")
    values = np.asarray(scene.image).copy()
    values[:, :50] = -9999.0
    image = Image.fromarray(values)
    source = _tiffin_memory_source(image, _display_stretch(values), t42113="-9999")
    amplitude = read_physical_amplitude(source)[0]
    assert amplitude is not None
    assert not amplitude[:, :50].any()
    answer = ClassicalEngine().segment(source, CancelToken())
    assert not (np.asarray(answer.image) == 255).any()


def test_wide_tiffs_above_the_size_cap_use_the_pixels_and_say_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scene = synthetic_scene(120, 100, seed=54, slicks=1, dtype="float32")
    source = _tiffin_memory_source(scene.image, _display_stretch(np.asarray(scene.image)))
    assert read_physical_amplitude(source, 12_000)[0] is not None
    assert read_physical_amplitude(source, 11_999)[0] is None
    monkeypatch.setattr(classical, "PHYSICAL_MAX_PIXELS", 11_999)
    answer = ClassicalEngine().segment(source, CancelToken())
    assert len(answer.warnings) == 1
    assert "floating-point values were not used" in answer.warnings[0].text
    assert "more than 11,999 pixels" in answer.warnings[0].text
    assert answer.warnings[0].text.endswith(".")


def test_other_members_use_the_displayed_pixels() -> None:
    pixels = synthetic_scene(64, 48, seed=53).image
    eight_bit = _tiffin_memory_source(pixels, pixels)
    assert read_physical_amplitude(eight_bit)[0] is None  # an 8-bit TIFF: the pixels are the data
    resized = _tiffin_memory_source(synthetic_scene(64, 64, seed=53, dtype="uint16").image, pixels)
    assert read_physical_amplitude(resized)[0] is None  # sizes differ: not the same picture
    broken = SourceImage("s.tif", pixels, b"II*\x00garbage", "TIFF", "image/tiff", False)
    assert read_physical_amplitude(broken)[0] is None
    answer = ClassicalEngine().segment(broken, CancelToken())
    assert answer.image.size == (64, 48)
    png = SourceImage("s.png", pixels, encode_image(pixels, "PNG"), "PNG", "image/png", True)
    assert read_physical_amplitude(png)[0] is None


def test_large_scenes_are_multilooked_and_scaled_back() -> None:
    scene = synthetic_scene(400, 300, seed=41, slicks=2)
    params = BuiltinParams(work_pixels=20_000)  # forces a 4x4 multilook
    found = _segment(scene.image, params)
    assert found.shape == (300, 400)
    assert _iou(found, scene.oil) >= 0.65


def test_a_cancelled_token_stops_before_any_work() -> None:
    token = CancelToken()
    token.cancel()
    scene = synthetic_scene(64, 64, seed=0)
    with pytest.raises(Cancelled):
        ClassicalEngine().segment(in_memory_source(scene.image), token)


class _CancelOnCheck(CancelToken):
    """Cancels itself at the n-th check, to show cancellation is looked at between stages."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.at = at
        self.checks = 0

    def raise_if_cancelled(self) -> None:
        self.checks += 1
        if self.checks >= self.at:
            self.cancel()
        super().raise_if_cancelled()


def test_cancellation_is_checked_between_stages() -> None:
    image = synthetic_scene(128, 128, seed=3).image
    counter = _CancelOnCheck(at=10**6)
    ClassicalEngine().segment(in_memory_source(image), counter)
    assert counter.checks >= 5
    for at in range(2, counter.checks + 1):
        with pytest.raises(Cancelled):
            ClassicalEngine().segment(in_memory_source(image), _CancelOnCheck(at))


def test_running_out_of_memory_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(*_args: object, **_kwargs: object) -> np.ndarray:
        raise MemoryError

    monkeypatch.setattr(classical, "detect_dark_spots", exhausted)
    with pytest.raises(EngineError, match=r"out of memory on this 64x32 image\.$"):
        ClassicalEngine().segment(in_memory_source(Image.new("L", (64, 32), 100)), CancelToken())


@pytest.mark.parametrize(
    "kwargs",
    [
        {"grow_db": 5.0, "k_db": 4.0},
        {"speckle_window": 4},
        {"background_fraction": 0.0},
        {"open_radius": -1},
        {"work_pixels": 10},
    ],
)
def test_bad_parameters_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"^Invalid built-in engine parameters: .*\.$"):
        BuiltinParams(**kwargs)  # type: ignore[arg-type]


def test_detect_dark_spots_refuses_non_2d_input() -> None:
    with pytest.raises(ValueError, match="2-D"):
        detect_dark_spots(np.zeros((4, 4, 3), dtype=np.uint8), BuiltinParams())


def _flood_labels(mask: np.ndarray) -> np.ndarray:
    """Reference 8-connected labelling by breadth-first search (slow, obviously right)."""
    labels = np.full(mask.shape, -1, dtype=np.int64)
    height, width = mask.shape
    current = 0
    for y, x in zip(*np.nonzero(mask), strict=True):
        if labels[y, x] >= 0:
            continue
        labels[y, x] = current
        queue = deque([(y, x)])
        while queue:
            cy, cx = queue.popleft()
            for ny in range(max(cy - 1, 0), min(cy + 2, height)):
                for nx in range(max(cx - 1, 0), min(cx + 2, width)):
                    if mask[ny, nx] and labels[ny, nx] < 0:
                        labels[ny, nx] = current
                        queue.append((ny, nx))
        current += 1
    return labels


@pytest.mark.parametrize("density", [0.2, 0.45, 0.6])
@pytest.mark.parametrize("seed", range(4))
def test_run_labelling_matches_a_flood_fill(density: float, seed: int) -> None:
    mask = np.random.default_rng(seed).random((23, 31)) < density
    runs = classical._runs(mask)
    labels = label_runs(*runs, width=mask.shape[1])
    rows, starts, ends = runs
    ours = np.full(mask.shape, -1, dtype=np.int64)
    for row, start, end, label in zip(rows, starts, ends, labels, strict=True):
        ours[row, start:end] = label
    reference = _flood_labels(mask)
    assert np.array_equal(ours >= 0, mask)
    # Same partition: a one-to-one mapping between the two labellings.
    pairs = {(int(a), int(b)) for a, b in zip(ours[mask], reference[mask], strict=True)}
    assert len(pairs) == len({a for a, _ in pairs}) == len({b for _, b in pairs})
    assert len(pairs) == labels.max() + 1 if labels.size else not mask.any()


def _naive_square(mask: np.ndarray, radius: int, *, grow: bool) -> np.ndarray:
    height, width = mask.shape
    out = np.zeros_like(mask)
    for y in range(height):
        for x in range(width):
            window = mask[max(0, y - radius) : y + radius + 1, max(0, x - radius) : x + radius + 1]
            out[y, x] = window.any() if grow else window.all()
    return out


@pytest.mark.parametrize("radius", [1, 2])
def test_opening_and_closing_match_their_definitions(radius: int) -> None:
    mask = np.random.default_rng(radius).random((19, 26)) < 0.55
    mask[0:6, 20:26] = True  # something that touches the frame
    opened = _naive_square(_naive_square(mask, radius, grow=False), radius, grow=True) & mask
    closed = _naive_square(_naive_square(mask, radius, grow=True), radius, grow=False) | mask
    assert np.array_equal(classical._open(mask, radius), opened)
    assert np.array_equal(classical._close(mask, radius), closed)
