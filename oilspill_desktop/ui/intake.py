"""Qt side of adding work: classify drops and pack images on the thread pool, never the GUI.

:class:`IntakeTask` looks at what was dropped (stats files, walks folders);
:class:`PackJob` gathers images into a zip in the cache while its row shows progress.
Both report back through signals queued to the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..core.errors import Cancelled, OilSpillError
from ..core.inputs.packing import Intake, PackPlan, classify, pack_images
from ..core.jobs.cancel import CancelToken
from ..scheduling.pools import named_pool
from ..scheduling.tasks import lower_worker_priority

log = logging.getLogger(__name__)


def intake_pool() -> QThreadPool:
    """A small pool of our own, so packing a big folder never delays jobs being prepared."""
    return named_pool("intake-pool", 4)


class _IntakeSignals(QObject):
    done = Signal(object)


class _ClassifyRunnable(QRunnable):
    def __init__(self, paths: Sequence[Path], signals: _IntakeSignals, cancel: CancelToken):
        super().__init__()
        self._paths = list(paths)
        self._signals = signals
        self._cancel = cancel
        self.setAutoDelete(True)

    def run(self) -> None:
        lower_worker_priority()
        try:
            intake = classify(self._paths, self._cancel)
        except Cancelled:
            intake = Intake()
        except Exception:  # a bug here must not take the app down with it
            log.exception("Looking at the dropped files failed")
            intake = Intake()
        self._signals.done.emit(intake)


class IntakeTask(QObject):
    """Classify ``paths`` on the intake pool; ``done(Intake)`` arrives on the GUI thread."""

    done = Signal(object)

    def __init__(self, paths: Sequence[Path], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel = CancelToken()
        self._signals = _IntakeSignals(self)
        self._signals.done.connect(self.done)
        self._paths = list(paths)

    def start(self) -> None:
        intake_pool().start(_ClassifyRunnable(self._paths, self._signals, self.cancel))


class _PackSignals(QObject):
    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class _PackRunnable(QRunnable):
    def __init__(
        self, plan: PackPlan, destination: Path, signals: _PackSignals, cancel: CancelToken
    ):
        super().__init__()
        self._plan = plan
        self._destination = destination
        self._signals = signals
        self._cancel = cancel
        self.setAutoDelete(True)

    def run(self) -> None:
        lower_worker_priority()
        try:
            path = pack_images(
                self._plan, self._destination, self._cancel, self._signals.progress.emit
            )
        except Cancelled:
            self._signals.cancelled.emit()
        except OilSpillError as exc:
            self._signals.failed.emit(str(exc))
        except Exception as exc:
            log.exception("Packing %s failed", self._plan.source)
            self._signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self._signals.succeeded.emit(path)


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
        self._cancel = CancelToken()
        self.running = False
        self._signals = _PackSignals(self)
        self._signals.progress.connect(self.progress)
        self._signals.succeeded.connect(self._on_succeeded)
        self._signals.failed.connect(self._on_failed)
        self._signals.cancelled.connect(self._on_cancelled)

    def start(self) -> None:
        self.running = True
        intake_pool().start(_PackRunnable(self.plan, self.destination, self._signals, self._cancel))

    def cancel(self) -> None:
        self._cancel.cancel()

    def _on_succeeded(self, path: Path) -> None:
        self.running = False
        self.succeeded.emit(path)

    def _on_failed(self, message: str) -> None:
        self.running = False
        self.failed.emit(message)

    def _on_cancelled(self) -> None:
        self.running = False
        self.cancelled.emit()
