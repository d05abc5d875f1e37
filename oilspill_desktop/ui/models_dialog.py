"""Help → About Models: what the learned engine is, how it was trained and how well it does.

Field staff decide how far to trust a mask from this page, so it shows the model card
that training wrote (figures measured on held-out tiles), not a summary of it. A model the
user brought is described from its own sidecar and card, when it has one.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..core.config.resources import bundled_model
from ..core.config.settings import Settings


def model_card_text(model: Path) -> str | None:
    """The Markdown card beside a model (``<model>.md``), or ``None``."""
    try:
        return model.with_suffix(".md").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def sidecar_summary(model: Path) -> str:
    """A Markdown listing of a model's sidecar, for models that came without a card."""
    try:
        data = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"# {model.name}\n\nIts description file could not be read: {exc}."
    return f"# {model.name}\n\n```json\n{json.dumps(data, indent=2)}\n```\n"


class ModelsDialog(QDialog):
    """One tab per model: the bundled one, and the user's own when the settings name one."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelsDialog")
        self.setWindowTitle(self.tr("About Models"))
        unit = self.fontMetrics().height()
        self.resize(unit * 46, unit * 40)
        self.tabs = QTabWidget()
        bundled = bundled_model()
        self._add(self.tr("Bundled model"), bundled)
        if settings.model_path and Path(settings.model_path) != bundled:
            self._add(self.tr("Your model"), Path(settings.model_path))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _add(self, title: str, model: Path) -> None:
        browser = QTextBrowser()
        browser.setObjectName("modelCard")
        browser.setOpenExternalLinks(True)
        browser.setMarkdown(model_card_text(model) or sidecar_summary(model))
        self.tabs.addTab(browser, title)
