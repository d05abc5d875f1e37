"""The disk fills up, the input moves under the job's feet, the process is killed.

What must hold each time: the job stops (or finishes) with a sentence that says what
happened, nothing already finished is lost, running again sends only what is missing, and
no results zip ever describes content it did not process. Faults of the disk are injected
where the app writes (the cache's PNGs, the journal) with the errno a real full or
read-only disk gives; everything else is real: the scheduler, the HTTP engine, a server on
127.0.0.1 that counts what it is sent, and, for SIGKILL, the command in a subprocess.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import signal
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from pytestqt.qtbot import QtBot

from oilspill_desktop.core.config.paths import app_paths
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.jobs import journal as journal_module
from oilspill_desktop.core.jobs import workspace as workspace_module
from oilspill_desktop.core.jobs.job import JobRequest
from oilspill_desktop.core.jobs.journal import JobJournal
from oilspill_desktop.core.model import ItemStatus
from oilspill_desktop.scheduling.job_runner import JobOutcome, JobRunner, JobState
from oilspill_desktop.tools.synthetic import write_survey_zip
from tests.endpoint_server import FakeEndpoint

from .cli_helpers import kill_process_midway, read_report, run_cli, sha256

pytestmark = pytest.mark.integration

SIZE = (40, 40)


def http_settings(url: str, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "engine": "http",
        "endpoint": url,
        "connect_timeout": 1.0,
        "read_timeout": 5.0,
        "retries": 0,
        "workers": 2,
        "max_outage_minutes": 0.0,
    }
    values.update(changes)
    return Settings(**values)


def start_job(source: Path, settings: Settings) -> JobRunner:
    runner = JobRunner(JobRequest(source, settings, app_paths().ensure()), progress_interval_ms=20)
    runner.start()
    return runner


def wait_outcome(runner: JobRunner, qtbot: QtBot) -> JobOutcome:
    qtbot.waitUntil(lambda: runner.outcome is not None, timeout=30_000)
    qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=10_000)
    assert runner.outcome is not None
    return runner.outcome


def run_job(source: Path, settings: Settings, qtbot: QtBot) -> JobOutcome:
    return wait_outcome(start_job(source, settings), qtbot)


def sent_names(endpoint: FakeEndpoint, start: int = 0) -> list[str]:
    """The members' file names, without the unique suffix each upload's name carries."""
    return [
        re.sub(r"-[0-9a-f]{12}(\.\w+)$", r"\1", r.filename or "") for r in endpoint.received[start:]
    ]


def base(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def leftovers_beside(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def job_folders() -> list[Path]:
    jobs = app_paths().jobs_dir
    return sorted(p for p in jobs.iterdir() if p.is_dir()) if jobs.is_dir() else []


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not bad, [r.getMessage() for r in bad]
    assert "Traceback" not in caplog.text


# -- the disk fills up or turns read-only ---------------------------------------------------


class _FailingWrites:
    """A file whose writes fail with ``code`` once it is armed: the disk filled up."""

    def __init__(self, handle: IO[bytes], code: int) -> None:
        self._handle = handle
        self._code = code

    def write(self, data: bytes) -> int:
        self._handle.write(bytes(data)[: len(data) // 2])  # part of it made it to disk
        raise OSError(self._code, os.strerror(self._code))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


class Disk:
    """Lets ``room`` writes through, then fails every write with ``code`` until healed."""

    def __init__(self, room: int, code: int) -> None:
        self.room = room
        self.code = code
        self.healed = False
        self.failures = 0
        self._lock = threading.Lock()

    def allows_one(self) -> bool:
        with self._lock:
            if self.healed or self.room > 0:
                self.room -= 1
                return True
            self.failures += 1
            return False


def fill_cache_pngs(monkeypatch: pytest.MonkeyPatch, disk: Disk) -> None:
    """The cache's result PNGs hit the fault (the journal is left alone)."""
    real = workspace_module.atomic_write

    @contextlib.contextmanager
    def atomic_write(path: Path, *, fsync: bool = True) -> Iterator[Any]:
        with real(path, fsync=fsync) as handle:
            yield handle if disk.allows_one() else _FailingWrites(handle, disk.code)

    monkeypatch.setattr(workspace_module, "atomic_write", atomic_write)


