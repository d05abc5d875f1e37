"""The verdicts file beside a results zip, and reports exported with verdicts."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from oilspill_desktop.core.errors import OutputError
from oilspill_desktop.core.model import ItemRecord, ItemStatus
from oilspill_desktop.core.results.report import InputFacts, JobReport
from oilspill_desktop.core.results.review import (
    ReviewError,
    ReviewFile,
    Verdict,
    review_path,
)

SHA = "ab" * 32


def test_path_beside_the_results(tmp_path: Path) -> None:
    assert review_path(tmp_path / "s_results.zip") == tmp_path / "s_results.review.json"


def test_verdicts_saved_at_once_and_read_back(tmp_path: Path) -> None:
    results = tmp_path / "s_results.zip"
    review = ReviewFile.open(results, SHA)
    assert len(review) == 0 and not review_path(results).exists()
    review.set((3, "a.png"), Verdict.CONFIRMED_OIL, "  wake of a tanker ")
    review.set((4, "b.png"), Verdict.LOOK_ALIKE, "")
    review.set((5, "c.png"), None, "look again in daylight")
    again = ReviewFile.open(results, SHA)
    assert again.get((3, "a.png")).verdict is Verdict.CONFIRMED_OIL  # type: ignore[union-attr]
    assert again.get((3, "a.png")).note == "wake of a tanker"  # type: ignore[union-attr]
    assert again.get((5, "c.png")).verdict is None  # type: ignore[union-attr]
    review.set((4, "b.png"), None, "")  # cleared: forgotten
    assert (4, "b.png") not in set(ReviewFile.open(results, SHA))
    assert [p.name for p in tmp_path.iterdir()] == ["s_results.review.json"]  # no .part left


def test_unreadable_file_refused_and_left_alone(tmp_path: Path) -> None:
    path = review_path(tmp_path / "r.zip")
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(ReviewError, match="cannot be read"):
        ReviewFile.open(tmp_path / "r.zip", SHA)
    path.write_text(json.dumps({"reviews": [{"path": "a"}]}), encoding="utf-8")
    with pytest.raises(ReviewError, match="not a verdicts file"):
        ReviewFile.open(tmp_path / "r.zip", SHA)
    assert path.read_text(encoding="utf-8") == json.dumps({"reviews": [{"path": "a"}]})


def test_file_of_another_survey_refused(tmp_path: Path) -> None:
    ReviewFile.open(tmp_path / "r.zip", SHA).set((0, "a"), Verdict.UNSURE, "")
    with pytest.raises(ReviewError, match="another input archive"):
        ReviewFile.open(tmp_path / "r.zip", "cd" * 32)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_failed_save_keeps_what_was_there(tmp_path: Path) -> None:
    review = ReviewFile.open(tmp_path / "r.zip", SHA)
    review.set((0, "a"), Verdict.UNSURE, "")
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(OutputError):
            review.set((0, "a"), Verdict.CONFIRMED_OIL, "")
    finally:
        tmp_path.chmod(0o700)
    assert review.get((0, "a")).verdict is Verdict.UNSURE  # type: ignore[union-attr]
    assert ReviewFile.open(tmp_path / "r.zip", SHA).get((0, "a")).verdict is Verdict.UNSURE  # type: ignore[union-attr]


def test_exported_reports_carry_verdict_and_note(tmp_path: Path) -> None:
    review = ReviewFile.open(tmp_path / "r.zip", SHA)
    review.set((0, "a.png"), Verdict.LOOK_ALIKE, "rain cell")
    items = [
        ItemRecord(path="a.png", status=ItemStatus.OK, oil_pixels=3, member_index=0),
        ItemRecord(path="b.png", status=ItemStatus.OK, oil_pixels=1, member_index=1),
    ]
    report = JobReport(InputFacts("in.zip", 1, SHA), "classical", None, "t0", "t1", items)
    report.reviews = review.reviews
    out = io.BytesIO()
    report.write_json(out)
    data = json.loads(out.getvalue())
    assert data["review"] == {
        "reviewed": 1,
        "confirmed_oil": 0,
        "look_alike": 1,
        "unsure": 0,
    }
    assert [(i["verdict"], i["note"]) for i in data["items"]] == [
        ("look_alike", "rain cell"),
        (None, ""),
    ]
    assert report.to_json()["items"][0]["verdict"] == "look_alike"  # type: ignore[index]
    out = io.BytesIO()
    report.write_csv(out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert [(r["verdict"], r["note"]) for r in rows] == [("look_alike", "rain cell"), ("", "")]
