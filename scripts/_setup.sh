# Shared set-up for scripts/run.sh and scripts/test.sh: system libraries Qt needs, then a
# virtual environment in .venv holding exactly requirements/lock.txt and Cairn. Sourced, not run.
# CAIRN_VENV and CAIRN_LOCK name another environment and lock (scripts/test-newest.sh does).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CAIRN_VENV:-$ROOT/.venv}"
LOCK="${CAIRN_LOCK:-$ROOT/requirements/lock.txt}"
PYTHON="${PYTHON:-python3}"

# Debian/Ubuntu packages Qt needs even offscreen, plus what a real X11 window needs.
QT_DEBS="libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 \
libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 \
libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-util1 libxcb-randr0 \
libxcb-render0 libxcb-shm0 libxcb-sync1 libxcb-xfixes0 fonts-wqy-microhei"
# What scripts/run.sh and scripts/test.sh install (the weekly workflow reads TEST_DEBS).
RUN_DEBS="$QT_DEBS dbus gnome-keyring"
TEST_DEBS="$QT_DEBS xvfb xauth xdotool x11-utils desktop-file-utils appstream dbus gnome-keyring"

install_debs() {
  # Installs the missing ones among "$@" when we can (root with apt-get); otherwise says which.
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages (install them with apt): ${missing[*]}" >&2
  fi
}

setup_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
  fi
  # The lock's versions, hashes checked, pip's own included (no unpinned `pip install --upgrade
  # pip`); what the lock does not name is removed; then Cairn (editable, test and build extras),
  # which fails if pyproject.toml asks for something the lock lacks. One lock, one .venv: run.sh
  # and test.sh leave it the same.
  "$VENV/bin/python" "$ROOT/scripts/install_lock.py" --lock "$LOCK" --sync
  # The translations' .qm files are built, not committed (without them Cairn is English).
  VENV_BIN="$VENV/bin" bash "$ROOT/scripts/update_translations.sh" --compile
  # Bytecode, as an installed app has it: where PYTHONDONTWRITEBYTECODE is set, Python would
  # otherwise compile every module again at each start (about 150 ms of Cairn's start-up).
  "$VENV/bin/python" -m compileall -q "$ROOT/desktop_app" >/dev/null
}
