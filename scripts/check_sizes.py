"""Fail when a file under ``oilspill_desktop/ui/`` passes 500 lines or a function passes 60.

Long files and long functions are where one concern grows into several unnoticed; the
limits make that visible at review time. Anything that cannot reasonably be split is in
:data:`ALLOWED` with the reason, so an exception is a decision, not an accident.

Usage: ``python scripts/check_sizes.py`` (from anywhere); exit status 1 on a breach.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "oilspill_desktop"
UI = PACKAGE / "ui"
MAX_UI_FILE_LINES = 500
MAX_FUNCTION_LINES = 60

ALLOWED: dict[str, str] = {
    "oilspill_desktop/ui/core_messages.py:CoreMessages.sources": (
        "a table of every core message as a translatable literal, for lupdate to see; "
        "splitting it would only scatter the table"
    ),
}
"""``path:qualified.name`` (or a path alone, for a file) and why it may stay long."""


def _functions(tree: ast.AST, prefix: str = "") -> list[tuple[str, int]]:
    """Every function and method in ``tree`` as ``(qualified name, lines)``."""
    found: list[tuple[str, int]] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = prefix + node.name
            found.append((name, (node.end_lineno or node.lineno) - node.lineno + 1))
            found.extend(_functions(node, name + "."))
        elif isinstance(node, ast.ClassDef):
            found.extend(_functions(node, prefix + node.name + "."))
        else:
            found.extend(_functions(node, prefix))
    return found


def breaches(package: Path = PACKAGE) -> list[str]:
    """What is too long and not allowed, one line each."""
    problems: list[str] = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if path.is_relative_to(UI) and lines > MAX_UI_FILE_LINES and relative not in ALLOWED:
            problems.append(f"{relative}: {lines} lines (at most {MAX_UI_FILE_LINES} in ui/)")
        for name, length in _functions(ast.parse(text, filename=str(path))):
            if length > MAX_FUNCTION_LINES and f"{relative}:{name}" not in ALLOWED:
                problems.append(
                    f"{relative}: {name} is {length} lines (at most {MAX_FUNCTION_LINES})"
                )
    return problems


def stale(package: Path = PACKAGE) -> list[str]:
    """Allow-list entries that name nothing long any more: each must keep earning its place."""
    long: set[str] = set()
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_UI_FILE_LINES:
            long.add(relative)
        long.update(
            f"{relative}:{name}"
            for name, length in _functions(ast.parse(text))
            if length > MAX_FUNCTION_LINES
        )
    return [f"{entry}: allowed but no longer too long" for entry in ALLOWED if entry not in long]


def main() -> int:
    problems = breaches() + stale()
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
