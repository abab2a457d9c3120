"""What a local server process is given (environment, PATH) and what Cairn keeps of its stderr."""

from __future__ import annotations

import asyncio
import os

import pytest

from desktop_app.api.mcp_process_env import server_environment
from desktop_app.api.mcp_stderr import MAX_LINE_BYTES, StderrTail

CAIRN_ENVIRONMENT = {
    "PATH": "/usr/bin:/bin", "HOME": "/home/me", "LANG": "de_DE.UTF-8",
    "HTTPS_PROXY": "http://proxy:3128", "ANTHROPIC_API_KEY": "sk-ant-secret",
    "LD_LIBRARY_PATH": "/opt/cairn/_internal", "PYTHONHOME": "/opt/cairn", "XDG_RUNTIME_DIR": "/run/user/1000",
}


def test_a_server_gets_the_locale_and_proxies_but_not_cairns_own_variables() -> None:
    env = server_environment({"TOKEN": "t", "LANG": "C.UTF-8"}, CAIRN_ENVIRONMENT, "linux")
    assert env == {"LANG": "C.UTF-8", "HTTPS_PROXY": "http://proxy:3128",
                   "XDG_RUNTIME_DIR": "/run/user/1000", "PATH": "/usr/bin:/bin", "TOKEN": "t"}


def test_on_macos_homebrew_is_on_the_path_a_dock_app_lacks() -> None:
    env = server_environment({}, {"PATH": "/usr/bin:/bin:/usr/local/bin"}, "darwin")
    assert env["PATH"] == "/usr/bin:/bin:/usr/local/bin:/opt/homebrew/bin"
    assert server_environment({"PATH": "/mine"}, {"PATH": "/usr/bin"}, "darwin")["PATH"] == "/mine"
    assert server_environment({}, {"PATH": "C:\\bin"}, "win32")["PATH"] == "C:\\bin"


@pytest.mark.asyncio
async def test_the_stderr_tail_keeps_the_last_lines_cut_cleaned_and_masked() -> None:
    tail = StderrTail(secrets=["hunter2-secret", "1"], keep=4)
    with os.fdopen(os.dup(tail.errlog.fileno()), "w") as child:  # as the server's copy would be
        tail.close_writer()
        child.write("first\n\x1b[31mred\x1b[0m and\tlogged\n")
        child.write("x" * (MAX_LINE_BYTES * 3) + "\n")
        child.write("\n   \ntoken=hunter2-secret, 1 retry\r\nlast words")
    assert await tail.ended(5)
    lines = tail.lines()
    assert lines[0] == "red and    logged"
    assert lines[1] == "x" * MAX_LINE_BYTES + "…"
    assert lines[2:] == ("token=•••, 1 retry", "last words")


@pytest.mark.asyncio
async def test_a_pipe_still_held_open_is_not_waited_for_forever() -> None:
    tail = StderrTail()
    assert not await tail.ended(0.05)  # Cairn's own end is still open
    tail.close_writer()
    assert await asyncio.wait_for(tail.ended(5), 6)
