from __future__ import annotations

import itertools
import json
import os
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from oilspill_desktop.core.jobs import journal as journal_module
from oilspill_desktop.core.jobs.journal import JobJournal
from oilspill_desktop.core.jobs.workspace import (
    JobWorkspace,
    clean_cache,
    job_key,
    unfinished_jobs,
)
from oilspill_desktop.core.model import ItemRecord, ItemStatus


def ok_record(index: int, ws: JobWorkspace | None = None) -> ItemRecord:
    record = ItemRecord(
        path=f"a/{index}.png",
        status=ItemStatus.OK,
        width=4,
        height=4,
        oil_pixels=3,
        oil_fraction=3 / 16,
        mask=f"masks/a/{index}.png",
        overlay=f"overlays/a/{index}.png",
        attempts=1,
        member_index=index,
    )
    if ws is not None:
        ws.save_png(record.mask or "", Image.new("L", (4, 4)))
        ws.save_png(record.overlay or "", Image.new("RGB", (4, 4)))
    return record


def test_journal_round_trip_and_latest_wins(tmp_path: Path) -> None:
    journal = JobJournal(tmp_path / "journal.jsonl", fsync=False)
    first = ItemRecord(path="x.png", status=ItemStatus.FAILED, error="boom", member_index=0)
    journal.append(first)
    journal.append(ok_record(0))
    journal.append(ok_record(1))
    journal.close()
    records = dict(JobWorkspace(tmp_path, fsync=False).journalled_successes().items())
    assert records[0].status is ItemStatus.OK
    assert records[1].oil_fraction == 3 / 16
    assert len(records) == 2


