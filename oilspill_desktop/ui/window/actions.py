"""Every action of the main window, declared in one place (as Picard's action registry).

An :class:`ActionSpec` says what an action is called, its icon, shortcuts, what it does
and when it is enabled; :class:`ActionRegistry` makes one :class:`QAction` per spec and
re-evaluates the enabled states in one pass. The menus, the toolbar, the row's context
menu and the row buttons are all built from these ids, so an action's text, icon and
shortcut cannot differ from one place to another.

Texts are looked up when the action is built, under the contexts the translations use
("MainWindow" for the window's actions, "Action" for the row actions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QSizePolicy, QToolBar, QWidget

from ..icons import IconBinder
from ..queue_model import Action

if TYPE_CHECKING:
    from ..main_window import MainWindow

translate = QCoreApplication.translate
"""Qt's translation lookup under the name lupdate recognises."""

Shortcut = QKeySequence.StandardKey | str


class Id:
    """The window's own action ids (the row actions' ids are :class:`Action`'s)."""

    OPEN = "open"
    OPEN_FOLDER = "open-folder"
    OPEN_RESULTS = "open-results"
    SAMPLE = "sample"
    SETTINGS = "settings"
    QUIT = "quit"
    TOGGLE_PAUSE = "toggle-pause"
    OPEN_SELECTED = "open-selected"
    CLEAR_FINISHED = "clear-finished"
    CANCEL_ALL = "cancel-all"
    HELP = "help"
    LOG_FOLDER = "log-folder"
    ABOUT_QT = "about-qt"
    ABOUT_MODELS = "about-models"


JOB_ACTION_IDS: tuple[str, ...] = (
    Action.PAUSE,
    Action.RESUME,
    Action.CANCEL,
    Action.SAVE_PARTIAL,
    Action.SWITCH_OFFLINE,
    Action.RETRY,
    Action.RUN_AGAIN,
    Action.OPEN,
    Action.REVEAL,
    Action.VIEW,
    Action.REMOVE,
)
"""The row actions, in the order the Job menu lists them."""


@dataclass(frozen=True)
class ActionSpec:
    """One action: how it looks, what it does, and when it can be used."""

    id: str
    text: Callable[[], str]
    handler: Callable[[MainWindow], object]
    icon: str | None = None
    shortcuts: tuple[Shortcut, ...] = ()
    tip: Callable[[], str] | None = None
    enabled: Callable[[MainWindow], bool] | None = None
    """``None``: always enabled."""
    context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut
    role: QAction.MenuRole = QAction.MenuRole.TextHeuristicRole


def job_action_text(action: str) -> str:
    """A row action's label, as the menus and the row buttons show it."""
    labels = {
        Action.PAUSE: translate("Action", "Pause"),
        Action.RESUME: translate("Action", "Resume"),
        Action.CANCEL: translate("Action", "Cancel"),
        Action.RETRY: translate("Action", "Retry failed images"),
        Action.RUN_AGAIN: translate("Action", "Run again"),
        Action.SAVE_PARTIAL: translate("Action", "Save results of the images done"),
        Action.SWITCH_OFFLINE: translate("Action", "Run the rest on the offline engine"),
        Action.OPEN: translate("Action", "Open results"),
        Action.REVEAL: translate("Action", "Show in folder"),
        Action.VIEW: translate("Action", "View masks"),
        Action.REMOVE: translate("Action", "Remove from list"),
    }
    return labels.get(action, action)


_JOB_ICONS = {Action.SAVE_PARTIAL: "results", Action.SWITCH_OFFLINE: "run-again"}
"""Row actions drawn with another action's icon (the others are named like their icon)."""


def job_action_icon(action: str) -> str:
    """The icon name of a row action."""
    return _JOB_ICONS.get(action, action)


_JOB_SHORTCUTS: dict[str, tuple[Shortcut, ...]] = {
    Action.RETRY: ("Ctrl+R",),
    Action.VIEW: ("Ctrl+M",),
    Action.REMOVE: (QKeySequence.StandardKey.Delete,),
    Action.OPEN: ("Ctrl+Return", "Ctrl+Enter"),
}


