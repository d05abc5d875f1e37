"""Benchmark ``oilspill-desktop process`` against a local endpoint (not a test: it prints).

Two throughput profiles, each against an endpoint on 127.0.0.1 with a fixed latency and
capacity that answers real slick masks, and a bare concurrent client posting the same
images in the same run (the limit the endpoint allows):

- **field** (first): 120 SAR-like 1024x1024 JPEG scenes (~68 MB), an endpoint taking
  150 ms per answer with 4 at a time (limit 26.7 images/s), 8 bare client threads, then
  ``process --workers 8``. Prints both rates and their ratio (target >= 0.9), and the
  results zip's size over the input's (target <= 1.2 for JPEG inputs). This is where field
  users run the app: a remote GPU service and megapixel scenes.
- **stress**: 256x256 PNG scenes, a 20 ms endpoint with capacity 8, every answer an empty
  mask (open sea) or the scene's true slick mask. On a small machine the endpoint, the
  client and the pipeline share the cores, so this ratio is a figure to watch, not to chase.

Then peak RSS of ``process`` at two archive sizes (target < 300 MB, growth < 10 %) and the
classical engine's megapixels per second.

Usage: python benchmarks/bench_process.py [--quick] [--profile field|stress|all]
       [--scenes 120] [--overlays jpeg|png|none] [--images 3000] [--small 1000 --large 10000]
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
from dataclasses import dataclass
from pathlib import Path

import httpx
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import measured_process  # noqa: E402

from oilspill_desktop.core.engines.classical import ClassicalEngine  # noqa: E402
from oilspill_desktop.core.inputs.images import decode_image  # noqa: E402
from oilspill_desktop.core.jobs.cancel import CancelToken  # noqa: E402
from oilspill_desktop.core.model import Limits  # noqa: E402
from oilspill_desktop.tools.synthetic import synthetic_scene  # noqa: E402

ENDPOINT_PROGRAM = """
import sys, zipfile
sys.path.insert(0, {root!r})
from tests.endpoint_server import FakeEndpoint
table = {{}}
if {table!r}:
    with zipfile.ZipFile({table!r}) as masks:
        table = {{bytes.fromhex(name): masks.read(name) for name in masks.namelist()}}
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


@dataclass(frozen=True)
class Field:
    """The field profile: what the issue measured field users against."""

    scenes: int = 120
    size: int = 1024
    quality: int = 90
    """JPEG quality of the scenes: 1024x1024 speckle at 90 is ~560 kB, 120 of them ~68 MB."""
    latency: float = 0.150
    capacity: int = 4
    workers: int = 8


def scene_pictures(count: int, size: int, fmt: str = "PNG", quality: int = 90) -> list[bytes]:
    pictures = []
    for seed in range(count):
        buffer = io.BytesIO()
        image = synthetic_scene(size, size, seed=seed, slicks=1 + seed % 3).image
        image.save(buffer, fmt, **({"quality": quality} if fmt == "JPEG" else {}))
        pictures.append(buffer.getvalue())
    return pictures


def write_mask_table(path: Path, pictures: list[bytes], size: int) -> Path:
    """The true oil mask of each scene of :func:`scene_pictures` (same seeds), named by the
    sha1 of the scene's bytes: the endpoint answers real masks without segmenting."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as table:
        for seed, picture in enumerate(pictures):
            oil = synthetic_scene(size, size, seed=seed, slicks=1 + seed % 3).oil
            buffer = io.BytesIO()
            Image.fromarray(oil.astype("uint8") * 255, "L").save(buffer, "PNG")
            table.writestr(hashlib.sha1(picture).hexdigest(), buffer.getvalue())
    return path


def make_archive(path: Path, images: int, pictures: list[bytes], extension: str = "png") -> Path:
    """``images`` members with unique base names (the endpoint counts by file name)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as bundle:
        for index in range(images):
            bundle.writestr(
                f"survey/{index // 1000:03d}/scene_{index:05d}.{extension}",
                pictures[index % len(pictures)],
            )
    return path


