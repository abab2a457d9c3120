#!/usr/bin/env bash
# Refresh requirements/lock.txt: the newest versions that pyproject.toml's ranges allow, for
# every system, with their hashes (and requirements/uv.txt, the uv this script runs). Needs
# only Python and the package registry: uv comes from PyPI into .venv-uv.
#
#   bash scripts/upgrade-lock.sh                 # everything to the newest allowed
#   bash scripts/upgrade-lock.sh --keep          # after editing pyproject.toml: change only
#                                                # what the new ranges require
#   bash scripts/upgrade-lock.sh -P anthropic    # only that package (any `uv pip compile` options)
#
# Then run the suite on the result before committing it: `bash scripts/test.sh` brings .venv
# to the new lock first.
source "$(dirname "$0")/_lock.sh"
ensure_uv

before="$(mktemp)"
trap 'rm -f "$before"' EXIT
cp "$LOCK" "$before" 2>/dev/null || : >"$before"

case "${1:-}" in
  "") options=(--upgrade) ;;
  --keep) options=() ;;
  *) options=("$@") ;;
esac
compile_lock "$LOCK" "bash scripts/upgrade-lock.sh" ${options[@]+"${options[@]}"}
if [ $# -eq 0 ]; then
  compile_uv_lock
fi

echo "requirements/lock.txt:"
lock_changes "$before" "$LOCK"
echo "Now run the suite on it: bash scripts/test.sh (then commit requirements/)"
