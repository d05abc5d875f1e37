"""The ``oilspill-desktop`` command: the window, ``process``, ``serve`` and ``view``.

With no command (or only file names) it opens the window, with those archives queued, the
way a file manager's "Open with" does.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import APP_NAME, __version__

COMMANDS = ("process", "serve", "view", "gui")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oilspill-desktop",
        description=f"{APP_NAME}: find oil spills in zip archives of SAR and aerial images.",
        epilog="Run without a command to open the window; file names given then are queued.",
    )
    parser.add_argument("--version", action="version", version=f"oilspill-desktop {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", help="open the window (the default)")
    gui.add_argument("inputs", nargs="*", metavar="INPUT.zip", help="archives to queue and start")
    gui.add_argument("--sample", action="store_true", help="queue the bundled sample survey")

    _add_process_command(commands)
    _add_serve_command(commands)

    view = commands.add_parser("view", help="open a results zip in the mask viewer")
    view.add_argument("results", metavar="RESULTS.zip")
    return parser


def _add_process_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``process`` command and its options: the biggest part of the parser, on its own."""
    process = commands.add_parser(
        "process",
        help="process archives without a window",
        description="Turn zip archives of images into results zips (masks, overlays, report). "
        "Exit status: 0 all images succeeded, 1 some failed (results still written), "
        "2 an input could not be processed at all, 130 interrupted.",
    )
    process.add_argument("inputs", nargs="+", metavar="INPUT.zip")
    process.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="the results file for one input, or a folder for several (default: beside each input)",
    )
    _engine_arguments(process, ("model", "builtin", "classical", "http", "server"))
    process.add_argument(
        "--endpoint",
        metavar="URL",
        action="append",
        help="ML endpoint URL (implies --engine http); repeat it to use several at once, each "
        "optionally followed by ,kind=KIND and ,token-env=VARIABLE",
    )
    _server_arguments(process)
    process.add_argument(
        "--endpoint-kind",
        choices=("auto", "generic", "oilspill-ai"),
        help="what the endpoint reads: oilspill-ai (the Oil Spill AI ML service: JPEG only, "
        "answers annotated pictures), generic (original or PNG), auto (found out; default)",
    )
    process.add_argument(
        "--max-outage",
        type=float,
        metavar="MINUTES",
        help="how long to wait for an endpoint that answered before and then went away "
        "(default 30); one that never answered and refuses connections stops the job",
    )
    process.add_argument(
        "--overlays",
        choices=("jpeg", "png", "none"),
        help="the overlay picture kept per image: jpeg (quality 90, the default), png "
        "(lossless, about three times the size) or none (masks only); masks are always PNG",
    )
    process.add_argument("--workers", type=int, metavar="N", help="images processed in parallel")
    process.add_argument("--timeout", type=float, metavar="S", help="read timeout per request")
    process.add_argument("--retries", type=int, metavar="N", help="extra attempts per image")
    process.add_argument(
        "--partial",
        action="store_true",
        help="process nothing: write the results of the images an interrupted run finished "
        "(the others listed as not processed; exit status 1 when some were not)",
    )
    process.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    process.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")


def _server_arguments(process: argparse.ArgumentParser) -> None:
    """The Oil Spill AI backend, and how many requests an ML endpoint gets at once."""
    process.add_argument(
        "--server",
        metavar="URL",
        help="the Oil Spill AI backend's base URL, e.g. http://host:8000 (implies --engine server)",
    )
    process.add_argument(
        "--part-size",
        type=int,
        metavar="N",
        help="images per part sent to the backend (default 16)",
    )
    process.add_argument(
        "--adaptive",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="find how many requests the ML endpoint takes at once, up to --workers (the "
        "default); --no-adaptive sends --workers at once (several endpoints always adapt)",
    )


def _add_serve_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``serve`` command: which offline engine, and where to listen."""
    serve = commands.add_parser(
        "serve",
        help="serve an offline engine over HTTP",
        description="Serve the learned model (or the classical detector) with the ML service "
        "contract: POST /segment (multipart field 'file') answers an image/png mask; "
        "GET /health.",
    )
    _engine_arguments(serve, ("model", "builtin", "classical"))
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=8002, help="port (default 8002)")


def _engine_arguments(parser: argparse.ArgumentParser, engines: tuple[str, ...]) -> None:
    parser.add_argument(
        "--engine",
        choices=engines,
        help="model: the learned offline model (the default; builtin means the same); "
        "classical: the dark-spot detector"
        + ("; http: an ML endpoint" if "http" in engines else "")
        + ("; server: the Oil Spill AI backend (--server)" if "server" in engines else ""),
    )
    parser.add_argument(
        "--model",
        metavar="MODEL.onnx",
        help="an ONNX segmentation model with its JSON description beside it "
        "(implies --engine model)",
    )


def normalise_argv(argv: Sequence[str]) -> list[str]:
    """Bare file names mean the window: ``oilspill-desktop a.zip`` is ``gui a.zip``."""
    args = list(argv)
    first = next((a for a in args if not a.startswith("-")), None)
    wants_top_level = any(a in ("-h", "--help", "--version") for a in args[:1])
    if not wants_top_level and first not in COMMANDS:
        return ["gui", *args]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(normalise_argv(sys.argv[1:] if argv is None else argv))
    if args.command == "process":
        from .cli_process import run_process

        return run_process(args)
    if args.command == "serve":
        from .core.config.settings import Settings, normalise_engine
        from .core.engines.factory import create_engine
        from .core.errors import ModelError
        from .server.app import ServeError, serve

        settings = Settings(
            engine=normalise_engine(args.engine or "model"), model_path=args.model or ""
        )
        try:
            serve(args.host, args.port, engine=create_engine(settings))
        except (ServeError, ModelError) as exc:
            print(f"oilspill-desktop serve: {exc}", file=sys.stderr)
            return 1
        return 0
    if args.command == "view":
        from .ui.app import run_viewer

        return int(run_viewer(args.results))
    from .ui.app import run_gui

    return int(run_gui(args.inputs, sample=args.sample))
