"""The main window with real jobs: drops, the queue's controls, endings, closing."""

from __future__ import annotations

import json
import logging
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from oilspill_desktop.core.config.paths import app_paths
from oilspill_desktop.core.results.results_zip import previous_path
from oilspill_desktop.scheduling.job_runner import JobState
from oilspill_desktop.ui import desktop
from oilspill_desktop.ui.formatting import PACKING
from oilspill_desktop.ui.queue_model import Action, Column, available_actions
from oilspill_desktop.ui.window import adding as main_window
from oilspill_desktop.ui.window.actions import Id
from tests.endpoint_server import FakeEndpoint

from .conftest import drop_paths, has_done, has_ended

pytestmark = pytest.mark.gui

FINAL = {
    JobState.DONE.value,
    JobState.DONE_WITH_FAILURES.value,
    JobState.FAILED.value,
    JobState.CANCELLED.value,
}


def wait_all_final(qtbot, window, timeout: int = 20_000) -> None:
    qtbot.waitUntil(
        lambda: bool(window.model.rows) and all(r.state in FINAL for r in window.model.rows),
        timeout=timeout,
    )


def test_empty_window_invites_drops(make_window) -> None:
    window = make_window()
    assert window.stack.currentWidget() is window.drop_area
    assert window.acceptDrops()
    assert not window.overall_bar.isVisible()
    assert not window.job_actions[Action.REMOVE].isEnabled()


def test_dropping_archives_queues_and_runs_them(qtbot, make_window, make_survey) -> None:
    first = make_survey("north.zip", 3)
    second = make_survey("south.zip", 2)
    window = make_window()
    with qtbot.waitSignal(window.intake_finished, timeout=5000):
        drop = drop_paths(window, [first, second])
    assert drop.isAccepted()
    assert [row.name for row in window.model.rows] == ["north.zip", "south.zip"]
    assert window.stack.currentWidget() is not window.drop_area
    wait_all_final(qtbot, window)

    for row, count in zip(window.model.rows, (3, 2), strict=True):
        assert row.state == JobState.DONE.value
        assert row.outcome is not None and row.outcome.ok == count
        assert row.results_path is not None and row.results_path.is_file()
        assert row.results_path.parent == first.parent
        with zipfile.ZipFile(row.results_path) as results:
            assert "report.csv" in results.namelist()
            oil = json.loads(results.read("report.json"))["summary"]["with_oil"]
        assert available_actions(row)[:3] == [Action.OPEN, Action.REVEAL, Action.VIEW]
        index = window.model.index_of(row, Column.COUNTS)
        assert window.model.data(index) == f"{count} / 0 / {count}  ·  {oil} with oil"
    # Overall progress is about what is still to do: with every job finished there is none.
    assert window.overall_label.text() == ""
    assert not window.overall_bar.isVisible()
    assert str(first) in window.window_state.recent_files()


