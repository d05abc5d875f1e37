"""The log file: library warnings land in it rather than raw on stderr."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from oilspill_desktop.logging_setup import setup_logging


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = setup_logging(tmp_path / "logs")
    yield path
    logging.captureWarnings(False)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_oilspill", False):
            root.removeHandler(handler)
            handler.close()


def test_library_warnings_go_to_the_log_not_stderr(
    log_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn(
            "Corrupt EXIF data.  Expecting to read 12 bytes but only got 2.",
            UserWarning,
            stacklevel=1,
        )
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "Corrupt EXIF data" in log_file.read_text(encoding="utf-8")
    assert "Corrupt EXIF data" not in capsys.readouterr().err
