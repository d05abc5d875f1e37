"""Translations: pick the language (setting or system locale) and install Qt translators.

English is the source language; its small catalogue only spells plurals ("1 job",
"2 jobs"). Russian installs the app's catalogue plus Qt's own (so standard buttons such
as Yes/No/Cancel read Russian too).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ..core.config.resources import resources_root

log = logging.getLogger(__name__)

NATIVE_NAMES = {"en": "English", "ru": "Русский"}
"""Language names as their readers write them; shown untranslated, as is usual."""

SUPPORTED = ("en", "ru")
CATALOGUE = "oilspill_desktop"

_installed: list[QTranslator] = []


def resolve_language(setting: str, system: QLocale | None = None) -> str:
    """The language code to use: the setting, or the system's if we ship it, else English."""
    if setting in SUPPORTED:
        return setting
    locale = system or QLocale.system()
    for name in locale.uiLanguages():
        code = name.replace("-", "_").split("_")[0].lower()
        if code in SUPPORTED:
            return code
    return "en"


def catalogue_path(language: str) -> Path:
    return resources_root() / "i18n" / f"{CATALOGUE}_{language}.qm"


def install_translators(app: QCoreApplication, setting: str) -> str:
    """Install the translators for ``setting``; return the language code now in use."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = resolve_language(setting)
    own = QTranslator(app)
    if own.load(str(catalogue_path(language))):
        app.installTranslator(own)
        _installed.append(own)
    elif language != "en":
        log.warning(
            "The %s translation is missing (%s); using English", language, catalogue_path(language)
        )
        language = "en"
    else:
        log.warning("The English plural forms are missing (%s)", catalogue_path(language))
    if language == "en":
        # English is the source language; its catalogue only holds plural forms.
        QLocale.setDefault(QLocale(QLocale.Language.English))
        return language
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{language}", qt_folder):
        app.installTranslator(qt_translator)
        _installed.append(qt_translator)
    QLocale.setDefault(QLocale(language))
    return language
