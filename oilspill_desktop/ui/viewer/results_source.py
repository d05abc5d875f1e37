"""Where the viewer's masks and overlays come from: a results zip, or a running job's folder.

Opening reads ``report.json`` and the zip's table of contents only; members are read one by
one when an image is shown, so a 10,000-image results file opens as fast as a small one.
``read`` is called from worker threads, so both sources serialise their file access.
"""

from __future__ import annotations

import json
import threading
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from PySide6.QtCore import QCoreApplication

from ...core.model import ItemRecord, ItemStatus, MiB

translate = QCoreApplication.translate
"""Qt's translation lookup under the name lupdate recognises."""

MAX_REPORT_BYTES = 512 * MiB
"""A report.json beyond this is not ours (10,000 items take about 6 MB)."""
MAX_PICTURE_BYTES = 512 * MiB
"""A mask or overlay PNG beyond this is refused rather than read into memory."""


class ResultsError(Exception):
    """A results file or one of its pictures cannot be used; ``str`` is a sentence for people."""


@dataclass
class ResultsInfo:
    """What the report says about the job as a whole."""

    title: str
    results_path: Path | None = None
    input_name: str = ""
    input_size: int | None = None
    input_sha256: str = ""
    engine: str = ""
    endpoint: str | None = None
    model: str | None = None
    started: str = ""
    finished: str = ""
    items: list[ItemRecord] = field(default_factory=list)
    skipped: int = 0
    unreadable_rows: int = 0
    """Rows of report.json that could not be understood and are not listed."""

    @property
    def images(self) -> list[ItemRecord]:
        """The rows the viewer lists: images, not the skipped non-image members."""
        return [item for item in self.items if item.status is not ItemStatus.SKIPPED]


class ResultsSource:
    """Reads the pictures named in item records; subclasses say where from."""

    info: ResultsInfo

    def read(self, name: str) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        """Release the file; reads after this raise :class:`ResultsError`."""


