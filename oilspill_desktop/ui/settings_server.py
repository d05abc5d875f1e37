"""The settings dialog's group for the Oil Spill AI backend: its address and how a survey
is cut into parts (see :mod:`oilspill_desktop.core.engines.server`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from ..core.config.settings import DEFAULT_SERVER, Settings
from .settings_pages import make_form


class ServerBox(QGroupBox):
    """The backend's address, the images per part and how long a part may take."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Oil Spill AI server"))
        self.setToolTip(
            self.tr(
                "The API token, timeouts, retries and TLS settings of the ML service group "
                "apply to the server too."
            )
        )
        form = make_form(self)
        self.server_edit = QLineEdit()
        self.server_edit.setPlaceholderText(DEFAULT_SERVER)
        self.server_edit.setToolTip(
            self.tr(
                "The backend's base address; parts go to /api/upload and come back from "
                "/api/download."
            )
        )
        form.addRow(self.tr("Server URL:"), self.server_edit)
        self.part_size_spin = QSpinBox()
        self.part_size_spin.setRange(1, 1000)
        self.part_size_spin.setSuffix(self.tr(" images"))
        self.part_size_spin.setToolTip(
            self.tr(
                "Images sent together in one zip. Smaller parts: a failure costs less and "
                "progress moves more often; larger parts: fewer requests."
            )
        )
        self.part_timeout_spin = QDoubleSpinBox()
        self.part_timeout_spin.setRange(0.1, 24 * 60.0)
        self.part_timeout_spin.setDecimals(1)
        self.part_timeout_spin.setSuffix(self.tr(" min"))
        self.part_timeout_spin.setToolTip(
            self.tr("A part the server has not finished by then fails, with its images.")
        )
        parts = QHBoxLayout()
        parts.setSpacing(self.fontMetrics().height() // 2)
        parts.addWidget(self.part_size_spin)
        parts.addSpacing(self.fontMetrics().height())
        parts.addWidget(QLabel(self.tr("deadline")))
        parts.addWidget(self.part_timeout_spin)
        parts.addStretch(1)
        form.addRow(self.tr("Parts of:"), parts)

    def load(self, settings: Settings) -> None:
        self.server_edit.setText(settings.server)
        self.part_size_spin.setValue(settings.part_size)
        self.part_timeout_spin.setValue(settings.part_timeout_minutes)

    def values(self) -> dict[str, Any]:
        return {
            "server": self.server_edit.text().strip() or DEFAULT_SERVER,
            "part_size": self.part_size_spin.value(),
            "part_timeout_minutes": float(self.part_timeout_spin.value()),
        }