def test_unusable_drops_are_explained_in_one_message(
    qtbot, make_window, tmp_path: Path, monkeypatch
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a survey")
    rar = tmp_path / "survey.rar"
    rar.write_bytes(b"Rar!")
    empty = tmp_path / "empty folder"
    empty.mkdir()
    shown: list[object] = []
    monkeypatch.setattr(QMessageBox, "exec", shown.append)
    window = make_window()
    with qtbot.waitSignal(window.intake_finished, timeout=5000) as blocker:
        drop_paths(window, [notes, rar, empty])
    intake = blocker.args[0]
    assert [p.kind for p in intake.problems] == ["unsupported", "unsupported", "empty_folder"]
    assert window.model.rows == []
    assert "3 items could not be used; see the log." in window.statusBar().currentMessage()
    assert shown == []  # no modal dialog, let alone three
    window.log_dock.flush()
    logged = [line.message for line in window.log_dock.model.lines]
    assert any("notes.txt is neither a zip archive nor an image" in m for m in logged)
    assert any("empty folder holds no images" in m for m in logged)


def test_a_single_unusable_drop_says_exactly_why(qtbot, make_window, tmp_path: Path) -> None:
    gone = tmp_path / "gone.zip"
    window = make_window()
    with qtbot.waitSignal(window.intake_finished, timeout=5000):
        window.add_paths([gone])
    assert window.statusBar().currentMessage() == f"{gone} no longer exists."


def test_folder_of_images_becomes_one_job_with_results_beside_it(
    qtbot, make_window, make_survey, tmp_path: Path
) -> None:
    archive = make_survey("scenes.zip", 4)
    folder = tmp_path / "Flight 12"
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(folder)
    (folder / "readme.txt").write_text("ignored")
    window = make_window()
    with qtbot.waitSignal(window.intake_finished, timeout=5000):
        drop_paths(window, [folder])
    assert len(window.model.rows) == 1
    row = window.model.rows[0]
    assert row.name == "Flight 12"
    wait_all_final(qtbot, window)
    assert row.state == JobState.DONE.value
    assert row.outcome is not None and row.outcome.ok == 4
    assert row.results_path == tmp_path / "Flight 12_results.zip"
    assert row.packed_archive is not None
    assert row.packed_archive.is_relative_to(app_paths().cache_dir)


def test_loose_images_dropped_together_become_one_job(
    qtbot, make_window, make_survey, tmp_path: Path
) -> None:
    archive = make_survey("scenes.zip", 3)
    shots = tmp_path / "shots"
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(shots)
    images = sorted(shots.rglob("*.png"))
    window = make_window()
    with qtbot.waitSignal(window.intake_finished, timeout=5000):
        drop_paths(window, images)
    assert len(window.model.rows) == 1
    wait_all_final(qtbot, window)
    row = window.model.rows[0]
    assert row.outcome is not None and row.outcome.ok == 3
    assert row.results_path is not None and row.results_path.parent == images[0].parent


def test_pause_holds_the_job_and_resume_finishes_it(
    qtbot, make_window, make_survey, write_settings
) -> None:
    archive = make_survey("slow.zip", 5)
    with FakeEndpoint("latency", latency=0.15) as endpoint:
        write_settings(engine="http", endpoint=endpoint.url, workers=1, retries=0)
        window = make_window()
        window.add_paths([archive])
        qtbot.waitUntil(lambda: bool(window.model.rows), timeout=5000)
        row = window.model.rows[0]
        qtbot.waitUntil(
            lambda: row.progress is not None and row.progress.processed >= 1, timeout=10_000
        )
        window.select_row(row)
        assert window.job_actions[Action.PAUSE].isEnabled()
        window.job_actions[Action.PAUSE].trigger()
        assert row.state == JobState.PAUSED.value
        assert Action.RESUME in available_actions(row)
        qtbot.waitUntil(lambda: row.runner.in_flight == 0, timeout=10_000)
        held = endpoint.requests
        assert row.runner.last_progress.processed < 5
        assert row.state == JobState.PAUSED.value
        assert endpoint.requests == held
        window.perform(Action.RESUME, [row])
        assert row.state == JobState.RUNNING.value
        wait_all_final(qtbot, window)
    assert row.state == JobState.DONE.value
    assert row.outcome.ok == 5


def test_cancel_keeps_finished_images_and_run_again_resumes(qtbot, http_job, make_survey) -> None:
    archive = make_survey("stop.zip", 5)
    with FakeEndpoint("latency", latency=0.15) as endpoint:
        window, row = http_job(archive, endpoint.url, has_done(1), workers=1, retries=0)
        window.perform(Action.CANCEL, [row])
        assert row.state == JobState.CANCELLED.value
        assert "kept" in (row.message or "")
        assert available_actions(row)[:2] == [Action.SAVE_PARTIAL, Action.RUN_AGAIN]
        first_runner = row.runner
        window.perform(Action.RUN_AGAIN, [row])
        qtbot.waitUntil(lambda: row.runner is not first_runner, timeout=10_000)
        wait_all_final(qtbot, window)
    assert row.state == JobState.DONE.value
    assert row.outcome.ok == 5
    assert row.runner.prepared is not None and row.runner.prepared.resumed >= 1


def test_retry_failed_images_after_the_endpoint_recovers(qtbot, http_job, make_survey) -> None:
    archive = make_survey("flaky.zip", 3)
    with FakeEndpoint("status", status=500) as endpoint:
        window, row = http_job(archive, endpoint.url, has_ended, workers=2, retries=0)
        assert row.state == JobState.DONE_WITH_FAILURES.value
        assert row.outcome.failed == 3
        first_results = row.results_path
        assert first_results is not None and first_results.is_file()
        assert available_actions(row)[0] == Action.RETRY

        endpoint.configure("ok")
        window.select_row(row)
        assert window.job_actions[Action.RETRY].isEnabled()
        with qtbot.waitSignal(window.job_finished, timeout=15_000):
            window.job_actions[Action.RETRY].trigger()
    assert row.state == JobState.DONE.value
    assert row.outcome.ok == 3 and row.outcome.failed == 0
    # One current results zip per input: the retry's replaces the first, kept once aside.
    assert row.results_path == first_results and row.results_path.is_file()
    assert json.loads(zipfile.ZipFile(first_results).read("report.json"))["counts"]["ok"] == 3
    assert previous_path(first_results).is_file()
    assert sorted(p.name for p in archive.parent.glob("flaky_results*")) == [
        "flaky_results.previous.zip",
        "flaky_results.zip",
    ]


def test_a_finished_job_notifies_when_the_window_is_not_focused(
    qtbot, make_window, make_survey
) -> None:
    window = make_window()
    window.showMinimized()
    with qtbot.waitSignal(window.notifier.shown, timeout=15_000) as blocker:
        window.add_paths([make_survey("tell.zip", 2)])
    title, message, severity = blocker.args
    assert title == "Job finished"
    assert message.startswith("tell.zip: all 2 images done. ")
    assert severity == "info"


def test_no_notification_while_the_window_has_focus(qtbot, make_window, make_survey) -> None:
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    shown: list[tuple] = []
    window.notifier.shown.connect(lambda *args: shown.append(args))
    with qtbot.waitSignal(window.job_finished, timeout=15_000):
        window.add_paths([make_survey("quiet.zip", 1)])
    assert shown == []
    assert window.statusBar().currentMessage().startswith("quiet.zip: 1 image done. ")


def test_results_are_one_click_away(qtbot, make_window, make_survey, monkeypatch) -> None:
    opened: list[Path] = []
    revealed: list[Path] = []
    monkeypatch.setattr(desktop, "open_path", lambda p: opened.append(p) or True)
    monkeypatch.setattr(desktop, "reveal_path", lambda p: revealed.append(p) or True)
    window = make_window()
    window.add_paths([make_survey("click.zip", 2)])
    wait_all_final(qtbot, window)
    row = window.model.rows[0]
    window.view.doubleClicked.emit(window.model.index_of(row, Column.NAME))
    window.perform(Action.REVEAL, [row])
    assert opened == [row.results_path]
    assert revealed == [row.results_path]


def test_delete_key_removes_a_finished_job(qtbot, make_window, make_survey) -> None:
    window = make_window()
    window.add_paths([make_survey("gone.zip", 1)])
    wait_all_final(qtbot, window)
    window.select_row(window.model.rows[0])
    window.view.setFocus()
    assert window.job_actions[Action.REMOVE].isEnabled()
    assert window.job_actions[Action.REMOVE].shortcut().toString() == "Del"
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.model.rows == [], timeout=5000)
    assert window.stack.currentWidget() is window.drop_area


