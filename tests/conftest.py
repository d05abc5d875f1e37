"""Every test gets its own app folders, and Qt never looks for a display."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
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


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_main_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """Collect what the test left in reference cycles, here, on the main thread.

    Python's cyclic collector runs in whichever thread happens to allocate. A Qt object a
    test dropped inside a cycle (a parentless loader whose closures point back at it)
    would otherwise be deleted later by a pool thread of another test, while the main
    thread delivers its events: the suspected cause of a rare segfault in the viewer tests
    (2 of some 15 full runs under coverage, none without). Only where Qt objects live: the
    GUI and integration tests.
    """
    yield
    if request.node.path.parent.name in ("gui", "integration"):
        gc.collect()
