"""Smoke test of the frozen program, run the way a field workstation runs it.

    python packaging/smoke_test.py              build (packaging/build.sh), test the bundle,
                                                then install the .deb, test it, purge it
    python packaging/smoke_test.py --no-build   the same on the existing dist/
    python packaging/smoke_test.py --program /usr/bin/oilspill-desktop
                                                test one program, already installed
    --no-deb    skip the .deb (Linux: it needs root or password-less sudo, and dpkg)

Each command runs in a bare environment, ``env -i HOME=<fresh temp> LANG=C.UTF-8
QT_QPA_PLATFORM=offscreen`` in a temp folder, so the virtualenv and the source tree are out
of reach; where ``unshare`` can make a network namespace (root, or an unprivileged user
namespace), ``process`` and the window run with no network at all. Checked: ``--version``;
``process`` on generated PNG, JPEG and TIFF archives with the bundled model (exit 0, results
zips intact, report counts, the report names the model); ``serve`` (health, one real
segmentation, clean stop on Ctrl+C); ``view`` on a results zip; the window alone, with an
archive to process ("Open with"), with the bundled sample (``--sample``), in Russian, and
under Xvfb on the real xcb platform when Xvfb is installed; and the system libraries the
bundle expects. Any traceback, Qt warning or other output on stderr, and any warning in the
app's log, fails the test. The window is closed by the program itself:
``OILSPILL_DESKTOP_SMOKE_QUIT_MS=N`` makes it print ``window shown after X s`` on stdout and
close the window N ms later.

Needs the app's dependencies in the Python running it (it writes the test archives with
``oilspill_desktop.tools.synthetic``). Exit status 0 when every check passed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
import warnings
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))  # the driver (not the program under test) reads the repo

from figures import bare_env, program_in  # noqa: E402 (beside this script)

from oilspill_desktop import __version__  # noqa: E402
from oilspill_desktop.tools.synthetic import write_survey_zip  # noqa: E402

NAME = "oilspill-desktop"
QUIT_ENV = "OILSPILL_DESKTOP_SMOKE_QUIT_MS"
MARKER = re.compile(r"^window shown after ([0-9]+(?:\.[0-9]+)?) s$")
IS_LINUX = sys.platform.startswith("linux")
ARCHIVES = {"PNG": 4, "JPEG": 3, "TIFF": 3}
SIZE = (256, 256)  # write_survey_zip's default scene size

# Known, harmless Qt messages, each with its reason. Nothing else may appear.
OFFSCREEN_NOISE = (
    # The offscreen platform cannot pass a window's size limits to a window manager (it
    # has none); xcb, Wayland, Windows and macOS can. Logged when a window sets them.
    re.compile(r"This plugin does not support propagateSizeHints\(\)"),
)
# ``serve`` logs its requests and uvicorn its start and stop, at INFO, on stderr.
SERVE_INFO = (re.compile(r"^\S+ \S+ INFO "), re.compile(r"^INFO: "))
LOG_PROBLEM = re.compile(r"^\S+ \S+ (WARNING|ERROR|CRITICAL)\b|Traceback")

# Libraries the bundle leaves to the system (see the spec's SYSTEM_PROVIDED, the .deb's
# Depends and the README). A new one showing up means those three need updating.
SYSTEM_LIBRARIES = re.compile(
    r"^(ld-linux.*|linux-vdso.*|libc|libm|libdl|libpthread|librt|libutil|libresolv|libcrypt"
    r"|libEGL|libGL|libGLX|libOpenGL|libGLdispatch|libdrm|libxcb|libwayland-(client|cursor|egl)"
    r"|libfontconfig|libfreetype|libstdc\+\+|libgcc_s|libdbus-1)\.so(\..*)?$"
)


@dataclass
class Report:
    passed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def check(self, name: str, body: Callable[[], str | None]) -> None:
        """Run one check; it raises AssertionError with the reason, or returns a note."""
        started = time.monotonic()
        try:
            note = body()
        except AssertionError as exc:
            self.failed.append((name, str(exc)))
            print(f"FAIL  {name} ({time.monotonic() - started:.1f} s)\n      {exc}", flush=True)
            return
        self.passed.append(name)
        extra = f": {note}" if note else ""
        print(f"ok    {name} ({time.monotonic() - started:.1f} s){extra}", flush=True)


@dataclass
class Run:
    returncode: int | None
    stdout: str
    stderr: str
    marker_after: float | None = None  # seconds from launch to the "window shown" line
    timed_out: bool = False


def run(
    command: Sequence[str],
    home: Path,
    extra: Mapping[str, str] | None = None,
    *,
    timeout: float = 60.0,
) -> Run:
    """Run in a bare environment from ``home``; note when the "window shown" line appears."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            list(command),
            cwd=home,
            env=bare_env(home, **(extra or {})),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        lines, marker_after = [], None
        assert process.stdout is not None
        for line in process.stdout:
            if marker_after is None and MARKER.match(line.strip()):
                marker_after = time.monotonic() - started
            lines.append(line)
        process.wait()
        timed_out = not timer.is_alive()
        timer.cancel()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return Run(process.returncode, "".join(lines), stderr, marker_after, timed_out)


