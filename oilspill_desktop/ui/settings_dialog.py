"""The settings dialog: every setting, grouped, with a live "Test connection".

The dialog edits a copy: nothing changes until OK, and the caller saves and applies the
result (:meth:`SettingsDialog.settings`). "Test connection" uses the values as they are
in the form, saved or not, so the user can try an address before committing to it; it
sends one image through the job's own engine (see :mod:`.connection_test`). Each page is
a class of its own (:mod:`.settings_pages`); the dialog assembles them.

Enter means OK and nothing else: every other push button in the dialog is neither the
default nor an auto-default button, so focus landing on one (after Test connection
disables itself, say) never turns Enter into that button's click. Restore Defaults asks
first, since it replaces every value in the form.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.config.settings import Settings
from .settings_engine import EnginePage
from .settings_pages import GeneralPage, ProcessingPage


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
        unit = self.fontMetrics().height()

        self.engine_page = EnginePage(self.settings)
        self.processing_page = ProcessingPage()
        self.general_page = GeneralPage()
        self.connection = self.engine_page.http_box.connection
        self.connection.finished.connect(self.test_finished)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.engine_page, self.tr("Engine"))
        self.tabs.addTab(self.processing_page, self.tr("Processing"))
        self.tabs.addTab(self.general_page, self.tr("General"))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        defaults = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        defaults.clicked.connect(self.ask_restore_defaults)
        self.defaults_question: QMessageBox | None = None
        """The question Restore Defaults asks, while it is open."""

        layout = QVBoxLayout(self)
        layout.setContentsMargins(unit, unit, unit, unit)
        layout.setSpacing(unit)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self.load(settings)
        self._make_enter_mean_ok()
        self.resize(unit * 38, unit * 30)

    def _make_enter_mean_ok(self) -> None:
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)

    def load(self, settings: Settings) -> None:
        """Show ``settings`` in the form."""
        self.engine_page.load(settings)
        self.processing_page.load(settings)
        self.general_page.load(settings)

    def settings(self) -> Settings:
        """The settings as the form shows them (validated, as a file would be)."""
        return self._initial.with_changes(
            **self.engine_page.values(),
            **self.processing_page.values(),
            **self.general_page.values(),
        ).validated()

    def ask_restore_defaults(self) -> None:
        """Ask before replacing the form's values with the defaults (nothing is saved yet)."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Restore defaults"),
            self.tr(
                "Put every setting in this dialog back to its default, including the engine "
                "and the service address? Nothing is saved until you press OK."
            ),
            QMessageBox.StandardButton.RestoreDefaults | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda answer: self._restore_answered(box, answer))
        self.defaults_question = box
        box.open()

    def _restore_answered(self, box: QMessageBox, answer: int) -> None:
        if self.defaults_question is box:
            self.defaults_question = None
        if answer == QMessageBox.StandardButton.RestoreDefaults:
            self.restore_defaults()

    def restore_defaults(self) -> None:
        self.connection.clear()  # its verdict was about the address now replaced
        self.load(Settings())

    def accept(self) -> None:
        output_folder = self.general_page.output_folder_edit
        if self.general_page.folder_radio.isChecked() and not output_folder.text().strip():
            self.tabs.setCurrentIndex(2)
            output_folder.setFocus()
            output_folder.setPlaceholderText(self.tr("Choose a folder for the results"))
            return
        self.connection.stop()
        super().accept()

    def reject(self) -> None:
        self.connection.stop()
        super().reject()
