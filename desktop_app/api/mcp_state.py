"""What an MCP server connection tells the rest of Cairn: its status and tools, and a call's
result or why there is none. Plain data: the UI shows it, the session decides with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from desktop_app.api.mcp_failures import ServerProblem, ServerProblemKind


class ServerStatus(StrEnum):
    """NEEDS_SIGN_IN: a remote server wants the person to sign in (``McpConnection.sign_in``)."""

    STOPPED = "stopped"
    STARTING = "starting"
    READY = "ready"
    FAILED = "failed"
    NEEDS_SIGN_IN = "needs_sign_in"


@dataclass(frozen=True)
class McpTool:
    """A tool as the server lists it. ``title`` is what to show (the server's title, else its
    annotation's title, else the name); ``read_only`` is the server's readOnlyHint (a claim
    by the server, which only the user may decide to trust)."""

    name: str
    title: str
    description: str
    input_schema: dict[str, Any]
    read_only: bool


@dataclass(frozen=True)
class ServerState:
    """What the user is shown. ``problem`` is English for logs; the UI words
    ``problem_kind`` (a ``ServerProblemKind`` value) and ``problem_facts`` itself."""

    status: ServerStatus
    tools: tuple[McpTool, ...] = ()
    problem: str = ""
    problem_kind: str = ""
    problem_facts: dict[str, Any] = field(default_factory=dict)
    stderr_tail: tuple[str, ...] = ()


@dataclass(frozen=True)
class McpCallResult:
    """A tool's result: ``content`` as plain dicts in MCP's wire shape
    (``model_dump(by_alias=True, mode="json")``), for core.tool_calls to turn into the API's."""

    content: list[dict[str, Any]]
    structured: Any
    is_error: bool


class McpCallError(Exception):
    """A call that produced no result. ``kind``: "timeout", "server_died", "not_ready" (the
    server could not be started, or was stopped) or "protocol"; ``message`` is English."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def failed_state(problem: ServerProblem, stderr_tail: tuple[str, ...]) -> ServerState:
    """FAILED with the problem, or NEEDS_SIGN_IN when that is the problem."""
    status = (ServerStatus.NEEDS_SIGN_IN if problem.kind is ServerProblemKind.SIGN_IN_REQUIRED
              else ServerStatus.FAILED)
    return ServerState(
        status, problem=problem.text, problem_kind=problem.kind.value,
        problem_facts=dict(problem.facts), stderr_tail=stderr_tail,
    )
