"""PyInstaller entry point for Cairn (see cairn.spec): the same as the `cairn` script."""

import multiprocessing
import sys

from desktop_app.app import main

if __name__ == "__main__":
    # A frozen app starts its worker processes (the formula typesetter's) as itself:
    # this runs the worker instead of the app in them.
    multiprocessing.freeze_support()
    sys.exit(main())
