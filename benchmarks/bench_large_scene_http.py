"""A large scene sent to an endpoint window by window: one window at a time against several.

Builds a SIZE x SIZE 16-bit GeoTIFF as ``bench_large_scene.py`` does, zips it, and runs
``oilspill-desktop process --endpoint`` on it in a child process twice, against a fake
endpoint on 127.0.0.1 in this process (the tests' FakeEndpoint) that takes
``--latency`` seconds per request and works on at most ``--capacity`` requests at once
(the others queue, as on a GPU server):

* one window at a time (``--workers 1``: the job may have one request out);
* several at once (``--workers CAPACITY``, the adaptive limit on as by default: the
  windows go out as many at once as the limit it finds allows).

Printed: each run's wall time, peak RSS (``os.wait4``) and the most requests the
endpoint worked on at once, and the ratio of the two times. The masks of both runs are
compared (they must be identical: each window's answer depends on that window alone).
The endpoint decodes each upload and thresholds it, in this process: on a loaded machine
that is part of what is timed.

Usage: python benchmarks/bench_large_scene_http.py [--size 20000] [--latency 0.3]
       [--capacity 8] [--quick]
       (--quick: 6,000², 16 windows, with the large-scene threshold lowered to 1 Mpx)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from measured_process import run_process  # noqa: E402

from benchmarks.bench_large_scene import zipped_scene  # noqa: E402
from tests.endpoint_server import FakeEndpoint  # noqa: E402


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    requests: int
    most_at_once: int
    mask_digest: str
    status: str


def run(endpoint: FakeEndpoint, archive: Path, home: Path, workers: int, out: Path) -> Run:
    """``process`` in a child process; what the endpoint saw of it."""
    options = ["-q", "--endpoint", endpoint.url, "--workers", str(workers), "--overlays", "none"]
    options += ["--timeout", "120", "-o", str(out)]
    before = endpoint.requests
    child = run_process(archive, home, *options)
    with zipfile.ZipFile(out) as results:
        item = json.loads(results.read("report.json"))["items"][0]
        digest = hashlib.sha256(results.read(item["mask"])).hexdigest() if item["mask"] else ""
    return Run(
        child.wall,
        child.rss_mb,
        endpoint.requests - before,
        endpoint.max_concurrent,  # the most since the endpoint started: run the smaller first
        digest,
        item["status"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--capacity", type=int, default=8)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    size = 6_000 if args.quick else args.size
    with tempfile.TemporaryDirectory(prefix="bench-large-http-") as work:
        folder = Path(work)
        archive = zipped_scene(folder, size)
        limits: dict[str, float] = {"max_member_bytes": 1 << 30, "max_compression_ratio": 1e3}
        if args.quick or size * size <= 64_000_000:
            limits["large_scene_pixels"] = 1_000_000
        homes = [folder / "home-one", folder / "home-many"]  # or the second run resumes
        for home in homes:
            (home / "config").mkdir(parents=True)
            text = json.dumps({"limits": limits})
            (home / "config" / "settings.json").write_text(text, encoding="utf-8")
        options = {"latency": args.latency, "capacity": args.capacity, "keep_received": 1}
        with FakeEndpoint(["capacity", "latency"], **options) as endpoint:
            one = run(endpoint, archive, homes[0], 1, folder / "one.zip")
            many = run(endpoint, archive, homes[1], args.capacity, folder / "many.zip")
    print(
        f"scene {size}x{size} uint16; endpoint: {args.latency:g} s per request, "
        f"{args.capacity} at once"
    )
    for name, done in (("one window at a time", one), (f"workers {args.capacity}", many)):
        print(
            f"  {name}: {done.seconds:.1f} s, {done.requests} requests, at most "
            f"{done.most_at_once} at once, peak RSS {done.peak_mb:.0f} MB, {done.status}"
        )
    print(f"  ratio: {one.seconds / many.seconds:.2f}x as fast with windows in parallel")
    same = one.mask_digest == many.mask_digest and one.mask_digest != ""
    print(f"  masks identical: {'yes' if same else 'NO'}")
    if not same or one.status != "ok" or many.status != "ok" or many.requests != one.requests:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
