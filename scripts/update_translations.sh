#!/usr/bin/env bash
# Refresh the translation sources from the code, then compile them.
#
#   bash scripts/update_translations.sh             # lupdate + lrelease
#   bash scripts/update_translations.sh --compile   # lrelease only (set-up and builds)
#   bash scripts/update_translations.sh resources/translations/cairn_ja.ts  # a new language
#
# lupdate reads every .py file under desktop_app/ and updates resources/translations/*.ts:
# existing translations are kept, new strings come in as "unfinished", strings no longer in
# the code are dropped. Translate the unfinished ones (Qt Linguist: pyside6-linguist, or by
# hand in the XML), then run this again; tests/gui/test_language.py fails while any string is
# left untranslated. lrelease compiles each .ts to the .qm next to it (not committed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${VENV_BIN:-$ROOT/.venv/bin}"
LUPDATE="$BIN/pyside6-lupdate"
LRELEASE="$BIN/pyside6-lrelease"
[ -x "$LRELEASE" ] || LRELEASE="$(command -v pyside6-lrelease)"
[ -x "$LUPDATE" ] || LUPDATE="$(command -v pyside6-lupdate)"
cd "$ROOT"

shopt -s nullglob
compile_only=false
catalogs=(resources/translations/*.ts)
for arg in "$@"; do
  case "$arg" in
    --compile) compile_only=true ;;
    *.ts) [ -e "$arg" ] || catalogs+=("$arg") ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done
if [ ${#catalogs[@]} -eq 0 ]; then
  echo "no resources/translations/*.ts" >&2
  exit 1
fi

if [ "$compile_only" = false ]; then
  mapfile -t sources < <(find desktop_app -name '*.py' -not -path '*/__pycache__/*' | LC_ALL=C sort)
  # No line numbers: the .ts changes only when a string does.
  "$LUPDATE" -silent -no-obsolete -locations none -source-language en "${sources[@]}" \
    -ts "${catalogs[@]}"
  for ts in "${catalogs[@]}"; do
    left="$(grep -c 'type="unfinished"' "$ts" || true)"
    [ "$left" -eq 0 ] || echo "$ts: $left string(s) to translate"
  done
fi

for ts in "${catalogs[@]}"; do
  "$LRELEASE" -silent "$ts" -qm "${ts%.ts}.qm"
done