def start_endpoint(
    latency: float, capacity: int, table: Path | None = None
) -> tuple[subprocess.Popen[str], str]:
    program = ENDPOINT_PROGRAM.format(
        root=str(ROOT),
        latency=latency,
        capacity=capacity,
        table=str(table) if table else "",
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", program], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def bare_client_rate(
    url: str,
    pictures: list[bytes],
    images: int,
    workers: int,
    extra_ms: float = 0.0,
    content_type: str = "image/png",
) -> float:
    """The ceiling: N threads posting the same bytes through one pooled client.

    ``extra_ms`` adds that much pure-Python CPU work (holding the GIL) after each answer:
    how much any per-image work costs a threaded client on this machine.
    """
    client = httpx.Client(limits=httpx.Limits(max_connections=workers), timeout=60)
    counter = iter(range(images))
    lock = threading.Lock()
    extension = content_type.rsplit("/", 1)[-1]

    def worker() -> None:
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            data = pictures[index % len(pictures)]
            answer = client.post(url, files={"file": (f"s{index}.{extension}", data, content_type)})
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


@dataclass(frozen=True)
class Run:
    """One ``process`` run: wall seconds, CPU seconds (user + system) and peak RSS (MB)."""

    wall: float
    cpu: float
    rss: float


def run_process(archive: Path, url: str, workers: int, home: Path, *extra: str) -> Run:
    """Run ``process`` once and say what it took."""
    options = ("-q", "--engine", "http", "--endpoint", url, "--workers", str(workers))
    child = measured_process.run_process(archive, home, *options, *extra)
    return Run(child.wall, child.cpu, child.rss_mb)


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


def print_rates(limit: float, images: int, run: Run, first: Run) -> float:
    """Print the limit, the rate of ``process`` and their ratio, and its CPU per image.

    ``first`` is a run on one image: its wall time (start-up, finish) is taken off the
    rate, and its CPU time off the CPU per image. CPU per image hardly depends on what else
    the machine runs, so it is the figure to compare changes by on a busy machine.
    """
    rate = images / max(run.wall - first.wall, 1e-6)
    ratio = rate / limit
    verdict = "met" if ratio >= 0.9 else "NOT met"
    cpu_ms = 1000 * (run.cpu - first.cpu) / max(images - 1, 1)
    print(f"  bare concurrent client: {limit:7.1f} images/s (the limit)")
    print(
        f"  process:                {rate:7.1f} images/s "
        f"(wall {run.wall:.1f} s including {first.wall:.1f} s start-up and finish; "
        f"{images / run.wall:.1f} images/s counting them); {cpu_ms:.1f} ms CPU per image"
    )
    print(f"  ratio process/limit:    {ratio:.2f}  (target >= 0.90: {verdict})")
    return ratio


def field_profile(args: argparse.Namespace, work: Path) -> float:
    """The field profile: megapixel JPEG scenes, a slow endpoint with little capacity."""
    field = Field(scenes=args.scenes)
    print(
        f"field profile: {field.scenes} SAR-like {field.size}x{field.size} JPEG scenes "
        f"(quality {field.quality}), endpoint {field.latency * 1000:.0f} ms per answer, "
        f"{field.capacity} at a time (limit {field.capacity / field.latency:.1f} images/s), "
        f"real slick masks; {field.workers} bare client threads, then process --workers "
        f"{field.workers} --overlays {args.overlays}"
    )
    pictures = scene_pictures(field.scenes, field.size, "JPEG", field.quality)
    table = write_mask_table(work / "field-masks.zip", pictures, field.size)
    archive = make_archive(work / "field.zip", field.scenes, pictures, "jpg")
    one = make_archive(work / "field-one.zip", 1, pictures, "jpg")
    results = work / "field_results.zip"
    proc, url = start_endpoint(field.latency, field.capacity, table)
    try:
        limit = bare_client_rate(
            url, pictures, field.scenes, field.workers, content_type="image/jpeg"
        )
        options = ("--overlays", args.overlays)
        first = run_process(one, url, field.workers, work / "home-field-one", *options)
        run = run_process(
            archive, url, field.workers, work / "home-field", *options, "-o", str(results)
        )
    finally:
        stop_endpoint(proc)
    ratio = print_rates(limit, field.scenes, run, first)
    size_in, size_out = archive.stat().st_size, results.stat().st_size
    growth = size_out / size_in
    print(
        f"  results zip / input:    {size_out / 1e6:.1f} MB / {size_in / 1e6:.1f} MB = "
        f"{growth:.2f}  (target <= 1.20 for JPEG inputs: {'met' if growth <= 1.2 else 'NOT met'})"
    )
    return ratio


