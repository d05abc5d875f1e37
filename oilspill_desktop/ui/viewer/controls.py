"""The overlay's controls: opacity, fill or outline, the class legend, and what is shown."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ...core.engines.answers import CLASS_PALETTE
from ...core.results.overlay import OverlayStyle
from .pictures import ItemPictures
from .views_panel import DEFAULT_OPACITY

translate = QCoreApplication.translate
"""Qt's translation lookup under the name lupdate recognises."""


def class_names() -> dict[int, str]:
    """The palette's class names, translated."""
    names = {
        "sea": translate("Legend", "Sea"),
        "oil": translate("Legend", "Oil"),
        "look-alike": translate("Legend", "Look-alike"),
        "ship": translate("Legend", "Ship"),
        "land": translate("Legend", "Land"),
    }
    return {index: names.get(name, name) for index, (name, _rgb) in CLASS_PALETTE.items()}


class OverlayControls(QGroupBox):
    """Signals:
    opacity_changed(float): 0..1, as the slider moves.
    style_changed(str): ``fill`` or ``outline``.
    """

    opacity_changed = Signal(float)
    style_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Overlay"))
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, 100)
        self.slider.setValue(round(DEFAULT_OPACITY * 100))
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.setToolTip(self.tr("How strongly the mask is painted over the original"))
        self.value_label = QLabel(self)
        self.value_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("100 %") + 4)
        self.fill_button = QRadioButton(self.tr("Fill"), self)
        self.outline_button = QRadioButton(self.tr("Outline"), self)
        self.fill_button.setChecked(True)
        for button in (self.fill_button, self.outline_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._group = QButtonGroup(self)
        self._group.addButton(self.fill_button)
        self._group.addButton(self.outline_button)

        self.legend = QWidget(self)
        grid = QGridLayout(self.legend)
        grid.setContentsMargins(0, 4, 0, 0)
        grid.setHorizontalSpacing(6)
        self._legend_counts: dict[int, QLabel] = {}
        for row, (index, name) in enumerate(class_names().items()):
            swatch = QLabel(self.legend)
            pixmap = QPixmap(14, 14)
            pixmap.fill(QColor(*CLASS_PALETTE[index][1]))
            swatch.setPixmap(pixmap)
            count = QLabel(self.legend)
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._legend_counts[index] = count
            grid.addWidget(swatch, row, 0)
            grid.addWidget(QLabel(name, self.legend), row, 1)
            grid.addWidget(count, row, 2)
        grid.setColumnStretch(1, 1)
        self.legend.setVisible(False)

        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setVisible(False)

        opacity_row = QHBoxLayout()
        opacity_row.addWidget(QLabel(self.tr("Opacity"), self))
        opacity_row.addWidget(self.slider, 1)
        opacity_row.addWidget(self.value_label)
        style_row = QHBoxLayout()
        style_row.addWidget(self.fill_button)
        style_row.addWidget(self.outline_button)
        style_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(opacity_row)
        layout.addLayout(style_row)
        layout.addWidget(self.legend)
        layout.addWidget(self.note)

        self.slider.valueChanged.connect(self._on_slider)
        self.fill_button.toggled.connect(self._on_style)
        self._on_slider(self.slider.value())

    @property
    def opacity(self) -> float:
        return self.slider.value() / 100

    @property
    def overlay_style(self) -> OverlayStyle:
        return "outline" if self.outline_button.isChecked() else "fill"

    def set_style(self, style: OverlayStyle) -> None:
        (self.outline_button if style == "outline" else self.fill_button).setChecked(True)

    def _on_slider(self, value: int) -> None:
        self.value_label.setText(f"{QLocale().toString(value)} %")
        self.opacity_changed.emit(value / 100)

    def set_opacity(self, opacity: float) -> None:
        self.slider.setValue(round(min(max(opacity, 0.0), 1.0) * 100))

    def _on_style(self) -> None:
        self.style_changed.emit(self.overlay_style)

    def show_item(self, pictures: ItemPictures | None) -> None:
        """Enable what applies to this item, show its legend, and say what the overlay is."""
        live = pictures is not None and pictures.live_overlay
        self.slider.setEnabled(live)
        self.fill_button.setEnabled(live)
        self.outline_button.setEnabled(live)
        classes = pictures is not None and pictures.kind == "classes"
        self.legend.setVisible(classes)
        if pictures is not None and classes:
            total = max(1, sum(pictures.class_counts.values()))  # the pixels counted: a
            # reduced map (a large scene's) is counted as it is held
            for index, label in self._legend_counts.items():
                share = pictures.class_counts.get(index, 0) / total
                label.setText(f"{QLocale().toString(share * 100, 'f', 1)} %")
        note = ""
        if pictures is not None and not live:
            if pictures.kind == "overlay":
                note = self.tr(
                    "The engine answered with an annotated picture, not a mask: the overlay is "
                    "that picture as it came, so opacity and outline do not apply."
                )
            elif pictures.picture is not None:
                note = self.tr(
                    "The original is not available: the overlay is the one saved in the "
                    "results, so opacity and outline do not apply."
                )
        self.note.setText(note)
        self.note.setVisible(bool(note))
