"""Train the bundled oil-spill model, export it to ONNX and write its figures.

    python -m training.train --data ../shared/data/sar-oil-train

Fixed seeds, a scene-aware held-out part (training/data.py), BCE + Dice, AdamW with a
one-cycle schedule, flips, right-angle turns and brightness changes (the sensors and id
batches differ in mean grey). The decision threshold is chosen on the held-out part, the
ONNX file is checked against the trained network, and the validation IoU per sensor is
printed at the end and written into the model's sidecar and model card.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional

from training import data, net
from training.export import export_onnx, verify_onnx
from training.metrics import Scores, score
from training.model_card import write_model_card

NORM_MEAN = 0.4
NORM_STD = 0.25
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "resources" / "models"
MODEL_NAME = "oil-unet-lite"


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def normalise(images: torch.Tensor) -> torch.Tensor:
    """uint8 grey (N, H, W) -> float (N, 1, H, W), the normalisation the sidecar records."""
    return ((images.float() / 255.0 - NORM_MEAN) / NORM_STD).unsqueeze(1)


def augment(
    images: torch.Tensor, masks: torch.Tensor, gen: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Flips, turns and a per-tile gain/gamma on uint8 tiles; returns float images in 0..1."""
    k = int(torch.randint(0, 4, (1,), generator=gen))
    images = torch.rot90(images, k, dims=(1, 2))
    masks = torch.rot90(masks, k, dims=(1, 2))
    if bool(torch.rand(1, generator=gen) < 0.5):
        images, masks = images.flip(2), masks.flip(2)
    x = images.float() / 255.0
    n = x.shape[0]
    gain = torch.empty(n, 1, 1).uniform_(0.7, 1.35, generator=gen)
    gamma = torch.empty(n, 1, 1).uniform_(0.8, 1.25, generator=gen)
    x = (x.clamp(min=1e-4) ** gamma * gain).clamp(0.0, 1.0)
    return x, masks


