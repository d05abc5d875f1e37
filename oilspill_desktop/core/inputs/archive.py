"""Read an input zip in place: list what is in it and hand out image members' bytes safely.

Nothing is extracted to disk, so hostile names (``../``, absolute paths, links) can do no
harm, but they are still reported as skipped because they are a sign of a broken or
malicious archive. Sizes and ratios from the headers are checked before a byte is
unpacked, and the unpacked stream is counted again as it comes, because headers lie.
"""

from __future__ import annotations

import io
import lzma
import re
import stat
import threading
import zlib
from array import array
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Protocol
from zipfile import BadZipFile, ZipInfo

from ..errors import InputError, ItemError, LimitExceeded
from ..jobs.cancel import CancelToken
from ..messages import Message, say
from ..model import ArchiveMember, Limits, MiB
from .deflate64 import DEFLATE64, Deflate64Reader
from .images import is_image_name
from .member_table import MemberList, MemberTable, StringPack
from .names import assign_output_stems, check_encoding, decode_member_names
from .zip_directory import DirectoryZipFile

CHUNK_SIZE = 1 * MiB
# Below this unpacked size the compression ratio is not checked: a small flat PNG inside
# a zip can legitimately compress a thousandfold and costs nothing to read.
RATIO_CHECK_MIN_BYTES = 1 * MiB

_LITTER_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
_ARCHIVE_SUFFIXES = frozenset(
    {".zip", ".zipx", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".tbz", ".tbz2", ".xz"}
    | {".txz", ".zst", ".lz", ".lzma", ".cab", ".arj", ".z"}
)
_UNSUPPORTED_IMAGE_SUFFIXES = frozenset(
    {".gif", ".heic", ".heif", ".avif", ".psd", ".svg", ".ico"} | {".dng", ".nef", ".cr2", ".arw"}
)


class MemberStream(Protocol):
    """What a member is read through: zipfile's stream, or ours for Deflate64."""

    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


_DRIVE = re.compile(r"^[A-Za-z]:")
_ENCRYPTED = 0x1
_STRONG_ENCRYPTION = 0x40
_COMPRESSION_NAMES = {6: "Implode", 98: "PPMd", 93: "Zstandard", 99: "AES"}

# Magic numbers of things people drop instead of a zip, for a helpful message.
# Each names its message code and, for images, the format.
_NOT_ZIP_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "zip.is_image", "PNG"),
    (b"\xff\xd8\xff", "zip.is_image", "JPEG"),
    (b"II*\x00", "zip.is_image", "TIFF"),
    (b"MM\x00*", "zip.is_image", "TIFF"),
    (b"BM", "zip.is_image", "BMP"),
    (b"Rar!\x1a\x07", "zip.is_rar", ""),
    (b"7z\xbc\xaf\x27\x1c", "zip.is_7z", ""),
    (b"\x1f\x8b", "zip.is_gzip", ""),
    (b"%PDF", "zip.is_pdf", ""),
)


def format_size(size: int) -> str:
    """A byte count in the units people read: ``12 bytes``, ``340 KB``, ``1.5 MB``, ``310 MB``."""
    if size < 1024:
        return f"{size} bytes" if size != 1 else "1 byte"
    if size < MiB:
        return f"{max(1, round(size / 1024))} KB"
    if size < 1024 * MiB:
        mb = size / MiB
        return f"{mb:.1f} MB" if mb < 10 else f"{mb:.0f} MB"
    return f"{size / (1024 * MiB):.1f} GB"


def _size_pair(size: int, limit: int) -> tuple[str, str]:
    """Both sizes in human units, falling back to bytes where rounding would make them equal."""
    shown, shown_limit = format_size(size), format_size(limit)
    if shown == shown_limit:
        return f"{size:,} bytes", f"{limit:,} bytes"
    return shown, shown_limit


def _is_litter(path: str) -> bool:
    """Files operating systems leave behind; never worth a line in the report."""
    parts = path.replace("\\", "/").split("/")
    base = parts[-1]
    return (
        any(p.lower() == "__macosx" for p in parts[:-1])
        or base.startswith("._")
        or base.lower() in _LITTER_NAMES
    )


