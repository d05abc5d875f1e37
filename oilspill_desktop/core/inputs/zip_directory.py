"""An input zip's central directory kept as its own bytes, not as one ZipInfo per member.

:class:`zipfile.ZipFile` turns every directory entry into a :class:`~zipfile.ZipInfo` and
keeps them all, with their strings, for as long as the archive is open: memory that grows
with the survey for the whole job. Here the
directory is read by the same steps, with the same checks and errors, as zipfile reads it,
but only the directory's bytes and one or two offsets per entry are kept; a ZipInfo is
made again, identical, each time a member is listed or read, and dropped afterwards.

zipfile's private helpers are used on purpose (:func:`zipfile._EndRecData`, the directory
layout constants, ``ZipInfo._decodeExtra``): reading the directory the way the running
Python's zipfile does keeps every guard it has (zip64, the Unicode path field, overlapping
entries in the versions that check them) without copying them here.
"""

from __future__ import annotations

import inspect
import struct
import zipfile
from array import array
from collections.abc import Sequence
from typing import IO, Any, overload
from zipfile import BadZipFile, ZipFile, ZipInfo
from zlib import crc32

# zipfile's private module attributes are not in the type stubs.
_Z: Any = zipfile

_CENTRAL_SIZE: int = _Z.sizeCentralDir
_CENTRAL_STRUCT: str = _Z.structCentralDir
_CENTRAL_MAGIC: bytes = _Z.stringCentralDir
_UTF8_FLAG: int = _Z._MASK_UTF_FILENAME
_MAX_EXTRACT_VERSION: int = _Z.MAX_EXTRACT_VERSION
# ZipInfo._decodeExtra takes the name's CRC (for the Unicode path field) from Python 3.12.
_DECODE_EXTRA_TAKES_CRC = len(inspect.signature(ZipInfo._decodeExtra).parameters) > 1  # type: ignore[attr-defined]
# Pythons that refuse overlapping entries (a zip bomb trick) give each ZipInfo its end.
_HAS_END_OFFSET = "_end_offset" in getattr(ZipInfo, "__slots__", ())


def _date_time(date: int, time: int) -> tuple[int, int, int, int, int, int]:
    return (
        (date >> 9) + 1980,
        (date >> 5) & 0xF,
        date & 0x1F,
        time >> 11,
        (time >> 5) & 0x3F,
        (time & 0x1F) * 2,
    )


def _parse_entry(data: bytes, pos: int, concat: int) -> tuple[ZipInfo, int]:
    """The ZipInfo of the entry at ``pos``, and where the next entry starts.

    Line for line what :meth:`zipfile.ZipFile._RealGetContents` does for one entry,
    including its reads past the end (a short name at the very end is not an error there).
    """
    fixed = data[pos : pos + _CENTRAL_SIZE]
    if len(fixed) != _CENTRAL_SIZE:
        raise BadZipFile("Truncated central directory")
    centdir = struct.unpack(_CENTRAL_STRUCT, fixed)
    if centdir[_Z._CD_SIGNATURE] != _CENTRAL_MAGIC:
        raise BadZipFile("Bad magic number for central directory")
    name_len = centdir[_Z._CD_FILENAME_LENGTH]
    extra_len = centdir[_Z._CD_EXTRA_FIELD_LENGTH]
    comment_len = centdir[_Z._CD_COMMENT_LENGTH]
    start = pos + _CENTRAL_SIZE
    raw_name = data[start : start + name_len]
    flags = centdir[_Z._CD_FLAG_BITS]
    filename = raw_name.decode("utf-8") if flags & _UTF8_FLAG else raw_name.decode("cp437")
    x = ZipInfo(filename)
    x.extra = data[start + name_len : start + name_len + extra_len]
    x.comment = data[start + name_len + extra_len : start + name_len + extra_len + comment_len]
    x.header_offset = centdir[_Z._CD_LOCAL_HEADER_OFFSET]
    (
        x.create_version,
        x.create_system,
        x.extract_version,
        x.reserved,
        x.flag_bits,
        x.compress_type,
        time,
        date,
        x.CRC,
        x.compress_size,
        x.file_size,
    ) = centdir[1:12]
    if x.extract_version > _MAX_EXTRACT_VERSION:
        raise NotImplementedError(f"zip file version {x.extract_version / 10:.1f}")
    x.volume, x.internal_attr, x.external_attr = centdir[15:18]
    x._raw_time = time  # type: ignore[attr-defined]
    x.date_time = _date_time(date, time)
    if _DECODE_EXTRA_TAKES_CRC:
        x._decodeExtra(crc32(raw_name))  # type: ignore[attr-defined]
    else:
        x._decodeExtra()  # type: ignore[attr-defined]
    x.header_offset += concat
    return x, pos + _CENTRAL_SIZE + name_len + extra_len + comment_len


