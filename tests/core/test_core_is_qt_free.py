"""The core must import and work with Qt absent (as napari proves for its own core)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import oilspill_desktop.core

CORE = Path(oilspill_desktop.core.__file__).parent

PROGRAM = r"""
import importlib, pkgutil, sys

class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "shiboken6", "qasync"):
            raise ImportError(f"Qt is blocked in this test: {name}")
        return None

sys.meta_path.insert(0, BlockQt())
import oilspill_desktop.core as core
names = [m.name for m in pkgutil.iter_modules(core.__path__)]
for name in names:
    importlib.import_module(f"oilspill_desktop.core.{name}")
assert not [m for m in sys.modules if m.startswith(("PySide6", "shiboken6"))]
print(len(names))
"""


def test_every_core_module_imports_without_qt() -> None:
    modules = sorted(p.stem for p in CORE.glob("*.py") if p.stem != "__init__")
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) == len(modules)


def test_no_core_source_mentions_qt() -> None:
    offenders = [
        p.name
        for p in CORE.glob("*.py")
        if any(word in p.read_text(encoding="utf-8") for word in ("PySide6", "PyQt", "qasync"))
    ]
    assert offenders == []
