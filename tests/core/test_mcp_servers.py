"""MCP server configurations: the file's part never holds a secret, a configuration comes back
whole from its two parts, and Claude Desktop's config is imported leniently and safely."""

from __future__ import annotations

import json
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.mcp_servers import (
    ConfigProblemKind,
    McpServerConfig,
    Transport,
    claude_desktop_config_paths,
    config_problems,
    is_server_id,
    new_server_id,
    parse_claude_desktop_config,
)

SECRET = "sk-live-0123456789abcdef"
TOKEN = "Bearer tok-9876543210"


def stdio_server(**changes: Any) -> McpServerConfig:
    values: dict[str, Any] = dict(
        id="srv_0123456789abcdef", name="Files", transport=Transport.STDIO, command="npx",
        args=("-y", "@modelcontextprotocol/server-filesystem", "/home/me"), cwd="/tmp",
        env=(("API_KEY", SECRET), ("DEBUG", "1")),
    )
    values.update(changes)
    return McpServerConfig(**values)


def http_server(**changes: Any) -> McpServerConfig:
    values: dict[str, Any] = dict(
        id="srv_fedcba9876543210", name="Remote", transport=Transport.HTTP,
        url="https://mcp.example.com/mcp", headers=(("Authorization", TOKEN),),
    )
    values.update(changes)
    return McpServerConfig(**values)


# -- the file's part and the keyring's part -------------------------------------------------------


def test_new_ids_are_stable_looking_and_distinct() -> None:
    ids = {new_server_id() for _ in range(200)}
    assert len(ids) == 200 and all(is_server_id(server_id) for server_id in ids)


def test_the_files_part_names_secrets_without_their_values() -> None:
    for config in (stdio_server(), http_server()):
        text = json.dumps(config.to_json())
        assert SECRET not in text and TOKEN not in text
    assert stdio_server().to_json()["env"] == ["API_KEY", "DEBUG"]
    assert http_server().to_json()["headers"] == ["Authorization"]
    assert stdio_server().secrets() == {"env": {"API_KEY": SECRET, "DEBUG": "1"}, "headers": {}}
    assert http_server().secrets() == {"env": {}, "headers": {"Authorization": TOKEN}}


def test_a_configuration_comes_back_whole_from_its_two_parts() -> None:
    for config in (stdio_server(), http_server(), stdio_server(enabled=False, env=())):
        data = json.loads(json.dumps(config.to_json()))
        secrets = json.loads(json.dumps(config.secrets()))
        assert McpServerConfig.from_json(data, secrets) == config
        assert config.missing_secrets(secrets) == ()


def test_missing_secrets_are_named_and_left_empty() -> None:
    config = McpServerConfig.from_json(stdio_server().to_json(), None)
    assert config.env == (("API_KEY", ""), ("DEBUG", ""))
    assert stdio_server().missing_secrets({"env": {"DEBUG": "1"}}) == ("API_KEY",)
    assert http_server().missing_secrets("garbage") == ("Authorization",)


def test_unusable_entries_raise_and_wrong_optional_types_fall_back() -> None:
    for data in (None, [], {"id": "x", "transport": "stdio"}, {"id": "srv_0123456789", "transport": "ftp"},
                 {"id": "srv_0123456789"}):
        try:
            McpServerConfig.from_json(data, {})
        except ValueError:
            continue
        raise AssertionError(f"accepted {data!r}")
    config = McpServerConfig.from_json(
        {"id": "srv_0123456789", "transport": "stdio", "name": 5, "command": ["x"], "args": "a b",
         "env": {"A": "b"}, "enabled": "yes", "cwd": None},
        {"env": {"A": 1}, "headers": []},
    )
    assert config == McpServerConfig(id="srv_0123456789", name="srv_0123456789",
                                      transport=Transport.STDIO)


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
), st.sampled_from(["stdio", "http"]))
@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
def test_hostile_file_data_never_raises_anything_but_value_error(junk: Any, transport: str) -> None:
    data = {"id": "srv_0123456789", "transport": transport}
    if isinstance(junk, dict):
        data.update({key: value for key, value in junk.items() if key not in data})
    for document in (data, junk):
        try:
            config = McpServerConfig.from_json(document, junk)
        except ValueError:
            continue
        assert isinstance(config.name, str) and all(isinstance(a, str) for a in config.args)


def test_config_problems_say_what_the_form_lacks() -> None:
    assert config_problems(stdio_server()) == []
    assert config_problems(http_server()) == []
    kinds = [p.kind for p in config_problems(stdio_server(name=" ", command="", env=(("1X", "v"),)))]
    assert kinds == [ConfigProblemKind.NO_NAME, ConfigProblemKind.NO_COMMAND,
                     ConfigProblemKind.BAD_ENV_NAME]
    for url in ("", "ftp://x", "http://", "https://exa mple.com", "mcp.example.com", "http://@x"):
        assert [p.kind for p in config_problems(http_server(url=url))] == [ConfigProblemKind.BAD_URL]
    problem = config_problems(http_server(headers=(("Bad Header", "v"),)))[0]
    assert problem.kind is ConfigProblemKind.BAD_HEADER_NAME and "Bad Header" in problem.text


