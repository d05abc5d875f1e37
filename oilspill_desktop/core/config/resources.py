"""The one way to reach bundled resources, from a pip install, a checkout or a frozen build.

In a pip install the repository's ``resources/`` folder is the package
``oilspill_desktop.resources`` (see ``pyproject.toml``), found with
:mod:`importlib.resources`. In a PyInstaller bundle it is collected to the same place
under ``sys._MEIPASS``, so the same lookup works there too; a source checkout that was not
installed falls back to the folder beside the package.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

PACKAGE = "oilspill_desktop.resources"


def resources_root() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        frozen = Path(bundle) / "oilspill_desktop" / "resources"
        if frozen.is_dir():
            return frozen
    try:
        root = Path(str(resources.files(PACKAGE)))
        if root.is_dir():
            return root
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[3] / "resources"


def resource_path(relative: str) -> Path:
    """Path of a bundled file, e.g. ``icons/app.svg``; raises if it is missing."""
    path = resources_root() / relative
    if not path.exists():
        raise FileNotFoundError(f"The bundled resource {relative!r} is missing from {path.parent}.")
    return path


def sample_survey() -> Path:
    """The sample survey shipped for a first run."""
    return resource_path("sample/sample_survey.zip")


BUNDLED_MODEL = "models/oil-unet-lite.onnx"


def bundled_model() -> Path:
    """The default offline engine's model; its sidecar and model card lie beside it."""
    return resource_path(BUNDLED_MODEL)
