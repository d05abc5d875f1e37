"""The window offers to resume jobs that a crash or a cancel interrupted."""

from __future__ import annotations

import zipfile
from pathlib import Path

from oilspill_desktop.core.config.paths import app_paths
from oilspill_desktop.core.config.settings import Settings
from oilspill_desktop.core.jobs.cancel import CancelToken
from oilspill_desktop.core.jobs.job import JobRequest, prepare_job
from oilspill_desktop.scheduling.job_runner import JobState


def interrupt_after(source: Path, images: int) -> None:
    """Process the first ``images`` images as a run would, then stop as a crash does."""
    job = prepare_job(JobRequest(source, Settings(), app_paths().ensure()), CancelToken())
    for member in job.pending[:images]:
        job.process(member, CancelToken())
    job.close()


def test_interrupted_jobs_are_offered_and_resumed(qtbot, make_window, make_survey) -> None:
    source = make_survey("interrupted.zip", count=5)
    interrupt_after(source, 2)
    window = make_window()
    with qtbot.waitSignal(window.resumable_found, timeout=10_000):
        window.offer_resume()
    assert window.banner.isVisible()
    assert "interrupted.zip" in window.banner.text
    assert "2 images already done" in window.banner.text
    assert window.banner.action_text == "Resume"
    with qtbot.waitSignal(window.job_finished, timeout=20_000) as blocker:
        window.banner.click_action()
    row, outcome = blocker.args
    assert outcome.state is JobState.DONE and outcome.ok == 5
    assert row.runner.last_progress.resumed == 2
    with zipfile.ZipFile(outcome.results_path) as results:
        assert results.testzip() is None


def test_finished_and_vanished_jobs_are_not_offered(qtbot, make_window, make_survey) -> None:
    moved = make_survey("moved.zip", count=3)
    interrupt_after(moved, 1)
    moved.rename(moved.with_name("elsewhere.zip"))
    window = make_window()
    with qtbot.waitSignal(window.resumable_found, timeout=10_000) as blocker:
        window.offer_resume()
    assert blocker.args == [0]
    assert not window.banner.isVisible()
