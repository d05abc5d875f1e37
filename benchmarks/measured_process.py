"""``oilspill-desktop process`` in a child process, with what it cost: one way for every benchmark.

The child's output goes to temporary files, not pipes: read only after ``wait4``, a pipe
fills at 64 KB (a long traceback) and the child then waits on it for ever. ``wait4``
gives the child's own peak RSS and CPU time, not this process's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ChildRun:
    """Wall seconds, CPU seconds (user + system), peak RSS in MB, and what it printed."""

    wall: float
    cpu: float
    rss_mb: float
    stdout: str


def run_process(archive: Path, home: Path, *options: str) -> ChildRun:
    """``python -m oilspill_desktop process ARCHIVE OPTIONS`` with its own app folder
    ``home``, offscreen; exits this script with the child's output if the child fails."""
    env = {**os.environ, "OILSPILL_DESKTOP_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, "-m", "oilspill_desktop", "process", str(archive), *options]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"process failed:\n{stdout}\n{stderr}")
    return ChildRun(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout)
