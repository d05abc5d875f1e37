"""The settings dialog's pages: each builds its own form, shows settings and reads them back.

One class per page (and one per group on the busy Engine page) so that each piece of the
form is small enough to read in one go, and the dialog only assembles them
(:class:`~oilspill_desktop.ui.settings_dialog.SettingsDialog`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.config.settings import Engine, Settings
from ..core.engines.model_spec import load_spec
from ..core.errors import ModelError
from ..core.model import Limits, MiB
from .connection_panel import ConnectionPanel
from .core_messages import translate as translate_message
from .i18n import NATIVE_NAMES
from .icons import icon

ENCODINGS = ("auto", "utf-8", "cp866", "cp437", "cp1251", "cp1252", "shift_jis", "gbk")


def make_form(parent: QWidget) -> QFormLayout:
    """A form laid out the same way on every page, spaced by the font's height."""
    form = QFormLayout(parent)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    unit = parent.fontMetrics().height()
    form.setHorizontalSpacing(unit)
    form.setVerticalSpacing(round(unit * 0.6))
    return form


def page_layout(page: QWidget) -> QVBoxLayout:
    """The vertical layout of a page, with margins and spacing of one line's height."""
    layout = QVBoxLayout(page)
    unit = page.fontMetrics().height()
    layout.setContentsMargins(unit, unit, unit, unit)
    layout.setSpacing(unit)
    return layout


def select_data(box: QComboBox, value: str) -> bool:
    """Choose the item of ``box`` whose data is ``value``; False when there is none."""
    position = box.findData(value)
    if position >= 0:
        box.setCurrentIndex(position)
    return position >= 0


def browse_row(edit: QLineEdit, tip: str, choose: Callable[[], object]) -> QHBoxLayout:
    """``edit`` with a "…" button beside it that calls ``choose``."""
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    browse = QToolButton()
    browse.setText("…")
    browse.setToolTip(tip)
    browse.clicked.connect(choose)
    row.addWidget(browse)
    return row


