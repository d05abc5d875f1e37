"""The job report: ``report.json`` for programs, ``report.csv`` with the same rows for people.

Both are rendered from one :class:`JobReport`, so they cannot disagree.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from .. import APP_NAME, __version__
from .model import ItemRecord, ItemStatus

CSV_COLUMNS = (
    "path",
    "status",
    "error",
    "width",
    "height",
    "oil_pixels",
    "oil_fraction",
    "mask",
    "overlay",
    "attempts",
    "elapsed_ms",
    "warnings",
)


@dataclass
class InputFacts:
    name: str
    size: int
    sha256: str


@dataclass
class JobReport:
    input: InputFacts
    engine: str
    endpoint: str | None
    started: str
    finished: str
    items: list[ItemRecord] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        statuses = [item.status for item in self.items]
        return {
            "images": sum(1 for s in statuses if s is not ItemStatus.SKIPPED),
            "ok": statuses.count(ItemStatus.OK),
            "failed": statuses.count(ItemStatus.FAILED),
            "skipped": statuses.count(ItemStatus.SKIPPED),
        }

    def to_json(self) -> dict[str, object]:
        return {
            "app": APP_NAME,
            "version": __version__,
            "input": {
                "name": self.input.name,
                "size": self.input.size,
                "sha256": self.input.sha256,
            },
            "engine": self.engine,
            "endpoint": self.endpoint,
            "started": self.started,
            "finished": self.finished,
            "counts": self.counts(),
            "items": [item.to_json() for item in self.items],
        }

    def json_bytes(self) -> bytes:
        return (json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    def csv_bytes(self) -> bytes:
        """UTF-8 with a BOM so that spreadsheet programs show Cyrillic names correctly."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for item in self.items:
            row = item.to_json()
            writer.writerow(
                [
                    "; ".join(item.warnings) if column == "warnings" else _cell(row[column])
                    for column in CSV_COLUMNS
                ]
            )
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}"
    return str(value)
