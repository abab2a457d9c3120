"""The user's MCP servers for the session: their settings, a connection each, and the tools
they offer the next request.

Nothing here runs while Cairn starts: the list is read on the disk thread, and the enabled
servers are started in the background a moment after the window is up (the ``mcp`` SDK, ~0.4 s of
imports, is imported on a worker thread first), so start-up time does not grow with the
number of servers. A request waits for the servers it offers (at most ``START_WAIT_SECONDS``)
and goes without the tools of one that is not ready, saying so.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Iterable

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from desktop_app.api.mcp_connection import McpCallResult, McpConnection, ServerState, ServerStatus
from desktop_app.core.mcp_servers import McpServerConfig, Transport
from desktop_app.core.tool_selection import ToolSelection
from desktop_app.core.tool_specs import ToolSpec, api_tool_names, schema_problem
from desktop_app.storage.mcp_store import McpSaveResult, StoreProblem
from desktop_app.ui.lib.owned_tasks import OwnedTasks
from desktop_app.ui.session.services import Services

log = logging.getLogger(__name__)

START_WAIT_SECONDS = 15.0  # a request waits this long at most for a server it offers
# Enabled servers start this long after the window (the SDK's imports and the processes would
# otherwise compete with the window's first paint); a message sent sooner starts them itself.
BACKGROUND_START_DELAY_MS = 2000


class _KeyringVault:
    """Sign-ins of remote servers, kept in the keyring by the store, on the disk thread."""

    def __init__(self, services: Services) -> None:
        self._services = services

    async def load(self, server_id: str) -> str | None:
        return await self._services.on_disk(self._services.mcp_servers.load_oauth, server_id)

    async def save(self, server_id: str, data: str) -> None:
        problem = await self._services.on_disk(
            self._services.mcp_servers.save_oauth, server_id, data)
        if problem is not None:
            log.warning("sign-in not kept: %s", problem.text)

    async def forget(self, server_id: str) -> None:
        await self._services.on_disk(self._services.mcp_servers.forget_oauth, server_id)


class ToolServers(QObject):
    """The MCP servers and their connections.

    Signals:
        servers_changed: the list of servers (or their settings) changed.
        state_changed(str): a server's state changed (starting, ready with N tools, failed…).

    Attributes:
        problems: what went wrong reading or saving the list or its secrets (the window
            words them).
    """

    servers_changed = Signal()
    state_changed = Signal(str)

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = OwnedTasks()  # background starts (cancelled at shutdown)
        self._stopping = OwnedTasks()  # servers being stopped (awaited at shutdown: bounded)
        self.problems: tuple[StoreProblem, ...] = ()
        self._configs: list[McpServerConfig] = []
        self._connections: dict[str, McpConnection] = {}
        self._sdk_ready = False
        self._vault = _KeyringVault(services)
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(BACKGROUND_START_DELAY_MS)
        self._start_timer.timeout.connect(self._start_enabled)

    # -- the list ----------------------------------------------------------------------------------

    @property
    def configs(self) -> list[McpServerConfig]:
        return list(self._configs)

    def config(self, server_id: str) -> McpServerConfig | None:
        return next((c for c in self._configs if c.id == server_id), None)

    async def load(self) -> None:
        """Read the server list (and its secrets from the keyring) on the disk thread."""
        result = await self.services.on_disk(self.services.mcp_servers.load)
        self.problems = result.problems
        self._configure(result.servers)

    async def save(self, configs: list[McpServerConfig]) -> McpSaveResult:
        """Keep a new list: servers whose settings changed are restarted on next use. The
        list is used as given even when it (or a secret) could not be kept: the result says
        what was not, for the window to tell."""
        result: McpSaveResult = await self.services.on_disk(
            self.services.mcp_servers.save, configs)
        self._configure(configs)
        self.servers_changed.emit()
        return result

    def _configure(self, configs: Iterable[McpServerConfig]) -> None:
        self._configs = list(configs)
        wanted = {c.id: c for c in self._configs}
        for server_id, connection in list(self._connections.items()):
            if wanted.get(server_id) != connection.config:
                del self._connections[server_id]
                self._stopping.spawn(connection.stop())
                self.state_changed.emit(server_id)

    # -- states ------------------------------------------------------------------------------------

    @property
    def stopping(self) -> bool:
        """Whether a server removed, turned off or changed is still being stopped (its
        ``state`` already reads STOPPED: it is no longer one of the list's)."""
        return bool(self._stopping)

    def state(self, server_id: str) -> ServerState:
        connection = self._connections.get(server_id)
        return connection.state if connection is not None else ServerState(ServerStatus.STOPPED)

    def _connection(self, config: McpServerConfig) -> McpConnection:
        connection = self._connections.get(config.id)
        if connection is None:
            server_id = config.id
            connection = McpConnection(
                config, on_change=lambda _state: self.state_changed.emit(server_id),
                oauth_vault=self._vault)
            self._connections[config.id] = connection
        return connection

    async def _import_sdk(self) -> None:
        """Import the MCP SDK on a worker thread: the window keeps its turn meanwhile."""
        if not self._sdk_ready:
            await asyncio.get_running_loop().run_in_executor(None, importlib.import_module, "mcp")
            self._sdk_ready = True

    def start_in_background(self) -> None:
        """Start every enabled server, a moment after the window is shown."""
        if any(c.enabled for c in self._configs):
            self._start_timer.start()

    def _start_enabled(self) -> None:
        for config in self._configs:
            if config.enabled and self.state(config.id).status == ServerStatus.STOPPED:
                self.tasks.spawn(self.start(config.id))

    async def start(self, server_id: str) -> ServerState:
        config = self.config(server_id)
        if config is None:
            return ServerState(ServerStatus.STOPPED)
        await self._import_sdk()
        return await self._connection(config).start()

    async def restart(self, server_id: str) -> ServerState:
        """Stop the server if it runs and start it again (the list's Restart)."""
        config = self.config(server_id)
        if config is None:
            return ServerState(ServerStatus.STOPPED)
        await self._import_sdk()
        return await self._connection(config).restart()

    def can_sign_in(self, server_id: str) -> bool:
        config = self.config(server_id)
        return config is not None and self._connection(config).can_sign_in

    async def sign_in(self, server_id: str) -> ServerState:
        """Sign in to a remote server that asks for it: its page opens in the system
        browser, which comes back to Cairn on this computer (127.0.0.1)."""
        config = self.config(server_id)
        if config is None:
            return ServerState(ServerStatus.STOPPED)
        await self._import_sdk()
        def open_url(url: str) -> None:
            QDesktopServices.openUrl(QUrl(url))

        return await self._connection(config).sign_in(open_url)

    async def sign_out(self, server_id: str) -> None:
        config = self.config(server_id)
        if config is not None:
            await self._connection(config).sign_out()

    async def stop(self, server_id: str) -> None:
        connection = self._connections.get(server_id)
        if connection is not None:
            await connection.stop()

    # -- what a request offers ----------------------------------------------------------------------

    def selected(self, selection: ToolSelection) -> list[McpServerConfig]:
        return [c for c in self._configs if c.enabled
                and (selection.servers is None or c.id in selection.servers)]

    async def prepare(self, selection: ToolSelection) -> list[str]:
        """Start the selected servers that are not running and wait for them (bounded);
        the names of those that are not ready (their tools are not offered this time)."""
        configs = self.selected(selection)
        waiting = [c for c in configs if self.state(c.id).status != ServerStatus.READY]
        if waiting:
            try:
                await asyncio.wait_for(
                    asyncio.gather(*(self.start(c.id) for c in waiting), return_exceptions=True),
                    START_WAIT_SECONDS)
            except TimeoutError:
                log.info("MCP servers not ready after %s s", START_WAIT_SECONDS)
        return [c.name for c in configs if self.state(c.id).status != ServerStatus.READY]

    def tool_specs(self, selection: ToolSelection) -> tuple[dict[str, ToolSpec], list[str]]:
        """The tools to offer by their API names, and those left out because the API would
        refuse their definitions (each "server: tool")."""
        specs: list[ToolSpec] = []
        refused: list[str] = []
        for config in self.selected(selection):
            state = self.state(config.id)
            if state.status != ServerStatus.READY:
                continue
            for tool in state.tools:
                if not selection.offers(config.id, tool.name):
                    continue
                specs.append(ToolSpec(
                    server_id=config.id, server_name=config.name, tool=tool.name,
                    title=tool.title or tool.name, description=tool.description,
                    input_schema=tool.input_schema, read_only=tool.read_only,
                    remote=config.transport == Transport.HTTP))
        named = api_tool_names(specs)
        offered: dict[str, ToolSpec] = {}
        for name, spec in named.items():
            if schema_problem(spec) is not None:
                refused.append(f"{spec.server_name}: {spec.tool}")
            else:
                offered[name] = spec
        return offered, refused

    async def call(self, spec: ToolSpec, arguments: dict[str, object],
                   timeout: float) -> McpCallResult:
        """Run one approved call on its server (started again first if it died)."""
        config = self.config(spec.server_id)
        if config is None:
            raise LookupError(f"the server of {spec.tool} is no longer configured")
        await self._import_sdk()
        return await self._connection(config).call(spec.tool, arguments, timeout)

    async def shutdown(self) -> None:
        """Stop every server (bounded) and the background starts."""
        self._start_timer.stop()
        await self.tasks.close()
        await asyncio.gather(*(c.stop() for c in self._connections.values()),
                             return_exceptions=True)
        await self._stopping.wait()
