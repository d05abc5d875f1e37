"""Every test gets its own app folders, and Qt never looks for a display."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("ML_SERVICE_URL", None)
# Never read or write the developer's real keyring (tests that need one install a fake).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"


@pytest.fixture(autouse=True)
def app_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app's config, data, cache and log folders at a fresh folder."""
    home = tmp_path_factory.mktemp("app-home")
    monkeypatch.setenv("OILSPILL_DESKTOP_HOME", str(home))
    return home
