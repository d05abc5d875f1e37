"""The bar above the viewer's pictures: one sentence and, when there is one, its remedy."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class NoticeBar(QFrame):
    """A sentence above the views (originals missing, results unreadable) and its action."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton(self)
        self.button.setVisible(False)
        self.button.clicked.connect(self._on_button)
        self._action: QAction | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.setVisible(False)

    def say(self, text: str | None, action: QAction | None = None) -> None:
        self.label.setText(text or "")
        self.setVisible(bool(text))
        self._action = action if text else None
        if self._action is not None:
            self.button.setText(self._action.text().replace("&", ""))
        self.button.setVisible(self._action is not None)

    def _on_button(self) -> None:
        if self._action is not None:
            self._action.trigger()
