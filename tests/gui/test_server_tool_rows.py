"""Server tool rows from hand-made reply content (#16): every error code of the SDK's result
types has its own words, only http(s) addresses become links, and text from a result cannot
inject markup."""

from __future__ import annotations

import pytest

from desktop_app.core import server_tool_activity as sta
from desktop_app.core.server_tool_activity import ActivityKind, fold_server_tools
from desktop_app.ui.lib.theme import LIGHT
from desktop_app.ui.messages.server_tool_errors import error_words, has_words
from desktop_app.ui.messages.server_tool_row import ServerToolRow

CODES = {ActivityKind.SEARCH: sta.SEARCH_ERROR_CODES, ActivityKind.FETCH: sta.FETCH_ERROR_CODES,
         ActivityKind.CODE: sta.CODE_ERROR_CODES, ActivityKind.BASH: sta.BASH_ERROR_CODES,
         ActivityKind.EDITOR: sta.EDITOR_ERROR_CODES,
         ActivityKind.TOOL_SEARCH: sta.TOOL_SEARCH_ERROR_CODES}
RESULT_OF = {kind: result for result, kind in sta.RESULT_TYPES.items()}


@pytest.mark.parametrize(("kind", "code"), [(k, c) for k, codes in CODES.items() for c in codes])
def test_every_error_code_has_words(kind: ActivityKind, code: str) -> None:
    assert has_words(kind, code)
    (activity,) = fold_server_tools([{"type": RESULT_OF[kind], "tool_use_id": "srvtoolu_1",
                                      "content": {"type": RESULT_OF[kind] + "_error",
                                                  "error_code": code}}])
    words = error_words(activity)
    assert words and code not in words  # a sentence, not the code


def test_an_unknown_code_is_still_said(qtbot) -> None:
    (activity,) = fold_server_tools([{"type": "web_search_tool_result", "tool_use_id": "s",
                                      "content": {"type": "web_search_tool_result_error",
                                                  "error_code": "new_code"}}])
    assert "new_code" in error_words(activity)


def test_only_web_addresses_become_links_and_text_is_escaped(qtbot) -> None:
    content = [
        {"type": "server_tool_use", "id": "s1", "name": "web_search",
         "input": {"query": "<b>q</b>"}},
        {"type": "web_search_tool_result", "tool_use_id": "s1", "content": [
            {"type": "web_search_result", "url": "javascript:alert(1)", "title": "<i>Evil</i>"},
            {"type": "web_search_result", "url": "https://ok.example/", "title": "Fine\u202e"},
        ]},
    ]
    (activity,) = fold_server_tools(content)
    row = ServerToolRow(activity, LIGHT)
    qtbot.addWidget(row)
    row.set_open(True)
    shown = row.details.text()
    assert "javascript" not in shown and "<i>" not in shown and "&lt;i&gt;Evil" in shown
    assert 'href="https://ok.example/"' in shown and "\u202e" not in shown
    assert row.link_texts("javascript:alert(1)") == []
    assert "<b>" in row.toggle.text()  # shown as typed: a tool button's text is plain


def test_a_code_row_has_a_place_for_its_produced_files(qtbot) -> None:
    from PySide6.QtWidgets import QLabel
    (activity,) = fold_server_tools([
        {"type": "server_tool_use", "id": "s2", "name": "code_execution",
         "input": {"code": "print(1)"}},
        {"type": "code_execution_tool_result", "tool_use_id": "s2", "content": {
            "type": "code_execution_result", "stdout": "1\n", "stderr": "", "return_code": 0,
            "content": [{"type": "code_execution_output", "file_id": "file_9"}]}}])
    row = ServerToolRow(activity, LIGHT)
    qtbot.addWidget(row)
    row.show()
    assert row.file_ids == ("file_9",)
    row.set_produced_files_view(QLabel("files"))
    assert row.produced_files_place.isVisible()  # folded, the files still show
    row.set_open(True)
    assert row.produced_files_place.isVisible() and "file_9" in row.details.text()


def test_a_call_cut_off_says_it_did_not_finish(qtbot) -> None:
    (activity,) = fold_server_tools([{"type": "server_tool_use", "id": "s3",
                                      "name": "web_search", "input": {"query": "tides"}}])
    row = ServerToolRow(activity, LIGHT)
    qtbot.addWidget(row)
    assert row.toggle.text() == "Searching: “tides”…"
    row.set_activity(activity, streaming=False)
    assert row.toggle.text() == "Searching: “tides” — not finished"
    (streaming,) = fold_server_tools([{"type": "server_tool_use", "id": "s4",
                                       "name": "web_search", "input": {}}])
    row.set_activity(streaming)
    assert row.toggle.text() == "Searching the web…"


def test_a_call_dropped_from_the_reply_loses_its_row(qtbot) -> None:
    """A paused reply's unanswered call is dropped before the turn resumes; its "Searching…"
    row must go with it, or the reply shows a search that never ends."""
    from desktop_app.core.conversation import Message, ReplyState
    from desktop_app.ui.messages.server_tools_view import ServerToolsView

    answered = [{"type": "server_tool_use", "id": "s5", "name": "web_search",
                 "input": {"query": "tides"}},
                {"type": "web_search_tool_result", "tool_use_id": "s5", "content": []}]
    dangling = {"type": "server_tool_use", "id": "s6", "name": "web_search",
                "input": {"query": "currents"}}
    message = Message(role="assistant", content=[*answered, dangling],
                      state=ReplyState.STREAMING)
    view = ServerToolsView(LIGHT)
    qtbot.addWidget(view)
    view.refresh(message)
    assert set(view.rows) == {"s5", "s6"}
    message.content.remove(dangling)
    view.refresh(message)
    assert set(view.rows) == {"s5"}
    view.show()
    assert [row.toggle.text() for row in view.findChildren(ServerToolRow)
            if row.isVisible()] == ["Searched: “tides” — 0 results"]