def _suffix(path: str) -> str:
    """``PurePosixPath(path).suffix.lower()``, with ``\\`` as a separator too.

    Written out because pathlib (before 3.12) interns every name it parses, and Python's
    table of interned strings keeps the size it grew to: listing 10,000 members through
    it kept a megabyte for the rest of the job.
    """
    parts = [part for part in path.replace("\\", "/").split("/") if part and part != "."]
    name = parts[-1] if parts else ""
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def _unsafe_name_reason(path: str, info: ZipInfo) -> Message | None:
    if "\x00" in info.orig_filename:
        return say("skip.name_nul")
    if path.startswith(("/", "\\")) or _DRIVE.match(path):
        return say("skip.name_absolute")
    if "\\" in path:
        return say("skip.name_backslash")
    if any(part == ".." for part in path.split("/")):
        return say("skip.name_parent")
    return None


def _skip_reason(path: str, info: ZipInfo) -> Message | None:
    """Why a listed member will not be processed, or ``None`` for a readable image."""
    unsafe = _unsafe_name_reason(path, info)
    if unsafe:
        return unsafe
    if stat.S_ISLNK(info.external_attr >> 16):
        return say("skip.symlink")
    suffix = _suffix(path)
    if not is_image_name(path):
        if suffix in _ARCHIVE_SUFFIXES:
            return say("skip.nested_archive")
        if suffix in _UNSUPPORTED_IMAGE_SUFFIXES:
            return say("skip.unsupported_image", suffix=suffix)
        return say("skip.not_image", suffix=suffix) if suffix else say("skip.no_extension")
    if info.flag_bits & (_ENCRYPTED | _STRONG_ENCRYPTION):
        return say("skip.encrypted")
    return None


def _describe_not_zip(path: Path, head: bytes) -> Message:
    if not head:
        return say("zip.empty", name=path.name)
    for magic, code, kind in _NOT_ZIP_MAGIC:
        if head.startswith(magic):
            return say(code, name=path.name, kind=kind) if kind else say(code, name=path.name)
    return say("zip.not_zip", name=path.name)


def _describe_bad_zip(path: Path, head: bytes, error: Exception) -> Message:
    text = str(error)
    if "span multiple disks" in text:
        return say("zip.split", name=path.name)
    if not head.startswith(b"PK"):
        return _describe_not_zip(path, head)
    if "not a zip file" in text:
        return say("zip.no_directory", name=path.name)
    if "Truncated" in text:
        return say("zip.truncated", name=path.name)
    return say("zip.damaged", name=path.name, reason=text)


