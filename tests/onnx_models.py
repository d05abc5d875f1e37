"""Small ONNX models built in tests, with their JSON sidecars: good ones and broken ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def sidecar(**changes: Any) -> dict[str, Any]:
    """A valid one-channel probability sidecar, with top-level keys replaced by ``changes``."""
    data: dict[str, Any] = {
        "name": "test-model",
        "format": 1,
        "input": {
            "tile": 32,
            "channels": 1,
            "layout": "NCHW",
            "scale": 1 / 255,
            "mean": [0.0],
            "std": [1.0],
        },
        "output": {"kind": "probability", "threshold": 0.5},
        "classes": [{"name": "sea", "color": "#000000"}, {"name": "oil", "color": "#00ffff"}],
        "oil_class": 1,
    }
    data.update(changes)
    return data


def dark_is_oil_model(
    path: Path,
    *,
    in_channels: int = 1,
    out: str = "probability",
    spec: dict[str, Any] | None = None,
) -> Path:
    """A per-pixel model: oil where the (first) channel is below mid-grey.

    ``out`` is ``probability`` (a sigmoid), ``logits`` (no sigmoid), ``classes`` (two
    channels: sea, oil) or ``nan`` (a logarithm of negative numbers).
    """
    x = helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", in_channels, "H", "W"])
    nodes = []
    inits = [
        numpy_helper.from_array(np.array(0.5, np.float32), "half"),
        numpy_helper.from_array(np.array(-20.0, np.float32), "gain"),
        numpy_helper.from_array(np.array([0, 1], np.int64), "ch0"),
    ]
    first = "image"
    if in_channels > 1:
        nodes.append(
            helper.make_node("Slice", ["image", "ch0_start", "ch0_end", "ch_axis"], ["first"])
        )
        inits += [
            numpy_helper.from_array(np.array([0], np.int64), "ch0_start"),
            numpy_helper.from_array(np.array([1], np.int64), "ch0_end"),
            numpy_helper.from_array(np.array([1], np.int64), "ch_axis"),
        ]
        first = "first"
    nodes.append(helper.make_node("Sub", [first, "half"], ["centred"]))
    nodes.append(helper.make_node("Mul", ["centred", "gain"], ["logit"]))
    out_channels = 1
    if out == "probability":
        nodes.append(helper.make_node("Sigmoid", ["logit"], ["out"]))
    elif out == "logits":
        nodes.append(helper.make_node("Identity", ["logit"], ["out"]))
    elif out == "classes":
        nodes.append(helper.make_node("Neg", ["logit"], ["sea"]))
        nodes.append(helper.make_node("Concat", ["sea", "logit"], ["out"], axis=1))
        out_channels = 2
    elif out == "nan":
        nodes.append(helper.make_node("Log", ["logit"], ["out"]))
    y = helper.make_tensor_value_info("out", TensorProto.FLOAT, ["N", out_channels, "H", "W"])
    graph = helper.make_graph(nodes, "dark_is_oil", [x], [y], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))
    if spec is None:
        spec = sidecar()
        if out == "classes":
            spec["output"] = {"kind": "classes"}
        elif out == "logits":
            spec["output"] = {"kind": "logits", "threshold": 0.5}
    path.with_suffix(".json").write_text(json.dumps(spec), encoding="utf-8")
    return path
