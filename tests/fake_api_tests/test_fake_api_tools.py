"""The fake API's tool rules and scripted tool calls, driven by the real ``anthropic`` SDK.

Each rule rejects what the real API rejects (the messages are the API's, where known); the
scripted calls stream as the API streams them (``input_json_delta`` pieces), so the SDK's own
accumulator rebuilds the same input the script gave.
"""

from __future__ import annotations

import base64
import io
import json
import threading
from typing import Any

import anthropic
import pytest
from PIL import Image

from tests.fake_api import (
    TOOL_USE_SYSTEM_TOKENS,
    FakeAnthropicServer,
    Reply,
    ToolUse,
)
from tests.fake_api_tests.refusals import bad_request as refused

SONNET = "claude-sonnet-4-6"
HAIKU = "claude-haiku-4-5"
OPUS = "claude-opus-4-7"
HI = [{"role": "user", "content": "hi"}]
ECHO: Any = {"name": "echo", "description": "Say the text back.",
             "input_schema": {"type": "object", "properties": {"text": {"type": "string"}},
                              "required": ["text"]}}
CLOCK: Any = {"name": "clock", "input_schema": {"type": "object", "properties": {}}}
ENABLED: Any = {"type": "enabled", "budget_tokens": 1024}
_5M: Any = {"type": "ephemeral"}


def png() -> str:
    out = io.BytesIO()
    Image.new("RGB", (3, 2), "white").save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()




def bad_request(client: anthropic.Anthropic, **kwargs: Any) -> str:
    return refused(client, **{"max_tokens": 2048, **kwargs})


def call(tool_use_id: str = "toolu_a1", name: str = "echo", **arguments: Any) -> dict[str, Any]:
    return {"type": "tool_use", "id": tool_use_id, "name": name,
            "input": arguments or {"text": "hi"}}


def result(tool_use_id: str = "toolu_a1", content: Any = "hi", **more: Any) -> dict[str, Any]:
    return {"type": "tool_result", "tool_use_id": tool_use_id, "content": content, **more}


def answered(*results: Any, calls: list[Any] | None = None) -> list[Any]:
    """A conversation whose last reply called tools and whose last turn answers them."""
    return [{"role": "user", "content": "Say hi with the tool."},
            {"role": "assistant", "content": calls or [call()]},
            {"role": "user", "content": list(results)}]


def turn(message: Any) -> dict[str, Any]:
    """A reply as the next request's assistant turn, as plain dicts."""
    return {"role": "assistant", "content": [block.to_dict() for block in message.content]}


def with_tools(**kwargs: Any) -> dict[str, Any]:
    return {"tools": [ECHO, CLOCK], **kwargs}


