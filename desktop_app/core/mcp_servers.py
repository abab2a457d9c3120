"""MCP servers as the user configured them: what to start (a command) or where to connect (a
URL), as plain data, and the ``mcpServers`` block of Claude Desktop's config read into it.

Environment values and header values are secrets (API keys and tokens live there), so a
configuration splits in two: ``to_json()`` names them without their values (that part goes to
a file) and ``secrets()`` holds the values (that part goes to the keyring). ``from_json`` puts
the two back together. Nothing here reads a file or starts anything.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from types import MappingProxyType
from typing import Any

Fact = str | int

SERVER_ID_PREFIX = "srv_"
_SERVER_ID = re.compile(r"^srv_[0-9a-f]{6,32}$")
# What one server's configuration may hold: beyond these, an entry is hostile, not a mistake.
MAX_ARGS = 256
MAX_PAIRS = 128
MAX_TEXT = 8192


class Transport(StrEnum):
    """How Cairn talks to a server: a local process over stdin/stdout, or Streamable HTTP."""

    STDIO = "stdio"
    HTTP = "http"


def new_server_id() -> str:
    """A stable id for a new server: settings, approvals and keyring entries refer to it, so a
    rename keeps them."""
    return SERVER_ID_PREFIX + uuid.uuid4().hex[:16]


def is_server_id(text: object) -> bool:
    return isinstance(text, str) and bool(_SERVER_ID.match(text))


@dataclass(frozen=True)
class McpServerConfig:
    """One server. ``env`` and ``headers`` are (name, value) pairs in the user's order; their
    values are secrets (see the module docstring)."""

    id: str
    name: str
    transport: Transport
    command: str = ""
    args: tuple[str, ...] = ()
    cwd: str = ""
    env: tuple[tuple[str, str], ...] = ()
    url: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    enabled: bool = True

    @property
    def remote(self) -> bool:
        """Whether the server runs elsewhere (its tools reach the network on their own)."""
        return self.transport is Transport.HTTP

    def to_json(self) -> dict[str, Any]:
        """The file's part: everything but the values of ``env`` and ``headers``."""
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "transport": self.transport.value,
            "enabled": self.enabled,
        }
        if self.transport is Transport.STDIO:
            data.update(command=self.command, args=list(self.args), cwd=self.cwd,
                        env=[name for name, _ in self.env])
        else:
            data.update(url=self.url, headers=[name for name, _ in self.headers])
        return data

    def secrets(self) -> dict[str, dict[str, str]]:
        """The keyring's part: the values of ``env`` and ``headers`` by name."""
        return {"env": dict(self.env), "headers": dict(self.headers)}

    def has_secrets(self) -> bool:
        return bool(self.env or self.headers)

    @classmethod
    def from_json(cls, data: Any, secrets: Any = None) -> McpServerConfig:
        """A configuration from the file's part and the keyring's part (``None`` when the
        keyring had nothing): a name whose value is missing gets "" (the store reports it).

        Raises:
            ValueError: when ``data`` is not a server Cairn wrote (no valid id, name or
                transport); wrong types in optional fields fall back to their defaults.
        """
        if not isinstance(data, Mapping):
            raise ValueError("a server is not a JSON object")
        server_id = data.get("id")
        if not is_server_id(server_id):
            raise ValueError(f"a server has no valid id ({server_id!r:.40})")
        try:
            transport = Transport(str(data.get("transport")))
        except ValueError:
            raise ValueError(f"server {server_id} has an unknown transport") from None
        name = _text(data.get("name")).strip() or str(server_id)
        values = _secret_values(secrets)
        enabled = data.get("enabled", True)
        config = cls(id=str(server_id), name=name, transport=transport,
                     enabled=enabled if isinstance(enabled, bool) else True)
        if transport is Transport.STDIO:
            return replace(
                config,
                command=_text(data.get("command")),
                args=_strings(data.get("args")),
                cwd=_text(data.get("cwd")),
                env=tuple((key, values["env"].get(key, "")) for key in _names(data.get("env"))),
            )
        return replace(
            config,
            url=_text(data.get("url")),
            headers=tuple(
                (key, values["headers"].get(key, "")) for key in _names(data.get("headers"))
            ),
        )

    def missing_secrets(self, secrets: Any) -> tuple[str, ...]:
        """The env and header names that ``secrets`` (the keyring's part) has no value for."""
        values = _secret_values(secrets)
        return tuple(
            [key for key, _ in self.env if key not in values["env"]]
            + [key for key, _ in self.headers if key not in values["headers"]]
        )


