"""The last lines a local MCP server wrote to stderr: what the user needs to see when it fails
to start or dies ("config missing: GITHUB_TOKEN", a Python traceback, "npx: not found").

The SDK hands the server a real file descriptor for stderr, so Cairn gives it the write end of
a pipe and reads the other end on a daemon thread of its own: not the event loop (anonymous
pipes are not overlapped on Windows) and not the loop's default executor (qasync's has ten
workers; one blocked reader per server would starve it). The pipe ends when the server and
every child holding its stderr have exited.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import re
import threading
from collections.abc import Iterable
from typing import TextIO

KEEP_LINES = 20
MAX_LINE_BYTES = 1000
REDACTED = "•••"
MIN_SECRET_LENGTH = 6  # shorter values ("1", "true", "eu") are settings, and would garble text
_TERMINAL_CODES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class StderrTail:
    """A pipe for one server process's stderr and the last ``KEEP_LINES`` lines read from it.

    ``secrets`` (the values of the server's environment) are replaced by ``REDACTED`` in every
    line handed out: a server that prints its token would otherwise put it on screen and in
    logs that users attach to bug reports.
    """

    def __init__(self, secrets: Iterable[str] = (), keep: int = KEEP_LINES) -> None:
        self._secrets = sorted({s for s in secrets if len(s) >= MIN_SECRET_LENGTH}, key=len,
                               reverse=True)
        self._lines: collections.deque[str] = collections.deque(maxlen=keep)
        self._lock = threading.Lock()
        self._loop = asyncio.get_running_loop()
        self._ended = asyncio.Event()
        read_fd, write_fd = os.pipe()
        self._writer: TextIO = os.fdopen(write_fd, "w", encoding="utf-8", errors="replace")
        self._thread = threading.Thread(
            target=self._pump, args=(read_fd,), name="mcp-stderr", daemon=True)
        self._thread.start()

    @property
    def errlog(self) -> TextIO:
        """The write end, for ``stdio_client(errlog=...)``; the child gets its own copy."""
        return self._writer

    def close_writer(self) -> None:
        """Close Cairn's copy of the write end (once the process has been started, or has
        failed to start), so the pipe ends when the server's copies do."""
        with contextlib.suppress(OSError):
            self._writer.close()

    def lines(self) -> tuple[str, ...]:
        with self._lock:
            lines = tuple(self._lines)
        return tuple(self._redacted(line) for line in lines)

    async def ended(self, timeout: float) -> bool:
        """Wait (at most ``timeout`` seconds) until every writer has closed the pipe, so the
        tail holds the server's last words; False if something still holds it open."""
        try:
            await asyncio.wait_for(self._ended.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def _pump(self, read_fd: int) -> None:
        """Runs on the thread: reads lines (a long one is cut, not buffered whole)."""
        try:
            with os.fdopen(read_fd, "rb") as pipe:
                cut = False
                for piece in iter(lambda: pipe.readline(MAX_LINE_BYTES), b""):
                    too_long = len(piece) >= MAX_LINE_BYTES and not piece.endswith(b"\n")
                    if not cut:
                        line = _cleaned(piece.decode("utf-8", errors="replace"))
                        if too_long:
                            line += "…"
                        if line.strip():
                            with self._lock:
                                self._lines.append(line)
                    cut = too_long
        except (OSError, ValueError):
            pass
        finally:
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting
                self._loop.call_soon_threadsafe(self._ended.set)

    def _redacted(self, line: str) -> str:
        for secret in self._secrets:
            line = line.replace(secret, REDACTED)
        return line


def _cleaned(text: str) -> str:
    text = _TERMINAL_CODES.sub("", text.rstrip("\r\n"))
    return _CONTROL.sub("", text.replace("\t", "    ")).rstrip()
