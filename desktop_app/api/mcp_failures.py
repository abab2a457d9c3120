"""Why an MCP server could not start or went away, as a kind and its facts (the UI words them)
plus an English sentence for logs.

The SDK reports a failed connection as (nested) exception groups from its task groups: a
server that exits at once is ``EG(EG(MCPError(-32000)))``, a refused TCP connection
``EG(ConnectError)``. They are flattened to their leaves, and the first leaf that says
something (not a cancellation) decides.
"""

from __future__ import annotations

import asyncio
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from desktop_app.core.mcp_servers import McpServerConfig, Transport

# JSON-RPC codes the SDK uses (mcp_types/jsonrpc.py), here to keep `import mcp` lazy.
CONNECTION_CLOSED = -32000
REQUEST_TIMEOUT = -32001


class ServerProblemKind(StrEnum):
    """What went wrong with a server; the facts are the names in ``ENGLISH``."""

    COMMAND_NOT_FOUND = "command_not_found"  # command
    FOLDER_NOT_FOUND = "folder_not_found"  # folder: the working folder does not exist
    CANNOT_START = "cannot_start"  # command, reason (from the system)
    EXITED_AT_START = "exited_at_start"  # the process ended before answering (see stderr)
    EXITED = "exited"  # the process ended while in use
    START_TIMEOUT = "start_timeout"  # seconds: no answer to the handshake
    UNREACHABLE = "unreachable"  # url, reason
    UNAUTHORIZED = "unauthorized"  # url, status: 401/403, and no sign-in offered
    HTTP_STATUS = "http_status"  # url, status
    CONNECTION_LOST = "connection_lost"  # url: a remote server stopped answering while in use
    PROTOCOL = "protocol"  # message: the server's answers were not MCP Cairn understands
    TOOLS_UNAVAILABLE = "tools_unavailable"  # message: tools/list failed
    SIGN_IN_REQUIRED = "sign_in_required"  # url
    SIGN_IN_FAILED = "sign_in_failed"  # url, reason
    BAD_CONFIG = "bad_config"  # problem (a core ConfigProblemKind value)


ENGLISH: Mapping[ServerProblemKind, str] = MappingProxyType({
    ServerProblemKind.COMMAND_NOT_FOUND: "The command {command!r} was not found.",
    ServerProblemKind.FOLDER_NOT_FOUND: "The working folder {folder!r} does not exist.",
    ServerProblemKind.CANNOT_START: "{command!r} could not be started ({reason}).",
    ServerProblemKind.EXITED_AT_START: "The server exited before it answered.",
    ServerProblemKind.EXITED: "The server exited.",
    ServerProblemKind.START_TIMEOUT: "The server did not answer within {seconds} seconds.",
    ServerProblemKind.UNREACHABLE: "{url} could not be reached ({reason}).",
    ServerProblemKind.UNAUTHORIZED: "{url} refused the connection (HTTP {status}); check its headers.",
    ServerProblemKind.HTTP_STATUS: "{url} answered with HTTP {status}.",
    ServerProblemKind.CONNECTION_LOST: "The connection to {url} was lost.",
    ServerProblemKind.PROTOCOL: "The server's answer was not understood ({message}).",
    ServerProblemKind.TOOLS_UNAVAILABLE: "The server did not list its tools ({message}).",
    ServerProblemKind.SIGN_IN_REQUIRED: "{url} asks you to sign in.",
    ServerProblemKind.SIGN_IN_FAILED: "Signing in to {url} failed ({reason}).",
    ServerProblemKind.BAD_CONFIG: "The server's settings are incomplete ({problem}).",
})


@dataclass(frozen=True)
class ServerProblem:
    kind: ServerProblemKind
    facts: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        try:
            return ENGLISH[self.kind].format(**self.facts)
        except (KeyError, IndexError, ValueError):
            return self.kind.value


def shown_url(url: str) -> str:
    """A server's address as problems show and log it: without a user name, password or
    query (remote MCP URLs often carry an API key as ``?api_key=...``)."""
    parts = urllib.parse.urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    if ":" in (parts.hostname or "") and not host.startswith("["):
        host = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port is not None else "")
    shown = urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))
    return shown + ("?…" if parts.query else "")


def leaves(error: BaseException) -> Iterator[BaseException]:
    """The exceptions inside (nested) exception groups, in order."""
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            yield from leaves(inner)
    else:
        yield error