# (create() kwargs, a substring of the 400 message); one test walks them all.
TOOL_CASES: list[tuple[dict[str, Any], str]] = [
    # tools
    ({"tools": [{**ECHO, "name": "server.echo"}]},
     "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'"),
    ({"tools": [{**ECHO, "name": "e" * 129}]}, "String should match pattern"),
    ({"tools": [ECHO, {**CLOCK, "name": "echo"}]}, "tools: Tool names must be unique."),
    ({"tools": [{"name": "echo"}]}, "tools.0.custom.input_schema: Field required"),
    ({"tools": [{**ECHO, "input_schema": {"type": "string"}}]},
     "tools.0.custom.input_schema.type: Input should be 'object'"),
    ({"tools": [CLOCK, {**ECHO, "input_schema": {"type": "object", "anyOf": [
        {"required": ["a"]}, {"required": ["b"]}]}}]},
     "tools.1.custom.input_schema: input_schema does not support oneOf, allOf, or anyOf at "
     "the top level"),
    ({"tools": [{**ECHO, "input_schema": {"type": "object", "required": "text"}}]},
     "tools.0.custom.input_schema: JSON schema is invalid. It must match JSON Schema draft "
     "2020-12"),
    ({"tools": [{**ECHO, "parameters": {}}]},
     "tools.0.custom.parameters: Extra inputs are not permitted"),
    ({"tools": [{**ECHO, "description": ["Say", "it"]}]},
     "tools.0.custom.description: Input should be a valid string"),
    ({"tools": [{"type": "function", "function": ECHO}]}, "Input tag 'function'"),
    ({"tools": {"echo": ECHO}}, "tools: Input should be a valid list"),
    # tool_choice
    (with_tools(tool_choice={"type": "required"}), "Input tag 'required'"),
    (with_tools(tool_choice={"type": "tool"}), "tool_choice.tool.name: Field required"),
    (with_tools(tool_choice={"type": "tool", "name": "nope"}), "Tool 'nope' not found"),
    ({"tool_choice": {"type": "any"}}, "defines no `tools`"),
    (with_tools(tool_choice={"type": "none", "disable_parallel_tool_use": True}),
     "tool_choice.none.disable_parallel_tool_use: Extra inputs are not permitted"),
    (with_tools(tool_choice={"type": "auto", "disable_parallel_tool_use": "yes"}),
     "disable_parallel_tool_use: Input should be a valid boolean"),
    (with_tools(model=OPUS, thinking={"type": "adaptive"}, tool_choice={"type": "any"}),
     "Thinking may not be enabled when tool_choice forces tool use."),
    (with_tools(model=HAIKU, thinking=ENABLED, tool_choice={"type": "tool", "name": "echo"}),
     "Thinking may not be enabled when tool_choice forces tool use."),
    # tool_use blocks and their results
    (with_tools(messages=answered(result("call.1"), calls=[call("call.1")])),
     "messages.1.content.0.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'"),
    (with_tools(messages=answered(result())[:2] + [{"role": "user", "content": "well?"}]),
     "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: "
     "toolu_a1"),
    (with_tools(messages=answered({"type": "text", "text": "Here:"}, result())),
     "messages.2: Did not find 1 `tool_result` block(s) at the beginning of this message"),
    (with_tools(messages=answered(result(), result(content="again"))),
     "messages.2: each `tool_use` must have a single result. Found multiple `tool_result` "
     "blocks with id: toolu_a1"),
    (with_tools(messages=[*answered(result()), {"role": "assistant", "content": [call()]},
                          {"role": "user", "content": [result()]}]),
     "messages.3.content.0: `tool_use` ids must be unique"),
    (with_tools(messages=answered(result(content=[{"type": "resource", "resource": {}}]))),
     "messages.2.content.0.tool_result.content.0: Input tag 'resource' found using 'type' does "
     "not match any of the expected tags"),
    (with_tools(messages=answered(result(content=[{"type": "text", "text": ""}]))),
     "text content blocks must be non-empty"),
    (with_tools(messages=answered(result(content=[{"type": "image", "source": {
        "type": "base64", "media_type": "image/bmp", "data": png()}}]))),
     "messages.2.content.0.tool_result.content.0.image.source.base64.media_type"),
    (with_tools(messages=answered(result(is_error="yes"))),
     "tool_result.is_error: Input should be a valid boolean"),
    (with_tools(messages=answered(result(content={"text": "hi"}))),
     "tool_result.content: Input should be a valid string or list"),
]


def test_tool_rules_reject_what_the_api_rejects(server: FakeAnthropicServer,
                                                client: anthropic.Anthropic) -> None:
    server.enqueue(Reply("kept"))
    for i, (kwargs, expected) in enumerate(TOOL_CASES):
        message = bad_request(client, **kwargs)
        assert expected in message, f"case {i}: {kwargs!r} -> {message!r}"
        # count_tokens applies the same rules
        counted = {k: v for k, v in kwargs.items() if k != "max_tokens"}
        counted.setdefault("model", SONNET)
        counted.setdefault("messages", HI)
        with pytest.raises(anthropic.BadRequestError):
            client.messages.count_tokens(**counted)
    assert server.pending == 1  # rejected requests do not use the script
    assert client.messages.create(model=SONNET, max_tokens=100, messages=HI).content[
        0].text == "kept"  # type: ignore[union-attr]


def test_valid_tool_requests_are_accepted(server: FakeAnthropicServer,
                                          client: anthropic.Anthropic) -> None:
    pdf = base64.b64encode(b"%PDF-1.7\n...").decode()
    rich = result("toolu_a1", [
        {"type": "text", "text": "A picture and a file:"},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": png()}},
        {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                        "data": pdf}},
        {"type": "search_result", "source": "https://example.com", "title": "Example",
         "content": [{"type": "text", "text": "found"}]},
    ])
    failed = result("toolu_b2", [{"type": "text", "text": "no clock here"}], is_error=True)
    history = answered(rich, failed, {"type": "text", "text": "Carry on."},
                       calls=[{"type": "text", "text": "Two calls."}, call(),
                              call("toolu_b2", "clock")])
    tools = [{**ECHO, "cache_control": _5M, "strict": True},
             {**CLOCK, "type": "custom", "description": "What time it is."},
             {"type": "web_search_20250305", "name": "web_search", "max_uses": 2}]
    for choice in (None, {"type": "auto", "disable_parallel_tool_use": True}, {"type": "none"},
                   {"type": "any"}, {"type": "tool", "name": "clock"}):
        extra = {} if choice is None else {"tool_choice": choice}
        client.messages.create(model=SONNET, max_tokens=100, messages=history, tools=tools,
                               **extra)
    # a conversation whose old calls' tools are gone is still a valid request
    client.messages.create(model=SONNET, max_tokens=100,
                           messages=[*history, {"role": "assistant", "content": "Done."},
                                     {"role": "user", "content": "Thanks"}])
    # an empty result and a string result
    client.messages.create(model=SONNET, max_tokens=100, tools=[ECHO],
                           messages=answered(result(content=""), calls=[call()]))


