"""Starting Cairn again ("Restart now" after choosing a language in Settings).

The window first shuts down the normal way (replies saved, files written, the data folder's
single-instance lock released); only then does ``app.main`` run the same command again, with
the same arguments, so the new Cairn finds its settings on disk and the folder free.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable


class RestartRequest:
    """Whether a restart was asked for. Asking closes the window (with ``close_window``, the
    window's own way to quit); ``app.main`` restarts once it has closed.

    Attributes:
        requested: a restart was asked for.
    """

    def __init__(self, close_window: Callable[[], object]) -> None:
        self._close_window = close_window
        self.requested = False

    def request(self) -> None:
        if not self.requested:
            self.requested = True
            self._close_window()


def restart_command() -> list[str]:
    """The command that started this process: a frozen build's executable, or Python with its
    own options and what it ran (``-m desktop_app``, the ``cairn`` script), then Cairn's
    arguments (``--data-dir`` among them)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *sys.argv[1:]]
    return [sys.executable, *sys.orig_argv[1:]]


def start_again(command: list[str]) -> None:
    """Replace this process with ``command`` (POSIX: the same process id, terminal and parent).
    Windows has no real exec (its emulation detaches from the console), so there the new
    Cairn is started beside this one, which then exits."""
    sys.stdout.flush()
    sys.stderr.flush()
    if sys.platform == "win32":
        subprocess.Popen(command, close_fds=True)  # noqa: S603 - our own command line
        return
    os.execv(command[0], command)  # noqa: S606