def _text(value: Any) -> str:
    return value[:MAX_TEXT] if isinstance(value, str) else ""


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item[:MAX_TEXT] for item in value[:MAX_ARGS] if isinstance(item, str))


def _names(value: Any) -> tuple[str, ...]:
    """Env or header names, each once, in order."""
    names: dict[str, None] = {}
    for item in _strings(value)[:MAX_PAIRS]:
        if item:
            names.setdefault(item, None)
    return tuple(names)


def _secret_values(secrets: Any) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {"env": {}, "headers": {}}
    if not isinstance(secrets, Mapping):
        return result
    for part in result:
        values = secrets.get(part)
        if isinstance(values, Mapping):
            result[part] = {
                key: value for key, value in values.items()
                if isinstance(key, str) and isinstance(value, str)
            }
    return result


# -- problems ------------------------------------------------------------------------------------


class ConfigProblemKind(StrEnum):
    """What is wrong with a configuration or an imported entry; the facts are the names in its
    English sentence (``ENGLISH``), which is for logs: the UI words its own from kind + facts."""

    # A server the user is editing (config_problems)
    NO_NAME = "no_name"
    NO_COMMAND = "no_command"
    BAD_URL = "bad_url"  # url
    BAD_ENV_NAME = "bad_env_name"  # variable
    BAD_HEADER_NAME = "bad_header_name"  # header
    # Reading claude_desktop_config.json (storage reads it, parse_claude_desktop_config parses)
    FILE_UNREADABLE = "file_unreadable"  # path, reason (from the system)
    FILE_TOO_LARGE = "file_too_large"  # path, limit ("1 MB")
    NOT_TEXT = "not_text"  # path: not UTF-8
    NOT_JSON = "not_json"  # line, column
    NOT_AN_OBJECT = "not_an_object"
    NO_SERVERS = "no_servers"
    ENTRY_NOT_AN_OBJECT = "entry_not_an_object"  # name
    ENTRY_WITHOUT_COMMAND = "entry_without_command"  # name: neither a command nor a URL
    ENTRY_BAD_FIELD = "entry_bad_field"  # name, field: a field of the wrong type, entry skipped
    ENTRY_UNSUPPORTED_TYPE = "entry_unsupported_type"  # name, type
    TOO_MANY_SERVERS = "too_many_servers"  # limit
    # Notes on entries that were imported
    SSE_AS_HTTP = "sse_as_http"  # name: an SSE server, imported as Streamable HTTP
    MCP_REMOTE_AS_HTTP = "mcp_remote_as_http"  # name, url: `npx mcp-remote <url>` connected directly