def test_a_scripted_call_streams_as_the_api_streams_it(server: FakeAnthropicServer,
                                                       client: anthropic.Anthropic) -> None:
    first = ToolUse("echo", {"text": "hello, wörld", "times": [1, 2]})
    second = ToolUse("clock")
    server.enqueue(Reply("Let me check.", tool_uses=[first, second], chunks=3))
    with client.messages.create(model=SONNET, max_tokens=1024, messages=HI, tools=[ECHO, CLOCK],
                                stream=True) as raw:
        events = list(raw)
    starts = [e for e in events if e.type == "content_block_start"]
    assert [s.content_block.type for s in starts] == ["text", "tool_use", "tool_use"]
    block = starts[1].content_block
    assert (block.id, block.name, block.input) == (  # type: ignore[union-attr]
        first.id, "echo", {})
    assert first.id.startswith("toolu_01") and first.id != second.id
    pieces = [e.delta.partial_json for e in events  # type: ignore[union-attr]
              if e.type == "content_block_delta" and e.index == 1]
    assert pieces[0] == ""  # the API's first input delta is empty
    assert len(pieces) == 4 and json.loads("".join(pieces)) == first.input
    assert [e.delta.partial_json for e in events  # type: ignore[union-attr]
            if e.type == "content_block_delta" and e.index == 2] == ["", "{", "}"]
    stop = next(e for e in events if e.type == "message_delta")
    assert stop.delta.stop_reason == "tool_use"  # type: ignore[union-attr]
    assert stop.usage.output_tokens > 0  # type: ignore[union-attr]

    # the SDK's own accumulator, and a non-streamed request, see the same calls
    server.enqueue(Reply(tool_uses=[first, second]), Reply(tool_uses=[first]))
    with client.messages.stream(model=SONNET, max_tokens=1024, messages=HI,
                                tools=[ECHO, CLOCK]) as s:
        final = s.get_final_message()
    plain = client.messages.create(model=SONNET, max_tokens=1024, messages=HI, tools=[ECHO])
    for message, calls in ((final, [first, second]), (plain, [first])):
        assert message.stop_reason == "tool_use"
        assert [b.type for b in message.content] == ["tool_use"] * len(calls)  # no echo text
        assert [(b.id, b.name, b.input) for b in message.content] == [  # type: ignore[union-attr]
            (c.id, c.name, c.input) for c in calls]


