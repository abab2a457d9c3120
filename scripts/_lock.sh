# Shared by scripts/upgrade-lock.sh and scripts/test-newest.sh: uv, installed from PyPI at the
# version and hashes in requirements/uv.txt into .venv-uv (so it needs only Python and pip),
# and the one resolution of Cairn's dependencies that both use. Sourced, not run.
#
# The lock is universal: one file for Linux, Windows and macOS and every Python from the lowest
# that pyproject.toml's requires-python allows (environment markers select what each needs),
# with the hashes of every file of every pinned version.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
UV_VENV="$ROOT/.venv-uv"
LOCK="$ROOT/requirements/lock.txt"
UV_LOCK="$ROOT/requirements/uv.txt"

ensure_uv() {
  if [ ! -x "$UV_VENV/bin/python" ]; then
    "$PYTHON" -m venv "$UV_VENV"
  fi
  "$UV_VENV/bin/python" -m pip install -q --require-hashes -r "$UV_LOCK"
  UV="$UV_VENV/bin/uv"
}

lowest_python() {
  # "3.11" from pyproject.toml's requires-python = ">=3.11".
  sed -n 's/^requires-python *= *">=\([0-9][0-9.]*\)".*/\1/p' "$ROOT/pyproject.toml"
}

compile_lock() {
  # $1: the file to write; $2: the command its header names; the rest: uv options
  # (--upgrade for the newest versions; none to keep the versions already in $1).
  local output="$1" header="$2"
  shift 2
  local python_version
  python_version="$(lowest_python)"
  if [ -z "$python_version" ]; then
    echo "no requires-python = \">=X.Y\" in pyproject.toml" >&2
    return 1
  fi
  (cd "$ROOT" && "$UV" pip compile --quiet pyproject.toml requirements/lock.in \
    --extra test --extra build --universal --python-version "$python_version" \
    --generate-hashes --custom-compile-command "$header" --output-file "$output" "$@")
}

compile_uv_lock() {
  # requirements/uv.txt: uv itself (its wheels for every system), newest version.
  (cd "$ROOT" && echo "uv" | "$UV" pip compile --quiet - --universal --generate-hashes \
    --no-annotate --custom-compile-command "bash scripts/upgrade-lock.sh" \
    --output-file "$UV_LOCK" --upgrade)
}

lock_changes() {
  # What differs between two lock files, one package a line ("anthropic 2.16.0 -> 2.17.0").
  "$PYTHON" - "$1" "$2" <<'PY'
import re, sys
def pins(path):
    found = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)", line)
        if m:
            found.setdefault(m.group(1).lower(), set()).add(m.group(2))
    return {name: ", ".join(sorted(v)) for name, v in found.items()}
old, new = pins(sys.argv[1]), pins(sys.argv[2])
lines = []
for name in sorted(old.keys() | new.keys()):
    if name not in new:
        lines.append(f"  - {name} {old[name]} (no longer needed)")
    elif name not in old:
        lines.append(f"  + {name} {new[name]} (new)")
    elif old[name] != new[name]:
        lines.append(f"    {name} {old[name]} -> {new[name]}")
print("\n".join(lines) if lines else "  (no change)")
PY
}
