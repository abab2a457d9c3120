"""A local MCP server (the real stdio test server, written with the SDK) as Cairn runs it: its
state told honestly, each tool called, timeouts, Stop, a crash reported and recovered from."""

from __future__ import annotations

import asyncio
import base64
import os
import signal
import sys
from collections.abc import Callable

import pytest

from desktop_app.api.mcp_connection import McpCallError, ServerStatus
from desktop_app.api.mcp_failures import ServerProblemKind
from tests.conftest import until
from tests.mcp_servers.fixtures import (
    STDIO_TOOLS,
    Watched,
    connections,  # noqa: F401 - a fixture
    stdio_config,
    test_server_processes,
)

pytestmark = pytest.mark.asyncio

Connections = Callable[..., Watched]


async def test_a_server_starts_once_and_lists_its_tools(connections: Connections) -> None:
    server = connections(stdio_config())
    state = await server.start()
    assert state.status is ServerStatus.READY and state.problem == ""
    assert tuple(tool.name for tool in state.tools) == STDIO_TOOLS
    echo = state.tools[0]
    assert (echo.title, echo.description, echo.read_only) == ("Echo", "Say the text back.", True)
    assert echo.input_schema["type"] == "object" and "text" in echo.input_schema["properties"]
    tools = {tool.name: tool for tool in state.tools}
    assert tools["crash"].read_only is False and tools["crash"].title == "crash"
    assert server.statuses == [ServerStatus.STARTING, ServerStatus.READY]
    # Starting again (or from two places at once) neither starts another process nor
    # announces anything.
    await asyncio.gather(server.start(), server.start())
    assert len(test_server_processes()) == 1
    assert server.statuses == [ServerStatus.STARTING, ServerStatus.READY]


