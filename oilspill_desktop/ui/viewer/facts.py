"""The selected image's facts, as the report gives them, and the analyst's verdict.

Long names (Sentinel-1 scenes run to 70 characters without a space) may break after any
``/``, ``_``, ``-`` or ``.``, so the panel wraps them instead of growing past the window.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from ...core.model import ItemRecord, ItemStatus
from ...core.results.review import Review
from ..core_messages import record_error, record_warnings
from .item_model import verdict_name

ZWSP = "\u200b"
"""A zero-width space: where a long name may break."""
_BREAKS = re.compile(r"([/_\-.:?&=])")


def breakable(text: str) -> str:
    """``text`` with a place to break after each separator (shown the same)."""
    return _BREAKS.sub(lambda m: m.group(1) + ZWSP, text)


class FactsPanel(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Image"))
        self._form = QFormLayout(self)
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QLabel] = {}
        for key, label in (
            ("path", self.tr("File")),
            ("status", self.tr("Status")),
            ("size", self.tr("Size")),
            ("shown", self.tr("Shown at")),
            ("oil_pixels", self.tr("Oil pixels")),
            ("oil_fraction", self.tr("Oil fraction")),
            ("kind", self.tr("Result")),
            ("engine", self.tr("Engine")),
            ("time", self.tr("Time")),
            ("attempts", self.tr("Attempts")),
            ("warnings", self.tr("Warnings")),
            ("error", self.tr("Error")),
            ("verdict", self.tr("Verdict")),
            ("note", self.tr("Note")),
        ):
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._form.addRow(label, value)
            self.fields[key] = value
        self.show_record(None, "", None)

    def text(self, key: str) -> str:
        return self.fields[key].text().replace(ZWSP, "")

    def _set(self, key: str, text: str) -> None:
        self.fields[key].setText(breakable(text))
        self._form.setRowVisible(self.fields[key], bool(text))

    def show_record(
        self,
        record: ItemRecord | None,
        engine: str,
        endpoint: str | None,
        model: str | None = None,
    ) -> None:
        if record is None:
            for key in self.fields:
                self._set(key, "")
            self._set("path", self.tr("No image selected"))
            return
        ok = record.status is ItemStatus.OK
        locale = QLocale()
        self._set("path", record.path)
        self._set("status", self.tr("OK") if ok else self.tr("Failed"))
        size = ""
        if record.width and record.height:
            size = self.tr("{w} × {h} pixels").format(
                w=locale.toString(record.width), h=locale.toString(record.height)
            )
        self._set("size", size)
        self._set("shown", "")
        pixels = record.oil_pixels
        self._set("oil_pixels", locale.toString(pixels) if pixels is not None else "")
        fraction = record.oil_fraction
        self._set(
            "oil_fraction",
            f"{locale.toString(fraction * 100, 'f', 3)} %" if fraction is not None else "",
        )
        kinds = {
            "mask": self.tr("Mask (oil / no oil)"),
            "classes": self.tr("5-class map"),
            "overlay": self.tr("Annotated picture from the engine (no statistics)"),
        }
        kind = kinds.get(record.kind or "", "")
        if record.mask_source == "derived":
            # The engine painted its detections on the picture; the mask was read off them.
            kind = self.tr("Mask derived from the engine's annotated picture")
        self._set("kind", kind)
        if endpoint:
            engine_text = self.tr("ML endpoint {endpoint}").format(endpoint=endpoint)
        elif engine == "model":
            name = (model or "").split("@", 1)[0] or self.tr("bundled")
            engine_text = self.tr("Learned model {name} (offline)").format(name=name)
        elif engine in ("classical", "builtin"):
            engine_text = self.tr("Classical detector (offline)")
        else:
            engine_text = engine
        self._set("engine", engine_text)
        self._set(
            "time",
            self.tr("{s} s").format(s=locale.toString(record.elapsed_ms / 1000, "f", 2))
            if record.elapsed_ms
            else "",
        )
        self._set("attempts", str(record.attempts) if record.attempts else "")
        self._set("warnings", "\n".join(record_warnings(record)))
        self._set("error", record_error(record))

    def show_scale(self, factor: int) -> None:
        """Whether the pictures are a reduced preview of the scene (a large scene's are)."""
        self._set(
            "shown",
            self.tr("1:{factor}, a reduced preview of the scene").format(factor=factor)
            if factor > 1
            else "",
        )

    def show_review(self, review: Review | None) -> None:
        """The analyst's verdict and note on the shown image (hidden when there is none)."""
        self._set("verdict", verdict_name(review.verdict) if review else "")
        self._set("note", review.note if review else "")
