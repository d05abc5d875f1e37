"""The main window: add work, watch the queue, reach the results, configure the engine.

It owns the :class:`JobQueue` (the same scheduler ``oilspill-desktop process`` runs) and
shows it through :class:`QueueModel`. Nothing here touches the disk or the network on the
GUI thread except small config files: drops are classified and packed on a pool, jobs run
on the scheduler's pools, and the connection test is a coroutine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QPersistentModelIndex, QPoint, QRunnable, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME
from ..core.config.credentials import load_settings_with_token, save_settings_with_token
from ..core.config.paths import AppPaths, app_paths
from ..core.config.resources import sample_survey
from ..core.config.settings import Settings
from ..core.engines.factory import create_engine
from ..core.engines.protocol import Engine
from ..core.engines.urls import display_url
from ..core.errors import OilSpillError
from ..core.inputs.packing import (
    Intake,
    PackPlan,
    Problem,
    clean_old_packs,
    pack_destination,
    remove_packed,
)
from ..core.jobs.job import JobRequest
from ..core.jobs.workspace import UnfinishedJob, clean_cache, unfinished_jobs
from ..logging_setup import register_secret
from ..scheduling.job_queue import JobQueue
from ..scheduling.job_runner import JobOutcome, JobRunner, JobState
from ..scheduling.pools import settings_pool
from ..scheduling.tasks import FunctionTask, TaskSignals, lower_worker_priority
from . import desktop, formatting
from .banner import MessageBanner
from .drop_area import DropArea
from .formatting import PACK_FAILED, PACKING
from .help_dialog import HelpDialog
from .icons import IconBinder, app_icon
from .intake import IntakeTask, PackJob, intake_pool
from .log_dock import LogDock
from .models_dialog import ModelsDialog
from .notifications import Notifier
from .queue_model import ROW_ROLE, Action, JobRow, QueueModel, action_label, available_actions
from .queue_view import QueueView
from .settings_dialog import SettingsDialog
from .window_state import WindowState

log = logging.getLogger(__name__)

DRAIN_POLL_MS = 100


class _Call(QRunnable):
    """Run a small function on the intake pool (file deletions, cache clean-up)."""

    def __init__(self, function: Callable[[], object]) -> None:
        super().__init__()
        self._function = function
        self.setAutoDelete(True)

    def run(self) -> None:
        lower_worker_priority()
        try:
            self._function()
        except Exception:
            log.exception("A background clean-up failed")


def _off_thread(function: Callable[[], object]) -> None:
    intake_pool().start(_Call(function))


class MainWindow(QMainWindow):
    """The application window, built with the saved settings.

    Signals:
        intake_finished(object): an :class:`Intake` was acted upon (archives queued, packs
            started, problems reported). Tests wait on it.
        job_finished(object, object): ``(JobRow, JobOutcome)`` when a job ends.
        settings_changed(object): new :class:`Settings` are in use and saved (the save
            runs off the GUI thread; this comes once it is done).
        resumable_found(int): the start-up look for interrupted jobs ended (how many).
    """

    intake_finished = Signal(object)
    job_finished = Signal(object, object)
    settings_changed = Signal(object)
    resumable_found = Signal(int)

    def __init__(
        self,
        *,
        paths: AppPaths | None = None,
        engine_factory: Callable[[Settings], Engine] = create_engine,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.paths = (paths or app_paths()).ensure()
        loaded = load_settings_with_token(self.paths.settings_file)
        self.settings = loaded.settings
        register_secret(self.settings.api_token)
        if logging.getLogger().getEffectiveLevel() > logging.INFO:
            logging.getLogger().setLevel(logging.INFO)
        for chatty in ("httpx", "httpcore"):  # one INFO line per request would drown the log
            if logging.getLogger(chatty).level == logging.NOTSET:
                logging.getLogger(chatty).setLevel(logging.WARNING)
        self.window_state = WindowState(self.paths.config_dir / "window.ini")
        self.queue = JobQueue(self.settings.concurrent_jobs, self, engine_factory=engine_factory)
        self.model = QueueModel(self)
        self.notifier = Notifier(self)
        self._intakes: set[IntakeTask] = set()
        self._viewers: list[QWidget] = []
        self._resumable: list[UnfinishedJob] = []
        self._help: HelpDialog | None = None
        self._close_confirmed = False
        self._shut_down = False
        self.icons = IconBinder()
        self._last_notified: JobRow | None = None

        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_central()
        self._build_status_bar()
        self.log_dock = LogDock(self)
        self.log_dock.open_log_folder.connect(self.open_log_folder)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.log_dock)
        self.log_toggle = self.log_dock.toggleViewAction()
        self.log_toggle.setText(self.tr("&Log"))
        self.icons.bind(self.log_toggle.setIcon, "log")
        self.icons.bind(self.log_dock.folder_button.setIcon, "reveal")
        self.icons.bind(self.log_dock.clear_button.setIcon, "remove")
        self.log_toggle.setShortcut(QKeySequence("Ctrl+L"))
        self.view_menu.addAction(self.log_toggle)
        self.toolbar.addAction(self.log_toggle)

        self.queue.overall_progress.connect(self._on_overall_progress)
        self.queue.idle.connect(self._on_idle)
        self.model.rows_changed.connect(self._on_rows_changed)
        self.model.row_finished.connect(self._on_row_finished)
        self.notifier.clicked.connect(self._bring_to_front)

        unit = self.fontMetrics().height()
        screen = self.screen().availableGeometry()
        self.resize(
            min(unit * 72, round(screen.width() * 0.9)),
            min(unit * 44, round(screen.height() * 0.9)),
        )
        self.setMinimumSize(unit * 36, unit * 22)
        if not self.window_state.restore(self):
            self.log_dock.hide()
        self._on_rows_changed()
        self._update_actions()

        if loaded.problem:
            log.warning("%s", loaded.problem)
            self.banner.show_message(
                self.tr(
                    "Your settings file could not be read, so the default settings are in "
                    "use. The old file was kept. Details: {problem}"
                ).format(problem=loaded.problem),
                "warning",
            )
        log.info("%s ready (engine: %s)", APP_NAME, self._engine_text(self.settings))

    # -- construction -----------------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        *,
        icon_name: str | None = None,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if icon_name:
            self.icons.bind(action.setIcon, icon_name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        self.open_action = self._action(
            self.tr("&Open Archives…"),
            self.open_archives_dialog,
            icon_name="open-archives",
            shortcut=QKeySequence.StandardKey.Open,
            tip=self.tr("Queue zip archives of survey images"),
        )
        self.open_folder_action = self._action(
            self.tr("Open &Folder of Images…"),
            self.open_folder_dialog,
            icon_name="open-folder",
            shortcut="Ctrl+Shift+O",
            tip=self.tr("Queue a folder of images as one job"),
        )
        self.open_results_action = self._action(
            self.tr("Open Results in &Viewer…"),
            self.open_results_dialog,
            icon_name="view-masks",
            tip=self.tr("Look at the masks and overlays of a results zip"),
        )
        self.sample_action = self._action(
            self.tr("Queue the &Sample Survey"),
            self.queue_sample,
            icon_name="sample",
            tip=self.tr("Process the small survey bundled with the app"),
        )
        self.settings_action = self._action(
            self.tr("&Settings…"),
            self.open_settings,
            icon_name="settings",
            shortcut="Ctrl+,",
            tip=self.tr("Engine, endpoint, output folder, language"),
        )
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit_action = self._action(
            self.tr("&Quit"), self.quit, shortcut=QKeySequence.StandardKey.Quit
        )
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.job_actions: dict[str, QAction] = {}
        specs: list[tuple[str, str | None]] = [
            (Action.PAUSE, None),
            (Action.RESUME, None),
            (Action.CANCEL, None),
            (Action.RETRY, "Ctrl+R"),
            (Action.RUN_AGAIN, None),
            (Action.OPEN, None),
            (Action.REVEAL, None),
            (Action.VIEW, "Ctrl+M"),
            (Action.REMOVE, None),
        ]
        for name, shortcut in specs:
            action = self._action(
                action_label(name),
                partial(self._perform_on_selection, name),
                icon_name=name,
                shortcut=shortcut,
            )
            self.job_actions[name] = action
        self.job_actions[Action.REMOVE].setShortcut(QKeySequence.StandardKey.Delete)
        self.job_actions[Action.OPEN].setShortcuts(
            [QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")]
        )
        self.toggle_pause_action = self._action(
            self.tr("Pause or Resume"), self._toggle_pause, shortcut="Space"
        )
        self.toggle_pause_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.open_selected_action = self._action(
            self.tr("Open Results"),
            lambda: self.perform(Action.OPEN, self.selected_rows()),
        )
        self.open_selected_action.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
        self.open_selected_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.clear_finished_action = self._action(
            self.tr("Clear &Finished Jobs"), self.clear_finished, icon_name="remove"
        )
        self.cancel_all_action = self._action(self.tr("Cancel &All Jobs"), self.cancel_all)
        self.help_action = self._action(
            self.tr("&Help and About"),
            self.show_help,
            icon_name="help",
            shortcut=QKeySequence.StandardKey.HelpContents,
        )
        self.help_action.setShortcut(QKeySequence("F1"))
        self.log_folder_action = self._action(self.tr("Open &Log Folder"), self.open_log_folder)
        self.about_qt_action = self._action(self.tr("About &Qt"), QApplication.aboutQt)
        self.about_models_action = self._action(self.tr("About &Models"), self.show_models)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.open_folder_action)
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.open_results_action)
        file_menu.addAction(self.sample_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        self.job_menu = bar.addMenu(self.tr("&Job"))
        for name in (Action.PAUSE, Action.RESUME, Action.CANCEL, Action.RETRY, Action.RUN_AGAIN):
            self.job_menu.addAction(self.job_actions[name])
        self.job_menu.addSeparator()
        for name in (Action.OPEN, Action.REVEAL, Action.VIEW):
            self.job_menu.addAction(self.job_actions[name])
        self.job_menu.addSeparator()
        self.job_menu.addAction(self.job_actions[Action.REMOVE])
        self.job_menu.addAction(self.clear_finished_action)
        self.job_menu.addAction(self.cancel_all_action)

        self.view_menu = bar.addMenu(self.tr("&View"))
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.help_action)
        help_menu.addAction(self.log_folder_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_models_action)
        help_menu.addAction(self.about_qt_action)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self.tr("Toolbar"), self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addAction(self.open_action)
        self.toolbar.addAction(self.open_folder_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.toolbar.addAction(self.settings_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.view_menu_toolbar = self.toolbar.toggleViewAction()
        self.view_menu_toolbar.setText(self.tr("&Toolbar"))

    def _build_central(self) -> None:
        unit = self.fontMetrics().height()
        central = QWidget()
        central.setObjectName("central")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.banner = MessageBanner(central)
        self.banner.action_clicked.connect(self.resume_unfinished)
        layout.addWidget(self.banner)

        self.stack = QStackedWidget(central)
        self.drop_area = DropArea()
        self.icons.bind(self.drop_area.open_button.setIcon, "open-archives")
        self.icons.bind(self.drop_area.folder_button.setIcon, "open-folder")
        self.drop_area.open_archives.connect(self.open_archives_dialog)
        self.drop_area.open_folder.connect(self.open_folder_dialog)
        self.drop_area.sample_requested.connect(self.queue_sample)
        self.stack.addWidget(self.drop_area)

        page = QWidget()
        page.setObjectName("queuePage")
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(unit, round(unit * 0.8), unit, round(unit * 0.6))
        page_layout.setSpacing(round(unit * 0.6))
        header = QHBoxLayout()
        header.setSpacing(unit)
        self.queue_title = QLabel(self.tr("Queue"))
        self.queue_title.setObjectName("queueTitle")
        title_font = self.queue_title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.queue_title.setFont(title_font)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("queueSummary")
        self.clear_button = QPushButton(self.tr("Clear finished"))
        self.icons.bind(self.clear_button.setIcon, "remove")
        self.clear_button.setFlat(True)
        self.clear_button.clicked.connect(self.clear_finished)
        header.addWidget(self.queue_title)
        header.addWidget(self.summary_label, 1, Qt.AlignmentFlag.AlignBottom)
        header.addWidget(self.clear_button)
        page_layout.addLayout(header)

        self.view = QueueView(page)
        self.view.setModel(self.model)
        self.view.action_triggered.connect(self._on_row_button)
        self.view.doubleClicked.connect(self._on_double_click)
        self.view.customContextMenuRequested.connect(self._show_context_menu)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.view.addAction(self.toggle_pause_action)
        self.view.addAction(self.open_selected_action)
        page_layout.addWidget(self.view, 1)
        self.stack.addWidget(page)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(True)
        self.overall_label = QLabel()
        self.overall_label.setObjectName("overallLabel")
        self.overall_bar = QProgressBar()
        self.overall_bar.setObjectName("overallProgress")
        self.overall_bar.setRange(0, 1000)
        self.overall_bar.setTextVisible(False)
        unit = self.fontMetrics().height()
        self.overall_bar.setFixedWidth(unit * 12)
        self.overall_bar.setMaximumHeight(round(unit * 0.9))
        bar.addPermanentWidget(self.overall_label)
        bar.addPermanentWidget(self.overall_bar)
        self.overall_bar.hide()

    # -- adding work ------------------------------------------------------------------------
    def add_paths(self, paths: Iterable[Path | str]) -> IntakeTask | None:
        """Queue what the user gave: archives, folders, images. Classified off the GUI."""
        items = [Path(p) for p in paths]
        if not items:
            return None
        task = IntakeTask(items, self)
        self._intakes.add(task)
        task.done.connect(lambda intake, t=task: self._on_intake(t, intake))
        task.start()
        return task

    def _on_intake(self, task: IntakeTask, intake: Intake) -> None:
        self._intakes.discard(task)
        task.deleteLater()
        if self._shut_down:
            return
        messages = [self._problem_text(p) for p in intake.problems]
        for archive in intake.archives:
            if self._already_queued(archive):
                messages.append(
                    self.tr("{name} is already in the queue.").format(name=archive.name)
                )
                continue
            self.window_state.add_recent(archive)
            self.queue_archive(archive)
        for plan in intake.packs:
            self.window_state.add_recent(plan.source)
            self._start_pack(plan)
        if messages:
            for message in messages:
                log.warning("%s", message)
            if len(messages) == 1:
                summary = messages[0]
            else:
                summary = self.tr("%n item(s) could not be used; see the log.", "", len(messages))
            self.statusBar().showMessage(summary, 15_000)
        self.intake_finished.emit(intake)

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

    def _already_queued(self, archive: Path) -> bool:
        for row in self.model.rows:
            runner = row.runner
            if runner is not None and not row.is_final and runner.request.input_path == archive:
                return True
        return False

    def queue_archive(
        self,
        archive: Path,
        *,
        output_folder: Path | None = None,
        row: JobRow | None = None,
    ) -> JobRunner:
        """Add one archive to the queue (a new row, or ``row`` reused) and start it in turn."""
        request = JobRequest(archive, self.settings, self.paths, output_folder=output_folder)
        runner = self.queue.add(request, start=False)
        if row is None:
            row = self.model.add_row(JobRow(name=archive.name, source=archive))
        row.output_folder = output_folder
        self.model.attach(row, runner)
        log.info("Queued %s", row.source)
        self.queue.start_pending()
        return runner

    def _start_pack(self, plan: PackPlan, row: JobRow | None = None) -> None:
        destination = pack_destination(self.paths.cache_dir, plan.name)
        pack = PackJob(plan, destination, self)
        if row is None:
            row = self.model.add_row(JobRow(name=plan.name, source=plan.source))
        row.pack = pack
        row.plan = plan
        row.packed_archive = None
        row.outcome = None
        row.progress = None
        self.model.set_pack_progress(row, 0, plan.count)
        self.model.set_state(row, PACKING)
        pack.progress.connect(
            lambda done, total, r=row: self.model.set_pack_progress(r, done, total)
        )
        pack.succeeded.connect(lambda path, r=row, p=plan: self._on_packed(r, p, path))
        pack.failed.connect(lambda message, r=row: self._on_pack_failed(r, message))
        pack.cancelled.connect(lambda r=row: self._on_pack_cancelled(r))
        log.info("Gathering %d images from %s into an archive", plan.count, plan.source)
        pack.start()

    def _on_packed(self, row: JobRow, plan: PackPlan, archive: Path) -> None:
        row.pack = None
        if row not in self.model.rows or self._shut_down:
            _off_thread(lambda: remove_packed(archive, self.paths.cache_dir))
            return
        row.packed_archive = archive
        beside = self.settings.output_mode == "beside"
        self.queue_archive(archive, output_folder=plan.output_folder if beside else None, row=row)

    def _on_pack_failed(self, row: JobRow, message: str) -> None:
        row.pack = None
        log.error("Could not gather the images of %s: %s", row.source, message)
        self.model.set_state(
            row,
            PACK_FAILED,
            self.tr("The images could not be gathered into an archive: {reason}").format(
                reason=message
            ),
        )

    def _on_pack_cancelled(self, row: JobRow) -> None:
        row.pack = None
        self.model.set_state(row, JobState.CANCELLED.value, self.tr("Cancelled."))

    # -- dialogs ----------------------------------------------------------------------------
    def _start_folder(self) -> str:
        recent = self.window_state.recent_files()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def open_archives_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
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
            self, self.tr("Open a folder of images"), self._start_folder()
        )
        if folder:
            self.add_paths([folder])

    def open_results_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a results zip"),
            self._start_folder(),
            self.tr("Results (*_results*.zip *.zip);;All files (*)"),
        )
        if path:
            self.open_viewer(results=Path(path))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.window_state.recent_files()
        if not recent:
            empty = self.recent_menu.addAction(self.tr("No recent files"))
            empty.setEnabled(False)
            return
        metrics = self.recent_menu.fontMetrics()
        width = metrics.horizontalAdvance("M") * 40
        for number, path in enumerate(recent, start=1):
            label = metrics.elidedText(path, Qt.TextElideMode.ElideMiddle, width)
            prefix = f"&{number % 10} " if number <= 10 else ""
            action = self.recent_menu.addAction(prefix + label.replace("&", "&&"))
            action.setToolTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.add_paths([p]))
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction(self.tr("Clear the list"))
        clear.triggered.connect(self.window_state.clear_recent)

    def queue_sample(self) -> JobRunner | None:
        """Queue the bundled sample; its results go to the data folder, never into the app."""
        try:
            sample = sample_survey()
        except FileNotFoundError as exc:
            log.error("%s", exc)
            self.banner.show_message(
                self.tr("The sample survey is not part of this installation."), "error"
            )
            return None
        if self._already_queued(sample):
            self.statusBar().showMessage(
                self.tr("{name} is already in the queue.").format(name=sample.name), 8000
            )
            return None
        beside = self.settings.output_mode == "beside"
        return self.queue_archive(
            sample, output_folder=self.paths.fallback_output_dir if beside else None
        )

    # -- resuming interrupted jobs -----------------------------------------------------------
    def offer_resume(self) -> None:
        """Look for jobs a crash, a cancel or a power cut interrupted (off the GUI thread)
        and offer, in the banner, to resume them."""
        signals = TaskSignals(self)
        signals.succeeded.connect(lambda _tag, found: self._on_unfinished(found))
        signals.raised.connect(lambda _tag, exc: log.warning("Could not list jobs: %s", exc))
        jobs_dir = self.paths.jobs_dir
        intake_pool().start(FunctionTask(lambda: unfinished_jobs(jobs_dir), signals, "resume"))

    def _on_unfinished(self, found: list[UnfinishedJob]) -> None:
        jobs = [job for job in found if not self._already_queued(job.input_path)]
        self._resumable = jobs
        self.resumable_found.emit(len(jobs))
        if not jobs or self._shut_down:
            return
        names = ", ".join(job.input_path.name for job in jobs[:3])
        if len(jobs) > 3:
            names += ", …"
        done = sum(job.finished for job in jobs)
        text = self.tr(
            "%n interrupted job(s) can be resumed where they stopped ({names}; {done} images "
            "already done).",
            "",
            len(jobs),
        ).format(names=names, done=formatting.integer(done))
        self.banner.show_message(text, "info", action=self.tr("Resume"))

    def resume_unfinished(self) -> list[JobRunner]:
        """Queue the interrupted jobs again, each with the engine it started with."""
        runners = []
        for job in self._resumable:
            settings = self.settings
            if job.engine in ("model", "classical", "builtin"):
                # "builtin" workspaces predate the learned model: they ran the classical one.
                engine = "classical" if job.engine == "builtin" else job.engine
                settings = settings.with_changes(engine=engine)
            elif display_url(settings.endpoint) != job.endpoint and job.endpoint:
                settings = settings.with_changes(engine="http", endpoint=job.endpoint)
            else:
                settings = settings.with_changes(engine="http")
            request = JobRequest(job.input_path, settings, self.paths)
            runner = self.queue.add(request, start=False)
            row = self.model.add_row(JobRow(name=job.input_path.name, source=job.input_path))
            self.model.attach(row, runner)
            log.info("Resuming %s (%d images already done)", job.input_path, job.finished)
            runners.append(runner)
        self._resumable = []
        self.queue.start_pending()
        return runners

    def open_settings(self) -> SettingsDialog:
        """Show the settings dialog (window-modal, not blocking); apply on OK."""
        dialog = SettingsDialog(self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda d=dialog: self.apply_settings(d.settings()))
        dialog.open()
        return dialog

    def apply_settings(self, settings: Settings) -> None:
        """Use ``settings`` for new jobs now, and save them off the GUI thread.

        Saving writes the settings file and the token to the OS keyring, which answers
        over D-Bus and may wait for the user to unlock it: never on the GUI thread. Saves
        run on a one-thread pool, so they land in the order they were made. A save that
        fails leaves the settings in use for this session and says so in the banner.
        """
        register_secret(settings.api_token)
        language_changed = settings.language != self.settings.language
        self.settings = settings
        self.queue.set_concurrent_jobs(settings.concurrent_jobs)
        signals = TaskSignals(self)  # deleted with the window: a late answer goes nowhere
        signals.succeeded.connect(
            lambda _tag, _result: self._on_settings_saved(settings, language_changed)
        )
        signals.raised.connect(lambda _tag, exc: self._on_settings_not_saved(exc))
        signals.succeeded.connect(signals.deleteLater)
        signals.raised.connect(signals.deleteLater)
        path = self.paths.settings_file
        settings_pool().start(
            FunctionTask(lambda: save_settings_with_token(settings, path), signals, "settings")
        )

    def _on_settings_saved(self, settings: Settings, language_changed: bool) -> None:
        log.info("Settings saved (engine: %s)", self._engine_text(settings))
        message = self.tr("Settings saved. They apply to jobs queued from now on.")
        if language_changed:
            message = self.tr("Settings saved. The new language applies when the app restarts.")
        self.statusBar().showMessage(message, 8000)
        self.settings_changed.emit(settings)

    def _on_settings_not_saved(self, exc: object) -> None:
        if not isinstance(exc, OilSpillError):
            log.error("Saving the settings failed", exc_info=exc)  # type: ignore[arg-type]
        else:
            log.error("Could not save the settings: %s", exc)
        self.banner.show_message(
            self.tr("The settings could not be saved: {reason}").format(reason=exc), "error"
        )

    @staticmethod
    def _engine_text(settings: Settings) -> str:
        if settings.engine == "http":
            return f"HTTP {settings.endpoint.split('?', 1)[0]}"
        if settings.engine == "classical":
            return "classical"
        return "model"

    def show_models(self) -> None:
        dialog = ModelsDialog(self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def show_help(self) -> None:
        if self._help is None:
            self._help = HelpDialog(self.paths, self)
        self._help.show()
        self._help.raise_()
        self._help.activateWindow()

    def open_log_folder(self) -> None:
        self.paths.log_dir.mkdir(parents=True, exist_ok=True)
        if not desktop.open_path(self.paths.log_dir):
            self.statusBar().showMessage(
                self.tr("The log folder is {path}").format(path=self.paths.log_dir), 15_000
            )

    def open_viewer(
        self, *, results: Path | None = None, runner: JobRunner | None = None
    ) -> QWidget | None:
        """Open the mask viewer on a results zip, or following a running job."""
        try:
            from .viewer import ViewerWindow
        except ImportError as exc:
            log.warning("The mask viewer cannot be opened: %s", exc)
            self.statusBar().showMessage(
                self.tr("The mask viewer is not available in this installation."), 10_000
            )
            return None
        try:
            viewer = ViewerWindow(results_zip=results if runner is None else None)
            if runner is not None:
                viewer.follow(runner)
        except Exception as exc:
            log.exception("The mask viewer failed to open")
            self.statusBar().showMessage(
                self.tr("The mask viewer could not open: {reason}").format(reason=exc), 10_000
            )
            return None
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._viewers.append(viewer)
        viewer.destroyed.connect(lambda _obj=None, v=viewer: self._forget_viewer(v))
        viewer.show()
        return viewer

    def _forget_viewer(self, viewer: QWidget) -> None:
        if viewer in self._viewers:
            self._viewers.remove(viewer)

    # -- row actions ------------------------------------------------------------------------
    def selected_rows(self) -> list[JobRow]:
        selection = self.view.selectionModel()
        if selection is None:
            return []
        rows: list[JobRow] = []
        for index in selection.selectedRows(0):
            row = self.model.data(index, ROW_ROLE)
            if isinstance(row, JobRow):
                rows.append(row)
        if not rows:
            current = self.view.currentIndex()
            row = self.model.row_at(current) if current.isValid() else None
            if row is not None and selection.isSelected(current):
                rows.append(row)
        return rows

    def select_row(self, row: JobRow) -> None:
        index = self.model.index_of(row)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.selectionModel().select(
                index,
                self.view.selectionModel().SelectionFlag.ClearAndSelect
                | self.view.selectionModel().SelectionFlag.Rows,
            )

    def _perform_on_selection(self, action: str) -> None:
        self.perform(action, self.selected_rows())

    def perform(self, action: str, rows: Sequence[JobRow]) -> None:
        """Do ``action`` to each of ``rows`` for which it is available now."""
        for row in list(rows):
            if action in available_actions(row):
                self._perform_one(action, row)
        self._update_actions()

    def _perform_one(self, action: str, row: JobRow) -> None:
        runner = row.runner
        if action == Action.CANCEL:
            if row.pack is not None:
                row.pack.cancel()
            elif runner is not None:
                log.info("Cancelling %s", row.name)
                runner.cancel()
        elif action == Action.PAUSE and runner is not None:
            runner.pause()
        elif action == Action.RESUME and runner is not None:
            runner.resume()
        elif action == Action.RETRY and runner is not None:
            if runner.retry_failed():
                log.info("Retrying the failed images of %s", row.name)
                self.queue.start_pending()
            else:
                self.statusBar().showMessage(
                    self.tr("{name} has no failed images to retry.").format(name=row.name), 8000
                )
        elif action == Action.RUN_AGAIN:
            self._run_again(row)
        elif action == Action.OPEN and row.results_path is not None:
            if not desktop.open_path(row.results_path):
                self.statusBar().showMessage(
                    self.tr("No program is set to open {name}.").format(name=row.results_path.name),
                    10_000,
                )
        elif action == Action.REVEAL and row.results_path is not None:
            desktop.reveal_path(row.results_path)
        elif action == Action.VIEW:
            if row.state in (
                JobState.RUNNING.value,
                JobState.PAUSED.value,
                JobState.FINISHING.value,
            ):
                self.open_viewer(runner=runner)
            else:
                self.open_viewer(results=row.results_path)
        elif action == Action.REMOVE:
            self._remove_row(row)

    def _when_drained(self, runner: JobRunner, then: Callable[[], None]) -> None:
        """Call ``then`` once abandoned workers of a cancelled ``runner`` have all returned."""
        if runner.in_flight == 0:
            then()
            return

        def poll() -> None:
            if self._shut_down:
                return
            if runner.in_flight == 0:
                then()
            else:
                QTimer.singleShot(DRAIN_POLL_MS, poll)

        QTimer.singleShot(DRAIN_POLL_MS, poll)

    def _run_again(self, row: JobRow) -> None:
        runner = row.runner
        if runner is None:
            if row.plan is not None:
                self._start_pack(row.plan, row)
            return
        request = runner.request

        def requeue() -> None:
            if row not in self.model.rows:
                return
            self.queue.remove(runner)
            log.info("Running %s again", row.name)
            self.queue_archive(request.input_path, output_folder=request.output_folder, row=row)

        self.model.set_state(row, JobState.QUEUED.value)
        self._when_drained(runner, requeue)

    def _remove_row(self, row: JobRow) -> None:
        if row.is_active:
            self.statusBar().showMessage(
                self.tr("{name} is still running; cancel it first.").format(name=row.name), 8000
            )
            return
        runner = row.runner
        self.model.remove_row(row)
        packed = row.packed_archive
        cache = self.paths.cache_dir

        def forget() -> None:
            if runner is not None:
                self.queue.remove(runner)
            if packed is not None:
                _off_thread(lambda: remove_packed(packed, cache))

        if runner is not None:
            self._when_drained(runner, forget)
        else:
            forget()

    def clear_finished(self) -> None:
        for row in self.model.rows:
            if row.is_final:
                self._remove_row(row)

    def cancel_all(self) -> None:
        for row in self.model.rows:
            if row.pack is not None:
                row.pack.cancel()
        self.queue.cancel_all()

    def _toggle_pause(self) -> None:
        rows = self.selected_rows()
        for row in rows:
            if row.state == JobState.RUNNING.value:
                self._perform_one(Action.PAUSE, row)
            elif row.state == JobState.PAUSED.value:
                self._perform_one(Action.RESUME, row)
        self._update_actions()

    def _on_row_button(self, index: QPersistentModelIndex, action: str) -> None:
        row = self.model.row_at(index)
        if row is not None:
            self.perform(action, [row])

    def _on_double_click(self, index: QPersistentModelIndex) -> None:
        row = self.model.row_at(index)
        if row is None:
            return
        if row.results_path is not None:
            self.perform(Action.OPEN, [row])
        elif row.state in (JobState.RUNNING.value, JobState.PAUSED.value):
            self.perform(Action.VIEW, [row])

    def _show_context_menu(self, position: QPoint) -> None:
        index = self.view.indexAt(position)
        if not index.isValid():
            return
        row = self.model.row_at(index)
        if row is None:
            return
        if row not in self.selected_rows():
            self.select_row(row)
        self._update_actions()
        menu = QMenu(self)
        for name in available_actions(row):
            if name == Action.REMOVE:
                menu.addSeparator()
            menu.addAction(self.job_actions[name])
        menu.exec(self.view.viewport().mapToGlobal(position))

    def _update_actions(self) -> None:
        rows = self.selected_rows()
        possible: set[str] = set()
        for row in rows:
            possible.update(available_actions(row))
        for name, action in self.job_actions.items():
            action.setEnabled(name in possible)
        has_final = any(row.is_final for row in self.model.rows)
        self.clear_finished_action.setEnabled(has_final)
        self.clear_button.setVisible(has_final)
        self.cancel_all_action.setEnabled(self.has_unfinished())

    # -- progress and endings ---------------------------------------------------------------
    def _on_rows_changed(self) -> None:
        rows = self.model.rows
        self.stack.setCurrentIndex(1 if rows else 0)
        counts = self.model.counts_by_state()
        parts = [self.tr("%Ln job(s)", "", len(rows))]
        order = [
            PACKING,
            JobState.PREPARING.value,
            JobState.RUNNING.value,
            JobState.PAUSED.value,
            JobState.QUEUED.value,
            JobState.FINISHING.value,
            JobState.DONE.value,
            JobState.DONE_WITH_FAILURES.value,
            JobState.FAILED.value,
            JobState.CANCELLED.value,
        ]
        for state in order:
            if counts.get(state):
                parts.append(
                    self.tr("{count} {state}", "a count of jobs in a state: 2 running").format(
                        count=formatting.integer(counts[state]),
                        state=formatting.state_label(state).lower(),
                    )
                )
        self.summary_label.setText("  ·  ".join(parts))
        self._update_actions()

    def _on_overall_progress(self, processed: int, total: int) -> None:
        if total <= 0:
            self.overall_bar.hide()
            self.overall_label.setText("")
            self.setWindowTitle(APP_NAME)
            return
        self.overall_bar.show()
        self.overall_bar.setValue(round(1000 * processed / total))
        self.overall_label.setText(
            self.tr("{done} of %Ln image(s)", "", total).format(done=formatting.integer(processed))
        )
        if self.queue.has_unfinished():
            self.setWindowTitle(f"{round(100 * processed / total)}% — {APP_NAME}")
        else:
            self.setWindowTitle(APP_NAME)

    def _on_idle(self) -> None:
        self.setWindowTitle(APP_NAME)
        self._update_actions()

    def _on_row_finished(self, row: JobRow, outcome: JobOutcome) -> None:
        state = outcome.state
        if state is JobState.DONE:
            text = self.tr("{name}: all %Ln image(s) done.", "", outcome.ok).format(name=row.name)
            severity = "info"
        elif state is JobState.DONE_WITH_FAILURES:
            text = self.tr("{name}: %Ln image(s) done, {failed} failed.", "", outcome.ok).format(
                name=row.name, failed=formatting.integer(outcome.failed)
            )
            severity = "warning"
        elif state is JobState.FAILED:
            text = self.tr("{name} failed: {reason}").format(
                name=row.name, reason=outcome.message or ""
            )
            severity = "error"
        else:
            log.info("%s cancelled. %s", row.name, outcome.message or "")
            self.job_finished.emit(row, outcome)
            return
        # The log is English whatever the window's language: it goes to support staff.
        if state is JobState.FAILED:
            log.error("%s failed: %s", row.name, outcome.message or "")
        else:
            log.info(
                "%s: %d images done, %d failed. Results: %s",
                row.name,
                outcome.ok,
                outcome.failed,
                outcome.results_path,
            )
        if outcome.message and state is not JobState.FAILED:
            log.warning("%s: %s", row.name, outcome.message)
        self.statusBar().showMessage(text, 15_000)
        title = {
            "info": self.tr("Job finished"),
            "warning": self.tr("Job finished with failures"),
            "error": self.tr("Job failed"),
        }[severity]
        self._last_notified = row
        self.notifier.notify(title, text, severity)
        self.job_finished.emit(row, outcome)

    def _bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
        row = self._last_notified
        if row is not None and row in self.model.rows:
            self.select_row(row)

    # -- drag and drop ----------------------------------------------------------------------
    @staticmethod
    def _local_paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._local_paths(event):
            event.acceptProposedAction()
            self.drop_area.set_highlighted(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._local_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.drop_area.set_highlighted(False)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        self.drop_area.set_highlighted(False)
        mime = event.mimeData()
        paths = self._local_paths(event)
        if not paths:
            if mime is not None and mime.hasUrls():
                self.statusBar().showMessage(
                    self.tr("Only files on this computer can be processed; download them first."),
                    10_000,
                )
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_paths(paths)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "view"):
            self.icons.refresh()
            self.view.refresh_icons()

    # -- closing ----------------------------------------------------------------------------
    def has_unfinished(self) -> bool:
        return (
            self.queue.has_unfinished()
            or bool(self._intakes)
            or any(row.state == PACKING for row in self.model.rows)
        )

    def stop_and_close(self) -> None:
        """Stop every job and close without asking (Ctrl+C in the terminal, session end)."""
        if self.has_unfinished():
            log.info("Interrupted: stopping the jobs; finished images are kept")
        self._close_confirmed = True
        self.cancel_all()
        for task in list(self._intakes):
            task.cancel.cancel()
        self.close()
        QApplication.closeAllWindows()

    def quit(self) -> None:
        if self.close():
            QApplication.closeAllWindows()
            QApplication.quit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._shut_down:
            event.accept()
            return
        if self.has_unfinished() and not self._close_confirmed:
            running = sum(
                1 for row in self.model.rows if row.is_active or row.state == JobState.QUEUED.value
            )
            answer = QMessageBox.question(
                self,
                self.tr("Stop the jobs?"),
                self.tr(
                    "%n job(s) have not finished. Stop them and quit?\n\n"
                    "Images already processed are kept: open the same archives again to "
                    "carry on where they stopped.",
                    "",
                    max(1, running),
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            log.info("Quitting: stopping %d unfinished job(s)", running)
            self.cancel_all()
            for task in list(self._intakes):
                task.cancel.cancel()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Save the window's state and let go of everything; safe to call twice."""
        if self._shut_down:
            return
        self._shut_down = True
        try:
            self.window_state.save(self)
        except Exception:
            log.exception("Could not save the window's state")
        self.log_dock.detach()
        self.notifier.close()
        for viewer in list(self._viewers):
            viewer.close()

    def wait_for_workers(self, msecs: int = 10_000) -> None:
        """Block until abandoned workers stop (at exit, once the window is gone)."""
        self.queue.wait_drained(msecs)
        intake_pool().waitForDone(msecs)
        settings_pool().waitForDone(msecs)

    def clean_up_cache(self) -> None:
        """Forget finished jobs' working files older than the setting says (at exit).

        Run once the window is gone and every worker has stopped, so no job can be using
        them; unfinished jobs are kept so that they can be resumed.
        """
        keep = self.settings.keep_finished_days
        try:
            freed = clean_cache(self.paths.jobs_dir, older_than_days=keep)
            clean_old_packs(self.paths.cache_dir, keep)
        except OSError as exc:
            log.warning("Could not clean the cache: %s", exc)
            return
        if freed:
            log.info("Removed %.1f MB of finished jobs' working files", freed / 1e6)
