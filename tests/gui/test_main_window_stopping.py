"""A job stopped part-way still delivers: Cancel offers the results of the images done,
and a job waiting for a dead endpoint runs the rest on the offline engine. Through the
window's real rows, buttons and actions."""

from __future__ import annotations

import json
import zipfile

import pytest
from PySide6.QtCore import Qt

from oilspill_desktop.scheduling.job_runner import JobState
from oilspill_desktop.ui.queue_model import DETAIL_ROLE, Action, available_actions
from tests.endpoint_server import FakeEndpoint

from .conftest import has_done
from .test_main_window import wait_all_final

pytestmark = pytest.mark.gui


def report_of(path) -> dict:
    with zipfile.ZipFile(path) as bundle:
        return json.loads(bundle.read("report.json"))


def test_cancel_offers_the_results_of_the_images_done(qtbot, http_job, make_survey) -> None:
    archive = make_survey("halfway.zip", 8)
    with FakeEndpoint("latency", latency=0.2) as endpoint:
        window, row = http_job(archive, endpoint.url, has_done(2), workers=1, retries=0)
        window.perform(Action.CANCEL, [row])
    assert row.state == JobState.CANCELLED.value
    done = row.outcome.ok
    assert available_actions(row)[0] == Action.SAVE_PARTIAL
    window.select_row(row)
    window.update_actions()
    action = window.job_actions[Action.SAVE_PARTIAL]
    assert action.isEnabled()
    assert action.text() in (
        f"Save results of the {done} images done",
        f"Save results of the {done} image(s) done",
    )  # TEMP
    button = window.view.cells(0)[2].buttons[0]  # the row's first button
    assert button.isVisible() and button.toolTip() == f"Save results of the {done} images done"

    with qtbot.waitSignal(window.job_finished, timeout=15_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert row.state == JobState.CANCELLED.value  # still a cancelled job, with its results
    assert row.results_path is not None and row.results_path.is_file()
    report = report_of(row.results_path)
    assert report["counts"]["ok"] == done
    missing = [i for i in report["items"] if i["status"] == "failed"]
    assert len(missing) == 8 - done
    assert {i["error_code"] for i in missing} == {"item.not_processed"}
    assert "Partial results" in (row.message or "")
    actions = available_actions(row)
    assert Action.SAVE_PARTIAL not in actions
    assert actions[0] == Action.RUN_AGAIN and Action.OPEN in actions
    assert "Partial results" in window.statusBar().currentMessage()


def test_a_waiting_job_runs_the_rest_on_the_offline_engine(qtbot, http_job, make_survey) -> None:
    archive = make_survey("outage.zip", 6)
    endpoint = FakeEndpoint("latency", latency=0.2).start()
    try:
        window, row = http_job(
            archive,
            endpoint.url,
            has_done(2),
            workers=1,
            retries=2,
            connect_timeout=1.0,
            max_outage_minutes=5.0,
        )
    finally:
        endpoint.close()  # the endpoint goes away mid-job
    qtbot.waitUntil(lambda: row.state == JobState.WAITING.value, timeout=20_000)
    qtbot.waitUntil(lambda: "gives up in" in str(window.model.index_of(row).data(DETAIL_ROLE)))

    # The whole reason, wrapped, in the details area under the queue.
    details = window.details
    assert details.isVisible() and details.text.wordWrap()
    assert details.title.text() == "outage.zip"
    assert "connection refused" in details.text.text() and "gives up in" in details.text.text()

    assert available_actions(row)[0] == Action.SWITCH_OFFLINE
    window.select_row(row)
    window.update_actions()
    switch = window.job_actions[Action.SWITCH_OFFLINE]
    assert switch.isEnabled() and switch.text() == "Run the rest on the offline engine"
    from_endpoint = row.progress.ok
    first_runner = row.runner
    switch.trigger()
    qtbot.waitUntil(lambda: row.runner is not first_runner, timeout=10_000)
    wait_all_final(qtbot, window, timeout=60_000)

    assert row.state == JobState.DONE.value
    assert row.runner.request.settings.engine == "model"
    assert row.runner.prepared is not None and row.runner.prepared.resumed == from_endpoint
    report = report_of(row.results_path)
    assert report["engine"] == "model" and report["counts"]["ok"] == 6
    carried = [i for i in report["items"] if any("switched engine" in w for w in i["warnings"])]
    assert len(carried) == from_endpoint  # the endpoint's work is kept, and says whose it is
    assert all("segmented by http" in " ".join(i["warnings"]) for i in carried)
    assert not details.isVisible()  # no job has a reason to give any more