class ModelBox(QGroupBox):
    """The learned model's group: which ONNX file, checked as soon as it is chosen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Model"))
        form = make_form(self)
        self.model_edit = QLineEdit()
        self.model_edit.setPlaceholderText(self.tr("the bundled model"))
        self.model_edit.setToolTip(
            self.tr(
                "An ONNX segmentation model of your own, with a JSON description of the same "
                "name beside it (input size, normalisation, classes, which class is oil). "
                "Leave empty for the bundled model."
            )
        )
        self.model_edit.editingFinished.connect(self.describe_model)
        row = browse_row(self.model_edit, self.tr("Choose an ONNX model"), self._choose_model)
        form.addRow(self.tr("Model file:"), row)
        self.model_info = QLabel()
        self.model_info.setObjectName("modelInfo")
        self.model_info.setWordWrap(True)
        form.addRow("", self.model_info)

    def _choose_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose an ONNX model"),
            self.model_edit.text() or str(Path.home()),
            self.tr("ONNX models (*.onnx);;All files (*)"),
        )
        if path:
            self.model_edit.setText(path)
            self.describe_model()

    def describe_model(self) -> None:
        """Check the description beside a chosen model now, not when a job fails on it."""
        text = self.model_edit.text().strip()
        if not text:
            self.model_info.setText(self.tr("The bundled model (Help → About Models)."))
            self.model_info.setStyleSheet("")
            return
        try:
            spec = load_spec(Path(text))
        except ModelError as exc:
            self.model_info.setText(translate_message(exc.message))
            self.model_info.setStyleSheet("color: palette(bright-text); background: #b3261e;")
            return
        self.model_info.setStyleSheet("")
        self.model_info.setText(
            self.tr(
                "{name}: {tile}×{tile} tiles, {channels} channel(s), oil is class “{oil}”."
            ).format(
                name=spec.name,
                tile=spec.tile,
                channels=spec.channels,
                oil=spec.classes[spec.oil_class].name,
            )
        )


class ServiceBox(QGroupBox):
    """The ML service's group: address, token, what is sent, timeouts, TLS, and the test."""

    def __init__(self, form_settings: Callable[[], Settings], parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("ML service"))
        form = make_form(self)
        self._address_rows(form)
        self._kind_rows(form)
        self._timeout_rows(form)
        self._tls_rows(form)
        self.connection = ConnectionPanel(form_settings)
        form.addRow("", self.connection)

    def _address_rows(self, form: QFormLayout) -> None:
        self.endpoint_edit = QLineEdit()
        self.endpoint_edit.setPlaceholderText("http://localhost:8002/segment")
        self.endpoint_edit.setToolTip(
            self.tr("The address images are POSTed to, as multipart field 'file'.")
        )
        form.addRow(self.tr("Endpoint URL:"), self.endpoint_edit)
        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("optional"))
        self.token_edit.setToolTip(
            self.tr("Sent as 'Authorization: Bearer <token>'. Never written to the log.")
        )
        reveal = self.token_edit.addAction(
            icon("view-masks"), QLineEdit.ActionPosition.TrailingPosition
        )
        reveal.setToolTip(self.tr("Show or hide the token"))
        reveal.triggered.connect(self._toggle_token)
        form.addRow(self.tr("API token:"), self.token_edit)

    def _kind_rows(self, form: QFormLayout) -> None:
        self.send_mode_box = QComboBox()
        self.send_mode_box.addItem(
            self.tr("Convert to PNG when a service may not read the original"), "compatible"
        )
        self.send_mode_box.addItem(self.tr("Always send the original file"), "original")
        form.addRow(self.tr("Images sent as:"), self.send_mode_box)
        self.endpoint_kind_box = QComboBox()
        for text, kind, tip in self._kinds():
            self.endpoint_kind_box.addItem(text, kind)
            self.endpoint_kind_box.setItemData(
                self.endpoint_kind_box.count() - 1, tip, Qt.ItemDataRole.ToolTipRole
            )
        self.endpoint_kind_box.setToolTip(
            self.tr("What the service reads and answers; Test connection says what it found.")
        )
        form.addRow(self.tr("Service kind:"), self.endpoint_kind_box)

    def _kinds(self) -> tuple[tuple[str, str, str], ...]:
        """The service kinds: the name shown, the setting's value, what it means."""
        return (
            (
                self.tr("Automatic"),
                "auto",
                self.tr(
                    "Start as a generic service; if it fails on a PNG with a plain 500 and "
                    "answers the same image sent as JPEG, send JPEG named .jpg from then on."
                ),
            ),
            (
                self.tr("Generic (original or PNG)"),
                "generic",
                self.tr(
                    "Send the original JPEG or PNG, or an 8-bit PNG of the pixels; the "
                    "service answers a mask, a 5-class mask or an annotated picture."
                ),
            ),
            (
                self.tr("Oil Spill AI service (JPEG named .jpg)"),
                "oilspill-ai",
                self.tr(
                    "The Oil Spill AI ML service reads only JPEG named .jpg and answers "
                    "annotated pictures; masks are derived from them."
                ),
            ),
        )

    def _timeout_rows(self, form: QFormLayout) -> None:
        unit = self.fontMetrics().height()
        self.connect_timeout_spin = self._seconds(600.0)
        self.read_timeout_spin = self._seconds(3600.0)
        timeouts = QHBoxLayout()
        timeouts.setSpacing(unit // 2)
        timeouts.addWidget(QLabel(self.tr("connect")))
        timeouts.addWidget(self.connect_timeout_spin)
        timeouts.addSpacing(unit)
        timeouts.addWidget(QLabel(self.tr("answer")))
        timeouts.addWidget(self.read_timeout_spin)
        timeouts.addStretch(1)
        form.addRow(self.tr("Timeouts:"), timeouts)
        self.retries_spin = QSpinBox()
        self.retries_spin.setRange(0, 20)
        self.retries_spin.setToolTip(
            self.tr("Extra attempts for an image when the service fails or is busy.")
        )
        form.addRow(self.tr("Retries per image:"), self.retries_spin)

    def _seconds(self, most: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(0.1, most)
        spin.setDecimals(1)
        spin.setSuffix(self.tr(" s"))
        return spin

    def _tls_rows(self, form: QFormLayout) -> None:
        self.tls_check = QCheckBox(self.tr("Verify the server's TLS certificate"))
        form.addRow("", self.tls_check)
        self.ca_edit = QLineEdit()
        self.ca_edit.setPlaceholderText(self.tr("system certificates"))
        row = browse_row(self.ca_edit, self.tr("Choose a CA bundle file"), self._choose_ca_bundle)
        form.addRow(self.tr("CA bundle:"), row)

    def _toggle_token(self) -> None:
        hidden = self.token_edit.echoMode() is QLineEdit.EchoMode.Password
        self.token_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if hidden else QLineEdit.EchoMode.Password
        )

    def _choose_ca_bundle(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a CA bundle"),
            self.ca_edit.text() or str(Path.home()),
            self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"),
        )
        if path:
            self.ca_edit.setText(path)

    def load(self, settings: Settings) -> None:
        self.endpoint_edit.setText(settings.endpoint)
        self.token_edit.setText(settings.api_token)
        select_data(self.send_mode_box, settings.send_mode)
        select_data(self.endpoint_kind_box, settings.endpoint_kind)
        self.connect_timeout_spin.setValue(settings.connect_timeout)
        self.read_timeout_spin.setValue(settings.read_timeout)
        self.retries_spin.setValue(settings.retries)
        self.tls_check.setChecked(settings.tls_verify)
        self.ca_edit.setText(settings.ca_bundle)

    def values(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint_edit.text().strip(),
            "api_token": self.token_edit.text().strip(),
            "send_mode": str(self.send_mode_box.currentData()),
            "endpoint_kind": str(self.endpoint_kind_box.currentData()),
            "connect_timeout": float(self.connect_timeout_spin.value()),
            "read_timeout": float(self.read_timeout_spin.value()),
            "retries": self.retries_spin.value(),
            "tls_verify": self.tls_check.isChecked(),
            "ca_bundle": self.ca_edit.text().strip(),
        }


class EnginePage(QWidget):
    """Which engine segments the images, and the settings of the model and the service."""

    def __init__(self, form_settings: Callable[[], Settings], parent: QWidget | None = None):
        super().__init__(parent)
        layout = page_layout(self)
        self.model_radio = QRadioButton(self.tr("Learned model (offline, on this computer)"))
        self.classical_radio = QRadioButton(
            self.tr("Classical dark-spot detector (offline, finds much less oil)")
        )
        self.http_radio = QRadioButton(self.tr("ML service over HTTP"))
        self.engine_group = QButtonGroup(self)
        for radio in (self.model_radio, self.classical_radio, self.http_radio):
            self.engine_group.addButton(radio)
            radio.toggled.connect(self.update_enabled)
            layout.addWidget(radio)
        self.model_box = ModelBox()
        self.http_box = ServiceBox(form_settings)
        layout.addWidget(self.model_box)
        layout.addWidget(self.http_box)
        layout.addStretch(1)

    def update_enabled(self) -> None:
        self.http_box.setEnabled(self.http_radio.isChecked())
        self.model_box.setEnabled(self.model_radio.isChecked())

    def engine(self) -> Engine:
        if self.http_radio.isChecked():
            return "http"
        return "classical" if self.classical_radio.isChecked() else "model"

    def load(self, settings: Settings) -> None:
        radios = {"http": self.http_radio, "classical": self.classical_radio}
        radios.get(settings.engine, self.model_radio).setChecked(True)
        self.model_box.model_edit.setText(settings.model_path)
        self.model_box.describe_model()
        self.http_box.load(settings)
        self.update_enabled()

    def values(self) -> dict[str, Any]:
        return {
            "engine": self.engine(),
            "model_path": self.model_box.model_edit.text().strip(),
            **self.http_box.values(),
        }


class ProcessingPage(QWidget):
    """How much runs at once, and the limits every image is held to."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = page_layout(self)
        layout.addWidget(self._work_box())
        layout.addWidget(self._limits_box())
        layout.addStretch(1)

    def _work_box(self) -> QGroupBox:
        work = QGroupBox(self.tr("Work"))
        form = make_form(work)
        self.workers_spin = QSpinBox()
        self.workers_spin.setRange(1, 64)
        self.workers_spin.setToolTip(self.tr("Images processed at the same time in one job."))
        form.addRow(self.tr("Images in parallel per job:"), self.workers_spin)
        self.concurrent_spin = QSpinBox()
        self.concurrent_spin.setRange(1, 8)
        self.concurrent_spin.setToolTip(
            self.tr("1 runs the queue one job after another; more run jobs side by side.")
        )
        form.addRow(self.tr("Jobs at the same time:"), self.concurrent_spin)
        return work

    def _limits_box(self) -> QGroupBox:
        limits = QGroupBox(self.tr("Limits for each image"))
        form = make_form(limits)
        self.max_pixels_spin = QDoubleSpinBox()
        self.max_pixels_spin.setRange(0.1, 10_000.0)
        self.max_pixels_spin.setDecimals(1)
        self.max_pixels_spin.setSuffix(self.tr(" megapixels"))
        form.addRow(self.tr("Largest image:"), self.max_pixels_spin)
        self.max_member_spin = QSpinBox()
        self.max_member_spin.setRange(1, 1_000_000)
        self.max_member_spin.setSuffix(self.tr(" MB"))
        form.addRow(self.tr("Largest file in an archive:"), self.max_member_spin)
        self.max_ratio_spin = QDoubleSpinBox()
        self.max_ratio_spin.setRange(1.0, 100_000.0)
        self.max_ratio_spin.setDecimals(0)
        self.max_ratio_spin.setPrefix("1 : ")
        self.max_ratio_spin.setToolTip(
            self.tr("Members that unpack to more than this many times their size are refused.")
        )
        form.addRow(self.tr("Highest compression ratio:"), self.max_ratio_spin)
        self.encoding_box = QComboBox()
        self.encoding_box.setEditable(True)
        for name in ENCODINGS:
            self.encoding_box.addItem(self.tr("Detect") if name == "auto" else name, name)
        self.encoding_box.setToolTip(
            self.tr("How file names inside old zip archives are decoded (cp866 for DOS Russian).")
        )
        form.addRow(self.tr("File names in archives:"), self.encoding_box)
        return limits

    def load(self, settings: Settings) -> None:
        self.workers_spin.setValue(settings.workers)
        self.concurrent_spin.setValue(settings.concurrent_jobs)
        self.max_pixels_spin.setValue(settings.limits.max_pixels / 1_000_000)
        self.max_member_spin.setValue(max(1, round(settings.limits.max_member_bytes / MiB)))
        self.max_ratio_spin.setValue(settings.limits.max_compression_ratio)
        if not select_data(self.encoding_box, settings.archive_encoding):
            self.encoding_box.setEditText(settings.archive_encoding)

    def _encoding(self) -> str:
        """The chosen encoding's name, or what was typed in the box."""
        text = self.encoding_box.currentText().strip()
        data = self.encoding_box.currentData()
        if data and self.encoding_box.itemText(self.encoding_box.currentIndex()) == text:
            return str(data)
        return text or "auto"

    def values(self) -> dict[str, Any]:
        limits = Limits(
            max_pixels=round(self.max_pixels_spin.value() * 1_000_000),
            max_member_bytes=self.max_member_spin.value() * MiB,
            max_compression_ratio=float(self.max_ratio_spin.value()),
        )
        return {
            "workers": self.workers_spin.value(),
            "concurrent_jobs": self.concurrent_spin.value(),
            "limits": limits,
            "archive_encoding": self._encoding(),
        }


class GeneralPage(QWidget):
    """Where results go, the language, and how long working files are kept."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = page_layout(self)
        layout.addWidget(self._results_box())
        layout.addWidget(self._application_box())
        layout.addStretch(1)

    def _results_box(self) -> QGroupBox:
        output = QGroupBox(self.tr("Results"))
        layout = QVBoxLayout(output)
        self.beside_radio = QRadioButton(self.tr("Beside each input archive"))
        self.folder_radio = QRadioButton(self.tr("In this folder:"))
        self.output_group = QButtonGroup(self)
        self.output_group.addButton(self.beside_radio)
        self.output_group.addButton(self.folder_radio)
        self.folder_radio.toggled.connect(self.update_enabled)
        self.output_folder_edit = QLineEdit()
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_radio)
        folder_row.addWidget(self.output_folder_edit, 1)
        self.output_browse = QToolButton()
        self.output_browse.setText("…")
        self.output_browse.setToolTip(self.tr("Choose the results folder"))
        self.output_browse.clicked.connect(self._choose_output_folder)
        folder_row.addWidget(self.output_browse)
        note = QLabel(
            self.tr(
                "If the folder cannot be written, results go to the app's data folder and "
                "the job says so."
            )
        )
        note.setWordWrap(True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.beside_radio)
        layout.addLayout(folder_row)
        layout.addWidget(note)
        return output

    def _application_box(self) -> QGroupBox:
        general = QGroupBox(self.tr("Application"))
        form = make_form(general)
        self.language_box = QComboBox()
        self.language_box.addItem(self.tr("System language"), "system")
        for code, name in NATIVE_NAMES.items():
            self.language_box.addItem(name, code)
        form.addRow(self.tr("Language:"), self.language_box)
        self.language_note = QLabel(self.tr("A new language applies when the app restarts."))
        self.language_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        form.addRow("", self.language_note)
        self.keep_days_spin = QSpinBox()
        self.keep_days_spin.setRange(0, 365)
        self.keep_days_spin.setSuffix(self.tr(" days"))
        self.keep_days_spin.setToolTip(
            self.tr(
                "Working files of finished jobs are kept this long, so re-running a job is "
                "instant; 0 removes them at once."
            )
        )
        form.addRow(self.tr("Keep working files:"), self.keep_days_spin)
        return general

    def update_enabled(self) -> None:
        folder = self.folder_radio.isChecked()
        self.output_folder_edit.setEnabled(folder)
        self.output_browse.setEnabled(folder)

    def _choose_output_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the results folder"), self.output_folder_edit.text()
        )
        if path:
            self.output_folder_edit.setText(path)

    def load(self, settings: Settings) -> None:
        radio = self.folder_radio if settings.output_mode == "folder" else self.beside_radio
        radio.setChecked(True)
        self.output_folder_edit.setText(settings.output_folder)
        if not select_data(self.language_box, settings.language):
            select_data(self.language_box, "system")
        self.keep_days_spin.setValue(settings.keep_finished_days)
        self.update_enabled()

    def values(self) -> dict[str, Any]:
        return {
            "output_mode": "folder" if self.folder_radio.isChecked() else "beside",
            "output_folder": self.output_folder_edit.text().strip(),
            "language": str(self.language_box.currentData()),
            "keep_finished_days": self.keep_days_spin.value(),
        }