ENGLISH: Mapping[ConfigProblemKind, str] = MappingProxyType({
    ConfigProblemKind.NO_NAME: "The server has no name.",
    ConfigProblemKind.NO_COMMAND: "The server has no command to run.",
    ConfigProblemKind.BAD_URL: "{url!r} is not an http:// or https:// address.",
    ConfigProblemKind.BAD_ENV_NAME: "{variable!r} cannot be the name of an environment variable.",
    ConfigProblemKind.BAD_HEADER_NAME: "{header!r} cannot be the name of an HTTP header.",
    ConfigProblemKind.FILE_UNREADABLE: "{path} could not be read ({reason}).",
    ConfigProblemKind.FILE_TOO_LARGE: "{path} is larger than {limit}; it is not a Claude Desktop config.",
    ConfigProblemKind.NOT_TEXT: "{path} is not a text file.",
    ConfigProblemKind.NOT_JSON: "The file is not valid JSON (line {line}, column {column}).",
    ConfigProblemKind.NOT_AN_OBJECT: "The file does not hold a JSON object.",
    ConfigProblemKind.NO_SERVERS: "The file has no \"mcpServers\" section.",
    ConfigProblemKind.ENTRY_NOT_AN_OBJECT: "Server {name!r} is not a JSON object; skipped.",
    ConfigProblemKind.ENTRY_WITHOUT_COMMAND: "Server {name!r} has neither a command nor a URL; skipped.",
    ConfigProblemKind.ENTRY_BAD_FIELD: "Server {name!r} has an unusable {field!r}; skipped.",
    ConfigProblemKind.ENTRY_UNSUPPORTED_TYPE: "Server {name!r} is of type {type!r}, which Cairn does not support; skipped.",
    ConfigProblemKind.TOO_MANY_SERVERS: "Only the first {limit} servers were read.",
    ConfigProblemKind.SSE_AS_HTTP: "Server {name!r} uses SSE; it was imported as Streamable HTTP, which most such servers also speak.",
    ConfigProblemKind.MCP_REMOTE_AS_HTTP: "Server {name!r} ran mcp-remote for {url}; Cairn connects to that address directly.",
})


@dataclass(frozen=True)
class ConfigProblem:
    """A kind and its facts, never a sentence in one language (see ``ConfigProblemKind``)."""

    kind: ConfigProblemKind
    facts: Mapping[str, Fact] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The English sentence, for logs."""
        try:
            return ENGLISH[self.kind].format(**self.facts)
        except (KeyError, IndexError, ValueError):
            return f"{self.kind.value}: {dict(self.facts)}"


_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# RFC 9110 token characters.
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def config_problems(config: McpServerConfig) -> list[ConfigProblem]:
    """What keeps a server the user is editing from being usable, in the order of the form."""
    problems: list[ConfigProblem] = []
    if not config.name.strip():
        problems.append(ConfigProblem(ConfigProblemKind.NO_NAME))
    if config.transport is Transport.STDIO:
        if not config.command.strip():
            problems.append(ConfigProblem(ConfigProblemKind.NO_COMMAND))
        problems += [
            ConfigProblem(ConfigProblemKind.BAD_ENV_NAME, {"variable": name})
            for name, _ in config.env if not _ENV_NAME.match(name)
        ]
    else:
        if not is_http_url(config.url):
            problems.append(ConfigProblem(ConfigProblemKind.BAD_URL, {"url": config.url}))
        problems += [
            ConfigProblem(ConfigProblemKind.BAD_HEADER_NAME, {"header": name})
            for name, _ in config.headers if not _HEADER_NAME.match(name)
        ]
    return problems


def is_http_url(text: str) -> bool:
    """An absolute http(s) URL with a host and no spaces: what Streamable HTTP can reach."""
    match = _HTTP_URL.match(text.strip())
    return match is not None and not match.group(1).startswith(("@", ":"))


_HTTP_URL = re.compile(r"^https?://([^/?#\s]+)[^\s]*$", re.IGNORECASE)


# -- Claude Desktop's claude_desktop_config.json ------------------------------------------------

MAX_IMPORTED_SERVERS = 200
_HTTP_TYPES = {"http", "streamable-http", "streamable_http", "streamablehttp"}
_NPX_LIKE = {"npx", "npx.cmd", "npx.exe", "bunx", "bunx.exe", "pnpx", "pnpx.cmd"}
_MCP_REMOTE = re.compile(r"^mcp-remote(@[\w.^~<>=*-]+)?$")
_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def parse_claude_desktop_config(
    text: str,
) -> tuple[list[McpServerConfig], list[ConfigProblem]]:
    """The servers in a Claude Desktop config (or any file with an ``mcpServers`` block:
    Claude Code's ``.mcp.json``, Cursor's ``mcp.json``), and what could not be imported.

    Lenient where the intent is clear (numbers as env values, an entry's extra keys,
    ``"disabled": true``); an entry whose fields have the wrong types is skipped and reported,
    never half-imported. Every other top-level key is ignored. Each server gets a new id.
    ``npx mcp-remote <url>`` entries become HTTP servers at that URL (Cairn speaks Streamable
    HTTP itself), with their ``--header`` flags as headers.
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [ConfigProblem(ConfigProblemKind.NOT_JSON,
                                  {"line": exc.lineno, "column": exc.colno})]
    except (RecursionError, ValueError):
        return [], [ConfigProblem(ConfigProblemKind.NOT_JSON, {"line": 0, "column": 0})]
    if not isinstance(document, dict):
        return [], [ConfigProblem(ConfigProblemKind.NOT_AN_OBJECT)]
    entries = document.get("mcpServers")
    if not isinstance(entries, dict):
        return [], [ConfigProblem(ConfigProblemKind.NO_SERVERS)]
    servers: list[McpServerConfig] = []
    problems: list[ConfigProblem] = []
    for index, (name, entry) in enumerate(entries.items()):
        if index >= MAX_IMPORTED_SERVERS:
            problems.append(ConfigProblem(ConfigProblemKind.TOO_MANY_SERVERS,
                                          {"limit": MAX_IMPORTED_SERVERS}))
            break
        server, entry_problems = _imported_server(str(name)[:200], entry)
        problems += entry_problems
        if server is not None:
            servers.append(server)
    return servers, problems


