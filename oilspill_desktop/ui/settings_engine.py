"""The settings dialog's Engine page: which engine, the learned model, the ML service.

The busiest page, so each group is a class of its own: :class:`ModelBox` checks a chosen
model at once, :class:`ServiceBox` holds the service's settings and the connection test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
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
    QPlainTextEdit,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from ..core.config.settings import Engine, Settings
from ..core.engines.model_spec import ModelSpec, load_spec
from ..core.errors import ModelError
from ..scheduling.pools import intake_pool
from ..scheduling.tasks import run_in_pool
from .connection_panel import ConnectionPanel
from .core_messages import translate as translate_message
from .icons import icon
from .settings_pages import browse_row, make_form, page_layout, select_data
from .settings_server import ServerBox


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
        self.model_info.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        form.addRow("", self.model_info)
        self._checked: str | None = None
        """The path whose description is being read or shown."""

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
        """Check the description beside a chosen model now, not when a job fails on it.

        The file may sit on a slow share, so it is read on a worker; an answer for a path
        the user has since changed is dropped.
        """
        text = self.model_edit.text().strip()
        self.model_info.setStyleSheet("")
        if not text:
            self._checked = None
            self.model_info.setText(self.tr("The bundled model (Help → About Models)."))
            return
        self._checked = text
        self.model_info.setText(self.tr("Reading the model's description…"))
        run_in_pool(
            intake_pool(),
            lambda _handle: load_spec(Path(text)),
            context=self,
            on_done=lambda spec: self._show_spec(text, spec),
            on_error=lambda exc: self._show_problem(text, exc),
            key="model description",
        )

    def _show_spec(self, path: str, spec: ModelSpec) -> None:
        if path != self._checked:
            return
        kind = self.tr("grey") if spec.channels == 1 else self.tr("colour")
        self.model_info.setText(
            self.tr("{name}: {tile}×{tile} tiles, {input} input, oil is class “{oil}”.").format(
                name=spec.name, tile=spec.tile, input=kind, oil=spec.classes[spec.oil_class].name
            )
        )

    def _show_problem(self, path: str, exc: BaseException) -> None:
        if path != self._checked:
            return
        text = translate_message(exc.message) if isinstance(exc, ModelError) else str(exc)
        self.model_info.setText(text)
        self.model_info.setStyleSheet("color: palette(bright-text); background: #b3261e;")


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
        self.more_endpoints_edit = QPlainTextEdit()
        self.more_endpoints_edit.setPlaceholderText(
            self.tr("further endpoints used at once, one per line")
        )
        self.more_endpoints_edit.setToolTip(
            self.tr(
                "One URL per line, optionally followed by kind=auto, kind=generic or "
                "kind=oilspill-ai and token=… (else the settings below apply). Images go "
                "to whichever endpoint will answer them soonest; one that is down is left "
                "alone until it is back."
            )
        )
        lines = self.fontMetrics().lineSpacing() * 2
        self.more_endpoints_edit.setFixedHeight(lines + self.fontMetrics().height())
        form.addRow(self.tr("More endpoints:"), self.more_endpoints_edit)
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
        self.more_endpoints_edit.setPlainText(settings.more_endpoints)
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
            "more_endpoints": self.more_endpoints_edit.toPlainText().strip(),
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
        self.server_radio = QRadioButton(self.tr("Oil Spill AI server (the survey sent in parts)"))
        self.engine_group = QButtonGroup(self)
        radios = (self.model_radio, self.classical_radio, self.http_radio, self.server_radio)
        for radio in radios:
            self.engine_group.addButton(radio)
            radio.toggled.connect(self.update_enabled)
            layout.addWidget(radio)
        self.model_box = ModelBox()
        self.http_box = ServiceBox(form_settings)
        self.server_box = ServerBox()
        self._tested_server: bool | None = None
        layout.addWidget(self.model_box)
        layout.addWidget(self.http_box)
        layout.addWidget(self.server_box)
        layout.addStretch(1)

    def update_enabled(self) -> None:
        # the token, timeouts and TLS of the service group apply to the server as well
        self.http_box.setEnabled(self.http_radio.isChecked() or self.server_radio.isChecked())
        self.server_box.setEnabled(self.server_radio.isChecked())
        # the test checks what jobs would use: the ML service, or the server in parts
        server = self.server_radio.isChecked()
        self.http_box.connection.setEnabled(self.http_radio.isChecked() or server)
        if self._tested_server is not server:
            self._tested_server = server
            self.http_box.connection.clear()  # its verdict was about the other engine
        self.model_box.setEnabled(self.model_radio.isChecked())
        # the page must fit a small screen: the server's group takes the model's place
        self.server_box.setVisible(self.server_radio.isChecked())
        self.model_box.setVisible(not self.server_radio.isChecked())

    def engine(self) -> Engine:
        if self.http_radio.isChecked():
            return "http"
        if self.server_radio.isChecked():
            return "server"
        return "classical" if self.classical_radio.isChecked() else "model"

    def load(self, settings: Settings) -> None:
        radios = {
            "http": self.http_radio,
            "classical": self.classical_radio,
            "server": self.server_radio,
        }
        radios.get(settings.engine, self.model_radio).setChecked(True)
        self.model_box.model_edit.setText(settings.model_path)
        self.model_box.describe_model()
        self.http_box.load(settings)
        self.server_box.load(settings)
        self.update_enabled()

    def values(self) -> dict[str, Any]:
        return {
            "engine": self.engine(),
            "model_path": self.model_box.model_edit.text().strip(),
            **self.http_box.values(),
            **self.server_box.values(),
        }
