"""One MCP server, connected through the official ``mcp`` SDK on Cairn's event loop: started
on demand, its state told honestly, its tools called, restarted after it died.

The SDK's client must be entered and left in the same task (its anyio cancel scopes say so),
so each server has one *owner task* that connects, lists the tools, follows changes to them
and waits until it is told to stop or the server goes away; any other task may call tools on
the client meanwhile. A server that dies leaves its last stderr lines in the state, and the
next ``start()`` or ``call()`` starts a new owner.

``mcp`` is imported on the first start (it costs about 0.4 s): Cairn's start-up never pays it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from desktop_app import __version__
from desktop_app.api.mcp_failures import (
    CONNECTION_CLOSED,
    REQUEST_TIMEOUT,
    ServerProblem,
    ServerProblemKind,
    leaves,
    shown_url,
    start_problem,
    telling_leaf,
)
from desktop_app.api.mcp_oauth import (
    SIGN_IN_TIMEOUT_SECONDS,
    LoopbackReceiver,
    OAuthVault,
    SignInFlow,
    oauth_provider,
)
from desktop_app.api.mcp_process_env import server_environment
from desktop_app.api.mcp_state import (
    McpCallError,
    McpCallResult,
    McpTool,
    ServerState,
    ServerStatus,
    failed_state,
)
from desktop_app.api.mcp_stderr import StderrTail
from desktop_app.api.mcp_wire import list_tools, watched
from desktop_app.core.mcp_servers import (
    ConfigProblemKind,
    McpServerConfig,
    Transport,
    config_problems,
)

__all__ = [
    "McpCallError", "McpCallResult", "McpConnection", "McpServers", "McpTool", "ServerState",
    "ServerStatus",
]

log = logging.getLogger(__name__)

START_TIMEOUT_SECONDS = 60.0  # `npx -y` may download a package first
STOP_TIMEOUT_SECONDS = 8.0  # the SDK's own shutdown: stdin closed, 2 s, SIGTERM, 2 s, SIGKILL
LIST_TIMEOUT_SECONDS = 30.0
CALL_GRACE_SECONDS = 5.0  # beyond a call's timeout, before Cairn stops waiting on its own
STDERR_EOF_WAIT_SECONDS = 1.0


class McpConnection:
    """One server's connection. ``on_change`` gets every new state (on the loop's thread)."""

    def __init__(
        self, config: McpServerConfig, on_change: Callable[[ServerState], None], *,
        start_timeout: float = START_TIMEOUT_SECONDS, oauth_vault: OAuthVault | None = None,
    ) -> None:
        """``oauth_vault``: where sign-ins are kept; without one, a remote server that asks
        for a sign-in is reported as refusing the connection."""
        self.config = config
        self._oauth_vault = oauth_vault
        self._flow = SignInFlow()
        self._on_change = on_change
        self._start_timeout = start_timeout
        self._state = ServerState(ServerStatus.STOPPED)
        self._owner: asyncio.Task[None] | None = None
        self._ready: asyncio.Future[None] | None = None
        self._stop_requested = asyncio.Event()
        self._lost = asyncio.Event()
        self._tools_changed = asyncio.Event()
        self._client: Any = None
        self._stderr: StderrTail | None = None
        self._http_status: int | None = None
        self._handshaken = False  # the current start got past the handshake

    @property
    def state(self) -> ServerState:
        return self._state

    @property
    def running(self) -> bool:
        """Whether an owner task is alive (starting, serving or stopping)."""
        return self._owner is not None and not self._owner.done()

    def stderr_lines(self) -> tuple[str, ...]:
        """The server's latest stderr lines, also while it runs (secrets redacted)."""
        return self._stderr.lines() if self._stderr is not None else self._state.stderr_tail

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> ServerState:
        """Start the server unless it is running; wait until it is READY or has FAILED.
        Cancelling the caller does not cancel the start (another caller may be waiting)."""
        if self._owner is None or self._owner.done():
            self._launch()
        assert self._ready is not None
        await asyncio.shield(self._ready)
        return self._state

    async def restart(self) -> ServerState:
        await self.stop()
        return await self.start()

    @property
    def can_sign_in(self) -> bool:
        """A remote server Cairn may sign in to (OAuth): one without its own Authorization
        header, with somewhere to keep the sign-in."""
        return self._oauth_vault is not None and self.config.transport is Transport.HTTP and not any(
            name.lower() == "authorization" for name, _ in self.config.headers)

    async def sign_in(self, open_url: Callable[[str], None]) -> ServerState:
        """Connect again, letting the server send the person to sign in: ``open_url`` is
        called with the address to open in the system browser; the browser comes back to a
        listener on 127.0.0.1. Waits until READY or FAILED (at most
        ``SIGN_IN_TIMEOUT_SECONDS`` for the person); cancelling it ends the attempt."""
        if not self.can_sign_in:
            return await self.start()
        await self.stop()
        self._flow = SignInFlow(open_url, LoopbackReceiver())
        try:
            return await self.start()
        except asyncio.CancelledError:
            await self.stop()
            raise
        finally:
            self._flow.end()

    async def sign_out(self) -> None:
        """Forget the sign-in (tokens and registration) and stop the server."""
        await self.stop()
        if self._oauth_vault is not None:
            await self._oauth_vault.forget(self.config.id)

    async def stop(self) -> None:
        """Stop the server (bounded: the SDK closes stdin, then terminates, then kills)."""
        owner = self._owner
        if owner is None or owner.done():
            if self._state.status is not ServerStatus.STOPPED:
                self._set(ServerState(ServerStatus.STOPPED))
            return
        self._stop_requested.set()
        if self._client is None:
            owner.cancel()  # still connecting: the SDK's shutdown on cancel is shielded
        # asyncio.wait, not wait_for: the owner's own cancellation is not the caller's. A
        # cancelled caller leaves the stop to go on by itself.
        done, _ = await asyncio.wait({owner}, timeout=STOP_TIMEOUT_SECONDS)
        if not done:
            log.warning("MCP server %s did not stop in time; cancelling", self.config.id)
            owner.cancel()
            await asyncio.wait({owner}, timeout=STOP_TIMEOUT_SECONDS)

    def _launch(self) -> None:
        self._stop_requested = asyncio.Event()
        self._lost = asyncio.Event()
        self._tools_changed = asyncio.Event()
        self._ready = asyncio.get_running_loop().create_future()
        self._http_status = None
        self._handshaken = False
        self._set(ServerState(ServerStatus.STARTING))
        self._owner = asyncio.create_task(self._own(self._ready), name=f"mcp {self.config.id}")

    # -- calls -----------------------------------------------------------------------------------

    async def call(self, tool: str, arguments: dict[str, Any], timeout: float) -> McpCallResult:
        """Call one tool, starting the server first if needed.

        Raises:
            McpCallError: no result (see its kinds). A server that died is reported by the
                time this is raised (the state says FAILED, with its stderr) and is started
                again by the next call.
            asyncio.CancelledError: the caller was cancelled; the SDK tells the server.
        """
        client = await self._ready_client()
        try:
            async with asyncio.timeout(timeout + CALL_GRACE_SECONDS):
                result = await client.call_tool(tool, arguments, read_timeout_seconds=timeout)
        except TimeoutError:
            raise McpCallError("timeout", f"No result within {timeout:g} seconds.") from None
        except Exception as error:  # noqa: BLE001 - every SDK failure becomes a kind
            raise await self._call_error(error, timeout) from error
        return McpCallResult(
            content=[block.model_dump(by_alias=True, mode="json") for block in result.content],
            structured=result.structured_content,
            is_error=bool(result.is_error),
        )

    async def _ready_client(self) -> Any:
        if self._client is not None and self._state.status is ServerStatus.READY:
            return self._client
        state = await self.start()
        if state.status is not ServerStatus.READY or self._client is None:
            raise McpCallError("not_ready", state.problem or "The server is not running.")
        return self._client

    async def _call_error(self, error: BaseException, timeout: float) -> McpCallError:
        leaf = telling_leaf(error)
        code = getattr(leaf, "code", None)
        if code == REQUEST_TIMEOUT:
            return McpCallError("timeout", f"No result within {timeout:g} seconds.")
        transport_failed = code == CONNECTION_CLOSED or type(leaf).__module__.startswith("httpx")
        if not transport_failed:
            return McpCallError("protocol", str(leaf) or type(leaf).__name__)
        if self._stop_requested.is_set():
            return McpCallError("not_ready", "The server was stopped.")
        self._lost.set()
        owner = self._owner
        if owner is not None:  # let the state say what happened first
            await asyncio.wait({owner}, timeout=STOP_TIMEOUT_SECONDS)
        if self._state.status is ServerStatus.NEEDS_SIGN_IN:
            return McpCallError("not_ready", self._state.problem)
        return McpCallError("server_died", self._state.problem or "The server went away.")

    # -- the owner task --------------------------------------------------------------------------

    async def _own(self, ready: asyncio.Future[None]) -> None:
        problem: ServerProblem | None = None
        became_ready = False
        stop_requested, lost = self._stop_requested, self._lost
        helpers: list[asyncio.Task[Any]] = []
        try:
            problem = self._config_problem()
            if problem is None:
                async with contextlib.AsyncExitStack() as stack:
                    client, tools = await self._connect(stack, lost, helpers)
                    self._client = client
                    became_ready = True
                    self._set(ServerState(ServerStatus.READY, tools,
                                          stderr_tail=self.stderr_lines()))
                    ready.set_result(None)
                    await self._serve(client, stop_requested, lost, helpers)
                    self._client = None
        except asyncio.CancelledError:
            self._finish(ServerState(ServerStatus.STOPPED), ready)
            raise
        except BaseException as error:  # noqa: BLE001 - groups of anything the SDK raised
            if not stop_requested.is_set():
                problem = self._problem(error, became_ready)
                log.info("MCP server %s: %s", self.config.id, problem.text)
        finally:
            self._client = None
            for helper in helpers:
                helper.cancel()
        if helpers:
            await asyncio.gather(*helpers, return_exceptions=True)
        if self._stderr is not None:
            self._stderr.close_writer()
            await self._stderr.ended(STDERR_EOF_WAIT_SECONDS)
        if stop_requested.is_set():
            self._finish(ServerState(ServerStatus.STOPPED), ready)
            return
        if problem is None:  # it went away while in use
            problem = ServerProblem(
                ServerProblemKind.EXITED if self.config.transport is Transport.STDIO
                else ServerProblemKind.CONNECTION_LOST, {"url": shown_url(self.config.url)})
        self._finish(failed_state(problem, self.stderr_lines()), ready)

    def _finish(self, state: ServerState, ready: asyncio.Future[None]) -> None:
        self._set(state)
        if not ready.done():
            ready.set_result(None)

    async def _connect(
        self, stack: contextlib.AsyncExitStack, lost: asyncio.Event,
        helpers: list[asyncio.Task[Any]],
    ) -> tuple[Any, tuple[McpTool, ...]]:
        """Connect, start following tool changes, then list the tools: all within the start
        timeout, so that READY means the tools are known and changes to them will be seen."""
        from mcp import Client
        from mcp.types import Implementation

        transport = await self._transport(stack)
        client = Client(
            watched(transport, lost), message_handler=self._on_message, cache=None,
            client_info=Implementation(name="Cairn", version=__version__),
        )
        waiting_for_person = SIGN_IN_TIMEOUT_SECONDS if self._flow.open_url else 0.0
        async with asyncio.timeout(self._start_timeout + waiting_for_person):
            await stack.enter_async_context(client)
            if self._stderr is not None:
                self._stderr.close_writer()  # the process has its copy
            self._handshaken = True
            following = asyncio.Event()
            helpers.append(asyncio.create_task(self._follow_tool_changes(client, following)))
            await following.wait()
            tools = await list_tools(client)
            for _ in range(3):  # changed while being listed
                if not self._tools_changed.is_set():
                    break
                self._tools_changed.clear()
                tools = await list_tools(client)
        return client, tools

    async def _transport(self, stack: contextlib.AsyncExitStack) -> Any:
        if self.config.transport is Transport.STDIO:
            from mcp import StdioServerParameters, stdio_client

            self._stderr = StderrTail(value for _, value in self.config.env)
            parameters = StdioServerParameters(
                command=os.path.expanduser(self.config.command.strip()),
                args=list(self.config.args),
                env=server_environment(dict(self.config.env)),
                cwd=os.path.expanduser(self.config.cwd) if self.config.cwd.strip() else None,
            )
            return stdio_client(parameters, errlog=self._stderr.errlog)
        from mcp.client.streamable_http import streamable_http_client
        from mcp.shared._httpx_utils import create_mcp_http_client

        self._stderr = None
        auth = None
        if self.can_sign_in:
            assert self._oauth_vault is not None
            auth = await oauth_provider(self._oauth_vault, self.config.id, self.config.url.strip(),
                                        self._flow)
        http = create_mcp_http_client(headers=dict(self.config.headers), auth=auth)
        http.event_hooks["response"].append(self._note_response)
        await stack.enter_async_context(http)
        return streamable_http_client(self.config.url.strip(), http_client=http)

    async def _note_response(self, response: Any) -> None:
        if response.status_code >= 400:
            self._http_status = response.status_code

    async def _serve(
        self, client: Any, stop_requested: asyncio.Event, lost: asyncio.Event,
        helpers: list[asyncio.Task[Any]],
    ) -> None:
        """List the tools again when they change, until told to stop or the server is gone."""
        waits = [asyncio.create_task(stop_requested.wait()), asyncio.create_task(lost.wait())]
        helpers += [asyncio.create_task(self._relist_on_change(client)), *waits]
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)

    async def _on_message(self, message: Any) -> None:
        """Handshake-era servers announce tool changes with a notification (2026 ones send it
        on the listen stream, and the SDK hands it here too)."""
        from mcp.types import ToolListChangedNotification

        if isinstance(message, ToolListChangedNotification):
            self._tools_changed.set()
        elif isinstance(message, Exception):
            log.debug("MCP server %s: %s", self.config.id, type(message).__name__)

    async def _follow_tool_changes(self, client: Any, following: asyncio.Event) -> None:
        """On a 2026 server, hold a `subscriptions/listen` stream open (its change
        notifications are sent only there); ``following`` is set once changes will be seen."""
        from mcp_types.version import MODERN_PROTOCOL_VERSIONS

        try:
            capability = client.server_capabilities.tools
            if client.protocol_version not in MODERN_PROTOCOL_VERSIONS or (
                capability is None or not capability.list_changed
            ):
                return
            async with client.listen(tools_list_changed=True) as subscription:
                following.set()
                async for _event in subscription:
                    self._tools_changed.set()
        except Exception as error:  # noqa: BLE001 - the stream ended; the owner sees deaths
            log.debug("MCP server %s: listen ended (%s)", self.config.id, type(error).__name__)
        finally:
            following.set()

    async def _relist_on_change(self, client: Any) -> None:
        while True:
            await self._tools_changed.wait()
            self._tools_changed.clear()
            try:
                async with asyncio.timeout(LIST_TIMEOUT_SECONDS):
                    tools = await list_tools(client)
            except Exception as error:  # noqa: BLE001 - keep the tools we had
                log.info("MCP server %s: tools not listed again (%s)", self.config.id,
                         type(telling_leaf(error)).__name__)
                continue
            if self._state.status is ServerStatus.READY and tools != self._state.tools:
                self._set(replace(self._state, tools=tools))

    # -- state -----------------------------------------------------------------------------------

    def _config_problem(self) -> ServerProblem | None:
        blocking = [p for p in config_problems(self.config) if p.kind is not ConfigProblemKind.NO_NAME]
        if not blocking:
            return None
        return ServerProblem(ServerProblemKind.BAD_CONFIG, {"problem": blocking[0].kind.value})

    def _problem(self, error: BaseException, became_ready: bool) -> ServerProblem:
        signing_in = self._flow.open_url is not None
        if any(type(leaf).__name__ == "NeedsSignIn" for leaf in leaves(error)):
            # Also after READY: the sign-in expired and could not be refreshed.
            return start_problem(error, self.config, self._http_status, self._start_timeout,
                             signing_in)
        if became_ready:
            if self.config.transport is Transport.STDIO:
                return ServerProblem(ServerProblemKind.EXITED)
            return ServerProblem(ServerProblemKind.CONNECTION_LOST, {"url": shown_url(self.config.url)})
        leaf = telling_leaf(error)
        if self._handshaken and getattr(leaf, "code", None) not in {None, CONNECTION_CLOSED}:
            return ServerProblem(ServerProblemKind.TOOLS_UNAVAILABLE,
                                 {"message": str(leaf)[:300]})
        return start_problem(error, self.config, self._http_status, self._start_timeout,
                             signing_in)

    def _set(self, state: ServerState) -> None:
        self._state = state
        try:
            self._on_change(state)
        except Exception:  # noqa: BLE001 - a listener's bug must not break the connection
            log.exception("MCP state listener failed")


