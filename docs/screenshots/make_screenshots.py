"""Take the README's screenshots of the real window, under Xvfb, with real jobs.

Run from the repository root::

    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb \\
        python docs/screenshots/make_screenshots.py [--dark] [--language ru]

It queues synthetic surveys against a local fake ML endpoint (slow on purpose, so the
queue is caught mid-run) and saves ``empty``, ``running``, ``finished`` and ``settings``
PNGs (with a ``-dark`` or ``-ru`` suffix when asked) beside this script.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def dark_palette():  # type: ignore[no-untyped-def]
    """A dark Fusion palette, as a desktop in dark mode would hand the app."""
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    role = QPalette.ColorRole
    colours = {
        role.Window: "#26292e",
        role.WindowText: "#e6e8eb",
        role.Base: "#1c1f23",
        role.AlternateBase: "#23262b",
        role.ToolTipBase: "#2d3137",
        role.ToolTipText: "#e6e8eb",
        role.Text: "#e6e8eb",
        role.Button: "#2d3137",
        role.ButtonText: "#e6e8eb",
        role.BrightText: "#ff6b6b",
        role.Link: "#6ea8fe",
        role.Highlight: "#2f6fb5",
        role.HighlightedText: "#ffffff",
        role.PlaceholderText: "#8b929b",
        role.Mid: "#3a3f46",
        role.Midlight: "#353a41",
        role.Dark: "#16181b",
        role.Light: "#41464e",
    }
    for name, value in colours.items():
        palette.setColor(name, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for name in (role.Text, role.ButtonText, role.WindowText):
        palette.setColor(disabled, name, QColor("#6c727a"))
    return palette


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dark", action="store_true", help="use the dark colour scheme")
    parser.add_argument("--language", default="en", help="en or ru")
    args = parser.parse_args()
    from shots import Shots

    suffix = ("-dark" if args.dark else "") + ("" if args.language == "en" else f"-{args.language}")
    shots = Shots(args.language, suffix=suffix, palette=dark_palette if args.dark else None)
    home, pump, shoot = shots.home, shots.pump, shots.shoot

    from PySide6.QtCore import QModelIndex, Qt

    from oilspill_desktop.core.config.paths import app_paths
    from oilspill_desktop.core.config.settings import Settings, save_settings
    from oilspill_desktop.tools.synthetic import write_survey_zip
    from tests.endpoint_server import FakeEndpoint

    data = home / "Surveys"
    data.mkdir()
    write_survey_zip(data / "north_sea_2024-06-14.zip", 24, size=(192, 192), seed=1)
    write_survey_zip(data / "baltic_pass_17.zip", 60, size=(192, 192), seed=2)
    write_survey_zip(data / "gulf_of_finland_0611.zip", 40, size=(160, 160), seed=3)
    flight = data / "Flight 12 - Gotland"
    write_survey_zip(home / "flight.zip", 18, size=(160, 160), seed=4)
    with zipfile.ZipFile(home / "flight.zip") as bundle:
        bundle.extractall(flight)

    with FakeEndpoint(("latency", "random_fail"), latency=0.12, random_fail_p=0.015) as endpoint:
        paths = app_paths().ensure()
        save_settings(
            Settings(engine="http", endpoint=endpoint.url, workers=4, retries=0),
            paths.settings_file,
        )
        from oilspill_desktop.ui.main_window import MainWindow

        window = MainWindow()
        window.resize(1180, 720)
        window.move(40, 30)
        window.show()
        window.activateWindow()
        shoot(window, "empty")

        window.log_dock.show()
        window.resizeDocks([window.log_dock], [150], Qt.Orientation.Vertical)
        window.add_paths([data / "north_sea_2024-06-14.zip", data / "baltic_pass_17.zip"])
        pump(lambda: len(window.model.rows) == 2)
        window.add_paths([flight])
        window.add_paths([data / "gulf_of_finland_0611.zip"])
        pump(lambda: len(window.model.rows) == 4)
        first, second = window.model.rows[:2]
        pump(
            lambda: (
                first.state == "done"
                and second.progress is not None
                and second.progress.fraction > 0.35
            )
        )
        window.view.clearSelection()
        window.view.setCurrentIndex(QModelIndex())
        shoot(window, "running")

        pump(lambda: not window.has_unfinished(), 300)
        window.view.clearSelection()
        window.view.setCurrentIndex(QModelIndex())
        shoot(window, "finished")

        dialog = window.open_settings()
        dialog.move(window.x() + 260, window.y() + 90)
        with_result = []
        dialog.test_finished.connect(with_result.append)
        dialog.connection.start()
        pump(lambda: bool(with_result), 30)
        shoot(dialog, "settings")
        dialog.reject()

        window._close_confirmed = True
        window.close()
        window.wait_for_workers()
    return 0


if __name__ == "__main__":
    sys.exit(main())
