"""The settings dialog's pages: each builds its own form, shows settings and reads them back.

One class per page (and one per group on the busy Engine page, in
:mod:`.settings_engine`) so that each piece of the form is small enough to read in one go,
and the dialog only assembles them
(:class:`~oilspill_desktop.ui.settings_dialog.SettingsDialog`). The helpers here lay out
every page the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
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

from ..core.config.settings import Settings
from ..core.model import Limits, MiB
from .i18n import NATIVE_NAMES

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


class ProcessingPage(QWidget):
    """How much runs at once, and the limits every image is held to."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = page_layout(self)
        layout.addWidget(self._work_box())
        layout.addWidget(self._limits_box())
        layout.addStretch(1)
        self._limits = Limits()

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
        self.adaptive_check = QCheckBox(self.tr("Find how many requests an ML service takes"))
        self.adaptive_check.setToolTip(
            self.tr(
                "Start with two requests at once and raise the number while the service "
                "answers as fast as when idle, lower it when answers slow down or it says it "
                "is busy; never above the images in parallel. Always on with several endpoints."
            )
        )
        form.addRow("", self.adaptive_check)
        return work

    def _limits_box(self) -> QGroupBox:
        limits = QGroupBox(self.tr("Limits for each image"))
        form = make_form(limits)
        self.max_pixels_spin = QDoubleSpinBox()
        self.max_pixels_spin.setRange(0.1, 10_000.0)
        self.max_pixels_spin.setDecimals(1)
        self.max_pixels_spin.setSuffix(self.tr(" megapixels"))
        form.addRow(self.tr("Largest image:"), self.max_pixels_spin)
        self.large_scene_spin = QDoubleSpinBox()
        self.large_scene_spin.setRange(1.0, 100_000.0)
        self.large_scene_spin.setDecimals(1)
        self.large_scene_spin.setSuffix(self.tr(" megapixels"))
        self.large_scene_spin.setToolTip(
            self.tr(
                "A TIFF or GeoTIFF larger than this is never decoded whole: it is read, "
                "segmented and written in windows of 1536 × 1536 pixels, several windows at "
                "once, and the largest-image limit then applies to each window. Smaller images "
                "are processed whole."
            )
        )
        form.addRow(self.tr("Large scenes in windows above:"), self.large_scene_spin)
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
        self.band_spin = QSpinBox()
        self.band_spin.setRange(1, 64)
        self.band_spin.setToolTip(
            self.tr(
                "Which band of a multi-band radar TIFF is shown and segmented: 1 is the first "
                "(VV or HH in dual-polarisation products). Images with fewer bands use band 1."
            )
        )
        form.addRow(self.tr("Band of multi-band images:"), self.band_spin)
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
        self.adaptive_check.setChecked(settings.adaptive_concurrency)
        self._limits = settings.limits
        self.max_pixels_spin.setValue(settings.limits.max_pixels / 1_000_000)
        self.large_scene_spin.setValue(settings.limits.large_scene_pixels / 1_000_000)
        self.max_member_spin.setValue(max(1, round(settings.limits.max_member_bytes / MiB)))
        self.max_ratio_spin.setValue(settings.limits.max_compression_ratio)
        self.band_spin.setValue(settings.limits.band)
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
        limits = replace(  # the limits the dialog does not show are kept as they were
            self._limits,
            max_pixels=round(self.max_pixels_spin.value() * 1_000_000),
            large_scene_pixels=round(self.large_scene_spin.value() * 1_000_000),
            max_member_bytes=self.max_member_spin.value() * MiB,
            max_compression_ratio=float(self.max_ratio_spin.value()),
            band=self.band_spin.value(),
        )
        return {
            "workers": self.workers_spin.value(),
            "adaptive_concurrency": self.adaptive_check.isChecked(),
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
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("Overlays:"), self._overlays_box())
        layout.addLayout(form)
        return output

    def _overlays_box(self) -> QComboBox:
        """The overlay picture kept per image; masks are lossless PNG whatever is chosen."""
        self.overlays_box = QComboBox()
        for value, text, tip in (
            (
                "jpeg",
                self.tr("JPEG (quality 90)"),
                self.tr("About the size of a JPEG scene, and quick to write."),
            ),
            (
                "png",
                self.tr("PNG (lossless)"),
                self.tr("Exact colours; about three times the size of a JPEG scene."),
            ),
            (
                "none",
                self.tr("None (masks only)"),
                self.tr("The smallest results; the mask viewer paints overlays itself."),
            ),
        ):
            self.overlays_box.addItem(text, value)
            self.overlays_box.setItemData(
                self.overlays_box.count() - 1, tip, Qt.ItemDataRole.ToolTipRole
            )
        self.overlays_box.setToolTip(
            self.tr(
                "The picture of each image with the oil painted over it, kept beside its "
                "mask in the results. Masks are always lossless PNG."
            )
        )
        return self.overlays_box

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
        select_data(self.overlays_box, settings.overlays)
        self.update_enabled()

    def values(self) -> dict[str, Any]:
        return {
            "output_mode": "folder" if self.folder_radio.isChecked() else "beside",
            "output_folder": self.output_folder_edit.text().strip(),
            "language": str(self.language_box.currentData()),
            "keep_finished_days": self.keep_days_spin.value(),
            "overlays": str(self.overlays_box.currentData()),
        }