class CentralDirectory(Sequence[ZipInfo]):
    """The entries of a zip's directory, in stored order; ``directory[i]`` makes entry i's ZipInfo.

    Thread-safe: it only reads bytes that never change. About 8 bytes per entry (16 where
    zipfile checks for overlapping entries) on top of the directory's own bytes.
    """

    def __init__(
        self,
        data: bytes,
        starts: array[int],
        concat: int,
        ends: array[int] | None,
        start_dir: int,
        comment: bytes,
    ) -> None:
        self._data = data
        self._starts = starts
        self._concat = concat
        self._ends = ends
        self.start_dir = start_dir
        """Where the directory starts in the file (zipfile's ``start_dir``)."""
        self.comment = comment

    @classmethod
    def read(cls, fp: IO[bytes]) -> CentralDirectory:
        """Read and check the whole directory of the zip open in ``fp``.

        Raises what :class:`zipfile.ZipFile` raises for the same file:
        :class:`~zipfile.BadZipFile`, ``NotImplementedError``, ``UnicodeDecodeError``...
        """
        try:
            endrec = _Z._EndRecData(fp)
        except OSError:
            raise BadZipFile("File is not a zip file") from None
        if not endrec:
            raise BadZipFile("File is not a zip file")
        size_cd = endrec[_Z._ECD_SIZE]
        offset_cd = endrec[_Z._ECD_OFFSET]
        concat = endrec[_Z._ECD_LOCATION] - size_cd - offset_cd
        if endrec[_Z._ECD_SIGNATURE] == _Z.stringEndArchive64:
            concat -= _Z.sizeEndCentDir64 + _Z.sizeEndCentDir64Locator
        start_dir = offset_cd + concat
        if start_dir < 0:
            raise BadZipFile("Bad offset for central directory")
        fp.seek(start_dir, 0)
        data = fp.read(size_cd)
        starts = array("q")
        headers = array("q")
        total = 0
        while total < size_cd:
            info, following = _parse_entry(data, total, concat)
            starts.append(total)
            headers.append(info.header_offset)
            total = following
        ends = _end_offsets(headers, start_dir) if _HAS_END_OFFSET else None
        return cls(data, starts, concat, ends, start_dir, endrec[_Z._ECD_COMMENT])

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> ZipInfo: ...

    @overload
    def __getitem__(self, index: slice) -> list[ZipInfo]: ...

    def __getitem__(self, index: int | slice) -> ZipInfo | list[ZipInfo]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        info, _next = _parse_entry(self._data, self._starts[index], self._concat)
        if self._ends is not None:
            info._end_offset = self._ends[index]  # type: ignore[attr-defined]
        return info


def _end_offsets(headers: array[int], start_dir: int) -> array[int]:
    """Where each entry's data must end: the next local header, as zipfile works it out."""
    ends = array("q", bytes(8 * len(headers)))
    end_offset = start_dir
    for index in sorted(range(len(headers)), key=headers.__getitem__, reverse=True):
        ends[index] = end_offset
        end_offset = headers[index]
    return ends


class DirectoryZipFile(ZipFile):
    """A read-only :class:`ZipFile` whose directory is a :class:`CentralDirectory`.

    ``infolist()`` and ``namelist()`` are empty; members are opened by passing the
    ZipInfo from ``directory[i]`` to :meth:`open`.
    """

    directory: CentralDirectory

    def __init__(self, file: IO[bytes]) -> None:
        super().__init__(file, "r")

    def _RealGetContents(self) -> None:  # zipfile calls it by this name
        assert self.fp is not None
        self.directory = CentralDirectory.read(self.fp)
        self.start_dir = self.directory.start_dir
        self._comment = self.directory.comment
