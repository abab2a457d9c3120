"""`python -m desktop_app`: start Cairn."""

import sys

from desktop_app.app import main

# Guarded: the formula typesetter's worker process (multiprocessing, "spawn") imports the
# main module again, and must not start a second Cairn.
if __name__ == "__main__":
    sys.exit(main())
