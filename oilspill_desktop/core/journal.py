"""A per-job journal of finished items that survives a crash at any instant.

One JSON line per finished item, appended and flushed to disk before the item counts as
done. A process killed mid-append leaves at most one torn last line, which :func:`read`
drops. The journal object is the only writer of its file; workers append through its lock.

Flushing to disk is a group commit: a worker writes its line under the lock, then waits for
an ``fsync`` that started after its write. One ``fsync`` takes a millisecond or more, and
eight workers used to queue for it one after another, holding the lock through it; now one
``fsync`` makes every line written before it durable, and none is waited for twice.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import IO

from .atomic import describe_os_error
from .errors import OutputError
from .model import ItemRecord

log = logging.getLogger(__name__)


class JobJournal:
    def __init__(self, path: Path, *, fsync: bool = True) -> None:
        self.path = path
        self._fsync = fsync
        self._lock = threading.Lock()
        self._handle: IO[bytes] | None = None
        self._sync_lock = threading.Lock()
        """Held through an ``fsync``; taken without ``_lock`` held, never the other way."""
        self._written = 0
        """Lines written so far (under ``_lock``)."""
        self._synced = 0
        """Lines known to be on disk (under ``_sync_lock``)."""

    def read(self) -> list[ItemRecord]:
        """Records in the journal, the latest per member winning; a torn tail is ignored."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        latest: dict[int | str, ItemRecord] = {}
        lines = raw.split(b"\n")
        for number, line in enumerate(lines):
            if not line.strip():
                continue
            try:
                record = ItemRecord.from_json(json.loads(line))
            except (ValueError, KeyError, TypeError):
                if number < len(lines) - 1:
                    log.warning("Ignoring damaged line %d of %s", number + 1, self.path)
                continue
            key: int | str = record.member_index if record.member_index >= 0 else record.path
            latest[key] = record
        return list(latest.values())

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
                self._written += 1
                mine, fd = self._written, self._handle.fileno()
            except OSError as exc:
                raise OutputError(describe_os_error(exc, self.path)) from exc
        if self._fsync:
            self._sync(mine, fd)

    def _sync(self, line: int, fd: int) -> None:
        """Return once line number ``line`` is on disk, sharing ``fsync`` calls."""
        with self._sync_lock:
            if self._synced >= line:
                return  # an fsync that started after our write has covered it
            with self._lock:
                covered = self._written
            try:
                os.fsync(fd)
            except OSError as exc:
                raise OutputError(describe_os_error(exc, self.path)) from exc
            self._synced = covered

    def _repair_tail(self) -> None:
        """Start on a fresh line if a crash left the last line without its newline."""
        assert self._handle is not None
        with open(self.path, "rb") as reader:
            reader.seek(-1, os.SEEK_END)
            if reader.read(1) != b"\n":
                self._handle.write(b"\n")

    def close(self) -> None:
        with self._sync_lock, self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None
