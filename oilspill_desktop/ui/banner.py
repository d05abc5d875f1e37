"""A dismissible message strip at the top of the window, for news that must not be missed.

Used instead of a modal dialog for things like "your settings file was damaged": the user
sees it, can read it at leisure, and nothing stops the app from starting.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from .icons import icon

KIND_COLOURS = {"info": "#3d8bfd", "warning": "#e0a100", "error": "#e5484d"}


class MessageBanner(QFrame):
    """One message at a time; a newer message replaces the older one.

    Signals:
        dismissed(): the close button was clicked.
        action_clicked(): the message's action button (if it has one) was clicked.
    """

    dismissed = Signal()
    action_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBanner")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        unit = self.fontMetrics().height()
        self._icon = QLabel(self)
        self._text = QLabel(self)
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._action = QPushButton(self)
        self._action.hide()
        self._action.clicked.connect(self._act)
        self._close = QToolButton(self)
        self._close.setIcon(icon("close"))
        self._close.setAutoRaise(True)
        self._close.setToolTip(self.tr("Dismiss"))
        self._close.clicked.connect(self._dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(unit, unit // 2, unit // 2, unit // 2)
        layout.setSpacing(unit // 2 + 2)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._action, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self._close, 0, Qt.AlignmentFlag.AlignTop)
        self.kind = "info"
        self.hide()

    @property
    def text(self) -> str:
        return self._text.text()

    def show_message(self, text: str, kind: str = "info", action: str | None = None) -> None:
        """Show ``text``; ``action`` labels a button that emits :attr:`action_clicked`."""
        self.kind = kind
        self._action.setVisible(bool(action))
        self._action.setText(action or "")
        accent = QColor(KIND_COLOURS.get(kind, KIND_COLOURS["info"]))
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        tint = QColor(
            round(base.red() * 0.86 + accent.red() * 0.14),
            round(base.green() * 0.86 + accent.green() * 0.14),
            round(base.blue() * 0.86 + accent.blue() * 0.14),
        )
        palette.setColor(QPalette.ColorRole.Window, tint)
        self.setPalette(palette)
        side = self.fontMetrics().height() + 2
        name = "info" if kind == "info" else "warning"
        self._icon.setPixmap(icon(name, accent).pixmap(side, side))
        self._text.setText(text)
        self.show()

    @property
    def action_text(self) -> str:
        return self._action.text() if self._action.isVisible() else ""

    def click_action(self) -> None:
        self._action.click()

    def _act(self) -> None:
        self.hide()
        self.action_clicked.emit()

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
