"""Benchmark the results' PNG writer against Pillow's encoder (not a test: it prints).

For each kind of picture a job writes (a speckled SAR scene, a mask, an RGB overlay, and a
photograph for contrast) it prints milliseconds per encode and kilobytes, for Pillow at
``compress_level=1`` (what we used before) and for :func:`core.png.save_png`, and the ratios.

Usage: python benchmarks/bench_png.py [--size 512] [--repeats 20]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from oilspill_desktop.core.results.png import save_png  # noqa: E402
from oilspill_desktop.tools.synthetic import synthetic_scene  # noqa: E402


def pictures(size: int) -> dict[str, Image.Image]:
    scene = synthetic_scene(size, size, seed=3, slicks=2)
    mask = Image.fromarray(scene.oil.astype(np.uint8) * 255, "L")
    overlay = Image.composite(
        Image.blend(scene.image.convert("RGB"), Image.new("RGB", mask.size, (0, 255, 255)), 0.45),
        scene.image.convert("RGB"),
        mask,
    )
    # A smooth colour picture: what a photograph's sky and sea look like to a PNG filter.
    y, x = np.mgrid[0:size, 0:size].astype(np.float32) / size
    rng = np.random.default_rng(1)
    photo = np.stack([x * 200, y * 180 + 40, (x + y) * 90], axis=-1)
    photo += rng.normal(0, 3, photo.shape)
    return {
        "SAR scene (L)": scene.image,
        "mask (L)": mask,
        "overlay (RGB)": overlay,
        "smooth photo (RGB)": Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8), "RGB"),
    }


def timed(
    encode: Callable[[Image.Image, io.BytesIO], None], picture: Image.Image, repeats: int
) -> tuple[float, float]:
    buffer = io.BytesIO()
    encode(picture, buffer)
    started = time.perf_counter()
    for _ in range(repeats):
        buffer = io.BytesIO()
        encode(picture, buffer)
    return (time.perf_counter() - started) / repeats * 1000, buffer.tell() / 1024


def pillow(picture: Image.Image, buffer: io.BytesIO) -> None:
    picture.save(buffer, "PNG", compress_level=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    print(f"{args.size}x{args.size} pictures, {args.repeats} encodes each")
    print(f"{'picture':20s} {'Pillow':>18s} {'ours':>18s} {'speed-up':>9s} {'size':>6s}")
    for name, picture in pictures(args.size).items():
        pil_ms, pil_kb = timed(pillow, picture, args.repeats)
        our_ms, our_kb = timed(save_png, picture, args.repeats)
        print(
            f"{name:20s} {pil_ms:7.2f} ms {pil_kb:6.0f} KB {our_ms:7.2f} ms {our_kb:6.0f} KB "
            f"{pil_ms / our_ms:8.1f}x {our_kb / pil_kb:6.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