def offending(text: str, allowed: Sequence[re.Pattern[str]] = ()) -> list[str]:
    return [
        line
        for line in text.splitlines()
        if line.strip() and not any(pattern.search(line) for pattern in allowed)
    ]


def log_problems(home: Path, allowed: Sequence[re.Pattern[str]] = ()) -> list[str]:
    """Warnings, errors and tracebacks in the app's log files anywhere under ``home``."""
    problems = []
    for log in sorted(home.rglob("*.log")):
        for line in log.read_text("utf-8", "replace").splitlines():
            if LOG_PROBLEM.search(line) and not any(p.search(line) for p in allowed):
                problems.append(f"{log.name}: {line}")
    return problems


def expect_clean(
    result: Run,
    home: Path,
    what: str,
    allowed_stderr: Sequence[re.Pattern[str]] = (),
    allowed_log: Sequence[re.Pattern[str]] = (),
    ok_codes: Sequence[int] = (0,),
) -> None:
    if result.timed_out:
        raise AssertionError(f"{what} did not finish in time and was killed")
    bad = offending(result.stderr, allowed_stderr)
    assert not bad, f"{what} wrote to stderr:\n        " + "\n        ".join(bad[:20])
    bad = log_problems(home, allowed_log)
    assert not bad, f"{what} logged problems:\n        " + "\n        ".join(bad[:20])
    assert result.returncode in ok_codes, f"{what} exited with status {result.returncode}"


@contextmanager
def fresh_home(parent: Path) -> Iterator[Path]:
    home = parent / f"home-{uuid.uuid4().hex[:8]}"
    home.mkdir()
    yield home


def no_network_prefix() -> list[str]:
    """A prefix that cuts a command off from every network (``unshare``), or nothing.

    ``unshare -n`` needs root; ``-r`` adds a user namespace so that it also works
    unprivileged where the kernel allows it (GitHub's Ubuntu runners do).
    """
    unshare = shutil.which("unshare")
    if not (IS_LINUX and unshare):
        return []
    for options in (["-n"], ["-r", "-n"]):
        probe = subprocess.run([unshare, *options, "--", "true"], capture_output=True, check=False)
        if probe.returncode == 0:
            return [unshare, *options, "--"]
    return []


def make_archives(folder: Path) -> dict[Path, int]:
    folder.mkdir(parents=True, exist_ok=True)
    return {
        write_survey_zip(folder / f"survey_{fmt.lower()}.zip", count, fmt=fmt, seed=7): count
        for fmt, count in ARCHIVES.items()
    }


