"""A zip writer that keeps no per-entry object, for results zips of any size.

:class:`zipfile.ZipFile` keeps a :class:`~zipfile.ZipInfo` for every entry it writes, to
write the central directory at the end: a results zip has two entries per image, so memory
grew with the survey until the zip was closed. Here each
entry's central-directory record is encoded as soon as the entry is complete and appended
to a spooled temporary file (in memory up to :data:`CENTRAL_SPOOL_BYTES`, then on disk),
which is copied behind the last entry.

It writes only what results zips need: stored files, deflated streams, UTF-8 names, and
zip64 wherever a size, an offset or the entry count calls for it. The output must be a
seekable file: local headers of streamed entries are patched once their sizes are known
(as zipfile does), so no data descriptors are needed.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import struct
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, BinaryIO, cast

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

# Above these, a field moves to the zip64 extra. zipfile's own limits: sizes and offsets
# past 2 GiB - 1 (some readers take the 32-bit fields as signed), 65,535 entries. Tests
# lower them to check zip64 output without writing gigabytes.
ZIP64_LIMIT = (1 << 31) - 1
ZIP_COUNT_LIMIT = (1 << 16) - 1
CENTRAL_SPOOL_BYTES = 512 * 1024
"""Central-directory records kept in memory before they spill to a temporary file."""
SMALL_FILE_BYTES = 1024 * 1024
"""Files up to this size are read whole, so their header is written once, never patched."""
COPY_CHUNK = 1024 * 1024

STORED = 0
DEFLATED = 8

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_END64 = struct.Struct("<4sQ2H2L4Q")
_LOCATOR64 = struct.Struct("<4sLQL")
_ZIP64_TAG = 0x0001
_UTF8_FLAG = 0x800
_VERSION = 20  # 2.0: deflate, folders
_VERSION_ZIP64 = 45  # 4.5: zip64
_UNIX = 3
_MASK32 = 0xFFFFFFFF
_MASK16 = 0xFFFF
# A regular file, rw-r--r--, in the high half of the external attributes (Unix hosts).
_FILE_ATTRIBUTES = 0o100644 << 16


def dos_date_time(timestamp: float) -> tuple[int, int]:
    """(date, time) in MS-DOS format, local time, clamped to the years it can hold."""
    stamp = time.localtime(timestamp)
    if stamp.tm_year < 1980:
        return (0 << 9) | (1 << 5) | 1, 0
    if stamp.tm_year > 2107:
        return (127 << 9) | (12 << 5) | 31, (23 << 11) | (59 << 5) | 29
    date = ((stamp.tm_year - 1980) << 9) | (stamp.tm_mon << 5) | stamp.tm_mday
    clock = (stamp.tm_hour << 11) | (stamp.tm_min << 5) | min(stamp.tm_sec, 59) // 2
    return date, clock


@dataclass
class _Entry:
    name: bytes
    flags: int
    method: int
    date: int
    time: int
    offset: int
    local_zip64: bool
    """The local header carries a zip64 field (sizes unknown or too large up front)."""


class ZipWriter:
    """Write a zip to ``out`` (a seekable binary file, positioned where the zip starts).

    Use as a context manager: leaving it normally writes the central directory; leaving
    it by an exception leaves the output unfinished (the caller deletes it).
    """

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._start = out.tell()
        self._offset = self._start
        # Closed by close() or abandon(), which the context manager guarantees.
        self._central: IO[bytes] = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=CENTRAL_SPOOL_BYTES
        )
        self._central_size = 0
        self._count = 0
        self._busy = False
        self._closed = False

    def __enter__(self) -> ZipWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abandon()

    @property
    def count(self) -> int:
        """Entries written so far."""
        return self._count

    def write_file(self, source: Path | str, name: str) -> None:
        """Add the file at ``source`` as ``name``, stored, dated by its modification time.

        Stored, not deflated: the results are PNGs, compressed already.
        """
        self._check_idle()
        with open(source, "rb") as src:
            stat = os.fstat(src.fileno())
            date, clock = dos_date_time(stat.st_mtime)
            if stat.st_size <= SMALL_FILE_BYTES:
                # One byte more than fstat said tells a file that grew since; asking for
                # exactly that much also keeps read() from allocating a larger buffer.
                data = src.read(stat.st_size + 1)
                if len(data) <= stat.st_size:
                    crc = zlib.crc32(data)
                    entry = self._begin(name, STORED, date, clock, crc=crc, size=len(data))
                    self._out.write(data)
                    self._offset += len(data)
                    self._end_entry(entry, crc, len(data), len(data))
                    return
                src.seek(0)  # it grew since fstat: stream it instead
            entry = self._begin(name, STORED, date, clock, zip64=stat.st_size > ZIP64_LIMIT)
            crc = size = 0
            while chunk := src.read(COPY_CHUNK):
                crc = zlib.crc32(chunk, crc)
                size += len(chunk)
                self._out.write(chunk)
            self._offset += size
            self._patch(entry, crc, size, size)

    @contextmanager
    def open_deflated(
        self, name: str, *, level: int = zlib.Z_DEFAULT_COMPRESSION
    ) -> Iterator[IO[bytes]]:
        """A stream for ``name``: what is written to it is deflated into the zip.

        The size is not known up front, so the local header reserves a zip64 field (as
        zipfile's ``force_zip64`` does); the central directory uses zip64 only if needed.
        """
        self._check_idle()
        date, clock = dos_date_time(time.time())
        entry = self._begin(name, DEFLATED, date, clock, zip64=True)
        self._busy = True
        stream = _DeflateStream(self._out, level)
        # A BufferedIOBase has every method of IO[bytes] (those it cannot do raise).
        yield cast(IO[bytes], stream)
        crc, size, compressed = stream.finish()
        self._busy = False
        self._offset += compressed
        self._patch(entry, crc, compressed, size)

    def close(self) -> None:
        """Write the central directory and the end records; the zip is then complete."""
        if self._closed:
            return
        self._check_idle()
        self._closed = True
        try:
            directory_offset = self._offset - self._start
            self._central.seek(0)
            shutil.copyfileobj(self._central, self._out, COPY_CHUNK)
            size = self._central_size
            count = self._count
            end_offset = self._offset + size - self._start
            if count >= ZIP_COUNT_LIMIT or size > ZIP64_LIMIT or directory_offset > ZIP64_LIMIT:
                self._out.write(
                    _END64.pack(
                        b"PK\x06\x06",
                        _END64.size - 12,
                        (_UNIX << 8) | _VERSION_ZIP64,
                        _VERSION_ZIP64,
                        0,
                        0,
                        count,
                        count,
                        size,
                        directory_offset,
                    )
                )
                self._out.write(_LOCATOR64.pack(b"PK\x06\x07", 0, end_offset, 1))
            self._out.write(
                _END.pack(
                    b"PK\x05\x06",
                    0,
                    0,
                    _MASK16 if count >= ZIP_COUNT_LIMIT else count,
                    _MASK16 if count >= ZIP_COUNT_LIMIT else count,
                    _MASK32 if size > ZIP64_LIMIT else size,
                    _MASK32 if directory_offset > ZIP64_LIMIT else directory_offset,
                    0,
                )
            )
            self._out.flush()
        finally:
            self._central.close()

    def abandon(self) -> None:
        """Stop without finishing the zip (free the spooled directory)."""
        self._closed = True
        self._central.close()

    # -- internals ----------------------------------------------------------------------
    def _check_idle(self) -> None:
        if self._closed:
            raise ValueError("the zip is closed")
        if self._busy:
            raise ValueError("an entry is still being written")

    def _begin(
        self,
        name: str,
        method: int,
        date: int,
        clock: int,
        *,
        crc: int = 0,
        size: int = 0,
        zip64: bool = False,
    ) -> _Entry:
        """Write a local header; ``crc`` and ``size`` are final for a stored small file."""
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_FLAG
        entry = _Entry(encoded, flags, method, date, clock, self._offset - self._start, zip64)
        extra = struct.pack("<HHQQ", _ZIP64_TAG, 16, size, size) if zip64 else b""
        field = _MASK32 if zip64 else size
        header = _LOCAL.pack(
            b"PK\x03\x04",
            _VERSION_ZIP64 if zip64 else _VERSION,
            flags,
            method,
            clock,
            date,
            crc,
            field,
            field,
            len(encoded),
            len(extra),
        )
        self._out.write(header + encoded + extra)
        self._offset += len(header) + len(encoded) + len(extra)
        return entry

    def _patch(self, entry: _Entry, crc: int, compressed: int, size: int) -> None:
        """Put the CRC and sizes, known now, into the entry's local header."""
        if not entry.local_zip64 and max(compressed, size) > ZIP64_LIMIT:
            raise OSError(
                errno.EFBIG, f"{entry.name.decode('utf-8')} grew past 2 GB while it was added"
            )
        header = self._start + entry.offset
        self._out.seek(header + 14)
        if entry.local_zip64:
            self._out.write(struct.pack("<L", crc))
            self._out.seek(header + _LOCAL.size + len(entry.name) + 4)
            self._out.write(struct.pack("<QQ", size, compressed))
        else:
            self._out.write(struct.pack("<3L", crc, compressed, size))
        self._out.seek(self._offset)
        self._end_entry(entry, crc, compressed, size)

    def _end_entry(self, entry: _Entry, crc: int, compressed: int, size: int) -> None:
        """Append the entry's central-directory record to the spool."""
        fields = b""
        if size > ZIP64_LIMIT:
            fields += struct.pack("<Q", size)
        if compressed > ZIP64_LIMIT:
            fields += struct.pack("<Q", compressed)
        if entry.offset > ZIP64_LIMIT:
            fields += struct.pack("<Q", entry.offset)
        extra = struct.pack("<HH", _ZIP64_TAG, len(fields)) + fields if fields else b""
        version = _VERSION_ZIP64 if fields or entry.local_zip64 else _VERSION
        record = _CENTRAL.pack(
            b"PK\x01\x02",
            (_UNIX << 8) | version,
            version,
            entry.flags,
            entry.method,
            entry.time,
            entry.date,
            crc,
            _MASK32 if compressed > ZIP64_LIMIT else compressed,
            _MASK32 if size > ZIP64_LIMIT else size,
            len(entry.name),
            len(extra),
            0,
            0,
            0,
            _FILE_ATTRIBUTES,
            _MASK32 if entry.offset > ZIP64_LIMIT else entry.offset,
        )
        self._central.write(record + entry.name + extra)
        self._central_size += len(record) + len(entry.name) + len(extra)
        self._count += 1


class _DeflateStream(io.BufferedIOBase):
    """Deflates what is written into the zip, counting sizes and the CRC as it goes."""

    def __init__(self, out: BinaryIO, level: int) -> None:
        super().__init__()
        self._out = out
        self._deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
        self._crc = 0
        self._size = 0
        self._compressed = 0

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer) -> int:
        if self.closed:
            raise ValueError("write to a closed entry")
        view = memoryview(data).cast("B")
        self._crc = zlib.crc32(view, self._crc)
        self._size += len(view)
        self._emit(self._deflate.compress(view))
        return len(view)

    def finish(self) -> tuple[int, int, int]:
        """Flush the compressor; (crc, size, compressed size). The stream is then closed."""
        self._emit(self._deflate.flush())
        self.close()
        return self._crc, self._size, self._compressed

    def _emit(self, chunk: bytes) -> None:
        if chunk:
            self._out.write(chunk)
            self._compressed += len(chunk)
