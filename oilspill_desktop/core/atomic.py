"""Write files so that they are either complete or absent.

Data goes to a temporary name in the destination folder, is flushed to disk, and is then
renamed over the final name; a crash or a full disk leaves at worst a ``.part`` file that
nothing reads.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import OutputError
from .messages import Message, say


@contextlib.contextmanager
def atomic_write(path: Path, *, fsync: bool = True) -> Iterator[IO[bytes]]:
    """Yield a binary file; on clean exit it replaces ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
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


def write_bytes_atomic(path: Path, data: bytes, *, fsync: bool = True) -> None:
    try:
        with atomic_write(path, fsync=fsync) as handle:
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