def telling_leaf(error: BaseException) -> BaseException:
    """The first leaf that is not a cancellation (the SDK cancels the rest when one fails)."""
    found = [leaf for leaf in leaves(error) if not isinstance(leaf, asyncio.CancelledError)]
    return found[0] if found else error


def start_problem(
    error: BaseException, config: McpServerConfig, http_status: int | None,
    start_timeout: float, signing_in: bool = False,
) -> ServerProblem:
    """Why a start failed. ``http_status``: the last error status a remote server answered
    (the SDK's own error does not carry it: a 401 arrives as "Server returned an error");
    ``signing_in``: the person was signing in (so OAuth failures are theirs to see)."""
    leaf = telling_leaf(error)
    name = type(leaf).__name__
    if config.transport is Transport.HTTP:
        if any(type(found).__name__ == "NeedsSignIn" for found in leaves(error)):
            return ServerProblem(ServerProblemKind.SIGN_IN_REQUIRED, {"url": shown_url(config.url)})
        if _is_sign_in_failure(leaf, signing_in):
            if signing_in:
                reason = "no answer from the browser" if isinstance(leaf, TimeoutError) else _message(leaf)
                return ServerProblem(ServerProblemKind.SIGN_IN_FAILED,
                                     {"url": shown_url(config.url), "reason": reason})
            # The server wants credentials and offers no sign-in Cairn can do.
            return ServerProblem(ServerProblemKind.UNAUTHORIZED,
                                 {"url": shown_url(config.url), "status": http_status or 401})
        return _http_problem(leaf, shown_url(config.url), http_status, start_timeout)
    if isinstance(leaf, TimeoutError):
        return ServerProblem(ServerProblemKind.START_TIMEOUT, {"seconds": round(start_timeout)})
    if isinstance(leaf, (FileNotFoundError, NotADirectoryError)):
        if config.cwd and leaf.filename in {config.cwd, _expanded(config.cwd)}:
            return ServerProblem(ServerProblemKind.FOLDER_NOT_FOUND, {"folder": config.cwd})
        return ServerProblem(ServerProblemKind.COMMAND_NOT_FOUND, {"command": config.command})
    if isinstance(leaf, OSError):
        reason = leaf.strerror or name
        return ServerProblem(ServerProblemKind.CANNOT_START,
                             {"command": config.command, "reason": reason})
    if isinstance(leaf, ValueError) and "null" in str(leaf).lower():
        return ServerProblem(ServerProblemKind.CANNOT_START,
                             {"command": config.command, "reason": str(leaf)})
    code = getattr(leaf, "code", None)
    if code == CONNECTION_CLOSED:
        return ServerProblem(ServerProblemKind.EXITED_AT_START)
    return ServerProblem(ServerProblemKind.PROTOCOL, {"message": _message(leaf)})


def _is_sign_in_failure(leaf: BaseException, signing_in: bool) -> bool:
    """An OAuth flow that failed (the SDK's errors, a refusal in the browser)."""
    if signing_in and isinstance(leaf, TimeoutError):
        return True
    return any(cls.__name__ in {"OAuthFlowError", "SignInRefused"} for cls in type(leaf).__mro__)


def _http_problem(
    leaf: BaseException, url: str, http_status: int | None, start_timeout: float
) -> ServerProblem:
    if http_status in {401, 403}:
        return ServerProblem(ServerProblemKind.UNAUTHORIZED, {"url": url, "status": http_status})
    if http_status is not None and http_status >= 400:
        return ServerProblem(ServerProblemKind.HTTP_STATUS, {"url": url, "status": http_status})
    if isinstance(leaf, TimeoutError):
        return ServerProblem(ServerProblemKind.START_TIMEOUT, {"seconds": round(start_timeout)})
    module = type(leaf).__module__.split(".")[0]
    if module in {"httpx2", "httpx", "httpcore", "ssl"} or isinstance(leaf, OSError):
        return ServerProblem(ServerProblemKind.UNREACHABLE, {"url": url, "reason": _message(leaf)})
    return ServerProblem(ServerProblemKind.PROTOCOL, {"message": _message(leaf)})


def _message(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) <= 300 else text[:299] + "…"


def _expanded(path: str) -> str:
    import os.path

    return os.path.expanduser(path)
