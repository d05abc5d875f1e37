"""Retry where it can help, and only there: through the window's real rows and actions."""

from __future__ import annotations

import json
import zipfile

import pytest

from oilspill_desktop.scheduling.job_runner import JobState
from oilspill_desktop.ui.queue_model import Action, available_actions
from tests.endpoint_server import FakeEndpoint

from .conftest import has_ended
from .test_main_window import wait_all_final

pytestmark = pytest.mark.gui

BROKEN = "survey/broken.png"


def with_a_corrupt_image(archive):
    with zipfile.ZipFile(archive, "a") as bundle:
        bundle.writestr(BROKEN, b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    return archive


def test_a_corrupt_image_alone_is_not_offered_a_retry(qtbot, make_window, make_survey) -> None:
    window = make_window()
    window.add_paths([with_a_corrupt_image(make_survey("corrupt.zip", 2))])
    wait_all_final(qtbot, window)
    row = window.model.rows[0]
    assert row.state == JobState.DONE_WITH_FAILURES.value
    assert row.outcome is not None and row.outcome.failed == 1 and row.outcome.mendable == 0
    assert Action.RETRY not in available_actions(row)
    assert Action.RUN_AGAIN not in available_actions(row)
    window.select_row(row)
    assert not window.job_actions[Action.RETRY].isEnabled()


def test_retry_resends_what_can_mend_and_leaves_the_corrupt_image(
    qtbot, http_job, make_survey
) -> None:
    archive = with_a_corrupt_image(make_survey("mixed.zip", 3))
    with FakeEndpoint("status", status=500) as endpoint:
        window, row = http_job(archive, endpoint.url, has_ended, workers=2, retries=0)
        assert row.outcome is not None
        assert (row.outcome.failed, row.outcome.mendable) == (4, 3)
        assert available_actions(row)[0] == Action.RETRY

        endpoint.configure("ok")
        before = endpoint.requests
        window.select_row(row)
        with qtbot.waitSignal(window.job_finished, timeout=15_000):
            window.job_actions[Action.RETRY].trigger()
        assert endpoint.requests - before == 3  # the corrupt image was not sent: it never could be
    assert row.state == JobState.DONE_WITH_FAILURES.value
    assert (row.outcome.ok, row.outcome.failed, row.outcome.mendable) == (3, 1, 0)
    assert Action.RETRY not in available_actions(row)
    assert row.results_path is not None
    report = json.loads(zipfile.ZipFile(row.results_path).read("report.json"))
    failed = [item["path"] for item in report["items"] if item["status"] == "failed"]
    assert failed == [BROKEN]


def test_a_broken_zips_reason_is_shown_whole(qtbot, make_window, tmp_path) -> None:
    """The row's line elides a long reason; the details area under the queue wraps it."""
    broken = tmp_path / ("S1A_IW_GRDH_1SDV_20240612T052334_20240612T052359_054279_069A3B" + ".zip")
    broken.write_bytes(b"this is not a zip archive at all")
    window = make_window()
    window.resize(700, 500)
    window.add_paths([broken])
    wait_all_final(qtbot, window)
    row = window.model.rows[0]
    assert row.state == JobState.FAILED.value and row.message
    assert broken.name in row.message
    name_cell = window.view.cells(0)[0]
    qtbot.waitUntil(lambda: "…" in name_cell.detail.text())  # cut in the row...
    details = window.details
    qtbot.waitUntil(details.isVisible)
    assert details.text.text() == row.message  # ...whole here
    assert details.text.wordWrap()
    line = details.text.fontMetrics().height()
    assert details.text.height() >= 2 * line  # wrapped over lines, not cut
