"""F1: how to use the window, the keyboard shortcuts, and what this build is."""

from __future__ import annotations

import html

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME, __version__
from ..core.config.paths import AppPaths
from .icons import app_pixmap


class HelpDialog(QDialog):
    """A short manual and the About box in one non-modal window."""

    def __init__(self, paths: AppPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle(self.tr("Help — {app}").format(app=APP_NAME))
        unit = self.fontMetrics().height()

        logo = QLabel()
        logo.setPixmap(app_pixmap(unit * 4, self.devicePixelRatioF()))
        title = QLabel(
            "<b style='font-size:large'>{}</b><br>{}".format(
                html.escape(APP_NAME),
                html.escape(self.tr("Version {version}").format(version=__version__)),
            )
        )
        title.setTextFormat(Qt.TextFormat.RichText)
        header = QHBoxLayout()
        header.setSpacing(unit)
        header.addWidget(logo)
        header.addWidget(title, 1)

        browser = QTextBrowser()
        browser.setOpenExternalLinks(True)
        browser.setHtml(self._manual(paths))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(unit, unit, unit, unit)
        layout.setSpacing(unit)
        layout.addLayout(header)
        layout.addWidget(browser, 1)
        layout.addWidget(buttons)
        self.resize(unit * 36, unit * 34)

    def _manual(self, paths: AppPaths) -> str:
        """The manual's page: how it works, the keyboard, where the app keeps its files."""
        esc = html.escape
        shortcuts = "".join(
            f"<tr><td style='padding-right:16px'><b>{esc(k)}</b></td><td>{esc(v)}</td></tr>"
            for k, v in self._shortcuts()
        )
        items = "".join(f"<li>{esc(s)}</li>" for s in self._steps())
        folders = [
            (self.tr("Settings"), paths.settings_file),
            (self.tr("Log files"), paths.log_dir),
            (self.tr("Working files"), paths.jobs_dir),
        ]
        places = "".join(
            f"<tr><td style='padding-right:16px'>{esc(k)}</td><td>{esc(str(v))}</td></tr>"
            for k, v in folders
        )
        built = self.tr("Built with Qt {qt} (PySide6 {pyside}).").format(
            qt=qVersion(), pyside=pyside_version
        )
        how = esc(self.tr("How it works"))
        keyboard = esc(self.tr("Keyboard"))
        where = esc(self.tr("Where things are"))
        return (
            f"<h3>{how}</h3><ol>{items}</ol>"
            f"<h3>{keyboard}</h3><table>{shortcuts}</table>"
            f"<h3>{where}</h3><table>{places}</table>"
            f"<p style='margin-top:12px'>{esc(built)}</p>"
        )

    def _shortcuts(self) -> list[tuple[str, str]]:
        """The window's keys and what they do."""
        return [
            ("Ctrl+O", self.tr("Open zip archives")),
            ("Ctrl+Shift+O", self.tr("Open a folder of images")),
            (self.tr("Space"), self.tr("Pause or resume the selected job")),
            ("Ctrl+R", self.tr("Retry the failed images of the selected job")),
            (self.tr("Enter"), self.tr("Open the results of the selected job")),
            ("Ctrl+M", self.tr("View the masks of the selected job")),
            (self.tr("Delete"), self.tr("Remove a finished job from the list")),
            ("Ctrl+L", self.tr("Show or hide the log")),
            ("Ctrl+,", self.tr("Settings")),
            ("F1", self.tr("This help")),
            ("Ctrl+Q", self.tr("Quit")),
        ]

    def _steps(self) -> list[str]:
        """How the app is used, in order."""
        return [
            self.tr(
                "Drop zip archives of survey images (PNG, JPEG, BMP, TIFF) anywhere on the "
                "window, or use File → Open archives. A folder of images, or images dropped "
                "together, become one job."
            ),
            self.tr(
                "Each job finds oil spills in every image and writes a results zip beside "
                "its input (or in the folder chosen in the settings): masks, overlays and a "
                "report in CSV and JSON."
            ),
            self.tr(
                "Images that fail are listed in the report; “Retry failed images” sends only "
                "them again. A job that was stopped resumes where it left off when run again."
            ),
            self.tr(
                "The built-in engine works offline. To use an ML service, choose it in "
                "Settings → Engine and press “Test connection”."
            ),
        ]
