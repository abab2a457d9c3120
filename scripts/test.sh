#!/usr/bin/env bash
# Set up (system libraries, .venv with the test extras) and run the whole test suite headless.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k streaming`.
source "$(dirname "$0")/_setup.sh"
install_debs $QT_DEBS
setup_venv "[test]"
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
echo "== layering (import-linter)"
"$VENV/bin/lint-imports" --no-cache
echo "== types of the core (mypy --strict)"
"$VENV/bin/mypy"
echo "== tests"
"$VENV/bin/python" -m pytest "$@"