def loss_fn(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    bce = functional.binary_cross_entropy_with_logits(logits, target)
    prob = torch.sigmoid(logits)
    inter = (prob * target).sum()
    dice = 1 - (2 * inter + 1) / (prob.sum() + target.sum() + 1)
    return bce + dice


@torch.no_grad()
def predict(model: torch.nn.Module, images: np.ndarray, batch: int = 64) -> np.ndarray:
    model.eval()
    out = []
    for i in range(0, len(images), batch):
        x = normalise(torch.from_numpy(images[i : i + batch]))
        out.append(torch.sigmoid(model(x))[:, 0].numpy())
    model.train()
    return np.concatenate(out)


def best_threshold(prob: np.ndarray, masks: np.ndarray) -> float:
    candidates = np.round(np.arange(0.3, 0.71, 0.05), 2)
    ious = [score(prob >= t, masks).iou for t in candidates]
    return float(candidates[int(np.argmax(ious))])


def per_sensor(pred: np.ndarray, masks: np.ndarray, tiles: list[data.Tile]) -> dict[str, Scores]:
    result: dict[str, Scores] = {}
    groups = {
        "sentinel": [t.sensor == "sentinel" for t in tiles],
        "palsar": [t.sensor == "palsar" for t in tiles],
        "sentinel_first_batch": [t.sensor == "sentinel" and t.batch == 1 for t in tiles],
        "palsar_first_batch": [t.sensor == "palsar" and t.batch == 1 for t in tiles],
    }
    for name, keep in groups.items():
        sel = np.array(keep)
        result[name] = score(pred[sel], masks[sel])
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--data", type=Path, default=Path("../shared/data/sar-oil-train"))
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--epochs", type=int, default=24)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--limit", type=int, default=0, help="use only this many tiles (a dry run)")
    p.add_argument("--checkpoint", type=Path, default=Path("build/training/last.pt"))
    p.add_argument(
        "--finish-only",
        action="store_true",
        help="skip training: take the best network from --checkpoint, export and score it",
    )
    args = p.parse_args(argv)

    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    tiles = data.read_manifest(args.data)
    train_tiles, val_tiles = data.split(tiles, seed=args.seed)
    if args.limit:
        train_tiles, val_tiles = train_tiles[: args.limit], val_tiles[: max(8, args.limit // 4)]
    t0 = time.monotonic()
    train_x, train_y = data.load(train_tiles)
    val_x, val_y = data.load(val_tiles)
    print(
        f"tiles: {len(train_tiles)} train, {len(val_tiles)} held out "
        f"(loaded in {time.monotonic() - t0:.1f} s)",
        flush=True,
    )

    model = net.lite_unet()
    print(
        f"network: light U-Net {net.LITE_CHANNELS} at half resolution, "
        f"{net.parameter_count(model):,} parameters",
        flush=True,
    )
    if args.finish_only:
        saved = torch.load(args.checkpoint, weights_only=False)
        model.load_state_dict(saved["best"][1])
        args.epochs = int(saved.get("epochs", args.epochs))
        minutes = float(saved.get("minutes") or _previous_minutes(args.out))
    else:
        minutes = train(model, args, train_x, train_y, val_x, val_y)
    return finish(model, args, train_tiles, val_tiles, train_x, val_x, val_y, minutes)


def _previous_minutes(out: Path) -> float:
    """Training time recorded by the run that made the checkpoint, for a re-export."""
    try:
        return float(json.loads((out / f"{MODEL_NAME}.json").read_text())["training"]["minutes"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


def train(
    model: torch.nn.Module,
    args: argparse.Namespace,
    train_x: np.ndarray,
    train_y: np.ndarray,
    val_x: np.ndarray,
    val_y: np.ndarray,
) -> float:
    """Train in place, keep the best held-out epoch; returns the minutes it took."""
    steps_per_epoch = len(train_x) // args.batch
    total = steps_per_epoch * args.epochs
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=args.lr, total_steps=total, pct_start=0.15
    )
    gen = torch.Generator().manual_seed(args.seed)
    images = torch.from_numpy(train_x)
    targets = torch.from_numpy(train_y)
    best: tuple[float, dict[str, torch.Tensor]] = (-1.0, {})
    t0 = time.monotonic()
    for epoch in range(args.epochs):
        order = torch.randperm(len(images), generator=gen)
        running = 0.0
        for step in range(steps_per_epoch):
            idx = order[step * args.batch : (step + 1) * args.batch]
            x, y = augment(images[idx], targets[idx], gen)
            x = ((x - NORM_MEAN) / NORM_STD).unsqueeze(1)
            loss = loss_fn(model(x), y.float().unsqueeze(1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            running += loss.item()
        prob = predict(model, val_x)
        iou = score(prob >= 0.5, val_y).iou
        if iou > best[0]:
            best = (iou, {k: v.detach().clone() for k, v in model.state_dict().items()})
        args.checkpoint.parent.mkdir(parents=True, exist_ok=True)
        minutes = (time.monotonic() - t0) / 60
        torch.save(
            {"epoch": epoch, "epochs": args.epochs, "minutes": minutes, "best": best},
            args.checkpoint,
        )
        print(
            f"epoch {epoch + 1}/{args.epochs}: loss {running / steps_per_epoch:.4f}, "
            f"held-out IoU {iou:.3f}, {time.monotonic() - t0:.0f} s",
            flush=True,
        )

    model.load_state_dict(best[1])
    return (time.monotonic() - t0) / 60


def finish(
    model: torch.nn.Module,
    args: argparse.Namespace,
    train_tiles: list[data.Tile],
    val_tiles: list[data.Tile],
    train_x: np.ndarray,
    val_x: np.ndarray,
    val_y: np.ndarray,
    minutes: float,
) -> int:
    """Choose the threshold, export, check the export, write the sidecar and model card."""
    model.eval()
    prob = predict(model, val_x)
    threshold = best_threshold(prob, val_y)
    scores = per_sensor(prob >= threshold, val_y, val_tiles)

    args.out.mkdir(parents=True, exist_ok=True)
    onnx_path = args.out / f"{MODEL_NAME}.onnx"
    export_onnx(net.WithSigmoid(model), onnx_path, tile=int(train_x.shape[1]))
    agreement = verify_onnx(onnx_path, model, normalise(torch.from_numpy(val_x[:32])), threshold)
    print(
        f"ONNX check: max |p_onnx - p_torch| = {agreement.max_abs_diff:.2e}, "
        f"{agreement.mask_agreement:.5%} of mask pixels equal",
        flush=True,
    )
    sidecar = {
        "name": MODEL_NAME,
        "format": 1,
        "input": {
            "tile": int(train_x.shape[1]),
            "channels": 1,
            "layout": "NCHW",
            "scale": 1 / 255,
            "mean": [NORM_MEAN],
            "std": [NORM_STD],
        },
        "output": {"kind": "probability", "threshold": threshold},
        "classes": [
            {"name": "sea", "color": "#000000"},
            {"name": "oil", "color": "#00ffff"},
        ],
        "oil_class": 1,
        "training": {
            "seed": args.seed,
            "epochs": args.epochs,
            "batch": args.batch,
            "lr": args.lr,
            "train_tiles": len(train_tiles),
            "held_out_tiles": len(val_tiles),
            "parameters": net.parameter_count(model),
            "device": "cpu",
            "minutes": round(minutes, 1),
            "onnx_max_abs_diff": agreement.max_abs_diff,
        },
        "held_out": {name: s.as_dict() for name, s in scores.items()},
    }
    (args.out / f"{MODEL_NAME}.json").write_text(json.dumps(sidecar, indent=2) + "\n")
    write_model_card(args.out / f"{MODEL_NAME}.md", sidecar)
    print(f"threshold {threshold:.2f}; held-out pooled oil IoU per sensor:")
    for name, s in scores.items():
        print(
            f"  {name:22s} IoU {s.iou:.3f}  precision {s.precision:.3f}  recall {s.recall:.3f}"
            f"  tiles {s.tiles}"
        )
    return 0 if agreement.mask_agreement > 0.999 else 1


if __name__ == "__main__":
    raise SystemExit(main())
