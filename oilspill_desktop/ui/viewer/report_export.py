"""File → Export report: the results' reports with the analyst's verdicts, as HTML, CSV or JSON.

The page and the tables are the core's (:mod:`oilspill_desktop.core.results.html_report`,
:class:`~oilspill_desktop.core.results.report.JobReport`), written here with the verdicts of
the verdicts file, failed images' reasons in the window's language, and the thumbnails that
the results zip holds. Written on a worker, atomically: the file is whole or not there.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject
from PySide6.QtWidgets import QFileDialog

from ...core.atomic import atomic_write, describe_os_error
from ...core.errors import OilSpillError
from ...core.model import ItemRecord
from ...core.results.html_report import write_html
from ...core.results.report import InputFacts, JobReport
from ...core.results.review import Review, ReviewKey
from ...core.results.thumbnail import thumbnail_name
from ...scheduling.pools import save_pool
from ...scheduling.tasks import TaskHandle, run_in_pool
from ..core_messages import translate
from ..core_messages import translate as translate_message
from .results_source import ResultsError, ResultsInfo, ResultsSource

if TYPE_CHECKING:
    from .window import ViewerWindow

FORMATS = ("html", "csv", "json")


def interface_language() -> str:
    """``ru`` when the window speaks Russian, else ``en`` (the languages the page has)."""
    return "ru" if QLocale().language() == QLocale.Language.Russian else "en"


def export_report(
    path: Path,
    source: ResultsSource,
    reviews: Mapping[ReviewKey, Review],
    language: str,
) -> Path:
    """Write the report of ``source`` with ``reviews`` to ``path``; its suffix picks the format.

    Raises :class:`OilSpillError` when the file cannot be written (nothing is left then).
    """
    info = source.info
    report = report_of(info, reviews)
    kind = path.suffix.lower().lstrip(".")
    try:
        with atomic_write(path) as stream:
            if kind == "csv":
                report.write_csv(stream)
            elif kind == "json":
                report.write_json(stream)
            else:
                write_html(
                    report,
                    stream,
                    language=language,
                    thumbnail=lambda item: _thumbnail(source, item),
                    reviews=reviews,
                    translate=translate,
                )
    except OSError as exc:
        raise OilSpillError(describe_os_error(exc, path)) from exc
    return path


def report_of(info: ResultsInfo, reviews: Mapping[ReviewKey, Review]) -> JobReport:
    return JobReport(
        input=InputFacts(info.input_name, info.input_size or 0, info.input_sha256),
        engine=info.engine,
        endpoint=info.endpoint,
        started=info.started,
        finished=info.finished,
        items=info.items,
        model=info.model,
        reviews=reviews,
    )


def _thumbnail(source: ResultsSource, item: ItemRecord) -> bytes | None:
    name = thumbnail_name(item)
    if name is None:
        return None
    try:
        return source.read(name)
    except ResultsError:  # results of an older version, or a damaged member: no picture
        return None


class ReportExporter(QObject):
    """Asks where, then writes on the save pool and says in the status bar how it went."""

    def __init__(self, window: ViewerWindow) -> None:
        super().__init__(window)
        self.window = window
        self.last_path: Path | None = None

    def ask(self) -> None:
        window = self.window
        source = window.source
        if source is None or source.info.results_path is None:
            window.statusBar().showMessage(
                self.tr("A report can be exported once the job's results are written."), 6000
            )
            return
        results = source.info.results_path
        default = results.with_name(f"{results.stem}_report.html")
        name, chosen = QFileDialog.getSaveFileName(
            window,
            self.tr("Export report"),
            str(default),
            ";;".join(self.filters()),
        )
        if name:
            self.export(Path(name), self.filters().index(chosen) if chosen in self.filters() else 0)

    def filters(self) -> list[str]:
        return [
            self.tr("Report page (*.html)"),
            self.tr("Spreadsheet (*.csv)"),
            self.tr("JSON (*.json)"),
        ]

    def export(self, path: Path, format_index: int = 0) -> None:
        """Write the report to ``path``; a name without a known suffix gets the chosen one."""
        source = self.window.source
        if source is None:
            return
        if path.suffix.lower().lstrip(".") not in FORMATS:
            path = path.with_name(f"{path.name}.{FORMATS[format_index]}")
        reviews = self.window.review.reviews()
        language = interface_language()
        self.window.statusBar().showMessage(self.tr("Writing {path}…").format(path=path))

        def work(_handle: TaskHandle) -> Path:
            return export_report(path, source, reviews, language)

        run_in_pool(
            save_pool(),
            work,
            context=self,
            on_done=self._done,
            on_error=self._failed,
            key=f"export-report:{path.name}",
        )

    def _done(self, path: Path) -> None:
        self.last_path = path
        self.window.statusBar().showMessage(self.tr("Report saved to {path}.").format(path=path))

    def _failed(self, exc: BaseException) -> None:
        reason = translate_message(exc.message) if isinstance(exc, OilSpillError) else str(exc)
        self.window.statusBar().showMessage(
            self.tr("The report was not saved: {reason}").format(reason=reason)
        )
