"""The queue row's counts name the tile while a large scene is segmented window by window."""

from __future__ import annotations

from pathlib import Path

from oilspill_desktop.scheduling.job_runner import JobState
from oilspill_desktop.scheduling.progress import JobProgress
from oilspill_desktop.ui.queue_model import Column, JobRow, QueueModel


def progress(done: int, total: int) -> JobProgress:
    return JobProgress(
        ok=3, failed=0, total=5, in_flight=1, images_per_second=0.1, eta_seconds=60.0,
        elapsed_seconds=30.0, tiles_done=done, tiles_total=total,
    )  # fmt: skip


def test_the_counts_show_the_tile_of_a_large_scene(qapp: object) -> None:
    model = QueueModel()
    row = JobRow("scenes.zip", Path("scenes.zip"), state=JobState.RUNNING.value)
    row.progress = progress(42, 169)
    assert model._display(row, Column.COUNTS).endswith("  ·  tile 42 / 169")
    assert model._fraction(row) == (3 + 42 / 169) / 5
    row.progress = progress(0, 0)
    assert "tile" not in model._display(row, Column.COUNTS)
