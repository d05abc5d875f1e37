"""The JSON sidecar that tells the app how to feed an ONNX segmentation model and read it.

A model file alone does not say how its input was normalised or which output class is oil;
guessing either gives a silently wrong mask, the worst failure this product can have. So
every model, the bundled one and any the user brings (as QGIS's Deepness plugin does),
comes with ``<model>.json`` beside it, checked here field by field with a message that
names the field and the file.

Format 1::

    {
      "name": "oil-unet-lite", "format": 1,
      "input": {"tile": 256, "channels": 1, "layout": "NCHW",
                "scale": 0.00392156862745098, "mean": [0.4], "std": [0.25]},
      "output": {"kind": "probability", "threshold": 0.5},
      "classes": [{"name": "sea", "color": "#000000"}, {"name": "oil", "color": "#00ffff"}],
      "oil_class": 1
    }

``input``: the network sees ``tile`` x ``tile`` pixels, each ``(value * scale - mean) / std``
per channel (1 = grey, 3 = RGB). ``output.kind``: ``probability`` (one channel, oil where
it is at least ``threshold``), ``logits`` (one channel, a sigmoid is applied first) or
``classes`` (one channel per class, oil where ``oil_class`` scores highest).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import ModelError
from ..messages import say

OutputKind = Literal["probability", "logits", "classes"]
_OUTPUT_KINDS: tuple[OutputKind, ...] = ("probability", "logits", "classes")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_TILE = 4096


@dataclass(frozen=True)
class ModelClass:
    name: str
    color: str


@dataclass(frozen=True)
class ModelSpec:
    """What the sidecar declares, validated."""

    name: str
    tile: int
    channels: int
    scale: float
    mean: tuple[float, ...]
    std: tuple[float, ...]
    output_kind: OutputKind
    threshold: float
    classes: tuple[ModelClass, ...]
    oil_class: int
    raw: dict[str, Any]
    """The whole sidecar, for the model card and the report."""


def sidecar_path(model_path: Path) -> Path:
    return model_path.with_suffix(".json")


def load_spec(model_path: Path) -> ModelSpec:
    """Read and check ``<model>.json``; raise :class:`ModelError` with a precise reason."""
    path = sidecar_path(model_path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelError(say("model.no_spec", name=model_path.name, spec=path.name)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(say("model.spec_unreadable", path=str(path), reason=str(exc))) from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ModelError(say("model.spec_not_json", name=path.name, reason=str(exc))) from exc
    return parse_spec(data, path.name)


def parse_spec(data: object, where: str) -> ModelSpec:
    if not isinstance(data, dict):
        raise ModelError(say("model.spec_not_object", name=where))
    reader = _Reader(data, where)
    fmt = reader.number(data, "format", integer=True)
    if fmt != 1:
        raise _field_error(where, f"format {fmt} is not known to this version (expected 1).")
    inp = reader.section("input")
    tile = int(reader.number(inp, "input.tile", integer=True, low=8, high=MAX_TILE))
    channels = int(reader.number(inp, "input.channels", integer=True, low=1, high=3))
    if channels == 2:
        raise _field_error(where, "input.channels must be 1 (grey) or 3 (RGB), not 2.")
    layout = inp.get("layout", "NCHW")
    if layout != "NCHW":
        raise _field_error(where, f"input.layout {layout!r} is not supported (only NCHW).")
    scale = reader.number(inp, "input.scale", low=0.0, exclusive_low=True)
    mean = reader.numbers(inp, "input.mean", channels)
    std = reader.numbers(inp, "input.std", channels)
    if any(s <= 0 for s in std):
        raise _field_error(where, "input.std values must be above 0.")
    out = reader.section("output")
    kind = out.get("kind")
    if kind not in _OUTPUT_KINDS:
        raise _field_error(
            where, f"output.kind must be one of {', '.join(_OUTPUT_KINDS)}; got {kind!r}."
        )
    threshold = 0.5
    if kind != "classes":
        threshold = reader.number(out, "output.threshold", low=0.0, high=1.0)
    classes = reader.classes()
    oil = int(reader.number(data, "oil_class", integer=True, low=0, high=len(classes) - 1))
    if kind != "classes" and (len(classes) != 2 or oil != 1):
        raise _field_error(
            where,
            f"a one-channel model ({kind}) has two classes, background and oil, with oil_class 1.",
        )
    name = data.get("name")
    return ModelSpec(
        name=name if isinstance(name, str) and name.strip() else where.removesuffix(".json"),
        tile=tile,
        channels=channels,
        scale=scale,
        mean=mean,
        std=std,
        output_kind=kind,
        threshold=threshold,
        classes=classes,
        oil_class=oil,
        raw=data,
    )


def _field_error(where: str, detail: str) -> ModelError:
    """A description that names a field wrongly: one code, with the field's problem (in
    English, it quotes the file's own keys and values) as its parameter."""
    return ModelError(say("model.spec_field", where=where, detail=detail))


class _Reader:
    """Field access with messages that name the file and the field."""

    def __init__(self, data: dict[str, Any], where: str) -> None:
        self.data = data
        self.where = where

    def section(self, key: str) -> dict[str, Any]:
        value = self.data.get(key)
        if not isinstance(value, dict):
            raise _field_error(self.where, f"{key!r} must be an object.")
        return value

    def number(
        self,
        obj: dict[str, Any],
        dotted: str,
        *,
        integer: bool = False,
        low: float | None = None,
        high: float | None = None,
        exclusive_low: bool = False,
    ) -> float:
        key = dotted.rsplit(".", 1)[-1]
        value = obj.get(key)
        number = float(value) if isinstance(value, int | float) and value is not True else math.nan
        if value is False or not math.isfinite(number) or (integer and not number.is_integer()):
            kind = "a whole number" if integer else "a number"
            raise _field_error(self.where, f"{dotted} must be {kind}; got {value!r}.")
        too_low = low is not None and (number <= low if exclusive_low else number < low)
        if too_low or (high is not None and number > high):
            raise _field_error(self.where, f"{dotted} = {value} is out of range.")
        return int(number) if integer else number

    def numbers(self, obj: dict[str, Any], dotted: str, count: int) -> tuple[float, ...]:
        key = dotted.rsplit(".", 1)[-1]
        value = obj.get(key)
        if (
            not isinstance(value, list)
            or len(value) != count
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        ):
            raise _field_error(self.where, f"{dotted} must be a list of {count} number(s).")
        return tuple(float(v) for v in value)

    def classes(self) -> tuple[ModelClass, ...]:
        raw = self.data.get("classes")
        if not isinstance(raw, list) or len(raw) < 2:
            raise _field_error(self.where, "classes must list at least two classes.")
        classes = []
        for i, item in enumerate(raw):
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("name"), str)
                or not _COLOR.match(str(item.get("color", "")))
            ):
                raise _field_error(
                    self.where, f'classes[{i}] needs a name and a colour like "#00ffff".'
                )
            classes.append(ModelClass(item["name"], item["color"]))
        return tuple(classes)
