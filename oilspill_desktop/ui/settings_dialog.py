"""The settings dialog: every setting, grouped, with a live "Test connection".

The dialog edits a copy: nothing changes until OK, and the caller saves and applies the
result (:meth:`SettingsDialog.settings`). "Test connection" uses the values as they are
in the form, saved or not, so the user can try an address before committing to it; it
sends one image through the job's own engine (see :mod:`.connection_test`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.config.settings import Engine, Settings
from ..core.engines.model_spec import load_spec
from ..core.errors import ModelError
from ..core.model import Limits, MiB
from .connection_test import ConnectionCheck, ConnectionProbe, Verdict, describe, run_probe
from .core_messages import translate as translate_message
from .i18n import NATIVE_NAMES
from .icons import icon

log = logging.getLogger(__name__)

ENCODINGS = ("auto", "utf-8", "cp866", "cp437", "cp1251", "cp1252", "shift_jis", "gbk")
OK_COLOUR = "#2fa36b"
BAD_COLOUR = "#e5484d"


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class SettingsDialog(QDialog):
    """Edit a copy of :class:`Settings`.

    Signals:
        test_finished(object): the :class:`ConnectionCheck` of a finished connection test.
    """

    test_finished = Signal(object)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self._initial = settings
        self._task: asyncio.Task[ConnectionCheck] | None = None
        self._probe: ConnectionProbe | None = None
        unit = self.fontMetrics().height()

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._engine_page(), self.tr("Engine"))
        self.tabs.addTab(self._processing_page(), self.tr("Processing"))
        self.tabs.addTab(self._general_page(), self.tr("General"))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        defaults = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        defaults.clicked.connect(self.restore_defaults)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(unit, unit, unit, unit)
        layout.setSpacing(unit)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self.load(settings)
        self.resize(unit * 38, unit * 30)

    # -- pages ----------------------------------------------------------------------------
    def _form(self, parent: QWidget) -> QFormLayout:
        form = QFormLayout(parent)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        unit = self.fontMetrics().height()
        form.setHorizontalSpacing(unit)
        form.setVerticalSpacing(round(unit * 0.6))
        return form

    def _engine_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        unit = self.fontMetrics().height()
        layout.setContentsMargins(unit, unit, unit, unit)
        layout.setSpacing(unit)

        self.model_radio = QRadioButton(self.tr("Learned model (offline, on this computer)"))
        self.classical_radio = QRadioButton(
            self.tr("Classical dark-spot detector (offline, finds much less oil)")
        )
        self.http_radio = QRadioButton(self.tr("ML service over HTTP"))
        self.engine_group = QButtonGroup(self)
        for radio in (self.model_radio, self.classical_radio, self.http_radio):
            self.engine_group.addButton(radio)
            radio.toggled.connect(self._update_enabled)
            layout.addWidget(radio)

        self.model_box = QGroupBox(self.tr("Model"))
        model_form = self._form(self.model_box)
        self.model_edit = QLineEdit()
        self.model_edit.setPlaceholderText(self.tr("the bundled model"))
        self.model_edit.setToolTip(
            self.tr(
                "An ONNX segmentation model of your own, with a JSON description of the same "
                "name beside it (input size, normalisation, classes, which class is oil). "
                "Leave empty for the bundled model."
            )
        )
        self.model_edit.editingFinished.connect(self._describe_model)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model_edit, 1)
        model_browse = QToolButton()
        model_browse.setText("…")
        model_browse.setToolTip(self.tr("Choose an ONNX model"))
        model_browse.clicked.connect(self._choose_model)
        model_row.addWidget(model_browse)
        model_form.addRow(self.tr("Model file:"), model_row)
        self.model_info = QLabel()
        self.model_info.setObjectName("modelInfo")
        self.model_info.setWordWrap(True)
        model_form.addRow("", self.model_info)
        layout.addWidget(self.model_box)

        self.http_box = QGroupBox(self.tr("ML service"))
        form = self._form(self.http_box)
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

        self.send_mode_box = QComboBox()
        self.send_mode_box.addItem(
            self.tr("Convert to PNG when a service may not read the original"), "compatible"
        )
        self.send_mode_box.addItem(self.tr("Always send the original file"), "original")
        form.addRow(self.tr("Images sent as:"), self.send_mode_box)

        self.endpoint_kind_box = QComboBox()
        kinds = (
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
        for text, kind, tip in kinds:
            self.endpoint_kind_box.addItem(text, kind)
            self.endpoint_kind_box.setItemData(
                self.endpoint_kind_box.count() - 1, tip, Qt.ItemDataRole.ToolTipRole
            )
        self.endpoint_kind_box.setToolTip(
            self.tr("What the service reads and answers; Test connection says what it found.")
        )
        form.addRow(self.tr("Service kind:"), self.endpoint_kind_box)

        self.connect_timeout_spin = QDoubleSpinBox()
        self.connect_timeout_spin.setRange(0.1, 600.0)
        self.connect_timeout_spin.setDecimals(1)
        self.connect_timeout_spin.setSuffix(self.tr(" s"))
        self.read_timeout_spin = QDoubleSpinBox()
        self.read_timeout_spin.setRange(0.1, 3600.0)
        self.read_timeout_spin.setDecimals(1)
        self.read_timeout_spin.setSuffix(self.tr(" s"))
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

        self.tls_check = QCheckBox(self.tr("Verify the server's TLS certificate"))
        form.addRow("", self.tls_check)
        self.ca_edit = QLineEdit()
        self.ca_edit.setPlaceholderText(self.tr("system certificates"))
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_edit, 1)
        ca_browse = QToolButton()
        ca_browse.setText("…")
        ca_browse.setToolTip(self.tr("Choose a CA bundle file"))
        ca_browse.clicked.connect(self._choose_ca_bundle)
        ca_row.addWidget(ca_browse)
        form.addRow(self.tr("CA bundle:"), ca_row)

        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.start_connection_test)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_result.setMinimumHeight(unit * 3)
        self.test_result.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        test_row.addWidget(self.test_result, 1)
        form.addRow("", test_row)

        layout.addWidget(self.http_box)
        layout.addStretch(1)
        return page

    def _processing_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        unit = self.fontMetrics().height()
        layout.setContentsMargins(unit, unit, unit, unit)
        layout.setSpacing(unit)

        work = QGroupBox(self.tr("Work"))
        form = self._form(work)
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

        limits = QGroupBox(self.tr("Limits for each image"))
        limits_form = self._form(limits)
        self.max_pixels_spin = QDoubleSpinBox()
        self.max_pixels_spin.setRange(0.1, 10_000.0)
        self.max_pixels_spin.setDecimals(1)
        self.max_pixels_spin.setSuffix(self.tr(" megapixels"))
        limits_form.addRow(self.tr("Largest image:"), self.max_pixels_spin)
        self.max_member_spin = QSpinBox()
        self.max_member_spin.setRange(1, 1_000_000)
        self.max_member_spin.setSuffix(self.tr(" MB"))
        limits_form.addRow(self.tr("Largest file in an archive:"), self.max_member_spin)
        self.max_ratio_spin = QDoubleSpinBox()
        self.max_ratio_spin.setRange(1.0, 100_000.0)
        self.max_ratio_spin.setDecimals(0)
        self.max_ratio_spin.setPrefix("1 : ")
        self.max_ratio_spin.setToolTip(
            self.tr("Members that unpack to more than this many times their size are refused.")
        )
        limits_form.addRow(self.tr("Highest compression ratio:"), self.max_ratio_spin)
        self.encoding_box = QComboBox()
        self.encoding_box.setEditable(True)
        for name in ENCODINGS:
            self.encoding_box.addItem(self.tr("Detect") if name == "auto" else name, name)
        self.encoding_box.setToolTip(
            self.tr("How file names inside old zip archives are decoded (cp866 for DOS Russian).")
        )
        limits_form.addRow(self.tr("File names in archives:"), self.encoding_box)

        layout.addWidget(work)
        layout.addWidget(limits)
        layout.addStretch(1)
        return page

    def _general_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        unit = self.fontMetrics().height()
        layout.setContentsMargins(unit, unit, unit, unit)
        layout.setSpacing(unit)

        output = QGroupBox(self.tr("Results"))
        output_layout = QVBoxLayout(output)
        self.beside_radio = QRadioButton(self.tr("Beside each input archive"))
        self.folder_radio = QRadioButton(self.tr("In this folder:"))
        self.output_group = QButtonGroup(self)
        self.output_group.addButton(self.beside_radio)
        self.output_group.addButton(self.folder_radio)
        self.folder_radio.toggled.connect(self._update_enabled)
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
        output_layout.addWidget(self.beside_radio)
        output_layout.addLayout(folder_row)
        output_layout.addWidget(note)

        general = QGroupBox(self.tr("Application"))
        form = self._form(general)
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

        layout.addWidget(output)
        layout.addWidget(general)
        layout.addStretch(1)
        return page

    # -- values ---------------------------------------------------------------------------
    def load(self, settings: Settings) -> None:
        """Show ``settings`` in the form."""
        radios = {"http": self.http_radio, "classical": self.classical_radio}
        radios.get(settings.engine, self.model_radio).setChecked(True)
        self.model_edit.setText(settings.model_path)
        self._describe_model()
        self.endpoint_edit.setText(settings.endpoint)
        self.token_edit.setText(settings.api_token)
        self._select(self.send_mode_box, settings.send_mode)
        self._select(self.endpoint_kind_box, settings.endpoint_kind)
        self.connect_timeout_spin.setValue(settings.connect_timeout)
        self.read_timeout_spin.setValue(settings.read_timeout)
        self.retries_spin.setValue(settings.retries)
        self.tls_check.setChecked(settings.tls_verify)
        self.ca_edit.setText(settings.ca_bundle)
        self.workers_spin.setValue(settings.workers)
        self.concurrent_spin.setValue(settings.concurrent_jobs)
        self.max_pixels_spin.setValue(settings.limits.max_pixels / 1_000_000)
        self.max_member_spin.setValue(max(1, round(settings.limits.max_member_bytes / MiB)))
        self.max_ratio_spin.setValue(settings.limits.max_compression_ratio)
        if not self._select(self.encoding_box, settings.archive_encoding):
            self.encoding_box.setEditText(settings.archive_encoding)
        (self.folder_radio if settings.output_mode == "folder" else self.beside_radio).setChecked(
            True
        )
        self.output_folder_edit.setText(settings.output_folder)
        if not self._select(self.language_box, settings.language):
            self._select(self.language_box, "system")
        self.keep_days_spin.setValue(settings.keep_finished_days)
        self._update_enabled()

    @staticmethod
    def _select(box: QComboBox, value: str) -> bool:
        position = box.findData(value)
        if position >= 0:
            box.setCurrentIndex(position)
        return position >= 0

    def settings(self) -> Settings:
        """The settings as the form shows them (validated, as a file would be)."""
        encoding_text = self.encoding_box.currentText().strip()
        encoding_data = self.encoding_box.currentData()
        if encoding_data and self.encoding_box.itemText(self.encoding_box.currentIndex()) == (
            encoding_text
        ):
            encoding = str(encoding_data)
        else:
            encoding = encoding_text or "auto"
        limits = Limits(
            max_pixels=round(self.max_pixels_spin.value() * 1_000_000),
            max_member_bytes=self.max_member_spin.value() * MiB,
            max_compression_ratio=float(self.max_ratio_spin.value()),
        )
        return self._initial.with_changes(
            engine=self._engine(),
            model_path=self.model_edit.text().strip(),
            endpoint=self.endpoint_edit.text().strip(),
            api_token=self.token_edit.text().strip(),
            send_mode=str(self.send_mode_box.currentData()),
            endpoint_kind=str(self.endpoint_kind_box.currentData()),
            connect_timeout=float(self.connect_timeout_spin.value()),
            read_timeout=float(self.read_timeout_spin.value()),
            retries=self.retries_spin.value(),
            tls_verify=self.tls_check.isChecked(),
            ca_bundle=self.ca_edit.text().strip(),
            workers=self.workers_spin.value(),
            concurrent_jobs=self.concurrent_spin.value(),
            limits=limits,
            archive_encoding=encoding,
            output_mode="folder" if self.folder_radio.isChecked() else "beside",
            output_folder=self.output_folder_edit.text().strip(),
            language=str(self.language_box.currentData()),
            keep_finished_days=self.keep_days_spin.value(),
        ).validated()

    def restore_defaults(self) -> None:
        self.load(Settings())

    def accept(self) -> None:
        if self.folder_radio.isChecked() and not self.output_folder_edit.text().strip():
            self.tabs.setCurrentIndex(2)
            self.output_folder_edit.setFocus()
            self.output_folder_edit.setPlaceholderText(self.tr("Choose a folder for the results"))
            return
        self._cancel_test()
        super().accept()

    def reject(self) -> None:
        self._cancel_test()
        super().reject()

    # -- helpers --------------------------------------------------------------------------
    def _engine(self) -> Engine:
        if self.http_radio.isChecked():
            return "http"
        return "classical" if self.classical_radio.isChecked() else "model"

    def _update_enabled(self) -> None:
        self.http_box.setEnabled(self.http_radio.isChecked())
        self.model_box.setEnabled(self.model_radio.isChecked())
        folder = self.folder_radio.isChecked()
        self.output_folder_edit.setEnabled(folder)
        self.output_browse.setEnabled(folder)

    def _toggle_token(self) -> None:
        hidden = self.token_edit.echoMode() is QLineEdit.EchoMode.Password
        self.token_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if hidden else QLineEdit.EchoMode.Password
        )

    def _choose_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose an ONNX model"),
            self.model_edit.text() or str(Path.home()),
            self.tr("ONNX models (*.onnx);;All files (*)"),
        )
        if path:
            self.model_edit.setText(path)
            self._describe_model()

    def _describe_model(self) -> None:
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

    def _choose_ca_bundle(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a CA bundle"),
            self.ca_edit.text() or str(Path.home()),
            self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"),
        )
        if path:
            self.ca_edit.setText(path)

    def _choose_output_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the results folder"), self.output_folder_edit.text()
        )
        if path:
            self.output_folder_edit.setText(path)

    # -- connection test ------------------------------------------------------------------
    def start_connection_test(self) -> None:
        """Check the endpoint in the form without blocking the window."""
        self._cancel_test()
        loop = _running_loop()
        if loop is None:
            self._show_result(
                self.tr("The connection test needs the app's event loop, which is not running."),
                ok=False,
            )
            return
        settings = self.settings()
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(self.tr("Testing {url}…").format(url=settings.endpoint))
        self._probe = ConnectionProbe(settings)
        self._task = loop.create_task(run_probe(self._probe))
        self._task.add_done_callback(self._on_test_done)

    def _on_test_done(self, task: asyncio.Task[ConnectionCheck]) -> None:
        if task is not self._task:
            return
        self._task = None
        self._probe = None
        self.test_button.setEnabled(True)
        if task.cancelled():
            self.test_result.setText(self.tr("Test stopped."))
            return
        exc = task.exception()
        if exc is not None:
            log.error("The connection test failed unexpectedly", exc_info=exc)
            check = ConnectionCheck(Verdict.OTHER, self.endpoint_edit.text(), detail=repr(exc))
        else:
            check = task.result()
        text = describe(check)
        log.info("Connection test of %s: %s", check.url, text)
        self._show_result(text, ok=check.ok)
        self.test_finished.emit(check)

    def _show_result(self, text: str, *, ok: bool) -> None:
        colour = QColor(OK_COLOUR if ok else BAD_COLOUR)
        self.test_result.setStyleSheet(f"color: {colour.name()};")
        self.test_result.setText(("✓ " if ok else "✗ ") + text)

    def _cancel_test(self) -> None:
        """Stop a running test: its request is cut and the worker releases the client."""
        task, self._task = self._task, None
        probe, self._probe = self._probe, None
        if probe is not None:
            probe.abort()
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(Exception):
                self.test_button.setEnabled(True)
