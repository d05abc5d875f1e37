"""The learned engine: the bundled model runs, models brought by users fail clearly at load."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from oilspill_desktop.core.config.resources import bundled_model
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.engines.factory import create_engine
from oilspill_desktop.core.engines.model_engine import ModelEngine, inference_threads
from oilspill_desktop.core.engines.protocol import Engine
from oilspill_desktop.core.errors import Cancelled, ModelError
from oilspill_desktop.core.jobs.cancel import CancelToken
from tests.onnx_models import dark_is_oil_model, sidecar
from tests.sources import in_memory_source


def _half_dark(width: int, height: int, mode: str = "L") -> tuple[Image.Image, np.ndarray]:
    grey = np.full((height, width), 200, dtype=np.uint8)
    grey[:, : width // 3] = 30
    truth = grey < 128
    image = Image.fromarray(grey)
    return (image.convert(mode) if mode != "L" else image), truth


def _mask(answer: Image.Image) -> np.ndarray:
    assert answer.mode == "L"
    return np.asarray(answer) == 255


def test_the_default_engine_is_the_bundled_model() -> None:
    engine = create_engine(Settings())
    try:
        assert isinstance(engine, ModelEngine)
        as_protocol: Engine = engine
        assert as_protocol.engine == "model"
        assert engine.endpoint is None
        assert engine.path == bundled_model()
        assert engine.fingerprint.startswith("oil-unet-lite@")
    finally:
        engine.close()
    assert create_engine(Settings(engine="classical")).engine == "classical"


@pytest.mark.parametrize("size", [(1, 1), (64, 48), (256, 256), (700, 300)])
def test_the_bundled_model_answers_a_mask_of_the_image_size(size: tuple[int, int]) -> None:
    engine = ModelEngine(bundled_model())
    image = Image.fromarray(np.random.default_rng(1).integers(90, 160, size[::-1], np.uint8))
    answer = engine.segment(in_memory_source(image), CancelToken())
    assert answer.image.size == size
    assert set(np.unique(np.asarray(answer.image))) <= {0, 255}


@pytest.mark.parametrize("out", ["probability", "logits", "classes"])
@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_a_users_model_is_fed_and_read_as_its_description_says(
    tmp_path: Path, out: str, mode: str
) -> None:
    model = dark_is_oil_model(tmp_path / "mine.onnx", out=out)
    engine = ModelEngine(model)
    image, truth = _half_dark(100, 70, mode)
    np.testing.assert_array_equal(
        _mask(engine.segment(in_memory_source(image), CancelToken()).image), truth
    )


def test_a_three_channel_model_gets_colour(tmp_path: Path) -> None:
    spec = sidecar()
    spec["input"] = {**spec["input"], "channels": 3, "mean": [0, 0, 0], "std": [1, 1, 1]}
    model = dark_is_oil_model(tmp_path / "rgb.onnx", in_channels=3, spec=spec)
    image, truth = _half_dark(80, 40)
    answer = ModelEngine(model).segment(in_memory_source(image), CancelToken())
    np.testing.assert_array_equal(_mask(answer.image), truth)


def test_large_scenes_are_multilooked_first(tmp_path: Path) -> None:
    model = dark_is_oil_model(tmp_path / "mine.onnx")
    engine = ModelEngine(model, work_pixels=10_000)
    image, truth = _half_dark(600, 400)
    answer = engine.segment(in_memory_source(image), CancelToken())
    assert answer.image.size == (600, 400)
    assert (_mask(answer.image) == truth).mean() > 0.99
    assert any("averaged 5x5" in w.text for w in answer.warnings)


def test_a_cancelled_image_stops(tmp_path: Path) -> None:
    engine = ModelEngine(dark_is_oil_model(tmp_path / "mine.onnx"))
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        engine.segment(in_memory_source(_half_dark(300, 300)[0]), token)


def _broken(tmp_path: Path, **kwargs: object) -> Path:
    return dark_is_oil_model(tmp_path / "broken.onnx", **kwargs)  # type: ignore[arg-type]


def test_a_model_without_its_description_is_refused(tmp_path: Path) -> None:
    model = _broken(tmp_path)
    model.with_suffix(".json").unlink()
    with pytest.raises(ModelError, match=r"no description file broken\.json"):
        ModelEngine(model)


def test_a_file_that_is_not_onnx_is_refused(tmp_path: Path) -> None:
    model = tmp_path / "broken.onnx"
    model.write_bytes(b"this is not a model at all")
    model.with_suffix(".json").write_text(json.dumps(sidecar()), encoding="utf-8")
    with pytest.raises(ModelError, match=r"broken\.onnx is not a usable ONNX model"):
        ModelEngine(model)


def test_a_missing_model_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "gone.json").write_text(json.dumps(sidecar()), encoding="utf-8")
    with pytest.raises(ModelError, match="does not exist"):
        ModelEngine(tmp_path / "gone.onnx")


def test_channels_that_do_not_match_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="expects 3 on input axis 1, but its description says 1"):
        ModelEngine(_broken(tmp_path, in_channels=3, spec=sidecar()))


def test_an_output_with_the_wrong_number_of_classes_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"gives 2 output channel\(s\)"):
        ModelEngine(_broken(tmp_path, out="classes", spec=sidecar()))


def test_logits_described_as_probabilities_are_refused_at_load(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match='should say "kind": "logits"'):
        ModelEngine(_broken(tmp_path, out="logits", spec=sidecar()))


def test_a_model_that_answers_nan_is_refused_at_load(tmp_path: Path) -> None:
    spec = sidecar(output={"kind": "logits", "threshold": 0.5})
    with pytest.raises(ModelError, match="NaN or infinite"):
        ModelEngine(_broken(tmp_path, out="nan", spec=spec))


def test_the_settings_choose_a_users_model(tmp_path: Path) -> None:
    model = dark_is_oil_model(tmp_path / "mine.onnx")
    engine = create_engine(Settings(model_path=str(model)))
    assert isinstance(engine, ModelEngine)
    assert engine.path == model
    assert engine.fingerprint.startswith("test-model@")


def test_workers_share_the_cores_instead_of_each_taking_them_all() -> None:
    assert inference_threads(1, cores=8) == 8
    assert inference_threads(4, cores=8) == 2
    assert inference_threads(8, cores=8) == 1
    assert inference_threads(16, cores=2) == 1
    assert inference_threads(0, cores=2) == 2