def fill_journal(monkeypatch: pytest.MonkeyPatch, disk: Disk) -> None:
    """Appends to the job's journal hit the fault (PNGs are still written)."""

    def journal_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = open(file, mode, *args, **kwargs)  # noqa: SIM115 - handed to the journal
        if "a" not in mode:
            return handle

        class Appends:
            def write(self, data: bytes) -> int:
                if disk.allows_one():
                    return int(handle.write(data))
                return _FailingWrites(handle, disk.code).write(data)

            def __getattr__(self, name: str) -> Any:
                return getattr(handle, name)

        return Appends()

    monkeypatch.setattr(journal_module, "open", journal_open, raising=False)


@pytest.mark.parametrize(
    ("where", "code", "reason"),
    [
        ("pngs", errno.ENOSPC, "the disk is full"),
        ("pngs", errno.EDQUOT, "the disk quota is exceeded"),
        ("journal", errno.EROFS, "the file system is read-only"),
        ("journal", errno.ENOSPC, "the disk is full"),
    ],
)
def test_cache_fault_mid_job_stops_keeps_what_is_done_and_resumes(
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    where: str,
    code: int,
    reason: str,
) -> None:
    images = 12
    source = write_survey_zip(tmp_path / "survey.zip", images, size=SIZE, seed=2)
    # About five images' worth of writes (two PNGs or one journal line per image).
    disk = Disk(room=10 if where == "pngs" else 5, code=code)
    (fill_cache_pngs if where == "pngs" else fill_journal)(monkeypatch, disk)
    with FakeEndpoint("ok") as ep:
        first = run_job(source, http_settings(ep.url), qtbot)
        assert first.state is JobState.FAILED
        assert first.results_path is None
        message = first.message or ""
        assert message.startswith("Cannot write ") and f"{reason}." in message, message
        assert str(app_paths().jobs_dir) in message  # it names the folder that is full
        assert 0 < first.ok < images
        kept = f"The {first.ok} finished images are" if first.ok > 1 else "The finished image is"
        assert f"{kept} kept; run the job again to resume." in message
        codes = {errno.ENOSPC: "output.disk_full", errno.EDQUOT: "output.quota"}
        expected = codes.get(code, "output.read_only")
        assert [note.code for note in first.notes] == [expected, "job.kept"]
        assert first.failed == 0  # a full disk is not the images' fault
        assert disk.failures >= 1
        assert ep.requests < images  # it stopped instead of burning through the rest
        assert not any(p.name.endswith("_results.zip") for p in tmp_path.iterdir())
        assert leftovers_beside(tmp_path) == []

        (folder,) = job_folders()
        kept = {r.path for r in JobJournal(folder / "journal.jsonl").records()
                if r.status is ItemStatus.OK}  # fmt: skip
        assert len(kept) == first.ok
        assert not list(folder.rglob("*.part"))  # a failed write leaves no half file

        disk.healed = True  # room again
        sent_before = ep.requests
        second = run_job(source, http_settings(ep.url), qtbot)
        resent = sent_names(ep, sent_before)
    assert second.state is JobState.DONE, second.message
    assert (second.ok, second.failed) == (images, 0)
    assert sorted(resent) == sorted(
        f"scene_{i:03d}.png" for i in range(images) if f"survey/scene_{i:03d}.png" not in kept
    )
    assert second.results_path is not None
    report = read_report(second.results_path)
    assert report["counts"]["ok"] == images
    no_tracebacks(caplog)


# -- the input changes under the job --------------------------------------------------------


