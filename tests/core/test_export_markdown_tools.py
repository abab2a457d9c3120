"""Markdown export of a reply that used tools: each call with its arguments as JSON, and the
result under it, in fences that nothing in a result can close; Cairn's results turn is not
shown as a message of the user's."""

from __future__ import annotations

from desktop_app.core.conversation import Conversation, ReplyState
from desktop_app.core.export_markdown import conversation_to_markdown


def tool_conversation() -> Conversation:
    conversation = Conversation(title="Files")
    conversation.add_user_message("What is in notes.txt?")
    first = conversation.start_reply("claude-test")
    first.content = [
        {"type": "text", "text": "Let me read it."},
        {"type": "tool_use", "id": "toolu_1", "name": "files__read", "input": {"path": "notes.txt"}},
    ]
    first.state, first.stop_reason = ReplyState.COMPLETE, "tool_use"
    conversation.add_tool_results(
        [{"type": "tool_result", "tool_use_id": "toolu_1",
          "content": [{"type": "text", "text": "buy milk\n```\nnot the end"}]}],
        {"toolu_1": {"tool_use_id": "toolu_1", "outcome": "done"}})
    second = conversation.start_reply("claude-test")
    second.content = [{"type": "text", "text": "It says: buy milk."}]
    second.state, second.stop_reason = ReplyState.COMPLETE, "end_turn"
    return conversation


def test_calls_and_results_read_as_part_of_the_reply() -> None:
    text = conversation_to_markdown(tool_conversation(), "files").text
    assert text.count("## **You**") == 1  # the results turn is not the user's
    assert "**Tool call:** `files__read`" in text
    assert '"path": "notes.txt"' in text
    assert "**Tool result:**" in text
    assert "````text\nbuy milk\n```\nnot the end\n````" in text  # the fence outlasts the result
    assert text.index("Let me read it.") < text.index("buy milk") < text.index("It says")


def test_a_denied_call_says_so() -> None:
    conversation = tool_conversation()
    results = conversation.messages[2]
    results.content[0]["is_error"] = True
    results.extra["tool_runs"]["toolu_1"]["outcome"] = "denied"
    text = conversation_to_markdown(conversation, "files").text
    assert "**Tool error (denied):**" in text
