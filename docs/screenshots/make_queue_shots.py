"""Take the README's screenshots of the queue's rows, under Xvfb, with real jobs.

Run from the repository root::

    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb \\
        python docs/screenshots/make_queue_shots.py [--language ru]

Three synthetic surveys go to a local fake ML endpoint: the first finishes, the second is
cancelled part-way (its row offers to save the results of the images done), and the
endpoint then goes away under the third, which waits for it (its row offers to run the
rest on the offline engine, and the details area under the queue gives the whole reason).
Saves ``queue-rows.png`` (``queue-rows-ru.png``) beside this script.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--language", default="en", help="en or ru")
    args = parser.parse_args()
    from shots import Shots

    shots = Shots(args.language, suffix="" if args.language == "en" else f"-{args.language}")
    home = shots.home

    from oilspill_desktop.core.config.paths import app_paths
    from oilspill_desktop.core.config.settings import Settings, save_settings
    from oilspill_desktop.scheduling.job_runner import JobState
    from oilspill_desktop.tools.synthetic import write_survey_zip
    from oilspill_desktop.ui.queue_model import Action
    from tests.endpoint_server import FakeEndpoint

    def pump(until, timeout: float = 180.0) -> None:  # type: ignore[no-untyped-def]
        if not shots.pump(until, timeout):
            raise TimeoutError("the queue did not get there in time")

    data = home / "Surveys"
    data.mkdir()
    names = ("north_sea_2024-06-14.zip", "baltic_pass_17.zip", "S1A_IW_GRDH_gulf_0611.zip")
    for seed, (name, count) in enumerate(zip(names, (16, 60, 40), strict=True), start=1):
        write_survey_zip(data / name, count, size=(160, 160), seed=seed)

    endpoint = FakeEndpoint("latency", latency=0.1).start()
    paths = app_paths().ensure()
    save_settings(
        Settings(
            engine="http",
            endpoint=endpoint.url,
            workers=2,
            retries=2,
            connect_timeout=1.0,
            concurrent_jobs=2,
        ),
        paths.settings_file,
    )
    from oilspill_desktop.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1180, 560)
    window.move(40, 30)
    window.show()
    window.activateWindow()
    try:
        window.add_paths([data / names[0], data / names[1]])
        pump(lambda: len(window.model.rows) == 2)
        finished, cancelled = window.model.rows
        pump(lambda: finished.state == JobState.DONE.value)
        pump(lambda: cancelled.progress is not None and cancelled.progress.ok >= 20)
        window.perform(Action.CANCEL, [cancelled])
        window.add_paths([data / names[2]])
        pump(lambda: len(window.model.rows) == 3)
        waiting = window.model.rows[2]
        pump(lambda: waiting.progress is not None and waiting.progress.ok >= 12)
        endpoint.close()  # the endpoint goes away mid-job
        pump(lambda: waiting.state == JobState.WAITING.value)
        window.select_row(waiting)
        window.update_actions()
        shots.settle(1.0)
        shots.shoot(window, "queue-rows")
    finally:
        endpoint.close()
        window.cancel_all()
        window.guard.close_confirmed = True
        window.close()
        window.wait_for_workers()
    return 0


if __name__ == "__main__":
    sys.exit(main())
