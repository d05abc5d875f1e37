"""Ctrl+C in ``process`` says how to get the results of what was done, and ``--partial``
writes them: the images done listed as such, the others as not processed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from oilspill_desktop.tools.synthetic import write_survey_zip
from tests.endpoint_server import FakeEndpoint

from .cli_helpers import read_report, run_cli


def journalled(home: Path) -> int:
    return sum(
        len(journal.read_text(encoding="utf-8").splitlines())
        for journal in home.rglob("journal.jsonl")
    )


def interrupt_after_some(source: Path, url: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run ``process`` on a slow endpoint, press Ctrl+C once a few images are done."""
    environment = {**os.environ, "OILSPILL_DESKTOP_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    environment.pop("ML_SERVICE_URL", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "oilspill_desktop",
            "process",
            str(source),
            "--endpoint",
            url,
            "--workers",
            "1",
            "--retries",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=environment,
    )
    try:
        deadline = time.monotonic() + 60
        while journalled(home) < 2 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_ctrl_c_says_how_to_get_the_results_and_partial_writes_them(
    tmp_path: Path, app_home: Path
) -> None:
    source = write_survey_zip(tmp_path / "survey.zip", 30, size=(64, 64), seed=5)
    with FakeEndpoint("latency", latency=0.3) as endpoint:
        stopped = interrupt_after_some(source, endpoint.url, app_home)
        assert stopped.returncode == 130, stopped.stderr
        assert "--partial" in stopped.stderr
        assert f"oilspill-desktop process --partial {source}" in stopped.stderr
        assert not (tmp_path / "survey_results.zip").exists()
        done = journalled(app_home)
        assert 2 <= done < 30

        requests = endpoint.requests
        partial = run_cli("process", source, "--partial", "--endpoint", endpoint.url, home=app_home)
        assert endpoint.requests == requests  # --partial processes nothing
    assert partial.returncode == 1, partial.stderr
    results = tmp_path / "survey_results.zip"
    assert f"-> {results}" in partial.stdout
    assert "Partial results" in partial.stdout
    report = read_report(results)
    statuses = [item["status"] for item in report["items"]]
    assert statuses.count("ok") == done
    missing = [item for item in report["items"] if item["status"] == "failed"]
    assert len(missing) == 30 - done
    assert all(item["error_code"] == "item.not_processed" for item in missing)


def test_partial_without_anything_done_writes_nothing(tmp_path: Path, app_home: Path) -> None:
    source = write_survey_zip(tmp_path / "fresh.zip", 3, size=(32, 32), seed=6)
    result = run_cli("process", source, "--partial", "--engine", "classical", home=app_home)
    assert result.returncode == 2, result.stderr
    assert "No image had finished" in result.stderr
    assert not (tmp_path / "fresh_results.zip").exists()
