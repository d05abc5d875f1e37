"""Numbers, durations and states as the user reads them, in the current language and locale."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QLocale

from ..scheduling.job_runner import JobState
from ..scheduling.progress import JobProgress

PACKING = "packing"
PACK_FAILED = "pack failed"
"""Row states of a folder or loose images being gathered into an archive before the job."""


def state_label(state: str) -> str:
    """The translated name of a job state (a :class:`JobState` value or a packing state)."""
    labels = {
        JobState.QUEUED.value: QCoreApplication.translate("JobState", "Queued"),
        JobState.PREPARING.value: QCoreApplication.translate("JobState", "Preparing"),
        JobState.RUNNING.value: QCoreApplication.translate("JobState", "Running"),
        JobState.WAITING.value: QCoreApplication.translate("JobState", "Waiting for endpoint"),
        JobState.PAUSED.value: QCoreApplication.translate("JobState", "Paused"),
        JobState.FINISHING.value: QCoreApplication.translate("JobState", "Writing results"),
        JobState.DONE.value: QCoreApplication.translate("JobState", "Done"),
        JobState.DONE_WITH_FAILURES.value: QCoreApplication.translate(
            "JobState", "Done with failures"
        ),
        JobState.FAILED.value: QCoreApplication.translate("JobState", "Failed"),
        JobState.CANCELLED.value: QCoreApplication.translate("JobState", "Cancelled"),
        PACKING: QCoreApplication.translate("JobState", "Gathering images"),
        PACK_FAILED: QCoreApplication.translate("JobState", "Failed"),
    }
    return labels.get(state, state)


def integer(value: int) -> str:
    """``12 345`` or ``12,345`` as the locale writes it."""
    return QLocale().toString(value)


def rate(images_per_second: float) -> str:
    if images_per_second <= 0:
        return "–"
    digits = 1 if images_per_second < 100 else 0
    return QLocale().toString(images_per_second, "f", digits)


def duration(seconds: float | None) -> str:
    """A compact clock-like duration: ``0:42``, ``12:05``, ``1:02:33``; ``–`` when unknown."""
    if seconds is None or math.isnan(seconds) or seconds < 0:
        return "–"
    total = int(seconds + 0.5)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def tiles(progress: JobProgress) -> str:
    """``  ·  tile 12 / 169`` while a large scene is segmented window by window, else empty."""
    if not progress.tiles_total:
        return ""
    text = QCoreApplication.translate("JobProgress", "tile %1 / %2")
    return "  ·  " + text.replace("%1", integer(progress.tiles_done)).replace(
        "%2", integer(progress.tiles_total)
    )


def file_size(size: int) -> str:
    return QLocale().formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)
