"""Help → About Models: what the learned engine is, how it was trained and how well it does.

Field staff decide how far to trust a mask from this page, so it shows the model card
that training wrote (figures measured on held-out tiles), not a summary of it. A model the
user brought is described from its own sidecar and card, when it has one. Both are read
on a worker: a user's model may sit on a slow network share.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
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
from ..scheduling.pools import intake_pool
from ..scheduling.tasks import run_in_pool


@dataclass(frozen=True)
class ModelDescription:
    """What was found beside a model: its card, else its sidecar, else why neither."""

    card: str | None = None
    sidecar: str | None = None
    problem: str | None = None


def read_model_description(model: Path) -> ModelDescription:
    """The Markdown card beside a model (``<model>.md``), else its sidecar as JSON text."""
    try:
        return ModelDescription(card=model.with_suffix(".md").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        pass
    try:
        data = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return ModelDescription(problem=str(exc))
    return ModelDescription(sidecar=json.dumps(data, indent=2))


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
        browser.setPlainText(self.tr("Reading the model's description…"))
        self.tabs.addTab(browser, title)
        run_in_pool(
            intake_pool(),
            lambda _handle: read_model_description(model),
            context=browser,
            on_done=lambda found: browser.setMarkdown(self._markdown(model, found)),
            key="model card",
        )

    def _markdown(self, model: Path, found: ModelDescription) -> str:
        if found.card is not None:
            return found.card
        if found.sidecar is not None:
            return f"# {model.name}\n\n```json\n{found.sidecar}\n```\n"
        reason = self.tr("Its description file could not be read: {reason}.").format(
            reason=found.problem
        )
        return f"# {model.name}\n\n{reason}\n"
