"""An MCP server over stdio for the tests, written with the official SDK.

Tools: ``echo`` (read-only), ``fail`` (an error result), ``sleep`` (seconds; says "sleeping"
on stderr when it begins and "sleep cancelled" if the client cancels it), ``picture`` (a PNG),
``crash`` (the process exits mid-call), ``add_tool`` (a tool appears, and the server says its
list changed), ``environment`` (read-only: the value of one environment variable, so tests
can see what reached the process), ``process_id`` (read-only).

Options:
    --legacy        speak only the handshake era (``initialize``), as most servers in the
                    wild still do, and announce list changes with the old notification
    --exit-at-start MESSAGE
                    write MESSAGE to stderr and exit with status 3 before speaking MCP
    --stderr-lines N
                    write N numbered lines to stderr before serving (for the tail)

No ``from __future__ import annotations`` here: the SDK reads the tools' annotations, which
refer to names imported inside ``_serve`` (imported late so a failing start is instant).
"""

import argparse
import os
import sys

def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--legacy", action="store_true")
    parser.add_argument("--exit-at-start", default=None)
    parser.add_argument("--stderr-lines", type=int, default=0)
    parser.add_argument("--print-env", default=None)
    return parser.parse_args()


def main() -> None:
    options = _arguments()
    # Before importing the SDK (about a second): a server that cannot start says so at once.
    for number in range(1, options.stderr_lines + 1):
        print(f"stderr line {number}", file=sys.stderr, flush=True)
    if options.print_env:
        print(f"{options.print_env}={os.environ.get(options.print_env, '')}", file=sys.stderr,
              flush=True)
    if options.exit_at_start is not None:
        print(options.exit_at_start, file=sys.stderr, flush=True)
        sys.exit(3)
    _serve(legacy=options.legacy)


def _serve(*, legacy: bool) -> None:
    import anyio
    from common_tools import add_common_tools  # this script's folder is first on sys.path
    from mcp.server.lowlevel.server import NotificationOptions
    from mcp.server.mcpserver import Context, MCPServer
    from mcp.server.stdio import stdio_server
    from mcp.server.runner import serve_loop
    from mcp.types import ToolAnnotations

    server = MCPServer("cairn-test-stdio", version="1.0")

    def note(event: str, seconds: float) -> None:
        text = f"sleeping {seconds}" if event == "sleeping" else event
        print(text, file=sys.stderr, flush=True)

    add_common_tools(server, note)

    @server.tool()
    def crash() -> str:
        """The server process exits in the middle of the call."""
        print("crashing now", file=sys.stderr, flush=True)
        os._exit(7)

    @server.tool(annotations=ToolAnnotations(read_only_hint=True))
    def environment(name: str) -> str:
        """The value of one environment variable ('' if unset)."""
        return os.environ.get(name, "")

    @server.tool(annotations=ToolAnnotations(read_only_hint=True))
    def process_id() -> int:
        """This server's process id."""
        return os.getpid()

    def added(text: str) -> str:
        """A tool that was not there at the start."""
        return f"added: {text}"

    @server.tool()
    async def add_tool(ctx: Context) -> str:
        """Adds the tool 'added' and says the list of tools changed."""
        server.add_tool(added, name="added")
        if legacy:
            await ctx.session.send_tool_list_changed()
        else:
            await ctx.notify_tools_changed()
        return "added"

    lowlevel = server._lowlevel_server  # noqa: SLF001 - the SDK's way to serve one era only
    options = lowlevel.create_initialization_options(NotificationOptions(tools_changed=True))

    async def run() -> None:
        async with stdio_server() as (read_stream, write_stream):
            if not legacy:
                await lowlevel.run(read_stream, write_stream, options)
                return
            # The handshake-only loop: `server/discover` is unknown, as on servers written
            # before 2026, so the client falls back to `initialize`.
            async with lowlevel.lifespan(lowlevel) as state:
                await serve_loop(
                    lowlevel, read_stream, write_stream, lifespan_state=state, init_options=options
                )

    anyio.run(run)


if __name__ == "__main__":
    main()
