"""Tests of the fake Anthropic API server itself, driven by the real ``anthropic`` SDK.

What the installed SDK raises for each fault. The exception classes for faults on the
connection changed between SDK versions (2.13 raised a raw ``httpx2.ReadError`` for a reset
mid-stream, 2.17 wraps it as ``anthropic.APIConnectionError``), so the tests of those faults
assert what a client sees (the partial text arrived, an error that is not an HTTP status error
was raised, nothing hangs), not the class:

* wrong / missing key      -> ``anthropic.AuthenticationError`` (401)
* unknown model            -> ``anthropic.NotFoundError`` (404)
* ``ApiError(429)``        -> ``anthropic.RateLimitError``; ``err.response.headers`` has retry-after
* ``ApiError(529)``        -> ``anthropic.OverloadedError`` (a subclass of InternalServerError)
* ``ApiError(500)``        -> ``anthropic.InternalServerError``
* ``StreamError``          -> plain ``anthropic.APIStatusError`` raised while iterating the stream
                              (the HTTP status was 200, so no status-specific subclass);
                              ``err.type == "overloaded_error"``
* ``CutStream``            -> no exception at all: iteration just ends, no ``message_stop`` event,
                              ``get_final_message().stop_reason is None``
* ``ResetStream`` (stream) -> a transport error from the iteration, after the partial text
                              (2.17: ``anthropic.APIConnectionError``; 2.13: ``httpx2.ReadError``)
* ``ResetStream`` / ``CutStream`` (non-stream) -> ``anthropic.APIConnectionError``
* ``Hang`` + short timeout -> ``anthropic.APITimeoutError``
* server ``close()`` mid-stream -> a transport error (2.17: ``anthropic.APIConnectionError``,
                              "incomplete chunked read"; 2.13: ``httpx2.RemoteProtocolError``)
"""

from __future__ import annotations

import asyncio
import base64
import io
import threading
import time
from typing import Any

import anthropic
import pytest
from PIL import Image
from anthropic.types import ModelCapabilities, ModelInfo

try:
    from tests.fake_api import (
        COMPACT_BETA,
        DEFAULT_API_KEY,
        ApiError,
        CutStream,
        FakeAnthropicServer,
        Hang,
        Reply,
        ResetStream,
        StreamError,
        default_models,
    )
except ImportError:  # tests/ is not importable as a package: it is on sys.path itself
    from fake_api import (  # type: ignore[no-redef]
        COMPACT_BETA,
        DEFAULT_API_KEY,
        ApiError,
        CutStream,
        FakeAnthropicServer,
        Hang,
        Reply,
        ResetStream,
        StreamError,
        default_models,
    )
from tests.fake_api_tests.refusals import bad_request

SONNET = "claude-sonnet-4-6"
HAIKU = "claude-haiku-4-5"
OPUS = "claude-opus-4-7"
HI = [{"role": "user", "content": "hi"}]


def image_bytes(fmt: str, size: tuple[int, int] = (3, 2), mode: str = "RGB", **save: Any) -> bytes:
    """A real image file made by Pillow."""
    out = io.BytesIO()
    Image.new(mode, size, "white").save(out, fmt, **save)
    return out.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")






# --------------------------------------------------------------------------------------------
# Streaming and plain replies
# --------------------------------------------------------------------------------------------


