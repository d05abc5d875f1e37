"""The summary of report.json: what the rows add up to, oil first."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

from oilspill_desktop.core.model import ItemRecord, ItemStatus
from oilspill_desktop.core.results.report import (
    FAILED_NAMES_KEPT,
    InputFacts,
    JobReport,
    ReportSummary,
)


def ok(name: str, oil: int, width: int = 10, height: int = 10) -> ItemRecord:
    return ItemRecord(
        path=name,
        status=ItemStatus.OK,
        width=width,
        height=height,
        oil_pixels=oil,
        oil_fraction=oil / (width * height),
    )


def failed(name: str) -> ItemRecord:
    return ItemRecord(path=name, status=ItemStatus.FAILED)


def report_of(items: object) -> JobReport:
    return JobReport(
        input=InputFacts("survey.zip", 1, "0" * 64),
        engine="classical",
        endpoint=None,
        started="2026-01-01T00:00:00Z",
        finished="2026-01-01T00:01:00Z",
        items=items,  # type: ignore[arg-type]
    )


def written(report: JobReport) -> dict[str, object]:
    stream = io.BytesIO()
    report.write_json(stream)
    return json.loads(stream.getvalue().decode("utf-8"))  # type: ignore[no-any-return]


def test_summary_counts_oil_among_the_images_that_succeeded() -> None:
    rows = [
        ok("a.png", 10),
        ok("b.png", 0, width=20, height=5),
        ok("c.png", 30),
        failed("d.png"),
        ItemRecord(path="e.txt", status=ItemStatus.SKIPPED),
    ]
    report = report_of(rows)
    summary = written(report)["summary"]
    assert summary == {
        "images": 4,
        "ok": 3,
        "failed": 1,
        "skipped": 1,
        "with_oil": 2,
        "oil_pixels": 40,
        "oil_fraction": 40 / 300,
        "georeferenced": 0,
        "oil_area_km2": None,
    }
    assert report.summary is not None
    assert report.summary.failed_names == ["d.png"]
    assert report.to_json()["summary"] == summary


def test_summary_of_an_empty_report_is_zero_not_a_division_by_zero() -> None:
    data = written(report_of([]))
    assert data["items"] == []
    assert data["summary"] == {
        "images": 0,
        "ok": 0,
        "failed": 0,
        "skipped": 0,
        "with_oil": 0,
        "oil_pixels": 0,
        "oil_fraction": 0.0,
        "georeferenced": 0,
        "oil_area_km2": None,
    }
    assert data["oil_area_km2"] is None


def test_summary_agrees_with_the_counts_and_the_rows() -> None:
    rows = [ok(f"{i}.png", i % 3) for i in range(9)] + [failed("x.png")]
    data = written(report_of(rows))
    summary = data["summary"]
    assert isinstance(summary, dict)
    assert {k: summary[k] for k in ("images", "ok", "failed", "skipped")} == data["counts"]
    items = data["items"]
    assert isinstance(items, list)
    assert summary["with_oil"] == sum(1 for item in items if item["oil_pixels"])
    assert summary["oil_pixels"] == sum(item["oil_pixels"] or 0 for item in items)


class OnePass:
    """Rows made as they are read, one at a time, never kept: as a job's rows are."""

    def __init__(self, count: int) -> None:
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[ItemRecord]:
        for i in range(self.count):
            yield failed(f"f{i}.png") if i % 4 == 0 else ok(f"{i}.png", i % 2)


def test_summary_keeps_only_the_first_failed_names_of_many() -> None:
    rows = OnePass(400)
    report = report_of(rows)
    written(report)
    summary = report.summary
    assert summary is not None
    assert summary.failed == 100
    assert summary.failed_names == [f"f{i}.png" for i in range(0, 4 * FAILED_NAMES_KEPT, 4)]
    assert (summary.ok, summary.with_oil) == (300, 200)  # every odd row holds oil


def test_ok_image_without_size_adds_no_area() -> None:
    summary = ReportSummary()
    summary.add(ItemRecord(path="a.png", status=ItemStatus.OK, oil_pixels=None))
    assert (summary.ok, summary.with_oil, summary.oil_fraction) == (1, 0, 0.0)
