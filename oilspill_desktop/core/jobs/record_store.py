"""Finished items' records kept on disk, with only their status and position in memory.

A job keeps a record for every image until its report is written. As objects (the record,
its strings, its warnings list, the dict slot) they would grow with the survey and be held
for the whole job (bench_process.py measures it). Here each record is one JSON line (the
journal's own format) in an anonymous temporary file, and memory holds a status byte and a
file offset per archive entry. A record is read back when it is asked for, which
is rarely (the report, a retry, the viewer opening on a running job). The journal is not
read back for this: it is the workers' file and holds every attempt, while the store
holds the one record per member that the job accepted.

If the temporary file cannot be written (a full disk), records are kept in memory instead:
the store never loses one.
"""

from __future__ import annotations

import json
import logging
import tempfile
import threading
import weakref
from array import array
from collections.abc import Iterator, Mapping
from typing import IO

from ..model import ItemRecord, ItemStatus

log = logging.getLogger(__name__)

_NONE = 0
_STATUS_CODES = {ItemStatus.OK: 1, ItemStatus.FAILED: 2, ItemStatus.SKIPPED: 3}
_IN_MEMORY = -2
"""Offset of a record that is kept in memory (the temporary file failed)."""


class RecordStore(Mapping[int, ItemRecord]):
    """Records by member index; ``store[i]`` reads record ``i`` back from the disk.

    Indexes in ``range(capacity)`` (an archive's entries) cost 9 bytes each whether they
    have a record or not; any other index is kept in a dict. Safe to use from several
    threads (the scheduler records while the viewer or the results writer reads).
    """

    def __init__(self, capacity: int = 0) -> None:
        self._status = bytearray(capacity)
        self._offsets = array("q", bytes(8 * capacity))
        self._memory: dict[int, ItemRecord] = {}
        self._count = 0
        self._lock = threading.Lock()
        self._spool: IO[bytes] | None = None
        self._spool_failed = False
        self._end = 0
        self._at_end = True

    # -- Mapping ------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[int]:
        """Member indexes with a record, in increasing order."""
        dense = [i for i, code in enumerate(self._status) if code != _NONE]
        if not self._memory:
            return iter(dense)
        spare = [i for i in self._memory if not 0 <= i < len(self._status)]
        return iter(sorted([*dense, *spare]))

    def __contains__(self, index: object) -> bool:
        if isinstance(index, int) and 0 <= index < len(self._status):
            return self._status[index] != _NONE
        return index in self._memory

    def __getitem__(self, index: int) -> ItemRecord:
        with self._lock:
            if not 0 <= index < len(self._status):
                return self._memory[index]
            if self._status[index] == _NONE:
                raise KeyError(index)
            offset = self._offsets[index]
            if offset == _IN_MEMORY:
                return self._memory[index]
            assert self._spool is not None
            self._at_end = False
            self._spool.seek(offset)
            line = self._spool.readline()
        return ItemRecord.from_json(json.loads(line))

    # -- changes ------------------------------------------------------------------------
    def put(self, record: ItemRecord) -> ItemStatus | None:
        """Keep ``record`` under its member index, replacing any earlier one.

        Returns the replaced record's status (None if there was none), which is all a
        caller keeping counts needs, without reading the old record back from the disk.
        """
        index = record.member_index
        with self._lock:
            previous = self._status_of(index)
            if 0 <= index < len(self._status):
                offset = self._write(record)
                self._status[index] = _STATUS_CODES[record.status]
                self._offsets[index] = offset
                if offset == _IN_MEMORY:
                    self._memory[index] = record
                else:
                    self._memory.pop(index, None)
            else:
                self._memory[index] = record
            if previous is None:
                self._count += 1
        return previous

    def status(self, index: int) -> ItemStatus | None:
        """The status of ``index``'s record (no disk read), or None without one."""
        with self._lock:
            return self._status_of(index)

    def remove(self, index: int) -> ItemStatus | None:
        """Drop ``index``'s record; return its status, or None if there was none."""
        with self._lock:
            previous = self._status_of(index)
            if previous is None:
                return None
            if 0 <= index < len(self._status):
                self._status[index] = _NONE
            self._memory.pop(index, None)
            self._count -= 1
            return previous

    def close(self) -> None:
        """Forget everything and delete the temporary file."""
        with self._lock:
            if self._spool is not None:
                self._spool.close()
                self._spool = None
            self._status = bytearray(len(self._status))
            self._memory.clear()
            self._count = 0
            self._end = 0
            self._at_end = True

    # -- internals ----------------------------------------------------------------------
    def _status_of(self, index: int) -> ItemStatus | None:
        if 0 <= index < len(self._status):
            code = self._status[index]
            return None if code == _NONE else _STATUS_BY_CODE[code]
        found = self._memory.get(index)
        return None if found is None else found.status

    def _write(self, record: ItemRecord) -> int:
        """Append ``record`` to the temporary file; its offset, or ``_IN_MEMORY``."""
        if self._spool_failed:
            return _IN_MEMORY
        # ASCII escapes keep any str (even a lone surrogate) and never a raw newline.
        line = json.dumps(record.to_json()).encode("ascii") + b"\n"
        try:
            if self._spool is None:
                self._spool = tempfile.TemporaryFile(prefix="oilspill-records-")  # noqa: SIM115
                # Close it with the store even if nobody calls close() (a finished job
                # lingers in the queue until the window drops it).
                weakref.finalize(self, self._spool.close)
            offset = self._end
            if not self._at_end:
                self._spool.seek(offset)
                self._at_end = True
            self._spool.write(line)
            self._end = offset + len(line)
        except OSError as exc:
            log.warning("Keeping records in memory: the temporary file failed (%s)", exc)
            self._spool_failed = True
            return _IN_MEMORY
        return offset


_STATUS_BY_CODE = {code: status for status, code in _STATUS_CODES.items()}