def throughput(args: argparse.Namespace, work: Path, answers: str) -> float:
    """The stress figure: limit, rate of ``process`` and their ratio, one kind of answers."""
    pictures = scene_pictures(SCENES, args.size)
    table = write_mask_table(work / "stress-masks.zip", pictures, args.size)
    proc, url = start_endpoint(args.latency, args.workers, table if answers == "slicks" else None)
    try:
        limit = bare_client_rate(url, pictures, args.images, args.workers)
        one = make_archive(work / "one.zip", 1, pictures)
        first = run_process(one, url, args.workers, work / f"home-overhead-{answers}")
        archive = make_archive(work / "throughput.zip", args.images, pictures)
        run = run_process(archive, url, args.workers, work / f"home-throughput-{answers}")
        archive.unlink()
    finally:
        stop_endpoint(proc)
    print(f"stress, answers: {answers}, {ANSWERS[answers]}")
    return print_rates(limit, args.images, run, first)


def gil_probe(args: argparse.Namespace) -> None:
    """Print the bare client's rate with 0, 1, 2 and 3 ms of Python work per image."""
    pictures = scene_pictures(SCENES, args.size)
    proc, url = start_endpoint(args.latency, args.workers)
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
    pictures = scene_pictures(SCENES, args.size)
    table = write_mask_table(work / "rss-masks.zip", pictures, args.size)
    proc, url = start_endpoint(args.latency, args.workers, table)
    rss = {}
    try:
        for count in (args.small, args.large):
            archive = make_archive(work / f"rss-{count}.zip", count, pictures)
            run = run_process(archive, url, args.workers, work / f"home-{count}")
            rss[count] = run.rss
            rate = count / run.wall
            print(f"peak RSS at {count:6d} images: {run.rss:6.1f} MB ({rate:.1f} img/s)")
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


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a short run to check the script: 32 field scenes, 600 stress images, RSS at "
        "300 and 1200 images (figures are not comparable with a full run)",
    )
    parser.add_argument("--profile", choices=("field", "stress", "all"), default="all")
    parser.add_argument("--scenes", type=int, default=None, help="field scenes (default 120)")
    parser.add_argument(
        "--overlays",
        choices=("jpeg", "png", "none"),
        default="jpeg",
        help="the overlays process keeps in the field profile (default jpeg, the app's)",
    )
    parser.add_argument("--images", type=int, default=None, help="stress images (default 3000)")
    parser.add_argument("--small", type=int, default=None, help="default 1000")
    parser.add_argument("--large", type=int, default=None, help="default 10000")
    parser.add_argument("--workers", type=int, default=8, help="stress workers")
    parser.add_argument("--latency", type=float, default=0.020, help="stress endpoint latency")
    parser.add_argument("--size", type=int, default=256, help="stress scene size")
    parser.add_argument(
        "--answers", choices=[*ANSWERS, "both"], default="both", help="stress answers"
    )
    parser.add_argument("--no-rss", action="store_true", help="skip the peak RSS runs")
    parser.add_argument(
        "--gil-probe",
        action="store_true",
        help="only show what 1-3 ms of Python work per image costs a bare threaded client",
    )
    args = parser.parse_args()
    quick = args.quick
    defaults = {"scenes": (120, 32), "images": (3000, 600), "small": (1000, 300)}
    defaults["large"] = (10000, 1200)
    for name, (full, short) in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, short if quick else full)
    return args


def main() -> int:
    args = parse_args()
    if args.gil_probe:
        gil_probe(args)
        return 0
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at the start")
    with tempfile.TemporaryDirectory(prefix="oilspill-bench-") as tmp:
        work = Path(tmp)
        if args.profile in ("field", "all"):
            field_profile(args, work)
        if args.profile in ("stress", "all"):
            print(
                f"stress profile: endpoint {args.latency * 1000:.0f} ms latency, capacity "
                f"{args.workers}; {args.images} images of {args.size}x{args.size} PNG, "
                f"{args.workers} workers"
            )
            for answers in ANSWERS if args.answers == "both" else [args.answers]:
                throughput(args, work, answers)
            if not args.no_rss:
                peak_rss(args, work)
            print(f"classical engine: {builtin_mpix_per_s():.1f} megapixels/s (1024x1024)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