class InputArchive:
    """An open input zip. ``read`` may be called from several threads at once.

    The archive file is opened by us and handed to :class:`zipfile.ZipFile`, so zipfile
    never closes it behind our back; member streams are opened and closed under a lock
    because zipfile's reference count of open streams is not thread-safe. The reads
    themselves go through zipfile's shared-file lock, which serialises seeks and reads
    of the underlying file while decompression runs in parallel.

    Memory stays at ~200 bytes per member for as long as the job runs: zipfile keeps the
    directory's own bytes instead of a ZipInfo per member (:mod:`.zip_directory`), and
    ``members``/``images`` are views over a compact table (:mod:`.member_table`) whose
    ArchiveMembers are made when asked for.
    """

    def __init__(self, path: Path, limits: Limits, encoding: str = "auto") -> None:
        self.path = Path(path)
        self.limits = limits
        self._lock = threading.Lock()
        try:
            check_encoding(encoding)
        except LookupError as error:
            raise InputError(
                f"The file name encoding “{encoding}” is not known; "
                "use “auto” or a codec name such as cp866."
            ) from error
        self._file, self._zip = self._open_zip(self.path)
        self._directory = self._zip.directory
        try:
            self._table = self._list_members(encoding)
        except BaseException:
            self.close()
            raise
        self.members: MemberList = self._table.all()
        """Every listed member, images and skipped ones, in the archive's order."""
        self.images: MemberList = self._table.images()
        """The members that will be processed, in the archive's order."""

    @property
    def skipped_count(self) -> int:
        return self._table.skipped_count

    @property
    def entry_count(self) -> int:
        """Entries in the zip's directory: every member index is below this."""
        return len(self._directory)

    @staticmethod
    def _open_zip(path: Path) -> tuple[BinaryIO, DirectoryZipFile]:
        name = f"“{path.name}”"
        if path.is_dir():
            raise InputError(f"{name} is a folder, not a zip archive.")
        try:
            file = path.open("rb")
        except FileNotFoundError as error:
            raise InputError(f"The file {name} does not exist.") from error
        except PermissionError as error:
            raise InputError(f"The file {name} could not be opened: permission denied.") from error
        except OSError as error:
            raise InputError(f"The file {name} could not be opened: {error.strerror}.") from error
        try:
            head = file.read(16)
            file.seek(0)
            return file, DirectoryZipFile(file)
        except BadZipFile as error:
            file.close()
            raise InputError(_describe_bad_zip(path, head, error)) from error
        except NotImplementedError as error:
            file.close()
            raise InputError(
                f"The archive {name} uses a zip feature this program cannot read ({error})."
            ) from error
        except UnicodeDecodeError as error:
            file.close()
            raise InputError(
                f"The archive {name} has a member name marked as UTF-8 that is not valid "
                "UTF-8; re-create the archive."
            ) from error
        except OSError as error:
            file.close()
            raise InputError(f"The file {name} could not be read: {error.strerror}.") from error
        except Exception as error:  # struct.error, ValueError, ... from a mangled directory
            file.close()
            raise InputError(
                f"The archive {name} is damaged: its table of contents cannot be read ({error})."
            ) from error

    def _list_members(self, encoding: str) -> MemberTable:
        """Decide each entry's fate, keeping only a compact row per listed member.

        ZipInfos are made one at a time from the directory's bytes and dropped at once;
        only the names (needed together, to guess their code page and to make output
        names unique) are held all at the same time, and only while listing.
        """
        directory = self._directory
        paths = decode_member_names(directory, encoding)
        indexes, sizes, compressed = array("q"), array("q"), array("q")
        listed_paths: list[str] = []
        reasons: dict[int, Message] = {}
        zip_names: dict[int, str] = {}
        for index, path in enumerate(paths):
            info = directory[index]
            if info.filename.endswith("/") or path.endswith(("/", "\\")) or _is_litter(path):
                continue
            row = len(indexes)
            reason = _skip_reason(path, info)
            if reason is not None:
                reasons[row] = reason
            if info.filename != path:
                zip_names[row] = info.filename
            indexes.append(index)
            sizes.append(info.file_size)
            compressed.append(info.compress_size)
            listed_paths.append(path)
        del paths
        stems = iter(
            assign_output_stems([p for r, p in enumerate(listed_paths) if r not in reasons])
        )
        return MemberTable(
            indexes=indexes,
            paths=StringPack(listed_paths),
            sizes=sizes,
            compressed_sizes=compressed,
            stems=StringPack(
                "" if row in reasons else next(stems) for row in range(len(listed_paths))
            ),
            reasons=reasons,
            zip_names=zip_names,
        )

    def __enter__(self) -> InputArchive:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the archive; reads still running fail with an :class:`ItemError`."""
        with self._lock:  # zipfile's count of open streams is not thread-safe
            self._zip.close()
            self._file.close()

    def check_limits(self, member: ArchiveMember) -> None:
        """Refuse a member from its declared sizes alone, before anything is unpacked."""
        limit = self.limits.max_member_bytes
        if member.size > limit:
            size, shown_limit = _size_pair(member.size, limit)
            raise LimitExceeded(say("member.too_large", size=size, limit=shown_limit))
        if member.size > RATIO_CHECK_MIN_BYTES:
            ratio = member.size / max(member.compressed_size, 1)
            if ratio > self.limits.max_compression_ratio:
                raise LimitExceeded(
                    say(
                        "member.ratio",
                        packed=format_size(member.compressed_size),
                        size=format_size(member.size),
                        ratio=f"{ratio:,.0f}",
                        limit=f"{self.limits.max_compression_ratio:,.0f}",
                    )
                )

    def read(self, member: ArchiveMember, cancel: CancelToken | None = None) -> bytes:
        """The member's unpacked bytes, streamed under the limits; thread-safe.

        Raises :class:`LimitExceeded`, :class:`ItemError` for damaged data,
        or :class:`~.errors.Cancelled`.
        """
        if member.kind != "image":
            raise ItemError(f"The member “{member.path}” is not read: {member.reason}.")
        if not 0 <= member.index < len(self._directory):
            raise ItemError(f"The member “{member.path}” does not belong to this archive.")
        info = self._directory[member.index]
        if info.filename != member.zip_name:
            raise ItemError(f"The member “{member.path}” does not belong to this archive.")
        self.check_limits(member)
        if cancel is not None:
            cancel.raise_if_cancelled()
        try:
            with self._lock:
                stream = self._open_member(info)
            try:
                return read_limited(
                    stream,
                    self.limits.max_member_bytes,
                    cancel,
                    compressed_size=member.compressed_size,
                    max_ratio=self.limits.max_compression_ratio,
                )
            finally:
                with self._lock:
                    stream.close()
        except ItemError:
            raise
        except BadZipFile as error:
            raise ItemError(_describe_damaged_member(str(error))) from error
        except (zlib.error, lzma.LZMAError) as error:
            raise ItemError(say("member.damaged", reason=str(error))) from error
        except EOFError as error:
            raise ItemError(say("member.truncated")) from error
        except NotImplementedError as error:
            if "patched" in str(error):
                raise ItemError(
                    "The member is stored as a patch against another file (zip flag bit 5), "
                    "which this program cannot unpack; re-create the archive."
                ) from error
            method = _COMPRESSION_NAMES.get(info.compress_type, f"method {info.compress_type}")
            raise ItemError(
                f"The member is compressed with {method}, which this program cannot unpack; "
                "re-create the archive with ordinary Deflate compression."
            ) from error
        except RuntimeError as error:  # zipfile's "encrypted, password required"
            raise ItemError(say("member.encrypted")) from error
        except (OSError, ValueError) as error:
            raise ItemError(say("member.unreadable", reason=str(error))) from error

    def _open_member(self, info: ZipInfo) -> MemberStream:
        """zipfile's stream, or ours for Deflate64, which zipfile cannot unpack."""
        if info.compress_type == DEFLATE64:
            return Deflate64Reader(self.path, info)
        return self._zip.open(info)