# -- Claude Desktop's config ---------------------------------------------------------------------


CLAUDE_DESKTOP = {
    "mcpServers": {
        "filesystem": {
            "command": "npx",
            "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Desktop"],
        },
        "github": {
            "command": "docker",
            "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server"],
            "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": SECRET, "RETRIES": 3, "VERBOSE": True},
        },
        "linear": {
            "command": "npx",
            "args": ["-y", "mcp-remote@latest", "https://mcp.linear.app/sse", "--header",
                     "Authorization:${AUTH_HEADER}"],
            "env": {"AUTH_HEADER": TOKEN},
        },
        "remote": {"type": "http", "url": "https://mcp.example.com/mcp", "headers": {"X-Key": SECRET}},
        "old": {"url": "https://old.example.com/sse", "type": "sse", "disabled": True},
    },
    "preferences": {"quickEntryShortcut": "off"},
    "globalShortcut": "Alt+Space",
}


def test_claude_desktop_servers_are_imported_with_their_secrets_and_notes() -> None:
    servers, problems = parse_claude_desktop_config(json.dumps(CLAUDE_DESKTOP))
    by_name = {server.name: server for server in servers}
    assert list(by_name) == ["filesystem", "github", "linear", "remote", "old"]
    assert len({server.id for server in servers}) == 5 and all(is_server_id(s.id) for s in servers)
    files = by_name["filesystem"]
    assert (files.transport, files.command, files.args, files.env) == (
        Transport.STDIO, "npx", ("-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Desktop"), ())
    assert by_name["github"].env == (
        ("GITHUB_PERSONAL_ACCESS_TOKEN", SECRET), ("RETRIES", "3"), ("VERBOSE", "true"))
    linear = by_name["linear"]
    assert (linear.transport, linear.url, linear.headers) == (
        Transport.HTTP, "https://mcp.linear.app/sse", (("Authorization", TOKEN),))
    remote = by_name["remote"]
    assert (remote.transport, remote.url, remote.headers, remote.enabled) == (
        Transport.HTTP, "https://mcp.example.com/mcp", (("X-Key", SECRET),), True)
    assert by_name["old"].enabled is False
    assert [(p.kind, p.facts.get("name")) for p in problems] == [
        (ConfigProblemKind.MCP_REMOTE_AS_HTTP, "linear"), (ConfigProblemKind.SSE_AS_HTTP, "old")]


def test_entries_that_cannot_be_imported_are_reported_not_half_imported() -> None:
    text = json.dumps({"mcpServers": {
        "list": ["npx"],
        "nothing": {"env": {"A": "b"}},
        "args-string": {"command": "npx", "args": "-y server"},
        "env-nested": {"command": "npx", "env": {"A": {"b": 1}}},
        "env-null": {"command": "npx", "env": {"A": None}},
        "command-number": {"command": 5},
        "ws": {"type": "websocket", "url": "https://ws.example.com"},
        "bad-url": {"url": "file:///etc/passwd"},
        "stdio-typed-ws": {"type": "ws", "command": "x"},
        "good": {"command": "uvx", "args": ["mcp-server-time"]},
    }})
    servers, problems = parse_claude_desktop_config(text)
    assert [server.name for server in servers] == ["good"]
    assert [(p.kind, p.facts["name"]) for p in problems] == [
        (ConfigProblemKind.ENTRY_NOT_AN_OBJECT, "list"),
        (ConfigProblemKind.ENTRY_WITHOUT_COMMAND, "nothing"),
        (ConfigProblemKind.ENTRY_BAD_FIELD, "args-string"),
        (ConfigProblemKind.ENTRY_BAD_FIELD, "env-nested"),
        (ConfigProblemKind.ENTRY_BAD_FIELD, "env-null"),
        (ConfigProblemKind.ENTRY_BAD_FIELD, "command-number"),
        (ConfigProblemKind.ENTRY_UNSUPPORTED_TYPE, "ws"),
        (ConfigProblemKind.ENTRY_BAD_FIELD, "bad-url"),
        (ConfigProblemKind.ENTRY_UNSUPPORTED_TYPE, "stdio-typed-ws"),
    ]
    assert all(problem.text for problem in problems)


def test_files_that_are_not_a_config_say_so() -> None:
    cases = {
        "": ConfigProblemKind.NOT_JSON,
        "{\n  \"mcpServers\": {,}\n}": ConfigProblemKind.NOT_JSON,
        "[1, 2]": ConfigProblemKind.NOT_AN_OBJECT,
        "{}": ConfigProblemKind.NO_SERVERS,
        "{\"mcpServers\": []}": ConfigProblemKind.NO_SERVERS,
        "[" * 100_000: ConfigProblemKind.NOT_JSON,
        "{\"a\": " + "9" * 10_000 + "}": ConfigProblemKind.NOT_JSON,
    }
    for text, kind in cases.items():
        servers, problems = parse_claude_desktop_config(text)
        assert servers == [] and [p.kind for p in problems] == [kind], text[:40]
    _, problems = parse_claude_desktop_config("{\n  \"mcpServers\": {,}\n}")
    assert dict(problems[0].facts) == {"line": 2, "column": 18}