def make_geo_archive(path: Path) -> Path:
    """Two georeferenced synthetic scenes with slicks, written by GDAL (rasterio)."""
    import numpy as np
    from affine import Affine
    from rasterio.control import GroundControlPoint
    from rasterio.io import MemoryFile

    from oilspill_desktop.tools.synthetic import synthetic_scene

    def geotiff(pixels: np.ndarray, **georeference: object) -> bytes:
        gcps = georeference.pop("gcps", None)
        height, width = pixels.shape
        with MemoryFile() as memory:
            with memory.open(
                driver="GTiff",
                width=width,
                height=height,
                count=1,
                dtype="uint16",
                **georeference,
            ) as dataset:
                if gcps:
                    dataset.gcps = (gcps, "EPSG:4326")
                dataset.write(pixels, 1)
            return bytes(memory.read())

    scenes = [
        np.asarray(synthetic_scene(256, 256, seed=seed, slicks=3, dtype="uint16").image).copy()
        for seed in (11, 12)
    ]
    scenes[0][scenes[0] == 0] = 1
    scenes[0][:, :20] = 0  # a no-data border
    step = 0.0002
    gcps = [
        GroundControlPoint(row=r, col=c, x=51.3 + c * step, y=27.2 - r * step)
        for r in (0, 128, 256)
        for c in (0, 128, 256)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as bundle:
        utm = Affine(10.0, 0, 500_000.0, 0, -10.0, 6_000_000.0)
        bundle.writestr("utm.tif", geotiff(scenes[0], crs="EPSG:32633", transform=utm, nodata=0))
        with warnings.catch_warnings():  # GDAL: no transform yet when the file is created
            warnings.simplefilter("ignore")
            bundle.writestr("gcps.tif", geotiff(scenes[1], gcps=gcps))
    return path


def check_results_zip(path: Path, images: int | None, size: tuple[int, int] | None) -> int:
    """A complete results zip with every image done; ``images=None`` takes the report's."""
    assert path.is_file(), f"{path.name} was not written"
    with zipfile.ZipFile(path) as results:
        broken = results.testzip()
        assert broken is None, f"{path.name}: member {broken} is corrupt"
        names = results.namelist()
        report = json.loads(results.read("report.json"))
        assert "report.csv" in names, f"{path.name} has no report.csv"
        masks = sorted(n for n in names if n.startswith("masks/") and not n.endswith("/"))
        overlays = [n for n in names if n.startswith("overlays/") and not n.endswith("/")]
        mask = results.read(masks[0]) if masks else b""
    counts = report.get("counts", {})
    want = {"images": images, "ok": images, "failed": 0, "skipped": 0}
    if images is None:  # a given archive (the sample may hold a non-image, skipped)
        images = counts.get("images", 0)
        want = {**counts, "ok": images, "failed": 0}
    assert images > 0 and counts == want, f"{path.name}: counts {counts}, expected {want}"
    assert report.get("version") == __version__, f"{path.name}: version {report.get('version')}"
    assert report.get("engine") == "model" and str(report.get("model")).startswith(
        "oil-unet-lite@"
    ), f"{path.name}: engine {report.get('engine')} {report.get('model')}, not the bundled model"
    assert len(masks) == images and len(overlays) == images, (
        f"{path.name}: {len(masks)} masks and {len(overlays)} overlays for {images} images"
    )
    from PIL import Image

    with Image.open(io.BytesIO(mask)) as picture:
        picture.load()
        assert size is None or picture.size == size, f"{masks[0]} is {picture.size}, not {size}"
    return images


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def multipart(field_name: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; '
            f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


class ProgramChecks:
    """The checks of one program (a bundle's, or an installed one)."""

    def __init__(self, program: Path, work: Path, report: Report, label: str) -> None:
        self.program = program
        self.work = work
        self.report = report
        self.label = label
        self.offline = no_network_prefix()
        self.archives = make_archives(work / "inputs")

    def all(self, xvfb: bool = True) -> None:
        checks: list[tuple[str, Callable[[], str | None]]] = [
            ("--version", self.version),
            ("process (the bundled model)", self.process),
            ("process georeferenced scenes (GDAL, PROJ offline)", self.geo),
            ("serve", self.serve),
            ("view a results zip", self.view),
            ("window", self.window),
            ("window with an archive (Open with)", self.open_with),
            ("window with the sample survey (--sample)", self.sample),
            ("window in Russian (LANGUAGE=ru)", self.russian),
            ("licence notices", self.licences),
        ]
        if xvfb:
            checks.append(("window on X11 (Xvfb, xcb)", self.window_xcb))
        if IS_LINUX:
            checks.append(("system libraries", self.system_libraries))
        for name, body in checks:
            self.report.check(f"[{self.label}] {name}", body)

    def version(self) -> str:
        with fresh_home(self.work) as home:
            result = run([str(self.program), "--version"], home)
            expect_clean(result, home, "--version")
        want = f"{NAME} {__version__}"
        assert result.stdout.strip() == want, f"--version said {result.stdout.strip()!r}"
        return want

    def process(self) -> str:
        out = self.work / "process-out"
        with fresh_home(self.work) as home:
            command = [*self.offline, str(self.program), "process"]
            command += [str(p) for p in self.archives] + ["-o", str(out), "--engine", "model"]
            result = run([*command, "-q"], home, timeout=120)
            expect_clean(result, home, "process")
        for archive, images in self.archives.items():
            check_results_zip(out / f"{archive.stem}_results.zip", images, SIZE)
        self.results = out / "survey_png_results.zip"
        network = "no network" if self.offline else "network not cut (no unshare -n here)"
        return f"{sum(self.archives.values())} images in {len(self.archives)} archives, {network}"

    def geo(self) -> str:
        """A UTM GeoTIFF with a no-data border and a GCP-only scene: the map outputs."""
        source = make_geo_archive(self.work / "inputs" / "geo.zip")
        out = self.work / "geo-out"
        with fresh_home(self.work) as home:
            command = [*self.offline, str(self.program), "process", str(source), "-o", str(out)]
            result = run([*command, "--engine", "classical", "-q"], home, timeout=120)
            expect_clean(result, home, "process (georeferenced)")
        with zipfile.ZipFile(out / "geo_results.zip") as results:
            names = set(results.namelist())
            report = json.loads(results.read("report.json"))
            features = json.loads(results.read("slicks.geojson"))["features"]
        crs = sorted(str(item.get("crs")) for item in report["items"])
        assert crs == ["EPSG:32633", "EPSG:4326"], f"the report's CRSs are {crs}"
        assert {"geo/utm.tif", "geo/gcps.tif"} <= names, f"no mask GeoTIFFs in {sorted(names)}"
        area = report.get("oil_area_km2")
        assert area is not None and area > 0 and features, (
            f"oil area {area}, {len(features)} slicks"
        )
        return f"{len(features)} slicks, {area:.3f} km², EPSG:32633 and GCPs"

    def serve(self) -> str:
        port = free_port()
        png = next(p for p in self.archives if p.stem.endswith("png"))
        with zipfile.ZipFile(png) as source:
            image = source.read(sorted(source.namelist())[0])
        with fresh_home(self.work) as home, tempfile.TemporaryFile() as err:
            process = subprocess.Popen(
                [str(self.program), "serve", "--port", str(port)],
                cwd=home,
                env=bare_env(home),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                health = self._wait_for_health(base, process)
                body, content_type = multipart("file", "scene.png", image)
                request = urllib.request.Request(
                    f"{base}/segment", data=body, headers={"Content-Type": content_type}
                )
                with urllib.request.urlopen(request, timeout=30) as answer:
                    mask, kind = answer.read(), answer.headers.get("Content-Type", "")
            finally:
                # Windows cannot send Ctrl+C to a process without a console of its own.
                windows = sys.platform == "win32"
                process.terminate() if windows else process.send_signal(signal.SIGINT)
                try:
                    code = process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                    raise AssertionError("serve did not stop within 20 s of Ctrl+C") from None
            err.seek(0)
            result = Run(0 if windows else code, "", err.read().decode("utf-8", "replace"))
            # Stopped by Ctrl+C: 0, or 130 by the shell convention for an interrupted command.
            expect_clean(result, home, "serve", allowed_stderr=SERVE_INFO, ok_codes=(0, 130))
        assert health.get("status") == "ok", f"/health answered {health}"
        assert health.get("engine") == "model", f"/health answered {health}: not the model"
        assert kind.startswith("image/png"), f"/segment answered {kind!r}"
        from PIL import Image

        with Image.open(io.BytesIO(mask)) as picture:
            assert picture.size == SIZE, f"/segment mask is {picture.size}"
        return f"/health ok, /segment gave a {len(mask)}-byte PNG mask, stopped by Ctrl+C"

    @staticmethod
    def _wait_for_health(base: str, process: subprocess.Popen[bytes]) -> dict[str, object]:
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"serve exited with status {process.returncode} at once")
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2) as answer:
                    return dict(json.loads(answer.read()))
            except OSError:
                time.sleep(0.1)
        raise AssertionError("serve did not answer /health within 45 s")

    def _window(
        self,
        args: Sequence[str],
        quit_ms: int,
        what: str,
        home: Path | None = None,
        **extra: str,
    ) -> Run:
        """Start the window, let the program close it after ``quit_ms``, check it was clean."""
        if home is None:
            with fresh_home(self.work) as fresh:
                return self._window(args, quit_ms, what, fresh, **extra)
        command = [*(self.offline if "DISPLAY" not in extra else []), str(self.program)]
        result = run([*command, *args], home, {QUIT_ENV: str(quit_ms), **extra}, timeout=30)
        if result.timed_out and result.marker_after is None:
            raise AssertionError(
                f"{what}: no 'window shown after' line, killed after 30 s; does the program "
                f"honour {QUIT_ENV}?"
            )
        offscreen = extra.get("QT_QPA_PLATFORM", "offscreen") == "offscreen"
        noise = OFFSCREEN_NOISE if offscreen else ()
        expect_clean(result, home, what, allowed_stderr=noise, allowed_log=noise)
        assert result.marker_after is not None, (
            f"{what}: no 'window shown after' line on stdout; does the program honour "
            f"{QUIT_ENV}? stdout was {result.stdout[-300:]!r}"
        )
        return result

    @staticmethod
    def _shown(result: Run) -> str:
        own = MARKER.match(next(line for line in result.stdout.splitlines() if MARKER.match(line)))
        assert own is not None
        return (
            f"window shown after {float(own.group(1)):.2f} s (program's clock), "
            f"{result.marker_after:.2f} s from launch"
        )

    def view(self) -> str:
        results = getattr(self, "results", None)
        assert results is not None and results.is_file(), "no results zip (process failed)"
        return self._shown(self._window(["view", str(results)], 1500, "view"))

    def window(self) -> str:
        return self._shown(self._window([], 1500, "the window"))

    def open_with(self) -> str:
        folder = self.work / "open-with"
        folder.mkdir()
        source, images = next(iter(self.archives.items()))
        archive = Path(shutil.copy2(source, folder))
        result = self._window([str(archive)], 3000, "the window with an archive")
        check_results_zip(folder / f"{archive.stem}_results.zip", images, SIZE)
        return self._shown(result) + "; results written beside the archive"

    def sample(self) -> str:
        """The menu's "Open with the sample survey": the bundled sample, processed."""
        with fresh_home(self.work) as home:
            # The learned model takes a few seconds for the nine scenes on two busy cores;
            # the window is closed only after that (closing earlier would ask about the job).
            result = self._window(["--sample"], 8000, "the window with the sample", home=home)
            found = sorted(home.rglob("sample_survey_results.zip"))
            assert found, "no sample_survey_results.zip anywhere under HOME"
            images = check_results_zip(found[0], None, None)
        return self._shown(result) + f"; {images} sample images processed"

    def russian(self) -> str:
        """The Russian catalogue and Qt's own are found in the bundle (the app says so)."""
        with fresh_home(self.work) as home:
            result = self._window([], 500, "the window in Russian", home=home, LANGUAGE="ru")
            logs = "".join(p.read_text("utf-8", "replace") for p in home.rglob("*.log"))
        assert "(language: ru)" in logs, "the app did not start in Russian"
        return self._shown(result)

    def window_xcb(self) -> str:
        with xvfb() as display:
            if display is None:
                return "skipped: Xvfb is not installed"
            result = self._window(
                [], 1500, "the window on X11", QT_QPA_PLATFORM="xcb", DISPLAY=display
            )
        return self._shown(result)

    def licences(self) -> str:
        """The bundle carries the licence texts of what it redistributes, Qt's LGPL first."""
        bundle = self.program.resolve().parent
        found = list(bundle.rglob("THIRD-PARTY-NOTICES.txt"))
        assert len(found) == 1, f"expected one THIRD-PARTY-NOTICES.txt, found {found}"
        folder = found[0].parent
        notices = found[0].read_text(encoding="utf-8")
        for name in ("Python", "PySide6", "shiboken6", "numpy", "pillow", "httpx"):
            assert re.search(rf"^{name}\S* \d", notices, re.M | re.I), f"{name} is not listed"
        lgpl = list(folder.glob("PySide6*/LGPL-3.0.txt"))
        assert lgpl and "LESSER GENERAL PUBLIC LICENSE" in lgpl[0].read_text(encoding="utf-8")
        listed = re.findall(r"^  texts: (.+)$", notices, re.M)
        missing = [
            name
            for line in listed
            for name in line.split(", ")
            if not line.startswith("none") and not (folder / name).is_file()
        ]
        assert not missing, f"notices name texts that are not there: {missing}"
        entries = len(re.findall(r"^\S.* \d\S*$", notices, re.M))
        return f"{entries} entries in {folder.relative_to(bundle)}/THIRD-PARTY-NOTICES.txt"

    def system_libraries(self) -> str:
        """Sonames the bundle links but does not carry must be in SYSTEM_LIBRARIES."""
        bundle = self.program.resolve().parent
        carried = {path.name for path in bundle.rglob("*")}
        needed: set[str] = set()
        readelf = shutil.which("readelf")
        if readelf is None:
            return "skipped: readelf (binutils) is not installed"
        for path in bundle.rglob("*"):
            if not path.is_file() or path.is_symlink():
                continue
            with path.open("rb") as handle:
                if handle.read(4) != b"\x7fELF":
                    continue
            dynamic = subprocess.run(
                [readelf, "-d", "-W", str(path)], capture_output=True, text=True, check=False
            ).stdout
            needed.update(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic))
        from_system = sorted(needed - carried)
        unexpected = [name for name in from_system if not SYSTEM_LIBRARIES.match(name)]
        assert not unexpected, (
            "the bundle now needs system libraries nobody listed (update the spec's "
            f"SYSTEM_PROVIDED, the .deb's Depends and the README): {', '.join(unexpected)}"
        )
        return "from the system: " + " ".join(from_system)


