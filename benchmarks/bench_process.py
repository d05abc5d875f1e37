"""Benchmark ``oilspill-desktop process`` against a local endpoint (not a test: it prints).

Figures, in one run against an endpoint on 127.0.0.1 with a fixed latency and capacity:
- images/s of ``process`` (8 workers) and of a bare concurrent client posting the same
  images (the limit the endpoint allows), and their ratio (target >= 0.9);
- peak RSS of ``process`` at two archive sizes (target < 300 MB, growth < 10 %);
- the built-in engine's megapixels per second.

The endpoint answers either empty masks (open sea) or each scene's true slick mask (every
overlay painted); both are measured, as the work per image differs.

Usage: python benchmarks/bench_process.py [--images 3000] [--small 1000 --large 10000]
       [--answers sea|slicks|both] [--no-rss] [--gil-probe]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import httpx
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from oilspill_desktop.core.engines.classical import ClassicalEngine  # noqa: E402
from oilspill_desktop.core.inputs.images import decode_image  # noqa: E402
from oilspill_desktop.core.jobs.cancel import CancelToken  # noqa: E402
from oilspill_desktop.core.model import Limits  # noqa: E402
from oilspill_desktop.tools.synthetic import synthetic_scene  # noqa: E402

ENDPOINT_PROGRAM = """
import sys
sys.path.insert(0, {root!r})
sys.path.insert(0, {root!r} + "/benchmarks")
from bench_process import slick_masks
from tests.endpoint_server import FakeEndpoint
table = slick_masks({scenes}, {size}) if {answers!r} == "slicks" else {{}}
ep = FakeEndpoint(
    "latency,capacity,table", latency={latency}, capacity={capacity}, keep_received=1,
    table=table,
).start()
print(ep.url, flush=True)
sys.stdin.read()
ep.close()
"""
ANSWERS = {
    "sea": "every answer an empty mask (open sea: most of a real survey)",
    "slicks": "every answer the scene's true slick mask (every overlay painted)",
}
SCENES = 64


def scene_pngs(count: int, size: int) -> list[bytes]:
    pictures = []
    for seed in range(count):
        buffer = io.BytesIO()
        synthetic_scene(size, size, seed=seed, slicks=1 + seed % 3).image.save(buffer, "PNG")
        pictures.append(buffer.getvalue())
    return pictures


def slick_masks(count: int, size: int) -> dict[bytes, bytes]:
    """The true oil mask of each scene of :func:`scene_pngs`, by the scene's sha1: the
    endpoint answers real masks without spending CPU on segmentation."""
    table = {}
    for seed, picture in enumerate(scene_pngs(count, size)):
        oil = synthetic_scene(size, size, seed=seed, slicks=1 + seed % 3).oil
        buffer = io.BytesIO()
        Image.fromarray(oil.astype("uint8") * 255, "L").save(buffer, "PNG")
        table[hashlib.sha1(picture).digest()] = buffer.getvalue()
    return table


def make_archive(path: Path, images: int, pictures: list[bytes]) -> Path:
    """``images`` members with unique base names (the endpoint counts by file name)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as bundle:
        for index in range(images):
            bundle.writestr(
                f"survey/{index // 1000:03d}/scene_{index:05d}.png", pictures[index % len(pictures)]
            )
    return path


def start_endpoint(
    latency: float, capacity: int, answers: str = "sea", size: int = 256
) -> tuple[subprocess.Popen[str], str]:
    program = ENDPOINT_PROGRAM.format(
        root=str(ROOT),
        latency=latency,
        capacity=capacity,
        answers=answers,
        scenes=SCENES,
        size=size,
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", program], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def bare_client_rate(
    url: str, pictures: list[bytes], images: int, workers: int, extra_ms: float = 0.0
) -> float:
    """The ceiling: N threads posting the same bytes through one pooled client.

    ``extra_ms`` adds that much pure-Python CPU work (holding the GIL) after each answer:
    how much any per-image work costs a threaded client on this machine.
    """
    client = httpx.Client(limits=httpx.Limits(max_connections=workers), timeout=60)
    counter = iter(range(images))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            data = pictures[index % len(pictures)]
            answer = client.post(url, files={"file": (f"s{index}.png", data, "image/png")})
            answer.raise_for_status()
            if extra_ms:
                until = time.thread_time() + extra_ms / 1000
                while time.thread_time() < until:
                    pass

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    client.close()
    return images / elapsed


