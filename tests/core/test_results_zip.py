from __future__ import annotations

import csv
import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from oilspill_desktop.core.errors import OutputError
from oilspill_desktop.core.jobs.workspace import JobWorkspace
from oilspill_desktop.core.messages import plain
from oilspill_desktop.core.model import ItemRecord, ItemStatus
from oilspill_desktop.core.results.report import InputFacts, JobReport
from oilspill_desktop.core.results.results_zip import (
    choose_output,
    holds_results_of,
    previous_path,
    write_results_zip,
)
from oilspill_desktop.core.results.review import review_path


def make_report(ws: JobWorkspace) -> JobReport:
    ws.save_png("masks/Снимки/a.png", Image.new("L", (5, 4), 255))
    ws.save_png("overlays/Снимки/a.png", Image.new("RGB", (5, 4)))
    items = [
        ItemRecord(
            path="Снимки/a.png",
            status=ItemStatus.OK,
            width=5,
            height=4,
            oil_pixels=20,
            oil_fraction=1.0,
            mask="masks/Снимки/a.png",
            overlay="overlays/Снимки/a.png",
            attempts=1,
            elapsed_ms=12,
            kind="mask",
            warnings=[plain("resized")],
        ),
        ItemRecord(path="b.png", status=ItemStatus.FAILED, error="The image could not be decoded."),
        ItemRecord(path="notes.txt", status=ItemStatus.SKIPPED, error="not an image (.txt)"),
    ]
    return JobReport(InputFacts("in.zip", 10, "ab" * 32), "builtin", None, "t0", "t1", items)


def test_results_zip_holds_masks_overlays_and_both_reports(tmp_path: Path) -> None:
    ws = JobWorkspace(tmp_path / "ws", fsync=False)
    report = make_report(ws)
    out = write_results_zip(tmp_path / "in_results.zip", report, ws)
    with zipfile.ZipFile(out) as bundle:
        assert bundle.testzip() is None
        names = set(bundle.namelist())
        assert len(names) == len(bundle.namelist())  # nothing written twice
        assert {"masks/Снимки/a.png", "overlays/Снимки/a.png", "report.json", "report.csv"} <= names
        data = json.loads(bundle.read("report.json"))
        rows = list(csv.DictReader(io.StringIO(bundle.read("report.csv").decode("utf-8-sig"))))
    assert data["counts"] == {"images": 2, "ok": 1, "failed": 1, "skipped": 1}
    assert data["input"] == {"name": "in.zip", "size": 10, "sha256": "ab" * 32}
    assert data["app"] == "Oil Spill Desktop"
    assert [item["status"] for item in data["items"]] == ["ok", "failed", "skipped"]
    assert [row["path"] for row in rows] == ["Снимки/a.png", "b.png", "notes.txt"]
    assert rows[0]["oil_pixels"] == "20"
    assert rows[0]["warnings"] == "resized"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_existing_results_are_never_overwritten(tmp_path: Path) -> None:
    ws = JobWorkspace(tmp_path / "ws", fsync=False)
    report = make_report(ws)
    target = tmp_path / "in_results.zip"
    target.write_bytes(b"precious")
    second = write_results_zip(target, report, ws)
    third = write_results_zip(target, report, ws)
    assert target.read_bytes() == b"precious"
    assert second.name == "in_results (2).zip"
    assert third.name == "in_results (3).zip"


def test_results_of_the_same_input_are_replaced_and_the_previous_kept_once(
    tmp_path: Path,
) -> None:
    ws = JobWorkspace(tmp_path / "ws", fsync=False)
    report = make_report(ws)
    target = tmp_path / "in_results.zip"
    first = write_results_zip(target, report, ws)
    first_bytes = first.read_bytes()
    report.finished = "t2"
    second = write_results_zip(target, report, ws)
    assert second == target
    assert previous_path(target).read_bytes() == first_bytes
    report.finished = "t3"
    second_bytes = target.read_bytes()
    assert write_results_zip(target, report, ws) == target
    assert previous_path(target).read_bytes() == second_bytes  # kept once, not piled up
    assert json.loads(zipfile.ZipFile(target).read("report.json"))["finished"] == "t3"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "in_results.previous.zip",
        "in_results.zip",
    ]


def test_verdicts_go_with_the_results_they_were_given_on(tmp_path: Path) -> None:
    ws = JobWorkspace(tmp_path / "ws", fsync=False)
    report = make_report(ws)
    target = tmp_path / "in_results.zip"
    write_results_zip(target, report, ws)
    review_path(target).write_text('{"verdicts": "on the first masks"}', encoding="utf-8")
    report.finished = "t2"
    write_results_zip(target, report, ws)
    assert not review_path(target).exists()  # the new masks start unreviewed
    moved = review_path(previous_path(target))
    assert moved.read_text(encoding="utf-8") == '{"verdicts": "on the first masks"}'


def test_results_of_another_input_are_not_replaced(tmp_path: Path) -> None:
    ws = JobWorkspace(tmp_path / "ws", fsync=False)
    report = make_report(ws)
    target = tmp_path / "in_results.zip"
    write_results_zip(target, report, ws)
    other = JobReport(InputFacts("in.zip", 10, "cd" * 32), "builtin", None, "t0", "t1", [])
    assert holds_results_of(target, "ab" * 32)
    assert not holds_results_of(target, "cd" * 32)
    assert write_results_zip(target, other, ws).name == "in_results (2).zip"
    assert not previous_path(target).exists()


def test_results_get_the_mode_of_a_saved_file(tmp_path: Path) -> None:
    ws = JobWorkspace(tmp_path / "ws", fsync=False)
    report = make_report(ws)
    old = os.umask(0o022)
    try:
        first = write_results_zip(tmp_path / "in_results.zip", report, ws)
        second = write_results_zip(tmp_path / "in_results.zip", report, ws)
        os.umask(0o077)
        private = write_results_zip(tmp_path / "private" / "in_results.zip", report, ws)
    finally:
        os.umask(old)
    assert stat.S_IMODE(first.stat().st_mode) == 0o644
    assert stat.S_IMODE(second.stat().st_mode) == 0o644
    assert stat.S_IMODE(private.stat().st_mode) == 0o600


def test_failure_mid_write_leaves_nothing(tmp_path: Path) -> None:
    ws = JobWorkspace(tmp_path / "ws", fsync=False)
    report = make_report(ws)
    (ws.root / "overlays/Снимки/a.png").unlink()  # a file vanished: the write must fail
    with pytest.raises(OutputError):
        write_results_zip(tmp_path / "out" / "in_results.zip", report, ws)
    assert list((tmp_path / "out").iterdir()) == []


def test_choose_output_beside_input_then_fallback(tmp_path: Path) -> None:
    source = tmp_path / "survey.zip"
    target = choose_output(source, explicit=None, folder=None, fallback_folder=tmp_path / "data")
    assert target.path == tmp_path / "survey_results.zip"
    assert target.fallback_reason is None


def test_unwritable_folder_falls_back(tmp_path: Path) -> None:
    """A path under a regular file can't be a folder, even for root."""
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    target = choose_output(
        tmp_path / "s.zip", explicit=None, folder=blocker / "sub", fallback_folder=tmp_path / "data"
    )
    assert target.path == tmp_path / "data" / "s_results.zip"
    assert target.fallback_reason is not None
