"""The viewer on real runs of the pipeline: a finished results zip, and a job as it runs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import io
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from oilspill_desktop.core.config.paths import app_paths
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.engines.classical import ClassicalEngine
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.job import JobRequest
from oilspill_desktop.core.model import EngineAnswer, SourceImage
from oilspill_desktop.scheduling.job_runner import JobRunner, JobState
from oilspill_desktop.tools.synthetic import write_survey_zip
from oilspill_desktop.ui.viewer import ViewerWindow
from oilspill_desktop.ui.viewer.originals import OriginalsState
from oilspill_desktop.ui.viewer.views_panel import ViewRole

from .test_viewer_views import image_area
from .viewer_fixtures import OFFSCREEN_NOISE

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


class GatedEngine:
    """The built-in engine, but only ``free`` images go through until ``release`` is set."""

    def __init__(self, free: int) -> None:
        self.inner = ClassicalEngine()
        self.release = threading.Event()
        self._free = free
        self._lock = threading.Lock()

    @property
    def engine(self) -> str:
        return self.inner.engine

    @property
    def endpoint(self) -> str | None:
        return self.inner.endpoint

    def segment(self, image: SourceImage, cancel: CancelToken) -> EngineAnswer:
        with self._lock:
            go = self._free > 0
            self._free -= 1
        while not go and not self.release.wait(0.02):
            cancel.raise_if_cancelled()
        return self.inner.segment(image, cancel)

    def close(self) -> None:
        self.inner.close()


def make_runner(input_path: Path, overlays: str = "jpeg", **kwargs) -> JobRunner:
    settings = Settings(workers=2, overlays=overlays)
    request = JobRequest(input_path, settings, app_paths().ensure())
    return JobRunner(request, progress_interval_ms=20, **kwargs)


def open_window(qtbot, window: ViewerWindow) -> ViewerWindow:
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show()
    qtbot.waitExposed(window)
    return window


def wait_live(qtbot, window: ViewerWindow) -> None:
    def live() -> None:
        pictures, record = window.views.pictures, window.current_record()
        assert pictures is not None and record is not None
        assert pictures.record.path == record.path and pictures.live_overlay

    qtbot.waitUntil(live, timeout=10000)


@pytest.mark.parametrize("overlays", ["png", "jpeg"])
def test_results_of_a_real_run(qtbot, tmp_path: Path, overlays: str) -> None:
    survey = write_survey_zip(tmp_path / "survey.zip", 5, size=(128, 128), seed=3)
    runner = make_runner(survey, overlays)
    with qtbot.waitSignal(runner.finished, timeout=60000) as blocker:
        runner.start()
    outcome = blocker.args[0]
    runner.close()
    assert outcome.results_path is not None and outcome.results_path.parent == tmp_path

    window = open_window(qtbot, ViewerWindow(outcome.results_path))
    assert window.model.rowCount() == 5
    wait_live(qtbot, window)
    qtbot.waitUntil(lambda: window.originals_status.verified)  # sha256 matched the report
    assert window.originals_status.state is OriginalsState.AVAILABLE
    assert window.facts.text("engine") == "Learned model oil-unet-lite (offline)"

    # the overlay drawn live at the default settings is the overlay the pipeline saved
    window.commands.actual_action.trigger()
    record = window.current_record()
    with zipfile.ZipFile(outcome.results_path) as bundle:
        saved = np.asarray(Image.open(io.BytesIO(bundle.read(record.overlay))).convert("RGB"))
    assert record.overlay.endswith(".png" if overlays == "png" else ".jpg")
    shown = image_area(window.views.view(ViewRole.OVERLAY), 128, 128)
    error = np.abs(shown.astype(int) - saved)
    if overlays == "png":
        assert error.max() <= 2
    else:  # JPEG at quality 90 on speckle: close, not exact (another picture is off by ~40)
        assert error.mean() <= 6


def test_results_without_overlays_are_painted_live(qtbot, tmp_path: Path) -> None:
    survey = write_survey_zip(tmp_path / "survey.zip", 3, size=(96, 96), seed=4)
    runner = make_runner(survey, "none")
    with qtbot.waitSignal(runner.finished, timeout=60000) as blocker:
        runner.start()
    outcome = blocker.args[0]
    runner.close()
    with zipfile.ZipFile(outcome.results_path) as bundle:
        names = bundle.namelist()
    assert not [name for name in names if name.startswith("overlays/")]
    window = open_window(qtbot, ViewerWindow(outcome.results_path))
    assert window.model.rowCount() == 3
    wait_live(qtbot, window)
    record = window.current_record()
    assert record is not None and record.overlay is None and record.mask


def test_follows_a_running_job(qtbot, tmp_path: Path) -> None:
    survey = write_survey_zip(tmp_path / "survey.zip", 7, size=(96, 96), seed=5)
    gate = GatedEngine(free=3)
    runner = make_runner(survey, engine_factory=lambda _settings: gate)
    window = open_window(qtbot, ViewerWindow())
    window.follow(runner)
    runner.start()
    try:
        # the first three images finish while the rest wait at the gate
        qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=20000)
        assert runner.state is JobState.RUNNING
        assert window.current_row() == 0
        wait_live(qtbot, window)  # mask from the job's folder, original from the input
        assert "Following survey.zip" in window.status_label.text()
        window.go(2)
        wait_live(qtbot, window)
    finally:
        gate.release.set()
    qtbot.waitUntil(lambda: runner.state.is_final, timeout=30000)
    qtbot.waitUntil(lambda: window.model.rowCount() == 7)
    assert runner.outcome.results_path is not None
    assert "results saved" in window.status_label.text()
    window.go_last()
    wait_live(qtbot, window)
    runner.close()


def test_follow_a_finished_job_opens_its_results(qtbot, tmp_path: Path) -> None:
    survey = write_survey_zip(tmp_path / "survey.zip", 2, size=(64, 64), seed=9)
    runner = make_runner(survey)
    with qtbot.waitSignal(runner.finished, timeout=60000):
        runner.start()
    runner.close()
    window = open_window(qtbot, ViewerWindow())
    window.follow(runner)
    assert window.source is not None and window.source.info.results_path is not None
    assert window.model.rowCount() == 2
    wait_live(qtbot, window)
