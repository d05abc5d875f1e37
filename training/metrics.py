"""Pooled oil IoU, precision and recall: pixels summed over all tiles before dividing."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class Scores:
    iou: float
    precision: float
    recall: float
    false_oil_on_clean_tiles: float
    tiles: int

    def as_dict(self) -> dict[str, float | int]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def score(pred: np.ndarray, truth: np.ndarray) -> Scores:
    pred = pred.astype(bool)
    truth = truth.astype(bool)
    if len(truth) == 0:
        return Scores(float("nan"), float("nan"), float("nan"), float("nan"), 0)
    tp = int(np.count_nonzero(pred & truth))
    fp = int(np.count_nonzero(pred & ~truth))
    fn = int(np.count_nonzero(~pred & truth))
    clean = ~truth.reshape(len(truth), -1).any(axis=1)
    false_oil = float(pred[clean].mean()) if clean.any() else float("nan")
    return Scores(
        iou=tp / max(1, tp + fp + fn),
        precision=tp / max(1, tp + fp),
        recall=tp / max(1, tp + fn),
        false_oil_on_clean_tiles=false_oil,
        tiles=len(truth),
    )
