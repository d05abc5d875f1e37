"""``report.html``: the survey on one page, to hand on (opens offline, prints on A4).

Written by the core, for the results zip at the end of every job and for the viewer's
File → Export report (then with the analyst's verdicts), from the same :class:`JobReport`
rows as ``report.csv`` and ``report.json``: one renderer, so the zip's page and an exported
one cannot differ but by the verdicts. Everything is inline (CSS, thumbnails as ``data:``
URIs), so the file works when mailed or opened from a USB stick.

The rows stream: each row's HTML (and its thumbnail, read as it goes by) is written to a
spooled temporary file, and only its oil share and place in that file are kept, so the
images with oil can be listed largest first without holding the survey in memory.
"""

from __future__ import annotations

import base64
import html
import shutil
import tempfile
from collections.abc import Callable, Mapping
from typing import IO

from ... import APP_NAME, __version__
from ..messages import Translate, english
from ..model import ItemRecord, ItemStatus
from .report import JobReport, ReportSummary
from .report_text import ReportText
from .review import Review, ReviewKey, review_key

SPOOL_BYTES = 4 * 1024 * 1024
"""Row HTML kept in memory before it spills to a temporary file."""

Thumbnails = Callable[[ItemRecord], bytes | None]
"""A JPEG thumbnail of an image with oil, ``None`` when there is none."""

STYLE = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #111;
  margin: 24px auto; max-width: 190mm; padding: 0 8px; }
