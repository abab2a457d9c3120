"""ReplyAssembler: streamed events folded into the assistant message, whatever stops the stream."""

from __future__ import annotations

from typing import Any

from desktop_app.core.conversation import Conversation, ErrorInfo, Message, ReplyState
from desktop_app.core.reply import (
    BlockDelta,
    BlockFieldsSet,
    BlockFinished,
    BlockItemAdded,
    BlockStarted,
    ReplyAssembler,
    ReplyCompleted,
    ReplyDelta,
    ReplyEvent,
    ReplyStarted,
    unparsed_tool_input,
)

SIGNATURE = "EqQBCkgIARABGAIiQL1pLqN3gK0c+/=="


def new_reply(model: str = "claude-requested") -> tuple[Conversation, Message, ReplyAssembler]:
    conv = Conversation()
    conv.add_user_message("Hi")
    message = conv.start_reply(model)
    return conv, message, ReplyAssembler(message)


def apply_all(assembler: ReplyAssembler, events: list[ReplyEvent]) -> None:
    for event in events:
        assembler.apply(event)


def full_stream() -> list[ReplyEvent]:
    thinking_final = {"type": "thinking", "thinking": "The user greets me.", "signature": SIGNATURE}
    text_final = {"type": "text", "text": "Hello there!", "citations": None}
    return [
        ReplyStarted("claude-opus-4-7", {"input_tokens": 25, "output_tokens": 1,
                                         "cache_read_input_tokens": 0}),
        BlockStarted(0, {"type": "thinking", "thinking": "", "signature": ""}),
        BlockDelta(0, "thinking", "The user "),
        BlockDelta(0, "thinking", "greets me."),
        BlockDelta(0, "signature", SIGNATURE),
        BlockFinished(0, thinking_final),
        BlockStarted(1, {"type": "text", "text": ""}),
        BlockDelta(1, "text", "Hello"),
        BlockDelta(1, "text", " there!"),
        BlockFinished(1, text_final),
        ReplyDelta("end_turn", None, {"output_tokens": 42}),
        ReplyCompleted(),
    ]


def test_a_whole_stream_builds_the_message() -> None:
    conv, message, assembler = new_reply()
    apply_all(assembler, full_stream())
    assert message.content == [
        {"type": "thinking", "thinking": "The user greets me.", "signature": SIGNATURE},
        {"type": "text", "text": "Hello there!", "citations": None},
    ]
    assert message.model == "claude-opus-4-7"
    assert message.usage == {"input_tokens": 25, "output_tokens": 42, "cache_read_input_tokens": 0}
    assert message.stop_reason == "end_turn"
    assert message.stop_sequence is None
    assert message.state is ReplyState.COMPLETE
    assert message.finished_at is not None
    assert assembler.completed
    assert message.text == "Hello there!"
    # ... and it goes back to the API unchanged.
    assert conv.api_messages()[1]["content"] == message.content


def test_deltas_build_text_thinking_and_signature() -> None:
    _, message, assembler = new_reply()
    apply_all(assembler, [
        BlockStarted(0, {"type": "thinking", "thinking": ""}),
        BlockDelta(0, "thinking", "a"),
        BlockDelta(0, "thinking", "b"),
        BlockDelta(0, "signature", "sig"),
        BlockStarted(1, {"type": "text", "text": ""}),
        BlockDelta(1, "text", "x"),
        BlockDelta(1, "text", "y"),
    ])
    assert message.content == [
        {"type": "thinking", "thinking": "ab", "signature": "sig"},
        {"type": "text", "text": "xy"},
    ]


def test_block_finished_replaces_the_streamed_copy() -> None:
    """The final block is exactly what the API built (citations, fixed-up text, ...)."""
    _, message, assembler = new_reply()
    final = {"type": "text", "text": "Paris.", "citations": [{"type": "char_location", "start": 0}]}
    apply_all(assembler, [
        BlockStarted(0, {"type": "text", "text": ""}),
        BlockDelta(0, "text", "Par"),
        BlockDelta(0, "text", "is"),
        BlockFinished(0, final),
    ])
    assert message.content == [final]
    final["text"] = "mutated by the SDK afterwards"
    assert message.content[0]["text"] == "Paris."


def test_event_blocks_are_not_mutated_by_deltas() -> None:
    _, message, assembler = new_reply()
    started = {"type": "text", "text": ""}
    apply_all(assembler, [BlockStarted(0, started), BlockDelta(0, "text", "more")])
    assert started == {"type": "text", "text": ""}
    assert message.content == [{"type": "text", "text": "more"}]


def test_usage_merge_is_cumulative_and_none_keeps_the_old_figure() -> None:
    _, message, assembler = new_reply()
    apply_all(assembler, [
        ReplyStarted("m", {"input_tokens": 100, "output_tokens": 1,
                           "cache_creation_input_tokens": 50}),
        ReplyDelta(None, None, {"output_tokens": 10, "input_tokens": None}),
        ReplyDelta("max_tokens", None, {"output_tokens": 30, "cache_creation_input_tokens": None,
                                        "server_tool_use": {"web_search_requests": 1}}),
    ])
    # 30, not 1 + 10 + 30: later figures replace earlier ones.
    assert message.usage == {
        "input_tokens": 100,
        "output_tokens": 30,
        "cache_creation_input_tokens": 50,
        "server_tool_use": {"web_search_requests": 1},
    }
    assert message.stop_reason == "max_tokens"


