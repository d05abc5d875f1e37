"""Qt side of adding work: classify drops and pack images on the thread pool, never the GUI.

:class:`IntakeTask` looks at what was dropped (stats files, walks folders);
:class:`PackJob` gathers images into a zip in the cache while its row shows progress.
Both run through :func:`run_in_pool` and report back through signals on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..core.errors import OilSpillError
from ..core.inputs.packing import Intake, PackPlan, classify, pack_images
from ..core.jobs.cancel import CancelToken
from ..scheduling.pools import intake_pool
from ..scheduling.tasks import TaskHandle, run_in_pool
from .core_messages import translate

log = logging.getLogger(__name__)


class IntakeTask(QObject):
    """Classify ``paths`` on the intake pool; ``done(Intake)`` arrives on the GUI thread.

    A failure or a cancel ends in an empty :class:`Intake`, so whoever waits hears back.
    """

    done = Signal(object)

    def __init__(self, paths: Sequence[Path], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._paths = list(paths)
        self._token = CancelToken()

    def start(self) -> None:
        paths, token = self._paths, self._token
        run_in_pool(
            intake_pool(),
            lambda _handle: classify(paths, token),
            context=self,
            on_done=self.done.emit,
            on_error=self._on_error,
            on_cancelled=lambda: self.done.emit(Intake()),
            key="intake",
        )

    def cancel(self) -> None:
        self._token.cancel()

    def _on_error(self, exc: BaseException) -> None:
        # a bug here must not take the app down with it
        log.error("Looking at the dropped files failed", exc_info=exc)
        self.done.emit(Intake())


class PackJob(QObject):
    """Gathers one :class:`PackPlan` into ``destination``.

    Signals:
        progress(int, int): images written and images in all.
        succeeded(object): the archive's :class:`Path`.
        failed(str): why the archive could not be written.
        cancelled(): stopped by :meth:`cancel`; nothing was left behind.
    """

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, plan: PackPlan, destination: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.destination = destination
        # Not the task's own token: a pack that finished as the cancel came is kept (and
        # reported), since only pack_images knows whether it left a file behind.
        self._cancel = CancelToken()
        self.running = False

    def start(self) -> None:
        self.running = True
        run_in_pool(
            intake_pool(),
            self._pack,
            context=self,
            on_done=self._on_succeeded,
            on_error=self._on_failed,
            on_cancelled=self._on_cancelled,
            on_progress=self._on_progress,
            key=f"pack {self.plan.name}",
        )

    def cancel(self) -> None:
        self._cancel.cancel()

    def _pack(self, handle: TaskHandle) -> Path:
        """On the worker: write the archive, reporting ``(done, total)`` as it goes."""
        return pack_images(
            self.plan,
            self.destination,
            self._cancel,
            lambda done, total: handle.report((done, total)),
        )

    def _on_progress(self, value: tuple[int, int]) -> None:
        self.progress.emit(*value)

    def _on_succeeded(self, path: Path) -> None:
        self.running = False
        self.succeeded.emit(path)

    def _on_failed(self, exc: BaseException) -> None:
        self.running = False
        if isinstance(exc, OilSpillError):
            self.failed.emit(translate(exc.message))
            return
        log.error("Packing %s failed", self.plan.source, exc_info=exc)
        self.failed.emit(f"{type(exc).__name__}: {exc}")

    def _on_cancelled(self) -> None:
        self.running = False
        self.cancelled.emit()
