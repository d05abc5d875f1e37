"""Which Qt plugins the frozen app carries, shared by the PySide6 hooks beside this file.

PyInstaller's stock hooks collect every plugin of each type a Qt module may use: eglfs,
VNC and framebuffer platforms, evdev input, TLS backends, the GTK 3 theme (which alone
drags in GTK, Cairo and Pango from the build machine), a dozen image formats. The app is
a QtWidgets program that decodes pictures with Pillow and draws SVG with QSvgRenderer, so
most of them are dead weight. Plugins are chosen here, inside the hooks, rather than
deleted after the analysis: a plugin dropped this early never has its own libraries
collected either.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import PurePath

# A child of PyInstaller's logger, so that the lines appear in the build log.
log = logging.getLogger("PyInstaller.oilspill_desktop")

KEEP: dict[str, frozenset[str]] = {
    # Linux: X11 (and XWayland), native Wayland, and offscreen for headless runs and the
    # smoke test. Windows and macOS: their one native platform.
    "platforms": frozenset({"qxcb", "qwayland", "qoffscreen", "qwindows", "qcocoa"}),
    # File dialogs through the desktop portal (sandboxes, GNOME, KDE); needs only D-Bus.
    "platformthemes": frozenset({"qxdgdesktopportal"}),
    # Dead keys and compose sequences, and IBus for non-Latin input methods.
    "platforminputcontexts": frozenset(
        {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}
    ),
    # SVG icons from the desktop's icon theme (file dialogs, message boxes).
    "iconengines": frozenset({"qsvgicon"}),
    "imageformats": frozenset({"qsvg"}),
    # Native Wayland: the standard shell and Qt's own title bars. The OpenGL integrations
    # (xcbglintegrations, wayland-graphics-integration-client) are left out: widgets draw
    # in shared memory, and Wayland's EGL one alone would bring libQt6OpenGL.
    "wayland-shell-integration": frozenset({"xdg-shell"}),
    "wayland-decoration-client": frozenset({"bradient"}),
    # Native widget looks on Windows 10/11 and macOS (Linux uses the built-in Fusion).
    "styles": frozenset({"qmodernwindowsstyle", "qwindowsvistastyle", "qmacstyle"}),
}

DROPPED_MODULES = frozenset({"PySide6.QtDBus", "PySide6.QtNetwork"})
"""Python bindings the stock hooks add because a Qt library links them; the app never
imports them (the Qt libraries themselves stay when another library needs them)."""


def plugin_stem(file_name: str) -> str:
    """``libqxcb.so`` -> ``qxcb``; ``qwindows.dll`` -> ``qwindows``."""
    stem = PurePath(file_name).name.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def plugin_kept(source: str, dest_dir: str) -> bool:
    """Whether a collected file is kept: anything that is not a plugin, or a listed one."""
    parts = PurePath(dest_dir).parts
    if "plugins" not in parts:
        return True
    index = parts.index("plugins")
    if index + 1 >= len(parts):
        return True
    return plugin_stem(source) in KEEP.get(parts[index + 1], frozenset())


def apply(
    hiddenimports: Iterable[str],
    binaries: Iterable[tuple[str, str]],
    datas: Iterable[tuple[str, str]],
    module: str,
) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """Filter what a stock Qt hook returned for ``module``."""
    kept_binaries: list[tuple[str, str]] = []
    dropped: list[str] = []
    for source, dest in binaries:
        if plugin_kept(source, dest):
            kept_binaries.append((source, dest))
        else:
            dropped.append(source)
    if dropped:
        log.info(
            "%s: leaving out %d Qt plugins: %s",
            module,
            len(dropped),
            ", ".join(sorted(plugin_stem(d) for d in dropped)),
        )
    imports = [name for name in hiddenimports if name not in DROPPED_MODULES]
    return imports, kept_binaries, list(datas)
