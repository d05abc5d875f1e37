#!/usr/bin/env bash
# Make the macOS disk image from the .app that PyInstaller built (see the spec's BUNDLE).
#
#   packaging/macos/make_dmg.sh "dist/Oil Spill Desktop.app" VERSION OUT_DIR
#
# The image holds the app and a link to /Applications, to drag it onto; it is compressed
# with LZMA (ULMO, macOS 10.15 and later; the app itself needs macOS 11). The app is only
# ad-hoc signed by PyInstaller: on first start, Finder asks to confirm (right-click > Open),
# unless it is signed with a Developer ID and notarized, which needs Apple credentials:
#   codesign --deep --force --options runtime --sign "Developer ID Application: ..." APP
#   xcrun notarytool submit DMG --keychain-profile ... --wait && xcrun stapler staple DMG
set -euo pipefail
if [ $# -ne 3 ]; then
    echo "usage: $0 APP VERSION OUT_DIR" >&2
    exit 2
fi
APP=$1
VERSION=$2
OUT=$(mkdir -p "$3" && cd "$3" && pwd)
[ -d "$APP/Contents/MacOS" ] || { echo "make_dmg: $APP is not an app bundle" >&2; exit 2; }

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
ditto "$APP" "$STAGE/$(basename "$APP")"
ln -s /Applications "$STAGE/Applications"

DMG="$OUT/oilspill-desktop-$VERSION-macos-$(uname -m).dmg"
rm -f "$DMG"
hdiutil create -quiet -volname "Oil Spill Desktop $VERSION" -srcfolder "$STAGE" \
    -fs HFS+ -format ULMO -ov "$DMG"
echo "$DMG"
