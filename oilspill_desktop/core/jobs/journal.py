"""A per-job journal of finished items that survives a crash at any instant.

One JSON line per finished item, handed to the operating system before the item counts as
done, so a process killed at any instant (a crash, SIGKILL) loses nothing: the kernel
still writes the line. A process killed mid-append leaves at most one torn last line,
which :func:`read` drops. The journal object is the only writer of its file; workers
append through its lock.

Against a power cut, the journal is flushed to the disk (``fsync``) once a second while
items finish, by whichever worker appends once ``sync_interval`` has passed, without making
the others wait, and by :meth:`sync` before the results are assembled. An ``fsync`` per
line cost more than the network: on ext4 each one commits the metadata of every result
file written since, and eight workers queued for it one after another. A power cut can
now cost the last second of results, which the next run simply redoes: a result counts
only once it is journalled and its file is whole (:func:`workspace.png_is_complete`).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..atomic import describe_os_error
from ..errors import OutputError
from ..model import ItemRecord

log = logging.getLogger(__name__)


class JobJournal:
    def __init__(self, path: Path, *, fsync: bool = True, sync_interval: float = 1.0) -> None:
        self.path = path
        self._fsync = fsync
        self.sync_interval = sync_interval
        self._lock = threading.Lock()
        self._handle: IO[bytes] | None = None
        self._sync_lock = threading.Lock()
        """Held through an ``fsync``; taken before ``_lock`` when both are needed."""
        self._last_sync = time.monotonic()

    def records(self) -> Iterator[ItemRecord]:
        """Every record in the order written, one line at a time (memory stays flat however
        long the journal); a damaged line is skipped with a warning, a torn last one quietly.
        """
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed by the with below
        except FileNotFoundError:
            return
        damaged: int | None = None  # a bad line is only "torn" if nothing follows it
        with handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                if damaged is not None:
                    log.warning("Ignoring damaged line %d of %s", damaged, self.path)
                    damaged = None
                try:
                    record = ItemRecord.from_json(json.loads(line))
                except (ValueError, KeyError, TypeError):
                    damaged = number
                    continue
                yield record

    def append(self, record: ItemRecord) -> None:
        line = json.dumps(record.to_json(), ensure_ascii=False).encode("utf-8") + b"\n"
        with self._lock:
            try:
                if self._handle is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._handle = open(self.path, "ab")  # noqa: SIM115 - kept open on purpose
                    if self._handle.tell() > 0:
                        self._repair_tail()
                self._handle.write(line)
                self._handle.flush()
            except OSError as exc:
                raise OutputError(describe_os_error(exc, self.path)) from exc
        if self._fsync and time.monotonic() - self._last_sync >= self.sync_interval:
            self._sync_if_free()

    def _sync_if_free(self) -> None:
        """``fsync`` now unless another worker is already doing it (then never wait)."""
        if not self._sync_lock.acquire(blocking=False):
            return
        try:  # holding _sync_lock, close() cannot close the file under us
            with self._lock:
                if self._handle is None:
                    return
                fd = self._handle.fileno()
            if time.monotonic() - self._last_sync >= self.sync_interval:
                self._sync(fd)
        finally:
            self._sync_lock.release()

    def _sync(self, fd: int) -> None:
        try:
            os.fsync(fd)
        except OSError as exc:
            raise OutputError(describe_os_error(exc, self.path)) from exc
        self._last_sync = time.monotonic()

    def _repair_tail(self) -> None:
        """Start on a fresh line if a crash left the last line without its newline."""
        assert self._handle is not None
        with open(self.path, "rb") as reader:
            reader.seek(-1, os.SEEK_END)
            if reader.read(1) != b"\n":
                self._handle.write(b"\n")

    def sync(self) -> None:
        """Flush every line written so far to the disk (a worker's job: it may take long)."""
        with self._sync_lock:
            with self._lock:
                if self._handle is None or not self._fsync:
                    return
                fd = self._handle.fileno()
            self._sync(fd)

    def close(self) -> None:
        """Close the file (reopened by the next append). No ``fsync`` here: the GUI thread
        closes jobs, and the kernel has every line already (see :meth:`sync`)."""
        with self._sync_lock, self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None
