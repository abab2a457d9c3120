"""A reply that used tools is one reply to the reader: its rounds and Cairn's results turns
read as parts of it; what is sent is the API's shape, results first in their turn."""

from __future__ import annotations

from desktop_app.core.conversation import Conversation, ReplyState
from tests.core.test_export_markdown_tools import tool_conversation


def test_the_rounds_of_a_tool_using_reply_read_as_one() -> None:
    conversation = tool_conversation()
    first, results, second = conversation.messages[1:]
    assert results.is_tool_results and results.is_cairn_turn
    assert conversation.reply_parts(second.id) == [first, second]
    assert conversation.is_continued(first.id)  # no footer between the rounds
    assert not conversation.is_continued(second.id)
    assert conversation.tool_results_for(first.id) is results


def test_a_round_stopped_after_its_results_ends_the_reply() -> None:
    conversation = tool_conversation()
    del conversation.messages[3:]  # stopped before Claude went on
    first = conversation.messages[1]
    first.state = ReplyState.STOPPED
    assert not conversation.is_continued(first.id)  # its footer and Retry are shown


def test_results_and_the_users_next_words_go_in_one_turn_results_first() -> None:
    conversation = tool_conversation()
    del conversation.messages[3:]
    conversation.add_user_message("And then?")
    sent = conversation.api_messages()
    assert [m["role"] for m in sent] == ["user", "assistant", "user"]
    assert [b["type"] for b in sent[-1]["content"]] == ["tool_result", "text"]


def test_results_survive_a_round_trip_with_what_the_window_shows() -> None:
    conversation = tool_conversation()
    again = Conversation.from_json(conversation.to_json(1))
    results = again.messages[2]
    assert results.is_tool_results
    assert results.extra["tool_runs"]["toolu_1"]["outcome"] == "done"
