"""The approval policy for tool calls, as plain rules: what a person can answer, and which
calls may run without asking.

A tool runs on the user's machine (or a remote service) with the user's rights, chosen by a
model that may have read hostile text, so the rule is: nothing runs without an approval the
user gave. Only the user's own standing choices pre-approve a call: "Always allow" for this
tool, "Allow for this conversation", or, if the user turned it on, tools their server marks
read-only.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.core.tool_specs import ToolSpec


class ApprovalChoice(StrEnum):
    """A person's answer to the approval card (the values are stored)."""

    ONCE = "once"
    """Run this call; ask again next time."""
    CONVERSATION = "conversation"
    """Run this call and later calls of this tool in this conversation (saved with it)."""
    ALWAYS = "always"
    """Run this tool without asking, in every conversation, until revoked in Settings."""
    DENY = "deny"
    """Do not run it; Claude is told the user declined."""

    @property
    def runs(self) -> bool:
        """Whether the call goes ahead."""
        return self is not ApprovalChoice.DENY


def tool_key(server_id: str, tool: str) -> str:
    """``"<server id>/<tool>"``: how settings, selections and grants name a tool. The server's
    id, not its name, so renaming a server keeps its grants and a new server that takes an
    old one's name does not inherit them. Ids never hold "/", so the key splits at the first
    one."""
    return f"{server_id}/{tool}"


def preapproved(
    spec: ToolSpec,
    *,
    always: Collection[str],
    conversation_grants: Collection[str],
    auto_read_only: bool,
) -> bool:
    """Whether a call of this tool may run without showing the approval card.

    Args:
        spec: the tool called.
        always: keys the user chose "Always allow" for (``Settings.tools_always_allowed``).
        conversation_grants: keys the user chose "Allow for this conversation" for, in the
            conversation making the call.
        auto_read_only: the user's setting to run read-only tools without asking. Read-only
            is the server's claim (the MCP specification warns clients not to trust it from
            untrusted servers), so it counts only when the user opted in, and only when the
            server made the claim: a tool with no annotation is not read-only.

    Returns:
        True only on one of the user's own standing choices; otherwise the user is asked.
    """
    key = tool_key(spec.server_id, spec.tool)
    if key in always or key in conversation_grants:
        return True
    return auto_read_only and spec.read_only is True
