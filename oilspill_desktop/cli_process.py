"""``oilspill-desktop process``: the job queue under a QCoreApplication, with a text UI.

It runs exactly the scheduler the window runs, so what works here works there.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import signal
import sys
import time
from functools import partial
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import QCoreApplication, QTimer

from .core.config.credentials import load_settings_with_token
from .core.config.paths import AppPaths, app_paths
from .core.config.settings import Settings, normalise_engine
from .core.engines.endpoints.spec import parse_endpoint, parse_endpoints
from .core.engines.factory import create_engine
from .core.jobs.job import JobRequest
from .core.results.report import ReportSummary
from .logging_setup import install_qt_message_handler, register_secret, setup_logging
from .scheduling.garbage import MainThreadCollector
from .scheduling.job_queue import JobQueue
from .scheduling.job_runner import JobOutcome, JobRunner, JobState
from .scheduling.progress import JobProgress

EXIT_OK, EXIT_SOME_FAILED, EXIT_INPUT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


def settings_for(args: argparse.Namespace, saved: Settings) -> Settings:
    changes: dict[str, object] = {}
    if args.endpoint:
        changes.update(endpoint_changes(args.endpoint), engine="http")
    if getattr(args, "adaptive", None) is not None:
        changes["adaptive_concurrency"] = args.adaptive
    if getattr(args, "server", None):
        changes.update(server=args.server, engine="server")
    if getattr(args, "part_size", None) is not None:
        changes["part_size"] = args.part_size
    if getattr(args, "model", None):
        changes.update(model_path=str(Path(args.model).resolve()), engine="model")
    if args.engine:
        changes["engine"] = normalise_engine(args.engine)
    if args.workers is not None:
        changes["workers"] = args.workers
    if args.timeout is not None:
        changes["read_timeout"] = args.timeout
    if args.retries is not None:
        changes["retries"] = args.retries
    if getattr(args, "endpoint_kind", None):
        changes["endpoint_kind"] = args.endpoint_kind
    if getattr(args, "max_outage", None) is not None:
        changes["max_outage_minutes"] = args.max_outage
    if getattr(args, "overlays", None):
        changes["overlays"] = args.overlays
    return saved.with_changes(**changes).validated()


def endpoint_changes(values: list[str]) -> dict[str, str]:
    """``--endpoint`` given once or more: the first is the endpoint (its ``kind=`` and
    token, if given, the settings' ones), the others go with it at once."""
    first = parse_endpoint(values[0])
    changes = {"endpoint": first.url, "more_endpoints": "\n".join(values[1:])}
    parse_endpoints(changes["more_endpoints"])  # refuse a bad one now, not at the first job
    if first.kind is not None:
        changes["endpoint_kind"] = first.kind
    if first.token:
        changes["api_token"] = first.token
    return changes


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class ProgressLine:
    """Progress on the terminal: one line redrawn in place, or plain lines into a file.

    On a terminal the line is cut to its width (``shutil.get_terminal_size``, which honours
    ``COLUMNS``) so that it never wraps, since a wrapped line cannot be redrawn with a
    carriage return and leaves a stale copy behind at every redraw; a shorter line is
    padded with spaces over the longer one before it rather than cleared with ``ESC [K``,
    which older Windows consoles print as "←[K". Into a file or a pipe, a plain line at
    most every ``PLAIN_EVERY`` seconds, so a log shows the job moving without a flood.
    """

    WIDTH = 28
    MIN_WIDTH = 10
    PLAIN_EVERY = 10.0

    def __init__(self, stream: TextIO, enabled: bool, *, terminal: bool = True) -> None:
        self._stream = stream
        self._enabled = enabled
        self._terminal = terminal
        self._last = 0.0
        self._drawn = 0  # characters of the line now on screen

    def show(self, name: str, progress: JobProgress, *, force: bool = False) -> None:
        now = time.monotonic()
        interval = 0.2 if self._terminal else self.PLAIN_EVERY
        if not self._enabled or (not force and now - self._last < interval):
            return
        self._last = now
        if not self._terminal:
            self._stream.write(progress_text(name, progress, 200) + "\n")
            self._stream.flush()
            return
        text = progress_text(name, progress, shutil.get_terminal_size().columns - 1)
        self._stream.write("\r" + text + " " * max(0, self._drawn - len(text)))
        self._stream.flush()
        self._drawn = len(text)

    def clear(self) -> None:
        if self._drawn:
            self._stream.write("\r" + " " * self._drawn + "\r")
            self._stream.flush()
            self._drawn = 0


def progress_text(name: str, progress: JobProgress, width: int) -> str:
    """The progress line in at most ``width`` characters: the bar shrinks first, then the
    end is cut."""
    width = max(20, width)
    counts = f" {progress.processed}/{progress.total} failed {progress.failed}"
    if progress.tiles_total:
        counts += f" tile {progress.tiles_done}/{progress.tiles_total}"
    if progress.waiting_reason:
        tail = (
            f"  waiting for the endpoint ({progress.waiting_reason[:60]}), "
            f"next try in {format_duration(progress.next_try_in)}"
        )
    else:
        tail = (
            f"  {progress.images_per_second:5.1f} img/s"
            f"  ETA {format_duration(progress.eta_seconds)}"
        )
    label = name[:30]
    room = width - len(label) - len(counts) - len(tail) - 3
    cells = max(ProgressLine.MIN_WIDTH, min(ProgressLine.WIDTH, room))
    filled = int(cells * progress.fraction)
    text = f"{label} [{'#' * filled}{'.' * (cells - filled)}]{counts}{tail}"
    return text if len(text) <= width else text[: width - 3] + "..."


def summary_line(runner: JobRunner, outcome: JobOutcome) -> str:
    """What a job came to: its counts and results, then the answer (oil) and what failed."""
    name = runner.request.input_path.name
    if outcome.state in (JobState.DONE, JobState.DONE_WITH_FAILURES):
        line = (
            f"{name}: {outcome.total} images, {outcome.ok} ok, {outcome.failed} failed, "
            f"{outcome.skipped} skipped -> {outcome.results_path}"
        )
        line = f"{line} ({outcome.message})" if outcome.message else line
        return "\n".join([line, *answer_lines(outcome.summary)])
    if outcome.state is JobState.CANCELLED and outcome.results_path is not None:
        line = f"{name}: {outcome.message or ''} -> {outcome.results_path}"
        return "\n".join([line, *answer_lines(outcome.summary)])
    line = f"{name}: {outcome.state.value}: {outcome.message or ''}".rstrip()
    if outcome.state is JobState.CANCELLED and outcome.ok:
        line += (
            "\n  To write the results of the images done so far without processing the rest:"
            f"\n  oilspill-desktop process --partial {runner.request.input_path}"
        )
    return line


def answer_lines(summary: ReportSummary | None) -> list[str]:
    """How many images hold oil and how much of the imaged area it covers; then the failed
    images by name (the first ten, and how many more)."""
    if summary is None:
        return []
    images = "image" if summary.ok == 1 else "images"
    verb = "has" if summary.with_oil == 1 else "have"
    area = f"; {summary.oil_area_km2:.2f} km² where known" if summary.georeferenced else ""
    lines = [
        f"{summary.with_oil} of {summary.ok} {images} {verb} oil "
        f"({100 * summary.oil_fraction:.2f} % of the imaged area{area})"
    ]
    if summary.failed:
        lines.append(f"Failed images ({summary.failed}):")
        lines.extend(f"  {name}" for name in summary.failed_names)
        if summary.failed > len(summary.failed_names):
            lines.append(f"  and {summary.failed - len(summary.failed_names)} more")
    return lines


def _settings(args: argparse.Namespace) -> tuple[AppPaths, Settings]:
    """The folders, logging and the settings the command line overrides, before Qt starts."""
    paths = app_paths().ensure()
    setup_logging(paths.log_dir, stderr_level=logging.INFO if args.verbose else logging.WARNING)
    loaded = load_settings_with_token(paths.settings_file)
    if loaded.problem:
        print(f"oilspill-desktop: {loaded.problem}", file=sys.stderr)
    try:
        settings = settings_for(args, loaded.settings)
    except ValueError as exc:
        print(f"oilspill-desktop: --endpoint: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT_ERROR) from None
    register_secret(settings.api_token)
    for extra in parse_endpoints(settings.more_endpoints) if settings.engine == "http" else ():
        register_secret(extra.token)
    return paths, settings


def _output_targets(inputs: list[Path], output: Path | None) -> tuple[Path | None, Path | None]:
    """``-o`` as ``(results file, results folder)``: a ``.zip`` names the one input's results,
    anything else is a folder for all of them; neither when ``-o`` is absent."""
    explicit = (
        output
        if output is not None and len(inputs) == 1 and output.suffix.lower() == ".zip"
        else None
    )
    folder = output if output is not None and explicit is None else None
    return explicit, folder


def _exit_status(interrupted: bool, outcomes: list[JobOutcome]) -> int:
    """The documented exit status: the worst thing that happened to any job wins."""
    if interrupted:
        return EXIT_INTERRUPTED
    # --partial: results written with some images not processed, like images that failed
    partial = [o for o in outcomes if o.state is JobState.CANCELLED and o.results_path]
    if any(o.state is JobState.CANCELLED and not o.results_path for o in outcomes):
        return EXIT_INTERRUPTED
    if any(o.state is JobState.FAILED for o in outcomes):
        return EXIT_INPUT_ERROR
    if partial or any(o.failed for o in outcomes):
        return EXIT_SOME_FAILED
    return EXIT_OK


class _Console:
    """What the terminal sees of the queue: the bar, one summary line per job, Ctrl+C.

    A class rather than closures so that the state the handlers share (the outcomes, whether
    the user interrupted) has one owner that :func:`run_process` reads at the end.
    """

    def __init__(self, queue: JobQueue, bar: ProgressLine) -> None:
        self._queue = queue
        self._bar = bar
        self.outcomes: list[JobOutcome] = []
        self.interrupted = False

    def on_progress(self, runner: JobRunner, progress: JobProgress) -> None:
        self._bar.show(runner.request.input_path.name, progress)

    def on_finished(self, runner: JobRunner, outcome: JobOutcome) -> None:
        self.outcomes.append(outcome)
        self._bar.clear()
        stream = sys.stdout if outcome.results_path is not None else sys.stderr
        print(summary_line(runner, outcome), file=stream, flush=True)

    def on_interrupt(self, _signum: int, _frame: object) -> None:
        if self.interrupted:  # a second Ctrl+C: leave at once
            sys.exit(EXIT_INTERRUPTED)
        self.interrupted = True
        self._bar.clear()
        print(
            "Interrupted: stopping; finished images are kept. Run the same command again to "
            "resume, or with --partial to write the results of the images done so far.",
            file=sys.stderr,
        )
        self._queue.cancel_all()


def run_process(args: argparse.Namespace) -> int:
    paths, settings = _settings(args)
    inputs = [Path(p) for p in args.inputs]
    explicit, folder = _output_targets(inputs, Path(args.output) if args.output else None)

    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    install_qt_message_handler()
    # A job whose endpoint never answered and refuses connections stops with one line and
    # exit 2: at a terminal, waiting half an hour for a mistyped address helps nobody.
    queue = JobQueue(
        settings.concurrent_jobs,
        engine_factory=partial(create_engine, stop_when_unreachable=True),
    )
    console = _Console(
        queue, ProgressLine(sys.stderr, not args.quiet, terminal=sys.stderr.isatty())
    )
    queue.job_added.connect(
        lambda runner: runner.progress.connect(lambda p, r=runner: console.on_progress(r, p))
    )
    queue.job_finished.connect(console.on_finished)
    queue.idle.connect(app.quit)
    previous = signal.signal(signal.SIGINT, console.on_interrupt)
    heartbeat = QTimer()  # lets Python run its signal handlers while Qt's loop waits
    heartbeat.start(200)
    heartbeat.timeout.connect(lambda: None)
    try:
        for path in inputs:
            queue.add(
                JobRequest(
                    path,
                    settings,
                    paths,
                    output=explicit,
                    output_folder=folder,
                    partial=getattr(args, "partial", False),
                ),
                start=False,
            )
        queue.start_pending()
        collector = MainThreadCollector(app)  # cycles are collected here, not on workers
        try:
            app.exec()
        finally:
            collector.stop()
    finally:
        signal.signal(signal.SIGINT, previous)
        heartbeat.stop()
        queue.wait_drained(10_000)
    return _exit_status(console.interrupted, console.outcomes)