def test_closing_with_running_jobs_asks_and_honours_the_answer(
    qtbot, make_window, make_survey, write_settings, monkeypatch
) -> None:
    archive = make_survey("long.zip", 4)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(parent, title, text, *args):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    with FakeEndpoint("latency", latency=0.3) as endpoint:
        write_settings(engine="http", endpoint=endpoint.url, workers=1, retries=0)
        window = make_window()
        window.add_paths([archive])
        qtbot.waitUntil(
            lambda: (
                bool(window.model.rows) and window.model.rows[0].state == JobState.RUNNING.value
            ),
            timeout=10_000,
        )
        runner = window.model.rows[0].runner
        assert not window.close()
        assert window.isVisible()
        assert runner.state is JobState.RUNNING
        assert window.close()
        assert runner.state is JobState.CANCELLED
        assert not window.isVisible()
    assert len(asked) == 2
    assert "1 job has not finished" in asked[0]


def test_closing_an_idle_window_does_not_ask(make_window, monkeypatch) -> None:
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a: pytest.fail("asked needlessly"))
    )
    window = make_window()
    assert window.close()


def test_sample_survey_results_go_to_the_data_folder(
    qtbot, make_window, make_survey, monkeypatch
) -> None:
    sample = make_survey("sample_survey.zip", 2)
    monkeypatch.setattr(main_window, "sample_survey", lambda: sample)
    window = make_window()
    window.registry[Id.SAMPLE].trigger()
    assert [row.name for row in window.model.rows] == ["sample_survey.zip"]
    wait_all_final(qtbot, window)
    row = window.model.rows[0]
    assert row.state == JobState.DONE.value
    assert row.results_path == app_paths().fallback_output_dir / "sample_survey_results.zip"
    assert not (sample.parent / "sample_survey_results.zip").exists()


