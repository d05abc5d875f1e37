"""Write files so that they are either complete or absent.

Data goes to a temporary name in the destination folder, is flushed to disk, and is then
renamed over the final name; a crash or a full disk leaves at worst a ``.part`` file that
nothing reads.

Temporary files are created with the mode a saved file gets (``0o666`` less the user's
umask, so ``-rw-r--r--`` under the usual ``022``), not :func:`tempfile.mkstemp`'s
``0o600``: the rename keeps the mode, and results on a shared folder must be readable by
the colleagues the umask lets in. What must stay private (the settings file, which may
hold the API token) asks for ``0o600`` explicitly.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import OutputError
from .messages import Message, say

FILE_MODE = 0o666
"""The mode new files are created with; the kernel takes the umask off it."""
PRIVATE_MODE = 0o600


def create_temporary(
    folder: Path, prefix: str, suffix: str, *, mode: int = FILE_MODE
) -> tuple[int, str]:
    """Create a new file with a random name in ``folder``; return ``(fd, path)``.

    Like :func:`tempfile.mkstemp` (exclusive, never follows or reuses a name), but with
    ``mode`` less the umask instead of a fixed ``0o600``.
    """
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    for _attempt in range(100):
        name = os.path.join(folder, f"{prefix}{secrets.token_hex(6)}{suffix}")
        try:
            return os.open(name, flags, mode), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


@contextlib.contextmanager
def atomic_write(path: Path, *, fsync: bool = True, mode: int = FILE_MODE) -> Iterator[IO[bytes]]:
    """Yield a binary file; on clean exit it replaces ``path`` atomically.

    The file gets ``mode`` less the umask (see the module's docstring).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = create_temporary(path.parent, f".{path.name}.", ".part", mode=mode)
    # The temporary name stays a str: Python 3.11's pathlib interns every part of a Path,
    # so a Path per written file would keep each random name alive for the process's life.
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_bytes_atomic(
    path: Path, data: bytes, *, fsync: bool = True, mode: int = FILE_MODE
) -> None:
    try:
        with atomic_write(path, fsync=fsync, mode=mode) as handle:
            handle.write(data)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, path)) from exc


def describe_os_error(exc: OSError, path: Path) -> Message:
    """A sentence that names the folder and the cause (disk full, read-only, denied)."""
    import errno

    codes = {
        errno.ENOSPC: "output.disk_full",
        errno.EDQUOT: "output.quota",
        errno.EROFS: "output.read_only",
        errno.EACCES: "output.denied",
        errno.EPERM: "output.denied",
    }
    code = codes.get(exc.errno or 0)
    if code is not None:
        return say(code, path=str(path))
    return say("output.failed", path=str(path), reason=str(exc.strerror or exc))
