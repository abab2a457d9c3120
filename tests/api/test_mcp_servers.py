"""The set of configured servers: nothing starts until asked, a changed server gets a fresh
connection and its old process is stopped, and closing stops everything."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop_app.api.mcp_connection import McpServers, ServerState, ServerStatus
from tests.conftest import until
from tests.mcp_servers.fixtures import stdio_config, test_server_processes

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.asyncio
async def test_servers_start_only_when_asked_and_changes_replace_them() -> None:
    heard: list[tuple[str, ServerStatus]] = []
    servers = McpServers(lambda server_id, state: heard.append((server_id, state.status)))
    one, two = stdio_config(name="One"), stdio_config(name="Two")
    off = stdio_config(name="Off", enabled=False)
    try:
        servers.configure([one, two, off])
        assert set(servers.connections()) == {one.id, two.id}
        assert servers.connection(off.id) is None and servers.connection("srv_unknown") is None
        assert test_server_processes() == [] and heard == []
        first = servers.connection(one.id)
        assert first is not None and (await first.start()).status is ServerStatus.READY
        assert heard == [(one.id, ServerStatus.STARTING), (one.id, ServerStatus.READY)]

        servers.configure([one, two, off])  # nothing changed: the same running connection
        assert servers.connection(one.id) is first and first.state.status is ServerStatus.READY

        changed = dataclasses.replace(one, name="One, renamed")
        servers.configure([changed, two])
        replacement = servers.connection(one.id)
        assert replacement is not None and replacement is not first
        assert replacement.config == changed and replacement.state.status is ServerStatus.STOPPED
        await until(lambda: first.state.status is ServerStatus.STOPPED, message="old one stopped")
        await until(lambda: not test_server_processes(), message="its process gone")
        # The retired connection's last state is not announced as the server's.
        assert heard == [(one.id, ServerStatus.STARTING), (one.id, ServerStatus.READY)]

        second = servers.connection(two.id)
        assert second is not None
        await replacement.start()
        await second.start()
        assert len(test_server_processes()) == 2
        servers.configure([changed])  # two removed
        assert servers.connection(two.id) is None
    finally:
        await servers.stop_all()
    assert test_server_processes() == []
    assert all(c.state.status is ServerStatus.STOPPED for c in servers.connections().values())
    assert isinstance(replacement.state, ServerState)


def test_configuring_servers_does_not_load_the_sdk() -> None:
    """Start-up stays as fast with five servers as with none: nothing imports mcp before a
    server is used."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from desktop_app.api.mcp_connection import McpServers
        from desktop_app.core.mcp_servers import McpServerConfig, Transport, new_server_id
        servers = McpServers()
        servers.configure([McpServerConfig(id=new_server_id(), name=str(i), transport=Transport.STDIO,
                                           command="npx") for i in range(5)])
        assert len(servers.connections()) == 5
        print(sorted(name for name in sys.modules if name.split(".")[0] in {{"mcp", "mcp_types", "anyio", "httpx2"}}))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60, check=True)
    assert result.stdout.strip() == "[]", result.stdout
