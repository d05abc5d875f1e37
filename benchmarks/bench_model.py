"""The learned engine against the classical one and against a plain U-Net: accuracy and speed.

Prints, side by side in one run:

1. Accuracy on the held-out part of the real SAR tiles (the same seeded split as training,
   ``training/data.py``): pooled oil IoU, precision and recall per sensor, and the share
   of pixels called oil on tiles without oil, for the bundled model and the classical
   detector. Needs ``../shared/data/sar-oil-train``; skipped without it.
2. Network cost per 256x256 tile (onnxruntime, batches of 8, all cores): the bundled
   model against a plain U-Net (two 3x3 conv + BN + ReLU per level, channels
   16-32-64-128-256, max-pool, 2x2 transposed conv, skips, 1x1 head: 1.94 M parameters),
   exported the same way with random weights. Needs PyTorch (``pip install -e '.[train]'``)
   to export that baseline; skipped without it.
3. The whole engine call on a field-sized synthetic scene (tiles, blending, mask picture):
   seconds per megapixel, model against classical, with the threads the app would use
   for one worker.

    python benchmarks/bench_model.py [--data ../shared/data/sar-oil-train] [--scene 2048]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from oilspill_desktop.core.config.resources import bundled_model  # noqa: E402
from oilspill_desktop.core.engines.classical import ClassicalEngine  # noqa: E402
from oilspill_desktop.core.engines.model_engine import ModelEngine, inference_threads  # noqa: E402
from oilspill_desktop.core.jobs.cancel import CancelToken  # noqa: E402
from oilspill_desktop.core.model import SourceImage  # noqa: E402
from oilspill_desktop.tools.synthetic import synthetic_scene  # noqa: E402
from training import data  # noqa: E402
from training.metrics import score  # noqa: E402

PLAIN_CHANNELS = (16, 32, 64, 128, 256)


def _source(image: Image.Image) -> SourceImage:
    return SourceImage("bench.png", image, b"", "PNG", "image/png", True)


def _segment(engine: ModelEngine | ClassicalEngine, grey: np.ndarray) -> np.ndarray:
    answer = engine.segment(_source(Image.fromarray(grey)), CancelToken())
    return np.asarray(answer.image) == 255


def accuracy(data_root: Path, model: ModelEngine) -> np.ndarray | None:
    if not (data_root / "manifest.csv").is_file():
        print(f"1. accuracy: skipped ({data_root} not found)")
        return None
    _train, held_out = data.split(data.read_manifest(data_root), seed=0)
    images, masks = data.load(held_out)
    classical = ClassicalEngine()
    print(f"1. accuracy on {len(held_out)} held-out real tiles (pooled over each sensor)")
    predictions = {
        "model": np.stack([_segment(model, img) for img in images]),
        "classical": np.stack([_segment(classical, img) for img in images]),
    }
    for sensor, target in (("sentinel", 0.72), ("palsar", 0.65)):
        keep = np.array([t.sensor == sensor for t in held_out])
        for name, pred in predictions.items():
            s = score(pred[keep], masks[keep])
            mark = ""
            if name == "model":
                mark = f"  target >= {target}: {'met' if s.iou >= target else 'NOT MET'}"
            print(
                f"   {sensor:9s} {name:9s} IoU {s.iou:.3f}  precision {s.precision:.3f}  "
                f"recall {s.recall:.3f}  false oil on clean tiles "
                f"{100 * s.false_oil_on_clean_tiles:.2f} %{mark}"
            )
    return images[:64]


def _plain_unet_onnx(folder: Path) -> Path | None:
    try:
        import torch

        from training.export import export_onnx
        from training.net import UNet, WithSigmoid, parameter_count
    except ImportError:
        return None
    torch.manual_seed(0)
    net = UNet(PLAIN_CHANNELS)
    print(f"   plain U-Net {PLAIN_CHANNELS}: {parameter_count(net):,} parameters")
    path = folder / "plain-unet.onnx"
    export_onnx(WithSigmoid(net), path, tile=256)
    return path


def _session(path: Path, threads: int):  # type: ignore[no-untyped-def]
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _ms_per_tile(path: Path, tiles: np.ndarray, threads: int, rounds: int) -> float:
    session = _session(path, threads)
    name = session.get_inputs()[0].name
    x = ((tiles.astype(np.float32) / 255 - 0.4) / 0.25)[:, None]
    session.run(None, {name: x[:8]})  # warm-up
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for i in range(0, len(x), 8):
            session.run(None, {name: x[i : i + 8]})
        best = min(best, (time.perf_counter() - started) * 1000 / len(x))
    return best


def network_cost(tiles: np.ndarray, threads: int, rounds: int) -> None:
    print(
        f"2. network cost per 256x256 tile ({len(tiles)} tiles, batches of 8, "
        f"{threads} threads, best of {rounds})"
    )
    with tempfile.TemporaryDirectory() as folder:
        plain = _plain_unet_onnx(Path(folder))
        lite_ms = _ms_per_tile(bundled_model(), tiles, threads, rounds)
        print(f"   bundled model  {lite_ms:7.2f} ms/tile  {0.065536 / lite_ms * 1000:6.2f} MP/s")
        if plain is None:
            print("   plain U-Net: skipped (exporting it needs PyTorch: the [train] extra)")
            return
        plain_ms = _ms_per_tile(plain, tiles, threads, rounds)
    print(f"   plain U-Net    {plain_ms:7.2f} ms/tile  {0.065536 / plain_ms * 1000:6.2f} MP/s")
    ratio = plain_ms / lite_ms
    verdict = "met" if ratio >= 1 else "NOT MET"
    print(
        f"   bundled model is {ratio:.2f}x as fast as the plain U-Net "
        f"(target >= 1: {verdict}; aim 2)"
    )


def engine_cost(size: int, rounds: int) -> None:
    scene = synthetic_scene(size, size, seed=7)
    grey = np.asarray(scene.image.convert("L"))
    threads = inference_threads(1)
    engines = {
        "model": ModelEngine(bundled_model(), threads=threads),
        "classical": ClassicalEngine(),
    }
    print(
        f"3. whole engine call on a {size}x{size} synthetic scene (best of {rounds}, "
        f"model with {threads} threads)"
    )
    seconds = {}
    for name, engine in engines.items():
        best = float("inf")
        for _ in range(rounds):
            started = time.perf_counter()
            _segment(engine, grey)
            best = min(best, time.perf_counter() - started)
        seconds[name] = best
        mp = size * size / 1e6
        print(f"   {name:9s} {best:6.2f} s  {best / mp:6.3f} s/MP  {mp / best:6.2f} MP/s")
    print(f"   model / classical time: {seconds['model'] / seconds['classical']:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared/data/sar-oil-train")
    parser.add_argument("--scene", type=int, default=2048)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; onnxruntime threads for one worker: {inference_threads(1)}")
    model = ModelEngine(bundled_model(), threads=inference_threads(1))
    tiles = accuracy(args.data, model)
    if tiles is None:
        rng = np.random.default_rng(0)
        tiles = rng.integers(60, 160, size=(64, 256, 256), dtype=np.uint8)
    network_cost(tiles, inference_threads(1), args.rounds)
    engine_cost(args.scene, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
