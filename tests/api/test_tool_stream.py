"""Replies that call tools, streamed by Cairn (api/reply_stream.py, folded by core/reply.py) from
the fake API over real HTTP: the calls are stored in the API's shape with the input the model
gave, the stop reason says ``tool_use``, and the stored turn, answered with tool results, is a
request the API accepts (thinking included, exactly as it came)."""

from __future__ import annotations

from typing import Any

import anthropic
import pytest

from desktop_app.api.client_factory import make_client
from desktop_app.api.reply_stream import stream_reply
from desktop_app.core.conversation import Conversation, Message, ReplyState
from desktop_app.core.reply import ReplyAssembler, unparsed_tool_input, without_notes
from desktop_app.core.settings import Settings
from tests.fake_api import FakeAnthropicServer, Reply, ToolUse

pytestmark = pytest.mark.asyncio

KEY = "sk-ant-test-key"
SONNET = "claude-sonnet-4-6"
HAIKU = "claude-haiku-4-5"
ECHO: dict[str, Any] = {
    "name": "files__echo", "description": "Say the text back.",
    "input_schema": {"type": "object", "properties": {"text": {"type": "string"}}}}
CLOCK: dict[str, Any] = {"name": "files__clock", "input_schema": {"type": "object"}}
THINKING: dict[str, Any] = {"type": "enabled", "budget_tokens": 1024}


async def stream_into(server: FakeAnthropicServer, conversation: Conversation,
                      **request: Any) -> Message:
    """Ask for the next reply of ``conversation`` as Cairn does, folding it into a new
    assistant message."""
    model = request.setdefault("model", SONNET)
    request.setdefault("max_tokens", 2048)
    request["messages"] = conversation.api_messages()
    message = conversation.start_reply(model)
    assembler = ReplyAssembler(message)
    client = make_client(KEY, Settings(base_url=server.base_url, max_retries=0))
    try:
        async for event in stream_reply(client, request):
            assembler.apply(event)
    finally:
        await client.close()
    return message


def answer(conversation: Conversation, *results: dict[str, Any]) -> None:
    conversation.add_user_message("", list(results))


def tool_result(call: ToolUse, text: str, **more: Any) -> dict[str, Any]:
    return {"type": "tool_result", "tool_use_id": call.id,
            "content": [{"type": "text", "text": text}], **more}


async def test_calls_are_stored_in_api_shape_and_the_answered_turn_is_accepted(
        fake_api: FakeAnthropicServer) -> None:
    first = ToolUse("files__echo", {"text": "naïve \"quotes\" and {braces}", "n": [1, 2.5]})
    second = ToolUse("files__clock")
    fake_api.enqueue(Reply("Let me check both.", tool_uses=[first, second], chunks=5),
                     Reply("Both done."))
    conversation = Conversation()
    conversation.add_user_message("Echo and tell the time.")

    reply = await stream_into(fake_api, conversation, tools=[ECHO, CLOCK])
    assert reply.content == [{"type": "text", "text": "Let me check both."},
                             first.block(), second.block()]
    assert reply.stop_reason == "tool_use"
    assert reply.state is ReplyState.COMPLETE
    assert [unparsed_tool_input(block) for block in reply.content[1:]] == [None, None]

    answer(conversation, tool_result(first, "echoed"),
           tool_result(second, "no clock", is_error=True))
    done = await stream_into(fake_api, conversation, tools=[ECHO, CLOCK])
    assert done.text == "Both done."
    sent = fake_api.message_requests()[-1]
    assert sent.body is not None and sent.body["messages"][1]["content"][1:] == [
        first.block(), second.block()]
    assert list(sent.tool_results()) == [first.id, second.id]
    assert sent.tool_result_text(first.id) == "echoed"


async def test_thinking_before_a_call_goes_back_exactly_as_it_came(
        fake_api: FakeAnthropicServer) -> None:
    call = ToolUse("files__echo", {"text": "hi"})
    fake_api.enqueue(Reply(thinking="The echo tool answers this.", tool_uses=[call]),
                     Reply("It said hi."))
    conversation = Conversation()
    conversation.add_user_message("Say hi through the tool.")

    reply = await stream_into(fake_api, conversation, model=HAIKU, tools=[ECHO],
                              thinking=THINKING)
    assert [block["type"] for block in reply.content] == ["thinking", "tool_use"]
    assert reply.content[0]["signature"] and reply.content[1] == call.block()

    answer(conversation, tool_result(call, "hi"))
    # the fake checks the signature against everything before the block and that the tool
    # turn opens with its thinking
    done = await stream_into(fake_api, conversation, model=HAIKU, tools=[ECHO],
                             thinking=THINKING)
    assert done.text == "It said hi."


@pytest.mark.parametrize("raw", ['{"text": "cut o', '["not", "an", "object"]'],
                         ids=["cut-json", "not-an-object"])
async def test_input_that_is_not_a_json_object_keeps_its_text(
        fake_api: FakeAnthropicServer, raw: str) -> None:
    call = ToolUse("files__echo", input_json=raw)
    fake_api.enqueue(Reply(tool_uses=[call], stop_reason="max_tokens"))
    conversation = Conversation()
    conversation.add_user_message("Echo something long.")

    reply = await stream_into(fake_api, conversation, tools=[ECHO])
    block = reply.content[0]
    assert (block["type"], block["id"], block["name"], block["input"]) == (
        "tool_use", call.id, "files__echo", {})
    assert unparsed_tool_input(block) == raw
    assert reply.stop_reason == "max_tokens"


async def test_a_call_that_could_not_be_read_is_answered_with_an_error_without_its_notes(
        fake_api: FakeAnthropicServer) -> None:
    """What the session does with such a call: send the block back without Cairn's notes
    (the API refuses keys it does not know) and answer it with an error result."""
    call = ToolUse("files__echo", input_json='{"text": "cut o')
    fake_api.enqueue(Reply(tool_uses=[call], stop_reason="max_tokens"), Reply("Sorry."))
    conversation = Conversation()
    conversation.add_user_message("Echo something long.")
    reply = await stream_into(fake_api, conversation, tools=[ECHO])
    answer(conversation, tool_result(call, "The input was cut off.", is_error=True))

    client = make_client(KEY, Settings(base_url=fake_api.base_url, max_retries=0))
    request: dict[str, Any] = {"model": SONNET, "max_tokens": 100, "tools": [ECHO],
                               "messages": conversation.api_messages()}
    try:
        with pytest.raises(anthropic.BadRequestError, match="cairn: Extra inputs"):
            await client.messages.create(**request)
    finally:
        await client.close()
    reply.content = [without_notes(block) for block in reply.content]
    assert reply.content == [call.block() | {"input": {}}]
    done = await stream_into(fake_api, conversation, tools=[ECHO])
    assert done.text == "Sorry."
    assert fake_api.request_with_result(call.id) is not None
