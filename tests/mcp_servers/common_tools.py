"""The tools both test servers offer (stdio and Streamable HTTP), defined once: ``echo``
(read-only, titled "Echo"), ``fail`` (an error result), ``sleep`` (waits; says when it
begins and when the client cancels it) and ``picture`` (a PNG).

No ``from __future__ import annotations`` here: the SDK reads the tools' annotations. The
SDK is imported inside ``add_common_tools`` so the stdio server can fail fast before it."""

from typing import Any, Callable

PNG_2X2 = bytes.fromhex(  # a valid picture: red above, blue below
    "89504e470d0a1a0a0000000d494844520000000200000002080600000072"
    "b60d240000001249444154789c63f8cfc0f01f8419a0f47f0043ce07f9fa814afd0000000049454e44ae426082"
)


def add_common_tools(server: Any, note: Callable[[str, float], None]) -> None:
    """Add the shared tools to ``server`` (an ``MCPServer``). ``note(event, seconds)`` is told
    ``"sleeping"`` when a sleep begins and ``"sleep cancelled"`` when the client cancels it."""
    import anyio
    from mcp.server.mcpserver import Image
    from mcp.server.mcpserver.exceptions import ToolError
    from mcp.types import ToolAnnotations

    @server.tool(annotations=ToolAnnotations(read_only_hint=True, title="Echo"))
    def echo(text: str) -> str:
        """Say the text back."""
        return text

    @server.tool()
    def fail(reason: str = "it went wrong") -> str:
        """Always fails, with the reason given."""
        raise ToolError(reason)

    @server.tool(annotations=ToolAnnotations(read_only_hint=True))
    async def sleep(seconds: float) -> str:
        """Waits, then says so."""
        note("sleeping", seconds)
        try:
            await anyio.sleep(seconds)
        except anyio.get_cancelled_exc_class():
            note("sleep cancelled", seconds)
            raise
        return f"slept {seconds}"

    @server.tool(annotations=ToolAnnotations(read_only_hint=True))
    def picture() -> Image:
        """A one-pixel PNG."""
        return Image(data=PNG_2X2, format="png")
