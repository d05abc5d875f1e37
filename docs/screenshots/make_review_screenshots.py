"""Take the README's screenshots of the mask viewer and of report.html, in English or Russian.

Run from the repository root::

    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb \\
        python docs/screenshots/make_review_screenshots.py [--language ru]

It runs ``process`` (the bundled model) on the sample survey with one damaged image added,
gives three verdicts, opens the viewer on the results, saves ``viewer-sample[-ru].png``,
exports the report with the verdicts (File → Export report) and renders it with headless
Chromium when there is one (``report[-ru].png``), otherwise with Qt's own HTML renderer.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = Path(__file__).resolve().parent
SAMPLE = ROOT / "resources" / "sample" / "sample_survey.zip"


def make_survey(folder: Path) -> Path:
    """The sample survey and one image that cannot be decoded."""
    survey = folder / "gulf_survey.zip"
    with zipfile.ZipFile(SAMPLE) as source, zipfile.ZipFile(survey, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("survey/10_damaged.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    return survey


def process(survey: Path, home: Path, language: str) -> Path:
    env = dict(os.environ, OILSPILL_DESKTOP_HOME=str(home), PYTHONPATH=str(ROOT))
    env["LANG"] = env["LANGUAGE"] = "ru_RU.UTF-8" if language == "ru" else "en_US.UTF-8"
    subprocess.run(
        [sys.executable, "-m", "oilspill_desktop", "process", str(survey), "--engine", "model"],
        env=env,
        check=False,
    )
    return survey.with_name(f"{survey.stem}_results.zip")


def wait(app, condition, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the viewer did not get there in time")
        app.processEvents()
        time.sleep(0.02)


def render_page(page: Path, png: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser:
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=900,1300",
                f"--screenshot={png}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
        return
    from PySide6.QtGui import QImage, QPainter, QTextDocument

    document = QTextDocument()
    document.setHtml(page.read_text(encoding="utf-8"))
    document.setTextWidth(900)
    image = QImage(900, 1300, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    document.drawContents(painter)
    painter.end()
    image.save(str(png))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--language", default="en", choices=("en", "ru"))
    args = parser.parse_args()
    suffix = "" if args.language == "en" else f"-{args.language}"
    work = Path(tempfile.mkdtemp(prefix="oilspill-shots-"))
    home = work / "home"
    os.environ["OILSPILL_DESKTOP_HOME"] = str(home)
    results = process(make_survey(work), home, args.language)

    from PySide6.QtWidgets import QApplication

    from oilspill_desktop.core.results.review import ReviewFile, Verdict
    from oilspill_desktop.ui.i18n import install_translators
    from oilspill_desktop.ui.viewer import ViewerWindow

    app = QApplication(sys.argv)
    install_translators(app, args.language)
    window = ViewerWindow(results)
    info = window.source.info if window.source is not None else None
    assert info is not None, "the results did not open"
    oily = sorted(
        (r for r in info.images if (r.oil_pixels or 0) > 0),
        key=lambda r: -(r.oil_fraction or 0),
    )
    review = ReviewFile.open(results, info.input_sha256)
    notes = {
        "en": ("two slicks from a ship's track", "calm water in the lee of the coast"),
        "ru": ("два пятна по следу судна", "штиль у берега"),
    }[args.language]
    for record, verdict, note in zip(
        oily,
        (Verdict.CONFIRMED_OIL, Verdict.LOOK_ALIKE, Verdict.UNSURE),
        (*notes, ""),
        strict=False,
    ):
        review.set((record.member_index, record.path), verdict, note)
    window.close()

    window = ViewerWindow(results)
    window.resize(1280, 760)
    window.show()
    wait(app, lambda: window.review.available and window.views.pictures is not None)
    window.select_row(min(2, window.proxy.rowCount() - 1))
    wait(app, lambda: window.views.pictures is not None and window.views.pictures.live_overlay)
    wait(app, lambda: window.originals_status is not None and window.originals_status.verified)
    for _ in range(30):
        app.processEvents()
        time.sleep(0.02)
    window.grab().save(str(OUT / f"viewer-sample{suffix}.png"))

    page = work / f"report{suffix}.html"
    window.reports.export(page)
    wait(app, lambda: window.reports.last_path == page)
    render_page(page, OUT / f"report{suffix}.png")
    window.close()
    print(f"saved viewer-sample{suffix}.png and report{suffix}.png; page: {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
