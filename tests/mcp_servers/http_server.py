"""An MCP server over Streamable HTTP for the tests, written with the official SDK and served
by uvicorn on Cairn's own event loop, at 127.0.0.1 on a port the system picks (no race).

``http_mcp_server(required_headers=...)`` answers 401 to a request that lacks one of the
headers (as a server behind an API key would), and records the headers it saw.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from mcp.server.mcpserver import MCPServer

from tests.mcp_servers.common_tools import add_common_tools

@dataclass
class RunningHttpServer:
    url: str
    seen_headers: list[dict[str, str]] = field(default_factory=list)
    events: list[str] = field(default_factory=list)  # "sleeping", "sleep cancelled"
    server: Any = None
    task: asyncio.Task[None] | None = None

    async def stop(self) -> None:
        """Stops serving once open requests end (at most a few seconds)."""
        if self.task is None or self.task.done():
            return
        self.server.should_exit = True
        await asyncio.wait_for(asyncio.shield(self.task), 10)

    async def crash(self) -> None:
        """Stops at once, open streams cut: the server is gone as if it crashed."""
        if self.task is not None and not self.task.done():
            self.server.force_exit = True
        await self.stop()


def build_server(events: list[str] | None = None) -> MCPServer:
    """The test server; its ``sleep`` tool notes in ``events`` when it begins and when the
    client cancels it."""
    events = [] if events is None else events
    server = MCPServer("cairn-test-http", version="1.0")

    add_common_tools(server, lambda event, _seconds: events.append(event))
    return server


class _HeaderGate:
    """ASGI middleware: records request headers; 401 when a required one is missing or wrong."""

    def __init__(self, app: Any, required: Mapping[str, str], seen: list[dict[str, str]]) -> None:
        self.app, self.required, self.seen = app, dict(required), seen

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        self.seen.append(headers)
        if any(headers.get(name.lower()) != value for name, value in self.required.items()):
            await send({"type": "http.response.start", "status": 401,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": b'{"error": "unauthorized"}'})
            return
        await self.app(scope, receive, send)


@contextlib.asynccontextmanager
async def http_mcp_server(
    required_headers: Mapping[str, str] | None = None,
    make_app: Callable[[int], Any] | None = None, port: int = 0,
) -> AsyncIterator[RunningHttpServer]:
    """Serve the test server (or ``make_app(port)``) until the block ends; always stopped
    afterwards. ``port``: 0 for one the system picks, or the port of a stopped server."""
    events: list[str] = []
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        sock.listen()
        port = sock.getsockname()[1]
        inner = make_app(port) if make_app else build_server(events).streamable_http_app()
        running = RunningHttpServer(url=f"http://127.0.0.1:{port}/mcp", events=events)
        gated = _HeaderGate(inner, required_headers or {}, running.seen_headers)
        config = uvicorn.Config(gated, log_level="warning", lifespan="on",
                                timeout_graceful_shutdown=5)
        running.server = uvicorn.Server(config)
        running.task = asyncio.create_task(running.server.serve(sockets=[sock]))
    except BaseException:
        sock.close()
        raise
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while not running.server.started:
            if running.task.done() or loop.time() > deadline:
                raise RuntimeError("the test HTTP server did not start")
            await asyncio.sleep(0.01)
        yield running
    finally:
        await running.stop()
        sock.close()
