"""Pairing Claude's own tool calls (``server_tool_use``) with their results.

The API refuses an assistant turn holding a ``server_tool_use`` without its result block
("`web_search` tool use with id `srvtoolu_…` was found without a corresponding
`web_search_tool_result` block"). A reply can end that way: paused (``pause_turn``) in the
middle of server-side work, stopped by the user, or cut off by a dropped connection. Such a
call is dropped before the turn is sent back; Claude makes it again if it still needs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _result_ids(content: Iterable[dict[str, Any]]) -> set[str]:
    """Ids answered by a server tool's result block (``web_search_tool_result``, ...)."""
    ids = set()
    for block in content:
        kind = block.get("type")
        if (isinstance(kind, str) and kind.endswith("_tool_result") and kind != "tool_result"
                and isinstance(block.get("tool_use_id"), str)):
            ids.add(block["tool_use_id"])
    return ids


def unanswered_server_calls(content: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``server_tool_use`` blocks of one turn that no result block in it answers."""
    answered = _result_ids(content)
    return [b for b in content
            if b.get("type") == "server_tool_use" and b.get("id") not in answered]


def drop_unanswered_server_calls(content: list[dict[str, Any]]) -> list[str]:
    """Remove the unanswered ``server_tool_use`` blocks from ``content`` (in place).

    Returns:
        the ids (or names, for a block without an id) of the calls dropped, for the log.
    """
    dangling = unanswered_server_calls(content)
    if not dangling:
        return []
    gone = {id(b) for b in dangling}
    content[:] = [b for b in content if id(b) not in gone]
    return [str(b.get("id") or b.get("name") or "?") for b in dangling]
