"""The per-job working folder in the cache, where results land as each image finishes.

A job is known by its input's content (sha256) and the engine that runs it, so running the
same command again on the same archive finds the folder and carries on, and a changed
archive starts afresh. Each result file is written under a temporary name and renamed, and
only then journalled: a half-written result is never taken for a finished one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from PIL import Image

from ..atomic import atomic_write, describe_os_error, write_bytes_atomic
from ..errors import OutputError
from ..model import GeoFacts, ItemRecord, ItemStatus
from ..results.overlay_files import (
    JPEG_QUALITY,
    LEGACY_OVERLAYS,
    OverlayFormat,
    jpeg_file_is_complete,
    overlay_format,
)
from ..results.png import END as PNG_END
from ..results.png import SIGNATURE as PNG_SIGNATURE
from ..results.png import save_png
from .journal import JobJournal
from .record_store import RecordStore

MASKS = "masks"
OVERLAYS = "overlays"
GEO = "geo"


def job_key(
    input_sha256: str,
    engine: str,
    endpoint: str | None,
    overlays: OverlayFormat = LEGACY_OVERLAYS,
) -> str:
    """Stable name of a job's folder: the input's hash, the engine that ran it and the kind
    of overlays it keeps (a resume never mixes two kinds in one results zip).

    PNG overlays leave the key as it was before overlays were a choice, so jobs from then
    still resume, and their results still find their input.
    """
    identity = f"{engine}|{endpoint or ''}"
    if overlays != LEGACY_OVERLAYS:
        identity += f"|overlays={overlays}"
    engine_id = hashlib.sha256(identity.encode()).hexdigest()[:8]
    return f"{input_sha256[:24]}-{engine_id}"


@dataclass
class JobWorkspace:
    root: Path
    fsync: bool = True

    def __post_init__(self) -> None:
        self.journal = JobJournal(self.root / "journal.jsonl", fsync=self.fsync)
        self._lock: IO[bytes] | None = None

    def lock(self) -> bool:
        """Take the job's folder for this process; False when another job holds it.

        Two runs on one folder would be two writers of one journal, so the same archive
        queued twice (or open in two windows) runs once; the OS frees the lock if the
        process dies.
        """
        if self._lock is not None:
            return True
        handle = open(self.root / "lock", "a+b")  # noqa: SIM115 - held until unlock()
        if not try_lock_file(handle):
            handle.close()
            return False
        self._lock = handle
        return True

    def unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing the file releases the lock
            self._lock = None

    def remove_stale_parts(self) -> None:
        """Delete half-written files a killed process left (call with the lock held)."""
        for stale in self.root.rglob(".*.part"):
            with contextlib.suppress(OSError):
                stale.unlink()

    def mark_done(self, results: Path) -> None:
        """Remember that this job's results were written (so it is not offered for resume)."""
        data = json.dumps({"results": str(results), "finished": time.time()}).encode()
        write_bytes_atomic(self.root / "done.json", data)

    def is_done(self) -> bool:
        return (self.root / "done.json").is_file()

    def create(self, meta: dict[str, object]) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            meta_path = self.root / "job.json"
            if not meta_path.exists():
                write_bytes_atomic(meta_path, json.dumps(meta, indent=2).encode("utf-8"))
        except OSError as exc:
            raise OutputError(describe_os_error(exc, self.root)) from exc

    def meta(self) -> dict[str, object]:
        try:
            data = json.loads((self.root / "job.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def file_for(self, relative: str) -> Path:
        return self.root / relative

    def save_png(self, relative: str, image: Image.Image) -> None:
        """Write ``relative`` (e.g. ``masks/a/b.png``) atomically as a lossless PNG.

        The file is not flushed to disk one by one (that would double the cost of an
        image); the journal line that follows is. After a power cut, a result whose bytes
        never reached the disk fails :func:`png_is_complete` and is simply redone.
        """
        path = self.root / relative
        try:
            with atomic_write(path, fsync=False) as handle:
                save_png(image, handle)
        except OSError as exc:
            raise OutputError(describe_os_error(exc, path)) from exc

    def save_jpeg(self, relative: str, image: Image.Image) -> None:
        """Write ``relative`` atomically as a JPEG at :data:`JPEG_QUALITY` (an overlay), like
        :meth:`save_png`; Pillow encodes straight into the file, in C without the GIL."""
        path = self.root / relative
        try:
            with atomic_write(path, fsync=False) as handle:
                image.save(handle, format="JPEG", quality=JPEG_QUALITY)
        except OSError as exc:
            raise OutputError(describe_os_error(exc, path)) from exc

    @contextlib.contextmanager
    def writing(self, relative: str) -> Iterator[IO[bytes]]:
        """A handle that writes ``relative`` atomically, like :meth:`save_png`, for a file
        written a piece at a time (a large scene's mask); nothing is left if the block fails."""
        path = self.root / relative
        try:
            with atomic_write(path, fsync=False) as handle:
                yield handle
        except OSError as exc:
            raise OutputError(describe_os_error(exc, path)) from exc

    def save_file(self, relative: str, data: bytes) -> None:
        """Write ready-made bytes (a PNG kept as it came) like :meth:`save_png` writes."""
        write_bytes_atomic(self.root / relative, data, fsync=False)

    def journalled_successes(self, entries: int = 0) -> RecordStore:
        """Each member's latest journal record if it is a success: the one reader of "what
        is done" (a resume and the list of unfinished jobs both ask it).

        Streamed from the journal into a compact store (not a dict of records: a resumed
        100,000-image job would hold them all at once); ``entries`` is the archive's entry
        count when known. The caller checks them against the archive and the files, and
        closes the store.
        """
        done = RecordStore(entries)
        for record in self.journal.records():
            if record.member_index < 0:
                continue
            if record.status is ItemStatus.OK:
                done.put(record)
            else:
                done.remove(record.member_index)  # a later failure overrides a success
        return done

    def finished_records(self) -> dict[int, ItemRecord]:
        """Journalled successes whose files are still all present, by member index."""
        done = self.journalled_successes()
        try:
            return {index: done[index] for index in done if self.has_files(done[index])}
        finally:
            done.close()

    def has_files(self, record: ItemRecord) -> bool:
        """True when every result file ``record`` names is here and whole."""
        files = [name for name in (record.mask, record.overlay) if name]
        if not all(picture_is_complete(self.root / name) for name in files):
            return False
        return record.geo is None or self._has_geo_files(record.geo)

    def _has_geo_files(self, geo: GeoFacts) -> bool:
        """The mask GeoTIFF is there and the slicks file reads as JSON (power-cut proof)."""
        if geo.mask is None or geo.slicks_file is None:
            return True
        try:
            json.loads((self.root / geo.slicks_file).read_bytes())
            return (self.root / geo.mask).stat().st_size > 0
        except (OSError, ValueError):
            return False

    def touch(self) -> None:
        """Mark the job as used now (cache clean-up goes by this time)."""
        with contextlib.suppress(OSError):
            (self.root / "job.json").touch()

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())

    def remove(self) -> None:
        self.journal.close()
        shutil.rmtree(self.root, ignore_errors=True)


def try_lock_file(handle: IO[bytes]) -> bool:
    """Non-blocking exclusive lock on an open file, on POSIX and on Windows."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def picture_is_complete(path: Path) -> bool:
    """True when the result file at ``path`` (a PNG, or a JPEG overlay) is whole."""
    if path.suffix.lower() in (".jpg", ".jpeg"):
        return jpeg_file_is_complete(path)
    return png_is_complete(path)


def png_is_complete(path: Path) -> bool:
    """True when ``path`` starts and ends like a whole PNG (cheap: reads 20 bytes)."""
    try:
        with open(path, "rb") as handle:
            if handle.read(8) != PNG_SIGNATURE:
                return False
            handle.seek(-len(PNG_END), 2)
            return handle.read() == PNG_END
    except OSError:
        return False


def clean_cache(
    jobs_dir: Path, *, older_than_days: float | None = None, include_unfinished: bool = False
) -> int:
    """Remove finished jobs' folders unused for ``older_than_days`` (all when None).

    Unfinished jobs are kept for a resume unless ``include_unfinished``; a folder that a
    running job holds is never touched. Returns the bytes freed.
    """
    if not jobs_dir.is_dir():
        return 0
    freed = 0
    limit = None if older_than_days is None else time.time() - older_than_days * 86400
    for folder in jobs_dir.iterdir():
        if not folder.is_dir():
            continue
        workspace = JobWorkspace(folder, fsync=False)
        if not include_unfinished and not workspace.is_done():
            continue
        meta = folder / "job.json"
        stamp = meta.stat().st_mtime if meta.exists() else folder.stat().st_mtime
        if limit is not None and stamp > limit:
            continue
        if not workspace.lock():
            continue  # in use by a running job
        size = workspace.size_bytes()
        workspace.unlock()
        shutil.rmtree(folder, ignore_errors=True)
        freed += size
    return freed


@dataclass(frozen=True)
class UnfinishedJob:
    """A job that was interrupted (cancel, crash, power cut) and can be resumed."""

    root: Path
    input_path: Path
    engine: str
    endpoint: str | None
    finished: int
    modified: float
    overlays: OverlayFormat = LEGACY_OVERLAYS
    """The overlays it keeps (jobs from before the choice kept PNG)."""


def unfinished_jobs(jobs_dir: Path) -> list[UnfinishedJob]:
    """Interrupted jobs whose input is still where it was, newest first."""
    found: list[UnfinishedJob] = []
    if not jobs_dir.is_dir():
        return found
    for folder in jobs_dir.iterdir():
        workspace = JobWorkspace(folder, fsync=False)
        if not folder.is_dir() or workspace.is_done():
            continue
        meta = workspace.meta()
        source = meta.get("input")
        if not isinstance(source, str) or not Path(source).is_file():
            continue
        endpoint = meta.get("endpoint")
        journal = folder / "journal.jsonl"
        if not journal.exists():
            continue  # stopped before any image ended: nothing to resume
        found.append(
            UnfinishedJob(
                root=folder,
                input_path=Path(source),
                engine=str(meta.get("engine") or "builtin"),
                endpoint=endpoint if isinstance(endpoint, str) else None,
                finished=len(workspace.finished_records()),
                modified=journal.stat().st_mtime,
                overlays=overlay_format(meta.get("overlays", LEGACY_OVERLAYS)),
            )
        )
    return sorted(found, key=lambda job: job.modified, reverse=True)
