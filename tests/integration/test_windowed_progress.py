"""A job with a large scene reports its windows as they are done, in the progress signal."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from oilspill_desktop.core.config.paths import app_paths
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.engines.classical import ClassicalEngine
from oilspill_desktop.core.inputs import scene_windows
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.job import JobRequest
from oilspill_desktop.core.model import EngineAnswer, Limits, SourceImage
from oilspill_desktop.scheduling.job_runner import JobRunner, JobState
from tests.core.test_windowed import scene_tiff


class GatedEngine(ClassicalEngine):
    """Holds the fifth window until the test has seen the tiles in the progress."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.calls = 0

    def segment(self, image: SourceImage, cancel: CancelToken) -> EngineAnswer:
        self.calls += 1
        if self.calls == 5:
            while not self.gate.wait(0.01):
                cancel.raise_if_cancelled()
        return super().segment(image, cancel)


def test_progress_counts_the_windows_of_a_large_scene(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scene_windows, "CORE", 256)
    source = tmp_path / "scene.zip"
    with zipfile.ZipFile(source, "w") as bundle:
        bundle.writestr("a.tif", scene_tiff())
    engine = GatedEngine()
    settings = Settings(workers=1, limits=Limits(large_scene_pixels=256 * 256))
    runner = JobRunner(
        JobRequest(source, settings, app_paths().ensure()),
        engine_factory=lambda _s: engine,
        progress_interval_ms=10,
    )
    seen: list[tuple[int, int]] = []
    runner.progress.connect(lambda p: seen.append((p.tiles_done, p.tiles_total)))
    runner.start()
    qtbot.waitUntil(lambda: (4, 9) in seen, timeout=30_000)
    with qtbot.waitSignal(runner.finished, timeout=30_000) as blocker:
        engine.gate.set()
    assert blocker.args[0].state is JobState.DONE
    windows = [done for done, total in seen if total]
    assert all(total == 9 for _, total in seen if total)
    assert windows == sorted(windows) and windows[0] <= 4
    assert seen[-1] == (0, 0)  # the scene is done: no tiles shown any more