h1 { font-size: 16pt; margin: 0 0 8px; }
h2 { font-size: 12.5pt; margin: 20px 0 6px; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 3px 6px; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
.rows th { background: #e8eef3; border-bottom: 1px solid #888; }
.rows td { border-bottom: 1px solid #ddd; }
.facts th { width: 34%; font-weight: normal; color: #444; }
.num { text-align: right; white-space: nowrap; }
.name { overflow-wrap: anywhere; }
.thumb img { width: 120px; max-height: 120px; object-fit: contain; display: block; }
.confirmed_oil { color: #9b1c1c; font-weight: bold; }
.look_alike { color: #1d5e2c; }
.unsure { color: #7a5a00; }
.muted, .none { color: #666; }
.note { color: #333; font-style: italic; }
.warning { color: #555; font-size: 9pt; margin-top: 2px; }
footer { margin-top: 18px; font-size: 9pt; color: #555; }
"""


def write_html(
    report: JobReport,
    stream: IO[bytes],
    *,
    language: str,
    thumbnail: Thumbnails,
    reviews: Mapping[ReviewKey, Review] | None = None,
    translate: Translate = english,
) -> ReportSummary:
    """Write the page for ``report`` to ``stream`` and return what its rows added up to.

    ``reviews`` are the analyst's verdicts; ``None`` means none are part of this file
    (the page says so). ``translate`` words the core's sentences on the page (a failed
    image's reason, an image's warnings): the window passes its translation, so that a
    Russian page says them in Russian; by default the report's English sentence.
    """
    text = ReportText(language)
    page = _Page(report, text, thumbnail, reviews, translate)
    with (
        tempfile.SpooledTemporaryFile(SPOOL_BYTES) as oil_rows,
        tempfile.SpooledTemporaryFile(SPOOL_BYTES) as failed_rows,
    ):
        order: list[tuple[float, int, int]] = []
        for item in report.items:
            page.summary.add(item)
            if item.status is ItemStatus.OK and (item.oil_pixels or 0) > 0:
                start = oil_rows.tell()
                oil_rows.write(page.oil_row(item).encode("utf-8"))
                order.append((-(item.oil_fraction or 0.0), start, oil_rows.tell() - start))
            elif item.status is ItemStatus.FAILED:
                failed_rows.write(page.failed_row(item).encode("utf-8"))
        order.sort()
        out = _Writer(stream)
        out.write(page.head())
        out.write(page.oil_table_head() if order else f"<p>{text.text('no_oil')}</p>\n")
        for _share, start, length in order:
            oil_rows.seek(start)
            out.write_bytes(oil_rows.read(length))
        if order:
            out.write("</tbody></table>\n")
        if page.summary.failed:
            out.write(page.failed_table_head())
            failed_rows.seek(0)
            shutil.copyfileobj(failed_rows, stream)
            out.write("</tbody></table>\n")
        out.write(page.foot())
    return page.summary


class _Writer:
    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def write(self, text: str) -> None:
        self._stream.write(text.encode("utf-8"))

    def write_bytes(self, data: bytes) -> None:
        self._stream.write(data)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _when(stamp: str) -> str:
    """``2026-12-04T23:18:14+00:00`` as ``2026-12-04 23:18:14 +00:00``."""
    date, _, rest = stamp.partition("T")
    for sign in ("+", "-", "Z"):
        at = rest.find(sign)
        if at > 0:
            return f"{date} {rest[:at]} {rest[at:]}".strip()
    return f"{date} {rest}".strip()


class _Page:
    """The pieces of the page; the rows are written before the head (the head needs the
    summary), so each piece is a string the caller puts in place."""

    def __init__(
        self,
        report: JobReport,
        text: ReportText,
        thumbnail: Thumbnails,
        reviews: Mapping[ReviewKey, Review] | None,
        translate: Translate,
    ) -> None:
        self.report = report
        self.text = text
        self.numbers = text.numbers
        self.thumbnail = thumbnail
        self.reviews = reviews
        self.translate = translate
        self.summary = ReportSummary()
        self.reviewed = 0

    # -- rows ------------------------------------------------------------------------------
    def oil_row(self, item: ItemRecord) -> str:
        numbers, text = self.numbers, self.text
        data = self.thumbnail(item)
        if data:
            encoded = base64.b64encode(data).decode("ascii")
            picture = f'<img alt="" src="data:image/jpeg;base64,{encoded}">'
        else:
            picture = f'<span class="muted">{text.text("no_picture")}</span>'
        size = ""
        if item.width and item.height:
            size = text.text(
                "pixels_size", w=numbers.integer(item.width), h=numbers.integer(item.height)
            )
        cells = [
            f'<td class="thumb">{picture}</td>',
            f'<td class="name">{_e(item.path)}{self._warnings(item)}</td>',
            f'<td class="num">{numbers.percent(item.oil_fraction or 0.0)}</td>',
            f'<td class="num">{numbers.integer(item.oil_pixels or 0)}</td>',
            f'<td class="num">{size}</td>',
        ]
        if self.reviews is not None:
            cells.append(f"<td>{self._verdict(self.reviews.get(review_key(item)))}</td>")
        return "<tr>" + "".join(cells) + "</tr>\n"

    def _verdict(self, review: Review | None) -> str:
        if review is None or review.verdict is None:
            verdict = f'<span class="none">{self.text.text("verdict.none")}</span>'
        else:
            self.reviewed += 1
            name = review.verdict.value
            verdict = f'<span class="{name}">{self.text.text("verdict." + name)}</span>'
        if review is not None and review.note:
            verdict += f'<div class="note">{_e(review.note)}</div>'
        return verdict

    def _warnings(self, item: ItemRecord) -> str:
        """What the analyst should know when reading the image's oil (it was multilooked,
        resized, read from one band of several), one small line each."""
        return "".join(
            f'<div class="warning">{_e(self.translate(warning))}</div>' for warning in item.warnings
        )

    def failed_row(self, item: ItemRecord) -> str:
        error = item.error_message
        reason = self.translate(error) if error is not None else ""
        return f'<tr><td class="name">{_e(item.path)}</td><td>{_e(reason)}</td></tr>\n'

    # -- sections --------------------------------------------------------------------------
    def head(self) -> str:
        text, report = self.text, self.report
        title = text.text("title", name=report.input.name)
        return (
            f'<!DOCTYPE html>\n<html lang="{text.language}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f"<h1>{_e(title)}</h1>\n" + self._facts() + self._review()
        )

    def _facts(self) -> str:
        text, numbers, report, summary = self.text, self.numbers, self.report, self.summary
        counts = text.text(
            "counts",
            ok=numbers.integer(summary.ok),
            failed=numbers.integer(summary.failed),
            skipped=numbers.integer(summary.skipped),
        )
        rows = [
            ("input", report.input.name),
            ("sha256", report.input.sha256),
            ("engine", self._engine()),
            ("started", _when(report.started)),
            ("finished", _when(report.finished)),
            ("images", f"{text.plural('images', summary.images)} ({counts})"),
        ]
        body = "".join(f"<tr><th>{text.text(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
        oil = text.plural("with_oil", summary.with_oil)
        body += f"<tr><th>{text.text('oil_heading')}</th><td><b>{_e(oil)}</b></td></tr>"
        body += (
            f"<tr><th>{text.text('oil_share')}</th>"
            f"<td>{numbers.percent(summary.oil_fraction, 3)}</td></tr>"
        )
        return f'<h2>{text.text("facts")}</h2>\n<table class="facts">{body}</table>\n'

    def _engine(self) -> str:
        report, text = self.report, self.text
        if report.endpoint:
            return text.text("engine.endpoint", url=report.endpoint)
        if report.engine == "model":
            return text.text("engine.model", name=(report.model or "").split("@", 1)[0])
        if report.engine in ("classical", "builtin"):
            return text.text("engine.classical")
        return report.engine

    def _review(self) -> str:
        text = self.text
        heading = f"<h2>{text.text('review_heading')}</h2>\n"
        if self.reviews is None:
            return heading + f'<p class="muted">{text.text("review.none")}</p>\n'
        return heading + (
            "<p>"
            + text.text(
                "reviewed",
                n=self.numbers.integer(self.reviewed),
                total=self.numbers.integer(self.summary.with_oil),
            )
            + "</p>\n"
        )

    def oil_table_head(self) -> str:
        text = self.text
        columns = ["col.picture", "col.image", "col.share", "col.pixels", "col.size"]
        if self.reviews is not None:
            columns.append("col.verdict")
        cells = "".join(
            f'<th class="{"num" if key in ("col.share", "col.pixels", "col.size") else ""}">'
            f"{text.text(key)}</th>"
            for key in columns
        )
        return (
            f'<h2>{text.text("oil_heading")}</h2>\n<p class="muted">{text.text("oil_intro")}</p>\n'
            f'<table class="rows"><thead><tr>{cells}</tr></thead><tbody>\n'
        )

    def failed_table_head(self) -> str:
        text = self.text
        return (
            f"<h2>{text.text('failed_heading')}</h2>\n"
            f'<table class="rows"><thead><tr><th>{text.text("col.image")}</th>'
            f"<th>{text.text('col.reason')}</th></tr></thead><tbody>\n"
        )

    def foot(self) -> str:
        written = self.text.text("written", app=APP_NAME, version=__version__)
        return (
            f"<footer>{_e(self.text.text('footer'))}<br>{_e(written)}</footer>\n</body>\n</html>\n"
        )