def _imported_server(
    name: str, entry: Any
) -> tuple[McpServerConfig | None, list[ConfigProblem]]:
    if not isinstance(entry, dict):
        return None, [ConfigProblem(ConfigProblemKind.ENTRY_NOT_AN_OBJECT, {"name": name})]

    def bad(field_name: str) -> tuple[None, list[ConfigProblem]]:
        return None, [ConfigProblem(ConfigProblemKind.ENTRY_BAD_FIELD,
                                    {"name": name, "field": field_name})]

    kind = entry.get("type", entry.get("transport"))
    if kind is not None and not isinstance(kind, str):
        return bad("type")
    kind = (kind or "").strip().lower()
    disabled = entry.get("disabled") is True or entry.get("enabled") is False
    env = _string_pairs(entry.get("env", {}))
    if env is None:
        return bad("env")
    url = entry.get("url", entry.get("serverUrl"))
    if url is not None:
        if not isinstance(url, str) or not is_http_url(url):
            return bad("url")
        if kind not in _HTTP_TYPES | {"", "sse"}:
            return None, [ConfigProblem(ConfigProblemKind.ENTRY_UNSUPPORTED_TYPE,
                                        {"name": name, "type": kind})]
        headers = _string_pairs(entry.get("headers", {}))
        if headers is None:
            return bad("headers")
        server = McpServerConfig(
            id=new_server_id(), name=name, transport=Transport.HTTP, url=url.strip(),
            headers=headers, enabled=not disabled,
        )
        notes = [ConfigProblem(ConfigProblemKind.SSE_AS_HTTP, {"name": name})] if kind == "sse" else []
        return server, notes
    command = entry.get("command")
    if command is None:
        return None, [ConfigProblem(ConfigProblemKind.ENTRY_WITHOUT_COMMAND, {"name": name})]
    if kind not in {"", "stdio"}:
        return None, [ConfigProblem(ConfigProblemKind.ENTRY_UNSUPPORTED_TYPE,
                                    {"name": name, "type": kind})]
    if not isinstance(command, str) or not command.strip() or len(command) > MAX_TEXT:
        return bad("command")
    args = entry.get("args", [])
    if not isinstance(args, list) or len(args) > MAX_ARGS or not all(
        isinstance(arg, str) and len(arg) <= MAX_TEXT for arg in args
    ):
        return bad("args")
    cwd = entry.get("cwd", "")
    if not isinstance(cwd, str) or len(cwd) > MAX_TEXT:
        return bad("cwd")
    remote = _mcp_remote(name, command, args, env, disabled)
    if remote is not None:
        return remote, [ConfigProblem(ConfigProblemKind.MCP_REMOTE_AS_HTTP,
                                      {"name": name, "url": remote.url})]
    return McpServerConfig(
        id=new_server_id(), name=name, transport=Transport.STDIO, command=command.strip(),
        args=tuple(args), cwd=cwd.strip(), env=env, enabled=not disabled,
    ), []


