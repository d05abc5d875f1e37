"""The CLI's progress line fits the terminal and redraws cleanly; plain lines into a file."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from oilspill_desktop.cli_process import ProgressLine, progress_text
from oilspill_desktop.scheduling.progress import JobProgress
from oilspill_desktop.tools.synthetic import write_survey_zip

NAME = "a-survey-archive-with-a-long-name-from-the-data-provider_2024-06-01.zip"
RUNNING = JobProgress(
    ok=1234, failed=56, total=99999, in_flight=8, images_per_second=123.4,
    eta_seconds=5000.0, elapsed_seconds=60.0,
)  # fmt: skip
WAITING = JobProgress(
    ok=10, failed=0, total=100, in_flight=0, images_per_second=0.0, eta_seconds=None,
    elapsed_seconds=60.0, waiting_reason="connection refused by 10.0.0.7:8002 " * 3,
    next_try_in=64.0, gives_up_in=1700.0,
)  # fmt: skip


@pytest.mark.parametrize("columns", [40, 80, 120, 300])
@pytest.mark.parametrize("progress", [RUNNING, WAITING], ids=["running", "waiting"])
def test_the_line_fits_the_width(columns: int, progress: JobProgress) -> None:
    text = progress_text(NAME, progress, columns - 1)
    assert len(text) <= columns - 1
    assert text.startswith(NAME[:30])
    if columns >= 200:  # room for the whole bar
        filled = int(ProgressLine.WIDTH * progress.fraction)
        assert f"[{'#' * filled}{'.' * (ProgressLine.WIDTH - filled)}]" in text
        assert not text.endswith("...")
    assert text[30:32] == " ["  # the name, then the bar, at any width


def test_redraws_pad_over_the_longer_line_without_escape_codes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    stream = io.StringIO()
    line = ProgressLine(stream, True, terminal=True)
    line.show(NAME, WAITING, force=True)
    line.show("short.zip", RUNNING, force=True)
    line.clear()
    written = stream.getvalue()
    assert "\033" not in written
    drawn = written.split("\r")[1:]
    assert all(len(part) <= 79 for part in drawn)
    assert len(drawn[1]) == len(drawn[0])  # the shorter line is padded over the longer
    assert drawn[-1] == ""  # cleared back to the start of an empty line


def test_into_a_file_plain_lines_now_and_then(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    line = ProgressLine(stream, True, terminal=False)
    line.show(NAME, RUNNING)
    line.show(NAME, RUNNING)  # within PLAIN_EVERY seconds: not repeated
    line.clear()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert "\r" not in stream.getvalue()
    assert lines[0].startswith(NAME[:30]) and "1290/99999 failed 56" in lines[0]


def test_under_an_80_column_pseudo_terminal_every_redraw_fits(
    tmp_path: Path, app_home: Path
) -> None:
    source = write_survey_zip(tmp_path / (NAME[:40] + ".zip"), 6, size=(96, 96), seed=5)
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    environment = {**os.environ, "OILSPILL_DESKTOP_HOME": str(app_home)}
    environment.pop("COLUMNS", None)
    environment.pop("ML_SERVICE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "oilspill_desktop", "process", str(source)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=secondary, env=environment,
    )  # fmt: skip
    os.close(secondary)
    received = bytearray()
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        received += chunk
    os.close(primary)
    assert process.wait(timeout=120) == 0
    text = received.decode("utf-8", "replace")
    assert "\033" not in text
    redraws = [part for line in text.split("\n") for part in line.split("\r")]
    assert any("[" in part and "failed" in part for part in redraws), text
    assert all(len(part) <= 80 for part in redraws), [p for p in redraws if len(p) > 80]


def test_a_large_scene_shows_its_tiles_and_moves_the_bar() -> None:
    scene = JobProgress(
        ok=0, failed=0, total=2, in_flight=1, images_per_second=0.0, eta_seconds=None,
        elapsed_seconds=60.0, tiles_done=42, tiles_total=169,
    )  # fmt: skip
    text = progress_text("scenes.zip", scene, 200)
    assert " 0/2 failed 0 tile 42/169 " in text
    assert scene.fraction == pytest.approx(42 / 169 / 2)
    assert "tile" not in progress_text("scenes.zip", RUNNING, 200)
