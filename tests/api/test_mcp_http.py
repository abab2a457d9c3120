"""A remote MCP server over Streamable HTTP (the SDK's server, served on 127.0.0.1): headers
sent, each failure to connect named, calls timed out and cancelled, a lost server reported and
reconnected on next use."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

import pytest

from desktop_app.api.mcp_connection import McpCallError, ServerStatus
from desktop_app.api.mcp_failures import ServerProblemKind
from tests.conftest import until
from tests.mcp_servers.fixtures import (
    Watched,
    connections,  # noqa: F401 - a fixture
    http_config,
)
from tests.mcp_servers.http_server import http_mcp_server

pytestmark = pytest.mark.asyncio

Connections = Callable[..., Watched]
HEADERS = {"X-Api-Key": "key-0123456789", "Authorization": "Bearer tok-abcdef"}


async def test_headers_are_sent_and_tools_called(connections: Connections) -> None:
    async with http_mcp_server(required_headers=HEADERS) as served:
        server = connections(http_config(served.url, HEADERS.items()))
        state = await server.start()
        assert state.status is ServerStatus.READY
        assert [tool.name for tool in state.tools] == ["echo", "fail", "sleep", "picture"]
        assert state.tools[0].read_only and state.stderr_tail == ()
        assert served.seen_headers and all(
            seen.get("x-api-key") == "key-0123456789"
            and seen.get("authorization") == "Bearer tok-abcdef" for seen in served.seen_headers)
        echo = await server.call("echo", {"text": "over http"}, timeout=10)
        assert echo.content[0]["text"] == "over http" and not echo.is_error
        picture = await server.call("picture", {}, timeout=10)
        assert picture.content[0]["mimeType"] == "image/png"
        assert (await server.call("fail", {}, timeout=10)).is_error
        await server.stop()
        assert server.state.status is ServerStatus.STOPPED


async def test_timeouts_and_cancelling_over_http(connections: Connections) -> None:
    async with http_mcp_server() as served:
        server = connections(http_config(served.url))
        with pytest.raises(McpCallError) as raised:
            await server.call("sleep", {"seconds": 30}, timeout=0.3)
        assert raised.value.kind == "timeout"
        await until(lambda: served.events == ["sleeping", "sleep cancelled"],
                    message="the server was told the call timed out")
        call = asyncio.create_task(server.call("sleep", {"seconds": 30}, timeout=60))
        await until(lambda: served.events.count("sleeping") == 2, message="the call is running")
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        await until(lambda: served.events.count("sleep cancelled") == 2,
                    message="the server was told the call was cancelled")
        assert (await server.call("echo", {"text": "after"}, timeout=10)).content[0]["text"] == "after"
        await server.stop()


async def test_refusals_are_named(connections: Connections) -> None:
    async with http_mcp_server(required_headers=HEADERS) as served:
        no_key = await connections(http_config(served.url, [("X-Api-Key", "wrong")])).start()
        assert (no_key.status, no_key.problem_kind, no_key.problem_facts) == (
            ServerStatus.FAILED, ServerProblemKind.UNAUTHORIZED, {"url": served.url, "status": 401})
        # No secret of the configuration in what is shown or logged, not even a key that
        # the address itself carries.
        assert "wrong" not in no_key.problem and "tok-abcdef" not in no_key.problem
        keyed = await connections(http_config(served.url + "?api_key=key-in-the-url")).start()
        assert keyed.problem_facts == {"url": served.url + "?…", "status": 401}
        assert "key-in-the-url" not in keyed.problem
    async with http_mcp_server() as served:
        elsewhere = served.url.replace("/mcp", "/other")
        missing = await connections(http_config(elsewhere)).start()
        assert (missing.problem_kind, missing.problem_facts) == (
            ServerProblemKind.HTTP_STATUS, {"url": elsewhere, "status": 404})


async def test_an_address_nobody_answers_is_unreachable(connections: Connections) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    url = f"http://127.0.0.1:{port}/mcp"
    state = await connections(http_config(url)).start()
    assert (state.status, state.problem_kind, state.problem_facts["url"]) == (
        ServerStatus.FAILED, ServerProblemKind.UNREACHABLE, url)
    assert state.problem_facts["reason"]


async def test_a_lost_server_is_reported_and_reconnected_on_next_use(connections: Connections) -> None:
    async with http_mcp_server() as served:
        server = connections(http_config(served.url))
        assert (await server.start()).status is ServerStatus.READY
        port = int(served.url.split(":")[2].split("/")[0])
        await served.crash()
        with pytest.raises(McpCallError) as raised:
            await server.call("echo", {"text": "anyone?"}, timeout=5)
        assert raised.value.kind == "server_died"
        assert (server.state.status, server.state.problem_kind, server.state.problem_facts) == (
            ServerStatus.FAILED, ServerProblemKind.CONNECTION_LOST, {"url": served.url})
    async with http_mcp_server(port=port):  # back, at the same address
        assert (await server.call("echo", {"text": "back"}, timeout=10)).content[0]["text"] == "back"
        assert server.state.status is ServerStatus.READY
        await server.stop()
