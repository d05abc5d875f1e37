"""Choose where a results zip goes and assemble it so it is complete or absent.

The zip is written under a temporary ``.part`` name in the destination folder and moved to
its final name only once it is whole, with the mode a saved file gets (the umask decides).
There is one current results zip per input: a zip at the name that holds results of the
same input (its ``report.json`` names the same sha256: a retry, a re-run, another engine)
is replaced atomically, and the one it replaces is kept once as
``<stem>.previous.zip``. Anything else at that name is never overwritten
(``<stem> (2).zip`` and so on). It is written by :class:`~.zip_writer.ZipWriter`,
which keeps nothing per entry in memory, and the report's rows are read as they are
written, so assembling the results of 10,000 images takes no more memory than of 100.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ... import APP_NAME
from ..atomic import create_temporary, describe_os_error
from ..errors import Cancelled, OutputError
from ..geo.geojson import write_collection
from ..jobs.workspace import JobWorkspace
from ..messages import Message, Translate, english, say
from ..model import ItemRecord
from .html_report import write_html
from .report import JobReport
from .review import review_path
from .thumbnail import thumbnail_name
from .zip_writer import ZipWriter

SLICKS_GEOJSON = "slicks.geojson"
"""Every slick of the georeferenced images, at the root of the zip (when there are any)."""


@dataclass(frozen=True)
class OutputTarget:
    path: Path
    fallback_reason: tuple[Message, ...] | None = None
    """Set when the results could not go where asked and went to the app's data folder:
    the sentences that say why, shown one after another."""


def default_output_name(input_path: Path) -> str:
    return f"{input_path.stem}_results.zip"


def folder_is_writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".oilspill-probe-"):
            pass
    except OSError:
        return False
    return True


def choose_output(
    input_path: Path,
    *,
    explicit: Path | None,
    folder: Path | None,
    fallback_folder: Path,
) -> OutputTarget:
    """Pick the results file for ``input_path``.

    ``explicit`` names the file (``-o`` for one input); otherwise the results go into
    ``folder`` or, by default, beside the input. If that folder cannot be written, they go to
    ``fallback_folder`` and the reason says so.
    """
    if explicit is not None:
        wanted = explicit
    else:
        wanted = (folder or input_path.parent) / default_output_name(input_path)
    if folder_is_writable(wanted.parent):
        return OutputTarget(wanted)
    fallback = fallback_folder / wanted.name
    if not folder_is_writable(fallback_folder):
        raise OutputError(
            say("output.nowhere", folder=str(wanted.parent), fallback=str(fallback_folder))
        )
    return OutputTarget(
        fallback,
        (say("output.not_writable", folder=str(wanted.parent), fallback=str(fallback_folder)),),
    )


def numbered(path: Path, n: int) -> Path:
    return path if n == 1 else path.with_name(f"{path.stem} ({n}){path.suffix}")


def _place_without_overwriting(tmp: Path, wanted: Path) -> Path:
    """Move ``tmp`` to ``wanted`` or the first free ``wanted (n)``; never replace a file."""
    for n in range(1, 10_000):
        candidate = numbered(wanted, n)
        try:
            os.link(tmp, candidate)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            # File systems without hard links (FAT on a USB stick): check, then rename.
            if candidate.exists():
                continue
            os.replace(tmp, candidate)
            return candidate
        tmp.unlink()
        return candidate
    raise OutputError(f"Too many results files named like {wanted.name} already exist.")


REPORT_HEAD_BYTES = 64 * 1024
"""How much of an existing ``report.json`` is read to learn whose results it holds: the
input's facts come first, before the rows."""
_INPUT_HASH = re.compile(rb'"input": \{[^{}]*?"sha256": "([0-9a-f]{64})"')


def previous_path(path: Path) -> Path:
    """Where the results a newer run replaced are kept: ``<stem>.previous.zip``."""
    return path.with_name(f"{path.stem}.previous{path.suffix}")


def holds_results_of(path: Path, sha256: str) -> bool:
    """True when ``path`` is a results zip of the input whose hash is ``sha256``."""
    try:
        with zipfile.ZipFile(path) as bundle, bundle.open("report.json") as report:
            head = report.read(REPORT_HEAD_BYTES)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, EOFError, RuntimeError):
        return False  # not a zip, no report, encrypted, damaged: not ours to replace
    found = _INPUT_HASH.search(head)
    app = f'"app": "{APP_NAME}"'.encode()
    return found is not None and app in head and found.group(1).decode() == sha256


def _replace_keeping_previous(tmp: Path, wanted: Path) -> None:
    """Put ``tmp`` at ``wanted``; what was there becomes ``<stem>.previous.zip``.

    ``wanted`` always names a complete zip, old or new: the old one is linked to its new
    name first, then the new one is renamed over it. Without hard links (FAT), the old one
    is renamed away first, leaving a moment with none.
    """
    previous = previous_path(wanted)
    try:
        fd, link_name = create_temporary(wanted.parent, f".{previous.name}.", ".part")
        os.close(fd)
        os.unlink(link_name)
        os.link(wanted, link_name)
        os.replace(link_name, previous)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        os.replace(wanted, previous)
    os.replace(tmp, wanted)
    _move_verdicts(wanted, previous)


