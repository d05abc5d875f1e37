"""Where the repository's resources/ go inside the frozen bundle; shared by spec and tests.

``oilspill_desktop.core.config.resources`` looks in ``sys._MEIPASS/oilspill_desktop/resources``
when frozen and in the package ``oilspill_desktop.resources`` otherwise, so the bundle
must hold the same files under the same relative names as a pip install.
``tests/packaging/test_resources_access.py`` lays a fake bundle out with this very
function and checks that the accessor finds every resource the app loads.
"""

from __future__ import annotations

from pathlib import Path

DESTINATION = ("oilspill_desktop", "resources")

# Developer material, not read by the running app: translation sources, the package
# marker, and the README's screenshots.
SKIPPED_SUFFIXES = frozenset({".ts", ".py", ".pyc"})
SKIPPED_FOLDERS = frozenset({"__pycache__", "screenshots"})


def resource_datas(resources: Path) -> list[tuple[str, str]]:
    """PyInstaller ``datas`` entries: (source file, destination folder in the bundle)."""
    datas = []
    for path in sorted(resources.rglob("*")):
        relative = path.relative_to(resources)
        if path.is_dir() or path.suffix in SKIPPED_SUFFIXES or relative.parts[0] in SKIPPED_FOLDERS:
            continue
        datas.append((str(path), str(Path(*DESTINATION, *relative.parts[:-1]))))
    return datas