def test_too_many_servers_are_cut_with_a_notice() -> None:
    entries = {f"s{i}": {"command": "x"} for i in range(1000)}
    servers, problems = parse_claude_desktop_config(json.dumps({"mcpServers": entries}))
    assert len(servers) == 200
    assert [p.kind for p in problems] == [ConfigProblemKind.TOO_MANY_SERVERS]


def test_mcp_remote_is_converted_only_when_it_is_mcp_remote_with_a_url() -> None:
    def one(entry: dict[str, Any]) -> McpServerConfig:
        servers, _ = parse_claude_desktop_config(json.dumps({"mcpServers": {"x": entry}}))
        return servers[0]

    assert one({"command": "npx", "args": ["mcp-remote"]}).transport is Transport.STDIO
    assert one({"command": "npx", "args": ["mcp-remote-helper", "https://a.example"]}).transport is Transport.STDIO
    assert one({"command": "node", "args": ["mcp-remote", "https://a.example"]}).transport is Transport.STDIO
    windows = one({"command": "C:\\Program Files\\nodejs\\npx.cmd",
                   "args": ["mcp-remote", "https://a.example/mcp", "--header", "X-Missing:${NOPE}"]})
    assert (windows.transport, windows.url, windows.headers) == (
        Transport.HTTP, "https://a.example/mcp", (("X-Missing", "${NOPE}"),))


TEXT = st.text(max_size=10)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=25,
)
ENTRY = st.fixed_dictionaries({}, optional={
    "command": st.sampled_from(["npx", "", "uvx"]) | JSON_VALUES,
    "args": st.lists(st.sampled_from(["mcp-remote", "https://x.example", "--header", "A: b"]) | TEXT)
    | JSON_VALUES,
    "env": st.dictionaries(TEXT, TEXT | st.integers()) | JSON_VALUES,
    "url": st.sampled_from(["https://x.example/mcp", "http://", ""]) | JSON_VALUES,
    "type": st.sampled_from(["http", "sse", "stdio", "HTTP"]) | JSON_VALUES,
    "headers": st.dictionaries(TEXT, TEXT) | JSON_VALUES,
    "cwd": TEXT | JSON_VALUES,
    "disabled": JSON_VALUES,
})


@given(st.dictionaries(TEXT, ENTRY | JSON_VALUES, max_size=5), JSON_VALUES)
@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_hostile_claude_desktop_configs_never_raise(entries: dict[str, Any], other: Any) -> None:
    servers, problems = parse_claude_desktop_config(json.dumps({"mcpServers": entries, "x": other}))
    assert len(servers) + sum(p.kind.name.startswith("ENTRY") for p in problems) == len(entries)
    for server in servers:
        assert is_server_id(server.id)
        assert all(isinstance(v, str) for pair in server.env + server.headers for v in pair)
        assert server.command or server.url
        # What the file would keep is JSON and has no secret values in it.
        json.dumps(server.to_json())


# -- where Claude Desktop keeps it ---------------------------------------------------------------


def test_config_paths_per_system() -> None:
    assert claude_desktop_config_paths("Darwin", {}, "/Users/me") == [
        PurePosixPath("/Users/me/Library/Application Support/Claude/claude_desktop_config.json")]
    assert claude_desktop_config_paths(
        "Windows", {"APPDATA": "C:\\Users\\me\\AppData\\Roaming",
                    "LOCALAPPDATA": "C:\\Users\\me\\AppData\\Local"}, "C:\\Users\\me",
    ) == [
        PureWindowsPath("C:/Users/me/AppData/Local/Packages/Claude_pzs8sxrjxfjjc/LocalCache/"
                        "Roaming/Claude/claude_desktop_config.json"),
        PureWindowsPath("C:/Users/me/AppData/Roaming/Claude/claude_desktop_config.json"),
    ]
    assert claude_desktop_config_paths("win32", {}, "C:\\Users\\me")[1] == PureWindowsPath(
        "C:/Users/me/AppData/Roaming/Claude/claude_desktop_config.json")
    assert claude_desktop_config_paths("Linux", {"XDG_CONFIG_HOME": "/home/me/.cfg"}, "/home/me") == [
        PurePosixPath("/home/me/.cfg/Claude/claude_desktop_config.json"),
        PurePosixPath("/home/me/.config/Claude/claude_desktop_config.json"),
    ]
    # A relative XDG_CONFIG_HOME is invalid by the spec and ignored.
    assert claude_desktop_config_paths("Linux", {"XDG_CONFIG_HOME": "cfg"}, "/home/me") == [
        PurePosixPath("/home/me/.config/Claude/claude_desktop_config.json")]
