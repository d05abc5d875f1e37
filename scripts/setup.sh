#!/usr/bin/env bash
# Install everything Oil Spill Desktop needs on Debian/Ubuntu: Qt's system libraries, a
# font, Xvfb (for machines without a display), and a virtual environment in .venv with the
# app and its test tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

QT_RUNTIME="libegl1 libgl1 libglx0 libglvnd0 libxkbcommon0 libfontconfig1 libfreetype6 \
libdbus-1-3 libglib2.0-0 libx11-6 libgssapi-krb5-2 fonts-dejavu-core openssl"
QT_XCB="xvfb xauth libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0 \
libxcb-sync1 libxcb-xfixes0 libxcb-xkb1 libxcb-glx0 libxcb-util1"
# GDAL's own command-line readers (ogrinfo, gdalinfo): the tests check the GeoJSON and
# GeoPackage outputs with them. The app never runs them (rasterio's wheel carries GDAL).
GIS_TOOLS="gdal-bin"
EXTRA="${OILSPILL_EXTRA_APT:-}"

if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $QT_RUNTIME $QT_XCB $GIS_TOOLS $EXTRA >/dev/null
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
echo "setup: done ($(.venv/bin/oilspill-desktop --version))"