def test_reply_started_without_a_model_keeps_the_requested_one() -> None:
    _, message, assembler = new_reply("claude-requested")
    assembler.apply(ReplyStarted("", {}))
    assert message.model == "claude-requested"
    assembler.apply(ReplyStarted("claude-actual", {}))
    assert message.model == "claude-actual"


def test_stop_sequence_is_recorded() -> None:
    _, message, assembler = new_reply()
    assembler.apply(ReplyDelta("stop_sequence", "###", {"output_tokens": 3}))
    assert (message.stop_reason, message.stop_sequence) == ("stop_sequence", "###")


def test_a_partial_reply_keeps_what_arrived() -> None:
    """The stream dies mid-reply: the text so far is in the message; unsigned thinking is
    kept for display but never sent back."""
    conv, message, assembler = new_reply()
    apply_all(assembler, full_stream()[:1] + [
        BlockStarted(0, {"type": "thinking", "thinking": "", "signature": ""}),
        BlockDelta(0, "thinking", "Hmm"),
        BlockFinished(0, {"type": "thinking", "thinking": "Hmm", "signature": SIGNATURE}),
        BlockStarted(1, {"type": "text", "text": ""}),
        BlockDelta(1, "text", "Hello th"),
    ])
    assert not assembler.completed
    assert message.state is ReplyState.STREAMING
    assert message.finished_at is None
    assert message.text == "Hello th"
    assert message.usage == {"input_tokens": 25, "output_tokens": 1, "cache_read_input_tokens": 0}
    assert conv.api_messages()[1]["content"] == [
        {"type": "thinking", "thinking": "Hmm", "signature": SIGNATURE},
        {"type": "text", "text": "Hello th"},
    ]


def test_a_reply_cut_off_while_thinking_is_not_sent_back() -> None:
    conv, message, assembler = new_reply()
    apply_all(assembler, [
        BlockStarted(0, {"type": "thinking", "thinking": "", "signature": ""}),
        BlockDelta(0, "thinking", "I was about to"),
    ])
    assert message.thinking == "I was about to"
    assert [turn["role"] for turn in conv.api_messages()] == ["user"]


def test_continuing_a_message_appends_after_its_blocks() -> None:
    """A continued reply's stream counts blocks from 0 again; they go after the old ones."""
    existing = [
        {"type": "thinking", "thinking": "t", "signature": SIGNATURE},
        {"type": "text", "text": "Part one. "},
    ]
    message = Message(role="assistant", content=[dict(b) for b in existing], model="m",
                      state=ReplyState.STOPPED)
    assembler = ReplyAssembler(message)
    apply_all(assembler, [
        ReplyStarted("m", {"input_tokens": 5}),
        BlockStarted(0, {"type": "text", "text": ""}),
        BlockDelta(0, "text", "Part"),
        BlockDelta(0, "text", " two."),
        BlockFinished(0, {"type": "text", "text": "Part two."}),
        ReplyDelta("end_turn", None, {"output_tokens": 4}),
        ReplyCompleted(),
    ])
    assert message.content == existing + [{"type": "text", "text": "Part two."}]
    assert message.text == "Part one. Part two."
    assert message.state is ReplyState.COMPLETE


def test_completion_clears_an_earlier_error() -> None:
    _, message, assembler = new_reply()
    message.state = ReplyState.FAILED
    message.error = ErrorInfo(kind="overloaded", message="Busy.")
    assembler.apply(ReplyCompleted())
    assert message.state is ReplyState.COMPLETE
    assert message.error is None


def test_stray_deltas_are_ignored() -> None:
    _, message, assembler = new_reply()
    apply_all(assembler, [
        BlockDelta(0, "text", "before any block"),
        BlockStarted(0, {"type": "text", "text": ""}),
        BlockDelta(5, "text", "no such block"),
        BlockDelta(0, "citations", "unknown kind"),
        BlockDelta(0, "text", "ok"),
    ])
    assert message.content == [{"type": "text", "text": "ok"}]


def test_events_out_of_order_leave_a_well_formed_message() -> None:
    """A block announced at index 2 first: the gap is filled with empty text, which is never
    sent to the API."""
    conv, message, assembler = new_reply()
    assembler.apply(BlockStarted(2, {"type": "text", "text": "late"}))
    assert len(message.content) == 3
    assert message.text == "late"
    sent: list[dict[str, Any]] = conv.api_messages()[1]["content"]
    assert sent == [{"type": "text", "text": "late"}]


