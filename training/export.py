"""ONNX export and the check that the exported file computes what the network computes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch


@dataclass(frozen=True)
class Agreement:
    max_abs_diff: float
    mask_agreement: float


def export_onnx(module: torch.nn.Module, path: Path, tile: int) -> None:
    """Export with dynamic batch and size axes: the app sends several tiles per call, and a
    test runs a whole scene in one pass to compare with the tiled answer."""
    module.eval()
    dummy = torch.zeros(1, 1, tile, tile)
    torch.onnx.export(
        module,
        (dummy,),
        str(path),
        input_names=["image"],
        output_names=["probability"],
        dynamic_axes={
            "image": {0: "batch", 2: "height", 3: "width"},
            "probability": {0: "batch", 2: "height", 3: "width"},
        },
        opset_version=17,
        do_constant_folding=True,
        dynamo=False,
    )


def verify_onnx(
    path: Path, logits_model: torch.nn.Module, x: torch.Tensor, threshold: float
) -> Agreement:
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(None, {"image": x.numpy().astype(np.float32)})[0]
    with torch.no_grad():
        want = torch.sigmoid(logits_model(x)).numpy()
    return Agreement(
        max_abs_diff=float(np.abs(got - want).max()),
        mask_agreement=float(((got >= threshold) == (want >= threshold)).mean()),
    )
