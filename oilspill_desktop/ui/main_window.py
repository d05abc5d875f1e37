"""The main window: add work, watch the queue, reach the results, configure the engine.

It owns the :class:`JobQueue` (the same scheduler ``oilspill-desktop process`` runs) and
shows it through :class:`QueueModel`. The window builds the widgets and wires them to its
parts in :mod:`.window`, each of which owns one concern (adding work, resuming, settings,
row actions, dialogs, progress, shutting down); its actions are declared once, in
:mod:`.window.actions`. Nothing touches the disk or the network on the GUI thread except
small config files: drops are classified and packed on a pool, jobs run on the
scheduler's pools, and the connection test is a coroutine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME
from ..core.config.credentials import load_settings_with_token
from ..core.config.paths import AppPaths, app_paths
from ..core.config.settings import Settings
from ..core.engines.factory import create_engine
from ..core.engines.protocol import Engine
from ..logging_setup import register_secret
from ..scheduling.job_queue import JobQueue
from ..scheduling.job_runner import JobRunner
from .banner import MessageBanner
from .core_messages import translate
from .drop_area import DropArea
from .icons import IconBinder, app_icon
from .intake import IntakeTask
from .job_details import JobDetails
from .log_dock import LogDock
from .notifications import Notifier
from .queue_model import JobRow, QueueModel
from .queue_view import QueueView
from .settings_dialog import SettingsDialog
from .window.actions import FILE_MENU, HELP_MENU, JOB_MENU, QUEUE_VIEW, TOOLBAR, ActionRegistry, Id
from .window.adding import IntakeController
from .window.dialogs import WindowDialogs
from .window.job_actions import JobActions
from .window.presenter import ProgressPresenter
from .window.resume import ResumeController
from .window.settings import SettingsController, engine_text
from .window.shutdown import ShutdownGuard
from .window_state import WindowState

log = logging.getLogger(__name__)


def _quiet_loggers() -> None:
    """Log at INFO at least, without one line per HTTP request drowning the log."""
    if logging.getLogger().getEffectiveLevel() > logging.INFO:
        logging.getLogger().setLevel(logging.INFO)
    for chatty in ("httpx", "httpcore"):
        if logging.getLogger(chatty).level == logging.NOTSET:
            logging.getLogger(chatty).setLevel(logging.WARNING)


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
        _quiet_loggers()
        self.window_state = WindowState(self.paths.config_dir / "window.ini")
        self.queue = JobQueue(
            self.settings.concurrent_jobs, self, engine_factory=engine_factory, translate=translate
        )
        self.model: QueueModel = QueueModel(self)
        self.notifier = Notifier(self)
        self.icons = IconBinder()

        self.guard: ShutdownGuard = ShutdownGuard(self)
        self.adding: IntakeController = IntakeController(self)
        self.resume: ResumeController = ResumeController(self)
        self.preferences: SettingsController = SettingsController(self)
        self.jobs: JobActions = JobActions(self)
        self.dialogs: WindowDialogs = WindowDialogs(self)
        self.presenter: ProgressPresenter = ProgressPresenter(self)
        self.registry = ActionRegistry(self, self.icons)
        self.job_actions = self.registry.job_actions()

        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self._build_menus_and_toolbar()
        self._build_central()
        self._build_status_bar()
        self._build_log_dock()

        self.queue.overall_progress.connect(self.presenter.on_overall_progress)
        self.queue.idle.connect(self.presenter.on_idle)
        self.model.rows_changed.connect(self.presenter.on_rows_changed)
        self.model.row_finished.connect(self.presenter.on_row_finished)
        self.notifier.clicked.connect(self.presenter.bring_to_front)

        self._set_initial_size()
        if not self.window_state.restore(self):
            self.log_dock.hide()
        self.presenter.on_rows_changed()

        if loaded.problem:
            self._say_settings_problem(loaded.problem)
        log.info("%s ready (engine: %s)", APP_NAME, engine_text(self.settings))

    # -- construction -----------------------------------------------------------------------
    def _say_settings_problem(self, problem: str) -> None:
        log.warning("%s", problem)
        self.banner.show_message(
            self.tr(
                "Your settings file could not be read, so the default settings are in "
                "use. The old file was kept. Details: {problem}"
            ).format(problem=problem),
            "warning",
        )

    def _build_menus_and_toolbar(self) -> None:
        bar = self.menuBar()
        self.registry.fill(bar.addMenu(self.tr("&File")), FILE_MENU)
        self.job_menu = bar.addMenu(self.tr("&Job"))
        self.registry.fill(self.job_menu, JOB_MENU)
        self.view_menu = bar.addMenu(self.tr("&View"))
        self.registry.fill(bar.addMenu(self.tr("&Help")), HELP_MENU)

        self.toolbar = QToolBar(self.tr("Toolbar"), self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.registry.fill(self.toolbar, TOOLBAR)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.toolbar.toggleViewAction().setText(self.tr("&Toolbar"))

    def _build_central(self) -> None:
        central = QWidget()
        central.setObjectName("central")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.banner = MessageBanner(central)
        self.banner.action_clicked.connect(self.resume.resume_unfinished)
        layout.addWidget(self.banner)

        self.stack = QStackedWidget(central)
        self.drop_area = DropArea()
        self.icons.bind(self.drop_area.open_button.setIcon, "open-archives")
        self.icons.bind(self.drop_area.folder_button.setIcon, "open-folder")
        self.drop_area.open_archives.connect(self.adding.open_archives_dialog)
        self.drop_area.open_folder.connect(self.adding.open_folder_dialog)
        self.drop_area.sample_requested.connect(self.adding.queue_sample)
        self.stack.addWidget(self.drop_area)
        self.stack.addWidget(self._build_queue_page())
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _build_queue_page(self) -> QWidget:
        unit = self.fontMetrics().height()
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
        self.clear_button.clicked.connect(self.jobs.clear_finished)
        header.addWidget(self.queue_title)
        header.addWidget(self.summary_label, 1, Qt.AlignmentFlag.AlignBottom)
        header.addWidget(self.clear_button)
        page_layout.addLayout(header)

        self.view = QueueView(page)
        self.view.setModel(self.model)
        self.view.action_triggered.connect(self.jobs.on_row_button)
        self.view.doubleClicked.connect(self.jobs.on_double_click)
        self.view.customContextMenuRequested.connect(self.jobs.show_context_menu)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.update_actions())
        for action_id in QUEUE_VIEW:
            self.view.addAction(self.registry[action_id])
        page_layout.addWidget(self.view, 1)
        self.details = JobDetails(self.model, self.view.selectionModel(), page)
        page_layout.addWidget(self.details)
        return page

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

    def _build_log_dock(self) -> None:
        self.log_dock = LogDock(self)
        self.log_dock.open_log_folder.connect(self.dialogs.open_log_folder)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.log_dock)
        log_toggle = self.log_dock.toggleViewAction()
        log_toggle.setText(self.tr("&Log"))
        self.icons.bind(log_toggle.setIcon, "log")
        self.icons.bind(self.log_dock.folder_button.setIcon, "reveal")
        self.icons.bind(self.log_dock.clear_button.setIcon, "remove")
        log_toggle.setShortcut(QKeySequence("Ctrl+L"))
        self.view_menu.addAction(log_toggle)
        self.toolbar.addAction(log_toggle)

    def _set_initial_size(self) -> None:
        unit = self.fontMetrics().height()
        screen = self.screen().availableGeometry()
        self.resize(
            min(unit * 72, round(screen.width() * 0.9)),
            min(unit * 44, round(screen.height() * 0.9)),
        )
        self.setMinimumSize(unit * 36, unit * 22)

    def update_actions(self) -> None:
        """Enable the actions that apply now; show Clear finished only when it would."""
        self.registry.update()
        self.jobs.update_texts()
        self.clear_button.setVisible(self.registry[Id.CLEAR_FINISHED].isEnabled())

    # -- what the app, scripts and tests call -------------------------------------------------
    def add_paths(self, paths: Iterable[Path | str]) -> IntakeTask | None:
        """Queue what the user gave: archives, folders, images (see :class:`IntakeController`)."""
        return self.adding.add_paths(paths)

    def queue_sample(self) -> JobRunner | None:
        return self.adding.queue_sample()

    def offer_resume(self) -> None:
        self.resume.offer_resume()

    def open_settings(self) -> SettingsDialog:
        return self.preferences.open_settings()

    def apply_settings(self, settings: Settings) -> None:
        self.preferences.apply_settings(settings)

    def perform(self, action: str, rows: Sequence[JobRow]) -> None:
        self.jobs.perform(action, rows)

    def select_row(self, row: JobRow) -> None:
        self.jobs.select_row(row)

    def cancel_all(self) -> None:
        self.jobs.cancel_all()

    def has_unfinished(self) -> bool:
        return self.guard.has_unfinished()

    def stop_and_close(self) -> None:
        self.guard.stop_and_close()

    def shutdown(self) -> None:
        self.guard.shutdown()

    def wait_for_workers(self, msecs: int = 10_000) -> None:
        self.guard.wait_for_workers(msecs)

    def clean_up_cache(self) -> None:
        self.guard.clean_up_cache()

    # -- Qt's events --------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.adding.drag_enter(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.adding.drag_move(event)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.adding.drag_leave(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.adding.drop(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "view"):
            self.icons.refresh()
            self.view.refresh_icons()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.guard.close_event(event)
