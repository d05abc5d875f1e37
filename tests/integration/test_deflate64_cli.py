"""A zip that 7-Zip wrote with Deflate64 (as Windows Explorer does for big zips), end to end."""

from __future__ import annotations

import shutil
from pathlib import Path

from .cli_helpers import read_report, run_cli, sha256

FIXTURE = Path(__file__).parent.parent / "data" / "deflate64_7zip.zip"


def test_every_image_of_a_deflate64_zip_is_processed(tmp_path: Path, app_home: Path) -> None:
    source = Path(shutil.copy(FIXTURE, tmp_path / "deflate64.zip"))
    before = sha256(source)
    result = run_cli("process", source, home=app_home)
    assert result.returncode == 0, result.stderr
    report = read_report(tmp_path / "deflate64_results.zip")
    assert report["counts"] == {"images": 2, "ok": 2, "failed": 0, "skipped": 0}
    for item in report["items"]:
        assert (item["width"], item["height"]) == (160, 128)
        assert item["oil_pixels"] > 0, item  # each scene holds a painted slick
    assert sha256(source) == before
