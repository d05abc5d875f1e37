"""The job report: ``report.json`` for programs, ``report.csv`` with the same rows for people.

Both are rendered from one :class:`JobReport`, so they cannot disagree. Its rows may be a
list or anything that can be iterated again and again (a job hands over rows read from
disk as they are written), so a report of 10,000 images never sits in memory at once.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Protocol, runtime_checkable

from ... import APP_NAME, __version__
from ..model import ItemRecord, ItemStatus
from .review import Review, ReviewKey, Verdict, review_key

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
    "crs",
    "pixel_size_m",
    "oil_area_km2",
    "slicks",
    "geo_mask",
)
REVIEW_COLUMNS = ("verdict", "note")
"""Added to the rows of reports exported with the analyst's verdicts."""


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


FAILED_NAMES_KEPT = 10
"""How many failed images a summary names; the rest are only counted."""


@dataclass
class ReportSummary:
    """What the rows add up to, gathered one row at a time while the report is written.

    It holds counts, sums and the names of the first few failed images, never the rows,
    so summing 10,000 rows costs what summing ten does.
    """

    images: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    with_oil: int = 0
    """Images that succeeded and hold at least one oil pixel."""
    oil_pixels: int = 0
    imaged_pixels: int = 0
    """All the pixels of the images that succeeded: what the oil is a share of."""
    oil_area_km2: float = 0.0
    """Oil on the ground, added up over the georeferenced images (see ``georeferenced``)."""
    georeferenced: int = 0
    """Images that succeeded with a georeference: those whose oil has an area."""
    failed_names: list[str] = field(default_factory=list)
    """The first :data:`FAILED_NAMES_KEPT` failed images, in the report's order."""

    def add(self, item: ItemRecord) -> None:
        if item.status is ItemStatus.SKIPPED:
            self.skipped += 1
            return
        self.images += 1
        if item.status is not ItemStatus.OK:
            self.failed += 1
            if len(self.failed_names) < FAILED_NAMES_KEPT:
                self.failed_names.append(item.path)
            return
        self.ok += 1
        oil = item.oil_pixels or 0
        self.with_oil += oil > 0
        self.oil_pixels += oil
        self.imaged_pixels += (item.width or 0) * (item.height or 0)
        if item.geo is not None and item.geo.oil_area_km2 is not None:
            self.georeferenced += 1
            self.oil_area_km2 += item.geo.oil_area_km2

    @property
    def oil_fraction(self) -> float:
        """Oil pixels over the pixels of the images that succeeded (0 when there are none)."""
        return self.oil_pixels / self.imaged_pixels if self.imaged_pixels else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "images": self.images,
            "ok": self.ok,
            "failed": self.failed,
            "skipped": self.skipped,
            "with_oil": self.with_oil,
            "oil_pixels": self.oil_pixels,
            "oil_fraction": self.oil_fraction,
            "georeferenced": self.georeferenced,
            "oil_area_km2": self.oil_area_km2 if self.georeferenced else None,
        }


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
    summary: ReportSummary | None = None
    """What the rows added up to when ``report.json`` was last written (or made)."""
    reviews: Mapping[ReviewKey, Review] | None = None
    """The analyst's verdicts, for a report exported from the viewer. ``None`` (a results
    zip's reports) means the file carries none: ``"review": null``, no verdict columns."""
    overlays: str | None = None
    """The overlay choice (``jpeg``, ``png``, ``none``); rows name each overlay file."""

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
        summary = ReportSummary()
        items = []
        for item in self.items:
            summary.add(item)
            items.append(self._row(item))
        self.summary = summary
        return {**self._head(), "items": items, **_tail(summary)}

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
            "overlays": self.overlays,
            "started": self.started,
            "finished": self.finished,
            "counts": self.counts(),
            "review": self._review_counts(),
        }

    def _review_counts(self) -> dict[str, int] | None:
        if self.reviews is None:
            return None
        verdicts = [review.verdict for review in self.reviews.values()]
        return {
            "reviewed": sum(1 for verdict in verdicts if verdict is not None),
            **{kind.value: verdicts.count(kind) for kind in Verdict},
        }

    def _row(self, item: ItemRecord) -> dict[str, object]:
        row = item.to_json()
        if self.reviews is not None:
            review = self.reviews.get(review_key(item))
            row["verdict"] = review.verdict.value if review and review.verdict else None
            row["note"] = review.note if review else ""
        return row

    def write_json(self, stream: IO[bytes]) -> None:
        """Stream ``report.json``: item by item, so 10,000 rows never sit in one string.

        The summary is added up from the rows as they go by and follows them; it is kept
        in :attr:`summary` for whoever reports the job's end.
        """
        summary = ReportSummary()
        text = json.dumps(self._head(), indent=2, ensure_ascii=False)
        stream.write(text[: text.rindex("}")].rstrip().encode("utf-8") + b',\n  "items": [')
        for index, item in enumerate(self.items):
            summary.add(item)
            row = json.dumps(self._row(item), indent=2, ensure_ascii=False).replace("\n", "\n    ")
            stream.write((",\n    " if index else "\n    ").encode("utf-8") + row.encode("utf-8"))
        stream.write(b"\n  ]" if summary.images + summary.skipped else b"]")
        tail = json.dumps(_tail(summary), indent=2, ensure_ascii=False)
        stream.write(b",\n  " + tail[1:].strip().encode("utf-8") + b"\n")
        self.summary = summary

    def write_csv(self, stream: IO[bytes]) -> None:
        """Stream ``report.csv``, UTF-8 with a BOM so spreadsheets show Cyrillic names."""
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        columns = CSV_COLUMNS + (REVIEW_COLUMNS if self.reviews is not None else ())
        writer.writerow(columns)
        for item in self.items:
            row = self._row(item)
            warnings = "; ".join(warning.text for warning in item.warnings)
            writer.writerow(
                [warnings if column == "warnings" else _cell(row[column]) for column in columns]
            )
        text.flush()
        text.detach()


def _tail(summary: ReportSummary) -> dict[str, object]:
    """What follows the rows: the total oil area on the ground (``None`` when no image was
    georeferenced), then the summary."""
    return {"oil_area_km2": summary.to_json()["oil_area_km2"], "summary": summary.to_json()}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}"
    return str(value)