def _move_verdicts(replaced: Path, previous: Path) -> None:
    """The analyst's verdicts were given on the masks now in ``previous``: they go with it,
    so the new results start unreviewed instead of showing verdicts on other masks."""
    verdicts = review_path(replaced)
    if verdicts.exists():
        os.replace(verdicts, review_path(previous))


def remove_stale_parts(target: Path, tag: str) -> int:
    """Delete temporary zips of this job left by a process that died while writing."""
    removed = 0
    for stale in target.parent.glob(f".{glob.escape(target.stem)}.{glob.escape(tag)}.*.zip.part"):
        with contextlib.suppress(OSError):
            stale.unlink()
            removed += 1
    return removed


def _thumbnail_file(workspace: JobWorkspace, item: ItemRecord) -> Path | None:
    """The job's thumbnail of ``item`` (images with oil have one), if it is there."""
    name = thumbnail_name(item) if (item.oil_pixels or 0) > 0 else None
    path = workspace.file_for(name) if name else None
    return path if path is not None and path.is_file() else None


def _read_thumbnail(workspace: JobWorkspace, item: ItemRecord) -> bytes | None:
    path = _thumbnail_file(workspace, item)
    return path.read_bytes() if path is not None else None


def _write_item_files(
    bundle: ZipWriter, report: JobReport, workspace: JobWorkspace, cancelled: Callable[[], bool]
) -> None:
    """Each item's mask, overlay, mask GeoTIFF and thumbnail, copied from the job's folder
    as they are."""
    for item in report.items:
        for member in _files_of(item):
            if cancelled():
                raise Cancelled("cancelled")
            if member:
                bundle.write_file(workspace.file_for(member), member)
        thumbnail = _thumbnail_file(workspace, item)
        if thumbnail is not None:
            bundle.write_file(thumbnail, thumbnail_name(item) or "")


def _files_of(item: ItemRecord) -> tuple[str | None, ...]:
    """The job's files an item puts in the zip: its mask, overlay and mask GeoTIFF."""
    return (item.mask, item.overlay, item.geo.mask if item.geo else None)


def _written_from_rows(
    report: JobReport, workspace: JobWorkspace
) -> list[tuple[str, Callable[[IO[bytes]], object]]]:
    """The entries made from the rows: ``slicks.geojson`` when an image is georeferenced
    (the rows are read once more to know), then ``report.json`` and ``report.csv``."""
    entries: list[tuple[str, Callable[[IO[bytes]], object]]] = [
        ("report.json", report.write_json),
        ("report.csv", report.write_csv),
    ]
    if any(item.geo is not None and item.geo.slicks_file for item in report.items):
        entries.insert(
            0, (SLICKS_GEOJSON, lambda stream: write_collection(stream, _slicks(report, workspace)))
        )
    return entries


def _slicks(report: JobReport, workspace: JobWorkspace) -> Iterator[Path]:
    for item in report.items:
        if item.geo is not None and item.geo.slicks_file:
            yield workspace.file_for(item.geo.slicks_file)


def write_results_zip(
    target: Path,
    report: JobReport,
    workspace: JobWorkspace,
    *,
    cancelled: Callable[[], bool] = lambda: False,
    tag: str = "results",
    language: str = "en",
    translate: Translate = english,
) -> Path:
    """Assemble masks, overlays, thumbnails, the geodata and the reports into a zip; return
    where it landed.

    ``report.html`` is written in ``language`` (``en`` or ``ru``), its reasons and
    warnings worded by ``translate`` (the window's translation; English by default); the
    other reports are for programs and stay English.

    The temporary file's name carries ``tag`` (the job's key), so that a later run of the
    same job, which holds the job's lock, can remove one left by a killed process. Earlier
    results of the same input at ``target`` are replaced (see the module's docstring).
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_parts(target, tag)
        fd, tmp_name = create_temporary(target.parent, f".{target.stem}.{tag}.", ".zip.part")
    except OSError as exc:
        raise OutputError(describe_os_error(exc, target.parent)) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as raw:
            with ZipWriter(raw) as bundle:
                _write_item_files(bundle, report, workspace, cancelled)
                for name, write in _written_from_rows(report, workspace):
                    with bundle.open_deflated(name) as stream:
                        write(stream)
                with bundle.open_deflated("report.html") as stream:
                    write_html(
                        report,
                        stream,
                        language=language,
                        thumbnail=lambda item: _read_thumbnail(workspace, item),
                        translate=translate,
                    )
            raw.flush()
            os.fsync(raw.fileno())
        if holds_results_of(target, report.input.sha256):
            _replace_keeping_previous(tmp, target)
            return target
        return _place_without_overwriting(tmp, target)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, target)) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
