"""Pairing Claude's ``tool_use`` blocks with Cairn's ``tool_result`` answers.

The API refuses a conversation in which any ``tool_use`` of an assistant turn is not answered
by a ``tool_result`` in the very next user turn, with the results first in it. So every call
gets an answer, whatever happened to it: its output, or an error text saying the user
declined, it timed out, the reply was stopped, or its server was gone. Those texts go to the
model, so they are English; the window words its own display of them (``CallRecord``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from desktop_app.core.tool_result_content import NO_OUTPUT, tool_result_content

__all__ = [
    "CANCELLED_TEXT", "DENIED_TEXT", "NOT_OFFERED_TEXT", "NOT_RUN_TEXT", "CallOutcome",
    "CallRecord", "error_result", "failure_text", "records_from_json",
    "results_message_content", "timed_out_text", "tool_result_content", "tool_uses",
    "unanswered_tool_uses", "unavailable_text",
]

DENIED_TEXT = "The user declined to run this tool."
CANCELLED_TEXT = "The user stopped the reply before this tool finished."
NOT_OFFERED_TEXT = "This tool is not available in this conversation."
NOT_RUN_TEXT = "This tool call was not run."


def timed_out_text(seconds: float) -> str:
    """For a call that did not finish within the timeout (and was cancelled)."""
    return f"The tool did not finish within {seconds:g} seconds and was stopped."


def unavailable_text(server_name: str = "", reason: str = "") -> str:
    """For a call whose server is gone, failed to start, or needs signing in.

    Args:
        server_name: the server's name, if known.
        reason: why, in English (the connection's problem text), if known.
    """
    server = f"The tool's server ({server_name})" if server_name else "The tool's server"
    return f"{server} is not available" + (f": {reason}" if reason else ".")


class CallOutcome(StrEnum):
    """How one call ended (the values are stored)."""

    DONE = "done"  # the tool answered (its result may still be an error it reported)
    ERROR = "error"  # the call failed: the tool reported an error, or the protocol broke
    DENIED = "denied"  # the user declined it
    TIMED_OUT = "timed_out"  # no answer within the timeout; cancelled
    CANCELLED = "cancelled"  # the user stopped the reply while it ran (or before it started)
    UNAVAILABLE = "unavailable"  # its server was gone, or the tool was not offered


def failure_text(outcome: CallOutcome, *, seconds: float = 0.0, server_name: str = "",
                 reason: str = "") -> str:
    """The text sent to Claude for a call that did not run to the end.

    Args:
        outcome: DENIED, TIMED_OUT, CANCELLED, UNAVAILABLE or ERROR.
        seconds: the timeout (TIMED_OUT).
        server_name: the server's name (UNAVAILABLE).
        reason: the English reason (UNAVAILABLE, ERROR).
    """
    if outcome is CallOutcome.DENIED:
        return DENIED_TEXT
    if outcome is CallOutcome.TIMED_OUT:
        return timed_out_text(seconds)
    if outcome is CallOutcome.CANCELLED:
        return CANCELLED_TEXT
    if outcome is CallOutcome.UNAVAILABLE:
        return unavailable_text(server_name, reason)
    return f"The tool call failed: {reason}" if reason else "The tool call failed."


def error_result(tool_use_id: str, text: str) -> dict[str, Any]:
    """A ``tool_result`` answering ``tool_use_id`` with an error text."""
    return {
        "type": "tool_result",
        "tool_use_id": tool_use_id,
        "content": [{"type": "text", "text": text}],
        "is_error": True,
    }


@dataclass
class CallRecord:
    """One call and how it ended, kept with the assistant message (``extra["tool_runs"]``)
    for display; what the model got is the ``tool_result`` built from it.

    Attributes:
        tool_use_id: the ``tool_use`` block it answers.
        server_id: the server's id.
        server_name: the server's name when the call was made (kept if it is renamed).
        tool: the tool's MCP name.
        outcome: how it ended.
        seconds: how long it ran (0 when it never started).
        content: the ``tool_result`` content sent to the model.
        is_error: the result is marked as an error.
        notes: what was left out of the tool's output, in English (see
            ``tool_result_content``).
        title: the tool's title when the call was made (what people are shown; empty when
            it has none, and then its MCP name is shown).
    """

    tool_use_id: str
    server_id: str
    server_name: str
    tool: str
    outcome: CallOutcome
    seconds: float
    content: list[dict[str, Any]]
    is_error: bool
    notes: list[str] = field(default_factory=list)
    title: str = ""

    @classmethod
    def failed(cls, tool_use_id: str, *, server_id: str, server_name: str, tool: str,
               outcome: CallOutcome, text: str, seconds: float = 0.0,
               title: str = "") -> CallRecord:
        """A call that did not run to the end, answered with ``text`` as an error."""
        return cls(tool_use_id, server_id, server_name, tool, outcome, seconds,
                   [{"type": "text", "text": text}], True, title=title)

    def result_block(self) -> dict[str, Any]:
        """The ``tool_result`` block answering this call (never with empty content)."""
        block: dict[str, Any] = {
            "type": "tool_result",
            "tool_use_id": self.tool_use_id,
            "content": list(self.content) or [{"type": "text", "text": NO_OUTPUT}],
        }
        if self.is_error:
            block["is_error"] = True
        return block

    def to_json(self) -> dict[str, Any]:
        """As JSON, for the message's ``extra``."""
        return {
            "tool_use_id": self.tool_use_id,
            "server_id": self.server_id,
            "server_name": self.server_name,
            "tool": self.tool,
            "outcome": self.outcome.value,
            "seconds": self.seconds,
            "content": list(self.content),
            "is_error": self.is_error,
            "notes": list(self.notes),
            **({"title": self.title} if self.title else {}),
        }

    @classmethod
    def from_json(cls, data: Any) -> CallRecord | None:
        """Read ``to_json``'s output; None when ``data`` is not a record (no text
        ``tool_use_id``). Other fields of the wrong type read as empty, an unknown outcome as
        ERROR: it is for display only, and history must open whatever it holds."""
        if not isinstance(data, Mapping) or not isinstance(data.get("tool_use_id"), str):
            return None
        try:
            outcome = CallOutcome(_string(data.get("outcome")))
        except ValueError:
            outcome = CallOutcome.ERROR
        seconds = data.get("seconds")
        content = data.get("content")
        notes = data.get("notes")
        return cls(
            tool_use_id=data["tool_use_id"],
            server_id=_string(data.get("server_id")),
            server_name=_string(data.get("server_name")),
            tool=_string(data.get("tool")),
            outcome=outcome,
            seconds=(float(seconds) if isinstance(seconds, int | float)
                     and not isinstance(seconds, bool) and math.isfinite(seconds)
                     and seconds >= 0 else 0.0),
            content=([b for b in content if isinstance(b, dict)]
                     if isinstance(content, list) else []),
            is_error=data.get("is_error") is True,
            notes=[n for n in notes if isinstance(n, str)] if isinstance(notes, list) else [],
            title=_string(data.get("title")),
        )


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def records_from_json(data: Any) -> list[CallRecord]:
    """The records of a message's ``extra["tool_runs"]``, skipping what is not one."""
    if not isinstance(data, list):
        return []
    found = (CallRecord.from_json(item) for item in data)
    return [record for record in found if record is not None]


