"""Every tool_use Claude makes gets exactly one tool_result in the next user turn, in the
order of the calls, whatever happened to it (done, error, denied, timed out, stopped, server
gone); a crash mid-round leaves ids that can still be answered. Pure core."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.conversation import Message
from desktop_app.core.tool_calls import (
    CANCELLED_TEXT,
    DENIED_TEXT,
    NOT_RUN_TEXT,
    CallOutcome,
    CallRecord,
    error_result,
    failure_text,
    records_from_json,
    results_message_content,
    timed_out_text,
    tool_uses,
    unanswered_tool_uses,
    unavailable_text,
)


def use(tool_use_id: str, name: str = "Files__echo") -> dict[str, Any]:
    return {"type": "tool_use", "id": tool_use_id, "name": name, "input": {"text": "hi"}}


def assistant(*ids: str) -> dict[str, Any]:
    return {"role": "assistant", "content": [
        {"type": "thinking", "thinking": "Let me look.", "signature": "sig"},
        {"type": "text", "text": "Checking."}, *(use(i) for i in ids)]}


def done(tool_use_id: str, text: str = "out") -> CallRecord:
    return CallRecord(tool_use_id, "srv_1", "Files", "echo", CallOutcome.DONE, 0.25,
                      [{"type": "text", "text": text}], False)


def denied(tool_use_id: str) -> CallRecord:
    return CallRecord.failed(tool_use_id, server_id="srv_1", server_name="Files", tool="echo",
                             outcome=CallOutcome.DENIED, text=DENIED_TEXT)


def test_tool_uses_are_the_tool_use_blocks_in_order() -> None:
    content = assistant("a", "b")["content"] + [use("c")]
    assert [b["id"] for b in tool_uses(content)] == ["a", "b", "c"]
    assert tool_uses([{"type": "text", "text": "no tools"}]) == []
    assert tool_uses("text") == [] and tool_uses(None) == []
    assert tool_uses([None, 3, "tool_use", {"type": "tool_use", "id": "d"}]) == [
        {"type": "tool_use", "id": "d"}]


def test_results_follow_the_calls_order_not_the_order_they_finished_in() -> None:
    content = results_message_content([done("b", "second"), denied("c"), done("a", "first")],
                                      ["a", "b", "c"])
    assert content == [
        {"type": "tool_result", "tool_use_id": "a",
         "content": [{"type": "text", "text": "first"}]},
        {"type": "tool_result", "tool_use_id": "b",
         "content": [{"type": "text", "text": "second"}]},
        {"type": "tool_result", "tool_use_id": "c",
         "content": [{"type": "text", "text": "The user declined to run this tool."}],
         "is_error": True},
    ]


def test_every_call_is_answered_once_and_nothing_else() -> None:
    content = results_message_content([done("x"), done("a"), done("a", "again")],
                                      ["a", "b", "a"])
    assert [b["tool_use_id"] for b in content] == ["a", "b"]
    assert content[0]["content"] == [{"type": "text", "text": "out"}]
    assert content[1] == error_result("b", NOT_RUN_TEXT)
    assert all(b["type"] == "tool_result" for b in content)


def test_a_result_is_never_empty() -> None:
    record = CallRecord("a", "srv_1", "Files", "echo", CallOutcome.DONE, 0.1, [], False)
    assert record.result_block()["content"] == [{"type": "text", "text": "(no output)"}]


def test_error_results_have_the_api_shape() -> None:
    assert error_result("toolu_1", "Nope.") == {
        "type": "tool_result", "tool_use_id": "toolu_1",
        "content": [{"type": "text", "text": "Nope."}], "is_error": True}


def test_what_claude_is_told_when_a_call_does_not_run() -> None:
    assert DENIED_TEXT == "The user declined to run this tool."
    assert CANCELLED_TEXT == "The user stopped the reply before this tool finished."
    assert "60 seconds" in timed_out_text(60.0)
    assert "2.5 seconds" in timed_out_text(2.5)
    assert unavailable_text("GitHub", "it exited at start") == (
        "The tool's server (GitHub) is not available: it exited at start")
    assert unavailable_text() == "The tool's server is not available."
    assert failure_text(CallOutcome.DENIED) == DENIED_TEXT
    assert failure_text(CallOutcome.CANCELLED) == CANCELLED_TEXT
    assert failure_text(CallOutcome.TIMED_OUT, seconds=60) == timed_out_text(60)
    assert failure_text(CallOutcome.UNAVAILABLE, server_name="Git") == unavailable_text("Git")
    assert "broke" in failure_text(CallOutcome.ERROR, reason="the connection broke")


def test_a_record_round_trips_through_json() -> None:
    record = CallRecord("a", "srv_1", "Files", "picture", CallOutcome.TIMED_OUT, 60.0,
                        [{"type": "text", "text": timed_out_text(60)}], True, ["a note"])
    data = json.loads(json.dumps(record.to_json()))
    assert data["outcome"] == "timed_out"
    assert CallRecord.from_json(data) == record
    assert records_from_json([data, "junk", {"tool_use_id": 5}]) == [record]


@pytest.mark.parametrize("data", [None, [], "a", {"outcome": "done"}, {"tool_use_id": None}])
def test_what_is_not_a_record_reads_as_none(data: Any) -> None:
    assert CallRecord.from_json(data) is None


def test_a_damaged_record_reads_with_safe_values() -> None:
    record = CallRecord.from_json({
        "tool_use_id": "a", "server_id": 3, "outcome": "exploded", "seconds": float("inf"),
        "content": [{"type": "text", "text": "ok"}, "junk"], "is_error": "yes", "notes": [1]})
    assert record == CallRecord("a", "", "", "", CallOutcome.ERROR, 0.0,
                                [{"type": "text", "text": "ok"}], False, [])


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["tool_use_id", "outcome", "seconds", "content", "notes", "is_error"]),
        inner, max_size=5),
    max_leaves=10)


@given(_json)
def test_history_of_any_shape_reads_without_raising(data: Any) -> None:
    for record in records_from_json([data]):
        assert isinstance(record.seconds, float) and record.seconds >= 0
        json.dumps(record.to_json())


def test_a_crash_after_the_calls_were_saved_leaves_them_all_to_answer() -> None:
    messages = [{"role": "user", "content": [{"type": "text", "text": "Go"}]},
                assistant("a", "b")]
    assert unanswered_tool_uses(messages) == ["a", "b"]


def test_a_round_answered_in_full_leaves_nothing() -> None:
    messages = [assistant("a", "b"),
                {"role": "user", "content": results_message_content([done("a"), done("b")],
                                                                    ["a", "b"])}]
    assert unanswered_tool_uses(messages) == []
    finished = [*messages, {"role": "assistant", "content": [{"type": "text", "text": "Done"}]}]
    assert unanswered_tool_uses(finished) == []


def test_only_the_ids_the_next_turn_misses_are_unanswered() -> None:
    messages = [assistant("a", "b", "c"),
                {"role": "user", "content": [error_result("b", CANCELLED_TEXT)]}]
    assert unanswered_tool_uses(messages) == ["a", "c"]


def test_unanswered_calls_are_found_in_the_conversation_s_own_messages() -> None:
    messages = [Message(role="user", content=[{"type": "text", "text": "Go"}]),
                Message(role="assistant", content=assistant("a")["content"])]
    assert unanswered_tool_uses(messages) == ["a"]
    assert unanswered_tool_uses([]) == []
    assert unanswered_tool_uses([Message(role="user", content=[])]) == []


def test_answering_the_unanswered_makes_the_turn_valid() -> None:
    messages = [assistant("a", "b")]
    order = unanswered_tool_uses(messages)
    records = [CallRecord.failed(i, server_id="srv_1", server_name="Files", tool="echo",
                                 outcome=CallOutcome.CANCELLED, text=CANCELLED_TEXT)
               for i in order]
    messages.append({"role": "user", "content": results_message_content(records, order)})
    assert unanswered_tool_uses(messages) == []
    assert all(b["is_error"] and b["content"][0]["text"] == CANCELLED_TEXT
               for b in messages[-1]["content"])
