from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from oilspill_desktop.core.config.settings import (
    DEFAULT_ENDPOINT,
    Settings,
    load_settings,
    save_settings,
)
from oilspill_desktop.core.model import Limits


def test_fresh_install_uses_the_learned_model_and_default_endpoint(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path / "missing.json")
    assert loaded.problem is None
    assert loaded.settings.engine == "model"
    assert loaded.settings.model_path == ""
    assert loaded.settings.endpoint == DEFAULT_ENDPOINT


def test_ml_service_url_overrides_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ML_SERVICE_URL", "http://127.0.0.1:9999/segment")
    assert Settings().endpoint == "http://127.0.0.1:9999/segment"


def test_round_trip_is_readable_and_private(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(
        engine="http", api_token="s3cret-token", workers=8, limits=Limits(max_pixels=10)
    )
    save_settings(settings, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["workers"] == 8
    assert load_settings(path).settings == settings
    assert "s3cret" not in repr(settings)


def test_corrupt_file_is_kept_aside_and_defaults_used(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.settings == Settings()
    assert loaded.problem is not None and "damaged" in loaded.problem
    backups = list(tmp_path.glob("settings.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text() == "{not json"


def test_bad_values_are_clamped_or_ignored(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {"engine": "gpu", "workers": 10_000, "retries": "many", "limits": {"max_pixels": -1}}
        ),
        encoding="utf-8",
    )
    settings = load_settings(path).settings
    assert settings.engine == "model"
    assert settings.workers == 64
    assert settings.retries == Settings().retries
    assert settings.limits == Limits()


@pytest.mark.parametrize(
    ("saved", "engine"),
    [("builtin", "model"), ("model", "model"), ("classical", "classical"), ("http", "http")],
)
def test_builtin_still_means_the_default_offline_engine(
    tmp_path: Path, saved: str, engine: str
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"engine": saved}), encoding="utf-8")
    assert load_settings(path).settings.engine == engine


def test_overlays_default_to_jpeg_and_unknown_kinds_fall_back(tmp_path: Path) -> None:
    assert Settings().overlays == "jpeg"
    assert Settings.from_json({"overlays": "png"}).overlays == "png"
    assert Settings.from_json({"overlays": "none"}).overlays == "none"
    assert Settings.from_json({"overlays": "webp"}).overlays == "jpeg"
    path = tmp_path / "settings.json"
    save_settings(Settings(overlays="none"), path)
    assert load_settings(path).settings.overlays == "none"
