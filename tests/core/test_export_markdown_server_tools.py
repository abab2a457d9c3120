"""Markdown export of replies that used Claude's own tools: citations as footnotes numbered
through the whole document, searches with their results as links, code runs with their
output, errors by their code (#16)."""

from __future__ import annotations

from typing import Any

from desktop_app.core.conversation import Conversation, ReplyState
from desktop_app.core.export_markdown import conversation_to_markdown
from tests.core.test_citations import CITED

SEARCH: list[dict[str, Any]] = [
    {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search",
     "input": {"query": "tides today"}},
    {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": [
        {"type": "web_search_result", "url": "https://www.tides.example/today",
         "title": "Tide table", "encrypted_content": "x"}]},
]
RUN: list[dict[str, Any]] = [
    {"type": "server_tool_use", "id": "srvtoolu_2", "name": "bash_code_execution",
     "input": {"command": "python plot.py"}},
    {"type": "bash_code_execution_tool_result", "tool_use_id": "srvtoolu_2", "content": {
        "type": "bash_code_execution_result", "stdout": "saved\n", "stderr": "", "return_code": 2,
        "content": [{"type": "bash_code_execution_output", "file_id": "file_01"}]}},
    {"type": "server_tool_use", "id": "srvtoolu_3", "name": "web_fetch",
     "input": {"url": "https://ex.org"}},
    {"type": "web_fetch_tool_result", "tool_use_id": "srvtoolu_3", "content": {
        "type": "web_fetch_tool_result_error", "error_code": "url_not_accessible"}},
]


def conversation() -> Conversation:
    conversation = Conversation(title="Tides")
    for content in ([*SEARCH, *CITED], [*RUN, *CITED[2:]]):
        conversation.add_user_message("When is high tide?")
        reply = conversation.start_reply("claude-test")
        reply.content = content
        reply.state, reply.stop_reason = ReplyState.COMPLETE, "end_turn"
    return conversation


def test_citations_become_footnotes_numbered_through_the_document() -> None:
    text = conversation_to_markdown(conversation(), "files").text
    assert "High tide is at 6 pm[^1]" in text
    assert " and the water is cold[^2][^1]." in text
    assert "[^1]: [Tide table](<https://www.tides.example/today>) (tides.example): " \
           "“High tide 18:00”" in text
    assert "[^2]: [Sea temperature](<https://sea.example/temp>) (sea.example)" in text
    # The second reply's notes go on from 3, so no label names two notes.
    assert " and the water is cold[^3][^4]." in text
    assert "[^3]: [Sea temperature]" in text and "[^4]: [Tide table]" in text
    assert text.count("[^1]:") == 1


def test_server_tool_work_in_words() -> None:
    text = conversation_to_markdown(conversation(), "files").text
    assert "*Searched the web:* tides today\n- [Tide table](<https://www.tides.example/today>)" \
        in text
    assert text.index("*Searched the web:*") < text.index("Tides follow the moon")
    assert "```bash\npython plot.py\n```" in text and "```text\nsaved\n```" in text
    assert "*Exit code 2*" in text and "*Files made:* `file_01`" in text
    assert "*Failed: url_not_accessible*" in text
    assert "block not shown" not in text
