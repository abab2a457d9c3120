"""Which MCP servers and tools a conversation offers Claude (and the default for new ones).

Stored as JSON in settings (``Settings.tools``) and in a conversation's options; read back
leniently, because a hand-edited or older file must never stop Cairn from opening.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from desktop_app.core.tool_approvals import tool_key


@dataclass(frozen=True)
class ToolSelection:
    """The servers and tools offered.

    Attributes:
        servers: the server ids offered; None offers every enabled server, including servers
            added later (the default: a new server's tools are available without a trip to
            every conversation).
        disabled: ``"<server id>/<tool>"`` keys not offered even though their server is.
            Kept while the server is off, so turning it back on restores the user's choice.
    """

    servers: frozenset[str] | None = None
    disabled: frozenset[str] = field(default_factory=frozenset)

    def offers_server(self, server_id: str) -> bool:
        """Whether this server's tools are offered (its enabled state is checked elsewhere)."""
        return self.servers is None or server_id in self.servers

    def offers(self, server_id: str, tool: str) -> bool:
        """Whether this tool is offered: its server is, and the tool was not turned off."""
        return self.offers_server(server_id) and tool_key(server_id, tool) not in self.disabled

    def with_server(
        self, server_id: str, on: bool, *, known: Collection[str] | None = None,
    ) -> ToolSelection:
        """This selection with one server turned on or off.

        Args:
            server_id: the server.
            on: offer it or not.
            known: every configured server's id. Needed to turn a server off while every
                server is offered (``servers`` None): the rest become an explicit list. When
                turning one on makes the list cover all of them, it becomes None again, so
                servers added later are offered too.

        Raises:
            ValueError: turning a server off while every server is offered, without
                ``known`` (a caller's mistake: there is no list to take it from).
        """
        if self.servers is None:
            if on:
                return self
            if known is None:
                raise ValueError("turning a server off from 'every server' needs known ids")
            return replace(self, servers=frozenset(known) - {server_id})
        servers = self.servers | {server_id} if on else self.servers - {server_id}
        if on and known is not None and servers >= frozenset(known):
            return replace(self, servers=None)
        return replace(self, servers=servers)

    def with_tool(self, server_id: str, tool: str, on: bool) -> ToolSelection:
        """This selection with one tool turned on or off (its server's choice unchanged)."""
        key = tool_key(server_id, tool)
        disabled = self.disabled - {key} if on else self.disabled | {key}
        return replace(self, disabled=disabled)

    def to_json(self) -> dict[str, Any]:
        """As JSON: sorted lists, so saving the same selection writes the same file."""
        return {
            "servers": None if self.servers is None else sorted(self.servers),
            "disabled": sorted(self.disabled),
        }

    @classmethod
    def from_json(cls, data: Any) -> ToolSelection:
        """Read ``to_json``'s output. Never raises: a value of the wrong type reads as the
        default (every server, no tool off), and entries that are not text are skipped."""
        if not isinstance(data, dict):
            return cls()
        servers_data = data.get("servers")
        servers = (frozenset(_strings(servers_data)) if isinstance(servers_data, list)
                   else None)
        disabled_data = data.get("disabled")
        disabled = (frozenset(k for k in _strings(disabled_data) if "/" in k)
                    if isinstance(disabled_data, list) else frozenset())
        return cls(servers=servers, disabled=disabled)


def _strings(items: Iterable[Any]) -> Iterable[str]:
    return (item for item in items if isinstance(item, str))
