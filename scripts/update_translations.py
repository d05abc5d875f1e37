"""Bring resources/i18n/*.ts up to date with the code and rebuild the .qm files.

``pyside6-lupdate`` files each ``self.tr`` string under its class, so moving code to
another class would orphan its translations. This runs lupdate into a scratch file,
then writes each .ts afresh in lupdate's order: a message keeps the translation it had
in the same context, else the one of the same text (and comment, and plural kind) in
any context it had before; new texts are marked unfinished. Then ``pyside6-lrelease``.

Usage: ``.venv/bin/python scripts/update_translations.py`` from the repository root.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
BIN = Path(sys.executable).parent

Key = tuple[str, str, bool]


def _key(message: ET.Element) -> Key:
    return (
        message.findtext("source") or "",
        message.findtext("comment") or "",
        message.get("numerus") == "yes",
    )


def _escape(text: str) -> str:
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        text = text.replace(raw, entity)
    return text.replace("'", "&apos;")


def _translation_xml(translation: ET.Element | None) -> list[str]:
    if translation is None or translation.get("type") == "unfinished":
        forms = [] if translation is None else translation.findall("numerusform")
        if forms:
            inner = "".join(
                f"\n            <numerusform>{_escape(f.text or '')}</numerusform>" for f in forms
            )
            return [f'        <translation type="unfinished">{inner}\n        </translation>']
        text = "" if translation is None else _escape(translation.text or "")
        return [f'        <translation type="unfinished">{text}</translation>']
    forms = translation.findall("numerusform")
    if forms:
        lines = ["        <translation>"]
        lines += [f"            <numerusform>{_escape(f.text or '')}</numerusform>" for f in forms]
        return [*lines, "        </translation>"]
    return [f"        <translation>{_escape(translation.text or '')}</translation>"]


def _write(path: Path, language: str, fresh: ET.Element, old: ET.Element) -> list[str]:
    by_context: dict[tuple[str, Key], ET.Element] = {}
    by_text: dict[Key, ET.Element] = {}
    for context in old.findall("context"):
        name = context.findtext("name") or ""
        for message in context.findall("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") == "unfinished":
                continue
            by_context[(name, _key(message))] = translation
            by_text.setdefault(_key(message), translation)
    missing: list[str] = []
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>"]
    lines.append(f'<TS version="2.1" language="{language}">')
    plurals_only = language == "en"  # English needs only its plural forms
    for context in sorted(fresh.findall("context"), key=lambda c: c.findtext("name") or ""):
        name = context.findtext("name") or ""
        messages = [m for m in context.findall("message") if not plurals_only or _key(m)[2]]
        if not messages:
            continue
        lines += ["<context>", f"    <name>{_escape(name)}</name>"]
        for message in messages:
            key = _key(message)
            translation = by_context.get((name, key)) or by_text.get(key)
            if translation is None:
                missing.append(f"{name}: {key[0]}")
            numerus = ' numerus="yes"' if key[2] else ""
            lines.append(f"    <message{numerus}>")
            lines.append(f"        <source>{_escape(key[0])}</source>")
            if key[1]:
                lines.append(f"        <comment>{_escape(key[1])}</comment>")
            lines += _translation_xml(translation)
            lines.append("    </message>")
        lines.append("</context>")
    lines.append("</TS>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return missing


def main() -> int:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "oilspill_desktop").rglob("*.py"))
    status = 0
    for ts in sorted(I18N.glob("*.ts")):
        old = ET.parse(ts).getroot()
        language = old.get("language") or ""
        with tempfile.TemporaryDirectory() as scratch:
            fresh_path = Path(scratch) / ts.name
            subprocess.run(
                [
                    BIN / "pyside6-lupdate",
                    *sources,
                    "-locations",
                    "none",
                    "-no-obsolete",
                    "-target-language",
                    language,
                    "-ts",
                    str(fresh_path),
                ],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            fresh = ET.parse(fresh_path).getroot()
        missing = _write(ts, language, fresh, old)
        for text in missing:
            print(f"{ts.name}: untranslated: {text}")
            status = 1
    for ts in sorted(I18N.glob("*.ts")):
        subprocess.run(
            [BIN / "pyside6-lrelease", str(ts), "-qm", str(ts.with_suffix(".qm"))],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    return status


if __name__ == "__main__":
    raise SystemExit(main())
