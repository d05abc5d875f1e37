#!/usr/bin/env bash
# Make dist/oilspill-desktop_<version>_<arch>.deb from the one-folder bundle.
#
#   packaging/linux/make_deb.sh BUNDLE_DIR VERSION OUT_DIR
#
# Layout: the bundle in /opt/oilspill-desktop, the command /usr/bin/oilspill-desktop (a
# symlink; PyInstaller's loader resolves it to find its files), the menu entry with its
# MIME types ("Open with" on zip archives) and the scalable icon. Depends lists what the
# bundle deliberately leaves to the system (see the spec's SYSTEM_PROVIDED) and the
# oldest glibc the bundle's binaries accept, read from their symbol versions.
# Environment: XZ_LEVEL (default 3), DEBFULLNAME and DEBEMAIL for the Maintainer field.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
if [ $# -ne 3 ]; then
    echo "usage: $0 BUNDLE_DIR VERSION OUT_DIR" >&2
    exit 2
fi
BUNDLE=$(cd "$1" && pwd)
VERSION=$2
OUT=$(mkdir -p "$3" && cd "$3" && pwd)
NAME=oilspill-desktop
ARCH=$(dpkg --print-architecture)
MAINTAINER="${DEBFULLNAME:-Oil Spill Desktop developers} <${DEBEMAIL:-oilspill-desktop@example.invalid}>"

[ -x "$BUNDLE/$NAME" ] || { echo "make_deb: $BUNDLE/$NAME is not a built program" >&2; exit 2; }

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
ROOT="$STAGE/$NAME"
install -d -m 755 "$ROOT/DEBIAN" "$ROOT/opt" "$ROOT/usr/bin" "$ROOT/usr/share/applications" \
    "$ROOT/usr/share/icons/hicolor/scalable/apps"
cp -a "$BUNDLE" "$ROOT/opt/$NAME"
chmod -R u=rwX,go=rX "$ROOT/opt/$NAME"
ln -s "/opt/$NAME/$NAME" "$ROOT/usr/bin/$NAME"
install -m 644 "$HERE/$NAME.desktop" "$ROOT/usr/share/applications/$NAME.desktop"
install -m 644 "$REPO/resources/icons/app.svg" "$ROOT/usr/share/icons/hicolor/scalable/apps/$NAME.svg"
install -m 755 "$HERE/postinst" "$HERE/postrm" "$ROOT/DEBIAN/"

# Debian keeps each package's licences in /usr/share/doc/<package>/copyright: ours, and
# where the bundle's third-party notices (Qt's LGPL among them) are.
NOTICES=$(cd "$ROOT/opt/$NAME" && find . -name THIRD-PARTY-NOTICES.txt -print -quit)
[ -n "$NOTICES" ] || { echo "make_deb: the bundle has no THIRD-PARTY-NOTICES.txt" >&2; exit 1; }
install -d -m 755 "$ROOT/usr/share/doc/$NAME"
{
    echo "Oil Spill Desktop is under the MIT licence below."
    echo "The third-party software it carries, and their licences, are listed in"
    echo "/opt/$NAME/${NOTICES#./}, beside the licence texts."
    echo
    cat "$REPO/LICENSE"
} > "$ROOT/usr/share/doc/$NAME/copyright"
chmod 644 "$ROOT/usr/share/doc/$NAME/copyright"

# The newest glibc symbol version any bundled binary asks for is the oldest glibc it runs on.
GLIBC=$(find "$ROOT/opt/$NAME" -type f \( -name '*.so*' -o -perm -u+x \) -print0 \
    | xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV | tail -n 1 \
    | cut -d_ -f2)
[ -n "$GLIBC" ] || { echo "make_deb: could not read the glibc version (objdump)" >&2; exit 1; }
DEPENDS="libc6 (>= $GLIBC), libstdc++6, libgcc-s1, libegl1, libgl1, libxcb1, libfontconfig1, \
libfreetype6, libdbus-1-3, fonts-dejavu-core | fonts-liberation2 | fonts-noto-core | fonts-freefont-ttf"
INSTALLED_SIZE=$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)

shopt -u patsub_replacement 2>/dev/null || true  # bash 5.2: keep "&" literal below
control=$(<"$HERE/control.in")
control=${control//@VERSION@/$VERSION}
control=${control//@ARCH@/$ARCH}
control=${control//@MAINTAINER@/$MAINTAINER}
control=${control//@INSTALLED_SIZE@/$INSTALLED_SIZE}
control=${control//@DEPENDS@/$DEPENDS}
printf '%s\n' "$control" > "$ROOT/DEBIAN/control"
chmod 644 "$ROOT/DEBIAN/control"

DEB="$OUT/${NAME}_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz "-z${XZ_LEVEL:-3}" --build "$ROOT" "$DEB" >/dev/null
echo "$DEB"
