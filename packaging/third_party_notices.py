"""Write the licence notices of everything a frozen bundle carries.

The installers redistribute Python, Qt (through PySide6, under the LGPL) and some twenty
Python packages; each licence asks that its text travel with the copies. Called by the
PyInstaller spec with the top-level modules the analysis put in the bundle, this writes
``licenses/`` into the bundle:

- ``THIRD-PARTY-NOTICES.txt``: one entry per distribution (name, version, licence, home
  page, where its texts are), with Oil Spill Desktop's own licence first;
- ``<distribution>-<version>/``: the licence files each wheel ships in its metadata;
- the LGPL and GPL texts for PySide6 and shiboken6, whose wheels ship none (kept in
  ``packaging/licenses/``), and Python's own licence.

Files are copied without their mode: some wheels ship an executable LICENSE.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)
QT_TEXTS = ("LGPL-3.0.txt", "GPL-3.0.txt")
"""PySide6 and shiboken6 (and the Qt they bundle): LGPL-3.0-only OR GPL-2.0/3.0."""
OWN_DISTRIBUTION = "oilspill-desktop"


def distributions_of(top_levels: Iterable[str]) -> list[metadata.Distribution]:
    """The installed distributions that provide these top-level modules, by name."""
    providers = metadata.packages_distributions()
    names = {dist for top in top_levels for dist in providers.get(top, [])}
    names.discard(OWN_DISTRIBUTION)
    found = {}
    for name in names:
        dist = metadata.distribution(name)
        found[dist.metadata["Name"].lower()] = dist
    return [found[key] for key in sorted(found)]


def licence_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    text = meta.get("License-Expression") or meta.get("License") or ""
    text = text.strip().splitlines()[0] if text.strip() else ""
    if not text or len(text) > 80:
        classifiers = [
            c.rsplit(" :: ", 1)[1]
            for c in meta.get_all("Classifier") or []
            if c.startswith("License ::")
        ]
        text = ", ".join(classifiers) or text[:80] or "see the files listed"
    return text


def write_notices(top_levels: Iterable[str], out: Path) -> list[str]:
    """Write ``out`` (a ``licenses`` folder); return the distributions' names."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copyfile(REPO / "LICENSE", out / "oilspill-desktop-LICENSE.txt")
    entries = [
        "Oil Spill Desktop is MIT-licensed: see oilspill-desktop-LICENSE.txt.\n"
        "It carries the following third-party software, each under its own licence;\n"
        "the texts are in the folders named below.\n",
        _entry(
            "Python",
            f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}",
            "PSF-2.0",
            "https://www.python.org/",
            _copy_python_licence(out),
        ),
    ]
    names = []
    for dist in distributions_of(top_levels):
        name, version = dist.metadata["Name"], dist.version
        folder = out / f"{name}-{version}"
        files = _copy_licence_files(dist, folder)
        if name.lower().replace("_", "-") in ("pyside6-essentials", "pyside6", "shiboken6"):
            folder.mkdir(exist_ok=True)
            for text in QT_TEXTS:
                shutil.copyfile(HERE / "licenses" / text, folder / text)
                files.append(f"{folder.name}/{text}")
        home = dist.metadata.get("Home-page") or _project_url(dist) or ""
        entries.append(_entry(name, version, licence_of(dist), home, files))
        names.append(name)
    notices = "\n".join(entries)
    notices += (
        "\nQt and PySide6 are used under the GNU LGPL version 3. Their libraries are the"
        "\nshared libraries in the PySide6 folder beside this licenses folder; you may"
        "\nreplace them with your own builds of the same version. Their source code is at"
        "\nhttps://download.qt.io/official_releases/.\n"
    )
    (out / "THIRD-PARTY-NOTICES.txt").write_text(notices, encoding="utf-8")
    return names


def _entry(name: str, version: str, licence: str, home: str, files: list[str]) -> str:
    lines = [f"{name} {version}", f"  licence: {licence}"]
    if home:
        lines.append(f"  home: {home}")
    lines.append(f"  texts: {', '.join(files) if files else 'none shipped by the package'}")
    return "\n".join(lines) + "\n"


def _copy_licence_files(dist: metadata.Distribution, folder: Path) -> list[str]:
    copied = []
    for file in dist.files or []:
        parts = Path(str(file)).parts
        if not parts or not parts[0].endswith(".dist-info"):
            continue
        inside = Path(*parts[1:]) if len(parts) > 1 else Path()
        if not (LICENCE_FILE.search(inside.name) or (inside.parts[:1] == ("licenses",))):
            continue
        source = Path(str(dist.locate_file(file)))
        if not source.is_file():
            continue
        target = folder / (Path(*inside.parts[1:]) if inside.parts[:1] == ("licenses",) else inside)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied.append(f"{folder.name}/{target.relative_to(folder).as_posix()}")
    return sorted(copied)


def _copy_python_licence(out: Path) -> list[str]:
    base = Path(sys.base_prefix)
    for candidate in (
        base / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "LICENSE.txt",
        base / "LICENSE.txt",
        base / "Lib" / "LICENSE.txt",
    ):
        if candidate.is_file():
            shutil.copyfile(candidate, out / "Python-LICENSE.txt")
            return ["Python-LICENSE.txt"]
    return []


def _project_url(dist: metadata.Distribution) -> str | None:
    for value in dist.metadata.get_all("Project-URL") or []:
        label, _, url = value.partition(",")
        if label.strip().lower() in ("homepage", "home", "source", "repository"):
            return url.strip()
    return None


if __name__ == "__main__":  # a look at what would be written, for a module list given
    target = Path(sys.argv[1])
    print("\n".join(write_notices(sys.argv[2:], target)))
