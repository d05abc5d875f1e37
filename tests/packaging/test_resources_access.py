"""The one resource accessor finds the same files installed and frozen.

Installed (pip or editable), resources come from the package ``oilspill_desktop.resources``.
Frozen, PyInstaller puts them under ``sys._MEIPASS`` following
``packaging/bundle_layout.py``; here a fake bundle is laid out with that same function and
``sys.frozen``/``sys._MEIPASS`` point at it, as PyInstaller's bootloader sets them.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import zipfile
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

from oilspill_desktop.core.config import resources as resources_access
from oilspill_desktop.core.config.resources import (
    resource_path,
    resources_root,
    sample_survey,
)

REPO = Path(__file__).resolve().parents[2]
# What the app loads at run time (ui/app.py, ui/icons.py, ui/i18n.py, the sample action).
USED = (
    "style.qss",
    "icons/app.svg",
    "i18n/oilspill_desktop_en.qm",
    "sample/sample_survey.zip",
    "models/oil-unet-lite.onnx",
    "models/oil-unet-lite.json",
    "models/oil-unet-lite.md",
)


def load_bundle_layout() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bundle_layout", REPO / "packaging" / "bundle_layout.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def frozen_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A one-folder bundle's data laid out as the spec does, and the process 'frozen' in it."""
    layout = load_bundle_layout()
    bundle = tmp_path / "_internal"
    for source, destination in layout.resource_datas(REPO / "resources"):
        target = bundle / destination
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    return bundle


def test_a_checkout_that_was_not_installed_finds_the_repository_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def not_installed(_package: str) -> Path:
        raise ModuleNotFoundError(_package)

    monkeypatch.setattr(resources_access.resources, "files", not_installed)
    assert resources_root() == REPO / "resources"
    for relative in USED:
        assert resource_path(relative).is_file()


def test_installed_root_is_the_resources_package() -> None:
    assert not getattr(sys, "frozen", False)
    expected = Path(str(resources.files(resources_access.PACKAGE)))
    assert resources_root() == expected
    for relative in USED:
        assert resource_path(relative) == expected / relative


def test_frozen_root_is_inside_the_bundle(frozen_bundle: Path) -> None:
    root = frozen_bundle / "oilspill_desktop" / "resources"
    assert resources_root() == root
    for relative in USED:
        path = resource_path(relative)
        assert path == root / relative
        assert path.read_bytes() == (REPO / "resources" / relative).read_bytes()


def test_frozen_bundle_wins_over_the_installed_package(frozen_bundle: Path) -> None:
    style = frozen_bundle / "oilspill_desktop" / "resources" / "style.qss"
    style.write_text("/* bundled copy */\n", encoding="utf-8")
    assert resource_path("style.qss").read_bytes() == b"/* bundled copy */\n"


@pytest.mark.parametrize("frozen", [False, True], ids=["installed", "frozen"])
def test_every_used_resource_is_readable(frozen: bool, request: pytest.FixtureRequest) -> None:
    if frozen:
        request.getfixturevalue("frozen_bundle")
    assert resource_path("icons/app.svg").read_bytes().lstrip().startswith(b"<svg")
    assert resource_path("i18n/oilspill_desktop_en.qm").read_bytes()
    assert "{" in resource_path("style.qss").read_bytes().decode("utf-8")
    with zipfile.ZipFile(sample_survey()) as sample:
        assert sample.testzip() is None
        assert sample.namelist()


def test_bundle_leaves_out_developer_files(frozen_bundle: Path) -> None:
    root = frozen_bundle / "oilspill_desktop" / "resources"
    shipped = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert not [name for name in shipped if name.endswith((".ts", ".py", ".pyc"))]
    assert set(USED) <= shipped


@pytest.mark.parametrize("frozen", [False, True], ids=["installed", "frozen"])
def test_missing_resource_says_what_and_where(frozen: bool, request: pytest.FixtureRequest) -> None:
    if frozen:
        request.getfixturevalue("frozen_bundle")
    with pytest.raises(FileNotFoundError, match=r"'icons/no-such-icon\.svg' is missing from"):
        resource_path("icons/no-such-icon.svg")