def run_process(archive: Path, url: str, workers: int, home: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one ``process`` run."""
    env = {**os.environ, "OILSPILL_DESKTOP_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    command = [
        sys.executable,
        "-m",
        "oilspill_desktop",
        "process",
        str(archive),
        "-q",
        "--engine",
        "http",
        "--endpoint",
        url,
        "--workers",
        str(workers),
    ]
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"process failed:\n{out}\n{err}")
    return elapsed, usage.ru_maxrss / 1024


def builtin_mpix_per_s(size: int = 1024, repeats: int = 3) -> float:
    engine = ClassicalEngine()
    buffer = io.BytesIO()
    synthetic_scene(size, size, seed=7, slicks=2).image.save(buffer, "PNG")
    source = decode_image(buffer.getvalue(), "scene.png", Limits())
    engine.segment(source, CancelToken())
    started = time.perf_counter()
    for _ in range(repeats):
        engine.segment(source, CancelToken())
    return size * size * repeats / (time.perf_counter() - started) / 1e6


def throughput(args: argparse.Namespace, work: Path, answers: str) -> float:
    """Print the limit, the rate of ``process`` and their ratio with one kind of answers."""
    pictures = scene_pngs(SCENES, args.size)
    proc, url = start_endpoint(args.latency, args.workers, answers, args.size)
    try:
        limit = bare_client_rate(url, pictures, args.images, args.workers)
        one = make_archive(work / "one.zip", 1, pictures)
        overhead, _ = run_process(one, url, args.workers, work / f"home-overhead-{answers}")
        archive = make_archive(work / "throughput.zip", args.images, pictures)
        wall, _ = run_process(archive, url, args.workers, work / f"home-throughput-{answers}")
        archive.unlink()
    finally:
        stop_endpoint(proc)
    rate_raw = args.images / wall
    rate = args.images / max(wall - overhead, 1e-6)
    ratio = rate / limit
    verdict = "met" if ratio >= 0.9 else "NOT met"
    print(f"answers: {answers}, {ANSWERS[answers]}")
    print(f"  bare concurrent client: {limit:7.1f} images/s (the limit)")
    print(
        f"  process:                {rate:7.1f} images/s "
        f"(wall {wall:.1f} s including {overhead:.1f} s start-up and finish; "
        f"{rate_raw:.1f} images/s counting them)"
    )
    print(f"  ratio process/limit:    {ratio:.2f}  (target >= 0.90: {verdict})")
    return ratio


def gil_probe(args: argparse.Namespace) -> None:
    """Print the bare client's rate with 0, 1, 2 and 3 ms of Python work per image."""
    pictures = scene_pngs(SCENES, args.size)
    proc, url = start_endpoint(args.latency, args.workers, "sea", args.size)
    try:
        base = bare_client_rate(url, pictures, args.images, args.workers)
        print(f"bare client, extra Python work per image: 0 ms {base:7.1f} images/s")
        for extra in (1.0, 2.0, 3.0):
            rate = bare_client_rate(url, pictures, args.images, args.workers, extra)
            print(f"{'':42s}{extra:.0f} ms {rate:7.1f} images/s ({rate / base:.2f})")
    finally:
        stop_endpoint(proc)


def stop_endpoint(proc: subprocess.Popen[str]) -> None:
    if proc.stdin:
        proc.stdin.close()
    proc.wait(timeout=30)


def peak_rss(args: argparse.Namespace, work: Path) -> None:
    """Print peak RSS of ``process`` at two archive sizes and the growth between them."""
    pictures = scene_pngs(SCENES, args.size)
    proc, url = start_endpoint(args.latency, args.workers, "slicks", args.size)
    rss = {}
    try:
        for count in (args.small, args.large):
            archive = make_archive(work / f"rss-{count}.zip", count, pictures)
            wall, rss[count] = run_process(archive, url, args.workers, work / f"home-{count}")
            print(f"peak RSS at {count:6d} images: {rss[count]:6.1f} MB ({count / wall:.1f} img/s)")
            archive.unlink()
    finally:
        stop_endpoint(proc)
    growth = rss[args.large] / rss[args.small] - 1
    peak = max(rss.values())
    print(
        f"RSS growth {args.small} -> {args.large}: {growth * 100:+.1f} %  "
        f"(target < 10 %: {'met' if growth < 0.10 else 'NOT met'}); "
        f"peak {peak:.0f} MB (target < 300 MB: {'met' if peak < 300 else 'NOT met'})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=3000, help="images for the throughput run")
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.020)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument(
        "--answers", choices=[*ANSWERS, "both"], default="both", help="what the endpoint answers"
    )
    parser.add_argument("--no-rss", action="store_true", help="skip the peak RSS runs")
    parser.add_argument(
        "--gil-probe",
        action="store_true",
        help="only show what 1-3 ms of Python work per image costs a bare threaded client",
    )
    args = parser.parse_args()
    if args.gil_probe:
        gil_probe(args)
        return 0

    print(f"built-in engine: {builtin_mpix_per_s():.1f} megapixels/s (1024x1024 scenes)")
    print(
        f"endpoint: {args.latency * 1000:.0f} ms latency, capacity {args.workers}; "
        f"{args.images} images of {args.size}x{args.size}, {args.workers} workers"
    )
    with tempfile.TemporaryDirectory(prefix="oilspill-bench-") as tmp:
        work = Path(tmp)
        for answers in ANSWERS if args.answers == "both" else [args.answers]:
            throughput(args, work, answers)
        if not args.no_rss:
            peak_rss(args, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
