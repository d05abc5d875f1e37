"""Adding work: drops, the open dialogs, recent files, the sample survey, packing folders.

What the user gives is classified on the intake pool (:class:`IntakeTask`); archives are
queued at once, folders and loose images are first packed into an archive in the cache
(:class:`PackJob`) while their row shows progress. Nothing here reads the disk on the GUI
thread beyond the recent-files list.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMenu

from ...core.config.resources import sample_survey
from ...core.config.settings import Settings
from ...core.inputs.packing import Intake, PackPlan, Problem, pack_destination, remove_packed
from ...core.jobs.job import JobRequest
from ...scheduling.job_runner import JobRunner, JobState
from ...scheduling.pools import intake_pool
from ...scheduling.tasks import run_in_pool
from ..formatting import PACK_FAILED, PACKING
from ..intake import IntakeTask, PackJob
from ..queue_model import JobRow

if TYPE_CHECKING:
    from ..main_window import MainWindow

log = logging.getLogger(__name__)


class IntakeController(QObject):
    """Turns what the user opens or drops into queued jobs."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.intakes: set[IntakeTask] = set()
        """Classifications still running (closing asks about them, and cancels them)."""
        self._recent_menu: QMenu | None = None

    # -- classifying -----------------------------------------------------------------------
    def add_paths(self, paths: Iterable[Path | str]) -> IntakeTask | None:
        """Queue what the user gave: archives, folders, images. Classified off the GUI."""
        items = [Path(p) for p in paths]
        if not items:
            return None
        task = IntakeTask(items, self)
        self.intakes.add(task)
        task.done.connect(lambda intake, t=task: self._on_intake(t, intake))
        task.start()
        return task

    def _on_intake(self, task: IntakeTask, intake: Intake) -> None:
        self.intakes.discard(task)
        task.deleteLater()
        window = self.window
        if window.guard.shut_down:
            return
        messages = [self._problem_text(p) for p in intake.problems]
        for archive in intake.archives:
            if self.already_queued(archive):
                messages.append(
                    self.tr("{name} is already in the queue.").format(name=archive.name)
                )
                continue
            window.window_state.add_recent(archive)
            self.queue_archive(archive)
        for plan in intake.packs:
            window.window_state.add_recent(plan.source)
            self.start_pack(plan)
        if messages:
            for message in messages:
                log.warning("%s", message)
            if len(messages) == 1:
                summary = messages[0]
            else:
                summary = self.tr("%n item(s) could not be used; see the log.", "", len(messages))
            window.statusBar().showMessage(summary, 15_000)
        window.intake_finished.emit(intake)

    def _problem_text(self, problem: Problem) -> str:
        name = problem.path.name or str(problem.path)
        if problem.kind == "missing":
            return self.tr("{path} no longer exists.").format(path=problem.path)
        if problem.kind == "empty_folder":
            return self.tr(
                "The folder {name} holds no images (PNG, JPEG, BMP, TIFF) and no zip archives."
            ).format(name=name)
        if problem.kind == "too_many_files":
            return self.tr(
                "The folder {name} holds too many files; only the first 200,000 were looked at."
            ).format(name=name)
        return self.tr(
            "{name} is neither a zip archive nor an image (PNG, JPEG, BMP, TIFF), so it was "
            "not queued."
        ).format(name=name)

    def already_queued(self, archive: Path) -> bool:
        for row in self.window.model.rows:
            runner = row.runner
            if runner is not None and not row.is_final and runner.request.input_path == archive:
                return True
        return False

    # -- queueing --------------------------------------------------------------------------
    def queue_archive(
        self,
        archive: Path,
        *,
        output_folder: Path | None = None,
        row: JobRow | None = None,
        settings: Settings | None = None,
        carry_from: Path | None = None,
    ) -> JobRunner:
        """Add one archive to the queue (a new row, or ``row`` reused) and start it in turn.

        ``settings`` replace the window's for this job (another engine), and ``carry_from``
        is a job folder whose finished images it adopts (see :class:`JobRequest`).
        """
        window = self.window
        request = JobRequest(
            archive,
            settings or window.settings,
            window.paths,
            output_folder=output_folder,
            carry_from=carry_from,
        )
        runner = window.queue.add(request, start=False)
        if row is None:
            row = window.model.add_row(JobRow(name=archive.name, source=archive))
        row.output_folder = output_folder
        window.model.attach(row, runner)
        log.info("Queued %s", row.source)
        window.queue.start_pending()
        return runner

    def start_pack(self, plan: PackPlan, row: JobRow | None = None) -> None:
        """Gather ``plan``'s images into an archive in the cache, then queue it."""
        model = self.window.model
        destination = pack_destination(self.window.paths.cache_dir, plan.name)
        pack = PackJob(plan, destination, self)
        if row is None:
            row = model.add_row(JobRow(name=plan.name, source=plan.source))
        row.pack = pack
        row.plan = plan
        row.packed_archive = None
        row.outcome = None
        row.progress = None
        model.set_pack_progress(row, 0, plan.count)
        model.set_state(row, PACKING)
        pack.progress.connect(lambda done, total, r=row: model.set_pack_progress(r, done, total))
        pack.succeeded.connect(lambda path, r=row, p=plan: self._on_packed(r, p, path))
        pack.failed.connect(lambda message, r=row: self._on_pack_failed(r, message))
        pack.cancelled.connect(lambda r=row: self._on_pack_cancelled(r))
        log.info("Gathering %d images from %s into an archive", plan.count, plan.source)
        pack.start()

    def _on_packed(self, row: JobRow, plan: PackPlan, archive: Path) -> None:
        row.pack = None
        window = self.window
        if row not in window.model.rows or window.guard.shut_down:
            self.remove_packed_later(archive)
            return
        row.packed_archive = archive
        beside = window.settings.output_mode == "beside"
        self.queue_archive(archive, output_folder=plan.output_folder if beside else None, row=row)

    def _on_pack_failed(self, row: JobRow, message: str) -> None:
        row.pack = None
        log.error("Could not gather the images of %s: %s", row.source, message)
        self.window.model.set_state(
            row,
            PACK_FAILED,
            self.tr("The images could not be gathered into an archive: {reason}").format(
                reason=message
            ),
        )

    def _on_pack_cancelled(self, row: JobRow) -> None:
        row.pack = None
        self.window.model.set_state(row, JobState.CANCELLED.value, self.tr("Cancelled."))

    def remove_packed_later(self, archive: Path) -> None:
        """Delete an archive the app packed, off the GUI thread (it may be gigabytes)."""
        cache = self.window.paths.cache_dir
        run_in_pool(
            intake_pool(),
            lambda _handle: remove_packed(archive, cache),
            context=self,
            on_done=lambda _none: None,
            key="remove packed archive",
        )

    def queue_sample(self) -> JobRunner | None:
        """Queue the bundled sample; its results go to the data folder, never into the app."""
        window = self.window
        try:
            sample = sample_survey()
        except FileNotFoundError as exc:
            log.error("%s", exc)
            window.banner.show_message(
                self.tr("The sample survey is not part of this installation."), "error"
            )
            return None
        if self.already_queued(sample):
            window.statusBar().showMessage(
                self.tr("{name} is already in the queue.").format(name=sample.name), 8000
            )
            return None
        beside = window.settings.output_mode == "beside"
        return self.queue_archive(
            sample, output_folder=window.paths.fallback_output_dir if beside else None
        )

    # -- dialogs and recent files ----------------------------------------------------------
    def _start_folder(self) -> str:
        recent = self.window.window_state.recent_files()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def open_archives_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self.window,
            self.tr("Open survey archives"),
            self._start_folder(),
            ";;".join(
                (
                    self.tr("Zip archives (*.zip)"),
                    self.tr("Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff)"),
                    self.tr("All files (*)"),
                )
            ),
        )
        if files:
            self.add_paths(files)

    def open_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window, self.tr("Open a folder of images"), self._start_folder()
        )
        if folder:
            self.add_paths([folder])

    def open_results_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            self.tr("Open a results zip"),
            self._start_folder(),
            self.tr("Results (*_results*.zip *.zip);;All files (*)"),
        )
        if path:
            self.window.dialogs.open_viewer(results=Path(path))

    def attach_recent_menu(self, menu: QMenu) -> None:
        """Fill ``menu`` with the recent files each time it opens."""
        self._recent_menu = menu
        menu.aboutToShow.connect(self._fill_recent_menu)

    def _fill_recent_menu(self) -> None:
        menu = self._recent_menu
        if menu is None:
            return
        menu.clear()
        state = self.window.window_state
        recent = state.recent_files()
        if not recent:
            empty = menu.addAction(self.tr("No recent files"))
            empty.setEnabled(False)
            return
        metrics = menu.fontMetrics()
        width = metrics.horizontalAdvance("M") * 40
        for number, path in enumerate(recent, start=1):
            label = metrics.elidedText(path, Qt.TextElideMode.ElideMiddle, width)
            prefix = f"&{number % 10} " if number <= 10 else ""
            action = menu.addAction(prefix + label.replace("&", "&&"))
            action.setToolTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.add_paths([p]))
        menu.addSeparator()
        clear = menu.addAction(self.tr("Clear the list"))
        clear.triggered.connect(state.clear_recent)

    # -- drag and drop (the window forwards its events) -------------------------------------
    @staticmethod
    def _local_paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def drag_enter(self, event: QDragEnterEvent) -> None:
        if self._local_paths(event):
            event.acceptProposedAction()
            self.window.drop_area.set_highlighted(True)
        else:
            event.ignore()

    def drag_move(self, event: QDragMoveEvent) -> None:
        if self._local_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def drag_leave(self, event: QDragLeaveEvent) -> None:
        self.window.drop_area.set_highlighted(False)
        event.accept()

    def drop(self, event: QDropEvent) -> None:
        self.window.drop_area.set_highlighted(False)
        mime = event.mimeData()
        paths = self._local_paths(event)
        if not paths:
            if mime is not None and mime.hasUrls():
                self.window.statusBar().showMessage(
                    self.tr("Only files on this computer can be processed; download them first."),
                    10_000,
                )
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_paths(paths)
