"""The core must import and work with Qt absent (as napari proves for its own core).

Every module under ``oilspill_desktop/core/``, at any depth, is imported with the Qt
bindings made unimportable, and the modules imported are compared with the files on disk,
so a module in a new sub-package cannot escape the check.
"""

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
names = [m.name for m in pkgutil.walk_packages(core.__path__, "oilspill_desktop.core.")]
for name in names:
    importlib.import_module(name)
assert not [m for m in sys.modules if m.startswith(("PySide6", "shiboken6", "qasync"))]
print("\n".join(sorted(names)))
"""


def _modules_on_disk() -> list[str]:
    names = []
    for path in CORE.rglob("*.py"):
        parts = path.relative_to(CORE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            names.append(".".join(("oilspill_desktop", "core", *parts)))
    return sorted(names)


def test_every_core_module_imports_without_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    imported = result.stdout.split()
    assert imported == _modules_on_disk()
    assert "oilspill_desktop.core.engines.classical" in imported


def test_no_core_source_mentions_qt() -> None:
    offenders = [
        str(p.relative_to(CORE))
        for p in CORE.rglob("*.py")
        if any(word in p.read_text(encoding="utf-8") for word in ("PySide6", "PyQt", "qasync"))
    ]
    assert offenders == []
