"""What the viewer remembers between sessions: side by side or which view, opacity, fill or
outline. Kept with the main window's state in ``window.ini`` (see
:mod:`oilspill_desktop.ui.window_state`), saved as the user changes them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings

from ...core.config.paths import app_paths
from ...core.results.overlay import OverlayStyle
from .controls import OverlayControls
from .views_panel import ViewRole, ViewsPanel


class RememberedView(QObject):
    """Applies the remembered view to ``views`` and ``controls``, then follows their changes."""

    def __init__(self, views: ViewsPanel, controls: OverlayControls, parent: QObject) -> None:
        super().__init__(parent)
        self.settings = QSettings(
            str(app_paths().config_dir / "window.ini"), QSettings.Format.IniFormat
        )
        self.views, self.controls = views, controls
        self._restore()
        views.layout_changed.connect(self._save)
        controls.opacity_changed.connect(self._save)
        controls.style_changed.connect(self._save)

    def _restore(self) -> None:
        value = self.settings.value
        opacity = _number(value("viewer/opacity"))
        if opacity is not None:
            self.controls.set_opacity(opacity)
        style = value("viewer/style")
        if style in ("fill", "outline"):
            chosen: OverlayStyle = "outline" if style == "outline" else "fill"
            self.controls.set_style(chosen)
        single = _number(value("viewer/single"))
        if single is not None and int(single) in {int(r) for r in ViewRole}:
            self.views.set_single(ViewRole(int(single)))
        if str(value("viewer/side_by_side", "true")).lower() != "false":
            self.views.set_side_by_side(True)

    def _save(self) -> None:
        self.settings.setValue("viewer/side_by_side", self.views.side_by_side)
        self.settings.setValue("viewer/single", int(self.views.single))
        self.settings.setValue("viewer/opacity", self.controls.opacity)
        self.settings.setValue("viewer/style", self.controls.overlay_style)

    def sync(self) -> None:
        self.settings.sync()


def _number(value: object) -> float | None:
    try:
        return float(str(value))
    except ValueError:
        return None
