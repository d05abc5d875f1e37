"""Peak memory and time of ``oilspill-desktop process`` on one large 16-bit GeoTIFF.

Builds a SIZE x SIZE 16-bit GeoTIFF (UTM, tiled 512 x 512, Deflate with a predictor, a
sea of low-entropy speckle with dark slicks, written strip by strip so that this script
never holds the scene either), zips it (stored: the TIFF is compressed already), runs
``process`` on it in a child process, and prints the child's peak RSS
(``os.wait4``'s ``ru_maxrss``) and wall time, with the report's figures. The scene is
above the large-scene threshold (64 Mpx) from about 8,000 x 8,000 on, and is then read,
segmented and written window by window; the target is a peak under 1.5 GB at 20,000².
``--workers N`` segments up to N windows of the scene at once (a local engine's windows
at once are the job's workers).

Usage: python benchmarks/bench_large_scene.py [--size 20000] [--engine classical|model]
       [--workers 1] [--quick]
       (--quick: 4,000², with the large-scene threshold lowered to 1 Mpx through the
        settings file, so the windowed path runs on it)
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from measured_process import run_process
from rasterio.windows import Window

ROOT = Path(__file__).resolve().parent.parent
STRIP = 512


def build_scene(path: Path, size: int, seed: int = 7) -> None:
    """The GeoTIFF, a strip of 512 rows at a time; slicks are dark ellipses."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0.1, 0.9, size=(6, 2)) * size
    radii = rng.uniform(0.01, 0.04, size=(6, 2)) * size
    profile = {
        "driver": "GTiff",
        "width": size,
        "height": size,
        "count": 1,
        "dtype": "uint16",
        "crs": "EPSG:32633",
        "transform": Affine(10.0, 0.0, 500_000.0, 0.0, -10.0, 6_000_000.0),
        "tiled": True,
        "blockxsize": 512,
        "blockysize": 512,
        "compress": "deflate",
        "predictor": 2,
        "BIGTIFF": "IF_SAFER",
    }
    cols = np.arange(size, dtype=np.float32)
    with rasterio.open(path, "w", **profile) as dataset:
        for top in range(0, size, STRIP):
            rows = np.arange(top, min(size, top + STRIP), dtype=np.float32)[:, None]
            values = 400 + rng.integers(0, 8, size=(rows.shape[0], size), dtype=np.uint16)
            for (cy, cx), (ry, rx) in zip(centres, radii, strict=True):
                inside = ((rows - cy) / ry) ** 2 + ((cols - cx) / rx) ** 2 < 1.0
                values[inside] //= 4
            dataset.write(values, 1, window=Window(0, top, size, rows.shape[0]))


def zipped_scene(folder: Path, size: int) -> Path:
    """The scene built and zipped (stored: the TIFF is compressed already) into
    ``folder``/large.zip, the TIFF itself removed."""
    scene = folder / "scene.tif"
    started = time.perf_counter()
    build_scene(scene, size)
    print(
        f"scene {size}x{size} uint16: {scene.stat().st_size / 1e6:.0f} MB on disk, "
        f"built in {time.perf_counter() - started:.0f} s"
    )
    archive = folder / "large.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED, allowZip64=True) as bundle:
        bundle.write(scene, "large/scene.tif")
    scene.unlink()
    return archive


def run(archive: Path, home: Path, engine: str, workers: int = 1) -> tuple[float, float, str]:
    """Peak RSS (MB), wall seconds and the report line of ``process`` on ``archive``."""
    options = ("-q", "--engine", engine, "--workers", str(workers), "--overlays", "jpeg")
    child = run_process(archive, home, *options)
    return child.rss_mb, child.wall, child.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--engine", choices=("classical", "model"), default="classical")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    size = 4_000 if args.quick else args.size
    with tempfile.TemporaryDirectory(prefix="bench-large-") as work:
        folder = Path(work)
        archive = zipped_scene(folder, size)
        home = folder / "home"
        (home / "config").mkdir(parents=True)
        limits = {"max_member_bytes": 1 << 30, "max_compression_ratio": 1000.0}
        if args.quick:
            limits["large_scene_pixels"] = 1_000_000
        settings = {"limits": limits}
        (home / "config" / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
        peak, elapsed, _ = run(archive, home, args.engine, args.workers)
        with zipfile.ZipFile(folder / "large_results.zip") as results:
            report = json.loads(results.read("report.json"))
            names = results.namelist()
        item = report["items"][0]
        print(
            f"engine {args.engine}, {args.workers} workers: peak RSS {peak:.0f} MB, "
            f"wall {elapsed:.1f} s, "
            f"status {item['status']}, oil {item.get('oil_fraction', 0) * 100:.2f} %, "
            f"{item.get('oil_area_km2')} km2 in {item.get('slicks')} slicks"
        )
        for warning in item.get("warnings", []):
            print(f"  warning: {warning}")
        print(f"  results: {', '.join(sorted(names))}")
        print(
            "target: peak RSS under 1536 MB at 20000x20000"
            + (" (this run is smaller)" if size < 20_000 else "")
        )


if __name__ == "__main__":
    main()
