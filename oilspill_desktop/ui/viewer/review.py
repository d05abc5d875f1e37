"""The analyst's verdicts in the viewer: keys 1/2/3 (confirmed oil, look-alike, unsure), N for a
note, Delete to take a verdict back.

Verdicts are kept in the verdicts file beside the results zip
(:mod:`oilspill_desktop.core.results.review`), read and saved on a one-thread pool, so
saves land in the order they were made and the GUI thread never waits on a slow share.
What is shown is what was saved: the list changes once the file says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit

from ...core.errors import OilSpillError
from ...core.model import ItemRecord
from ...core.results.review import Review, ReviewFile, ReviewKey, Verdict, review_key
from ...scheduling.pools import named_pool
from ...scheduling.tasks import TaskHandle, run_in_pool
from ..core_messages import translate as translate_message
from .item_model import has_oil, verdict_name

if TYPE_CHECKING:
    from .window import ViewerWindow

translate = QCoreApplication.translate
"""Qt's translation lookup under the name lupdate recognises."""


class ReviewController(QObject):
    """Reads, shows and saves the verdicts of the window's results zip.

    Signals:
        changed(): the verdicts (or whether there are any) changed; the list repaints.
    """

    changed = Signal()

    def __init__(self, window: ViewerWindow) -> None:
        super().__init__(window)
        self.window = window
        self._pool = named_pool("viewer-review", 1)
        self._file: ReviewFile | None = None
        self._why_not: str | None = self.tr("Open a results zip to give verdicts.")
        self._generation = 0
        self.problem: str | None = None
        """Why the verdicts file cannot be used, shown above the pictures; ``None`` if it can."""
        self.note_dialog: QInputDialog | None = None

    # -- the file --------------------------------------------------------------------------
    def open_for(self, results: Path | None, input_sha256: str) -> None:
        """Read the verdicts beside ``results`` (``None``: a running job, no verdicts yet)."""
        self.close()
        if results is None:
            self._why_not = self.tr("Verdicts can be given once the job's results are written.")
            return
        self._why_not = self.tr("The verdicts are still being read.")
        generation = self._generation
        run_in_pool(
            self._pool,
            lambda _handle: ReviewFile.open(results, input_sha256),
            context=self,
            on_done=lambda review: self._opened(generation, review),
            on_error=lambda exc: self._failed_to_open(generation, exc),
            key=f"review-open:{results.name}",
        )

    def close(self) -> None:
        self._generation += 1
        self._file = None
        self.problem = None
        self._why_not = self.tr("Open a results zip to give verdicts.")
        self.changed.emit()

    def _opened(self, generation: int, review: ReviewFile) -> None:
        if generation == self._generation:
            self._file, self._why_not = review, None
            self.changed.emit()

    def _failed_to_open(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._why_not = self.problem = _describe(exc)
        self.window.notice.say(self.problem)
        self.changed.emit()

    @property
    def available(self) -> bool:
        return self._file is not None

    @property
    def file(self) -> ReviewFile | None:
        return self._file

    def review(self, record: ItemRecord) -> Review | None:
        return self._file.get(review_key(record)) if self._file is not None else None

    def reviews(self) -> Mapping[ReviewKey, Review]:
        return self._file.reviews if self._file is not None else {}

    # -- giving verdicts -------------------------------------------------------------------
    def give(self, verdict: Verdict | None) -> None:
        """Set the current image's verdict (``None``: take it back), keeping its note."""
        record = self._target()
        if record is None:
            return
        old = self.review(record)
        self._save(record, verdict, old.note if old else "")

    def ask_note(self) -> None:
        """A small dialog for the current image's note (not modal: the list stays usable)."""
        record = self._target()
        if record is None:
            return
        old = self.review(record)
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle(self.tr("Note"))
        dialog.setLabelText(self.tr("A note on {name}:").format(name=record.path))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setTextValue(old.note if old else "")
        dialog.textValueSelected.connect(lambda text: self._note_given(record, text))
        dialog.finished.connect(dialog.deleteLater)
        self.note_dialog = dialog
        dialog.open()

    def _note_given(self, record: ItemRecord, note: str) -> None:
        old = self.review(record)
        self._save(record, old.verdict if old else None, note)

    def _target(self) -> ItemRecord | None:
        """The current image if it can be reviewed; otherwise say why not and return None."""
        record = self.window.current_record()
        reason = self._why_not
        if reason is None and record is None:
            reason = self.tr("Select an image first.")
        elif reason is None and record is not None and not has_oil(record):
            reason = self.tr("Verdicts are given on images with oil.")
        if reason is not None:
            self.window.statusBar().showMessage(reason, 6000)
            return None
        return record

    def _save(self, record: ItemRecord, verdict: Verdict | None, note: str) -> None:
        review_file, generation = self._file, self._generation
        assert review_file is not None
        key = review_key(record)

        def save(_handle: TaskHandle) -> ReviewKey:
            review_file.set(key, verdict, note)
            return key

        run_in_pool(
            self._pool,
            save,
            context=self,
            on_done=lambda _key: self._saved(generation, record, verdict),
            on_error=self._save_failed,
            key=f"review-save:{record.path}",
        )

    def _saved(self, generation: int, record: ItemRecord, verdict: Verdict | None) -> None:
        if generation != self._generation:
            return
        if verdict is None:
            text = self.tr("{name}: no verdict.").format(name=record.path)
        else:
            text = self.tr("{name}: {verdict}.").format(
                name=record.path, verdict=verdict_name(verdict)
            )
        self.window.statusBar().showMessage(text, 4000)
        self.changed.emit()

    def _save_failed(self, exc: BaseException) -> None:
        self.window.statusBar().showMessage(
            self.tr("The verdict was not saved: {reason}").format(reason=_describe(exc)), 10000
        )


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OilSpillError):
        return translate_message(exc.message)
    return f"{type(exc).__name__}: {exc}"
