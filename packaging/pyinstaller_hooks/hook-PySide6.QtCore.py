"""PySide6.QtCore as PyInstaller's stock hook collects it, less the unused Qt plugins."""

import importlib.util
from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

_spec = importlib.util.spec_from_file_location(
    "qt_plugin_policy", Path(__file__).with_name("qt_plugin_policy.py")
)
assert _spec is not None and _spec.loader is not None
_policy = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_policy)

hiddenimports, binaries, datas = _policy.apply(
    *add_qt6_dependencies(__file__), module="PySide6.QtCore"
)
