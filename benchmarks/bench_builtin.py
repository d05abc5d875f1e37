"""Speed and accuracy of the built-in engine on synthetic SAR scenes.

Tests check accuracy with margins and never time anything; this script prints the actual
figures: megapixels per second through the whole engine call (grey conversion, detection,
mask picture), and IoU / precision / recall against the synthetic truth, with the
false-oil share on scenes that hold no oil at all. Wide TIFFs are scored both as the app
reads them (the engine then uses the physical values) and as bare 8-bit stretches, to show
what the stretch alone would cost. The multilook section times block averaging of
scenes above the engine's 4-megapixel working size, before (numpy reshape-and-sum, as the
engine did) and after (Pillow's Image.reduce on float pictures), and checks that both
give the same masks.

    .venv/bin/python benchmarks/bench_builtin.py [--scenes 20] [--size 512] [--quick]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from oilspill_desktop.core.engines import classical
from oilspill_desktop.core.engines.classical import (
    BuiltinParams,
    ClassicalEngine,
    amplitude_of,
    detect_dark_spots,
)
from oilspill_desktop.core.engines.multilook import block_mean, multilook_factor
from oilspill_desktop.core.inputs.images import decode_image
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.model import Limits, SourceImage
from oilspill_desktop.tools.synthetic import SyntheticScene, encode_image, synthetic_scene


def _source(image: Image.Image) -> SourceImage:
    return SourceImage("bench.png", image, b"", "PNG", "image/png", True)


def _mask(engine: ClassicalEngine, source: SourceImage) -> np.ndarray:
    return np.asarray(engine.segment(source, CancelToken()).image) == 255


@dataclass
class Scores:
    iou: list[float]
    precision: list[float]
    recall: list[float]
    false_oil: list[float]

    def line(self, name: str) -> str:
        false_oil = f"false oil {100 * statistics.mean(self.false_oil):6.3f} %"
        false_oil += f" (worst {100 * max(self.false_oil):5.2f} %)"
        if not self.iou:
            return f"{name:31s} {'(no oil in these scenes)':47s} {false_oil}"
        return (
            f"{name:31s} IoU {statistics.mean(self.iou):.3f} (worst {min(self.iou):.3f})"
            f"  P {statistics.mean(self.precision):.3f}  R {statistics.mean(self.recall):.3f}"
            f"  {false_oil}"
        )


def _score(
    engine: ClassicalEngine,
    scenes: list[SyntheticScene],
    prepare: Callable[[SyntheticScene], Image.Image | SourceImage] = lambda scene: scene.image,
) -> Scores:
    scores = Scores([], [], [], [])
    for scene in scenes:
        prepared = prepare(scene)
        source = prepared if isinstance(prepared, SourceImage) else _source(prepared)
        found, truth = _mask(engine, source), scene.oil
        both = float((found & truth).sum())
        if truth.any():
            scores.iou.append(both / float((found | truth).sum()))
            scores.precision.append(both / max(float(found.sum()), 1.0))
            scores.recall.append(both / float(truth.sum()))
        scores.false_oil.append(float((found & ~truth).mean()))
    return scores


def _jpeg(scene: SyntheticScene) -> Image.Image:
    buffer = io.BytesIO()
    scene.image.save(buffer, format="JPEG", quality=75)
    buffer.seek(0)
    return Image.open(buffer)


def _percentile_stretch(values: np.ndarray) -> Image.Image:
    low, high = np.percentile(values, [2.0, 98.0])
    scaled = np.clip((values - low) / max(high - low, 1e-12) * 255.0, 0, 255)
    return Image.fromarray(scaled.astype(np.uint8))


def _db_stretch(scene: SyntheticScene) -> Image.Image:
    """What a viewer does with float sigma0: dB, then a 2-98 % linear stretch to 8 bits."""
    sigma0 = np.asarray(scene.image, dtype=np.float64)
    return _percentile_stretch(10.0 * np.log10(np.maximum(sigma0, 1e-12)))


def _dn_stretch(scene: SyntheticScene) -> Image.Image:
    """16-bit amplitude DN stretched linearly with a black offset (2-98 %)."""
    return _percentile_stretch(np.asarray(scene.image, dtype=np.float64))


def _through_reader(scene: SyntheticScene) -> SourceImage:
    """The TIFF member as the app reads it: stretched pixels plus the original bytes."""
    return decode_image(encode_image(scene.image, "TIFF"), "scene.tif", Limits())


def speed(engine: ClassicalEngine) -> None:
    print("Speed (whole engine call, median of runs):")
    for side in (256, 1024, 2048):
        image = synthetic_scene(side, side, seed=side, slicks=2, ship=True).image
        engine.segment(_source(image), CancelToken())
        runs = max(3, min(20, 4_000_000 // (side * side)))
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            engine.segment(_source(image), CancelToken())
            times.append(time.perf_counter() - start)
        seconds = statistics.median(times)
        megapixels = side * side / 1e6
        print(
            f"  {side:4d} x {side:<4d} {1000 * seconds:8.1f} ms"
            f"  {megapixels / seconds:6.1f} MP/s  ({runs} runs)"
        )
    start = time.perf_counter()
    synthetic_scene(1024, 1024, seed=1, slicks=2, look_alikes=1, ship=True)
    print(
        f"  (generating one 1024 x 1024 scene takes {1000 * (time.perf_counter() - start):.0f} ms)"
    )


def _numpy_block_mean(values: np.ndarray, factor: int, *, square: bool) -> np.ndarray:
    """The engine's multilook before Image.reduce: reshape-and-sum strips in float32."""
    height, width = values.shape
    out_h, out_w = -(-height // factor), -(-width // factor)
    out = np.empty((out_h, out_w), dtype=np.float32)
    rows = max(1, 1_000_000 // (width * factor)) * factor
    for top in range(0, height, rows):
        strip = values[top : top + rows]
        strip = np.square(strip, dtype=np.float32) if square else strip.astype(np.float32)
        strip_h = strip.shape[0]
        cells = -(-strip_h // factor)
        pad = ((0, cells * factor - strip_h), (0, out_w * factor - width))
        shape = (cells, factor, out_w, factor)
        sums = np.pad(strip, pad).reshape(shape).sum(axis=(1, 3))
        counts = np.pad(np.ones(strip.shape, np.float32), pad).reshape(shape).sum(axis=(1, 3))
        out[top // factor : top // factor + cells] = sums / counts
    return out


def multilook(sides: tuple[int, ...]) -> None:
    print("\nMultilook (block-averaged intensity) of scenes above 4 megapixels, median of runs:")
    work = BuiltinParams().work_pixels
    for side in sides:
        scene = synthetic_scene(side, side, seed=side + 1, slicks=2, look_alikes=1)
        amplitude = amplitude_of(scene.image)
        factor = multilook_factor(side * side, work)
        timings = {}
        for name, function in (("numpy", _numpy_block_mean), ("reduce", block_mean)):
            times = []
            for _ in range(5):
                start = time.perf_counter()
                function(amplitude, factor, square=True)
                times.append(time.perf_counter() - start)
            timings[name] = statistics.median(times)
        after = detect_dark_spots(amplitude, BuiltinParams())
        saved = classical.block_mean
        classical.block_mean = _numpy_block_mean  # type: ignore[assignment]
        try:
            before = detect_dark_spots(amplitude, BuiltinParams())
        finally:
            classical.block_mean = saved
        print(
            f"  {side:5d} x {side:<5d} factor {factor}: before (numpy) "
            f"{1000 * timings['numpy']:7.1f} ms, after (Image.reduce) "
            f"{1000 * timings['reduce']:7.1f} ms: {timings['numpy'] / timings['reduce']:.2f}x;"
            f" masks {'identical' if np.array_equal(before, after) else 'DIFFER'}"
            f" ({int(after.sum())} oil pixels)"
        )


def quality(engine: ClassicalEngine, count: int, side: int) -> None:
    print(f"\nAccuracy on {count} synthetic {side} x {side} scenes per row (4-look speckle):")

    def scenes(**kwargs: object) -> list[SyntheticScene]:
        return [
            synthetic_scene(side, side, seed=10_000 + i, **kwargs)  # type: ignore[arg-type]
            for i in range(count)
        ]

    print("  " + _score(engine, scenes(slicks=2)).line("two slicks"))
    print("  " + _score(engine, scenes(slicks=1, ship=True)).line("slick + ship with trail"))
    print("  " + _score(engine, scenes(slicks=1, look_alikes=2)).line("slick + two look-alikes"))
    print("  " + _score(engine, scenes(slicks=0)).line("pure sea"))
    print("  " + _score(engine, scenes(slicks=0, look_alikes=2)).line("look-alikes only"))
    print("  " + _score(engine, scenes(slicks=2), _jpeg).line("two slicks, JPEG q75"))
    float_scenes = scenes(slicks=2, look_alikes=1, dtype="float32")
    print(
        "  " + _score(engine, float_scenes, _through_reader).line("float sigma0 TIFF, app reader")
    )
    print("  " + _score(engine, float_scenes, _db_stretch).line("  same, dB-stretched 8 bits"))
    dn_scenes = scenes(slicks=2, look_alikes=1, dtype="uint16")
    print("  " + _score(engine, dn_scenes, _through_reader).line("16-bit DN TIFF, app reader"))
    print("  " + _score(engine, dn_scenes, _dn_stretch).line("  same, 2-98 % stretched 8 bits"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=20, help="scenes per accuracy row")
    parser.add_argument("--size", type=int, default=512, help="side of the accuracy scenes")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and few scenes: checks the script runs"
    )
    args = parser.parse_args()
    engine = ClassicalEngine()
    if args.quick:
        multilook((2100,))
        quality(engine, 2, 256)
        return
    if not args.skip_speed:
        speed(engine)
        multilook((2100, 4096, 6000))
    quality(engine, args.scenes, args.size)


if __name__ == "__main__":
    main()