async def test_each_tool_is_called_and_its_result_kept_in_mcp_shape(
    connections: Connections, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-must-not-leak")
    server = connections(stdio_config(env=[("SERVER_TOKEN", "tok-123456")]))
    echo = await server.call("echo", {"text": "héllo"}, timeout=10)
    assert (echo.is_error, echo.content) == (False, [
        {"type": "text", "text": "héllo", "annotations": None, "_meta": None}])
    failed = await server.call("fail", {"reason": "no such file"}, timeout=10)
    assert failed.is_error and "no such file" in failed.content[0]["text"]
    picture = (await server.call("picture", {}, timeout=10)).content[0]
    assert (picture["type"], picture["mimeType"]) == ("image", "image/png")
    assert base64.b64decode(picture["data"]).startswith(b"\x89PNG")
    # The user's variables reach the server; Cairn's own key does not.
    token = await server.call("environment", {"name": "SERVER_TOKEN"}, timeout=10)
    assert token.content[0]["text"] == "tok-123456"
    leaked = await server.call("environment", {"name": "ANTHROPIC_API_KEY"}, timeout=10)
    assert leaked.content[0]["text"] == ""
    pid = await server.call("process_id", {}, timeout=10)
    assert pid.structured == {"result": int(pid.content[0]["text"])}
    # Arguments the tool does not take are the server's to refuse, as a result.
    wrong = await server.call("echo", {"txt": 1}, timeout=10)
    assert wrong.is_error
    unknown = await server.call("no_such_tool", {}, timeout=10)
    assert unknown.is_error


async def test_a_call_that_takes_too_long_times_out_and_the_server_stays_usable(
    connections: Connections,
) -> None:
    server = connections(stdio_config())
    await server.start()
    loop = asyncio.get_running_loop()
    began = loop.time()
    with pytest.raises(McpCallError) as raised:
        await server.call("sleep", {"seconds": 30}, timeout=0.5)
    assert raised.value.kind == "timeout" and "0.5" in raised.value.message
    assert loop.time() - began < 5
    await until(lambda: "sleep cancelled" in server.stderr_lines(), message="the server was told")
    assert (await server.call("echo", {"text": "still here"}, timeout=10)).content[0]["text"] == "still here"
    assert server.state.status is ServerStatus.READY


async def test_cancelling_a_call_tells_the_server(connections: Connections) -> None:
    server = connections(stdio_config())
    await server.start()
    call = asyncio.create_task(server.call("sleep", {"seconds": 30}, timeout=60))
    await until(lambda: "sleeping 30.0" in server.stderr_lines(), message="the call is running")
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    await until(lambda: "sleep cancelled" in server.stderr_lines(), message="the server was told")
    assert (await server.call("echo", {"text": "next"}, timeout=10)).content[0]["text"] == "next"


async def test_calls_run_in_parallel(connections: Connections) -> None:
    server = connections(stdio_config())
    await server.start()
    calls = [asyncio.create_task(server.call("sleep", {"seconds": 30 + i}, timeout=60)) for i in range(3)]
    await until(lambda: sum(line.startswith("sleeping") for line in server.stderr_lines()) == 3,
                message="three calls running at once")
    for call in calls:
        call.cancel()
    await asyncio.gather(*calls, return_exceptions=True)


async def test_a_crash_mid_call_is_reported_and_the_next_call_restarts_the_server(
    connections: Connections,
) -> None:
    server = connections(stdio_config())
    first_pid = int((await server.call("process_id", {}, timeout=10)).content[0]["text"])
    with pytest.raises(McpCallError) as raised:
        await server.call("crash", {}, timeout=10)
    assert raised.value.kind == "server_died"
    # By the time the call says so, the state says so too, with the server's last words.
    state = server.state
    assert state.status is ServerStatus.FAILED
    assert state.problem_kind == ServerProblemKind.EXITED and state.problem == "The server exited."
    assert "crashing now" in state.stderr_tail
    assert server.statuses[-2:] == [ServerStatus.READY, ServerStatus.FAILED]
    again = await server.call("process_id", {}, timeout=10)
    assert int(again.content[0]["text"]) != first_pid
    assert server.state.status is ServerStatus.READY
    assert len(test_server_processes()) == 1


async def test_a_server_killed_while_idle_is_reported_at_once(connections: Connections) -> None:
    server = connections(stdio_config())
    pid = int((await server.call("process_id", {}, timeout=10)).content[0]["text"])
    os.kill(pid, signal.SIGKILL)
    await until(lambda: server.state.status is ServerStatus.FAILED, message="the death noticed")
    assert server.state.problem_kind == ServerProblemKind.EXITED
    assert (await server.start()).status is ServerStatus.READY


async def test_stop_and_restart(connections: Connections) -> None:
    server = connections(stdio_config())
    await server.start()
    first = test_server_processes()
    restarted = await server.restart()
    assert restarted.status is ServerStatus.READY
    assert test_server_processes() != first and len(test_server_processes()) == 1
    await server.stop()
    assert server.state.status is ServerStatus.STOPPED and test_server_processes() == []
    assert (await server.call("echo", {"text": "again"}, timeout=10)).content[0]["text"] == "again"
    assert server.state.status is ServerStatus.READY  # started again for the call
    await server.stop()
    await server.stop()  # stopping a stopped server is nothing
    assert server.state.status is ServerStatus.STOPPED


@pytest.mark.parametrize("legacy", [False, True], ids=["2026 listen", "handshake era"])
async def test_a_changed_tool_list_reaches_the_state(connections: Connections, legacy: bool) -> None:
    server = connections(stdio_config(*(["--legacy"] if legacy else [])))
    await server.start()
    await server.call("add_tool", {}, timeout=10)
    await until(lambda: "added" in [tool.name for tool in server.state.tools],
                message="the new tool listed")
    assert server.states[-1].tools[-1].name == "added"
    assert (await server.call("added", {"text": "x"}, timeout=10)).content[0]["text"] == "added: x"


# -- servers that do not start -------------------------------------------------------------------


async def test_a_server_that_exits_at_start_shows_its_last_words(connections: Connections) -> None:
    server = connections(stdio_config("--stderr-lines", "30", "--exit-at-start",
                                      "config missing: GITHUB_TOKEN"))
    state = await server.start()
    assert state.status is ServerStatus.FAILED
    assert state.problem_kind == ServerProblemKind.EXITED_AT_START
    assert state.stderr_tail[-1] == "config missing: GITHUB_TOKEN"
    assert len(state.stderr_tail) == 20 and state.stderr_tail[0] == "stderr line 12"
    with pytest.raises(McpCallError) as raised:
        await server.call("echo", {"text": "x"}, timeout=5)
    assert raised.value.kind == "not_ready"


async def test_secrets_are_masked_in_the_stderr_tail(connections: Connections) -> None:
    server = connections(stdio_config("--print-env", "GITHUB_TOKEN", "--exit-at-start", "bye",
                                      env=[("GITHUB_TOKEN", "ghp_0123456789abcdef")]))
    state = await server.start()
    assert "GITHUB_TOKEN=•••" in state.stderr_tail
    assert not any("ghp_0123456789abcdef" in line for line in state.stderr_tail)
    assert "ghp_0123456789abcdef" not in state.problem


async def test_start_problems_name_their_cause(connections: Connections, tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = await connections(stdio_config(command="no-such-mcp-server-command")).start()
    assert (missing.status, missing.problem_kind, missing.problem_facts) == (
        ServerStatus.FAILED, ServerProblemKind.COMMAND_NOT_FOUND,
        {"command": "no-such-mcp-server-command"})
    folder = await connections(stdio_config(cwd=str(tmp_path / "gone"))).start()
    assert (folder.problem_kind, folder.problem_facts) == (
        ServerProblemKind.FOLDER_NOT_FOUND, {"folder": str(tmp_path / "gone")})
    script = tmp_path / "server.sh"
    script.write_text("#!/bin/sh\n")
    denied = await connections(stdio_config(command=str(script), args=())).start()
    assert denied.problem_kind == ServerProblemKind.CANNOT_START
    assert denied.problem_facts["reason"] == "Permission denied"
    empty = await connections(stdio_config(command=" ", args=())).start()
    assert (empty.problem_kind, empty.problem_facts) == (
        ServerProblemKind.BAD_CONFIG, {"problem": "no_command"})


async def test_a_server_that_never_answers_times_out(connections: Connections) -> None:
    silent = stdio_config(args=("-c", "import sys; sys.stdin.read()"))
    server = connections(silent, start_timeout=1)
    state = await server.start()
    assert (state.status, state.problem_kind, state.problem_facts) == (
        ServerStatus.FAILED, ServerProblemKind.START_TIMEOUT, {"seconds": 1})


async def test_stopping_a_server_while_it_starts(connections: Connections) -> None:
    silent = stdio_config(args=("-c", "import sys, time; print('up', file=sys.stderr, flush=True); time.sleep(60)"))
    server = connections(silent)
    starting = asyncio.create_task(server.start())
    await until(lambda: server.stderr_lines() == ("up",), message="the process is running")
    await server.stop()
    assert (await starting).status is ServerStatus.STOPPED
    assert server.statuses == [ServerStatus.STARTING, ServerStatus.STOPPED]
