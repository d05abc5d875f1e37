"""An item's warnings are coded messages: the report, the log and the command line keep
today's English, while the journal, the record store and report.json keep the code and
parameters the window translates; records written before warnings had codes still load."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from oilspill_desktop.core.jobs.journal import JobJournal
from oilspill_desktop.core.jobs.record_store import RecordStore
from oilspill_desktop.core.messages import Message, plain, say
from oilspill_desktop.core.model import ItemRecord, ItemStatus
from oilspill_desktop.core.results.report import InputFacts, JobReport

MULTILOOKED = say("warn.multilooked", width=12000, height=9000, factor=3)
WINDOWS = say("warn.scene_windows_reduced_geo", width=40000, height=30000, count=12, factor=4)


def warned(*warnings: Message) -> ItemRecord:
    return ItemRecord(
        path="scene.tif", status=ItemStatus.OK, member_index=0, warnings=list(warnings)
    )


@pytest.mark.parametrize(
    ("message", "english"),
    [
        (say("warn.nodata", share="4"), "4% of the pixels hold no data and are shown black."),
        (
            say("warn.nodata_little"),
            "less than 1% of the pixels hold no data and are shown black.",
        ),
        (say("warn.band_used_named", band=2, label="VH", bands=2), "Band 2 (VH) of 2 was used."),
        (say("warn.band_used", band=1, bands=3), "Band 1 of 3 was used."),
        (
            say("warn.decibels_scaled", scale="100"),
            "The signed values were read as decibels × 100.",
        ),
        (say("warn.decibels"), "The signed values were read as decibels."),
        (
            MULTILOOKED,
            "The 12000x9000 scene was averaged 3x3 before segmentation (multilooked), so "
            "slicks narrower than that are not resolved.",
        ),
        (
            WINDOWS,
            "The 40000x30000 scene was segmented in 12 windows; its overlay, thumbnail, "
            "slicks and areas are made from a copy reduced 4x4.",
        ),
        (
            say("warn.scene_windows", width=20000, height=20000, count=9),
            "The 20000x20000 scene was segmented in 9 windows.",
        ),
        (
            say("warn.wide_values_unused", depth="16-bit", limit="4,000,000"),
            "The image's 16-bit values were not used because it has more than 4,000,000 "
            "pixels; the engine segmented its 8-bit display stretch, which can make calm "
            "areas look like oil.",
        ),
        (
            say("warn.carried_over", engine="classical"),
            "segmented by classical before the job switched engine",
        ),
    ],
)
def test_each_warning_says_the_english_it_said_before_it_had_a_code(
    message: Message, english: str
) -> None:
    assert message.text == english
    assert message.code is not None and message.code.startswith("warn.")


def test_coded_warnings_survive_the_journal_and_the_record_store(tmp_path: Path) -> None:
    record = warned(MULTILOOKED, plain("A sentence without a code."), WINDOWS)
    journal = JobJournal(tmp_path / "journal.jsonl", fsync=False)
    journal.append(record)
    journal.close()
    (journalled,) = JobJournal(tmp_path / "journal.jsonl").records()
    assert journalled.warnings == record.warnings
    assert [w.code for w in journalled.warnings] == [
        "warn.multilooked",
        None,
        "warn.scene_windows_reduced_geo",
    ]
    assert journalled.warnings[2].params == {
        "width": 40000,
        "height": 30000,
        "count": 12,
        "factor": 4,
    }
    store = RecordStore(1)
    store.put(record)
    assert store[0].warnings == record.warnings


def test_the_reports_keep_english_warnings_and_report_json_adds_their_codes() -> None:
    record = warned(MULTILOOKED, plain("A sentence without a code."))
    report = JobReport(InputFacts("in.zip", 1, "0" * 64), "model", None, "t0", "t1", [record])
    stream = io.BytesIO()
    report.write_json(stream)
    (item,) = json.loads(stream.getvalue())["items"]
    assert item["warnings"] == [MULTILOOKED.text, "A sentence without a code."]
    assert item["warning_codes"] == [
        {"code": "warn.multilooked", "params": {"width": 12000, "height": 9000, "factor": 3}},
        None,
    ]
    assert ItemRecord.from_json(item).warnings == record.warnings  # the viewer reads it back
    stream = io.BytesIO()
    report.write_csv(stream)
    (row,) = csv.DictReader(io.StringIO(stream.getvalue().decode("utf-8-sig")))
    assert row["warnings"] == f"{MULTILOOKED.text}; A sentence without a code."
    assert "warning_codes" not in row


def test_a_record_written_before_warnings_had_codes_loads_its_english() -> None:
    old = {
        "path": "scene.tif",
        "status": "ok",
        "warnings": ["The TIFF holds 3 pages; only the first is used."],
    }
    (warning,) = ItemRecord.from_json(old).warnings
    assert warning == Message("The TIFF holds 3 pages; only the first is used.")
    assert warning.code is None


@pytest.mark.parametrize(
    "codes",
    [
        [],  # not one for each sentence
        [{"code": "warn.tiff_pages"}, None],
        "warn.tiff_pages",
        [{"code": 7, "params": {"count": 3}}],
        [["warn.tiff_pages", {"count": 3}]],
    ],
)
def test_codes_that_do_not_fit_leave_the_english_as_it_is(codes: object) -> None:
    data = {
        "path": "scene.tif",
        "status": "ok",
        "warnings": ["The TIFF holds 3 pages; only the first is used."],
        "warning_codes": codes,
    }
    (warning,) = ItemRecord.from_json(data).warnings
    assert warning == plain("The TIFF holds 3 pages; only the first is used.")


def test_parameters_that_are_not_text_or_numbers_are_dropped() -> None:
    data = {
        "path": "scene.tif",
        "status": "ok",
        "warnings": ["The TIFF holds 3 pages; only the first is used."],
        "warning_codes": [{"code": "warn.tiff_pages", "params": {"count": 3, "odd": [1]}}],
    }
    (warning,) = ItemRecord.from_json(data).warnings
    assert warning.code == "warn.tiff_pages" and warning.params == {"count": 3}
