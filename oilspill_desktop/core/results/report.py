"""The job report: ``report.json`` for programs, ``report.csv`` with the same rows for people.

Both are rendered from one :class:`JobReport`, so they cannot disagree. Its rows may be a
list or anything that can be iterated again and again (a job hands over rows read from
disk as they are written), so a report of 10,000 images never sits in memory at once.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Protocol, runtime_checkable

from ... import APP_NAME, __version__
from ..model import ItemRecord, ItemStatus

CSV_COLUMNS = (
    "path",
    "status",
    "error",
    "error_code",
    "width",
    "height",
    "oil_pixels",
    "oil_fraction",
    "mask",
    "mask_source",
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


class Rows(Protocol):
    """Report rows: sized, and iterable as many times as the report is written."""

    def __iter__(self) -> Iterator[ItemRecord]: ...

    def __len__(self) -> int: ...


@runtime_checkable
class CountedRows(Rows, Protocol):
    """Rows that can say what their statuses add up to without being read."""

    def counts(self) -> dict[str, int]: ...


@dataclass
class JobReport:
    input: InputFacts
    engine: str
    endpoint: str | None
    started: str
    finished: str
    items: Rows = field(default_factory=list)
    model: str | None = None
    """``<name>@<sha256 prefix>`` of the model for the learned engine: which weights answered."""

    def counts(self) -> dict[str, int]:
        if isinstance(self.items, CountedRows):
            return self.items.counts()
        statuses = [item.status for item in self.items]
        return {
            "images": sum(1 for s in statuses if s is not ItemStatus.SKIPPED),
            "ok": statuses.count(ItemStatus.OK),
            "failed": statuses.count(ItemStatus.FAILED),
            "skipped": statuses.count(ItemStatus.SKIPPED),
        }

    def to_json(self) -> dict[str, object]:
        return {**self._head(), "items": [item.to_json() for item in self.items]}

    def _head(self) -> dict[str, object]:
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
            "model": self.model,
            "started": self.started,
            "finished": self.finished,
            "counts": self.counts(),
        }

    def write_json(self, stream: IO[bytes]) -> None:
        """Stream ``report.json``: item by item, so 10,000 rows never sit in one string."""
        text = json.dumps(self._head(), indent=2, ensure_ascii=False)
        stream.write(text[: text.rindex("}")].rstrip().encode("utf-8") + b',\n  "items": [')
        for index, item in enumerate(self.items):
            row = json.dumps(item.to_json(), indent=2, ensure_ascii=False).replace("\n", "\n    ")
            stream.write((",\n    " if index else "\n    ").encode("utf-8") + row.encode("utf-8"))
        stream.write(b"\n  ]\n}\n" if self.items else b"]\n}\n")

    def write_csv(self, stream: IO[bytes]) -> None:
        """Stream ``report.csv``, UTF-8 with a BOM so spreadsheets show Cyrillic names."""
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for item in self.items:
            row = item.to_json()
            writer.writerow(
                [
                    "; ".join(item.warnings) if column == "warnings" else _cell(row[column])
                    for column in CSV_COLUMNS
                ]
            )
        text.flush()
        text.detach()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}"
    return str(value)
