"""Connections to the test servers for tests, always stopped at the end, and a check that no
server process outlives its test.

Import the fixtures into a test module: ``from tests.mcp_servers.fixtures import connections``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import Any

import pytest_asyncio

from desktop_app.api.mcp_connection import McpConnection, ServerState, ServerStatus
from desktop_app.core.mcp_servers import McpServerConfig, Transport, new_server_id
from tests.conftest import until

STDIO_SERVER = Path(__file__).with_name("stdio_server.py")
STDIO_TOOLS = ("echo", "fail", "sleep", "picture", "crash", "environment", "process_id",
               "add_tool")


def stdio_config(*args: str, env: Iterable[tuple[str, str]] = (), **changes: Any) -> McpServerConfig:
    """The stdio test server, run by this Python, with ``args`` as its options."""
    return McpServerConfig(
        id=new_server_id(), name=changes.pop("name", "Test server"), transport=Transport.STDIO,
        command=changes.pop("command", sys.executable),
        args=changes.pop("args", (str(STDIO_SERVER), *args)), env=tuple(env), **changes,
    )


def http_config(url: str, headers: Iterable[tuple[str, str]] = (), **changes: Any) -> McpServerConfig:
    return McpServerConfig(id=new_server_id(), name=changes.pop("name", "HTTP test server"),
                           transport=Transport.HTTP, url=url, headers=tuple(headers), **changes)


class Watched(McpConnection):
    """A connection that keeps every state it announced, in order."""

    def __init__(self, config: McpServerConfig, **options: Any) -> None:
        self.states: list[ServerState] = []
        super().__init__(config, self.states.append, **options)

    @property
    def statuses(self) -> list[ServerStatus]:
        return [state.status for state in self.states]


def test_server_processes() -> list[int]:
    """Living MCP server processes started by this test process (Linux): the SDK starts each
    server in a session of its own, which is how they are told from other children."""
    found = []
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        state, parent, session = fields[0], int(fields[1]), int(fields[3])
        if parent == os.getpid() and session == int(entry.name) and state != "Z":
            found.append(int(entry.name))
    return found


test_server_processes.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


@pytest_asyncio.fixture
async def connections() -> AsyncIterator[Callable[..., Watched]]:
    """Makes connections; stops them all after the test and checks no server process is
    left (the SDK reaps what it stops: nothing may linger, even after a failed test)."""
    made: list[Watched] = []

    def make(config: McpServerConfig, **options: Any) -> Watched:
        connection = Watched(config, **options)
        made.append(connection)
        return connection

    try:
        yield make
    finally:
        for connection in made:
            await connection.stop()
        await until(lambda: not test_server_processes(), timeout=10,
                    message="every test server process has exited")
