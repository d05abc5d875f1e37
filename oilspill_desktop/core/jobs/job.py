"""A job from the core's point of view: prepare it, process its members, finish it.

The scheduler (Qt) decides *when* and on which thread each step runs; this module decides
*what* each step does, so the window and the command line share every rule: how an input
is recognised, what is resumed, where the results go, what the report says.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..config.paths import AppPaths
from ..config.settings import Settings
from ..engines.factory import create_engine, engine_connections
from ..engines.protocol import Engine, PartEngine
from ..engines.urls import display_url
from ..errors import InputError, OutputError
from ..inputs.archive import InputArchive
from ..inputs.member_table import MemberList
from ..messages import Translate, english, say
from ..model import ArchiveMember, ItemRecord, ItemStatus
from ..results.report import InputFacts, JobReport, ReportSummary
from ..results.report_text import report_language
from ..results.results_zip import OutputTarget, choose_output, write_results_zip
from .cancel import CancelToken
from .carry_over import carry_over
from .mending import retry_can_mend
from .parts import process_part
from .pipeline import process_member
from .record_store import RecordStore
from .scene_tiles import ENDPOINT_MOST, LOCAL_MOST, PREPARING, TileBudget
from .workspace import JobWorkspace, job_key

log = logging.getLogger(__name__)

HASH_CHUNK = 4 * 1024 * 1024
NOT_PROCESSED = say("item.not_processed")


@dataclass(frozen=True)
class JobRequest:
    """What the user asked for: one input archive and where its results should go."""

    input_path: Path
    settings: Settings
    paths: AppPaths
    output: Path | None = None
    """An explicit results file (``-o`` with one input)."""
    output_folder: Path | None = None
    """A folder for the results (``-o`` with several inputs, or the settings' folder)."""
    partial: bool = False
    """Process nothing: write the results of the images an earlier run finished (the
    others are listed as not processed), as ``process --partial`` asks."""
    carry_from: Path | None = None
    """The folder of a job of the same input on another engine, whose finished images this
    job adopts instead of doing them again (see :mod:`.carry_over`)."""


def now_iso() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def input_stamp(path: Path) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns


def hash_file(path: Path, cancel: CancelToken) -> tuple[str, int]:
    """sha256 and size of ``path``, read in chunks so memory stays flat on huge inputs."""
    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(HASH_CHUNK):
                cancel.raise_if_cancelled()
                digest.update(chunk)
                size += len(chunk)
    except FileNotFoundError as exc:
        raise InputError(say("input.missing", path=str(path))) from exc
    except IsADirectoryError as exc:
        raise InputError(say("input.folder", path=str(path))) from exc
    except OSError as exc:
        raise InputError(
            say("input.unreadable", path=str(path), reason=str(exc.strerror or exc))
        ) from exc
    return digest.hexdigest(), size


@dataclass
class PreparedJob:
    """An opened input with its workspace; the members still to do are in ``pending``.

    Nothing here grows by more than a few bytes per image: members are rows of the
    archive's table, made into objects when used, and finished records wait on disk in
    ``records`` until the report is written.
    """

    request: JobRequest
    archive: InputArchive
    sha256: str
    size: int
    workspace: JobWorkspace
    engine: Engine
    target: OutputTarget
    started: str
    engine_factory: Callable[[Settings], Engine] = create_engine
    records: RecordStore = field(default_factory=RecordStore)
    """The latest accepted record of each image, by member index."""
    pending: Sequence[ArchiveMember] = field(default_factory=list)
    resumed: int = 0
    """How many images were already finished by an earlier, interrupted run."""
    input_stamp: tuple[int, int] = (0, 0)
    """Size and modification time of the input when it was hashed."""
    summary: ReportSummary | None = None
    """What the rows of the last report written added up to."""
    _ok: int = 0
    _failed: int = 0
    _with_oil: int = 0
    _oily: bytearray = field(default_factory=bytearray, repr=False)
    """One byte per member index: whether its record holds oil (a byte, not a record)."""
    _permanent: int = 0
    _stuck: bytearray = field(default_factory=bytearray, repr=False)
    """One byte per member index: whether it failed in a way no retry mends (corrupt)."""
    _tally_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    scene_tiles: tuple[int, int] | None = None
    """Windows done and in all of the large scene being segmented, if one is."""
    _budget: tuple[Engine, TileBudget] | None = field(default=None, repr=False)

    @property
    def total_images(self) -> int:
        return len(self.archive.images)

    def process(self, member: ArchiveMember, cancel: CancelToken) -> ItemRecord:
        """Run on a worker thread: the whole life of one image, its record kept.

        The record is kept here, on the worker, because the store writes it to its file:
        the scheduler's thread (the GUI's) must not wait on a disk.
        """
        record = process_member(
            self.archive,
            member,
            self.engine,
            self.workspace,
            self.request.settings.limits,
            cancel,
            self.request.settings.overlays,
            self._tiles_done,
            self.tile_budget(),
        )
        self.scene_tiles = None
        self.record(record)
        return record

    def tile_budget(self) -> TileBudget:
        """The windows of large scenes this job segments at once, all its workers together
        (see :mod:`.scene_tiles`); made again with the engine (a retry pass makes a new one)."""
        engine = self.engine
        with self._tally_lock:
            if self._budget is None or self._budget[0] is not engine:
                self._budget = engine, scene_budget(engine, self.request.settings)
            return self._budget[1]

    def _tiles_done(self, done: int, total: int) -> None:
        """From a worker: the windows done of the large scene it segments (one tuple
        assigned at once, so the scheduler's reads need no lock)."""
        self.scene_tiles = (done, total)

    def process_part(
        self, members: Sequence[ArchiveMember], cancel: CancelToken
    ) -> list[ItemRecord]:
        """Run on a worker thread: one part of the survey, for an engine that takes parts."""
        engine = self.engine
        assert isinstance(engine, PartEngine)
        records = process_part(
            self.archive, members, engine, self.workspace, self.request.settings.limits, cancel
        )
        for record in records:
            self.record(record)
        return records

    def record(self, record: ItemRecord) -> None:
        """Keep a finished item's record (from any thread)."""
        previous = self.records.put(record)
        oily = record.status is ItemStatus.OK and bool(record.oil_pixels)
        stuck = record.status is ItemStatus.FAILED and not retry_can_mend(record.error_code)
        with self._tally_lock:
            if previous is not None:
                self._tally(previous, -1)
            self._tally(record.status, +1)
            self._with_oil += _mark(self._oily, record.member_index, oily)
            self._permanent += _mark(self._stuck, record.member_index, stuck)

    def forget(self, member_index: int) -> None:
        """Drop an item's record, e.g. to send it again."""
        previous = self.records.remove(member_index)
        if previous is not None:
            with self._tally_lock:
                self._tally(previous, -1)
                self._with_oil += _mark(self._oily, member_index, False)
                self._permanent += _mark(self._stuck, member_index, False)

    def counts(self) -> tuple[int, int]:
        """(ok, failed) among the images with a record, kept up to date as records come."""
        return self._ok, self._failed

    @property
    def with_oil(self) -> int:
        """How many images with a successful record hold oil, kept up to date likewise."""
        return self._with_oil

    @property
    def mendable(self) -> int:
        """How many images lack a success for a reason another try may mend: those a
        retry would send again (not the corrupt ones; see :mod:`.mending`)."""
        return self.total_images - self._ok - self._permanent

    def _tally(self, status: ItemStatus, step: int) -> None:
        if status is ItemStatus.OK:
            self._ok += step
        elif status is ItemStatus.FAILED:
            self._failed += step

    def failed_members(self) -> Sequence[ArchiveMember]:
        """The images without a successful record that another try may mend, in the
        archive's order (a corrupt image would only fail again)."""
        images = self.archive.images
        status = self.records.status
        stuck = self._stuck
        return images.subset(
            row
            for row, index in zip(images.rows, images.indexes(), strict=True)
            if status(index) is not ItemStatus.OK and not (index < len(stuck) and stuck[index])
        )

    def report(self) -> JobReport:
        return JobReport(
            input=InputFacts(self.request.input_path.name, self.size, self.sha256),
            engine=self.engine.engine,
            endpoint=display_url(self.engine.endpoint) if self.engine.endpoint else None,
            started=self.started,
            finished=now_iso(),
            items=ReportRows(self.archive.members, self.records),
            model=model_fingerprint(self.engine),
            overlays=self.request.settings.overlays,
        )

    def finish(
        self,
        cancelled: Callable[[], bool] = lambda: False,
        *,
        partial: bool = False,
        translate: Translate = english,
    ) -> Path:
        """Write the results zip (complete or absent) and return where it landed.

        If the chosen folder cannot take it any more (it became read-only, its disk
        filled up), the results go to the app's data folder and the target says why.
        ``partial`` results (of a cancelled job) leave the job unfinished, so that it is
        still offered for a resume. ``translate`` words the reasons and warnings of
        ``report.html`` (the window passes its translation; the command line's is English).
        """
        self.check_input_unchanged()
        self.workspace.journal.sync()  # what the zip is made of is on disk before it exists
        self.workspace.touch()
        report = self.report()
        self.summary = None
        tag = self.workspace.root.name
        language = report_language(self.request.settings.language)

        def write(target: Path) -> Path:
            return write_results_zip(
                target,
                report,
                self.workspace,
                cancelled=cancelled,
                tag=tag,
                language=language,
                translate=translate,
            )

        try:
            path = write(self.target.path)
        except OutputError as exc:
            fallback_dir = self.request.paths.fallback_output_dir
            if self.target.path.parent == fallback_dir:
                raise
            log.warning("Could not write %s (%s); using %s", self.target.path, exc, fallback_dir)
            path = write(fallback_dir / self.target.path.name)
            self.target = OutputTarget(
                path, (exc.message, say("output.saved_instead", folder=str(fallback_dir)))
            )
        self.summary = report.summary
        if not partial:
            self.workspace.mark_done(path)
        return path

    def check_input_unchanged(self) -> None:
        """The results describe the archive that was hashed; refuse if it was rewritten."""
        try:
            stamp = input_stamp(self.request.input_path)
        except OSError:
            log.warning("The input %s disappeared during the job", self.request.input_path)
            return
        if stamp != self.input_stamp:
            raise InputError(say("input.changed", name=self.request.input_path.name))

    def close(self) -> None:
        """Let go of the input, the engine, the journal and the lock (it can be reopened)."""
        self.engine.close()
        self.archive.close()
        self.workspace.journal.close()
        self.workspace.unlock()

    def reopen(self, cancel: CancelToken) -> None:
        """Open the input again for another pass (retry failed), if it is unchanged."""
        sha256, _size = hash_file(self.request.input_path, cancel)
        if sha256 != self.sha256:
            raise InputError(say("input.changed_since", name=self.request.input_path.name))
        if not self.workspace.lock():
            raise InputError(say("input.busy_now", name=self.request.input_path.name))
        self.input_stamp = input_stamp(self.request.input_path)
        settings = self.request.settings
        self.archive = InputArchive(
            self.request.input_path, settings.limits, settings.archive_encoding
        )
        self.engine = self.engine_factory(settings)
        self.started = now_iso()


def _mark(marks: bytearray, member_index: int, flag: bool) -> int:
    """Set ``member_index``'s byte in ``marks`` to ``flag``; return how the count of set
    bytes changed (-1, 0 or 1). Call with the tally lock held."""
    if member_index < 0:
        return 0
    if member_index >= len(marks):
        if not flag:
            return 0
        marks.extend(bytes(member_index + 1 - len(marks)))
    change = flag - marks[member_index]
    marks[member_index] = flag
    return change


def scene_budget(engine: Engine, settings: Settings) -> TileBudget:
    """Windows at once: an endpoint's, as many as its adaptive limit allows now (a gate
    or a pool says so through ``capacity``) and :data:`PREPARING` more, up to the
    requests the job may have out; a
    local engine's, the job's workers; both within what memory allows (see
    :mod:`.scene_tiles`)."""
    if engine.engine != "http":
        return TileBudget(min(settings.workers, LOCAL_MOST))
    capacity = getattr(engine, "capacity", None)
    most = min(engine_connections(settings) + PREPARING, ENDPOINT_MOST)
    if not callable(capacity):
        return TileBudget(most)
    return TileBudget(most, lambda: int(capacity()) + PREPARING)


def model_fingerprint(engine: Engine) -> str | None:
    fingerprint = getattr(engine, "fingerprint", None)
    return str(fingerprint) if fingerprint else None


def engine_identity(engine: Engine) -> str | None:
    """What besides its kind tells engines apart: the endpoint, or the model's fingerprint."""
    return engine.endpoint or model_fingerprint(engine)


def prepare_job(
    request: JobRequest,
    cancel: CancelToken,
    *,
    engine_factory: Callable[[Settings], Engine] = create_engine,
) -> PreparedJob:
    """Hash and open the input, find earlier progress, and decide where results go.

    Raises :class:`InputError` when the input cannot be processed at all.
    """
    try:
        stamp = input_stamp(request.input_path)
    except OSError:
        stamp = (0, 0)  # hash_file says precisely what is wrong
    sha256, size = hash_file(request.input_path, cancel)
    archive, target, engine = _open_input_and_engine(request, engine_factory)
    try:
        workspace, done = _open_workspace(request, sha256, engine, archive.entry_count)
    except BaseException:
        engine.close()
        archive.close()
        raise
    job = PreparedJob(
        request=request,
        archive=archive,
        sha256=sha256,
        size=size,
        workspace=workspace,
        engine=engine,
        target=target,
        started=now_iso(),
        engine_factory=engine_factory,
        records=RecordStore(archive.entry_count),
        input_stamp=stamp,
    )
    _take_over_done(job, done)
    return job


def _open_input_and_engine(
    request: JobRequest, engine_factory: Callable[[Settings], Engine]
) -> tuple[InputArchive, OutputTarget, Engine]:
    """Open the archive, decide where results go and create the engine, in that order.

    The cheap checks come first so that an archive with nothing to do, or an output that
    cannot be placed, fails before an engine (a model load, a connection) is paid for; the
    archive is closed again on any failure.
    """
    settings = request.settings
    archive = InputArchive(request.input_path, settings.limits, settings.archive_encoding)
    try:
        if not archive.images:
            listed = len(archive.members)
            name = request.input_path.name
            raise InputError(
                say("input.no_images_skipped", name=name, count=listed)
                if listed
                else say("input.no_images", name=name)
            )
        target = choose_output(
            request.input_path,
            explicit=request.output,
            folder=request.output_folder
            or (Path(settings.output_folder) if settings.output_mode == "folder" else None),
            fallback_folder=request.paths.fallback_output_dir,
        )
        engine = engine_factory(settings)
    except BaseException:
        archive.close()
        raise
    return archive, target, engine


def _open_workspace(
    request: JobRequest, sha256: str, engine: Engine, entries: int
) -> tuple[JobWorkspace, RecordStore]:
    """The job's workspace, locked, with what its journal says is already done.

    The workspace is keyed by the input's hash, the engine and the overlay choice, so a
    resume only ever reuses masks the same engine made from the same bytes, with overlays of
    the kind asked for; the lock keeps a second window (or the
    CLI) off a job already running. Unlocked again on any failure.
    """
    overlays = request.settings.overlays
    workspace = JobWorkspace(
        request.paths.jobs_dir / job_key(sha256, engine.engine, engine_identity(engine), overlays)
    )
    try:
        workspace.create(
            {
                "input": str(request.input_path),
                "sha256": sha256,
                "engine": engine.engine,
                "endpoint": display_url(engine.endpoint) if engine.endpoint else None,
                "model": model_fingerprint(engine),
                "overlays": overlays,
                "created": now_iso(),
            }
        )
        if not workspace.lock():
            raise InputError(say("input.busy", name=request.input_path.name))
        workspace.remove_stale_parts()
        if request.carry_from is not None:
            adopted = carry_over(JobWorkspace(request.carry_from), workspace)
            log.info("Carried %d finished images over from %s", adopted, request.carry_from)
        done = workspace.journalled_successes(entries)
    except BaseException:
        workspace.unlock()
        raise
    return workspace, done


def _take_over_done(job: PreparedJob, done: RecordStore) -> None:
    """Keep the journalled successes whose files are still there; the rest are pending.

    A success counts only for the member at the same path with its files still in the
    workspace; an image whose files have gone is simply done again.
    """
    images = job.archive.images
    pending = array("q")
    try:
        for row, member in zip(images.rows, images, strict=True):
            if done.status(member.index) is ItemStatus.OK:
                record = done[member.index]
                if record.path == member.path and job.workspace.has_files(record):
                    job.record(record)
                    continue
            pending.append(row)
    finally:
        done.close()
    job.pending = images.subset(pending)
    job.resumed = len(job.records)
    if job.resumed:
        log.info(
            "Resuming %s: %d of %d images already done",
            job.request.input_path.name,
            job.resumed,
            job.total_images,
        )


class ReportRows:
    """The report's rows, one per listed member in the archive's order, made as they are read.

    Each pass reads the records back from the store, so writing ``report.json`` and
    ``report.csv`` for 10,000 images never holds more than one row. Counting needs only
    the statuses, which are in memory.
    """

    def __init__(self, members: MemberList, records: RecordStore) -> None:
        self._members = members
        self._records = records

    def __len__(self) -> int:
        return len(self._members)

    def __iter__(self) -> Iterator[ItemRecord]:
        records = self._records
        for member in self._members:
            if member.kind == "skipped":
                skipped = ItemRecord(
                    path=member.path, status=ItemStatus.SKIPPED, member_index=member.index
                )
                if member.skip is not None:
                    skipped.fail(member.skip)
                yield skipped
                continue
            found = records.get(member.index)
            if found is None:
                found = ItemRecord(
                    path=member.path, status=ItemStatus.FAILED, member_index=member.index
                )
                found.fail(NOT_PROCESSED)
            yield found

    def counts(self) -> dict[str, int]:
        """What the rows' statuses add up to, without reading a record from the disk."""
        images = self._members.table.images()
        status = self._records.status
        counts = {"images": 0, "ok": 0, "failed": 0, "skipped": len(self._members) - len(images)}
        for index in images.indexes():
            found = status(index)
            if found is ItemStatus.SKIPPED:
                counts["skipped"] += 1
                continue
            counts["images"] += 1
            counts["ok" if found is ItemStatus.OK else "failed"] += 1
        return counts