def test_missing_sample_is_reported_not_raised(make_window, monkeypatch) -> None:
    def missing() -> Path:
        raise FileNotFoundError("The bundled resource 'sample/sample_survey.zip' is missing.")

    monkeypatch.setattr(main_window, "sample_survey", missing)
    window = make_window()
    window.queue_sample()
    assert window.banner.isVisible()
    assert "sample survey is not part of this installation" in window.banner.text


def test_viewer_absence_is_handled(qtbot, make_window, make_survey, monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "oilspill_desktop.ui.viewer", None)
    window = make_window()
    window.add_paths([make_survey("view.zip", 1)])
    wait_all_final(qtbot, window)
    window.perform(Action.VIEW, [window.model.rows[0]])
    assert "viewer is not available" in window.statusBar().currentMessage()


def test_failed_input_says_why_in_its_row(qtbot, make_window, tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"this is not a zip archive at all")
    window = make_window()
    window.add_paths([broken])
    wait_all_final(qtbot, window)
    row = window.model.rows[0]
    assert row.state == JobState.FAILED.value
    assert row.message
    detail = window.model.data(window.model.index_of(row), Qt.ItemDataRole.UserRole + 2)
    assert detail == row.message
    assert available_actions(row) == [Action.REMOVE]  # running it again cannot help


def test_log_dock_filters_by_level(qtbot, make_window) -> None:
    window = make_window()
    logger = logging.getLogger("oilspill_desktop.test")
    logger.info("an info line")
    logger.warning("a warning line")
    logger.error("an error line")
    window.log_dock.flush()
    proxy = window.log_dock.proxy

    def shown() -> list[str]:
        return [proxy.data(proxy.index(r, 2)) for r in range(proxy.rowCount())]

    assert {"an info line", "a warning line", "an error line"} <= set(shown())
    window.log_dock.set_minimum_level(logging.WARNING)
    assert "an info line" not in shown() and "a warning line" in shown()
    window.log_dock.set_minimum_level(logging.ERROR)
    assert "a warning line" not in shown() and "an error line" in shown()
    window.log_dock.search.setText("nothing like this")
    assert shown() == []


