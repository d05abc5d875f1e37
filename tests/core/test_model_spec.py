"""A model's description is checked field by field, with messages that name the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oilspill_desktop.core.config.resources import bundled_model
from oilspill_desktop.core.engines.model_spec import load_spec, parse_spec
from oilspill_desktop.core.errors import InputError, ModelError
from tests.onnx_models import sidecar


def test_the_bundled_model_is_described() -> None:
    spec = load_spec(bundled_model())
    assert spec.name == "oil-unet-lite"
    assert spec.channels == 1
    assert spec.classes[spec.oil_class].name == "oil"
    assert 0.0 < spec.threshold < 1.0


def test_a_valid_description_is_read() -> None:
    spec = parse_spec(sidecar(), "m.json")
    assert (spec.tile, spec.channels, spec.output_kind, spec.oil_class) == (
        32,
        1,
        "probability",
        1,
    )


def _with_input(**changes: Any) -> dict[str, Any]:
    data = sidecar()
    data["input"] = {**data["input"], **changes}
    return data


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ([], "JSON object"),
        (sidecar(format=2), "format 2"),
        (sidecar(input=None), "'input' must be an object"),
        (_with_input(tile="256"), "input.tile must be a whole number"),
        (_with_input(tile=2), "input.tile = 2 is out of range"),
        (_with_input(channels=2), "1 (grey) or 3 (RGB)"),
        (_with_input(layout="NHWC"), "only NCHW"),
        (_with_input(scale=0), "input.scale = 0 is out of range"),
        (_with_input(mean=[0.1, 0.2]), "input.mean must be a list of 1"),
        (_with_input(std=[0]), "input.std values must be above 0"),
        (_with_input(tile=True), "input.tile must be a whole number"),
        (sidecar(output={"kind": "softmax"}), "output.kind must be one of"),
        (sidecar(output={"kind": "probability", "threshold": 2}), "output.threshold = 2"),
        (sidecar(classes=[{"name": "oil", "color": "#fff"}]), "at least two classes"),
        (
            sidecar(
                classes=[{"name": "sea", "color": "#000000"}, {"name": "oil", "color": "cyan"}]
            ),
            "classes[1] needs a name and a colour",
        ),
        (sidecar(oil_class=5), "oil_class = 5 is out of range"),
        (sidecar(oil_class=0), "oil_class 1"),
    ],
)
def test_a_broken_description_names_what_is_wrong(data: object, words: str) -> None:
    with pytest.raises(ModelError) as caught:
        parse_spec(data, "mine.json")
    assert words in str(caught.value)
    assert "mine.json" in str(caught.value)


def test_a_missing_or_unreadable_description_is_explained(tmp_path: Path) -> None:
    model = tmp_path / "mine.onnx"
    with pytest.raises(ModelError, match=r"no description file mine\.json"):
        load_spec(model)
    model.with_suffix(".json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="not valid JSON"):
        load_spec(model)
    model.with_suffix(".json").write_text(json.dumps(sidecar()), encoding="utf-8")
    assert load_spec(model).name == "test-model"


def test_a_model_error_stops_the_job_like_a_bad_input() -> None:
    assert issubclass(ModelError, InputError)
