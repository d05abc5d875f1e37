"""Find the input zip a results file was made from, check it is the same one, and read it.

The results zip holds masks and overlays but not the originals (they would double its
size), so the viewer looks for the input where it usually is: beside the results, under the
name the report gives, or where the job's working folder says it was. The size is checked
at once; the sha256 is checked later, off the GUI thread, because inputs can be gigabytes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QCoreApplication

from ...core.config.paths import app_paths
from ...core.errors import InputError, ItemError
from ...core.inputs.archive import InputArchive
from ...core.inputs.images import decode_image, is_large_tiff
from ...core.jobs.cancel import CancelToken
from ...core.jobs.job import hash_file
from ...core.jobs.workspace import JobWorkspace, job_key
from ...core.model import ArchiveMember, Limits
from ...core.results.overlay_files import OVERLAY_FORMATS
from ..core_messages import translate as translate_message
from .display import reduction
from .results_source import ResultsInfo

translate = QCoreApplication.translate
"""Qt's translation lookup under the name lupdate recognises."""

log = logging.getLogger(__name__)


class OriginalsState(StrEnum):
    LOOKING = "looking"
    AVAILABLE = "available"
    MISSING = "missing"
    CHANGED = "changed"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class OriginalsStatus:
    state: OriginalsState
    message: str
    path: Path | None = None
    verified: bool = False
    """The input's sha256 was checked against the report's."""


def candidate_inputs(info: ResultsInfo) -> list[Path]:
    """Where the input may be, most likely first: beside the results, then where it was run."""
    candidates: list[Path] = []
    if info.results_path is not None and info.input_name:
        candidates.append(info.results_path.parent / info.input_name)
    if info.input_sha256 and info.engine:
        for overlays in OVERLAY_FORMATS:  # older reports do not say which the job kept
            folder = app_paths().jobs_dir / job_key(
                info.input_sha256, info.engine, info.endpoint or info.model, overlays
            )
            recorded = JobWorkspace(folder, fsync=False).meta().get("input")
            if isinstance(recorded, str) and recorded:
                candidates.append(Path(recorded))
    unique: list[Path] = []
    for path in candidates:
        if path not in unique:
            unique.append(path)
    return unique


def find_input(info: ResultsInfo) -> tuple[Path | None, OriginalsStatus | None]:
    """The first candidate of the right size, or why there is none (cheap: stats only)."""
    if not info.input_name:
        return None, OriginalsStatus(
            OriginalsState.MISSING,
            translate(
                "Originals",
                "The report does not name the input archive, so the originals are not shown.",
            ),
        )
    wrong_size: Path | None = None
    for path in candidate_inputs(info):
        try:
            size = path.stat().st_size
        except OSError:
            continue
        if info.input_size is None or size == info.input_size:
            return path, None
        wrong_size = wrong_size or path
    if wrong_size is not None:
        return None, OriginalsStatus(
            OriginalsState.CHANGED,
            translate(
                "Originals",
                "{name} has changed since these results were made, so its originals are "
                "not shown; masks and overlays are.",
            ).format(name=wrong_size.name),
            wrong_size,
        )
    return None, OriginalsStatus(
        OriginalsState.MISSING,
        translate(
            "Originals",
            "The original images are not available: {name} is not beside the results. "
            "Masks and overlays are shown; use “Locate input…” to point to it.",
        ).format(name=info.input_name),
    )


def verify_hash(path: Path, sha256: str, cancel: CancelToken) -> OriginalsStatus | None:
    """``None`` when ``path`` hashes to ``sha256`` (or none is known); else why not."""
    if not sha256:
        return None
    try:
        digest, _size = hash_file(path, cancel)
    except InputError as exc:
        return OriginalsStatus(OriginalsState.UNREADABLE, translate_message(exc.message), path)
    if digest.lower() == sha256.lower():
        return None
    return OriginalsStatus(
        OriginalsState.CHANGED,
        translate(
            "Originals",
            "{name} is not the archive these results were made from (its contents differ), "
            "so its originals are not shown.",
        ).format(name=path.name),
        path,
    )


class Originals:
    """An opened input archive, read by member index from worker threads."""

    def __init__(self, path: Path, limits: Limits, encoding: str = "auto") -> None:
        self.path = Path(path)
        self.limits = limits
        self._archive = InputArchive(self.path, limits, encoding)
        self._by_index: dict[int, ArchiveMember] = {m.index: m for m in self._archive.images}

    @property
    def count(self) -> int:
        return len(self._by_index)

    def member(self, member_index: int, path: str) -> ArchiveMember | None:
        member = self._by_index.get(member_index)
        return member if member is not None and member.path == path else None

    def read_preview(
        self, member_index: int, path: str, cancel: CancelToken
    ) -> tuple[Image.Image, tuple[int, int]]:
        """One original as the views hold it, reduced to the display limit, and its full size.

        A large scene (a TIFF above the large-scene threshold, in a layout GDAL reads by
        blocks) is read reduced, never whole, as the job read it; any other image is
        decoded whole under the pixel limit, as the job decoded it, then reduced.
        Raises ``ItemError`` subclasses.
        """
        member = self._listed(member_index, path)
        data = self._archive.read(member, cancel)
        if is_large_tiff(data, self.limits):
            preview = _scene_preview(data, member.path, self.limits)
            if preview is not None:
                return preview
        pixels = decode_image(data, member.path, self.limits).pixels
        del data
        factor = reduction(pixels.width, pixels.height)
        return (pixels.reduce(factor) if factor > 1 else pixels), pixels.size

    def _listed(self, member_index: int, path: str) -> ArchiveMember:
        member = self.member(member_index, path)
        if member is None:
            raise ItemError(
                translate("Originals", "{path} is not in the input archive any more.").format(
                    path=path
                )
            )
        return member

    def close(self) -> None:
        self._archive.close()


def _scene_preview(
    data: bytes, path: str, limits: Limits
) -> tuple[Image.Image, tuple[int, int]] | None:
    """A large scene read reduced by GDAL; ``None`` when its layout cannot be read so (it
    is then decoded whole, under the pixel limit, as the job did). Imported here: only a
    large scene loads rasterio."""
    from ...core.inputs.scene_windows import LargeScene, NotWindowable

    try:
        scene = LargeScene(data, path, limits)
    except NotWindowable:
        return None
    with scene:
        return scene.preview(reduction(scene.width, scene.height)), (scene.width, scene.height)


def open_originals(path: Path, limits: Limits, encoding: str = "auto") -> Originals:
    """Open ``path`` (slow for huge archives: call off the GUI thread)."""
    return Originals(path, limits, encoding)
