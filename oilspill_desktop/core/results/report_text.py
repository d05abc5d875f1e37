"""The words of ``report.html`` in English and Russian, and numbers as each language writes them.

The page is written by the core (into every results zip, with no Qt running), so it cannot
use Qt's translations; its few dozen sentences live here instead, with the plural rules of
both languages and a number formatter that follows what QLocale writes for ``en`` and
``ru`` (``43,908`` and ``1.05 %``; ``43 908`` with a no-break space and ``1,05 %``), so the
page and the window agree.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final

LANGUAGES: Final = ("en", "ru")
NBSP: Final = "\u00a0"


def report_language(setting: str, environ: Mapping[str, str] | None = None) -> str:
    """The page's language for the app's language setting (``en``, ``ru`` or ``system``).

    ``system`` is read from the locale variables, as the window's language is when Qt
    starts (``LANGUAGE``, then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``); anything but
    Russian is English, the language the app falls back to.
    """
    if setting in LANGUAGES:
        return setting
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "ru" if value.lower().startswith("ru") else "en"
    return "en"


class NumberFormat:
    """Integers, decimals and percentages as ``en`` or ``ru`` write them."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else "en"
        self._group = NBSP if self.language == "ru" else ","
        self._point = "," if self.language == "ru" else "."

    def integer(self, value: int) -> str:
        text = f"{abs(value):,}".replace(",", self._group)
        return f"-{text}" if value < 0 else text

    def decimal(self, value: float, digits: int) -> str:
        whole, _, fraction = f"{abs(value):,.{digits}f}".partition(".")
        text = whole.replace(",", self._group) + (self._point + fraction if fraction else "")
        return f"-{text}" if value < 0 and text.strip("0,." + NBSP) else text

    def percent(self, fraction: float, digits: int = 2) -> str:
        """``fraction`` (0..1) as a percentage, with a (no-break) space before the sign."""
        return f"{self.decimal(fraction * 100, digits)}{NBSP}%"


def plural_index(language: str, count: int) -> int:
    """Which plural form ``count`` takes: English one/other; Russian one/few/many."""
    if language != "ru":
        return 0 if count == 1 else 1
    tens, units = count % 100, count % 10
    if units == 1 and tens != 11:
        return 0
    if 2 <= units <= 4 and not 12 <= tens <= 14:
        return 1
    return 2


TEXTS: Final[dict[str, dict[str, str]]] = {
    "title": {"en": "Oil spill report: {name}", "ru": "Отчёт о разливах нефти: {name}"},
    "facts": {"en": "Survey", "ru": "Съёмка"},
    "input": {"en": "Input", "ru": "Входной архив"},
    "size": {"en": "Size", "ru": "Размер"},
    "sha256": {"en": "SHA-256", "ru": "SHA-256"},
    "engine": {"en": "Engine", "ru": "Движок"},
    "started": {"en": "Started", "ru": "Начато"},
    "finished": {"en": "Finished", "ru": "Закончено"},
    "images": {"en": "Images", "ru": "Снимки"},
    "oil_share": {"en": "Oil share of the imaged area", "ru": "Доля нефти в снятой площади"},
    "written": {"en": "Written by {app} {version}", "ru": "Создано программой {app} {version}"},
    "engine.model": {
        "en": "learned model {name} (offline)",
        "ru": "обученная модель {name} (офлайн)",
    },
    "engine.classical": {
        "en": "classical dark-spot detector (offline)",
        "ru": "классический детектор тёмных пятен (офлайн)",
    },
    "engine.endpoint": {"en": "ML endpoint {url}", "ru": "ML-сервис {url}"},
    "oil_heading": {"en": "Images with oil", "ru": "Снимки с нефтью"},
    "oil_intro": {
        "en": "Sorted by oil share, largest first.",
        "ru": "По доле нефти, начиная с наибольшей.",
    },
    "no_oil": {"en": "No image holds oil.", "ru": "Ни на одном снимке нет нефти."},
    "col.picture": {"en": "Overlay", "ru": "Наложение"},
    "col.image": {"en": "Image", "ru": "Снимок"},
    "col.share": {"en": "Oil share", "ru": "Доля нефти"},
    "col.pixels": {"en": "Oil pixels", "ru": "Пикселей нефти"},
    "col.size": {"en": "Size", "ru": "Размер"},
    "col.verdict": {"en": "Verdict", "ru": "Заключение"},
    "col.note": {"en": "Note", "ru": "Примечание"},
    "col.reason": {"en": "Reason", "ru": "Причина"},
    "no_picture": {"en": "no picture", "ru": "нет картинки"},
    "pixels_size": {"en": "{w} × {h}", "ru": "{w} × {h}"},
    "failed_heading": {"en": "Failed images", "ru": "Снимки с ошибками"},
    "review_heading": {"en": "Analyst's review", "ru": "Проверка аналитиком"},
    "review.none": {
        "en": "No verdicts are recorded in this file: it was written when the job ended. "
        "Verdicts are given in the mask viewer (keys 1, 2, 3) and written by its "
        "File → Export report.",
        "ru": "В этом файле нет заключений: он записан по окончании задания. Заключения "
        "выносятся в просмотрщике масок (клавиши 1, 2, 3) и записываются его командой "
        "Файл → Экспорт отчёта.",
    },
    "verdict.confirmed_oil": {"en": "confirmed oil", "ru": "нефть подтверждена"},
    "verdict.look_alike": {"en": "look-alike", "ru": "ложный разлив"},
    "verdict.unsure": {"en": "unsure", "ru": "не ясно"},
    "verdict.none": {"en": "not reviewed", "ru": "не проверено"},
    "counts": {
        "en": "succeeded: {ok}, failed: {failed}, other files skipped: {skipped}",
        "ru": "успешно: {ok}, с ошибкой: {failed}, пропущено других файлов: {skipped}",
    },
    "reviewed": {
        "en": "Reviewed: {n} of {total} images with oil.",
        "ru": "Проверено снимков с нефтью: {n} из {total}.",
    },
    "footer": {
        "en": "Oil shares are of each image's pixels. Detections are the engine's; "
        "verdicts, where given, are the analyst's.",
        "ru": "Доля нефти указана от пикселей каждого снимка. Обнаружения сделаны "
        "движком; заключения, где они есть, вынесены аналитиком.",
    },
}
"""Every sentence of the page, by key, in both languages."""

PLURALS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "images": {
        "en": ("{n} image", "{n} images"),
        "ru": ("{n} снимок", "{n} снимка", "{n} снимков"),
    },
    "with_oil": {
        "en": ("{n} image with oil", "{n} images with oil"),
        "ru": ("{n} снимок с нефтью", "{n} снимка с нефтью", "{n} снимков с нефтью"),
    },
}
"""Sentences with a count, one form per plural form of the language."""


class ReportText:
    """The catalogue in one language: ``text(key)``, ``plural(key, count)`` and numbers."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else "en"
        self.numbers = NumberFormat(self.language)

    def text(self, key: str, **params: object) -> str:
        return TEXTS[key][self.language].format(**params)

    def plural(self, key: str, count: int, **params: object) -> str:
        forms = PLURALS[key][self.language]
        form = forms[min(plural_index(self.language, count), len(forms) - 1)]
        return form.format(n=self.numbers.integer(count), **params)
