"""The SDK's objects turned into Cairn's: a server's tools listed page by page, and the
transport's read stream watched so the owner task learns when the server has gone."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from desktop_app.api.mcp_state import McpTool

MAX_TOOL_PAGES = 50


async def list_tools(client: Any) -> tuple[McpTool, ...]:
    """Every page of the server's tools (each name once, the first wins)."""
    tools: dict[str, McpTool] = {}
    cursor: str | None = None
    for _ in range(MAX_TOOL_PAGES):
        page = await client.list_tools(cursor=cursor, cache_mode="refresh")
        for tool in page.tools:
            tools.setdefault(tool.name, mcp_tool(tool))
        cursor = page.next_cursor
        if not cursor:
            break
    return tuple(tools.values())


def mcp_tool(tool: Any) -> McpTool:
    annotations = tool.annotations
    title = tool.title or (annotations.title if annotations is not None else None) or tool.name
    return McpTool(
        name=tool.name,
        title=title,
        description=tool.description or "",
        input_schema=dict(tool.input_schema),
        read_only=annotations is not None and annotations.read_only_hint is True,
    )


class WatchedRead:
    """The transport's read stream, setting ``lost`` when it ends: the owner cannot otherwise
    tell that the server's process exited (the SDK notices only at the next request)."""

    def __init__(self, inner: Any, lost: asyncio.Event) -> None:
        self._inner, self._lost = inner, lost

    async def receive(self) -> Any:
        try:
            return await self._inner.receive()
        except asyncio.CancelledError:
            raise
        except BaseException:
            self._lost.set()
            raise

    def __aiter__(self) -> WatchedRead:
        return self

    async def __anext__(self) -> Any:
        try:
            return await self._inner.__anext__()
        except StopAsyncIteration:
            self._lost.set()
            raise

    async def aclose(self) -> None:
        await self._inner.aclose()

    def close(self) -> None:
        self._inner.close()

    async def __aenter__(self) -> WatchedRead:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@contextlib.asynccontextmanager
async def watched(transport: Any, lost: asyncio.Event) -> AsyncIterator[tuple[Any, Any]]:
    async with transport as (read, write):
        yield WatchedRead(read, lost), write
