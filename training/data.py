"""Loading the SOS tiles and cutting a reproducible, scene-aware validation split.

Neighbouring ids come from the same SAR scene, so holding out single tiles would leak the
scene into training. The split holds out whole blocks of consecutive ids, drawn with a
fixed seed from every (sensor, id batch) group, as the data set's README asks.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

BLOCK = 40
VAL_SHARE = 0.15


@dataclass(frozen=True)
class Tile:
    sensor: str
    id: int
    image: Path
    mask: Path

    @property
    def batch(self) -> int:
        """1 for the first id range of a sensor (the kind the test split holds), 2 otherwise."""
        return 2 if self.id >= 30000 else 1


def read_manifest(root: Path) -> list[Tile]:
    with open(root / "manifest.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [Tile(r["sensor"], int(r["id"]), root / r["image"], root / r["mask"]) for r in rows]


def split(tiles: list[Tile], seed: int = 0) -> tuple[list[Tile], list[Tile]]:
    """Return (train, validation): about VAL_SHARE of each group, in blocks of BLOCK ids."""
    rng = random.Random(seed)
    train: list[Tile] = []
    val: list[Tile] = []
    groups: dict[tuple[str, int], list[Tile]] = {}
    for tile in tiles:
        groups.setdefault((tile.sensor, tile.batch), []).append(tile)
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda t: t.id)
        blocks = [members[i : i + BLOCK] for i in range(0, len(members), BLOCK)]
        n_val = max(1, round(len(blocks) * VAL_SHARE))
        chosen = set(rng.sample(range(len(blocks)), n_val))
        for i, block in enumerate(blocks):
            (val if i in chosen else train).extend(block)
    return train, val


def load(tiles: list[Tile]) -> tuple[np.ndarray, np.ndarray]:
    """Images as uint8 (N, H, W) and masks as uint8 0/1 (N, H, W)."""
    images = np.stack([np.asarray(Image.open(t.image).convert("L")) for t in tiles])
    masks = np.stack([(np.asarray(Image.open(t.mask).convert("L")) >= 128) for t in tiles])
    return images, masks.astype(np.uint8)
