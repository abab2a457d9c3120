"""Conversation and Message: the API's view of the history, titles, and the JSON format."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from desktop_app.core.conversation import (
    DEFAULT_TITLE,
    Conversation,
    ErrorInfo,
    Message,
    ReplyState,
    title_from_text,
)

SIGNATURE = "EqQBCkgIARABGAIiQL1pLqN3gK0c+/=="  # opaque: must come back exactly as given


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value}


def user(*blocks: dict[str, Any]) -> Message:
    return Message(role="user", content=list(blocks))


def assistant(*blocks: dict[str, Any], state: ReplyState = ReplyState.COMPLETE) -> Message:
    return Message(role="assistant", content=list(blocks), model="claude-x", state=state)


def conversation(*messages: Message) -> Conversation:
    return Conversation(messages=list(messages))


def roles(api: list[dict[str, Any]]) -> list[str]:
    return [turn["role"] for turn in api]


# -- api_messages ------------------------------------------------------------------------------


def test_api_messages_plain_exchange() -> None:
    conv = conversation(user(text("Hi")), assistant(text("Hello!")), user(text("How are you?")))
    assert conv.api_messages() == [
        {"role": "user", "content": [text("Hi")]},
        {"role": "assistant", "content": [text("Hello!")]},
        {"role": "user", "content": [text("How are you?")]},
    ]


def test_api_messages_merges_consecutive_turns_of_one_role() -> None:
    conv = conversation(
        user(text("one")), user(text("two")), assistant(text("a")), assistant(text("b")),
        user(text("three")),
    )
    assert conv.api_messages() == [
        {"role": "user", "content": [text("one"), text("two")]},
        {"role": "assistant", "content": [text("a"), text("b")]},
        {"role": "user", "content": [text("three")]},
    ]


def test_api_messages_drops_leading_assistant_turns() -> None:
    conv = conversation(
        assistant(text("I speak first")), assistant(text("twice")), user(text("Hi")),
    )
    assert conv.api_messages() == [{"role": "user", "content": [text("Hi")]}]


def test_api_messages_roles_always_alternate_and_start_with_user() -> None:
    conv = conversation(
        assistant(text("orphan")),
        user(text("q1")),
        assistant(state=ReplyState.FAILED),
        user(text("q1 again")),
        assistant(text("  "), state=ReplyState.STOPPED),
        assistant(text("answer")),
        user(text("")),
        user(text("q2")),
    )
    api = conv.api_messages()
    assert roles(api) == ["user", "assistant", "user"]
    assert api[0]["content"] == [text("q1"), text("q1 again")]


def test_api_messages_drops_empty_and_blank_text_blocks() -> None:
    conv = conversation(user(text(""), text("  \n\t"), text("real"), {"type": "text"}))
    assert conv.api_messages() == [{"role": "user", "content": [text("real")]}]


def test_api_messages_drops_unsigned_thinking_but_keeps_signed_thinking() -> None:
    """A reply cut off mid-thought has thinking without a signature: the API would reject it."""
    signed = {"type": "thinking", "thinking": "Let me see.", "signature": SIGNATURE}
    conv = conversation(
        user(text("q")),
        assistant(
            signed,
            {"type": "thinking", "thinking": "half a thou", "signature": ""},
            {"type": "thinking", "thinking": "no signature key"},
            {"type": "redacted_thinking", "data": ""},
            text("answer"),
        ),
    )
    assert conv.api_messages()[1]["content"] == [signed, text("answer")]


def test_api_messages_skips_a_failed_empty_reply() -> None:
    conv = conversation(
        user(text("first try")),
        assistant(state=ReplyState.FAILED),
        assistant(text(""), state=ReplyState.FAILED),
        user(text("second try")),
    )
    assert conv.api_messages() == [
        {"role": "user", "content": [text("first try"), text("second try")]}
    ]


def test_api_messages_keeps_what_a_stopped_reply_said() -> None:
    conv = conversation(
        user(text("q")), assistant(text("partial answer"), state=ReplyState.STOPPED),
        user(text("go on")),
    )
    assert roles(conv.api_messages()) == ["user", "assistant", "user"]
    assert conv.api_messages()[1]["content"] == [text("partial answer")]


def test_api_messages_strips_trailing_whitespace_of_the_final_assistant_turn_only() -> None:
    conv = conversation(
        user(text("q1 ")),
        assistant(text("earlier answer  \n")),
        user(text("q2\n")),
        assistant(text("first part \n"), text("final part \n\n ")),
    )
    api = conv.api_messages()
    assert api[0]["content"] == [text("q1 ")]
    assert api[1]["content"] == [text("earlier answer  \n")]
    assert api[2]["content"] == [text("q2\n")]
    assert api[3]["content"] == [text("first part \n"), text("final part")]
    # The stored message is not changed: only the request is.
    assert conv.messages[-1].content[-1]["text"] == "final part \n\n "


def test_api_messages_final_turn_strip_leaves_thinking_alone() -> None:
    thinking = {"type": "thinking", "thinking": "hmm  \n", "signature": SIGNATURE}
    conv = conversation(user(text("q")), assistant(text("answer "), thinking))
    assert conv.api_messages()[1]["content"] == [text("answer"), thinking]


def test_api_messages_passes_thinking_blocks_back_byte_for_byte() -> None:
    thinking = {
        "type": "thinking",
        "thinking": "Step 1: \u00e9\u4e2d \n  indented\n",
        "signature": SIGNATURE,
    }
    redacted = {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT=="}
    original = [copy.deepcopy(thinking), copy.deepcopy(redacted), text("Done.")]
    conv = conversation(
        user(text("q")), assistant(*copy.deepcopy(original)), user(text("next")),
    )
    sent = conv.api_messages()[1]["content"]
    assert json.dumps(sent[:2], sort_keys=True) == json.dumps(original[:2], sort_keys=True)
    # ... also when they are in the final assistant turn.
    conv.messages.pop()
    sent = conv.api_messages()[1]["content"]
    assert json.dumps(sent[:2], sort_keys=True) == json.dumps(original[:2], sort_keys=True)


def test_api_messages_keeps_other_block_types_and_their_fields() -> None:
    image = {"type": "image",
             "source": {"type": "base64", "media_type": "image/png", "data": "iVBO"}}
    compaction = {"type": "compaction", "content": "summary", "x-future": 1}
    cited = {"type": "text", "text": "fact", "citations": [{"type": "char_location"}]}
    conv = conversation(user(image, text("what is this?")), assistant(compaction, cited))
    api = conv.api_messages()
    assert api[0]["content"] == [image, text("what is this?")]
    assert api[1]["content"] == [compaction, cited]


def test_api_messages_returns_copies() -> None:
    conv = conversation(user(text("q")), assistant(text("a")))
    conv.api_messages()[0]["content"][0]["text"] = "changed"
    assert conv.messages[0].content[0]["text"] == "q"


def test_api_messages_empty_when_nothing_is_sendable() -> None:
    assert conversation().api_messages() == []
    assert conversation(assistant(text("hi"))).api_messages() == []
    assert conversation(user(text("  "))).api_messages() == []


# -- editing ------------------------------------------------------------------------------------


def test_add_user_message_sets_the_title_from_the_first_message_only() -> None:
    conv = Conversation()
    assert conv.title == DEFAULT_TITLE
    first = conv.add_user_message("  What is\nthe  capital of France?  ")
    assert conv.title == "What is the capital of France?"
    assert first.content == [text("  What is\nthe  capital of France?  ")]
    conv.add_user_message("And of Spain?")
    assert conv.title == "What is the capital of France?"
    assert [m.role for m in conv.messages] == ["user", "user"]


def test_add_user_message_keeps_a_title_the_user_chose() -> None:
    conv = Conversation(title="Trip planning")
    conv.add_user_message("Hello")
    assert conv.title == "Trip planning"


def test_add_user_message_with_attachment_puts_text_after_blocks() -> None:
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "x"}}
    conv = Conversation()
    message = conv.add_user_message("describe", blocks=[image])
    assert message.content == [image, text("describe")]
    image["source"]["data"] = "mutated later"
    assert message.content[0]["source"]["data"] == "x"


def test_add_user_message_attachment_only_keeps_default_title() -> None:
    conv = Conversation()
    message = conv.add_user_message("   ", blocks=[{"type": "document", "source": {}}])
    assert message.content == [{"type": "document", "source": {}}]
    assert conv.title == DEFAULT_TITLE


def test_add_user_message_refuses_an_empty_message(subtests: Any) -> None:
    for blank in ["", "   ", "\n\t"]:
        with subtests.test(text=blank):
            conv = Conversation()
            with pytest.raises(ValueError):
                conv.add_user_message(blank)
            assert conv.messages == []


def test_add_user_message_moves_the_conversation_to_the_top() -> None:
    conv = Conversation(updated_at="2000-01-01T00:00:00.000Z")
    conv.add_user_message("hi")
    assert conv.updated_at > "2000-01-01T00:00:00.000Z"


def test_title_from_text() -> None:
    assert title_from_text("Hello   there\n\nfriend") == "Hello there friend"
    assert title_from_text("   \n ") == DEFAULT_TITLE
    exactly = "x" * 60
    assert title_from_text(exactly) == exactly


def test_title_from_text_cuts_long_text_at_a_word_boundary() -> None:
    words = "Please explain how the quick brown fox manages to jump over the lazy dog so often"
    title = title_from_text(words)
    assert title.endswith("…")
    body = title[:-1]
    assert len(body) <= 60
    assert words.startswith(body)
    assert words[len(body)] == " "  # the cut falls between words


def test_title_from_text_cuts_a_single_long_word_hard() -> None:
    title = title_from_text("a" * 200)
    assert title == "a" * 60 + "…"


def test_start_reply_and_last_reply() -> None:
    conv = Conversation()
    conv.add_user_message("hi")
    assert conv.last_reply is None
    reply = conv.start_reply("claude-x")
    assert reply.state is ReplyState.STREAMING
    assert reply.model == "claude-x"
    assert conv.last_reply is reply
    assert conv.find(reply.id) is reply
    conv.remove(reply.id)
    assert conv.find(reply.id) is None
    assert conv.last_reply is None


def test_message_text_and_thinking_join_their_blocks() -> None:
    message = assistant(
        {"type": "thinking", "thinking": "a", "signature": "s"},
        text("Hello, "),
        {"type": "redacted_thinking", "data": "zz"},
        text("world"),
        {"type": "thinking", "thinking": "b", "signature": "s"},
    )
    assert message.text == "Hello, world"
    assert message.thinking == "ab"


# -- JSON ---------------------------------------------------------------------------------------


def full_conversation() -> Conversation:
    conv = Conversation(title="Chat", model="claude-x", system_prompt="Be brief.")
    conv.add_user_message("Hi")
    reply = conv.start_reply("claude-x")
    reply.content = [
        {"type": "thinking", "thinking": "greet", "signature": SIGNATURE},
        {"type": "text", "text": "Hello!", "citations": None},
    ]
    reply.usage = {"input_tokens": 12, "output_tokens": 5, "cache_creation": {"x": 1}}
    reply.stop_reason = "end_turn"
    reply.state = ReplyState.COMPLETE
    reply.finished_at = "2026-01-01T00:00:01.000Z"
    conv.add_user_message("And?")
    failed = conv.start_reply("claude-x")
    failed.state = ReplyState.FAILED
    failed.error = ErrorInfo(
        kind="rate_limit", message="Slow down.", status=429, retry_after=2.5,
        request_id="req_1", retryable=True,
    )
    return conv


def test_json_round_trip_is_lossless() -> None:
    conv = full_conversation()
    document = conv.to_json(1)
    text_on_disk = json.dumps(document)
    again = Conversation.from_json(json.loads(text_on_disk))
    assert again == conv
    assert again.to_json(1) == document
    assert document["schema"] == 1


def test_json_round_trip_keeps_unknown_fields() -> None:
    """Fields written by a newer Cairn survive being loaded and saved by this one."""
    document = full_conversation().to_json(1)
    document["pinned"] = True
    document["folder"] = {"name": "Work", "colour": "#fff"}
    document["messages"][0]["reactions"] = ["👍"]
    document["messages"][1]["feedback"] = {"rating": 5}
    document["messages"][1]["content"][1]["x-new-block-field"] = [1, 2]
    again = Conversation.from_json(copy.deepcopy(document)).to_json(1)
    assert again["pinned"] is True
    assert again["folder"] == {"name": "Work", "colour": "#fff"}
    assert again["messages"][0]["reactions"] == ["👍"]
    assert again["messages"][1]["feedback"] == {"rating": 5}
    assert again["messages"][1]["content"][1]["x-new-block-field"] == [1, 2]


def test_to_json_does_not_share_conversation_extra() -> None:
    conv = Conversation.from_json({"id": "c1", "folder": {"name": "Work"}})
    conv.to_json(1)["folder"]["name"] = "changed"
    assert conv.extra == {"folder": {"name": "Work"}}


def test_to_json_is_a_snapshot_of_message_extra() -> None:
    """HistoryStore.write relies on to_json being a snapshot the worker thread can own."""
    message = Message.from_json({"role": "user", "content": "hi", "meta": {"n": 1}})
    Conversation(id="c1", messages=[message]).to_json(1)["messages"][0]["meta"]["n"] = 2
    assert message.extra == {"meta": {"n": 1}}


def test_message_from_json_accepts_string_content() -> None:
    message = Message.from_json({"role": "user", "content": "plain"})
    assert message.content == [text("plain")]
    assert message.id.startswith("msg_")


def test_message_from_json_unknown_state_reads_as_failed() -> None:
    message = Message.from_json({"role": "assistant", "content": [], "state": "exploded"})
    assert message.state is ReplyState.FAILED


def test_user_message_json_has_no_assistant_fields() -> None:
    data = Message(role="user", content=[text("hi")]).to_json()
    assert set(data) == {"id", "role", "content", "created_at"}


def test_error_info_round_trip() -> None:
    error = ErrorInfo(kind="auth", message="Key rejected.", status=401, retryable=False,
                      needs_key=True)
    assert ErrorInfo.from_json(error.to_json()) == error


def test_message_from_json_rejects_bad_shapes(subtests: Any) -> None:
    for data in [
        {"role": "system", "content": []},
        {"role": "user", "content": {"type": "text", "text": "x"}},
        {"role": "user", "content": ["just a string"]},
        {"role": "user", "content": 5},
    ]:
        with subtests.test(data=data), pytest.raises(ValueError):
            Message.from_json(data)


def test_conversation_from_json_rejects_bad_shapes(subtests: Any) -> None:
    """Every bad shape is a ValueError saying where and why (HistoryFormatError): what the
    history loader sets aside and the importers refuse."""
    for data in [
        [],
        "conv_1",
        None,
        {},
        {"id": 5},
        {"id": None, "messages": []},
        {"id": "c1", "messages": {"0": {}}},
        {"id": "c1", "messages": [{"role": "robot", "content": []}]},
        {"id": "c1", "messages": [{"content": []}]},
        {"id": "c1", "messages": ["hello"]},
    ]:
        with subtests.test(data=data), pytest.raises(ValueError):
            Conversation.from_json(data)


def test_conversation_from_json_fills_defaults() -> None:
    conv = Conversation.from_json({"id": "c1", "created_at": "2026-01-01T00:00:00.000Z"})
    assert conv.title == DEFAULT_TITLE
    assert conv.updated_at == "2026-01-01T00:00:00.000Z"
    assert conv.system_prompt == ""
    assert conv.messages == []


def test_reply_state_values_are_the_on_disk_strings() -> None:
    assert {state.value for state in ReplyState} == {"complete", "streaming", "stopped", "failed"}
    assert ReplyState("stopped") is ReplyState.STOPPED
    message = Message(role="assistant", content=[], state=ReplyState.STOPPED)
    assert message.to_json()["state"] == "stopped"
    assert json.loads(json.dumps(message.to_json()))["state"] == "stopped"


def test_now_iso_is_strictly_increasing_even_within_a_millisecond() -> None:
    from desktop_app.core.conversation import now_iso

    stamps = [now_iso() for _ in range(200)]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_replies_cut_off_mid_stream_end_as_failed_with_their_text() -> None:
    """A conversation read back after Cairn died mid-reply: every reply still marked as
    arriving, in the shown path and in kept branches, ends as interrupted; others stay."""
    conversation = Conversation()
    conversation.add_user_message("Tell me a story.")
    done = conversation.start_reply("claude-x")
    done.content = [{"type": "text", "text": "First take."}]
    done.state = ReplyState.COMPLETE
    conversation.fork_at(done.id)
    cut = conversation.start_reply("claude-x")
    cut.content = [{"type": "text", "text": "Once upon a"}]
    conversation.branches[0].messages[-1].state = ReplyState.STREAMING

    conversation.end_interrupted_replies()

    for reply in (cut, conversation.branches[0].messages[-1]):
        assert reply.state == ReplyState.FAILED
        assert reply.error is not None and reply.error.kind == "interrupted"
        assert reply.error.retryable
    assert cut.text == "Once upon a"
    assert conversation.messages[0].state == ReplyState.COMPLETE  # a user message: untouched


def test_cairns_continue_turn_is_not_exported_or_searchable() -> None:
    from desktop_app.core.conversation_summary import folded_body
    from desktop_app.core.export_markdown import conversation_to_markdown

    conversation = Conversation()
    conversation.add_user_message("Write a saga")
    reply = conversation.start_reply("claude-opus-4-7")
    reply.content = [{"type": "text", "text": "Once upon a time"}]
    reply.stop_reason, reply.state = "max_tokens", ReplyState.COMPLETE
    conversation.add_continue_request()
    assert conversation.is_continued(reply.id)
    exported = conversation_to_markdown(conversation, "files").text
    assert "Once upon a time" in exported and "length limit" not in exported
    assert b"limit" not in folded_body(conversation)


def test_a_refused_exchange_is_kept_but_not_sent() -> None:
    conversation = Conversation()
    conversation.add_user_message("Hello")
    conversation.messages.append(Message(role="assistant", content=[{"type": "text", "text": "Hi"}]))
    asked = conversation.add_user_message("Something refused")
    refused = Message(role="assistant", content=[{"type": "text", "text": "No."}],
                      stop_reason="refusal")
    conversation.messages.append(refused)
    assert conversation.exclude_refused(refused) == [asked, refused]
    conversation.add_user_message("Something else")
    sent = conversation.api_messages()
    assert [b["text"] for m in sent for b in m["content"]] == ["Hello", "Hi", "Something else"]
    restored = Conversation.from_json(conversation.to_json(1))
    assert [m.excluded for m in restored.messages] == [None, None, "refusal", "refusal", None]
    assert restored.api_messages() == sent


# -- the history schema is checked where documents are read (issue 17) ------------------------


def test_wrong_field_types_are_refused_with_the_place_and_the_reason() -> None:
    """Before: a text block holding a number loaded and then broke ``Message.text`` (a
    TypeError at start-up), usage as a string broke the cost shown, and a system prompt object
    was read with ``str()`` and sent as its Python repr."""
    base = full_conversation().to_json(1)
    for change, words in [
        (lambda d: d["messages"][1]["content"][1].update(text=42),
         "messages[1].content[1].text must be a string, not an integer"),
        (lambda d: d["messages"][1].update(usage="12 tokens"),
         "messages[1].usage must be an object or null, not a string"),
        (lambda d: d["messages"][1].update(model=["claude-x"]),
         "messages[1].model must be a string or null, not an array"),
        (lambda d: d.update(system_prompt={"role": "pirate"}),
         "system_prompt must be a string, not an object"),
    ]:
        document = copy.deepcopy(base)
        change(document)
        with pytest.raises(ValueError) as info:
            Conversation.from_json(document)
        assert words in str(info.value)


def test_a_system_prompt_that_is_not_text_is_never_sent() -> None:
    from desktop_app.core.catalog import Catalog
    from desktop_app.core.options import ChatOptions
    from desktop_app.core.request import RequestError, build_request

    conv = Conversation(system_prompt={"role": "pirate"})  # type: ignore[arg-type]
    conv.add_user_message("hi")
    with pytest.raises(RequestError, match="system prompt is not text"):
        build_request(conv, ChatOptions(), Catalog.fallback().models[0])
    conv.system_prompt = "Be \ud800 brief"  # found by fuzzing: hashing it raised
    with pytest.raises(RequestError, match="cannot be sent"):
        build_request(conv, ChatOptions(), Catalog.fallback().models[0])


def test_a_lone_surrogate_in_text_is_sent_as_a_replacement_character() -> None:
    from desktop_app.core.catalog import FALLBACK_MODELS
    from desktop_app.core.options import ChatOptions
    from desktop_app.core.request import build_request

    conversation = Conversation()
    conversation.add_user_message("broken \ud83d half of an emoji")
    plan = build_request(conversation, ChatOptions(), FALLBACK_MODELS[0])
    body = json.dumps(plan.kwargs, ensure_ascii=False).encode("utf-8")  # raised before
    assert "broken \ufffd half of an emoji".encode() in body
    assert conversation.messages[0].text == "broken \ud83d half of an emoji"  # kept as written