def _describe_damaged_member(text: str) -> str:
    if "CRC" in text:
        return "The member is damaged: its checksum does not match its data (CRC error)."
    if "header" in text.lower():
        return f"The member is damaged: its local header is invalid ({text})."
    return f"The member is damaged ({text})."


def read_limited(
    stream: MemberStream,
    limit: int,
    cancel: CancelToken | None,
    *,
    compressed_size: int = 0,
    max_ratio: float = 0.0,
    chunk_size: int = CHUNK_SIZE,
) -> bytes:
    """Read ``stream`` to the end in chunks, stopping as soon as it passes ``limit`` bytes.

    Counting what actually comes out protects against headers that understate the size;
    the cancel token is checked between chunks so a cancel does not wait for 256 MB.
    """
    # BytesIO hands its buffer over without a copy, so peak memory is about one member.
    buffer = io.BytesIO()
    total = 0
    while True:
        if cancel is not None:
            cancel.raise_if_cancelled()
        chunk = stream.read(chunk_size)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise LimitExceeded(say("member.overflow", limit=format_size(limit)))
        if (
            max_ratio
            and total > RATIO_CHECK_MIN_BYTES
            and total > max_ratio * max(compressed_size, 1)
        ):
            raise LimitExceeded(
                say("member.bomb", ratio=f"{max_ratio:,.0f}", packed=format_size(compressed_size))
            )
        buffer.write(chunk)
    return buffer.getvalue()
