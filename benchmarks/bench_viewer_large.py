"""Peak memory and time to the first picture of the mask viewer on a large-scene result.

Builds a SIZE x SIZE 16-bit GeoTIFF and processes it window by window with
``bench_large_scene.py``'s builder and ``process`` run (classical engine), then opens the
results zip in the viewer in a child process (offscreen) and prints the child's peak RSS
(``ru_maxrss``), the time until the first picture (mask and saved overlay) is up, the time
until the original is drawn too, the longest the GUI thread went without serving its event
loop meanwhile (once the window is built and shown), and the size the pictures are
shown at. Prints figures; asserts nothing.

Usage: python benchmarks/bench_viewer_large.py [--size 20000] [--keep DIR]
       --size 9000 makes a quicker run, shown at 1:3 (pictures up to 64 Mpx are shown
       whole; below 8,000² the large-scene threshold is lowered to 1 Mpx, so the
       windowed path still writes the result);
       --keep DIR keeps the scene's input and results zips in DIR and reuses them on the
       next run of the same size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

WINDOWED_FROM = 8_000
"""Below this side the default threshold (64 Mpx) would process the scene whole."""


def build_results(folder: Path, size: int) -> Path:
    """``folder/large_results.zip`` for a SIZE² scene (made unless it is there already)."""
    from bench_large_scene import build_scene, run

    results = folder / "large_results.zip"
    stamp = folder / "size.txt"
    if results.is_file() and stamp.is_file() and stamp.read_text() == str(size):
        return results
    folder.mkdir(parents=True, exist_ok=True)
    scene = folder / "scene.tif"
    started = time.perf_counter()
    build_scene(scene, size)
    archive = folder / "large.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED, allowZip64=True) as bundle:
        bundle.write(scene, "large/scene.tif")
    scene.unlink()
    home = _home(folder, size)
    peak, elapsed, _ = run(archive, home, "classical")
    print(
        f"built and processed {size}x{size} in {time.perf_counter() - started:.0f} s "
        f"(process: peak RSS {peak:.0f} MB, {elapsed:.0f} s)"
    )
    stamp.write_text(str(size))
    return results


def _home(folder: Path, size: int) -> Path:
    home = folder / "home"
    (home / "config").mkdir(parents=True, exist_ok=True)
    limits: dict[str, object] = {"max_member_bytes": 1 << 30, "max_compression_ratio": 1000.0}
    if size < WINDOWED_FROM:
        limits["large_scene_pixels"] = 1_000_000
    settings = {"limits": limits}
    (home / "config" / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    return home


def open_in_viewer(results: Path) -> dict[str, object]:
    """In the child: open the viewer on ``results`` and time its pictures."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from oilspill_desktop.ui.viewer import ViewerWindow

    app = QApplication.instance() or QApplication([])
    figures: dict[str, object] = {}
    clock, gap_clock = QElapsedTimer(), QElapsedTimer()
    longest = [0]

    def beat() -> None:  # how long the event loop went without turning
        longest[0] = max(longest[0], gap_clock.restart())

    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(beat)
    clock.start()
    gap_clock.start()
    heartbeat.start()
    window = ViewerWindow(results)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    figures["window_built_ms"] = clock.elapsed()
    longest[0] = 0  # from here on the pictures are decoded on the workers
    gap_clock.restart()
    looking = window.tr("Looking for the original images…")
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        app.processEvents()
        pictures = window.views.pictures
        if pictures is not None and "first_picture_ms" not in figures:
            figures["first_picture_ms"] = clock.elapsed()
        status = window.originals_status
        looked = status is not None and status.state.value != "looking"
        if pictures is not None and looked and pictures.original_note != looking:
            figures["original_ms"] = clock.elapsed()
            figures["original_note"] = pictures.original_note
            break
        time.sleep(0.002)
    heartbeat.stop()
    pictures = window.views.pictures
    if pictures is not None:
        figures["full_size"] = f"{pictures.width}x{pictures.height}"
        for name in ("original", "classes", "picture"):
            pyramid = getattr(pictures, name)
            if pyramid is not None:
                figures[f"{name}_shown"] = (
                    f"{pyramid.levels[0].width()}x{pyramid.levels[0].height()}"
                )
        figures["mask_note"] = pictures.mask_note
        figures["status_line"] = window.status_line.describe()
    figures["longest_gui_gap_ms"] = longest[0]
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    window.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the zips in this folder")
    parser.add_argument("--open", type=Path, help=argparse.SUPPRESS)  # the child's part
    args = parser.parse_args()
    if args.open is not None:
        print(json.dumps(open_in_viewer(args.open)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-viewer-large-") as work:
        folder = args.keep or Path(work)
        results = build_results(folder, args.size)
        env = {**os.environ, "OILSPILL_DESKTOP_HOME": str(_home(folder, args.size))}
        env["QT_QPA_PLATFORM"] = "offscreen"
        env["PYTHONPATH"] = str(ROOT)
        command = [sys.executable, __file__, "--open", str(results)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"the viewer failed:\n{done.stdout}\n{done.stderr}")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"viewer on a {args.size}x{args.size} result:")
        for key, value in figures.items():
            print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
