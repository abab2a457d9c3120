#!/usr/bin/env bash
# The whole suite (the same steps as scripts/test.sh) against the newest versions that
# pyproject.toml's ranges allow today, in its own environment .venv-newest: .venv and
# requirements/lock.txt are not touched. Shows first how those versions differ from the lock.
# The weekly workflow .github/workflows/newest-versions.yml runs it, so that a release that
# breaks Cairn is seen the week it comes out. Extra arguments go to pytest.
source "$(dirname "$0")/_lock.sh"
ensure_uv

NEWEST_VENV="$ROOT/.venv-newest"
NEWEST_LOCK="$NEWEST_VENV/requirements-newest.txt"
mkdir -p "$NEWEST_VENV"
compile_lock "$NEWEST_LOCK" "bash scripts/test-newest.sh" --upgrade
echo "== newest versions allowed, against requirements/lock.txt"
lock_changes "$LOCK" "$NEWEST_LOCK"

CAIRN_VENV="$NEWEST_VENV" CAIRN_LOCK="$NEWEST_LOCK" exec bash "$ROOT/scripts/test.sh" "$@"
