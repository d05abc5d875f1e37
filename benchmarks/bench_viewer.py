"""How fast the mask viewer is, and how much memory it keeps. Prints figures; asserts nothing.

    python benchmarks/bench_viewer.py [--items 10000] [--big 6] [--walk 24]

1. Opening a results zip of ``--items`` images: time until the first picture is on screen
   (masks and the saved overlay), and until the original is drawn under the live overlay.
2. Next image at 2048x2048 once the neighbour is cached (target: under 100 ms), including
   the repaint of the three views; and, for comparison, a switch to an item not yet loaded.
3. Memory while walking through ``--walk`` 2048x2048 images: the loader's cache against its
   byte cap, and the process's resident memory.

Targets (issue 4): next image < 100 ms at 2048x2048 when cached; 10,000-item results zip
< 1 s to the first picture; memory bounded whatever the number of items.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from oilspill_desktop.core.engines.answers import interpret_answer  # noqa: E402
from oilspill_desktop.core.inputs.archive import InputArchive  # noqa: E402
from oilspill_desktop.core.model import ItemRecord, ItemStatus, Limits, MiB  # noqa: E402
from oilspill_desktop.core.results.overlay import render_overlay  # noqa: E402
from oilspill_desktop.core.results.report import InputFacts, JobReport  # noqa: E402
from oilspill_desktop.tools.synthetic import encode_image, synthetic_scene, write_zip  # noqa: E402
from oilspill_desktop.ui.viewer import ViewerWindow  # noqa: E402
from oilspill_desktop.ui.viewer.loader import item_key  # noqa: E402


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / MiB


def build(
    folder: Path, name: str, scenes: list[tuple[Image.Image, np.ndarray]], count: int
) -> Path:
    """An input zip of ``count`` images (cycling through ``scenes``) and its results zip."""
    input_path = folder / f"{name}.zip"
    encoded = [encode_image(image, "PNG") for image, _oil in scenes]
    write_zip(
        input_path, ((f"scenes/img_{i:05d}.png", encoded[i % len(scenes)]) for i in range(count))
    )
    data = input_path.read_bytes()
    report = JobReport(
        InputFacts(input_path.name, len(data), hashlib.sha256(data).hexdigest()),
        "builtin",
        None,
        "2026-01-01T00:00:00+00:00",
        "2026-01-01T01:00:00+00:00",
    )
    del data
    pictures = []
    for image, oil in scenes:
        mask = Image.fromarray(oil.astype(np.uint8) * 255, "L")
        overlay = render_overlay(image, interpret_answer(mask, *image.size))
        pictures.append((png(mask), png(overlay), int(oil.sum()), image.size))
    results = folder / f"{name}_results.zip"
    with InputArchive(input_path, Limits()) as archive, zipfile.ZipFile(results, "w") as bundle:
        for i, member in enumerate(archive.images):
            mask_png, overlay_png, oil_pixels, (w, h) = pictures[i % len(scenes)]
            record = ItemRecord(
                path=member.path,
                status=ItemStatus.OK,
                width=w,
                height=h,
                oil_pixels=oil_pixels,
                oil_fraction=oil_pixels / (w * h),
                mask=f"masks/{member.output_stem}.png",
                overlay=f"overlays/{member.output_stem}.png",
                attempts=1,
                elapsed_ms=100,
                kind="mask",
                member_index=member.index,
            )
            bundle.writestr(record.mask, mask_png, zipfile.ZIP_STORED)
            bundle.writestr(record.overlay, overlay_png, zipfile.ZIP_STORED)
            report.items.append(record)
        with bundle.open("report.json", "w") as stream:
            report.write_json(stream)
        with bundle.open("report.csv", "w") as stream:
            report.write_csv(stream)
    return results


def wait(app: QApplication, condition: Callable[[], bool], timeout: float = 120.0) -> float:
    """Process events until ``condition``; return the seconds it took."""
    start = time.perf_counter()
    while not condition():
        app.processEvents()
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the viewer did not get there in time")
    return time.perf_counter() - start


def repaint(window: ViewerWindow) -> None:
    for view in window.views.views:
        view.viewport().repaint()


def shown(window: ViewerWindow, *, live: bool = False) -> bool:
    pictures, record = window.views.pictures, window.current_record()
    if pictures is None or record is None or pictures.record.path != record.path:
        return False
    return pictures.live_overlay or not live


def bench_open(app: QApplication, folder: Path, items: int) -> None:
    scene = synthetic_scene(256, 256, seed=1)
    started = time.perf_counter()
    results = build(folder, "many", [(scene.image, scene.oil)], items)
    size = results.stat().st_size / MiB
    took = time.perf_counter() - started
    print(f"[open] built {items:,}-item results zip ({size:.0f} MB) in {took:.1f} s")
    t0 = time.perf_counter()
    window = ViewerWindow(results)
    window.resize(1280, 800)
    window.show()
    opened = time.perf_counter() - t0
    wait(app, lambda: shown(window))
    repaint(window)
    first = time.perf_counter() - t0
    wait(app, lambda: shown(window, live=True))
    repaint(window)
    live = time.perf_counter() - t0
    print(f"[open] window built and report read: {opened * 1000:.0f} ms")
    print(f"[open] first picture on screen:      {first * 1000:.0f} ms   (target < 1000 ms)")
    print(f"[open] original under live overlay:  {live * 1000:.0f} ms")
    print(f"[open] rows listed: {window.model.rowCount():,}; RSS {rss_mb():.0f} MB")
    window.close()
    window.deleteLater()
    app.processEvents()


def bench_switch(app: QApplication, folder: Path, count: int, walk: int) -> None:
    started = time.perf_counter()
    scenes = [synthetic_scene(2048, 2048, seed=10 + i, slicks=2) for i in range(count)]
    results = build(folder, "big", [(s.image, s.oil) for s in scenes], walk)
    del scenes
    print(f"[switch] built {walk} images of 2048x2048 in {time.perf_counter() - started:.1f} s")
    window = ViewerWindow(results)
    window.resize(1600, 900)
    window.show()
    wait(app, lambda: shown(window, live=True))
    repaint(window)
    third_rss = rss_mb()
    trace: list[str] = []
    cached_times: list[float] = []
    cold_times: list[float] = []
    peak_rss = rss_mb()
    cap = window.loader.cache_bytes
    peak_cache = 0
    for step in range(1, walk):
        nxt = window.proxy.record_at(window.current_row() + 1)
        assert nxt is not None
        cold = step % 4 == 0
        if cold:
            window.loader.forget(item_key(nxt))
        else:
            wait(app, lambda nxt=nxt: window.loader.get(nxt) is not None)
        t0 = time.perf_counter()
        window.go(1)
        wait(app, lambda: shown(window, live=True))
        repaint(window)
        (cold_times if cold else cached_times).append(time.perf_counter() - t0)
        peak_rss = max(peak_rss, rss_mb())
        peak_cache = max(peak_cache, window.loader.cached_bytes)
        if step % max(1, walk // 6) == 0:
            trace.append(f"{step}:{rss_mb():.0f}")
        if step == walk // 3:
            third_rss = rss_mb()
    ms = [t * 1000 for t in cached_times]
    print(
        f"[switch] next image, cached:     median {statistics.median(ms):.1f} ms, "
        f"max {max(ms):.1f} ms over {len(ms)} switches   (target < 100 ms)"
    )
    if cold_times:
        cold_ms = [t * 1000 for t in cold_times]
        print(f"[switch] next image, not cached: median {statistics.median(cold_ms):.0f} ms")
    print(
        f"[memory] walked {walk} images: cache peak {peak_cache / MiB:.0f} MB of a "
        f"{cap / MiB:.0f} MB cap ({window.loader.cached_count} items held at the end); "
        f"process RSS after {walk // 3} images {third_rss:.0f} MB, after {walk} "
        f"{rss_mb():.0f} MB, peak {peak_rss:.0f} MB"
    )
    print(f"[memory] RSS by step (step:MB): {' '.join(trace)}")
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
        print(f"[memory] RSS after giving freed heap back to the system: {rss_mb():.0f} MB")
    except OSError:
        pass
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=6, help="distinct 2048x2048 scenes")
    parser.add_argument("--walk", type=int, default=24, help="2048x2048 images to walk through")
    args = parser.parse_args()
    home = tempfile.TemporaryDirectory(prefix="bench-viewer-")
    os.environ["OILSPILL_DESKTOP_HOME"] = str(Path(home.name) / "home")
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    folder = Path(home.name)
    bench_open(app, folder, args.items)
    bench_switch(app, folder, args.big, args.walk)
    home.cleanup()


if __name__ == "__main__":
    main()