def _job_spec(action: str) -> ActionSpec:
    return ActionSpec(
        id=action,
        text=lambda: job_action_text(action),
        handler=lambda window: window.jobs.perform_on_selection(action),
        icon=job_action_icon(action),
        shortcuts=_JOB_SHORTCUTS.get(action, ()),
        enabled=lambda window: action in window.jobs.possible_actions(),
    )


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        Id.OPEN,
        lambda: translate("MainWindow", "&Open Archives…"),
        lambda w: w.adding.open_archives_dialog(),
        icon="open-archives",
        shortcuts=(QKeySequence.StandardKey.Open,),
        tip=lambda: translate("MainWindow", "Queue zip archives of survey images"),
    ),
    ActionSpec(
        Id.OPEN_FOLDER,
        lambda: translate("MainWindow", "Open &Folder of Images…"),
        lambda w: w.adding.open_folder_dialog(),
        icon="open-folder",
        shortcuts=("Ctrl+Shift+O",),
        tip=lambda: translate("MainWindow", "Queue a folder of images as one job"),
    ),
    ActionSpec(
        Id.OPEN_RESULTS,
        lambda: translate("MainWindow", "Open Results in &Viewer…"),
        lambda w: w.adding.open_results_dialog(),
        icon="view-masks",
        tip=lambda: translate("MainWindow", "Look at the masks and overlays of a results zip"),
    ),
    ActionSpec(
        Id.SAMPLE,
        lambda: translate("MainWindow", "Queue the &Sample Survey"),
        lambda w: w.adding.queue_sample(),
        icon="sample",
        tip=lambda: translate("MainWindow", "Process the small survey bundled with the app"),
    ),
    ActionSpec(
        Id.SETTINGS,
        lambda: translate("MainWindow", "&Settings…"),
        lambda w: w.preferences.open_settings(),
        icon="settings",
        shortcuts=("Ctrl+,",),
        tip=lambda: translate("MainWindow", "Engine, endpoint, output folder, language"),
        role=QAction.MenuRole.PreferencesRole,
    ),
    ActionSpec(
        Id.QUIT,
        lambda: translate("MainWindow", "&Quit"),
        lambda w: w.guard.quit(),
        shortcuts=("Ctrl+Q",),
        role=QAction.MenuRole.QuitRole,
    ),
    *(_job_spec(action) for action in JOB_ACTION_IDS),
    ActionSpec(
        Id.TOGGLE_PAUSE,
        lambda: translate("MainWindow", "Pause or Resume"),
        lambda w: w.jobs.toggle_pause(),
        shortcuts=("Space",),
        context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
    ),
    ActionSpec(
        Id.OPEN_SELECTED,
        lambda: translate("MainWindow", "Open Results"),
        lambda w: w.jobs.perform(Action.OPEN, w.jobs.selected_rows()),
        shortcuts=("Return", "Enter"),
        context=Qt.ShortcutContext.WidgetShortcut,
    ),
    ActionSpec(
        Id.CLEAR_FINISHED,
        lambda: translate("MainWindow", "Clear &Finished Jobs"),
        lambda w: w.jobs.clear_finished(),
        icon="remove",
        enabled=lambda w: any(row.is_final for row in w.model.rows),
    ),
    ActionSpec(
        Id.CANCEL_ALL,
        lambda: translate("MainWindow", "Cancel &All Jobs"),
        lambda w: w.jobs.cancel_all(),
        enabled=lambda w: w.guard.has_unfinished(),
    ),
    ActionSpec(
        Id.HELP,
        lambda: translate("MainWindow", "&Help and About"),
        lambda w: w.dialogs.show_help(),
        icon="help",
        shortcuts=("F1",),
    ),
    ActionSpec(
        Id.LOG_FOLDER,
        lambda: translate("MainWindow", "Open &Log Folder"),
        lambda w: w.dialogs.open_log_folder(),
    ),
    ActionSpec(
        Id.ABOUT_QT, lambda: translate("MainWindow", "About &Qt"), lambda _w: QApplication.aboutQt()
    ),
    ActionSpec(
        Id.ABOUT_MODELS,
        lambda: translate("MainWindow", "About &Models"),
        lambda w: w.dialogs.show_models(),
    ),
)

