"""Turn what the user dropped into jobs: zips as they are, folders and loose images packed.

Qt-free on purpose: it runs on a worker thread (it touches the disk and may walk large
folders), and it is plain enough to test without widgets.

* A ``.zip`` is an archive to queue.
* A folder of images is one job; a folder that holds no images but zips queues those zips.
* Loose images dropped together are one job.
* Anything else is explained in one sentence.

Images are gathered into a zip in the app's cache with :mod:`zipfile`, streamed from disk
one file at a time (never all in memory), and stored uncompressed: survey images are
compressed already and storing them is much faster.
"""

from __future__ import annotations

import os
import time
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..atomic import atomic_write, describe_os_error
from ..errors import OutputError
from ..jobs.cancel import CancelToken
from .images import is_image_name

MAX_FOLDER_FILES = 200_000
"""A folder walk stops here: a drop of a whole disk by mistake must not hang the app."""


@dataclass(frozen=True)
class PackPlan:
    """Images to gather into one archive named ``name``.zip.

    ``output_folder`` is where the results should go when the settings say "beside the
    input": beside the dropped folder (or the loose images), never in the cache.
    """

    name: str
    files: tuple[tuple[Path, str], ...]
    output_folder: Path
    source: Path

    @property
    def count(self) -> int:
        return len(self.files)


ProblemKind = Literal["missing", "empty_folder", "unsupported", "too_many_files"]


@dataclass(frozen=True)
class Problem:
    """Why one dropped path was not used; the window words it in the user's language."""

    kind: ProblemKind
    path: Path


@dataclass
class Intake:
    """What a drop amounts to."""

    archives: list[Path] = field(default_factory=list)
    packs: list[PackPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _is_zip_name(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def _walk_images(folder: Path, cancel: CancelToken) -> tuple[list[Path], list[Path], bool]:
    """Images anywhere under ``folder`` and zips directly in it, sorted; and if cut short."""
    images: list[Path] = []
    zips: list[Path] = []
    seen = 0
    truncated = False
    for root, dirs, files in os.walk(folder):
        cancel.raise_if_cancelled()
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            seen += 1
            if seen > MAX_FOLDER_FILES:
                truncated = True
                break
            if name.startswith("."):
                continue
            path = Path(root) / name
            if is_image_name(name):
                images.append(path)
            elif Path(root) == folder and _is_zip_name(path):
                zips.append(path)
        if truncated:
            break
    return images, zips, truncated


def _unique_arcnames(paths: Iterable[Path], base: Path) -> tuple[tuple[Path, str], ...]:
    """Names inside the archive: relative to ``base``, with forward slashes, never repeated."""
    used: set[str] = set()
    result: list[tuple[Path, str]] = []
    for path in paths:
        try:
            name = path.relative_to(base).as_posix()
        except ValueError:
            name = path.name
        candidate, n = name, 2
        while candidate.lower() in used:
            stem, dot, ext = name.rpartition(".")
            candidate = f"{stem} ({n}).{ext}" if dot else f"{name} ({n})"
            n += 1
        used.add(candidate.lower())
        result.append((path, candidate))
    return tuple(result)


def classify(paths: Iterable[Path], cancel: CancelToken | None = None) -> Intake:
    """Sort dropped paths into archives to queue, images to pack and problems to report.

    The window words each problem in the log and sums them up in the status bar.
    """
    token = cancel or CancelToken()
    intake = Intake()
    loose: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            intake.problems.append(Problem("missing", path))
        elif path.is_dir():
            images, zips, truncated = _walk_images(path, token)
            if truncated:
                intake.problems.append(Problem("too_many_files", path))
            if images:
                intake.packs.append(
                    PackPlan(
                        name=path.name or "images",
                        files=_unique_arcnames(images, path),
                        output_folder=path.parent,
                        source=path,
                    )
                )
            elif zips:
                intake.archives.extend(zips)
            else:
                intake.problems.append(Problem("empty_folder", path))
        elif _is_zip_name(path):
            intake.archives.append(path)
        elif is_image_name(path.name):
            loose.append(path)
        else:
            intake.problems.append(Problem("unsupported", path))
    if loose:
        parents = {p.parent for p in loose}
        common = Path(os.path.commonpath([str(p) for p in parents])) if parents else loose[0].parent
        name = common.name or "images"
        if len(loose) == 1:
            name = loose[0].stem
        intake.packs.append(
            PackPlan(
                name=name,
                files=_unique_arcnames(sorted(loose), common),
                output_folder=common,
                source=common,
            )
        )
    return intake


def pack_destination(cache_dir: Path, name: str) -> Path:
    """A fresh ``cache/dropped/<unique>/<name>.zip``: the results keep the user's name."""
    safe = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in name).strip(". ")
    return cache_dir / "dropped" / uuid.uuid4().hex[:12] / f"{safe or 'images'}.zip"


def pack_images(
    plan: PackPlan,
    destination: Path,
    cancel: CancelToken,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write ``plan``'s images into ``destination`` (complete or absent); return it.

    Each image is streamed from disk by :meth:`zipfile.ZipFile.write`, so memory stays
    flat whatever the folder's size. Raises :class:`OutputError` if the cache cannot be
    written and :class:`~..core.errors.Cancelled` if ``cancel`` is set.
    """
    total = plan.count
    last_report = 0.0
    try:
        with (
            atomic_write(destination, fsync=False) as handle,
            zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED, allowZip64=True) as bundle,
        ):
            for done, (path, arcname) in enumerate(plan.files, start=1):
                cancel.raise_if_cancelled()
                try:
                    bundle.write(path, arcname)
                except FileNotFoundError:
                    continue  # removed since the drop: the job simply has one image fewer
                now = time.monotonic()
                if progress is not None and (now - last_report > 0.1 or done == total):
                    last_report = now
                    progress(done, total)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, destination)) from exc
    return destination


def remove_packed(archive: Path, cache_dir: Path) -> None:
    """Delete an archive this module made (and its folder); leave anything else alone."""
    dropped = cache_dir / "dropped"
    try:
        archive.relative_to(dropped)
    except ValueError:
        return
    try:
        archive.unlink(missing_ok=True)
        archive.parent.rmdir()
    except OSError:
        pass


def clean_old_packs(cache_dir: Path, older_than_days: float) -> int:
    """Remove packed archives older than the given age; return how many were removed."""
    dropped = cache_dir / "dropped"
    limit = time.time() - older_than_days * 86400
    removed = 0
    try:
        folders = list(dropped.iterdir())
    except OSError:
        return 0
    for folder in folders:
        try:
            if folder.stat().st_mtime < limit:
                for item in folder.iterdir():
                    item.unlink()
                folder.rmdir()
                removed += 1
        except OSError:
            continue
    return removed
