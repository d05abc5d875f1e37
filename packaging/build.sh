#!/usr/bin/env bash
# Build Oil Spill Desktop for field deployment (Linux and macOS; Windows: build.ps1).
#
#   packaging/build.sh [--bundle-only] [--clean]
#
# 1. PyInstaller makes the one-folder bundle dist/oilspill-desktop/ (program inside:
#    oilspill-desktop), following packaging/oilspill-desktop.spec.
# 2. The installers, in dist/:
#    Linux  oilspill-desktop-<version>-linux-<machine>.tar.gz and oilspill-desktop_<version>_<arch>.deb
#    macOS  "Oil Spill Desktop.app" (made by the spec) and oilspill-desktop-<version>-macos-<machine>.dmg
# 3. The figures (packaging/figures.py), checked against the targets: bundle size
#    (< 257.5 MB), installer sizes (< 110 MB each) and the frozen program's time from start
#    to window shown (< 2 s, best of three offscreen starts). Exits 1 if a target is
#    missed (OILSPILL_TARGETS=report only prints).
#
# Environment: PYTHON (default .venv/bin/python, else python3) must have the app's
# dependencies and PyInstaller (pip install -e '.[build]'); XZ_LEVEL (default 3; 9 makes
# installers ~10% smaller, three times slower); DEBFULLNAME/DEBEMAIL for the .deb.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
NAME=oilspill-desktop
BUNDLE_ONLY=0
CLEAN=()
for arg in "$@"; do
    case "$arg" in
        --bundle-only) BUNDLE_ONLY=1 ;;
        --clean) CLEAN=(--clean) ;;
        -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' \
            "$REPO/packaging/build.sh"; exit 0 ;;
        *) echo "build.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
    esac
done

if [ -z "${PYTHON:-}" ]; then
    if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
export XZ_LEVEL="${XZ_LEVEL:-3}"
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' oilspill_desktop/__init__.py)
OS=$(uname -s)
MACHINE=$(uname -m)
DIST="$REPO/dist"
BUNDLE="$DIST/$NAME"
INSTALLERS=()

echo "== PyInstaller: $NAME $VERSION with $("$PYTHON" -c 'import sys; print(sys.executable)')"
SECONDS=0
"$PYTHON" -m PyInstaller --noconfirm ${CLEAN[@]+"${CLEAN[@]}"} --log-level WARN \
    --distpath "$DIST" --workpath "$REPO/build/pyinstaller" packaging/oilspill-desktop.spec
echo "   bundle built in $SECONDS s: $BUNDLE"

if [ "$BUNDLE_ONLY" = 0 ]; then
    case "$OS" in
        Linux)
            SECONDS=0
            TARBALL="$DIST/$NAME-$VERSION-linux-$MACHINE.tar.gz"
            tar -C "$DIST" --sort=name --owner=0 --group=0 --numeric-owner -cf - "$NAME" \
                | gzip -9 > "$TARBALL.part"
            mv "$TARBALL.part" "$TARBALL"
            INSTALLERS+=("$TARBALL")
            echo "== tarball in $SECONDS s: $TARBALL"
            if command -v dpkg-deb >/dev/null 2>&1; then
                SECONDS=0
                DEB=$(bash packaging/linux/make_deb.sh "$BUNDLE" "$VERSION" "$DIST")
                INSTALLERS+=("$DEB")
                echo "== .deb in $SECONDS s: $DEB"
            else
                echo "== .deb skipped: dpkg-deb is not installed"
            fi
            ;;
        Darwin)
            SECONDS=0
            DMG=$(bash packaging/macos/make_dmg.sh "$DIST/Oil Spill Desktop.app" "$VERSION" "$DIST")
            INSTALLERS+=("$DMG")
            echo "== disk image in $SECONDS s: $DMG"
            ;;
        *) echo "== no installer for $OS here (Windows: packaging/build.ps1)" ;;
    esac
fi

echo
"$PYTHON" packaging/figures.py "$BUNDLE" ${INSTALLERS[@]+"${INSTALLERS[@]}"}