def test_input_deleted_mid_job_still_gives_complete_results(
    tmp_path: Path, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    """On Linux an open file outlives its name: everything is read and nothing is lost."""
    images = 10
    source = write_survey_zip(tmp_path / "survey.zip", images, size=SIZE, seed=4)
    with FakeEndpoint("latency", latency=0.05) as ep:
        runner = start_job(source, http_settings(ep.url))
        qtbot.waitUntil(lambda: ep.requests >= 3, timeout=10_000)
        source.unlink()
        outcome = wait_outcome(runner, qtbot)
        assert ep.requests == images
    assert outcome.state is JobState.DONE, outcome.message
    assert outcome.results_path == tmp_path / "survey_results.zip"
    report = read_report(outcome.results_path)
    assert report["counts"] == {"images": images, "ok": images, "failed": 0, "skipped": 0}
    assert leftovers_beside(tmp_path) == []
    no_tracebacks(caplog)


def other_survey(path: Path, images: int) -> bytes:
    """A different survey's bytes (written elsewhere first, then read)."""
    other = write_survey_zip(path.with_name("other.zip"), images, size=SIZE, seed=99)
    data = other.read_bytes()
    other.unlink()
    return data


@pytest.mark.parametrize("how", ["replaced", "rewritten in place"])
def test_input_changed_mid_job_fails_clearly_without_results(
    tmp_path: Path, qtbot: QtBot, caplog: pytest.LogCaptureFixture, how: str
) -> None:
    images = 10
    source = write_survey_zip(tmp_path / "survey.zip", images, size=SIZE, seed=4)
    new_content = other_survey(source, images + 3)
    with FakeEndpoint("latency", latency=0.05) as ep:
        runner = start_job(source, http_settings(ep.url))
        qtbot.waitUntil(lambda: ep.requests >= 3, timeout=10_000)
        if how == "replaced":  # a copy or a download that renames its file into place
            fresh = tmp_path / "survey.zip.new"
            fresh.write_bytes(new_content)
            os.replace(fresh, source)
        else:  # a tool that truncates and rewrites the same file
            with open(source, "r+b") as handle:
                handle.truncate(0)
                handle.write(new_content)
        outcome = wait_outcome(runner, qtbot)
    assert outcome.state is JobState.FAILED
    assert outcome.results_path is None
    assert "survey.zip changed while it was being processed" in (outcome.message or "")
    assert [p.name for p in tmp_path.iterdir()] == ["survey.zip"]  # no results, no .part
    no_tracebacks(caplog)

    with FakeEndpoint("ok") as ep:  # the new version is a new job, processed whole
        again = run_job(source, http_settings(ep.url), qtbot)
        assert ep.requests == images + 3
    assert again.state is JobState.DONE
    assert again.results_path is not None
    assert read_report(again.results_path)["input"]["sha256"] == sha256(source)


def test_input_rewritten_with_the_same_size_is_noticed(
    tmp_path: Path, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    images = 10
    source = write_survey_zip(tmp_path / "survey.zip", images, size=SIZE, seed=4)
    original = source.read_bytes()
    # Same members, same sizes, other pixels: flip the bits of every stored PNG's data.
    changed = bytearray(original)
    with zipfile.ZipFile(source) as bundle:
        for info in bundle.infolist():
            start = info.header_offset + 30 + len(info.orig_filename.encode()) + len(info.extra)
            for offset in range(start + 40, start + info.compress_size - 20):
                changed[offset] ^= 0x5A
    assert len(changed) == len(original) and bytes(changed) != original
    with FakeEndpoint("latency", latency=0.05) as ep:
        runner = start_job(source, http_settings(ep.url))
        qtbot.waitUntil(lambda: ep.requests >= 3, timeout=10_000)
        with open(source, "r+b") as handle:
            handle.write(changed)
        outcome = wait_outcome(runner, qtbot)
    assert outcome.results_path is None, "a results zip claims content it did not process"
    assert outcome.state is JobState.FAILED
    assert "changed while it was being processed" in (outcome.message or "")


# -- SIGKILL ------------------------------------------------------------------------------


def test_killed_mid_run_resumes_sending_only_what_was_in_flight(
    tmp_path: Path, app_home: Path
) -> None:
    images, workers = 40, 4
    source = write_survey_zip(tmp_path / "survey.zip", images, size=SIZE, seed=6)
    with FakeEndpoint("latency", latency=0.05) as ep:
        killed = kill_process_midway(
            app_home, ep, images // 3,
            "process", source, "--endpoint", ep.url, "--workers", str(workers), "--retries",
            "0", "-q",
        )  # fmt: skip
        assert killed.returncode == -signal.SIGKILL
        time.sleep(0.2)  # requests the dead process had sent are answered into the void
        first = sent_names(ep)
        assert len(first) < images, "the job finished before it could be killed"
        assert not (tmp_path / "survey_results.zip").exists()

        again = run_cli(
            "process", source, "--endpoint", ep.url, "--workers", str(workers), "-v",
            home=app_home,
        )  # fmt: skip
        second = sent_names(ep, len(first))
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    found = re.search(r"Resuming survey\.zip: (\d+) of 40 images already done", again.stderr)
    assert found, again.stderr
    resumed = int(found.group(1))
    assert resumed > 0
    assert len(second) == images - resumed  # only the unfinished went out again
    counts = Counter(first + second)
    assert sorted(counts) == sorted(f"scene_{i:03d}.png" for i in range(images))
    sent_twice = [name for name, n in counts.items() if n > 1]
    assert len(sent_twice) <= workers  # at most the images in flight at the kill
    assert len(first) - resumed <= workers
    report = read_report(tmp_path / "survey_results.zip")
    assert report["counts"] == {"images": images, "ok": images, "failed": 0, "skipped": 0}
    assert {base(i["path"]) for i in report["items"]} == set(counts)
    assert leftovers_beside(tmp_path) == []