def test_streamed_reply(server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    server.enqueue(Reply("Hello there, world!", chunks=3, output_tokens=7))
    with client.messages.stream(model=SONNET, max_tokens=1024, messages=HI) as stream:
        texts = [e.text for e in stream if e.type == "text"]
        final = stream.get_final_message()
        assert stream.request_id and stream.request_id.startswith("req_")
    assert texts == ["Hello t", "here, ", "world!"]
    assert final.id.startswith("msg_")
    assert final.model == SONNET
    assert final.stop_reason == "end_turn"
    assert [b.type for b in final.content] == ["text"]
    assert final.content[0].text == "Hello there, world!"  # type: ignore[union-attr]
    assert final.usage.output_tokens == 7
    assert final.usage.input_tokens > 0
    assert final.usage.cache_read_input_tokens == 0
    assert final.usage.cache_creation is not None
    req = server.message_requests()[0]
    assert req.body is not None and req.body["stream"] is True
    assert req.headers["anthropic-version"]
    assert server.pending == 0


def test_raw_sse_event_order(server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    server.enqueue(Reply("Hi!", thinking="Hmm.", stop_sequence="END"))
    with client.messages.create(model=SONNET, max_tokens=4096, messages=HI, stream=True,
                                thinking={"type": "enabled", "budget_tokens": 2048}) as raw:
        events = list(raw)
        assert raw.response.headers["content-type"].startswith("text/event-stream")
        assert raw.response.headers["request-id"].startswith("req_")
    assert [e.type for e in events] == [
        "message_start",
        "content_block_start", "content_block_delta", "content_block_delta",
        "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop",
    ]
    start = events[0].message  # type: ignore[union-attr]
    assert start.stop_reason is None and start.content == [] and start.usage.output_tokens == 1
    assert start.usage.cache_creation.ephemeral_5m_input_tokens == 0  # type: ignore[union-attr]
    assert events[2].delta.type == "thinking_delta"  # type: ignore[union-attr]
    assert events[3].delta.type == "signature_delta"  # type: ignore[union-attr]
    delta = events[8]
    assert delta.delta.stop_reason == "stop_sequence"  # type: ignore[union-attr]
    assert delta.delta.stop_sequence == "END"  # type: ignore[union-attr]


def test_non_stream_echo_and_multi_turn(server: FakeAnthropicServer,
                                        client: anthropic.Anthropic) -> None:
    first = client.messages.create(model=HAIKU, max_tokens=256, messages=HI)
    assert first.content[0].text == "Echo: hi"  # type: ignore[union-attr]
    assert first.stop_reason == "end_turn"
    assert first.usage.output_tokens >= 1
    messages: list[Any] = [*HI, first.to_param(),
                           {"role": "user", "content": [{"type": "text", "text": "second"}]},
                           {"role": "user", "content": "third"}]  # consecutive users: merged
    second = client.messages.create(model=HAIKU, max_tokens=256, messages=messages)
    assert second.content[0].text == "Echo: third"  # type: ignore[union-attr]
    assert len(server.message_requests()) == 2


def test_async_stream_and_keep_alive(server: FakeAnthropicServer) -> None:
    server.enqueue(Reply("one two three four", chunks=4), Reply("second"))

    async def main() -> tuple[list[str], str, str]:
        async with anthropic.AsyncAnthropic(api_key=DEFAULT_API_KEY, base_url=server.base_url,
                                            max_retries=0) as c:
            async with c.messages.stream(model=OPUS, max_tokens=1024, messages=HI) as s:
                pieces = [t async for t in s.text_stream]
                final = await s.get_final_message()
            msg = await c.messages.create(model=OPUS, max_tokens=1024, messages=HI)
            count = await c.messages.count_tokens(model=OPUS, messages=HI)
            assert count.input_tokens > 0
            return pieces, final.content[0].text, msg.content[0].text  # type: ignore[union-attr]

    pieces, final_text, second = asyncio.run(main())
    assert "".join(pieces) == final_text == "one two three four"
    assert len(pieces) == 4
    assert second == "second"
    assert server.connection_count == 1  # framing is right: one keep-alive connection


# --------------------------------------------------------------------------------------------
# Thinking, redacted thinking, compaction round trips
# --------------------------------------------------------------------------------------------


def test_thinking_round_trip(server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    server.enqueue(Reply("The answer is 4.", thinking="2 + 2 = 4, obviously.",
                         redacted_thinking=True))
    thinking: Any = {"type": "enabled", "budget_tokens": 2048}
    with client.messages.stream(model=SONNET, max_tokens=4096, thinking=thinking,
                                messages=HI) as s:
        kinds = [e.type for e in s]
        final = s.get_final_message()
    assert "thinking" in kinds and "signature" in kinds
    assert [b.type for b in final.content] == ["thinking", "redacted_thinking", "text"]
    block = final.content[0]
    assert block.thinking == "2 + 2 = 4, obviously."  # type: ignore[union-attr]
    assert block.signature  # type: ignore[union-attr]

    history: list[Any] = [*HI, final.to_param(), {"role": "user", "content": "and 3 + 3?"}]
    ok = client.messages.create(model=SONNET, max_tokens=4096, thinking=thinking,
                                messages=history)
    assert ok.content[0].text == "Echo: and 3 + 3?"  # type: ignore[union-attr]

    sent = server.message_requests()[-1].body
    assert sent is not None
    tampered = [dict(m) for m in sent["messages"]]
    tampered[1] = {"role": "assistant", "content": [dict(b) for b in tampered[1]["content"]]}
    tampered[1]["content"][0]["thinking"] = "2 + 2 = 5"
    msg = bad_request(client, thinking=thinking, messages=tampered)
    assert msg == "messages.1.content.0: Invalid `signature` in `thinking` block"

    forged = [*HI, {"role": "assistant", "content": [
        {"type": "thinking", "thinking": "x", "signature": "Zm9yZ2Vk"},
        {"type": "text", "text": "y"}]}, {"role": "user", "content": "z"}]
    assert "Invalid `signature`" in bad_request(client, messages=forged)
    forged_redacted = [*HI, {"role": "assistant", "content": [
        {"type": "redacted_thinking", "data": "bm9wZQ=="}]}, {"role": "user", "content": "z"}]
    assert "Invalid `data`" in bad_request(client, messages=forged_redacted)
    in_user = [{"role": "user", "content": [dict(tampered[1]["content"][0])]}]
    assert "only allowed in assistant messages" in bad_request(client, messages=in_user)


def test_thinking_display_omitted(server: FakeAnthropicServer,
                                  client: anthropic.Anthropic) -> None:
    server.enqueue(Reply("ok", thinking="secret reasoning"))
    msg = client.messages.create(model=OPUS, max_tokens=2048, messages=HI,
                                 thinking={"type": "adaptive", "display": "omitted"})
    block = msg.content[0]
    assert block.type == "thinking" and block.thinking == "" and block.signature
    # the omitted block (empty text + signature) is accepted back
    client.messages.create(model=OPUS, max_tokens=2048, thinking={"type": "adaptive"},
                           messages=[*HI, msg.to_param(), {"role": "user", "content": "more"}])


def test_compaction_round_trip(server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    from anthropic.types.compaction_content_mismatch_error import CompactionContentMismatchError
    from anthropic.types.compaction_signature_invalid_error import (
        CompactionSignatureInvalidError,
    )

    edits: Any = {"edits": [{"type": "compact_20260112",
                             "trigger": {"type": "input_tokens", "value": 100_000}}]}
    server.enqueue(Reply("Continuing.", compaction="Summary of the earlier conversation."))
    with client.beta.messages.stream(model=SONNET, max_tokens=1024, messages=HI,
                                     betas=[COMPACT_BETA], context_management=edits) as s:
        final = s.get_final_message()
    assert server.message_requests()[-1].headers["anthropic-beta"] == COMPACT_BETA
    assert [b.type for b in final.content] == ["compaction", "text"]
    compaction = final.content[0].to_dict()
    assert compaction["content"] == "Summary of the earlier conversation."

    history: list[Any] = [*HI, {"role": "assistant", "content": [compaction]},
                          {"role": "user", "content": "go on"}]
    ok = client.beta.messages.create(model=SONNET, max_tokens=1024, messages=history,
                                     betas=[COMPACT_BETA], context_management=edits)
    assert ok.content[0].text == "Echo: go on"  # type: ignore[union-attr]

    changed = {**compaction, "content": "A different summary."}
    with pytest.raises(CompactionContentMismatchError):
        client.beta.messages.create(
            model=SONNET, max_tokens=1024, betas=[COMPACT_BETA],
            messages=[*HI, {"role": "assistant", "content": [changed]}, *HI])
    forged = {**compaction, "signature": "Zm9yZ2Vk"}
    with pytest.raises(CompactionSignatureInvalidError):
        client.beta.messages.create(
            model=SONNET, max_tokens=1024, betas=[COMPACT_BETA],
            messages=[*HI, {"role": "assistant", "content": [forged]}, *HI])
    # context_management needs the beta header and a model that supports compaction
    msg = bad_request(client, extra_body={"context_management": edits})
    assert "anthropic-beta" in msg
    with pytest.raises(anthropic.BadRequestError, match="not supported"):
        client.beta.messages.create(model=HAIKU, max_tokens=1024, messages=HI,
                                    betas=[COMPACT_BETA], context_management=edits)


def test_compaction_usage_iterations(server: FakeAnthropicServer,
                                     client: anthropic.Anthropic) -> None:
    edits: Any = {"edits": [{"type": "compact_20260112"}]}
    ask: Any = {"model": SONNET, "max_tokens": 1024, "messages": HI, "betas": [COMPACT_BETA],
                "context_management": edits}
    server.enqueue(Reply("Continuing.", compaction="Summary.", output_tokens=9,
                         compaction_usage={"input_tokens": 180_000, "output_tokens": 3_000,
                                           "cache_read_input_tokens": 20_000}))
    with client.beta.messages.create(stream=True, **ask) as raw:
        events = list(raw)
    start = next(e for e in events if e.type == "message_start")
    delta = next(e for e in events if e.type == "message_delta")
    assert start.message.usage.iterations is None  # known when the reply is complete
    usage = delta.usage
    assert usage.iterations is not None
    compaction, message = usage.iterations
    assert compaction.type == "compaction" and message.type == "message"
    assert (compaction.input_tokens, compaction.output_tokens) == (180_000, 3_000)
    assert (compaction.cache_read_input_tokens, compaction.cache_creation_input_tokens) == (
        20_000, 0)
    # the top-level fields are the message iteration's alone: the compaction is not in them
    assert (usage.input_tokens, usage.output_tokens) == (message.input_tokens, 9)
    assert message.output_tokens == 9 and 0 < message.input_tokens < 100
    assert usage.cache_read_input_tokens == message.cache_read_input_tokens == 0

    # the accumulated stream and a non-streaming reply carry the same
    server.enqueue(Reply("Continuing.", compaction="Summary."))
    with client.beta.messages.stream(**ask) as s:
        final = s.get_final_message()
    assert final.usage.iterations is not None
    assert [it.type for it in final.usage.iterations] == ["compaction", "message"]
    default = final.usage.iterations[0]
    assert default.input_tokens == final.usage.input_tokens  # the whole prompt, by default
    assert default.output_tokens == len("Summary.") // 4
    server.enqueue(Reply("Continuing.", compaction="Summary."))
    plain = client.beta.messages.create(**ask)
    assert plain.usage.iterations is not None and len(plain.usage.iterations) == 2
    assert plain.usage.iterations[1].input_tokens == plain.usage.input_tokens
    # no compaction, no iterations
    assert client.beta.messages.create(**ask).usage.iterations is None
    with pytest.raises(TypeError):
        Reply(compaction="x", compaction_usage={"input": 1})


# --------------------------------------------------------------------------------------------
# Refusals: stop_details, and refusals that persist while the refused exchange is sent
# --------------------------------------------------------------------------------------------

WHY = "This request could enable cyber harm."


def test_refusal_stop_details(server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    server.enqueue(Reply("I can't help with that.", stop_reason="refusal",
                         refusal_category="cyber", refusal_explanation=WHY))
    with client.messages.create(model=SONNET, max_tokens=100, messages=HI, stream=True) as raw:
        events = list(raw)
    delta = next(e for e in events if e.type == "message_delta")
    assert delta.delta.stop_reason == "refusal"
    details = delta.delta.stop_details
    assert details is not None and details.type == "refusal"
    assert (details.category, details.explanation) == ("cyber", WHY)

    server.forget_refusals()
    server.enqueue(Reply("No.", stop_reason="refusal"), Reply("No.", stop_reason="refusal"))
    with client.messages.stream(model=SONNET, max_tokens=100, messages=HI) as s:
        final = s.get_final_message()
    assert final.stop_reason == "refusal" and final.stop_details is not None
    assert (final.stop_details.category, final.stop_details.explanation) == (None, None)
    server.forget_refusals()
    plain = client.messages.create(model=SONNET, max_tokens=100, messages=HI)
    assert plain.stop_reason == "refusal" and plain.stop_details is not None
    server.forget_refusals()
    assert client.messages.create(model=SONNET, max_tokens=100, messages=HI).stop_details is None
    with pytest.raises(TypeError):
        Reply(stop_reason="refusal", refusal_category="unknown")


def test_a_refusal_persists_while_the_refused_exchange_is_sent(
        server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    poem = "Sure: roses are red."
    server.enqueue(Reply("I can't help with that.", stop_reason="refusal",
                         refusal_category="cyber", refusal_explanation=WHY), Reply(poem))
    asked = user_turn("Write malware.")
    refused = as_param(client.messages.create(model=SONNET, max_tokens=100, messages=[asked]))
    assert [(r.persisted, r.category) for r in server.refusals_served] == [(False, "cyber")]
    follow_up = user_turn("Write a poem instead.")

    def again(messages: list[Any], stream: bool = False) -> Any:
        if stream:
            with client.messages.stream(model=SONNET, max_tokens=100, messages=messages) as s:
                return s.get_final_message()
        return client.messages.create(model=SONNET, max_tokens=100, messages=messages)

    cached_ask = {"role": "user", "content": [
        {"type": "text", "text": "Write malware.", "cache_control": {"type": "ephemeral"}}]}
    still_refused = [
        [asked, refused, follow_up],                  # the whole exchange
        [asked, follow_up],                           # the refused turn (merged into one turn)
        [user_turn("Write code."), refused, follow_up],  # the refused reply
        [cached_ask, refused, follow_up],             # cache_control changes nothing
    ]
    for k, messages in enumerate(still_refused):
        reply = again(messages, stream=k % 2 == 0)
        assert reply.stop_reason == "refusal", k
        assert reply.content == []  # refused again before any output
        assert reply.stop_details is not None and reply.stop_details.category == "cyber"
        assert server.pending == 1  # a persisted refusal does not use the queued script
    assert [r.persisted for r in server.refusals_served] == [False, True, True, True, True]
    assert server.refusals_served[-1].request is server.message_requests()[-1]

    server.persisted_refusal_text = "I can't continue this conversation."
    reply = again([asked, refused, follow_up], stream=True)
    assert [b.to_dict() for b in reply.content] == [
        {"type": "text", "text": "I can't continue this conversation."}]
    # once the exchange is gone from the history, the next script answers
    answer = again([follow_up])
    assert answer.stop_reason == "end_turn"
    assert [b.to_dict() for b in answer.content] == [{"type": "text", "text": poem}]
    assert len(server.refusals_served) == 6
    server.forget_refusals()
    assert again([asked, follow_up]).stop_reason == "end_turn"


# --------------------------------------------------------------------------------------------
# Thinking blocks bound to what came before them; thinking blocks only with thinking on
# --------------------------------------------------------------------------------------------

THINK: Any = {"type": "enabled", "budget_tokens": 2048}
TOOL: Any = {"name": "lookup", "description": "Look a word up.",
             "input_schema": {"type": "object", "properties": {"word": {"type": "string"}}}}
BOUND = "The block is bound to a different conversation"


def user_turn(text: str) -> dict[str, Any]:
    return {"role": "user", "content": [{"type": "text", "text": text}]}


def as_param(message: Any) -> dict[str, Any]:
    """A reply as a client stores and sends it back: plain dicts, as the SDK gave them."""
    return {"role": "assistant", "content": [b.to_dict() for b in message.content]}


def test_thinking_blocks_are_bound_to_the_prefix(server: FakeAnthropicServer,
                                                 client: anthropic.Anthropic) -> None:
    server.enqueue(Reply("Four.", thinking="2 + 2 = 4", redacted_thinking=True),
                   Reply("Six.", thinking="3 + 3 = 6"))
    ask: Any = {"model": SONNET, "max_tokens": 4096, "thinking": THINK, "tools": [TOOL],
                "system": "Be brief."}
    first = [user_turn("2 + 2?")]
    with client.messages.stream(messages=first, **ask) as s:
        reply1 = as_param(s.get_final_message())
    assert [b["type"] for b in reply1["content"]] == ["thinking", "redacted_thinking", "text"]
    history: list[Any] = [*first, reply1, user_turn("3 + 3?")]
    reply2 = as_param(client.messages.create(messages=history, **ask))
    later: list[Any] = [*history, reply2, user_turn("Thanks.")]
    client.messages.create(messages=later, **ask)  # sent back unchanged: accepted

    # cache_control anywhere, and the string / one-text-block forms, change nothing
    cached = [dict(m) for m in later]
    cached[0] = {"role": "user", "content": [
        {"type": "text", "text": "2 + 2?", "cache_control": {"type": "ephemeral"}}]}
    client.messages.create(messages=cached, **{
        **ask, "system": [{"type": "text", "text": "Be brief.", "cache_control": {
            "type": "ephemeral"}}], "tools": [{**TOOL, "cache_control": {"type": "ephemeral"}}]})
    client.messages.create(messages=[{"role": "user", "content": "2 + 2?"}, *later[1:]], **ask)

    # anything before a block changed: 400, naming the first block that no longer matches
    for changed in ({"system": "Be very brief."}, {"tools": [{**TOOL, "name": "find"}]},
                    {"tools": []}, {"messages": [user_turn("2+2?"), *later[1:]]}):
        message = bad_request(client, **{**ask, "messages": later, **changed})
        assert message.startswith("messages.1.content.0: Invalid `signature` in `thinking` "
                                  "block. " + BOUND), message
        assert "messages before it have changed" in message
        assert 'prefix_mismatch_behavior` to "drop_block"' in message
    # an earlier block of the same turn is part of the prefix: moving a block breaks it
    swapped = [*later]
    swapped[1] = {"role": "assistant", "content": [reply1["content"][1], reply1["content"][0],
                                                   reply1["content"][2]]}
    message = bad_request(client, **{**ask, "messages": swapped})
    assert message.startswith("messages.1.content.0: Invalid `data` in `redacted_thinking` "
                              "block. " + BOUND), message
    # leaving out a thinking block invalidates every later one that is still sent ...
    no_first_thought = [*later]
    no_first_thought[1] = {"role": "assistant", "content": list(reply1["content"][1:])}
    assert bad_request(client, **{**ask, "messages": no_first_thought}).startswith(
        "messages.1.content.0: Invalid `data` in `redacted_thinking` block. " + BOUND)
    without_turn1_thinking = [*later]
    without_turn1_thinking[1] = {"role": "assistant", "content": [reply1["content"][2]]}
    assert bad_request(client, **{**ask, "messages": without_turn1_thinking}).startswith(
        "messages.3.content.0: Invalid `signature` in `thinking` block. " + BOUND)
    # ... but deleting thinking blocks entirely (none sent after the change) is fine
    text_only = [m if m["role"] == "user" else
                 {"role": "assistant", "content": [b for b in m["content"]
                                                   if b["type"] == "text"]} for m in later]
    client.messages.create(messages=text_only, **ask)
    # and so is keeping the latest turn's thinking when the earlier turns are unchanged
    latest_only = [*later]
    latest_only[3] = reply2
    client.messages.create(messages=latest_only, **ask)


def test_issue_before_binds_pre_existing_history(server: FakeAnthropicServer,
                                                 client: anthropic.Anthropic) -> None:
    question = [user_turn("What is 6 x 7?")]
    sig = server.issue_thinking_signature(
        "Six sevens.", before={"system": "Be brief.", "messages": question})
    thought = {"type": "thinking", "thinking": "Six sevens.", "signature": sig}
    redacted = {"type": "redacted_thinking", "data": server.issue_redacted_thinking(
        before={"system": "Be brief.",
                "messages": [*question, {"role": "assistant", "content": [thought]}]})}
    lone = {"type": "redacted_thinking", "data": server.issue_redacted_thinking(
        before=[user_turn("Hi")])}  # before= as a plain list of messages
    history = [*question, {"role": "assistant", "content": [thought, redacted,
                                                           {"type": "text", "text": "42."}]},
               user_turn("And 6 x 8?")]
    ask: Any = {"model": SONNET, "max_tokens": 4096, "thinking": THINK}
    client.messages.create(system="Be brief.", messages=history, **ask)
    client.messages.create(messages=[user_turn("Hi"), {"role": "assistant", "content": [
        lone, {"type": "text", "text": "Hello."}]}, user_turn("Bye")], **ask)
    assert BOUND in bad_request(client, system="Be kind.", messages=history, **ask)
    assert BOUND in bad_request(client, messages=history, **ask)  # no system prompt at all

    # without before=, the first accepted request that sends the block back binds it
    free = {"type": "thinking", "thinking": "Hmm.",
            "signature": server.issue_thinking_signature("Hmm.")}
    turns = [*question, {"role": "assistant", "content": [free, {"type": "text", "text": "42."}]},
             user_turn("Sure?")]
    bad_request(client, system="A", messages=turns, output_config={"effort": "xhigh"},
                **ask)  # rejected (for its effort), so it binds nothing:
    client.messages.create(system="B", messages=turns, **ask)  # ... so this one binds it
    client.messages.create(system="B", messages=turns, **ask)
    assert BOUND in bad_request(client, system="A", messages=turns, **ask)
    with pytest.raises(TypeError):
        server.issue_thinking_signature("x", before={"sytem": "typo"})


def test_thinking_blocks_only_when_thinking_is_on(server: FakeAnthropicServer,
                                                  client: anthropic.Anthropic) -> None:
    server.enqueue(Reply("Four.", thinking="2 + 2 = 4", redacted_thinking=True))
    reply = as_param(client.messages.create(model=SONNET, max_tokens=4096, thinking=THINK,
                                            messages=HI))
    history: list[Any] = [*HI, reply, user_turn("And now?")]
    for off in ({}, {"thinking": {"type": "disabled"}}):
        message = bad_request(client, messages=history, **off)
        assert message.startswith("messages.1.content.0: `thinking` blocks can only be sent "
                                  "back when thinking is enabled"), message
    no_thinking = [*history]
    no_thinking[1] = {"role": "assistant", "content": [reply["content"][1], reply["content"][2]]}
    assert "`redacted_thinking` blocks can only be sent back" in bad_request(
        client, messages=no_thinking, thinking={"type": "disabled"})
    text_only = [*history]
    text_only[1] = {"role": "assistant", "content": [reply["content"][2]]}
    client.messages.create(model=SONNET, max_tokens=4096, messages=text_only,
                           thinking={"type": "disabled"})
    client.messages.create(model=SONNET, max_tokens=4096, messages=history, thinking=THINK)
    with pytest.raises(anthropic.BadRequestError, match="only be sent back when thinking"):
        client.messages.count_tokens(model=SONNET, messages=history)


def test_thinking_after_a_compaction_block_is_bound_from_it(
        server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    server.enqueue(Reply("Go on.", compaction="Summary.", thinking="Continue from summary."))
    ask: Any = {"model": SONNET, "max_tokens": 4096, "thinking": THINK, "betas": [COMPACT_BETA],
                "system": "Be brief."}
    final = client.beta.messages.create(messages=HI, **ask)
    content = [b.to_dict() for b in final.content]
    assert [b["type"] for b in content] == ["compaction", "thinking", "text"]
    history: list[Any] = [*HI, {"role": "assistant", "content": content}, user_turn("More.")]
    client.beta.messages.create(messages=history, **ask)
    # the API reads nothing before the last compaction block: changing it breaks nothing ...
    client.beta.messages.create(messages=[user_turn("hello"), *history[1:]], **ask)
    # ... but system and tools still come first
    with pytest.raises(anthropic.BadRequestError, match=BOUND):
        client.beta.messages.create(messages=history, **{**ask, "system": "Other."})


# --------------------------------------------------------------------------------------------
# Error scripts
# --------------------------------------------------------------------------------------------


def test_auth_and_not_found(server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    with (
        anthropic.Anthropic(api_key="sk-ant-wrong", base_url=server.base_url,
                            max_retries=0) as wrong,
        pytest.raises(anthropic.AuthenticationError) as ei,
    ):
        wrong.messages.create(model=SONNET, max_tokens=100, messages=HI)
    assert ei.value.status_code == 401 and ei.value.api_message == "invalid x-api-key"
    with pytest.raises(anthropic.NotFoundError) as nf:
        client.messages.create(model="claude-nope-9", max_tokens=100, messages=HI)
    assert nf.value.api_message == "model: claude-nope-9"
    assert nf.value.type == "not_found_error"
    with pytest.raises(anthropic.BadRequestError, match="anthropic-version"):
        client.messages.create(model=SONNET, max_tokens=100, messages=HI,
                               extra_headers={"anthropic-version": anthropic.omit})


def test_api_error_scripts(server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    server.enqueue(
        ApiError(429, message="Slow down", headers={"retry-after": "1"}),
        ApiError(529),
        ApiError(500, type="api_error", message="boom"),
    )
    with pytest.raises(anthropic.RateLimitError) as rl:
        client.messages.create(model=SONNET, max_tokens=100, messages=HI)
    assert rl.value.response.headers["retry-after"] == "1"
    assert rl.value.request_id and rl.value.request_id.startswith("req_")
    assert rl.value.type == "rate_limit_error" and rl.value.api_message == "Slow down"
    assert isinstance(rl.value.body, dict) and rl.value.body["request_id"] == rl.value.request_id
    with (
        pytest.raises(anthropic.OverloadedError) as ov,
        client.messages.stream(model=SONNET, max_tokens=100, messages=HI) as s,
    ):
        s.until_done()
    assert ov.value.type == "overloaded_error" and ov.value.status_code == 529
    with pytest.raises(anthropic.InternalServerError) as ise:
        client.messages.create(model=SONNET, max_tokens=100, messages=HI)
    assert not isinstance(ise.value, anthropic.OverloadedError)
    assert ise.value.api_message == "boom"


def test_sdk_retries_and_x_should_retry(server: FakeAnthropicServer) -> None:
    server.enqueue(
        ApiError(529, headers={"retry-after-ms": "5"}),
        ApiError(429, headers={"retry-after-ms": "5"}),
        Reply("finally"),
    )
    with anthropic.Anthropic(api_key=DEFAULT_API_KEY, base_url=server.base_url,
                             max_retries=2) as c:
        msg = c.messages.create(model=SONNET, max_tokens=100, messages=HI)
        assert msg.content[0].text == "finally"  # type: ignore[union-attr]
        counts = [r.headers["x-stainless-retry-count"] for r in server.message_requests()]
        assert counts == ["0", "1", "2"]
        server.enqueue(ApiError(500, headers={"x-should-retry": "false"}))
        with pytest.raises(anthropic.InternalServerError):
            c.messages.create(model=SONNET, max_tokens=100, messages=HI)
    assert len(server.message_requests()) == 4


def test_stream_error_mid_stream(server: FakeAnthropicServer,
                                 client: anthropic.Anthropic) -> None:
    server.enqueue(StreamError(after_text="partial answer", type="overloaded_error"))
    got: list[str] = []
    with (
        pytest.raises(anthropic.APIStatusError) as ei,
        client.messages.stream(model=SONNET, max_tokens=100, messages=HI) as s,
    ):
        for event in s:
            if event.type == "text":
                got.append(event.text)
    assert "".join(got) == "partial answer"
    assert type(ei.value) is anthropic.APIStatusError  # status 200, so no subclass
    assert ei.value.type == "overloaded_error" and ei.value.api_message == "Overloaded"
    # a non-streaming request gets the error as an HTTP status instead
    server.enqueue(StreamError())
    with pytest.raises(anthropic.OverloadedError):
        client.messages.create(model=SONNET, max_tokens=100, messages=HI)


def test_cut_stream_ends_without_message_stop(server: FakeAnthropicServer,
                                              client: anthropic.Anthropic) -> None:
    server.enqueue(CutStream(after_text="half a sent"))
    with client.messages.stream(model=SONNET, max_tokens=100, messages=HI) as s:
        kinds = [e.type for e in s]
        final = s.get_final_message()
    assert "message_stop" not in kinds and "content_block_stop" not in kinds
    assert final.stop_reason is None
    assert final.content[0].text == "half a sent"  # type: ignore[union-attr]
    # the connection stays usable: the body was terminated cleanly
    assert client.messages.create(model=SONNET, max_tokens=100, messages=HI).content
    assert server.connection_count == 1


def transport_failure(error: BaseException | None) -> bool:
    """``error`` is what a dropped connection gives a client: an exception that is not an HTTP
    status error (whichever class this SDK version wraps it in) and not a test failure."""
    return (isinstance(error, Exception) and not isinstance(error, anthropic.APIStatusError)
            and not isinstance(error, AssertionError))


def read_stream(stream: Any) -> tuple[str, BaseException | None]:
    """The text a client got from a streaming response, and the error that ended it (if any)."""
    got: list[str] = []
    try:
        for event in stream:
            if event.type == "text":
                got.append(event.text)
    except Exception as exc:  # noqa: BLE001 - the class differs between SDK versions
        return "".join(got), exc
    return "".join(got), None


def test_reset_stream(server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    server.enqueue(ResetStream(after_text="partial"))
    with client.messages.stream(model=SONNET, max_tokens=100, messages=HI) as s:
        text, error = read_stream(s)
    assert text == "partial"  # the words that arrived reached the client
    assert transport_failure(error), repr(error)  # and then the stream failed, not ended
    server.enqueue(ResetStream(), CutStream())
    for _ in range(2):
        with pytest.raises(anthropic.APIConnectionError):
            client.messages.create(model=SONNET, max_tokens=100, messages=HI)

    async def main() -> tuple[str, BaseException | None]:
        server.enqueue(ResetStream(after_text="half"))
        async with anthropic.AsyncAnthropic(api_key=DEFAULT_API_KEY, base_url=server.base_url,
                                            max_retries=0) as c:
            got: list[str] = []
            try:
                async with c.messages.stream(model=SONNET, max_tokens=100, messages=HI) as s:
                    async for event in s:
                        if event.type == "text":
                            got.append(event.text)
            except Exception as exc:  # noqa: BLE001
                return "".join(got), exc
            return "".join(got), None

    text, error = asyncio.run(main())
    assert text == "half"
    assert transport_failure(error), repr(error)


def test_hang_times_out_and_slow_reply(server: FakeAnthropicServer,
                                       client: anthropic.Anthropic) -> None:
    server.enqueue(Hang(10))
    started = time.monotonic()
    with pytest.raises(anthropic.APITimeoutError):
        client.with_options(timeout=0.3).messages.create(model=SONNET, max_tokens=100,
                                                         messages=HI)
    assert time.monotonic() - started < 3
    server.enqueue(Hang(0.2, then=Reply("late but fine")))
    msg = client.messages.create(model=SONNET, max_tokens=100, messages=HI)
    assert msg.content[0].text == "late but fine"  # type: ignore[union-attr]


def test_gate_holds_reply_and_sees_stop(server: FakeAnthropicServer,
                                        client: anthropic.Anthropic) -> None:
    gate = threading.Event()
    held = Reply("first, then the rest of the reply", chunks=4, gate=gate)
    server.enqueue(held)
    with client.messages.stream(model=SONNET, max_tokens=100, messages=HI) as s:
        first = next(e for e in s if e.type == "text")
        assert held.at_gate.wait(2)
        assert first.snapshot == "first, th"
    # leaving the block closed the response, like a Stop button would
    assert held.client_disconnected.wait(2)
    assert held.done.wait(2)

    gate2 = threading.Event()
    released = Reply("abc def", chunks=2, gate=gate2)
    server.enqueue(released)
    with client.messages.stream(model=SONNET, max_tokens=100, messages=HI) as s:
        it = iter(s)
        assert next(e for e in it if e.type == "text").text == "abc "
        assert released.at_gate.wait(2)
        gate2.set()
        assert s.get_final_message().content[0].text == "abc def"  # type: ignore[union-attr]


def test_close_does_not_hang_with_held_gate() -> None:
    gate = threading.Event()  # never set
    with FakeAnthropicServer() as server:
        server.enqueue(Reply("held forever", gate=gate), Hang(30))
        with anthropic.Anthropic(api_key=DEFAULT_API_KEY, base_url=server.base_url,
                                 max_retries=0) as c:
            hung: list[BaseException] = []

            def hang_request() -> None:
                try:
                    c.messages.create(model=SONNET, max_tokens=100, messages=HI)
                except BaseException as exc:  # noqa: BLE001
                    hung.append(exc)

            with c.messages.stream(model=SONNET, max_tokens=100, messages=HI) as s:
                next(e for e in s if e.type == "text")
                t = threading.Thread(target=hang_request)
                t.start()
                server.wait_for_requests(2)
                started = time.monotonic()
                server.close()
                assert time.monotonic() - started < 2
                text, error = read_stream(s)  # the rest of the held reply never comes
                assert text == ""
                assert transport_failure(error), repr(error)
            t.join(5)
            assert not t.is_alive()
            assert len(hung) == 1 and isinstance(hung[0], anthropic.APIConnectionError)


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------

_5M: Any = {"type": "ephemeral"}
_1H: Any = {"type": "ephemeral", "ttl": "1h"}


# (create() kwargs, a substring of the 400 error message); one test walks them all, because a
# test's fixed cost (the conftest's gc.collect()) dwarfs a validation round trip.
VALIDATION_CASES: list[tuple[dict[str, Any], str]] = [
    ({"messages": [{"role": "assistant", "content": "hi"}]},
     'first message must use the "user" role'),
    ({"messages": [{"role": "system", "content": "hi"}]}, "'user' or 'assistant'"),
    ({"messages": []}, "at least one message"),
    ({"messages": [{"role": "user", "content": ""}]}, "non-empty content"),
    ({"messages": [{"role": "user", "content": [{"type": "text", "text": ""}]}]},
     "text content blocks must be non-empty"),
    ({"messages": [*HI, {"role": "assistant", "content": "Sure "}]}, "trailing whitespace"),
    ({"max_tokens": 64_001, "stream": True}, "maximum allowed number of output tokens"),
    ({"max_tokens": 0}, "greater than or equal to 1"),
    ({"thinking": {"type": "enabled", "budget_tokens": 1000}},
     "budget_tokens: Input should be greater than or equal to 1024"),
    ({"thinking": {"type": "enabled", "budget_tokens": 4096}},
     "`max_tokens` must be greater than `thinking.budget_tokens`"),
    ({"model": HAIKU, "thinking": {"type": "adaptive"}},
     "thinking type 'adaptive' is not supported"),
    ({"model": OPUS, "thinking": {"type": "enabled", "budget_tokens": 2048}},
     "thinking type 'enabled' is not supported"),
    ({"output_config": {"effort": "xhigh"}}, "effort 'xhigh' is not supported"),
    ({"model": HAIKU, "output_config": {"effort": "low"}}, "effort 'low' is not supported"),
    ({"system": [{"type": "text", "text": f"part {i}", "cache_control": _5M}
                 for i in range(4)], "cache_control": _5M},
     "A maximum of 4 blocks with cache_control may be provided. Found 5."),
    ({"system": [{"type": "text", "text": "a", "cache_control": _5M},
                 {"type": "text", "text": "b", "cache_control": _1H}]},
     "ttl='1h' cache_control block must not come after a ttl='5m'"),
    ({"system": [{"type": "text", "text": "a", "cache_control": _1H}],
      "cache_control": _1H, "messages": [{"role": "user", "content": [
          {"type": "text", "text": "b", "cache_control": _5M}]}]},
     "ttl='1h' cache_control block must not come after"),  # top-level one comes last
    ({"cache_control": {"type": "ephemeral", "ttl": "2h"}}, "'5m' or '1h'"),
    ({"extra_body": {"temperature": 0.2}}, "temperature: Extra inputs are not permitted"),
    ({"messages": [{"role": "user", "content": [{"type": "image", "source": {
        "type": "base64", "media_type": "image/jpeg",
        "data": base64.b64encode(PNG).decode()}}]}]}, "does not match"),
    ({"messages": [{"role": "user", "content": [{"type": "image", "source": {
        "type": "base64", "media_type": "image/png", "data": "not base64!"}}]}]},
     "invalid base64"),
    ({"messages": [{"role": "user", "content": [{"type": "image", "source": {
        "type": "url", "url": "ftp://example.com/a.png"}}]}]}, "http(s) URL"),
    ({"messages": [{"role": "user", "content": [{"type": "document", "source": {
        "type": "base64", "media_type": "application/pdf",
        "data": base64.b64encode(b"not a pdf").decode()}}]}]}, "PDF specified was not"),
    ({"messages": [{"role": "user", "content": [{"type": "tool_result",
                                                 "tool_use_id": "toolu_1"}]}]},
     "unexpected `tool_use_id`"),
]


def test_validation_rejects(server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    server.enqueue(Reply("kept"))
    for i, (kwargs, expected) in enumerate(VALIDATION_CASES):
        message = bad_request(client, **kwargs)
        assert expected in message, f"case {i}: {kwargs!r} -> {message!r}"
    # rejected requests do not consume the script
    assert server.pending == 1
    assert len(server.message_requests()) == len(VALIDATION_CASES)
    msg = client.messages.create(model=SONNET, max_tokens=100, messages=HI)
    assert msg.content[0].text == "kept"  # type: ignore[union-attr]


def test_validation_accepts_valid_content(server: FakeAnthropicServer,
                                          client: anthropic.Anthropic) -> None:
    messages: Any = [{"role": "user", "content": [
        {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                     "data": base64.b64encode(PNG).decode()}},
        {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg",
                                     "data": base64.b64encode(JPEG).decode()}},
        {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.png"}},
        {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                        "data": base64.b64encode(b"%PDF-1.7\n...").decode()}},
        {"type": "text", "text": "What are these?", "cache_control": _1H},
    ]}, {"role": "assistant", "content": "They are"}]  # prefill without trailing space
    msg = client.messages.create(
        model=OPUS, max_tokens=2048, messages=messages, system="Be brief.",
        thinking={"type": "adaptive"}, output_config={"effort": "xhigh"}, cache_control=_5M)
    assert msg.content[0].text == "Echo: What are these?"  # type: ignore[union-attr]
    client.messages.create(model=HAIKU, max_tokens=2048, messages=HI,
                           thinking={"type": "enabled", "budget_tokens": 1024})
    client.messages.create(model="claude-opus-4-1", max_tokens=100, messages=HI,
                           thinking={"type": "disabled"})


def image_block(data: bytes, media_type: str = "image/png") -> dict[str, Any]:
    return {"type": "image", "source": {"type": "base64", "media_type": media_type,
                                        "data": base64.b64encode(data).decode()}}


URL_IMAGE: Any = {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}}


def with_content(*blocks: Any) -> list[Any]:
    return [{"role": "user", "content": [*blocks, {"type": "text", "text": "What is this?"}]}]


def test_image_size_is_measured_on_the_base64_text(server: FakeAnthropicServer,
                                                   client: anthropic.Anthropic) -> None:
    # 3.9 MB of bytes is 5.2 MB of base64: under the limit; 4 MB of bytes is 5.33 MB: over it
    fits = PNG + b"\0" * (3_900_000 - len(PNG))
    too_big = PNG + b"\0" * (4_000_000 - len(PNG))
    client.messages.create(model=SONNET, max_tokens=100, messages=with_content(image_block(fits)))
    assert bad_request(client, messages=with_content(image_block(too_big))) == (
        "messages.0.content.0.image.source.base64: image exceeds 5 MB maximum: 5333336 bytes > "
        "5242880 bytes")
    # an image is tokenized by its pixels, not by its base64 text
    count = client.messages.count_tokens(model=HAIKU, messages=with_content(image_block(fits)))
    assert count.input_tokens < 100


def test_image_dimensions(server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    big = "At least one of the image dimensions exceed max allowed size: 8000 pixels"
    formats = [("PNG", "image/png", "RGB", {}), ("JPEG", "image/jpeg", "RGB", {}),
               ("GIF", "image/gif", "P", {}), ("WEBP", "image/webp", "RGB", {}),  # VP8
               ("WEBP", "image/webp", "RGB", {"lossless": True}),  # VP8L
               ("WEBP", "image/webp", "RGBA", {})]  # VP8X
    for fmt, media_type, mode, save in formats:
        for size in ((8001, 2), (2, 8001)):
            data = image_bytes(fmt, size, mode, **save)
            message = bad_request(client, messages=with_content(image_block(data, media_type)))
            assert message == f"messages.0.content.0.image.source.base64.data: {big}", (
                fmt, save, size, message)
        ok = image_bytes(fmt, (8000, 2), mode, **save)
        client.messages.create(model=SONNET, max_tokens=100,
                               messages=with_content(image_block(ok, media_type)))
    # an image in a tool result is checked too
    tool_turns: Any = [
        *HI, {"role": "assistant", "content": [
            {"type": "tool_use", "id": "toolu_1", "name": "shot", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1",
                                      "content": [image_block(image_bytes("PNG", (9000, 1)))]}]}]
    assert bad_request(client, messages=tool_turns) == (
        f"messages.2.content.0.tool_result.content.0.image.source.base64.data: {big}")
    # a header that gives no size is not an image
    empty = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 16  # 0 x 0 pixels
    assert "Could not process image" in bad_request(client, messages=with_content(
        image_block(empty)))


def test_many_images_and_the_image_count(server: FakeAnthropicServer,
                                         client: anthropic.Anthropic) -> None:
    wide = image_block(image_bytes("PNG", (2001, 2)))
    small = image_block(PNG)
    many = "At least one of the image dimensions exceed max allowed size for many-image " \
           "requests: 2000 pixels"
    # 20 images: up to 8000 px each; the 21st image, even a URL one, makes it 2000 px
    client.messages.create(model=SONNET, max_tokens=100,
                           messages=with_content(*[small] * 19, wide))
    message = bad_request(client, messages=with_content(*[small] * 19, wide, URL_IMAGE))
    assert message == f"messages.0.content.19.image.source.base64.data: {many}"
    split: Any = [{"role": "user", "content": [small] * 15},
                  {"role": "assistant", "content": "Seen."},
                  {"role": "user", "content": [*[small] * 5, wide]}]
    assert bad_request(client, messages=split) == (
        f"messages.2.content.5.image.source.base64.data: {many}")
    client.messages.create(model=SONNET, max_tokens=100,
                           messages=with_content(*[small] * 30, image_block(
                               image_bytes("PNG", (2000, 2000)))))
    # at most 100 images (and documents) per request; URL images count
    client.messages.create(model=SONNET, max_tokens=100, messages=with_content(*[URL_IMAGE] * 100))
    assert bad_request(client, messages=with_content(*[URL_IMAGE] * 101)) == (
        "too many images and documents: 101 + 0 > 100")
    pdf = {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                          "data": base64.b64encode(b"%PDF-1.7\n").decode()}}
    assert bad_request(client, messages=with_content(*[URL_IMAGE] * 99, pdf, pdf)) == (
        "too many images and documents: 99 + 2 > 100")


# --------------------------------------------------------------------------------------------
# Prompt caching simulation and count_tokens
# --------------------------------------------------------------------------------------------


def test_cache_reads_grow_over_turns(server: FakeAnthropicServer,
                                     client: anthropic.Anthropic) -> None:
    system = "You are Cairn's test assistant. Answer precisely. " * 120  # ~1500 tokens
    history: list[Any] = []
    usages = []
    for turn in range(3):
        history.append({"role": "user", "content": f"Question number {turn}: " + "x" * 400})
        with client.messages.stream(model=SONNET, max_tokens=1024, system=system,
                                    messages=history, cache_control=_5M) as s:
            final = s.get_final_message()
        usages.append(final.usage)
        history.append(final.to_param())
    first, second, third = usages
    assert first.cache_read_input_tokens == 0
    assert first.cache_creation_input_tokens and first.cache_creation_input_tokens > 1024
    assert first.cache_creation and first.cache_creation.ephemeral_5m_input_tokens == (
        first.cache_creation_input_tokens)
    assert second.cache_read_input_tokens == (first.cache_creation_input_tokens
                                              + first.input_tokens)
    assert 0 < second.cache_read_input_tokens < (third.cache_read_input_tokens or 0)
    for u in (second, third):
        total = u.input_tokens + (u.cache_read_input_tokens or 0) + (
            u.cache_creation_input_tokens or 0)
        assert (u.cache_read_input_tokens or 0) / total > 0.75

    # count_tokens gives the same total as the usage of an identical request
    count = client.messages.count_tokens(model=SONNET, system=system, messages=history[:-1])
    assert count.input_tokens == (third.input_tokens + (third.cache_read_input_tokens or 0)
                                  + (third.cache_creation_input_tokens or 0))


def test_cache_ttl_split_and_minimum(server: FakeAnthropicServer,
                                     client: anthropic.Anthropic) -> None:
    big = "Reference material. " * 300  # ~1500 tokens
    system: Any = [{"type": "text", "text": big, "cache_control": _1H},
                   {"type": "text", "text": "More rules. " * 200, "cache_control": _5M}]
    u1 = client.messages.create(model=HAIKU, max_tokens=100, system=system, messages=HI).usage
    assert u1.cache_creation is not None
    assert u1.cache_creation.ephemeral_1h_input_tokens > 1024
    assert u1.cache_creation.ephemeral_5m_input_tokens > 0
    assert u1.input_tokens > 0  # the user message is after the last breakpoint
    # a different model has its own cache
    u2 = client.messages.create(model=SONNET, max_tokens=100, system=system, messages=HI).usage
    assert u2.cache_read_input_tokens == 0
    u3 = client.messages.create(model=HAIKU, max_tokens=100, system=system, messages=HI).usage
    assert u3.cache_read_input_tokens == u1.cache_creation_input_tokens
    assert u3.cache_creation_input_tokens == 0
    # below 1024 tokens nothing is cached
    small: Any = [{"type": "text", "text": "short", "cache_control": _5M}]
    for _ in range(2):
        u = client.messages.create(model=HAIKU, max_tokens=100, system=small, messages=HI).usage
        assert u.cache_creation_input_tokens == 0 and u.cache_read_input_tokens == 0
    server.reset_cache()
    u4 = client.messages.create(model=HAIKU, max_tokens=100, system=system, messages=HI).usage
    assert u4.cache_read_input_tokens == 0


def test_count_tokens_validates(server: FakeAnthropicServer, client: anthropic.Anthropic) -> None:
    a = client.messages.count_tokens(model=SONNET, messages=HI).input_tokens
    b = client.messages.count_tokens(model=SONNET, messages=HI, system="x" * 400).input_tokens
    assert 0 < a < b and b - a >= 100
    with pytest.raises(anthropic.BadRequestError, match="first message"):
        client.messages.count_tokens(model=SONNET,
                                     messages=[{"role": "assistant", "content": "x"}])
    with pytest.raises(anthropic.NotFoundError):
        client.messages.count_tokens(model="claude-missing", messages=HI)
    assert server.message_requests() == []


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------


def test_default_models_match_sdk_types() -> None:
    for data in default_models():
        info = ModelInfo.model_validate(data)
        assert set(data) <= set(ModelInfo.model_fields)
        assert data["capabilities"].keys() == ModelCapabilities.model_fields.keys()
        assert isinstance(info.capabilities, ModelCapabilities)
    assert default_models() is not default_models()


def test_models_pagination(server: FakeAnthropicServer) -> None:
    retired = {**default_models()[-1], "id": "claude-2-1", "display_name": "Claude 2.1",
               "lifecycle": "retired", "created_at": "2023-11-21T00:00:00Z"}
    server.models = [*default_models(), retired]

    async def main() -> None:
        async with anthropic.AsyncAnthropic(api_key=DEFAULT_API_KEY, base_url=server.base_url,
                                            max_retries=0) as c:
            models = [m async for m in c.models.list(limit=2)]
            assert [m.id for m in models] == [OPUS, SONNET, HAIKU, "claude-opus-4-1"]
            opus = models[0]
            assert opus.display_name == "Claude Opus 4.7" and opus.line == "opus"
            assert opus.max_tokens == 128_000 and opus.max_input_tokens == 1_000_000
            caps = opus.capabilities
            assert caps is not None
            assert caps.thinking.types.adaptive.supported
            assert not caps.thinking.types.enabled.supported
            assert caps.effort.xhigh is not None and caps.effort.xhigh.supported
            assert caps.context_management.compact_20260112 is not None
            assert caps.context_management.compact_20260112.supported
            assert models[3].lifecycle == "deprecated" and models[3].deprecated_at is not None

            page = await c.models.list(limit=3)
            assert page.has_more and page.first_id == OPUS and page.last_id == HAIKU
            back = await c.models.list(before_id=HAIKU, limit=1)
            assert [m.id for m in back.data] == [SONNET] and back.has_more
            everything = await c.models.list(lifecycle=["active", "deprecated", "retired"])
            assert everything.data[-1].id == "claude-2-1" and not everything.has_more
            one = await c.models.retrieve(HAIKU)
            assert one.capabilities is not None and not one.capabilities.effort.supported
            with pytest.raises(anthropic.NotFoundError):
                await c.models.retrieve("claude-none")

    asyncio.run(main())
    queries = [r.query for r in server.requests if r.path == "/v1/models"]
    assert queries[:2] == [{"limit": "2"}, {"limit": "2", "after_id": SONNET}]
    # retired models cannot be used for messages
    with (
        anthropic.Anthropic(api_key=DEFAULT_API_KEY, base_url=server.base_url,
                            max_retries=0) as c,
        pytest.raises(anthropic.NotFoundError),
    ):
        c.messages.create(model="claude-2-1", max_tokens=100, messages=HI)


# --------------------------------------------------------------------------------------------
# Under a Qt event loop
# --------------------------------------------------------------------------------------------


def test_streams_under_qasync_event_loop(server: FakeAnthropicServer, qapp: Any) -> None:
    """The server lives in its own threads, so a qasync loop in the test thread can stream."""
    import qasync

    gate = threading.Event()
    server.enqueue(Reply("streamed under Qt", chunks=3, delay=0.01, gate=gate))

    async def main() -> str:
        async with (
            anthropic.AsyncAnthropic(api_key=DEFAULT_API_KEY, base_url=server.base_url,
                                     max_retries=0) as c,
            c.messages.stream(model=SONNET, max_tokens=100, messages=HI) as s,
        ):
            async for event in s:
                if event.type == "text":
                    gate.set()  # released from the Qt thread while the server waits
            return (await s.get_final_message()).content[0].text  # type: ignore[union-attr]

    loop = qasync.QEventLoop(qapp)
    try:
        assert loop.run_until_complete(main()) == "streamed under Qt"
    finally:
        loop.close()