def test_a_call_can_stream_text_that_is_not_json_and_be_held(
        server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    gate = threading.Event()
    script = Reply(tool_uses=[ToolUse("echo", input_json='{"text": "cut o')], gate=gate,
                   stop_reason="max_tokens")
    server.enqueue(script)
    with client.messages.create(model=SONNET, max_tokens=1024, messages=HI, tools=[ECHO],
                                stream=True) as raw:
        events = iter(raw)
        pieces: list[str] = []
        for event in events:
            if event.type == "content_block_delta":
                pieces.append(event.delta.partial_json)  # type: ignore[union-attr]
                if len(pieces) == 2:
                    break
        assert script.at_gate.wait(5)  # held after the first piece of the call's input
        gate.set()
        rest = list(events)
    pieces += [e.delta.partial_json for e in rest  # type: ignore[union-attr]
               if e.type == "content_block_delta"]
    assert "".join(pieces) == '{"text": "cut o'
    assert next(e for e in rest if e.type == "message_delta"
                ).delta.stop_reason == "max_tokens"  # type: ignore[union-attr]


def test_tool_results_are_recorded_for_assertions(server: FakeAnthropicServer,
                                                  client: anthropic.Anthropic) -> None:
    first, second = ToolUse("echo", {"text": "hi"}), ToolUse("clock")
    server.enqueue(Reply("Two at once.", tool_uses=[first, second]), Reply("Done."))
    reply = client.messages.create(model=SONNET, max_tokens=1024, messages=HI,
                                   tools=[ECHO, CLOCK])
    history: list[Any] = [*HI, turn(reply), {"role": "user", "content": [
        result(first.id, [{"type": "text", "text": "h"}, {"type": "text", "text": "i"}]),
        result(second.id, "no clock", is_error=True)]}]
    done = client.messages.create(model=SONNET, max_tokens=1024, messages=history,
                                  tools=[ECHO, CLOCK])
    assert done.content[0].text == "Done."  # type: ignore[union-attr]
    sent = server.message_requests()[-1]
    assert server.request_with_result(first.id) is sent
    assert server.request_with_result("toolu_never") is None
    # unscripted, the answer to a turn of results echoes what the tools returned
    echoed = client.messages.create(model=SONNET, max_tokens=1024, messages=history,
                                    tools=[ECHO, CLOCK])
    assert echoed.content[0].text == "Echo: hino clock"  # type: ignore[union-attr]
    assert list(sent.tool_results()) == [first.id, second.id]
    assert sent.tool_result_text(first.id) == "hi"
    assert sent.tool_result_text(second.id) == "no clock"
    assert sent.tool_results()[second.id]["is_error"] is True
    assert server.message_requests()[0].tool_results() == {}
    assert server.script_errors == []


def test_thinking_opens_a_tool_turn_and_must_be_sent_back(server: FakeAnthropicServer,
                                                          client: anthropic.Anthropic) -> None:
    lookup = ToolUse("echo", {"text": "hi"})
    server.enqueue(Reply("Let me look.", thinking="The echo tool will do.", tool_uses=[lookup]),
                   Reply("It said hi."))
    with client.messages.stream(model=HAIKU, max_tokens=2048, messages=HI, tools=[ECHO],
                                thinking=ENABLED) as s:
        final = s.get_final_message()
    assert [b.type for b in final.content] == ["thinking", "text", "tool_use"]
    answer = {"role": "user", "content": [result(lookup.id)]}
    without_thinking: Any = [*HI, {"role": "assistant", "content": [
        b.to_dict() for b in final.content[1:]]}, answer]
    assert bad_request(client, model=HAIKU, messages=without_thinking, tools=[ECHO],
                       thinking=ENABLED) == (
        "messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found "
        "`text`. When `thinking` is enabled, a final `assistant` message must start with a "
        "thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). "
        "We recommend you include thinking blocks from previous turns. To avoid this "
        "requirement, disable `thinking`. Please consult our documentation at "
        "https://docs.claude.com/en/docs/build-with-claude/extended-thinking")
    # changed thinking is refused by its signature; the untouched turn is accepted
    tampered = turn(final)
    tampered["content"][0]["thinking"] = "Something else."
    assert "Invalid `signature`" in bad_request(
        client, model=HAIKU, messages=[*HI, tampered, answer], tools=[ECHO], thinking=ENABLED)
    done = client.messages.create(model=HAIKU, max_tokens=2048, tools=[ECHO], thinking=ENABLED,
                                  messages=[*HI, turn(final), answer])
    assert done.content[0].text == "It said hi."  # type: ignore[union-attr]
    # with thinking off the thinking must go (the fake's rule), and then the turn is valid
    client.messages.create(model=HAIKU, max_tokens=2048, tools=[ECHO],
                           messages=without_thinking)


def test_adaptive_thinking_is_required_back_only_where_it_was_given(
        server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    adaptive: Any = {"type": "adaptive"}
    thought, unthought = ToolUse("echo", {"text": "a"}), ToolUse("echo", {"text": "b"})
    server.enqueue(Reply(thinking="Use echo.", tool_uses=[thought]), Reply(tool_uses=[unthought]))
    replies = [client.messages.create(model=OPUS, max_tokens=2048, messages=HI, tools=[ECHO],
                                      thinking=adaptive) for _ in range(2)]
    assert [b.type for b in replies[0].content] == ["thinking", "tool_use"]
    assert [b.type for b in replies[1].content] == ["tool_use"]
    for reply, tool_call, ok in ((replies[0], thought, False), (replies[1], unthought, True)):
        calls = [b.to_dict() for b in reply.content if b.type == "tool_use"]
        messages: Any = [*HI, {"role": "assistant", "content": calls},
                         {"role": "user", "content": [result(tool_call.id)]}]
        if ok:
            client.messages.create(model=OPUS, max_tokens=2048, messages=messages, tools=[ECHO],
                                   thinking=adaptive)
        else:
            assert "must start with a thinking block" in bad_request(
                client, model=OPUS, messages=messages, tools=[ECHO], thinking=adaptive)


def test_a_tool_loop_of_several_rounds_keeps_the_first_thinking(
        server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    """Thinking opens the turn; later rounds of the same turn need not think again."""
    rounds = [ToolUse("echo", {"text": str(i)}) for i in range(3)]
    server.enqueue(Reply(thinking="Three echoes.", tool_uses=[rounds[0]]),
                   Reply(tool_uses=[rounds[1]]), Reply(tool_uses=[rounds[2]]), Reply("Done."))
    messages: list[Any] = list(HI)
    for tool_call in rounds:
        reply = client.messages.create(model=HAIKU, max_tokens=2048, messages=messages,
                                       tools=[ECHO], thinking=ENABLED)
        messages += [turn(reply), {"role": "user", "content": [result(tool_call.id)]}]
    done = client.messages.create(model=HAIKU, max_tokens=2048, messages=messages,
                                  tools=[ECHO], thinking=ENABLED)
    assert done.content[-1].text == "Done."  # type: ignore[union-attr]
    assert [m["content"][0]["type"] for m in messages[1::2]] == [
        "thinking", "tool_use", "tool_use"]
    assert [r.tool_result_text(c.id) for r, c in zip(server.message_requests()[1:], rounds,
                                                      strict=True)] == ["hi"] * 3


def test_a_call_the_real_model_could_not_make_is_not_served(
        server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    cases: list[tuple[dict[str, Any], Reply, str]] = [
        ({}, Reply(tool_uses=[ToolUse("echo")]), "the request offers only [] as `tools`"),
        ({"tools": [CLOCK]}, Reply(tool_uses=[ToolUse("echo")]), "calls ['echo']"),
        ({"tools": [ECHO], "tool_choice": {"type": "none"}},
         Reply(tool_uses=[ToolUse("echo")]), "tool_choice is 'none'"),
        ({"tools": [ECHO, CLOCK], "tool_choice": {"type": "tool", "name": "clock"}},
         Reply(tool_uses=[ToolUse("echo")]), "tool_choice forces 'clock'"),
        ({"tools": [ECHO], "tool_choice": {"type": "auto", "disable_parallel_tool_use": True}},
         Reply(tool_uses=[ToolUse("echo"), ToolUse("echo")]), "disable_parallel_tool_use"),
        ({"tools": [ECHO], "model": HAIKU, "thinking": ENABLED},
         Reply(tool_uses=[ToolUse("echo")]), "give the Reply a `thinking` text"),
        ({"tools": [ECHO]}, Reply(tool_uses=[ToolUse("echo", id="toolu_x")] * 2),
         "two calls with one id"),
    ]
    for kwargs, script, expected in cases:
        server.enqueue(script)
        kwargs = {"model": SONNET, "max_tokens": 2048, "messages": HI, **kwargs}
        with pytest.raises(anthropic.InternalServerError) as ei:
            client.messages.create(**kwargs)
        assert "fake_api script error" in str(ei.value) and expected in str(ei.value)
        assert expected in server.script_errors[-1]
    assert len(server.script_errors) == len(cases)


def test_tool_definitions_are_counted_and_cached_first(server: FakeAnthropicServer,
                                                       client: anthropic.Anthropic) -> None:
    def count(**kwargs: Any) -> int:
        return client.messages.count_tokens(model=SONNET, messages=HI, **kwargs).input_tokens

    bare = count()
    one = count(tools=[ECHO])
    assert one - bare >= TOOL_USE_SYSTEM_TOKENS["auto"] + len(json.dumps(ECHO)) // 4 - 2
    assert one - count(tools=[ECHO], tool_choice={"type": "any"}) == 346 - 313
    longer = count(tools=[{**ECHO, "description": ECHO["description"] + " x" * 200}])
    assert longer - one in (99, 100, 101)

    # tools come first in the cache prefix: a breakpoint on the last tool caches them alone,
    # so a new system prompt still reads them, and changing a tool reads nothing
    manual = {**ECHO, "description": "Manual. " * 700}  # ~1400 tokens
    tools = [CLOCK, {**manual, "cache_control": _5M}]

    def usage(system: str, tool_list: list[Any]) -> Any:
        return client.messages.create(model=SONNET, max_tokens=100, messages=HI,
                                      system=system, tools=tool_list).usage

    first = usage("Be brief.", tools)
    assert first.cache_creation_input_tokens and first.cache_creation_input_tokens > 1024
    assert first.cache_read_input_tokens == 0
    again = usage("Be very brief.", tools)
    assert again.cache_read_input_tokens == first.cache_creation_input_tokens
    changed = usage("Be brief.", [CLOCK, {**manual, "description": "Other. " * 700,
                                          "cache_control": _5M}])
    assert changed.cache_read_input_tokens == 0
    reordered = usage("Be brief.", [{**manual, "cache_control": _5M}, CLOCK])
    assert reordered.cache_read_input_tokens == 0
