"""report.html: the survey on one page, streamed, in English or Russian, with verdicts."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from oilspill_desktop.core.jobs.workspace import JobWorkspace
from oilspill_desktop.core.messages import Message, plain, say
from oilspill_desktop.core.model import ItemRecord, ItemStatus, Segmentation
from oilspill_desktop.core.results import html_report
from oilspill_desktop.core.results.html_report import write_html
from oilspill_desktop.core.results.report import InputFacts, JobReport
from oilspill_desktop.core.results.report_text import (
    NumberFormat,
    ReportText,
    plural_index,
    report_language,
)
from oilspill_desktop.core.results.results_zip import write_results_zip
from oilspill_desktop.core.results.review import Review, Verdict
from oilspill_desktop.core.results.thumbnail import make_thumbnail, thumbnail_name


def oily(name: str, oil: int, index: int, side: int = 100) -> ItemRecord:
    return ItemRecord(
        path=name,
        status=ItemStatus.OK,
        width=side,
        height=side,
        oil_pixels=oil,
        oil_fraction=oil / (side * side),
        mask=f"masks/{Path(name).stem}.png",
        member_index=index,
        kind="mask",
    )


def report_of(items: object) -> JobReport:
    return JobReport(
        InputFacts("survey.zip", 10, "ab" * 32),
        "model",
        None,
        "2026-12-04T10:00:00+00:00",
        "2026-12-04T10:05:00+00:00",
        items,  # type: ignore[arg-type]
        model="oil-unet-lite@1234",
    )


def render(report: JobReport, language: str = "en", **kwargs: object) -> str:
    out = io.BytesIO()
    write_html(report, out, language=language, thumbnail=lambda r: None, **kwargs)  # type: ignore[arg-type]
    return out.getvalue().decode("utf-8")


def test_numbers_as_each_language_writes_them() -> None:
    en, ru = NumberFormat("en"), NumberFormat("ru")
    assert en.integer(43908) == "43,908"
    assert ru.integer(43908) == "43\u00a0908"
    assert en.percent(0.0105) == "1.05\u00a0%"
    assert ru.percent(0.0105) == "1,05\u00a0%"
    assert ru.decimal(1234567.5, 1) == "1\u00a0234\u00a0567,5"
    assert en.integer(-5) == "-5"


@pytest.mark.parametrize(
    ("count", "en", "ru"),
    [(1, 0, 0), (2, 1, 1), (5, 1, 2), (11, 1, 2), (21, 1, 0), (22, 1, 1), (112, 1, 2)],
)
def test_plural_forms(count: int, en: int, ru: int) -> None:
    assert plural_index("en", count) == en
    assert plural_index("ru", count) == ru


def test_plural_sentences() -> None:
    assert ReportText("ru").plural("with_oil", 3) == "3 снимка с нефтью"
    assert ReportText("ru").plural("with_oil", 25) == "25 снимков с нефтью"
    assert ReportText("en").plural("with_oil", 1) == "1 image with oil"


def test_report_language_from_setting_or_locale() -> None:
    assert report_language("ru", {}) == "ru"
    assert report_language("system", {"LANG": "ru_RU.UTF-8"}) == "ru"
    assert report_language("system", {"LANGUAGE": "de", "LANG": "ru_RU.UTF-8"}) == "en"
    assert report_language("system", {}) == "en"
    assert report_language("fr", {}) == "en"


def test_page_lists_oil_largest_first_and_failed_with_reasons() -> None:
    items = [
        oily("small.png", 10, 0),
        ItemRecord(path="broken.png", status=ItemStatus.FAILED, error="Not an image <b>."),
        oily("large.png", 900, 2),
        oily("clean.png", 0, 3),
        ItemRecord(path="notes.txt", status=ItemStatus.SKIPPED),
    ]
    page = render(report_of(items))
    assert page.index("large.png") < page.index("small.png")
    assert "clean.png" not in page
    assert "Not an image &lt;b&gt;." in page  # escaped
    assert "2 images with oil" in page
    assert "9.00\u00a0%" in page and "0.10\u00a0%" in page
    assert "learned model oil-unet-lite (offline)" in page
    assert "No verdicts are recorded in this file" in page
    assert "<link" not in page and "http" not in page.split("<footer>")[0]  # self-contained
    assert "@page { size: A4" in page


def test_warnings_go_under_the_image_and_a_translator_words_them_and_the_reasons() -> None:
    warned = oily("wide.tif", 50, 0)
    warned.warnings = [
        say("warn.multilooked", width=100, height=100, factor=2),
        plain("A sentence <without> a code."),
    ]
    failed = ItemRecord(path="broken.png", status=ItemStatus.FAILED, member_index=1)
    failed.fail(say("image.undecodable", reason="bad header"))
    report = report_of([warned, failed])
    english = render(report)
    assert '<div class="warning">The 100x100 scene was averaged 2x2' in english
    assert "A sentence &lt;without&gt; a code." in english
    assert "The image could not be decoded: bad header." in english

    def coded(message: Message) -> str:
        return f"[{message.code or message.text}]"

    worded = render(report, "ru", translate=coded)
    assert '<div class="warning">[warn.multilooked]</div>' in worded
    assert "[A sentence &lt;without&gt; a code.]" in worded
    assert "<td>[image.undecodable]</td>" in worded
    assert "could not be decoded" not in worded and "averaged" not in worded


def test_page_in_russian_with_russian_numbers() -> None:
    page = render(report_of([oily("a.png", 4390, 0, side=1000)]), "ru")
    assert '<html lang="ru">' in page
    assert "1 снимок с нефтью" in page
    assert "0,44\u00a0%" in page and "4\u00a0390" in page and "1\u00a0000 × 1\u00a0000" in page


def test_no_oil_says_so() -> None:
    page = render(report_of([oily("clean.png", 0, 0)]))
    assert "No image holds oil." in page
    assert "<h2>Failed images</h2>" not in page


def test_verdicts_and_notes_shown_and_counted() -> None:
    items = [oily("a.png", 10, 0), oily("b.png", 20, 1), oily("c.png", 30, 2)]
    reviews = {
        (0, "a.png"): Review(Verdict.CONFIRMED_OIL, "ship wake <nearby>"),
        (1, "b.png"): Review(Verdict.LOOK_ALIKE),
    }
    page = render(report_of(items), reviews=reviews)
    assert "Reviewed: 2 of 3 images with oil." in page
    assert '<span class="confirmed_oil">confirmed oil</span>' in page
    assert "ship wake &lt;nearby&gt;" in page
    assert '<span class="none">not reviewed</span>' in page
    assert "No verdicts are recorded" not in page


def test_thumbnails_embedded_as_data_uris() -> None:
    jpeg = make_thumbnail(Image.new("L", (40, 20), 90), _segmentation(40, 20))
    out = io.BytesIO()
    write_html(report_of([oily("a.png", 10, 0)]), out, language="en", thumbnail=lambda r: jpeg)
    found = re.search(r'src="data:image/jpeg;base64,([^"]+)"', out.getvalue().decode())
    assert found is not None
    assert base64.b64decode(found.group(1)) == jpeg


def _segmentation(width: int, height: int) -> Segmentation:
    oil = np.zeros((height, width), dtype=bool)
    oil[5:7, 10:12] = True
    return Segmentation(kind="mask", oil=oil, mask_image=None)


def test_thumbnail_is_small_and_keeps_a_thin_slick_visible() -> None:
    oil = np.zeros((1600, 1600), dtype=bool)
    oil[800, 100:1500] = True  # one pixel wide: must survive a 10x shrink
    picture = Image.open(
        io.BytesIO(
            make_thumbnail(Image.new("L", (1600, 1600), 60), Segmentation("mask", oil, None))
        )
    )
    assert picture.size == (160, 160)
    row = np.asarray(picture.convert("RGB"))[80]
    assert (row[20:140, 2] > 120).all()  # painted cyan (blue channel up) along the slick
    assert np.asarray(picture.convert("RGB"))[20, 80, 2] < 100  # sea stays grey


def test_thumbnail_name_beside_the_mask() -> None:
    assert thumbnail_name(oily("dir/a.png", 1, 0)) == "thumbnails/masks/a.jpg"
    assert thumbnail_name(ItemRecord(path="x", status=ItemStatus.FAILED)) is None


class Streamed:
    """Rows that can be read again and again, never a list: counts how often they are read."""

    def __init__(self, count: int) -> None:
        self.count = count

    def __iter__(self) -> Iterator[ItemRecord]:
        for index in range(self.count):
            yield oily(f"scene_{index:05d}.png", index % 97, index)

    def __len__(self) -> int:
        return self.count


def test_rows_stream_through_a_spool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_report, "SPOOL_BYTES", 1024)  # spills to disk early
    page = render(report_of(Streamed(3000)))
    shares = [float(s) for s in re.findall(r'<td class="num">([\d.]+)\u00a0%</td>', page)]
    assert len(shares) == 3000 - 31  # rows with oil: index % 97 != 0 (31 without)
    assert shares == sorted(shares, reverse=True)


def test_results_zip_holds_report_html_and_thumbnails(tmp_path: Path) -> None:
    ws = JobWorkspace(tmp_path / "ws", fsync=False)
    ws.save_png("masks/a.png", Image.new("L", (100, 100), 255))
    jpeg = make_thumbnail(Image.new("L", (100, 100)), _segmentation(100, 100))
    ws.save_file("thumbnails/masks/a.jpg", jpeg)
    items = [oily("a.png", 100, 0), oily("b.png", 5, 1)]  # b's thumbnail is missing
    ws.save_png("masks/b.png", Image.new("L", (100, 100)))
    report = report_of(items)
    out = write_results_zip(tmp_path / "r.zip", report, ws, language="ru")
    with zipfile.ZipFile(out) as bundle:
        assert bundle.read("thumbnails/masks/a.jpg") == jpeg
        assert "thumbnails/masks/b.jpg" not in bundle.namelist()
        page = bundle.read("report.html").decode("utf-8")
        data = bundle.read("report.json").decode("utf-8")
        header = bundle.read("report.csv").decode("utf-8-sig").splitlines()[0]
    assert base64.b64encode(jpeg).decode() in page
    assert "нет картинки" in page and '<html lang="ru">' in page
    assert '"review": null' in data  # the zip says plainly that it holds no verdicts
    assert "verdict" not in header


def test_thumbnail_of_a_class_map_and_of_an_engine_picture() -> None:
    classes = np.zeros((200, 200), dtype=np.uint8)
    classes[:, :20] = 4  # land
    classes[100:110, 50:150] = 1  # oil
    segmentation = Segmentation("classes", classes == 1, None, classes=classes)
    picture = Image.open(io.BytesIO(make_thumbnail(Image.new("RGB", (200, 200)), segmentation)))
    pixels = np.asarray(picture.convert("RGB")).astype(int)
    assert picture.size == (160, 160)
    assert pixels[84, 80, 2] > pixels[84, 80, 0] + 60  # oil: cyan
    assert pixels[80, 5, 1] > pixels[80, 5, 2] + 30  # land: green
    annotated = Image.new("RGB", (320, 160), (200, 10, 10))
    engine = Segmentation("overlay", None, None, overlay_image=annotated)
    small = Image.open(io.BytesIO(make_thumbnail(Image.new("L", (320, 160)), engine)))
    assert small.size == (160, 80)
    assert small.convert("RGB").getpixel((40, 40))[0] > 150  # the engine's own picture
