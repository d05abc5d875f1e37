"""The empty queue: a large, friendly drop target with the two ways to add work by hand.

Drops themselves are handled by the main window (anywhere on it); this widget only
invites them and lights up while something is dragged over the window.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from .icons import app_pixmap, icon


class DropArea(QWidget):
    """The invitation shown while the queue is empty.

    Signals:
        open_archives(): the "Open archives…" button.
        open_folder(): the "Open folder…" button.
        sample_requested(): the "try the sample survey" link.
    """

    open_archives = Signal()
    open_folder = Signal()
    sample_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropArea")
        self._highlighted = False
        metrics = self.fontMetrics()
        unit = metrics.height()

        self._logo = QLabel(self)
        self._logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._logo_side = unit * 5

        self._title = QLabel(self.tr("Drop survey archives here"), self)
        title_font = QFont(self.font())
        title_font.setPointSizeF(self.font().pointSizeF() * 1.6)
        title_font.setWeight(QFont.Weight.DemiBold)
        self._title.setFont(title_font)
        self._title.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self._subtitle = QLabel(
            self.tr(
                "Zip archives of PNG, JPEG, BMP, TIFF, JPEG 2000 or WebP images — several at "
                "once.\n"
                "A folder of images, or images dropped together, become one job."
            ),
            self,
        )
        self._subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._subtitle.setWordWrap(True)
        self._subtitle.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.open_button = QPushButton(icon("open-archives"), self.tr("Open archives…"), self)
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_archives)
        self.folder_button = QPushButton(icon("open-folder"), self.tr("Open folder…"), self)
        self.folder_button.clicked.connect(self.open_folder)
        for button in (self.open_button, self.folder_button):
            button.setMinimumHeight(round(unit * 2.2))
            button.setMinimumWidth(unit * 10)

        self.sample_link = QLabel(
            '<a href="sample">{}</a>'.format(self.tr("New here? Try the bundled sample survey.")),
            self,
        )
        self.sample_link.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sample_link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.sample_link.linkActivated.connect(lambda _link: self.sample_requested.emit())

        self._lay_out(unit)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._update_logo()

    def _lay_out(self, unit: int) -> None:
        """The logo, the words and the buttons in a column, centred with room around."""
        buttons = QHBoxLayout()
        buttons.setSpacing(unit)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        margin = unit * 3
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(round(unit * 0.8))
        layout.addStretch(3)
        layout.addWidget(self._logo)
        layout.addSpacing(unit // 2)
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle)
        layout.addSpacing(unit)
        layout.addLayout(buttons)
        layout.addSpacing(unit // 2)
        layout.addWidget(self.sample_link)
        layout.addStretch(4)

    def _update_logo(self) -> None:
        self._logo.setPixmap(app_pixmap(self._logo_side, self.devicePixelRatioF()))

    def set_highlighted(self, on: bool) -> None:
        if on != self._highlighted:
            self._highlighted = on
            self.update()

    def paintEvent(self, event: object) -> None:
        """A dashed, rounded frame; solid and tinted while something is dragged over."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        unit = self.fontMetrics().height()
        inset = unit * 1.2
        frame = QRectF(self.rect()).adjusted(inset, inset, -inset, -inset)
        path = QPainterPath()
        path.addRoundedRect(frame, unit, unit)
        palette = self.palette()
        accent = palette.color(QPalette.ColorRole.Highlight)
        if self._highlighted:
            fill = QColor(accent)
            fill.setAlphaF(0.10)
            painter.fillPath(path, fill)
            pen = QPen(accent, 2.5)
        else:
            base = palette.color(QPalette.ColorRole.Text)
            base.setAlphaF(0.28)
            pen = QPen(base, 1.6, Qt.PenStyle.DashLine)
            pen.setDashPattern([6, 5])
        painter.setPen(pen)
        painter.drawPath(path)
        painter.end()

    def changeEvent(self, event: object) -> None:
        super().changeEvent(event)  # type: ignore[arg-type]
        if hasattr(self, "_logo"):
            self._update_logo()