def test_packing_row_shows_progress_then_becomes_a_job(
    qtbot, make_window, make_survey, tmp_path: Path
) -> None:
    archive = make_survey("many.zip", 6)
    folder = tmp_path / "many"
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(folder)
    window = make_window()
    states: list[str] = []
    window.model.rows_changed.connect(lambda: states.extend(r.state for r in window.model.rows))
    window.add_paths([folder])
    wait_all_final(qtbot, window)
    assert PACKING in states
    assert window.model.rows[0].state == JobState.DONE.value


def test_view_masks_opens_the_viewer_on_results_and_on_a_running_job(
    qtbot, make_window, make_survey, write_settings
) -> None:
    archive = make_survey("look.zip", 4)
    with FakeEndpoint("latency", latency=0.1) as endpoint:
        write_settings(engine="http", endpoint=endpoint.url, workers=1, retries=0)
        window = make_window()
        window.add_paths([archive])
        qtbot.waitUntil(
            lambda: (
                bool(window.model.rows) and window.model.rows[0].state == JobState.RUNNING.value
            ),
            timeout=10_000,
        )
        row = window.model.rows[0]
        window.perform(Action.VIEW, [row])
        assert len(window.dialogs.viewers) == 1
        following = window.dialogs.viewers[0]
        qtbot.addWidget(following)
        wait_all_final(qtbot, window)
    window.perform(Action.VIEW, [row])
    assert len(window.dialogs.viewers) == 2
    qtbot.addWidget(window.dialogs.viewers[1])
    assert all(viewer.isVisible() for viewer in window.dialogs.viewers)


def test_finished_working_files_are_cleaned_at_exit(
    qtbot, make_window, make_survey, write_settings
) -> None:
    write_settings(keep_finished_days=0)
    window = make_window()
    window.add_paths([make_survey("tidy.zip", 2)])
    wait_all_final(qtbot, window)
    jobs = app_paths().jobs_dir
    assert any(jobs.iterdir())
    window.guard.close_confirmed = True
    window.close()
    window.wait_for_workers()
    window.clean_up_cache()
    assert not any(jobs.iterdir())
    assert window.model.rows[0].results_path.is_file()


def test_a_job_waiting_for_its_endpoint_says_when_it_gives_up(
    qtbot, make_window, make_survey, write_settings
) -> None:
    """The row says why it waits, when the next try is, and how long before it gives up."""
    import re
    import socket

    from oilspill_desktop.ui.queue_model import DETAIL_ROLE

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    write_settings(
        engine="http",
        endpoint=f"http://127.0.0.1:{port}/segment",
        retries=1,
        connect_timeout=1.0,
        max_outage_minutes=5.0,
    )
    survey = make_survey("offline.zip", 3)
    window = make_window()
    with qtbot.waitSignal(window.intake_finished, timeout=5000):
        drop_paths(window, [survey])
    row = window.model.rows[0]
    qtbot.waitUntil(lambda: row.state == JobState.WAITING.value, timeout=15_000)
    # The detail line is refreshed with each progress tick while the job waits.
    qtbot.waitUntil(lambda: "gives up in" in str(window.model.index_of(row).data(DETAIL_ROLE)))
    detail = str(window.model.index_of(row).data(DETAIL_ROLE))
    assert window.model.index_of(row, Column.STATE).data() == "Waiting for endpoint"
    match = re.fullmatch(
        r".*connection refused to .*; next try in (\d+):(\d\d), gives up in (\d+):(\d\d)", detail
    )
    assert match, detail
    next_try = int(match[1]) * 60 + int(match[2])
    gives_up = int(match[3]) * 60 + int(match[4])
    assert next_try <= 60
    assert 4 * 60 < gives_up <= 5 * 60
    window.cancel_all()  # a waiting job stops at once when cancelled
    qtbot.waitUntil(lambda: row.state == JobState.CANCELLED.value, timeout=10_000)
