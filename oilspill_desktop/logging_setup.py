"""Logging: a rotating file in the log folder, optional stderr, and secrets kept out.

Qt's own warnings are routed here too (see :func:`install_qt_message_handler`), so one
file tells the whole story of a session.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from pathlib import Path

LOG_FILE_NAME = "oilspill-desktop.log"
_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str) -> None:
    """Never let ``value`` (an API token) reach a log line."""
    if value and len(value) >= 4:
        with _lock:
            _secrets.add(value)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            message = record.getMessage()
            for secret in _secrets:
                message = message.replace(secret, "***")
            record.msg, record.args = message, None
        return True


def setup_logging(log_dir: Path, *, stderr_level: int | None = None) -> Path:
    """Log to ``log_dir/oilspill-desktop.log`` (rotated); return the file's path."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    for handler in list(root.handlers):
        if getattr(handler, "_oilspill", False):
            root.removeHandler(handler)
            handler.close()
    log_file = log_dir / LOG_FILE_NAME
    formatter = logging.Formatter(
        "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
    )
    handlers: list[logging.Handler] = []
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                log_file, maxBytes=2 * 1024 * 1024, backupCount=5, encoding="utf-8"
            )
        )
        handlers[-1].setLevel(logging.INFO)
    except OSError as exc:
        print(f"oilspill-desktop: cannot write the log file {log_file}: {exc}", file=sys.stderr)
    for handler in handlers:
        handler.setFormatter(formatter)
    if stderr_level is not None:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(stderr_level)
        console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handlers.append(console)
    for handler in handlers:
        handler.addFilter(RedactSecrets())
        handler._oilspill = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # tifffile warns about every oddity of a damaged TIFF ("missing data offset tag"); the
    # item's own reason says what matters, and a terminal's progress line stays clean.
    logging.getLogger("tifffile").setLevel(logging.ERROR)
    # Library warnings (Pillow's "Corrupt EXIF data" on a hostile engine answer, say) go
    # to the log with the rest, not raw to stderr where a window user never sees them.
    logging.captureWarnings(True)
    return log_file


def install_qt_message_handler() -> None:
    """Send qDebug/qWarning/qCritical through :mod:`logging` (logger ``qt``)."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(mode: QtMsgType, context: object, message: str) -> None:
        qt_log.log(levels.get(mode, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)
