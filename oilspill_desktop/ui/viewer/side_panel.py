"""The viewer's right-hand column: how masks are drawn, the facts of the image, its map."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from .controls import OverlayControls
from .facts import FactsPanel
from .geo_panel import GeoPanel


class SidePanel(QScrollArea):
    """The overlay controls above the facts panel, scrolling when the window is short."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controls = OverlayControls(self)
        self.facts = FactsPanel(self)
        self.geo = GeoPanel(self)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 4, 4, 4)
        side_layout.addWidget(self.controls)
        side_layout.addWidget(self.facts)
        side_layout.addWidget(self.geo)
        side_layout.addStretch(1)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(side)
        # Never wider than the column: long names wrap (see facts.breakable) instead.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(240)
