#!/usr/bin/env bash
# The project's checks: lint, types, architecture, dead code, then the whole test suite
# headless and in parallel, with a coverage floor for the Qt-free core.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# Layering (contracts in pyproject.toml): core imports no Qt and nothing above it, etc.
.venv/bin/lint-imports
# Size limits: no ui/ file over 500 lines, no function over 60 (allow-list inside).
.venv/bin/python scripts/check_sizes.py
# Dead code; every name vulture cannot see used is in the whitelist with the reason.
.venv/bin/vulture oilspill_desktop scripts/vulture_whitelist.py --min-confidence 60
.venv/bin/python -m pytest -n 2 --cov=oilspill_desktop.core --cov-report=term:skip-covered \
    --cov-fail-under="${OILSPILL_CORE_COVERAGE:-90}" "$@"