SEPARATOR = "-"
RECENT = "recent"
"""In a menu layout: the Open Recent submenu (filled each time it opens)."""
SPACER = "spacer"
"""In the toolbar layout: a stretch pushing what follows to the right."""

FILE_MENU = (
    Id.OPEN,
    Id.OPEN_FOLDER,
    RECENT,
    SEPARATOR,
    Id.OPEN_RESULTS,
    Id.SAMPLE,
    SEPARATOR,
    Id.SETTINGS,
    SEPARATOR,
    Id.QUIT,
)
JOB_MENU = (
    Action.PAUSE,
    Action.RESUME,
    Action.CANCEL,
    Action.SAVE_PARTIAL,
    Action.SWITCH_OFFLINE,
    Action.RETRY,
    Action.RUN_AGAIN,
    SEPARATOR,
    Action.OPEN,
    Action.REVEAL,
    Action.VIEW,
    SEPARATOR,
    Action.REMOVE,
    Id.CLEAR_FINISHED,
    Id.CANCEL_ALL,
)
HELP_MENU = (Id.HELP, Id.LOG_FOLDER, SEPARATOR, Id.ABOUT_MODELS, Id.ABOUT_QT)
TOOLBAR = (Id.OPEN, Id.OPEN_FOLDER, SPACER, Id.SETTINGS)
QUEUE_VIEW = (Id.TOGGLE_PAUSE, Id.OPEN_SELECTED)
"""Keyboard-only actions that work while the queue has the focus."""


class ActionRegistry(QObject):
    """The window's :class:`QAction` objects, one per :data:`SPECS` entry, by id."""

    def __init__(self, window: MainWindow, icons: IconBinder) -> None:
        super().__init__(window)
        self._window = window
        self._specs = {spec.id: spec for spec in SPECS}
        self._actions = {spec.id: self._make(spec, icons) for spec in SPECS}

    def _make(self, spec: ActionSpec, icons: IconBinder) -> QAction:
        action = QAction(spec.text(), self._window)
        if spec.icon:
            icons.bind(action.setIcon, spec.icon)
        if spec.shortcuts:
            action.setShortcuts([QKeySequence(key) for key in spec.shortcuts])
        action.setShortcutContext(spec.context)
        action.setMenuRole(spec.role)
        if spec.tip is not None:
            action.setStatusTip(spec.tip())
            action.setToolTip(spec.tip())
        window = self._window
        action.triggered.connect(lambda _checked=False: spec.handler(window))
        return action

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def job_actions(self) -> dict[str, QAction]:
        """The row actions by :class:`Action` id."""
        return {action_id: self._actions[action_id] for action_id in JOB_ACTION_IDS}

    def update(self) -> None:
        """Enable each action whose predicate holds now (after a selection or a state change)."""
        for action_id, spec in self._specs.items():
            if spec.enabled is not None:
                self._actions[action_id].setEnabled(spec.enabled(self._window))

    def fill(self, target: QMenu | QToolBar, layout: Sequence[str]) -> None:
        """Add the actions of ``layout`` (ids, :data:`SEPARATOR`, :data:`SPACER`) to ``target``."""
        for entry in layout:
            if entry == SEPARATOR:
                target.addSeparator()
            elif entry == SPACER and isinstance(target, QToolBar):
                spacer = QWidget()
                spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
                target.addWidget(spacer)
            elif entry == RECENT and isinstance(target, QMenu):
                recent = target.addMenu(translate("MainWindow", "Open &Recent"))
                self._window.adding.attach_recent_menu(recent)
            else:
                target.addAction(self._actions[entry])

    def context_menu(self, parent: QWidget, action_ids: Iterable[str]) -> QMenu:
        """The row's context menu: its available actions, Remove set apart."""
        menu = QMenu(parent)
        for action_id in action_ids:
            if action_id == Action.REMOVE:
                menu.addSeparator()
            menu.addAction(self._actions[action_id])
        return menu
