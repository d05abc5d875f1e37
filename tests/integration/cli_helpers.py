"""Run the real ``oilspill-desktop`` command in a subprocess, as a user would."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
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