class McpServers:
    """The enabled servers of the user's configuration, each with its connection.

    ``configure`` starts nothing (servers start on first use, or when the UI asks): Cairn's
    start-up does not grow with the number of servers. A server whose configuration changed
    gets a new connection; the old one, like a removed or disabled server's, is stopped in
    the background and awaited by ``stop_all``. ``on_change(server_id, state)`` hears only
    the current connections (a retired one's last words would describe the wrong server).
    """

    def __init__(
        self, on_change: Callable[[str, ServerState], None] | None = None, *,
        start_timeout: float = START_TIMEOUT_SECONDS, oauth_vault: OAuthVault | None = None,
    ) -> None:
        self._on_change = on_change
        self._start_timeout = start_timeout
        self._oauth_vault = oauth_vault
        self._connections: dict[str, McpConnection] = {}
        self._retiring: set[asyncio.Task[None]] = set()

    def configure(self, configs: Iterable[McpServerConfig]) -> None:
        wanted = {config.id: config for config in configs if config.enabled}
        for server_id, connection in list(self._connections.items()):
            if wanted.get(server_id) != connection.config:
                del self._connections[server_id]
                self._retire(connection)
        for server_id, config in wanted.items():
            if server_id not in self._connections:
                self._connections[server_id] = McpConnection(
                    config, self._announcer(server_id), start_timeout=self._start_timeout,
                    oauth_vault=self._oauth_vault)

    def connection(self, server_id: str) -> McpConnection | None:
        """The server's connection, or None if it is unknown or disabled."""
        return self._connections.get(server_id)

    def connections(self) -> dict[str, McpConnection]:
        return dict(self._connections)

    async def stop_all(self) -> None:
        """Stop every server (each bounded), retired ones included."""
        await asyncio.gather(*(c.stop() for c in self._connections.values()),
                             *self._retiring, return_exceptions=True)

    def _announcer(self, server_id: str) -> Callable[[ServerState], None]:
        def announce(state: ServerState) -> None:
            connection = self._connections.get(server_id)
            if self._on_change is not None and connection is not None and connection.state is state:
                self._on_change(server_id, state)

        return announce

    def _retire(self, connection: McpConnection) -> None:
        if connection.state.status is ServerStatus.STOPPED and not connection.running:
            return
        task = asyncio.get_running_loop().create_task(connection.stop())
        self._retiring.add(task)
        task.add_done_callback(self._retiring.discard)