def _safe_name(name: str) -> str:
    """Refuse names that could reach outside the results (``..``, absolute paths)."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise ResultsError(
            translate("ResultsSource", "The picture name “{name}” is not valid.").format(name=name)
        )
    return name


class ZipResultsSource(ResultsSource):
    """A results zip written by this program (or by its command line)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._zip = self._open(self.path)
        try:
            self.info = self._read_report()
        except BaseException:
            self._zip.close()
            raise

    def _open(self, path: Path) -> zipfile.ZipFile:
        name = path.name
        if path.is_dir():
            raise ResultsError(
                translate("ResultsSource", "“{name}” is a folder, not a results zip.").format(
                    name=name
                )
            )
        try:
            return zipfile.ZipFile(path)
        except FileNotFoundError as exc:
            raise ResultsError(
                translate("ResultsSource", "The file “{name}” does not exist.").format(name=name)
            ) from exc
        except PermissionError as exc:
            raise ResultsError(
                translate(
                    "ResultsSource", "The file “{name}” cannot be opened: permission denied."
                ).format(name=name)
            ) from exc
        except OSError as exc:
            raise ResultsError(
                translate("ResultsSource", "The file “{name}” cannot be read: {reason}.").format(
                    name=name, reason=exc.strerror or exc
                )
            ) from exc
        except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError) as exc:
            raise ResultsError(
                translate(
                    "ResultsSource",
                    "“{name}” is not a readable zip archive: it is damaged, cut short or "
                    "another kind of file.",
                ).format(name=name)
            ) from exc

    def _read_report(self) -> ResultsInfo:
        name = self.path.name
        try:
            entry = self._zip.getinfo("report.json")
        except KeyError as exc:
            raise ResultsError(
                translate(
                    "ResultsSource",
                    "“{name}” holds no report.json, so it is not a results file of this program.",
                ).format(name=name)
            ) from exc
        if entry.file_size > MAX_REPORT_BYTES:
            raise ResultsError(
                translate(
                    "ResultsSource", "The report.json in “{name}” is too large to be a report."
                ).format(name=name)
            )
        try:
            data = json.loads(self._zip.read(entry).decode("utf-8"))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise ResultsError(
                translate(
                    "ResultsSource",
                    "The report.json in “{name}” is damaged and cannot be unpacked.",
                ).format(name=name)
            ) from exc
        except (UnicodeDecodeError, ValueError) as exc:
            raise ResultsError(
                translate("ResultsSource", "The report.json in “{name}” is not valid JSON.").format(
                    name=name
                )
            ) from exc
        return parse_report(data, title=name, results_path=self.path)

    def read(self, name: str) -> bytes:
        name = _safe_name(name)
        try:
            with self._lock:
                entry = self._zip.getinfo(name)
                if entry.file_size > MAX_PICTURE_BYTES:
                    raise ResultsError(
                        translate(
                            "ResultsSource", "{name} is too large to show ({size} MB)."
                        ).format(name=name, size=entry.file_size // MiB)
                    )
                return self._zip.read(entry)
        except KeyError as exc:
            raise ResultsError(
                translate("ResultsSource", "{name} is missing from the results zip.").format(
                    name=name
                )
            ) from exc
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ResultsError(
                translate("ResultsSource", "{name} is damaged in the results zip.").format(
                    name=name
                )
            ) from exc
        except (OSError, ValueError) as exc:  # ValueError: the zip was closed
            raise ResultsError(
                translate(
                    "ResultsSource", "{name} could not be read from the results zip: {reason}."
                ).format(name=name, reason=exc)
            ) from exc

    def close(self) -> None:
        with self._lock:
            self._zip.close()


class FolderResultsSource(ResultsSource):
    """A running job's working folder: pictures appear there as each image finishes."""

    def __init__(self, root: Path, info: ResultsInfo) -> None:
        self.root = Path(root)
        self.info = info

    def read(self, name: str) -> bytes:
        path = self.root / _safe_name(name)
        try:
            if path.stat().st_size > MAX_PICTURE_BYTES:
                raise ResultsError(
                    translate("ResultsSource", "{name} is too large to show.").format(name=name)
                )
            return path.read_bytes()
        except FileNotFoundError as exc:
            raise ResultsError(
                translate(
                    "ResultsSource", "{name} is no longer in the job's working folder."
                ).format(name=name)
            ) from exc
        except OSError as exc:
            raise ResultsError(
                translate("ResultsSource", "{name} could not be read: {reason}.").format(
                    name=name, reason=exc.strerror or exc
                )
            ) from exc


def parse_report(data: object, *, title: str, results_path: Path | None) -> ResultsInfo:
    """Turn a parsed report.json into :class:`ResultsInfo`, keeping every readable row."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ResultsError(
            translate(
                "ResultsSource", "The report.json in “{name}” does not list any items."
            ).format(name=title)
        )
    facts = data.get("input") if isinstance(data.get("input"), dict) else {}
    assert isinstance(facts, dict)
    info = ResultsInfo(
        title=title,
        results_path=results_path,
        input_name=str(facts.get("name") or ""),
        input_size=facts.get("size") if isinstance(facts.get("size"), int) else None,
        input_sha256=str(facts.get("sha256") or ""),
        engine=str(data.get("engine") or ""),
        endpoint=str(data["endpoint"]) if data.get("endpoint") else None,
        model=str(data["model"]) if data.get("model") else None,
        started=str(data.get("started") or ""),
        finished=str(data.get("finished") or ""),
    )
    for row in data["items"]:
        try:
            if not isinstance(row, dict):
                raise TypeError
            record = ItemRecord.from_json(row)
        except (KeyError, TypeError, ValueError):
            info.unreadable_rows += 1
            continue
        if record.status is ItemStatus.SKIPPED:
            info.skipped += 1
        info.items.append(record)
    return info