def test_torn_last_line_is_dropped_and_appends_continue(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = JobJournal(path, fsync=False)
    journal.append(ok_record(0))
    journal.close()
    whole = json.dumps(ok_record(1).to_json()).encode()
    with open(path, "ab") as handle:
        handle.write(whole[: len(whole) // 2])  # the process died mid-write
    assert [r.member_index for r in JobJournal(path).records()] == [0]
    again = JobJournal(path, fsync=False)
    again.append(ok_record(2))
    again.close()
    assert sorted(r.member_index for r in JobJournal(path).records()) == [0, 2]


def test_finished_records_need_their_files(tmp_path: Path) -> None:
    ws = JobWorkspace(tmp_path / "job", fsync=False)
    ws.create({"sha256": "x"})
    ws.journal.append(ok_record(0, ws))
    ws.journal.append(ok_record(1, ws))
    ws.journal.append(ItemRecord(path="f.png", status=ItemStatus.FAILED, member_index=2))
    ws.journal.close()
    (ws.root / "masks/a/1.png").unlink()
    assert list(ws.finished_records()) == [0]


def test_save_png_leaves_no_temporary_files(tmp_path: Path) -> None:
    ws = JobWorkspace(tmp_path / "job", fsync=False)
    ws.save_png("masks/deep/er/x.png", Image.new("L", (3, 3), 255))
    files = sorted(p.name for p in (ws.root / "masks/deep/er").iterdir())
    assert files == ["x.png"]
    with Image.open(ws.root / "masks/deep/er/x.png") as image:
        assert image.getpixel((1, 1)) == 255


def test_job_key_depends_on_input_and_engine() -> None:
    a = job_key("a" * 64, "builtin", None)
    assert a == job_key("a" * 64, "builtin", None)
    assert a != job_key("b" * 64, "builtin", None)
    assert a != job_key("a" * 64, "http", "http://127.0.0.1:1/segment")


def test_job_key_knows_the_overlays_and_keeps_the_old_key_for_png() -> None:
    keys = {fmt: job_key("a" * 64, "model", "unet@1234", fmt) for fmt in ("jpeg", "png", "none")}
    assert len(set(keys.values())) == 3
    assert keys["png"] == job_key("a" * 64, "model", "unet@1234")  # jobs from before the choice


def test_a_jpeg_overlay_counts_only_when_whole(tmp_path: Path) -> None:
    ws = JobWorkspace(tmp_path / "job", fsync=False)
    record = ok_record(1)
    record.overlay = "overlays/a/1.jpg"
    ws.save_png(record.mask or "", Image.new("L", (4, 4)))
    ws.save_jpeg(record.overlay, Image.new("RGB", (4, 4), (0, 255, 255)))
    assert ws.has_files(record)
    path = ws.root / record.overlay
    whole = path.read_bytes()
    path.write_bytes(whole[:-10])  # a power cut before the end reached the disk
    assert not ws.has_files(record)
    path.write_bytes(b"\x89PNG" + whole)
    assert not ws.has_files(record)


def test_an_unfinished_job_remembers_its_overlays(tmp_path: Path) -> None:
    source = tmp_path / "in.zip"
    source.write_bytes(b"zip")
    jobs = tmp_path / "jobs"
    for name, meta in (("new", {"overlays": "none"}), ("old", {})):
        ws = JobWorkspace(jobs / name, fsync=False)
        ws.create({"input": str(source), "engine": "model", **meta})
        ws.journal.append(ok_record(1, ws))
        ws.journal.close()
    found = {job.root.name: job.overlays for job in unfinished_jobs(jobs)}
    assert found == {"new": "none", "old": "png"}


def _bytes_under(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def test_cache_size_and_clean_keep_unfinished_and_busy_jobs(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs"
    source = tmp_path / "in.zip"
    source.write_bytes(b"zip")
    done, unfinished = (
        JobWorkspace(jobs / "done", fsync=False),
        JobWorkspace(jobs / "open", fsync=False),
    )
    for ws in (done, unfinished):
        ws.create({"input": str(source), "engine": "builtin"})
        ok_record(0, ws)
    done.mark_done(tmp_path / "in_results.zip")
    assert _bytes_under(jobs) > 0
    assert clean_cache(jobs, older_than_days=1) == 0  # too recent
    assert [j.root.name for j in unfinished_jobs(jobs)] == []  # nothing journalled yet
    unfinished.journal.append(ok_record(0))
    unfinished.journal.close()
    assert [(j.root.name, j.finished) for j in unfinished_jobs(jobs)] == [("open", 1)]
    assert done.lock()
    assert clean_cache(jobs) == 0  # held by a running job
    done.unlock()
    assert clean_cache(jobs) > 0
    assert sorted(p.name for p in jobs.iterdir()) == ["open"]
    assert clean_cache(jobs, include_unfinished=True) > 0
    assert _bytes_under(jobs) == 0


def test_one_job_folder_has_one_owner(tmp_path: Path) -> None:
    first, second = (
        JobWorkspace(tmp_path / "j", fsync=False),
        JobWorkspace(tmp_path / "j", fsync=False),
    )
    first.create({})
    assert first.lock()
    assert not second.lock()
    first.unlock()
    assert second.lock()
    second.unlock()


def test_a_result_whose_bytes_never_reached_the_disk_is_redone(tmp_path: Path) -> None:
    ws = JobWorkspace(tmp_path / "job", fsync=False)
    ws.create({})
    ws.journal.append(ok_record(0, ws))
    ws.journal.append(ok_record(1, ws))
    ws.journal.close()
    damaged = ws.root / "overlays/a/1.png"
    damaged.write_bytes(damaged.read_bytes()[:-5])  # as after a power cut
    assert list(ws.finished_records()) == [0]


def test_journal_lines_reach_the_os_at_once_and_the_disk_every_interval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each line is in the file (safe from a killed process) when append returns; fsync
    runs at most once per interval, never makes other appends wait, and sync() (before
    the results are assembled) covers every line."""
    path = tmp_path / "j.jsonl"
    syncs: list[tuple[float, int]] = []  # (start time, file size then)
    in_fsync = threading.Event()
    appended_meanwhile: list[int] = []
    real_fsync = os.fsync

    def slow_fsync(fd: int) -> None:
        syncs.append((time.monotonic(), os.fstat(fd).st_size))
        in_fsync.set()
        time.sleep(0.03)  # a slow disk
        real_fsync(fd)
        in_fsync.clear()

    monkeypatch.setattr(journal_module.os, "fsync", slow_fsync)
    journal = JobJournal(path, sync_interval=0.05)
    missing: list[int] = []

    def worker(first: int) -> None:
        for index in range(first, first + 40):
            journal.append(ok_record(index))
            if f'"a/{index}.png"'.encode() not in path.read_bytes():
                missing.append(index)
            if in_fsync.is_set():
                appended_meanwhile.append(index)
            time.sleep(0.006)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n * 1000,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    assert missing == []
    assert appended_meanwhile, "appends waited for the fsync"
    assert 2 <= len(syncs) <= elapsed / 0.05 + 1
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(syncs)]
    assert min(gaps) >= 0.05 - 0.005
    journal.sync()
    assert syncs[-1][1] == path.stat().st_size  # the last fsync covered every line
    journal.close()
    assert len(list(JobJournal(path).records())) == 320
