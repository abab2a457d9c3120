#!/usr/bin/env bash
# Set up (system libraries, .venv at requirements/lock.txt) and start Cairn. Extra arguments
# go to Cairn, e.g. `bash scripts/run.sh --data-dir ~/cairn-portable`.
source "$(dirname "$0")/_setup.sh"
install_debs $RUN_DEBS
setup_venv
exec "$VENV/bin/python" -m desktop_app "$@"