def test_whole_fields_and_citations_arrive_as_deltas() -> None:
    """Raw streams: a signature or a compaction summary arrives whole, citations one by one,
    and the end of a block keeps what the deltas built."""
    _, message, assembler = new_reply()
    citation = {"type": "char_location", "cited_text": "Paris", "start_char_index": 0}
    apply_all(assembler, [
        BlockStarted(0, {"type": "compaction", "signature": "s0"}),
        BlockFieldsSet(0, {"content": "Summary of earlier turns."}),
        BlockFinished(0),
        BlockStarted(1, {"type": "text", "text": ""}),
        BlockDelta(1, "text", "Paris."),
        BlockItemAdded(1, "citations", citation),
        BlockItemAdded(1, "citations", citation),
        BlockFinished(1),
    ])
    assert message.content == [
        {"type": "compaction", "signature": "s0", "content": "Summary of earlier turns."},
        {"type": "text", "text": "Paris.", "citations": [citation, citation]},
    ]
    citation["cited_text"] = "changed afterwards"
    assert message.content[1]["citations"][0]["cited_text"] == "Paris"


def tool_call_stream(index: int, pieces: list[str], *, finished: bool = True,
                     kind: str = "tool_use") -> list[ReplyEvent]:
    """A call streamed as the API streams it: an empty input, then its JSON text in pieces."""
    events: list[ReplyEvent] = [
        BlockStarted(index, {"type": kind, "id": f"toolu_{index}", "name": "echo", "input": {}}),
        *[BlockDelta(index, "input_json", piece) for piece in ["", *pieces]],
    ]
    return [*events, BlockFinished(index)] if finished else events


def test_a_tool_call_input_is_joined_and_parsed_when_its_block_ends() -> None:
    _, message, assembler = new_reply()
    apply_all(assembler, [
        BlockStarted(0, {"type": "text", "text": ""}),
        BlockDelta(0, "text", "Checking."),
        BlockFinished(0),
        *tool_call_stream(1, ['{"text": "a', ' b", "n', '": [1, 2.5]}']),
        *tool_call_stream(2, []),  # a call without arguments sends no JSON text at all
        *tool_call_stream(3, ["{}"], kind="server_tool_use"),
        ReplyDelta("tool_use", None, {"output_tokens": 30}),
        ReplyCompleted(),
    ])
    assert message.content == [
        {"type": "text", "text": "Checking."},
        {"type": "tool_use", "id": "toolu_1", "name": "echo",
         "input": {"text": "a b", "n": [1, 2.5]}},
        {"type": "tool_use", "id": "toolu_2", "name": "echo", "input": {}},
        {"type": "server_tool_use", "id": "toolu_3", "name": "echo", "input": {}},
    ]
    assert message.stop_reason == "tool_use"
    assert all(unparsed_tool_input(block) is None for block in message.content)


def test_a_tool_call_input_that_is_not_a_json_object_keeps_its_text() -> None:
    _, message, assembler = new_reply()
    for index, text in enumerate(['{"text": "cut o', "[1, 2]", '"text"', '{"x": NaN}', "   "]):
        apply_all(assembler, tool_call_stream(index, [text]))
    assert [unparsed_tool_input(block) for block in message.content] == [
        '{"text": "cut o', "[1, 2]", '"text"', '{"x": NaN}', None]  # blank text: no arguments
    assert [block["input"] for block in message.content] == [{}] * 5


def test_a_tool_call_cut_off_mid_input_keeps_what_arrived() -> None:
    """The stream stops before the call's block ends: the input is not known, so the call
    must not run; the text so far is there to show."""
    _, message, assembler = new_reply()
    apply_all(assembler, tool_call_stream(0, ['{"path": "/tm'], finished=False))
    assert unparsed_tool_input(message.content[0]) == '{"path": "/tm'
    assert message.content[0]["input"] == {}
    assert not assembler.completed


def test_a_tool_call_block_from_the_stream_is_not_changed_by_its_deltas() -> None:
    started = {"type": "tool_use", "id": "toolu_9", "name": "echo", "input": {"kept": True}}
    _, message, assembler = new_reply()
    apply_all(assembler, [BlockStarted(0, started), BlockDelta(0, "input_json", ""),
                          BlockFinished(0)])
    assert started == {"type": "tool_use", "id": "toolu_9", "name": "echo",
                       "input": {"kept": True}}
    assert message.content == [started]  # no JSON text: the input it started with stays
    apply_all(assembler, [BlockDelta(5, "input_json", "{}"),  # no such block
                          BlockStarted(1, {"type": "text", "text": ""}),
                          BlockDelta(1, "input_json", '{"a": 1}')])  # not a call
    assert message.content[1] == {"type": "text", "text": ""}


def test_a_continued_reply_puts_its_calls_after_the_old_blocks() -> None:
    message = Message(role="assistant", content=[{"type": "text", "text": "Part one."}],
                      model="m", state=ReplyState.STOPPED)
    assembler = ReplyAssembler(message)
    apply_all(assembler, tool_call_stream(0, ['{"text": "x"}']))
    assert message.content[1] == {"type": "tool_use", "id": "toolu_0", "name": "echo",
                                  "input": {"text": "x"}}