@contextmanager
def xvfb() -> Iterator[str | None]:
    """A private X server for one check, or None where Xvfb is missing."""
    binary = shutil.which("Xvfb")
    if binary is None or not IS_LINUX:
        yield None
        return
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [binary, "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def as_root(command: Sequence[str]) -> list[str]:
    if os.geteuid() == 0:
        return list(command)
    return ["sudo", "-n", *command]


APPLICATIONS = Path("/usr/share/applications")


def install_deb(deb: Path) -> str:
    """``dpkg -i``, then the files where the menu and "Open with" expect them."""
    result = subprocess.run(
        as_root(["dpkg", "-i", str(deb)]), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"dpkg -i failed:\n{result.stdout}{result.stderr}"
    for path in (
        Path(f"/opt/{NAME}/{NAME}"),
        Path(f"/usr/bin/{NAME}"),
        APPLICATIONS / f"{NAME}.desktop",
        Path(f"/usr/share/icons/hicolor/scalable/apps/{NAME}.svg"),
        Path(f"/usr/share/doc/{NAME}/copyright"),
    ):
        assert path.exists(), f"{path} is missing after dpkg -i"
    notes = [f"{deb.name} installed"]
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(
            ["desktop-file-validate", str(APPLICATIONS / f"{NAME}.desktop")],
            capture_output=True,
            text=True,
            check=False,
        )
        problems = (check.stdout + check.stderr).strip()
        assert check.returncode == 0 and not problems, f"desktop-file-validate: {problems}"
        notes.append("desktop entry valid")
    if shutil.which("update-desktop-database"):
        cache = APPLICATIONS / "mimeinfo.cache"
        text = cache.read_text("utf-8") if cache.exists() else ""
        zips = [line for line in text.splitlines() if line.startswith("application/zip=")]
        assert zips and f"{NAME}.desktop" in zips[0], f"application/zip in {cache}: {zips}"
        notes.append('"Open with" registered for application/zip')
    return ", ".join(notes)


def remove_deb() -> str:
    """``dpkg --purge`` (the package has no configuration files to keep), then nothing left."""
    result = subprocess.run(
        as_root(["dpkg", "--purge", NAME]), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"dpkg --purge failed:\n{result.stdout}{result.stderr}"
    left = [str(p) for p in (Path(f"/opt/{NAME}"), Path(f"/usr/bin/{NAME}")) if p.exists()]
    assert not left, f"left behind after dpkg --purge: {', '.join(left)}"
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", NAME], capture_output=True, text=True, check=False
    ).stdout
    assert not status or status.endswith(" not-installed"), f"dpkg still lists it: {status}"
    cache = APPLICATIONS / "mimeinfo.cache"
    if cache.exists():
        assert f"{NAME}.desktop" not in cache.read_text("utf-8"), f"still in {cache}"
    return "purged, nothing left behind"


def deb_checks(deb: Path, work: Path, report: Report) -> None:
    """Install the .deb, test the installed program, purge the package."""
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", NAME], capture_output=True, text=True, check=False
    ).stdout
    if status and not status.endswith(" not-installed"):
        why = f"{NAME} is on this machine already ({status}); dpkg --purge it first"
        report.failed.append(("[deb] install", why))
        print(f"FAIL  [deb] install: {why}")
        return
    try:
        report.check("[deb] install", lambda: install_deb(deb))
        if Path(f"/usr/bin/{NAME}").exists():
            ProgramChecks(Path(f"/usr/bin/{NAME}"), work / "installed", report, "deb").all()
    finally:
        report.check("[deb] purge", remove_deb)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true", help="test the existing dist/")
    parser.add_argument("--no-deb", action="store_true", help="skip the .deb install test")
    parser.add_argument("--program", type=Path, help="test this program only (no build)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    report = Report()

    if args.program is None and not args.no_build:
        print("== building: packaging/build.sh", flush=True)
        build = subprocess.run(
            ["bash", str(HERE / "build.sh")],
            env={**os.environ, "PYTHON": os.environ.get("PYTHON", sys.executable)},
            check=False,
        )
        if build.returncode != 0:
            print(f"FAIL  packaging/build.sh exited with status {build.returncode}")
            return 1

    with tempfile.TemporaryDirectory(prefix="oilspill-smoke-") as temp:
        work = Path(temp)
        program = args.program or program_in(REPO / "dist" / NAME)
        assert program.exists(), f"{program} does not exist"
        print(f"== testing {program}", flush=True)
        label = "bundle" if args.program is None else "program"
        ProgramChecks(program, work / "bundle", report, label).all()

        debs = sorted((REPO / "dist").glob(f"{NAME}_{__version__}_*.deb"))
        want_deb = IS_LINUX and args.program is None and not args.no_deb
        if want_deb and debs and shutil.which("dpkg"):
            if os.geteuid() != 0 and shutil.which("sudo") is None:
                report.notes.append("the .deb was not tested: needs root or sudo")
            else:
                print(f"== testing {debs[-1].name}", flush=True)
                deb_checks(debs[-1], work, report)
        elif want_deb:
            report.failed.append(("[deb]", "no .deb in dist/ (or no dpkg) to test"))

    print(
        f"== {len(report.passed)} passed, {len(report.failed)} failed "
        f"in {time.monotonic() - started:.0f} s"
    )
    for name, reason in report.failed:
        print(f"   FAILED {name}: {reason.splitlines()[0]}")
    for note in report.notes:
        print(f"   NOTE {note}")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