def tool_uses(message_content: Any) -> list[dict[str, Any]]:
    """The ``tool_use`` blocks of an assistant turn's content, in order."""
    if not isinstance(message_content, list):
        return []
    return [b for b in message_content if isinstance(b, dict) and b.get("type") == "tool_use"]


def _tool_use_ids(message_content: Any) -> list[str]:
    ids = (block.get("id") for block in tool_uses(message_content))
    return list(dict.fromkeys(i for i in ids if isinstance(i, str)))


def results_message_content(records: Iterable[CallRecord], order: Sequence[str]) -> list[
        dict[str, Any]]:
    """The user turn that answers an assistant turn: one ``tool_result`` per ``tool_use`` id
    in ``order`` (the assistant turn's order), nothing else.

    A record for an id not in ``order`` is left out (the API refuses results for calls it did
    not make); an id without a record is answered with an error (``NOT_RUN_TEXT``), so the
    turn is valid whatever the caller missed. Each id is answered once.
    """
    by_id: dict[str, CallRecord] = {}
    for record in records:
        by_id.setdefault(record.tool_use_id, record)
    content: list[dict[str, Any]] = []
    for tool_use_id in dict.fromkeys(order):
        answer = by_id.get(tool_use_id)
        content.append(answer.result_block() if answer is not None
                       else error_result(tool_use_id, NOT_RUN_TEXT))
    return content


def _role_and_content(message: Any) -> tuple[Any, Any]:
    if isinstance(message, Mapping):
        return message.get("role"), message.get("content")
    return getattr(message, "role", None), getattr(message, "content", None)


def unanswered_tool_uses(messages: Sequence[Any]) -> list[str]:
    """The ``tool_use`` ids of the last assistant turn that the turn after it does not answer
    (all of them when it is the last message): what a crash mid-round leaves, for the session
    to answer (with ``CANCELLED_TEXT``) before the conversation continues.

    Args:
        messages: the conversation's messages, as ``core.conversation.Message`` objects or
            as API-shaped dicts (``role``, ``content``).
    """
    turns = [_role_and_content(message) for message in messages]
    last = next((i for i in range(len(turns) - 1, -1, -1) if turns[i][0] == "assistant"), None)
    if last is None:
        return []
    ids = _tool_use_ids(turns[last][1])
    answered: set[str] = set()
    if last + 1 < len(turns) and turns[last + 1][0] == "user":
        following = turns[last + 1][1]
        if isinstance(following, list):
            answered = {_string(b.get("tool_use_id")) for b in following
                        if isinstance(b, dict) and b.get("type") == "tool_result"}
    return [i for i in ids if i not in answered]
