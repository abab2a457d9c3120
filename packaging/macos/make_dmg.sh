#!/usr/bin/env bash
# Make the macOS disk image dist/Cairn-<version>-macos-<arch>.dmg from dist/Cairn.app
# (built by `python packaging/build.py` on a Mac). The image holds Cairn.app and a link to
# /Applications to drag it onto. The app is not notarised: on first start, Control-click it
# and choose Open (or: xattr -dr com.apple.quarantine /Applications/Cairn.app).
set -euo pipefail
cd "$(dirname "$0")/../.."

APP="dist/Cairn.app"
VERSION="${1:-$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' desktop_app/__init__.py)}"
ARCH="$(uname -m)"
OUT="dist/Cairn-${VERSION}-macos-${ARCH}.dmg"

[ -d "$APP" ] || { echo "$APP not found: run python packaging/build.py first" >&2; exit 1; }
[ -n "$VERSION" ] || { echo "no version given or found" >&2; exit 1; }

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
ditto "$APP" "$STAGE/Cairn.app"          # keeps symlinks, permissions and the signature
ln -s /Applications "$STAGE/Applications"

rm -f "$OUT"
# hdiutil sometimes fails with "Resource busy" on CI machines: try a few times.
for attempt in 1 2 3; do
    if hdiutil create -volname "Cairn ${VERSION}" -srcfolder "$STAGE" -fs HFS+ \
            -format UDZO -ov "$OUT"; then
        break
    fi
    [ "$attempt" -eq 3 ] && exit 1
    echo "hdiutil failed (attempt $attempt), retrying" >&2
    sleep 5
done
hdiutil verify "$OUT"
echo "$OUT"
