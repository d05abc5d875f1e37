"""Run the real ``oilspill-desktop`` command in a subprocess, as a user would."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any


def run_cli(
    *args: str | Path, home: Path, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "OILSPILL_DESKTOP_HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        **(env or {}),
    }
    environment.pop("ML_SERVICE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "oilspill_desktop", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        stdin=subprocess.DEVNULL,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_report(results: Path) -> dict[str, Any]:
    with zipfile.ZipFile(results) as bundle:
        assert bundle.testzip() is None
        data: dict[str, Any] = json.loads(bundle.read("report.json"))
        listed = bundle.namelist()
        names = set(listed)
    assert len(listed) == len(names), "a file is in the results zip twice"
    for item in data["items"]:
        for key in ("mask", "overlay"):
            if item[key]:
                assert item[key] in names
    return data


def kill_process_midway(
    home: Path, endpoint: Any, requests: int, *arguments: object
) -> subprocess.CompletedProcess[str]:
    """Run ``oilspill_desktop ARGUMENTS`` and SIGKILL it once ``endpoint`` (a test server
    counting ``requests``) has had ``requests``; what it said before dying is returned."""
    environment = {
        **os.environ,
        "OILSPILL_DESKTOP_HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
    }
    environment.pop("ML_SERVICE_URL", None)
    command = [sys.executable, "-m", "oilspill_desktop", *map(str, arguments)]
    process = subprocess.Popen(
        command,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while endpoint.requests < requests and time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.01)
        assert endpoint.requests >= requests, "the endpoint was not reached in time"
    finally:
        process.send_signal(signal.SIGKILL)
        _, stderr = process.communicate(timeout=10)
    return subprocess.CompletedProcess(command, process.returncode, "", stderr)
