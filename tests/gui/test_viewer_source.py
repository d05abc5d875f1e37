"""Where the viewer reads from: results zips, job folders, and the input found again."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from oilspill_desktop.core.config.paths import app_paths
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.workspace import JobWorkspace, job_key
from oilspill_desktop.core.model import ItemStatus, Limits
from oilspill_desktop.ui.viewer.originals import (
    OriginalsState,
    find_input,
    open_originals,
    verify_hash,
)
from oilspill_desktop.ui.viewer.results_source import (
    FolderResultsSource,
    ResultsError,
    ResultsInfo,
    ZipResultsSource,
    parse_report,
)

from .viewer_fixtures import ResultsFixture, results, write_results

__all__ = ["results"]


def test_zip_source_reads_the_report_and_members(results: ResultsFixture) -> None:
    source = ZipResultsSource(results.results)
    info = source.info
    assert info.input_name == "survey.zip"
    assert info.input_size == results.input.stat().st_size
    assert info.engine == "builtin" and info.endpoint is None
    assert [r.path for r in info.images] == [r.path for r in results.records]
    assert info.images[3].status is ItemStatus.FAILED
    assert source.read(results.records[0].mask).startswith(b"\x89PNG")
    with pytest.raises(ResultsError, match="missing from the results zip"):
        source.read("masks/nothing.png")
    for bad in ("../report.json", "/etc/passwd", "masks\\x.png", ""):
        with pytest.raises(ResultsError, match="not valid"):
            source.read(bad)
    source.close()
    with pytest.raises(ResultsError):
        source.read(results.records[0].mask)


def test_unreadable_rows_are_counted_not_fatal() -> None:
    data = {
        "input": {"name": "a.zip", "size": 10, "sha256": "ab"},
        "engine": "http",
        "endpoint": "http://127.0.0.1:9/segment",
        "items": [
            {"path": "a.png", "status": "ok", "mask": "masks/a.png", "member_index": 0},
            {"path": "b.png", "status": "exploded"},
            "not an object",
            {"status": "ok"},
            {"path": "notes.txt", "status": "skipped", "error": "not an image (.txt)"},
        ],
    }
    info = parse_report(data, title="x", results_path=None)
    assert [r.path for r in info.images] == ["a.png"]
    assert info.unreadable_rows == 3
    assert info.skipped == 1
    assert info.endpoint == "http://127.0.0.1:9/segment"


def test_folder_source_says_when_a_file_went_away(tmp_path: Path) -> None:
    (tmp_path / "masks").mkdir()
    (tmp_path / "masks" / "a.png").write_bytes(b"png")
    source = FolderResultsSource(tmp_path, ResultsInfo(title="job"))
    assert source.read("masks/a.png") == b"png"
    with pytest.raises(ResultsError, match="no longer in the job's working folder"):
        source.read("masks/b.png")
    with pytest.raises(ResultsError, match="not valid"):
        source.read("../outside.png")


def test_report_bigger_than_a_report_is_refused(tmp_path: Path, monkeypatch) -> None:
    from oilspill_desktop.ui.viewer import results_source

    path = tmp_path / "r.zip"
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("report.json", json.dumps({"items": []}) + " " * 200)
    monkeypatch.setattr(results_source, "MAX_REPORT_BYTES", 100)
    with pytest.raises(ResultsError, match="too large to be a report"):
        ZipResultsSource(path)


def test_input_is_found_beside_the_results_or_where_the_job_ran(tmp_path: Path) -> None:
    fixture = write_results(tmp_path / "first", count=2)
    info = ZipResultsSource(fixture.results).info
    path, problem = find_input(info)
    assert path == fixture.input and problem is None

    # results copied elsewhere: the job's folder in the cache remembers the input
    moved = tmp_path / "elsewhere" / fixture.results.name
    moved.parent.mkdir()
    shutil.copy(fixture.results, moved)
    info = ZipResultsSource(moved).info
    assert find_input(info)[0] is None
    folder = app_paths().jobs_dir / job_key(info.input_sha256, info.engine, info.endpoint)
    JobWorkspace(folder, fsync=False).create({"input": str(fixture.input)})
    path, problem = find_input(info)
    assert path == fixture.input and problem is None

    # a file of another size under the right name is not taken for the input
    fixture.input.write_bytes(b"something else")
    path, problem = find_input(ZipResultsSource(fixture.results).info)
    assert path is None and problem is not None
    assert problem.state is OriginalsState.CHANGED


def test_hash_check_and_reading_originals(results: ResultsFixture) -> None:
    info = ZipResultsSource(results.results).info
    assert verify_hash(results.input, info.input_sha256, CancelToken()) is None
    problem = verify_hash(results.input, "0" * 64, CancelToken())
    assert problem is not None and problem.state is OriginalsState.CHANGED
    originals = open_originals(results.input, Limits())
    record = info.images[0]
    pixels, size = originals.read_preview(record.member_index, record.path, CancelToken())
    assert pixels.size == size == (64, 48) and pixels.mode == "L"  # under the display limit
    with pytest.raises(Exception, match="not in the input archive"):
        originals.read_preview(record.member_index, "another/name.png", CancelToken())
    originals.close()
