"""Start the GUI: the QApplication, logging, translations, errors.

``run_gui`` and ``run_viewer`` are what the command line calls. An unexpected exception
anywhere is logged with its traceback and shown in a dialog; the app carries on.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QStyleFactory, QWidget

from .. import APP_ID, APP_NAME, __version__
from ..core.config.paths import app_paths
from ..core.config.resources import resources_root
from ..core.config.settings import load_settings
from ..logging_setup import LOG_FILE_NAME, install_qt_message_handler, setup_logging
from ..scheduling.garbage import MainThreadCollector
from ..scheduling.tasks import WORKER_NICENESS, set_worker_niceness
from .i18n import install_translators
from .icons import app_icon

log = logging.getLogger(__name__)

SMOKE_QUIT_ENV = "OILSPILL_DESKTOP_SMOKE_QUIT_MS"
_IMPORTED = time.monotonic()


def seconds_since_process_start() -> float:
    """Wall time since the process started (Linux: from /proc; else since this import)."""
    try:
        with open("/proc/self/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return time.clock_gettime(time.CLOCK_BOOTTIME) - started
    except (OSError, ValueError, IndexError, AttributeError):
        return time.monotonic() - _IMPORTED


def arm_smoke_quit(window: QWidget) -> None:
    """``OILSPILL_DESKTOP_SMOKE_QUIT_MS=N``: say when the window is up, close it N ms later.

    The packaging smoke test and the build script's start-up figure rely on it.
    """
    value = os.environ.get(SMOKE_QUIT_ENV, "").strip()
    if not value:
        return
    try:
        delay = max(0, int(value))
    except ValueError:
        log.warning("%s=%r is not a number of milliseconds; ignored", SMOKE_QUIT_ENV, value)
        return

    def shown() -> None:
        if sys.stdout is not None:
            print(f"window shown after {seconds_since_process_start():.3f} s", flush=True)
        QTimer.singleShot(delay, window.close)

    QTimer.singleShot(0, shown)


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, created once, with names, icon, style and stylesheet."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(list(argv) if argv is not None else [sys.argv[0]])
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_ID)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    styles = [name.lower() for name in QStyleFactory.keys()]  # noqa: SIM118 (a list, not a dict)
    if sys.platform.startswith("linux") and "fusion" in styles:
        # Linux desktops without a Qt theme fall back to a dated look; Fusion follows the
        # palette (light or dark) and looks the same everywhere.
        app.setStyle("Fusion")
    apply_stylesheet(app)
    set_worker_niceness(WORKER_NICENESS)  # the window's thread wins the CPU over workers
    return app


def apply_stylesheet(app: QApplication) -> None:
    """Load ``resources/style.qss``: small touches that only use palette colours."""
    path = resources_root() / "style.qss"
    try:
        app.setStyleSheet(path.read_text(encoding="utf-8"))
    except OSError as exc:
        log.warning("The stylesheet %s could not be read: %s", path, exc)


class ErrorReporter(QObject):
    """Shows unexpected exceptions in a dialog, one at a time, from any thread.

    A dialog per exception would bury the user if something fails in a loop; while one is
    open, later ones are only logged and counted.
    """

    raised = Signal(str, str)

    def __init__(self, log_file: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log_file = log_file
        self._showing = False
        self._suppressed = 0
        self.raised.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_excepthook

    def uninstall(self) -> None:
        sys.excepthook = sys.__excepthook__
        threading.excepthook = threading.__excepthook__

    def _excepthook(
        self,
        kind: type[BaseException],
        value: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        log.critical("Unexpected error", exc_info=(kind, value, tb))
        details = "".join(traceback.format_exception(kind, value, tb))
        self.raised.emit(f"{kind.__name__}: {value}", details)

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        self._excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    def _show(self, summary: str, details: str) -> None:
        if self._showing:
            self._suppressed += 1
            return
        self._showing = True
        try:
            box = QMessageBox(QApplication.activeWindow())
            box.setIcon(QMessageBox.Icon.Critical)
            box.setWindowTitle(self.tr("Unexpected error"))
            box.setText(self.tr("Something went wrong: {error}").format(error=summary))
            where = str(self._log_file) if self._log_file else self.tr("the log")
            box.setInformativeText(
                self.tr(
                    "The error was written to {log}. Your jobs are not affected unless they "
                    "say so; you can keep working. If it happens again, send the log file "
                    "to your support contact."
                ).format(log=where)
            )
            box.setDetailedText(details)
            box.setStandardButtons(QMessageBox.StandardButton.Ok)
            box.exec()
        finally:
            self._showing = False
            if self._suppressed:
                log.warning("%d more unexpected error(s) were logged", self._suppressed)
                self._suppressed = 0


def _prepare(argv: Sequence[str] | None = None) -> tuple[QApplication, ErrorReporter]:
    paths = app_paths().ensure()
    log_file = setup_logging(paths.log_dir)
    app = create_application(argv)
    install_qt_message_handler()
    language = install_translators(app, load_settings(paths.settings_file).settings.language)
    log.info("%s %s starting (language: %s)", APP_NAME, __version__, language)
    reporter = ErrorReporter(log_file, app)
    reporter.install()
    return app, reporter


def freeze_startup_objects() -> None:
    """Keep the objects made at start-up out of the garbage collector's full passes.

    Modules, Qt wrappers and the window live as long as the app; left in the collector's
    oldest generation, each full pass walks them all while holding the GIL, a visible
    freeze of the window every so often during a big job.
    """
    gc.collect()
    gc.freeze()


def _run_loop(app: QApplication) -> int:
    """Run Qt's event loop until the last window closes; work off the GUI thread goes to
    thread pools (:func:`~oilspill_desktop.scheduling.tasks.run_in_pool`), so nothing
    else needs a loop of its own. Meanwhile cyclic garbage is collected on this thread
    only (:mod:`~oilspill_desktop.scheduling.garbage`)."""
    collector = MainThreadCollector(app)
    try:
        return int(app.exec() or 0)
    finally:
        collector.stop()


def close_on_signals(close: Callable[[], object]) -> Callable[[], None]:
    """Call ``close`` on SIGINT/SIGTERM; return a function that puts things back.

    Python only sees signals when it runs, so an idle timer wakes it while Qt waits.
    """
    previous = {
        signum: signal.signal(signum, lambda *_: close())
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(250)

    def restore() -> None:
        heartbeat.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    return restore


def run_gui(inputs: Sequence[str] = (), sample: bool = False) -> int:
    """Open the main window, queue ``inputs`` (and the sample survey), and run."""
    app, reporter = _prepare()
    from .main_window import MainWindow

    window = MainWindow()
    window.show()
    arm_smoke_quit(window)
    freeze_startup_objects()
    paths = [Path(p) for p in inputs]
    if paths:
        QTimer.singleShot(0, lambda: window.add_paths(paths))
    if sample:
        QTimer.singleShot(0, window.queue_sample)
    QTimer.singleShot(0, window.offer_resume)
    # Ctrl+C in the terminal that started the app: stop the jobs (finished images are kept)
    # and close; SIGTERM (a logout, a service manager) the same way.
    restore = close_on_signals(window.stop_and_close)
    try:
        code = _run_loop(app)
    finally:
        restore()
        window.shutdown()
        window.wait_for_workers()
        window.clean_up_cache()
        reporter.uninstall()
        window.deleteLater()
    log.info("%s closed", APP_NAME)
    return code


def run_viewer(results: str) -> int:
    """Open the mask viewer alone on a results zip."""
    app, reporter = _prepare()
    path = Path(results)
    try:
        from .viewer import ViewerWindow
    except ImportError as exc:
        log.error("The mask viewer is not available: %s", exc)
        print(f"oilspill-desktop: the mask viewer is not available ({exc}).", file=sys.stderr)
        return 2
    if not path.is_file():
        print(f"oilspill-desktop: {path} does not exist or is not a file.", file=sys.stderr)
        return 2
    viewer = ViewerWindow(results_zip=path)
    viewer.show()
    arm_smoke_quit(viewer)
    restore = close_on_signals(viewer.close)
    try:
        return _run_loop(app)
    finally:
        restore()
        reporter.uninstall()


__all__ = [
    "LOG_FILE_NAME",
    "ErrorReporter",
    "create_application",
    "freeze_startup_objects",
    "run_gui",
    "run_viewer",
]
