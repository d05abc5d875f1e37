"""A job keeps a few bytes per image, not objects: the archive listing, the pending
members, the finished records and the results zip all grow flat with the archive's size.

These run the real job code (prepare, process, record, retry, finish) with an in-process
engine, and measure with tracemalloc what stays allocated.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import pathlib
import random
import tracemalloc
import zipfile
from pathlib import Path, PurePosixPath

from PIL import Image

from oilspill_desktop.core.config.paths import AppPaths
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.errors import ItemError
from oilspill_desktop.core.inputs.archive import InputArchive, _suffix
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.job import (
    NOT_PROCESSED,
    JobRequest,
    PreparedJob,
    prepare_job,
)
from oilspill_desktop.core.model import EngineAnswer, Limits, SourceImage
from tests import hostile_archives as hostile

PNG = hostile.png_bytes(4, 3)


class FakeEngine:
    """Answers an empty mask, or fails the images whose name is in ``refuse``."""

    engine = "builtin"
    endpoint = None

    def __init__(self, refuse: set[str] | None = None) -> None:
        self.refuse = refuse or set()

    def segment(self, image: SourceImage, cancel: CancelToken) -> EngineAnswer:
        # Not PurePosixPath: it interns every name, and growing the interpreter's intern
        # table would be counted as the job's memory.
        if image.path.rsplit("/", 1)[-1] in self.refuse:
            raise ItemError("The engine refused this one.")
        return EngineAnswer(Image.new("L", image.pixels.size, 0))

    def close(self) -> None:
        pass


def survey(path: Path, images: int, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as bundle:
        for name, data in (extra or {}).items():
            bundle.writestr(name, data)
        for index in range(images):
            bundle.writestr(f"survey/{index // 1000:03d}/scene_{index:05d}.png", PNG)
    return path


def prepared(tmp_path: Path, source: Path, engine: FakeEngine) -> PreparedJob:
    home = tmp_path / "home"
    paths = AppPaths(home / "config", home / "data", home / "cache", home / "logs").ensure()
    request = JobRequest(source, Settings(), paths, output_folder=tmp_path / "out")
    return prepare_job(request, CancelToken(), engine_factory=lambda _s: engine)


def kept_bytes(action: object, *, but_pathlib: bool = False) -> int:
    """Bytes still allocated after ``action()`` returns (its result is kept alive).

    ``but_pathlib`` leaves out what pathlib allocated: before 3.12 it interns the parts of
    every path it parses, and when Python's table of interned strings happens to resize
    inside the window, megabytes count as the job's, depending on what was imported before.
    """
    gc.collect()
    tracemalloc.start()
    try:
        result = action()  # type: ignore[operator]
        gc.collect()
        kept, _peak = tracemalloc.get_traced_memory()
        if but_pathlib:
            snapshot = tracemalloc.take_snapshot().filter_traces(
                [tracemalloc.Filter(False, pathlib.__file__)]
            )
            kept = sum(stat.size for stat in snapshot.statistics("filename"))
    finally:
        tracemalloc.stop()
    del result
    return kept


def test_suffix_is_pathlibs_suffix_without_pathlib() -> None:
    rng = random.Random(11)
    for _ in range(20000):
        text = "".join(rng.choice("ab./\\.X ") for _ in range(rng.randint(0, 9)))
        assert _suffix(text) == PurePosixPath(text.replace("\\", "/")).suffix.lower(), text


def test_an_open_archive_keeps_about_a_hundred_bytes_per_member(tmp_path: Path) -> None:
    count = 5000
    source = survey(tmp_path / "in.zip", count)
    archives: list[InputArchive] = []

    def open_it() -> None:
        archives.append(InputArchive(source, Limits()))

    kept = kept_bytes(open_it)
    archive = archives[0]
    try:
        assert len(archive.images) == count
        assert archive.images[count - 1].path == f"survey/004/scene_{count - 1:05d}.png"
        assert archive.read(archive.images[count - 1]) == PNG
    finally:
        archive.close()
    # The directory's bytes (~72 a member here) and ~100 bytes of rows; a ZipInfo and an
    # ArchiveMember alone cost ~800.
    assert kept < count * 250, kept


def test_records_and_pending_members_stay_flat_while_a_job_runs(tmp_path: Path) -> None:
    count = 1500
    job = prepared(tmp_path, survey(tmp_path / "in.zip", count), FakeEngine())
    try:
        pending = list(job.pending[:count])  # made now: their memory is not the job's
        assert len(pending) == count and len(job.pending) == count

        # The first images run code for the first time: what that keeps (caches, and the
        # lines coverage records under scripts/test.sh) is not the job's state.
        for member in pending[:10]:
            job.process(member, CancelToken())

        def run_all() -> None:
            for member in pending[10:]:
                job.process(member, CancelToken())

        # The workspace writes each result through pathlib (the job's files, not its state).
        kept = kept_bytes(run_all, but_pathlib=True)
        assert job.counts() == (count, 0) and len(job.records) == count
        # 9 bytes of store per entry and the odd buffer; a kept ItemRecord is ~900 bytes.
        assert kept < count * 60, kept
    finally:
        job.close()


def test_report_rows_retry_and_results_zip_from_the_store(tmp_path: Path) -> None:
    refused = {"scene_00001.png", "scene_00004.png"}
    extra = {"notes.txt": b"x", "survey/__MACOSX/._a.png": b"x"}
    job = prepared(tmp_path, survey(tmp_path / "in.zip", 6, extra), FakeEngine(refused))
    try:
        assert job.archive.skipped_count == 1 and job.total_images == 6
        for member in list(job.pending)[:5]:  # the last one is never processed
            job.process(member, CancelToken())
        assert job.counts() == (3, 2)
        failed = job.failed_members()
        assert [m.path.rsplit("/", 1)[1] for m in failed] == [
            "scene_00001.png",
            "scene_00004.png",
            "scene_00005.png",
        ]
        report = job.report()
        rows = list(report.items)
        statuses = [r.status.value for r in rows]
        assert statuses == ["skipped", "ok", "failed", "ok", "ok", "failed", "failed"]
        assert rows[0].error == "not an image (.txt)"
        assert rows[-1].error == NOT_PROCESSED.text
        assert rows[-1].error_code == "item.not_processed"
        assert rows[2].error == "The engine refused this one."
        assert report.counts() == {"images": 6, "ok": 3, "failed": 3, "skipped": 1}
        assert list(report.items) == rows  # every pass reads the same rows again

        # Retry the failed ones with an engine that accepts everything.
        job.engine = FakeEngine()
        for member in failed:
            job.forget(member.index)
        assert job.counts() == (3, 0)
        for member in failed:
            job.process(member, CancelToken())
        assert job.counts() == (6, 0) and list(job.failed_members()) == []
        results = job.finish()
    finally:
        job.close()
    with zipfile.ZipFile(results) as bundle:
        assert bundle.testzip() is None
        data = json.loads(bundle.read("report.json"))
        table = list(csv.DictReader(io.StringIO(bundle.read("report.csv").decode("utf-8-sig"))))
        names = set(bundle.namelist())
    assert data["counts"] == {"images": 6, "ok": 6, "failed": 0, "skipped": 1}
    assert [item["status"] for item in data["items"]] == ["skipped"] + ["ok"] * 6
    assert [row["path"] for row in table] == [item["path"] for item in data["items"]]
    assert {item["overlay"] for item in data["items"][1:]} <= names
    assert len([n for n in names if n.startswith("overlays/")]) == 6


def test_resuming_streams_the_journal_and_keeps_only_the_latest_successes(
    tmp_path: Path,
) -> None:
    """A resumed job reads its journal line by line into the compact store: a few dozen
    bytes per journalled image at the peak, not a record object (~900 bytes) each; and
    each member's latest line wins (a retry that failed overrides an earlier success)."""
    count = 3000
    source = survey(tmp_path / "in.zip", count)
    first = prepared(tmp_path, source, FakeEngine())
    try:
        for member in list(first.pending[:count]):
            first.process(member, CancelToken())
        third = next(m for m in first.archive.images if m.path.endswith("scene_00003.png"))
        first.engine = FakeEngine(refuse={"scene_00003.png"})
        first.process(third, CancelToken())
        workspace, entries = first.workspace, first.archive.entry_count
    finally:
        first.close()

    gc.collect()
    tracemalloc.start()
    try:
        done = workspace.journalled_successes(entries)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    try:
        assert len(done) == count - 1 and third.index not in done
        assert peak < 200_000 + count * 60, peak
    finally:
        done.close()

    again = prepared(tmp_path, source, FakeEngine())
    try:
        assert again.resumed == count - 1
        assert [m.path.rsplit("/", 1)[1] for m in again.pending] == ["scene_00003.png"]
    finally:
        again.close()
