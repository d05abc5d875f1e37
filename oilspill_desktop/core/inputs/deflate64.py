"""Unpack zip members compressed with Deflate64 (method 9), which zipfile cannot.

Windows Explorer switches to Deflate64 for archives over about 2 GB, so a field user
receives them from data providers and cannot re-create them. ``inflate64`` (a small wheel
around zlib's own ``infback9``) does the inflating; this module finds the member's data
behind its local header and hands it out as a stream, so the caller's size and ratio
limits count what comes out exactly as for any other member.

The stream reads through a file handle of its own: the archive's handle belongs to
zipfile, whose shared-file lock we cannot take from outside.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from zipfile import BadZipFile, ZipInfo

import inflate64

DEFLATE64 = 9
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
# Compressed bytes fed to the inflater at a time: Deflate64 expands at most about
# 1000-fold, so one step never holds more than some 16 MB before the caller's limits see it.
_STEP = 16 * 1024


class Deflate64Reader(io.RawIOBase):
    """The unpacked bytes of one Deflate64 member; the CRC is checked at the end."""

    def __init__(self, archive: Path, info: ZipInfo) -> None:
        super().__init__()
        self._file = archive.open("rb")
        try:
            self._file.seek(info.header_offset)
            header = self._file.read(_LOCAL_HEADER.size)
            if len(header) != _LOCAL_HEADER.size or not header.startswith(_LOCAL_SIGNATURE):
                raise BadZipFile("Bad magic number for file header")
            fields = _LOCAL_HEADER.unpack(header)
            name_length, extra_length = fields[-2], fields[-1]
            self._file.seek(name_length + extra_length, io.SEEK_CUR)
        except BaseException:
            self._file.close()
            raise
        self._left = info.compress_size
        self._crc_expected = info.CRC
        self._crc = 0
        self._inflater = inflate64.Inflater()

    def read(self, size: int = -1) -> bytes:
        """Some unpacked bytes (at least one unless at the end); ``size`` is a hint."""
        del size  # the caller's limits count what comes out, whatever the step
        while not self._inflater.eof:
            if self._left <= 0:
                raise EOFError("Compressed file ended before the end-of-stream marker")
            packed = self._file.read(min(_STEP, self._left))
            if not packed:
                raise EOFError("Compressed file ended before the end-of-stream marker")
            self._left -= len(packed)
            try:
                out: bytes = self._inflater.inflate(packed)
            except Exception as error:  # inflate64 raises ValueError/RuntimeError on bad data
                raise zlib.error(f"invalid Deflate64 data ({error})") from error
            if out:
                self._crc = zlib.crc32(out, self._crc)
                return out
        if self._crc != self._crc_expected:
            raise BadZipFile("Bad CRC-32 for file")
        return b""

    def close(self) -> None:
        self._file.close()
        super().close()
