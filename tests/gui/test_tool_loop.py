"""Tool use end to end (issue 15): Claude calls a tool of a real MCP server (the SDK's own, over
stdio), the reply shows the call with an approval card, the user chooses, the call runs, its
result goes back to the fake Messages API (which checks pairing and order as the real one
does) and the reply goes on. Approvals persist exactly as chosen; Stop, a crashing server,
several calls at once, thinking around calls and the round limit keep the conversation one the
API accepts."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from desktop_app.api.mcp_connection import ServerStatus
from desktop_app.core.tool_calls import CANCELLED_TEXT, DENIED_TEXT
from desktop_app.ui.messages.tool_call_row import ToolCallRow
from tests.conftest import until
from tests.fake_api import Reply, ToolUse
from tests.helpers.gui_helpers import finished_reply, type_and_send
from tests.mcp_servers.fixtures import stdio_config

pytestmark = pytest.mark.asyncio

SERVER = "tester"


async def window_with_server(app_factory, **settings):
    """Cairn with the test MCP server configured and ready (its tools offered)."""
    window = await app_factory()
    for name, value in settings.items():
        setattr(window.controller.settings, name, value)
    servers = window.controller.tool_servers
    await servers.save([stdio_config(name=SERVER)])
    server_id = servers.configs[0].id
    await servers.start(server_id)
    await until(lambda: servers.state(server_id).status == ServerStatus.READY,
                timeout=30, message="the MCP server is ready")
    return window


def api_name(window, tool: str) -> str:
    """The name the request offers ``tool`` under."""
    offered = window.controller.tool_rounds.offered_now(window.controller.current)
    return next(name for name, spec in offered.items() if spec.tool == tool)


def rows(window) -> list[ToolCallRow]:
    window.messages.flush()
    return [row for row in window.messages.findChildren(ToolCallRow) if row.isVisible()]


async def card_for(window, tool_use_id: str) -> ToolCallRow:
    await until(lambda: any(r.tool_use_id == tool_use_id and r.card.isVisible()
                            for r in rows(window)), timeout=30, message="the approval card")
    return next(r for r in rows(window) if r.tool_use_id == tool_use_id)


def saved_document(window) -> dict:
    conversation = window.controller.current
    path = window.controller.services.history.path_for(conversation.id)
    return json.loads(path.read_text(encoding="utf-8"))


async def test_allow_once_runs_the_tool_and_the_reply_goes_on(app_factory, fake_api, qtbot):
    window = await window_with_server(app_factory)
    call = ToolUse(api_name(window, "echo"), {"text": "hello from the tool"})
    fake_api.enqueue(Reply("Let me ask the tool.", tool_uses=[call]),
                     Reply("The tool said hello."))
    type_and_send(window, qtbot, "Use the echo tool")
    row = await card_for(window, call.id)
    card = row.card
    # What will run is shown in full before anything runs, and Deny is the default.
    assert "hello from the tool" in card.arguments.toPlainText()
    assert SERVER in card.heading.text() and "Echo" in card.heading.text()
    assert card.deny.isDefault() and not card.allow_once.isDefault()
    assert fake_api.request_with_result(call.id) is None  # nothing ran, nothing was sent
    qtbot.mouseClick(card.allow_once, Qt.MouseButton.LeftButton)
    await until(lambda: fake_api.request_with_result(call.id), timeout=30, message="result sent")
    sent = fake_api.request_with_result(call.id)
    assert sent.tool_result_text(call.id) == "hello from the tool"
    assert not sent.tool_results()[call.id].get("is_error")
    last = await finished_reply(window)
    assert last.text == "The tool said hello."
    assert not fake_api.script_errors
    row = next(r for r in rows(window) if r.tool_use_id == call.id)
    assert not row.card.isVisible()
    assert "Done" in row.toggle.text()
    # Finished, it keeps the name it had while it ran: its title, not its MCP name.
    assert row.toggle.text().startswith(f"Echo · {SERVER}")
    assert saved_document(window)["messages"][2]["tool_runs"][call.id]["title"] == "Echo"
    row.set_open(True)
    assert "hello from the tool" in row.details.text()
    # Both rounds and the results are on disk, in the API's shape.
    document = saved_document(window)
    kinds = [[b["type"] for b in m["content"]] for m in document["messages"]]
    assert kinds[1][-1] == "tool_use" and kinds[2] == ["tool_result"]
    assert document["messages"][2]["purpose"] == "tool_results"


async def test_deny_answers_the_call_with_the_users_refusal(app_factory, fake_api, qtbot):
    window = await window_with_server(app_factory)
    call = ToolUse(api_name(window, "echo"), {"text": "secret"})
    after = ToolUse(api_name(window, "echo"), {"text": "something else"})
    fake_api.enqueue(Reply("Trying.", tool_uses=[call]),
                     Reply("Then this instead.", tool_uses=[after]),  # a call after a denied one
                     Reply("Understood."))
    type_and_send(window, qtbot, "Use the tool")
    row = await card_for(window, call.id)
    qtbot.keyClick(row.card.deny, Qt.Key.Key_Return)  # Enter on the card: the safe choice
    await until(lambda: fake_api.request_with_result(call.id), timeout=30)
    sent = fake_api.request_with_result(call.id)
    assert sent.tool_results()[call.id]["is_error"] is True
    assert sent.tool_result_text(call.id) == DENIED_TEXT
    second = await card_for(window, after.id)  # asked again: a denial is for that call only
    qtbot.mouseClick(second.card.allow_once, Qt.MouseButton.LeftButton)
    await until(lambda: fake_api.request_with_result(after.id), timeout=30)
    assert fake_api.request_with_result(after.id).tool_result_text(after.id) == "something else"
    await finished_reply(window)
    assert "Denied" in next(r for r in rows(window) if r.tool_use_id == call.id).toggle.text()
    assert "Done" in next(r for r in rows(window) if r.tool_use_id == after.id).toggle.text()


async def test_allow_for_the_conversation_asks_once_per_conversation(app_factory, fake_api, qtbot):
    window = await window_with_server(app_factory)
    name = api_name(window, "echo")
    first, second = ToolUse(name, {"text": "one"}), ToolUse(name, {"text": "two"})
    fake_api.enqueue(Reply("1", tool_uses=[first]), Reply("ok 1"),
                     Reply("2", tool_uses=[second]), Reply("ok 2"))
    type_and_send(window, qtbot, "first")
    row = await card_for(window, first.id)
    qtbot.mouseClick(row.card.allow_conversation, Qt.MouseButton.LeftButton)
    await finished_reply(window)
    type_and_send(window, qtbot, "second")
    await until(lambda: fake_api.request_with_result(second.id), timeout=30,
                message="the second call ran without asking")
    await finished_reply(window)
    assert fake_api.request_with_result(second.id).tool_result_text(second.id) == "two"
    # A new conversation asks again.
    third = ToolUse(name, {"text": "three"})
    fake_api.enqueue(Reply("3", tool_uses=[third]), Reply("ok 3"))
    window.controller.new_conversation()
    type_and_send(window, qtbot, "third")
    row = await card_for(window, third.id)
    qtbot.mouseClick(row.card.deny, Qt.MouseButton.LeftButton)
    await finished_reply(window)


async def test_always_allow_survives_a_restart(app_factory, fake_api, qtbot, data_dir):
    window = await window_with_server(app_factory)
    name = api_name(window, "echo")
    call = ToolUse(name, {"text": "always"})
    fake_api.enqueue(Reply("1", tool_uses=[call]), Reply("ok"))
    type_and_send(window, qtbot, "first")
    row = await card_for(window, call.id)
    qtbot.mouseClick(row.card.allow_always, Qt.MouseButton.LeftButton)
    await finished_reply(window)
    settings = json.loads((data_dir / "config" / "settings.json").read_text())
    assert len(settings["tools_always_allowed"]) == 1
    assert settings["tools_always_allowed"][0].endswith("/echo")
    await window.controller.tool_servers.shutdown()

    restarted = await app_factory()
    servers = restarted.controller.tool_servers
    await until(lambda: servers.configs, message="the server list read again")
    later = ToolUse(name, {"text": "no card"})
    fake_api.enqueue(Reply("2", tool_uses=[later]), Reply("ok again"))
    restarted.controller.new_conversation()
    type_and_send(restarted, qtbot, "second")
    await until(lambda: fake_api.request_with_result(later.id), timeout=30,
                message="ran without asking after the restart")
    await finished_reply(restarted)
    # ... and only that tool: another one still asks.
    other = ToolUse(api_name(restarted, "fail"), {"reason": "no"})
    fake_api.enqueue(Reply("3", tool_uses=[other]), Reply("fine"))
    type_and_send(restarted, qtbot, "third")
    row = await card_for(restarted, other.id)
    qtbot.mouseClick(row.card.deny, Qt.MouseButton.LeftButton)
    await finished_reply(restarted)


async def test_stop_during_a_slow_tool_answers_it_and_the_conversation_goes_on(
        app_factory, fake_api, qtbot):
    window = await window_with_server(app_factory)
    slow = ToolUse(api_name(window, "sleep"), {"seconds": 60})
    fake_api.enqueue(Reply("Waiting.", tool_uses=[slow]))
    type_and_send(window, qtbot, "wait a minute")
    row = await card_for(window, slow.id)
    qtbot.mouseClick(row.card.allow_once, Qt.MouseButton.LeftButton)
    await until(lambda: "Running" in row.toggle.text(), timeout=30, message="running")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Escape)
    await until(lambda: not window.controller.is_busy(), timeout=15, message="stopped")
    conversation = window.controller.current
    results = conversation.messages[-1]
    assert results.is_tool_results
    assert results.content[0]["tool_use_id"] == slow.id
    assert results.content[0]["content"][0]["text"] == CANCELLED_TEXT
    assert "Stopped" in row.toggle.text()
    # The next message is accepted by the API (every call answered, results first).
    fake_api.enqueue(Reply("Sorry for the wait."))
    type_and_send(window, qtbot, "never mind")
    last = await finished_reply(window)
    assert last.text == "Sorry for the wait."
    assert not fake_api.script_errors


async def test_several_calls_at_once_are_answered_in_one_turn_in_order(
        app_factory, fake_api, qtbot):
    window = await window_with_server(app_factory, tools_auto_approve_read_only=True)
    name = api_name(window, "echo")
    calls = [ToolUse(name, {"text": f"call {n}"}) for n in range(3)]
    fake_api.enqueue(Reply("All three.", tool_uses=calls), Reply("Done."))
    type_and_send(window, qtbot, "three at once")
    await until(lambda: fake_api.request_with_result(calls[0].id), timeout=30)
    sent = fake_api.request_with_result(calls[0].id)
    assert list(sent.tool_results()) == [c.id for c in calls]
    assert [sent.tool_result_text(c.id) for c in calls] == ["call 0", "call 1", "call 2"]
    await finished_reply(window)


async def test_a_server_that_crashes_mid_call_is_reported_and_started_again(
        app_factory, fake_api, qtbot):
    window = await window_with_server(app_factory, tools_auto_approve_read_only=True)
    crash = ToolUse(api_name(window, "crash"), {})
    echo = ToolUse(api_name(window, "echo"), {"text": "back"})
    fake_api.enqueue(Reply("Crashing.", tool_uses=[crash]), Reply("It crashed."))
    type_and_send(window, qtbot, "crash it")
    row = await card_for(window, crash.id)
    qtbot.mouseClick(row.card.allow_once, Qt.MouseButton.LeftButton)
    await until(lambda: fake_api.request_with_result(crash.id), timeout=30)
    assert fake_api.request_with_result(crash.id).tool_results()[crash.id]["is_error"] is True
    await finished_reply(window)
    assert "Failed" in next(r for r in rows(window) if r.tool_use_id == crash.id).toggle.text()
    # The next request starts the server again, and its call runs.
    fake_api.enqueue(Reply("Again.", tool_uses=[echo]), Reply("It is back."))
    type_and_send(window, qtbot, "again")
    await until(lambda: fake_api.request_with_result(echo.id), timeout=30)
    assert fake_api.request_with_result(echo.id).tool_result_text(echo.id) == "back"
    await finished_reply(window)


async def test_the_round_limit_stops_with_continue_and_continue_runs_the_calls(
        app_factory, fake_api, qtbot):
    window = await window_with_server(
        app_factory, tools_auto_approve_read_only=True, tool_rounds_per_turn=1)
    echo = ToolUse(api_name(window, "echo"), {"text": "later"})
    fake_api.enqueue(Reply("One call.", tool_uses=[echo]))
    type_and_send(window, qtbot, "go")
    last = await finished_reply(window)
    assert last.stop_reason == "tool_use"
    widget = window.messages.widget_for(last.id)
    await until(lambda: widget.card.isVisible() and widget.retry_button.isVisible())
    assert "Continue" in widget.retry_button.text()
    assert fake_api.request_with_result(echo.id) is None
    fake_api.enqueue(Reply("Carried on."))
    qtbot.mouseClick(widget.retry_button, Qt.MouseButton.LeftButton)
    await until(lambda: fake_api.request_with_result(echo.id), timeout=30)
    assert (await finished_reply(window)).text == "Carried on."


async def test_thinking_before_a_call_is_sent_back_exactly(app_factory, fake_api, qtbot):
    window = await window_with_server(app_factory, tools_auto_approve_read_only=True)
    echo = ToolUse(api_name(window, "echo"), {"text": "thought"})
    fake_api.enqueue(Reply("I will check.", thinking="Let me use the tool.", tool_uses=[echo]),
                     Reply("Checked."))
    type_and_send(window, qtbot, "think, then call")
    await until(lambda: fake_api.request_with_result(echo.id), timeout=30)
    sent = fake_api.request_with_result(echo.id)
    assistant = sent.body["messages"][-2]
    assert assistant["content"][0]["type"] == "thinking"
    assert (await finished_reply(window)).text == "Checked."
    assert not fake_api.script_errors


async def test_a_conversation_with_tool_calls_reopens_and_continues_without_its_server(
        app_factory, fake_api, qtbot):
    window = await window_with_server(app_factory, tools_auto_approve_read_only=True)
    echo = ToolUse(api_name(window, "echo"), {"text": "kept"})
    fake_api.enqueue(Reply("Calling.", tool_uses=[echo]), Reply("Answered."))
    type_and_send(window, qtbot, "call it")
    await finished_reply(window)
    conversation_id = window.controller.current.id
    servers = window.controller.tool_servers
    await servers.stop(servers.configs[0].id)
    await servers.save([])  # the server is removed
    restarted = await app_factory()
    restarted.controller.select(conversation_id)
    restarted.messages.flush()
    row = next(r for r in rows(restarted) if r.tool_use_id == echo.id)
    assert "Done" in row.toggle.text()
    fake_api.enqueue(Reply("Still here."))
    type_and_send(restarted, qtbot, "and now?")
    assert (await finished_reply(restarted)).text == "Still here."
    assert not fake_api.script_errors
    assert "tools" not in fake_api.message_requests()[-1].body  # nothing offered; still valid


async def test_a_call_whose_input_cannot_be_read_is_answered_without_running(
        app_factory, fake_api, qtbot):
    window = await window_with_server(app_factory)
    broken = ToolUse(api_name(window, "echo"), {}, input_json="[1, 2]")  # not an object
    fake_api.enqueue(Reply("Calling.", tool_uses=[broken]), Reply("I will try again later."))
    type_and_send(window, qtbot, "call with broken input")
    await until(lambda: fake_api.request_with_result(broken.id), timeout=30)
    sent = fake_api.request_with_result(broken.id)
    assert sent.tool_results()[broken.id]["is_error"] is True
    assert "not a JSON object" in sent.tool_result_text(broken.id)
    assert (await finished_reply(window)).text == "I will try again later."
    assert not any(r.card.isVisible() for r in rows(window))  # nothing was asked


async def test_images_from_a_tool_are_shown_and_sent(app_factory, fake_api, qtbot):
    window = await window_with_server(app_factory)
    picture = ToolUse(api_name(window, "picture"), {})
    fake_api.enqueue(Reply("Drawing.", tool_uses=[picture]), Reply("A dot."))
    type_and_send(window, qtbot, "draw")
    row = await card_for(window, picture.id)
    qtbot.mouseClick(row.card.allow_once, Qt.MouseButton.LeftButton)
    await until(lambda: fake_api.request_with_result(picture.id), timeout=30)
    content = fake_api.request_with_result(picture.id).tool_results()[picture.id]["content"]
    assert [b["type"] for b in content] == ["image"]
    await finished_reply(window)
    row = next(r for r in rows(window) if r.tool_use_id == picture.id)
    row.set_open(True)
    images = [label for label in row.images.findChildren(type(row.details))
              if label.objectName() == "ToolResultImage"]
    assert len(images) == 1 and not images[0].pixmap().isNull()
    assert row.images.isVisible()


async def test_a_long_result_is_cut_for_display_only(app_factory, fake_api, qtbot):
    window = await window_with_server(app_factory, tools_auto_approve_read_only=True)
    text = "".join(f"line {n:05d}\n" for n in range(3_000))  # 33,000 characters
    echo = ToolUse(api_name(window, "echo"), {"text": text})
    fake_api.enqueue(Reply("Long.", tool_uses=[echo]), Reply("Read it all."))
    type_and_send(window, qtbot, "long")
    await until(lambda: fake_api.request_with_result(echo.id), timeout=30)
    assert fake_api.request_with_result(echo.id).tool_result_text(echo.id) == text
    await finished_reply(window)
    row = next(r for r in rows(window) if r.tool_use_id == echo.id)
    row.set_open(True)
    shown = row.details.text().split("\nResult\n", 1)[1]  # (the arguments hold it too)
    assert shown.startswith("line 00000") and "line 02999" not in shown
    assert "Claude received all of it" in shown


async def test_a_call_over_the_time_limit_is_answered_as_timed_out(app_factory, fake_api, qtbot):
    window = await window_with_server(
        app_factory, tools_auto_approve_read_only=True, tool_timeout_seconds=1.0)
    slow = ToolUse(api_name(window, "sleep"), {"seconds": 30})
    fake_api.enqueue(Reply("Waiting.", tool_uses=[slow]), Reply("Too slow."))
    type_and_send(window, qtbot, "wait")
    await until(lambda: fake_api.request_with_result(slow.id), timeout=20)
    result = fake_api.request_with_result(slow.id).tool_results()[slow.id]
    assert result["is_error"] is True
    assert "did not finish within 1 seconds" in result["content"][0]["text"]
    await finished_reply(window)
    assert "Timed out" in next(r for r in rows(window) if r.tool_use_id == slow.id).toggle.text()


async def test_the_estimate_counts_the_tool_definitions(app_factory, fake_api, qtbot):
    window = await window_with_server(app_factory)
    controller = window.controller
    with_tools = await controller.input_tokens.count(controller.current, "hello")
    await controller.tool_servers.stop(controller.tool_servers.configs[0].id)
    await controller.tool_servers.save([])
    without = await controller.input_tokens.count(controller.current, "hello")
    assert with_tools is not None and without is not None
    assert with_tools > without + 300  # the tool-use system prompt and every definition


async def test_the_replys_tokens_and_cost_count_every_round(app_factory, fake_api, qtbot):
    window = await window_with_server(app_factory, tools_auto_approve_read_only=True)
    echo = ToolUse(api_name(window, "echo"), {"text": "counted"})
    fake_api.enqueue(Reply("Round one.", tool_uses=[echo]), Reply("Round two, the answer."))
    type_and_send(window, qtbot, "count")
    last = await finished_reply(window)
    parts = window.controller.current.reply_parts(last.id)
    assert len(parts) == 2
    total_out = sum(p.usage["output_tokens"] for p in parts)
    assert total_out > last.usage["output_tokens"]
    footer = window.messages.widget_for(last.id).footer.text()
    assert f"{total_out} out" in footer, footer
    first = window.messages.widget_for(parts[0].id)
    assert not first.footer.isVisible()  # one footer for the whole reply


async def test_the_status_line_says_when_a_reply_waits_for_its_tool_servers(
        app_factory, fake_api, qtbot, data_dir):
    """A message sent before its tool servers have started waits for them (a few seconds at
    most); the status line says so, instead of nothing until "Connecting…"."""
    from desktop_app.storage.mcp_store import McpStore

    McpStore(data_dir / "config").save([stdio_config(name=SERVER)])
    window = await app_factory()
    servers = window.controller.tool_servers
    (config,) = servers.configs
    assert servers.state(config.id).status is not ServerStatus.READY
    statuses: list[str] = []
    window.controller.status_changed.connect(statuses.append)
    fake_api.enqueue(Reply("Ready when you are."))
    type_and_send(window, qtbot, "Hello")
    assert (await finished_reply(window)).text == "Ready when you are."
    assert statuses[0] == "Starting tool servers…"
    assert any("Connecting…" in status for status in statuses[1:])
    assert "tools" in fake_api.message_requests()[-1].body  # it waited: the tools are offered
    await servers.stop(config.id)