def _string_pairs(value: Any) -> tuple[tuple[str, str], ...] | None:
    """An object of names to values (numbers and booleans written as JSON writes them);
    None when it is not one."""
    if not isinstance(value, dict) or len(value) > MAX_PAIRS:
        return None
    pairs: list[tuple[str, str]] = []
    for key, item in value.items():
        if isinstance(item, str):
            text = item
        elif isinstance(item, bool | int) or (isinstance(item, float) and math.isfinite(item)):
            text = json.dumps(item)
        else:
            return None
        if not key or len(key) > MAX_TEXT or len(text) > MAX_TEXT:
            return None
        pairs.append((key, text))
    return tuple(pairs)


def _mcp_remote(
    name: str, command: str, args: list[str], env: tuple[tuple[str, str], ...], disabled: bool
) -> McpServerConfig | None:
    """``npx [-y] mcp-remote <url> [--header "Name: value"]...`` as a direct HTTP server, or
    None when the entry is anything else (or mcp-remote is given nothing Cairn can use)."""
    if PurePath(command.replace("\\", "/")).name.lower() not in _NPX_LIKE:
        return None
    position = next((i for i, arg in enumerate(args) if _MCP_REMOTE.match(arg)), None)
    if position is None:
        return None
    rest = args[position + 1:]
    url = next((arg for arg in rest if is_http_url(arg)), None)
    if url is None:
        return None
    variables = dict(env)

    def expand(text: str) -> str:
        return _ENV_REFERENCE.sub(lambda m: variables.get(m.group(1), m.group(0)), text)

    headers: list[tuple[str, str]] = []
    for flag, value in zip(rest, rest[1:]):
        if flag == "--header" and ":" in value:
            key, _, header_value = value.partition(":")
            if key.strip():
                headers.append((key.strip(), expand(header_value.strip())))
    return McpServerConfig(
        id=new_server_id(), name=name, transport=Transport.HTTP, url=url.strip(),
        headers=tuple(headers), enabled=not disabled,
    )


MSIX_PACKAGE = "Claude_pzs8sxrjxfjjc"


def claude_desktop_config_paths(
    system: str, environ: Mapping[str, str], home: str | PurePath
) -> list[PurePath]:
    """Where Claude Desktop keeps ``claude_desktop_config.json`` on this system, most likely
    first (the caller opens the first that exists).

    ``system`` is ``platform.system()`` ("Darwin", "Windows", "Linux") or ``sys.platform``.
    On Windows the app is an MSIX package since 2026, which reads its config from the
    package's LocalCache and not from %APPDATA% (where the older installer kept it).
    Linux has no official app; community builds and the SDK's helper use the XDG config dir.
    """
    name = "claude_desktop_config.json"
    system = system.lower()
    if system in {"windows", "win32", "cygwin"}:
        windows_home = PureWindowsPath(str(home))
        local = environ.get("LOCALAPPDATA") or str(windows_home / "AppData" / "Local")
        roaming = environ.get("APPDATA") or str(windows_home / "AppData" / "Roaming")
        return [
            PureWindowsPath(local, "Packages", MSIX_PACKAGE, "LocalCache", "Roaming", "Claude", name),
            PureWindowsPath(roaming, "Claude", name),
        ]
    posix_home = PurePosixPath(str(home))
    if system in {"darwin", "macos"}:
        return [posix_home / "Library" / "Application Support" / "Claude" / name]
    config_home = environ.get("XDG_CONFIG_HOME") or ""
    paths: list[PurePath] = []
    if config_home.startswith("/"):
        paths.append(PurePosixPath(config_home, "Claude", name))
    default = posix_home / ".config" / "Claude" / name
    return paths + ([default] if default not in paths else [])
