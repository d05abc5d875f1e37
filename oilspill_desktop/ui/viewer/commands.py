"""The viewer's actions (each with its keys) and its menus.

A class of its own so the window's code is about showing images; the actions call the
window's public slots, and the window reaches them as ``window.commands``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from ...core.results.review import Verdict

if TYPE_CHECKING:
    from .window import ViewerWindow


class ViewerActions(QObject):
    """Build the viewer window's actions and menus and keep them (a QObject for ``tr``)."""

    def __init__(self, window: ViewerWindow) -> None:
        super().__init__(window)
        self.window = window
        self._build()

    def _action(
        self,
        text: str,
        shortcuts: list[QKeySequence | QKeySequence.StandardKey | str],
        slot: Any,
        *,
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self.window)
        sequences: list[QKeySequence] = []
        for shortcut in shortcuts:
            for sequence in (
                QKeySequence.keyBindings(shortcut)
                if isinstance(shortcut, QKeySequence.StandardKey)
                else [QKeySequence(shortcut)]
            ):
                if not sequence.isEmpty() and sequence not in sequences:
                    sequences.append(sequence)
        action.setShortcuts(sequences)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def _build(self) -> None:
        window = self.window
        keys = QKeySequence.StandardKey
        self.open_action = self._action(self.tr("&Open results…"), [keys.Open], window.ask_open)
        self.locate_action = self._action(self.tr("&Locate input…"), [], window.ask_locate_input)
        self.export_action = self._action(
            self.tr("&Export picture as PNG…"), ["Ctrl+E"], window.images.ask
        )
        self.report_action = self._action(
            self.tr("Export &report…"), ["Ctrl+R"], window.reports.ask
        )
        self.copy_action = self._action(self.tr("&Copy picture"), [keys.Copy], window.images.copy)
        self.close_action = self._action(self.tr("Close"), [keys.Close], window.close)

        self.side_by_side_action = self._action(
            self.tr("&Side by side"), ["V"], window.toggle_side_by_side, checkable=True
        )
        self.side_by_side_action.setChecked(window.views.side_by_side)
        self.next_view_action = self._action(
            self.tr("Next &view (one at a time)"), ["B"], window.views.next_single
        )
        window.views.layout_changed.connect(
            lambda: self.side_by_side_action.setChecked(window.views.side_by_side)
        )
        self.zoom_in_action = self._action(
            self.tr("Zoom &in"), ["+", "=", keys.ZoomIn], lambda: window.views.link.zoom_by(1.25)
        )
        self.zoom_out_action = self._action(
            self.tr("Zoom &out"), ["-", keys.ZoomOut], lambda: window.views.link.zoom_by(0.8)
        )
        self.fit_action = self._action(self.tr("&Fit to window"), ["0"], window.views.link.fit)
        self.actual_action = self._action(
            self.tr("&Actual size (1:1)"), ["Ctrl+1"], window.views.link.actual_size
        )
        self.full_screen_action = self._action(
            self.tr("F&ull screen"),
            [keys.FullScreen, "F11"],
            window.toggle_full_screen,
            checkable=True,
        )
        self._action(self.tr("Leave full screen"), ["Esc"], window.leave_full_screen)

        self.next_action = self._action(
            self.tr("&Next image"), ["Right", "PgDown"], lambda: window.go(1)
        )
        self.previous_action = self._action(
            self.tr("&Previous image"), ["Left", "PgUp"], lambda: window.go(-1)
        )
        self.first_action = self._action(self.tr("&First image"), ["Home"], window.go_first)
        self.last_action = self._action(self.tr("&Last image"), ["End"], window.go_last)

        self._build_review()
        self._build_menus()

    def _build_review(self) -> None:
        review = self.window.review
        self.verdict_actions = {
            verdict: self._action(text, [key], lambda _=False, v=verdict: review.give(v))
            for verdict, text, key in (
                (Verdict.CONFIRMED_OIL, self.tr("&Confirmed oil"), "1"),
                (Verdict.LOOK_ALIKE, self.tr("&Look-alike"), "2"),
                (Verdict.UNSURE, self.tr("&Unsure"), "3"),
            )
        }
        self.clear_verdict_action = self._action(
            self.tr("&Take the verdict back"), ["Del"], lambda: review.give(None)
        )
        self.note_action = self._action(self.tr("&Note…"), ["N"], review.ask_note)

    def _build_menus(self) -> None:
        menus = self.window.menuBar()
        file_menu = menus.addMenu(self.tr("&File"))
        for action in (
            self.open_action,
            self.locate_action,
            None,
            self.report_action,
            self.export_action,
        ):
            file_menu.addSeparator() if action is None else file_menu.addAction(action)
        file_menu.addAction(self.copy_action)
        file_menu.addSeparator()
        file_menu.addAction(self.close_action)
        view_menu = menus.addMenu(self.tr("&View"))
        for action in (
            self.side_by_side_action,
            self.next_view_action,
            None,
            self.zoom_in_action,
            self.zoom_out_action,
            self.fit_action,
            self.actual_action,
            None,
            self.full_screen_action,
        ):
            view_menu.addSeparator() if action is None else view_menu.addAction(action)
        review_menu = menus.addMenu(self.tr("&Review"))
        for action in (
            *self.verdict_actions.values(),
            self.clear_verdict_action,
            self.note_action,
        ):
            review_menu.addAction(action)
        go_menu = menus.addMenu(self.tr("&Go"))
        for action in (self.next_action, self.previous_action, self.first_action, self.last_action):
            go_menu.addAction(action)
