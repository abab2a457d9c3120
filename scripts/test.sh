#!/usr/bin/env bash
# Set up (system libraries, .venv at requirements/lock.txt) and run the whole test suite headless.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k streaming`.
source "$(dirname "$0")/_setup.sh"
install_debs $TEST_DEBS
setup_venv
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
# In CI (root): also build the .deb, install it, open it on Xvfb and remove it (about 70 s).
if [ "${CI:-}" = "true" ]; then export CAIRN_TEST_PACKAGING="${CAIRN_TEST_PACKAGING:-1}"; fi
echo "== layering (import-linter)"
"$VENV/bin/lint-imports" --no-cache
echo "== types of the core (mypy --strict)"
"$VENV/bin/mypy"
echo "== tests"
"$VENV/bin/python" -m pytest "$@"
