"""Claude's server tool work folded for display: calls paired with results by id, every shape
the SDK defines, errors kept as codes, and hostile history content never raising (#16)."""

from __future__ import annotations

import json
import typing

from anthropic.types import (
    BashCodeExecutionToolResultErrorCode,
    CodeExecutionToolResultErrorCode,
    TextEditorCodeExecutionToolResultErrorCode,
    WebFetchToolResultErrorCode,
    WebSearchToolResultErrorCode,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.code_files import produced_in
from desktop_app.core import server_tool_activity as sta
from desktop_app.core.server_tool_activity import (
    ActivityKind,
    ActivityStatus,
    SearchHit,
    fold_server_tools,
)

SEARCH = [
    {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search",
     "input": {"query": "tides today"}},
    {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": [
        {"type": "web_search_result", "url": "https://ex.org/a", "title": "Title A",
         "page_age": "2 days ago", "encrypted_content": "xyz"},
        {"type": "web_search_result", "url": "https://ex.org/b", "title": "Title B",
         "encrypted_content": "abc"},
    ]},
]


def test_a_search_is_paired_with_its_results() -> None:
    (activity,) = fold_server_tools([{"type": "text", "text": "Looking."}, *SEARCH])
    assert activity.kind == ActivityKind.SEARCH
    assert activity.status == ActivityStatus.DONE
    assert activity.query == "tides today"
    assert activity.hits == (SearchHit("https://ex.org/a", "Title A", "2 days ago"),
                             SearchHit("https://ex.org/b", "Title B", ""))


def test_a_call_without_its_result_is_pending() -> None:
    (activity,) = fold_server_tools(SEARCH[:1])
    assert activity.status == ActivityStatus.PENDING
    assert activity.hits == ()


def test_a_search_error_keeps_its_code() -> None:
    (activity,) = fold_server_tools([SEARCH[0], {
        "type": "web_search_tool_result", "tool_use_id": "srvtoolu_1",
        "content": {"type": "web_search_tool_result_error", "error_code": "max_uses_exceeded"}}])
    assert activity.status == ActivityStatus.FAILED
    assert activity.error_code == "max_uses_exceeded"


def test_a_fetch_gives_the_page_title_and_address() -> None:
    (activity,) = fold_server_tools([
        {"type": "server_tool_use", "id": "srvtoolu_2", "name": "web_fetch",
         "input": {"url": "https://ex.org/asked"}},
        {"type": "web_fetch_tool_result", "tool_use_id": "srvtoolu_2", "content": {
            "type": "web_fetch_result", "url": "https://ex.org/final",
            "retrieved_at": "2026-12-07T20:00:00Z", "content": {
                "type": "document", "title": "Page", "source": {
                    "type": "text", "media_type": "text/plain", "data": "words"}}}},
    ])
    assert (activity.kind, activity.url, activity.title) == (
        ActivityKind.FETCH, "https://ex.org/final", "Page")
    assert activity.retrieved_at == "2026-12-07T20:00:00Z"


def test_bash_and_python_runs_give_output_and_files() -> None:
    content = [
        {"type": "server_tool_use", "id": "srvtoolu_3", "name": "bash_code_execution",
         "input": {"command": "python plot.py"}},
        {"type": "bash_code_execution_tool_result", "tool_use_id": "srvtoolu_3", "content": {
            "type": "bash_code_execution_result", "stdout": "ok\n", "stderr": "warn\n",
            "return_code": 1, "content": [
                {"type": "bash_code_execution_output", "file_id": "file_a"},
                {"type": "bash_code_execution_output", "file_id": "file_a"}]}},
        {"type": "server_tool_use", "id": "srvtoolu_4", "name": "code_execution",
         "input": {"code": "print(1)"}},
        {"type": "code_execution_tool_result", "tool_use_id": "srvtoolu_4", "content": {
            "type": "encrypted_code_execution_result", "encrypted_stdout": "zz", "stderr": "",
            "return_code": 0, "content": [{"type": "code_execution_output",
                                          "file_id": "file_b"}]}},
    ]
    bash, python = fold_server_tools(content)
    assert bash.kind == ActivityKind.BASH and bash.code == "python plot.py"
    assert bash.output is not None
    assert (bash.output.stdout, bash.output.stderr, bash.output.return_code) == (
        "ok\n", "warn\n", 1)
    assert bash.output.file_ids == ("file_a",)
    assert python.kind == ActivityKind.CODE and python.code == "print(1)"
    assert python.output is not None and python.output.stdout_hidden
    assert produced_in(content) == ["file_a", "file_b"]


def test_text_editor_results() -> None:
    content = [
        {"type": "server_tool_use", "id": "srvtoolu_5", "name": "text_editor_code_execution",
         "input": {"command": "view", "path": "/tmp/a.txt"}},
        {"type": "text_editor_code_execution_tool_result", "tool_use_id": "srvtoolu_5",
         "content": {"type": "text_editor_code_execution_view_result", "content": "hello",
                     "file_type": "text", "total_lines": 1}},
        {"type": "server_tool_use", "id": "srvtoolu_6", "name": "text_editor_code_execution",
         "input": {"command": "view", "path": "/tmp/none"}},
        {"type": "text_editor_code_execution_tool_result", "tool_use_id": "srvtoolu_6",
         "content": {"type": "text_editor_code_execution_tool_result_error",
                     "error_code": "file_not_found", "error_message": "No such file"}},
    ]
    view, missing = fold_server_tools(content)
    assert view.path == "/tmp/a.txt" and view.editor is not None
    assert (view.editor.operation, view.editor.content, view.editor.total_lines) == (
        "view", "hello", 1)
    assert (missing.status, missing.error_code, missing.error_message) == (
        ActivityStatus.FAILED, "file_not_found", "No such file")


def test_a_result_whose_call_is_elsewhere_is_still_shown() -> None:
    (activity,) = fold_server_tools(SEARCH[1:])
    assert activity.kind == ActivityKind.SEARCH and activity.status == ActivityStatus.DONE
    assert len(activity.hits) == 2


def test_error_code_lists_match_the_sdk() -> None:
    """Every code the SDK's types define is listed, so the interface has words for each."""
    assert set(sta.SEARCH_ERROR_CODES) == set(typing.get_args(WebSearchToolResultErrorCode))
    assert set(sta.FETCH_ERROR_CODES) == set(typing.get_args(WebFetchToolResultErrorCode))
    assert set(sta.CODE_ERROR_CODES) == set(typing.get_args(CodeExecutionToolResultErrorCode))
    assert set(sta.BASH_ERROR_CODES) == set(
        typing.get_args(BashCodeExecutionToolResultErrorCode))
    assert set(sta.EDITOR_ERROR_CODES) == set(
        typing.get_args(TextEditorCodeExecutionToolResultErrorCode))


def test_wrong_types_inside_valid_json_give_less_not_an_exception() -> None:
    hostile = [
        {"type": "server_tool_use", "id": 5, "name": ["web_search"], "input": "query"},
        {"type": "server_tool_use", "id": "srvtoolu_7", "name": "web_search", "input": None},
        {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_7", "content": [
            None, 3, {"type": "web_search_result", "url": 7, "title": None}]},
        {"type": "server_tool_use", "id": "srvtoolu_8", "name": "bash_code_execution",
         "input": {"command": ["rm"]}},
        {"type": "bash_code_execution_tool_result", "tool_use_id": "srvtoolu_8", "content": {
            "type": "bash_code_execution_result", "stdout": 1, "return_code": "0",
            "content": "file"}},
        {"type": "web_fetch_tool_result", "tool_use_id": {}, "content": []},
        "text", None, 4,
    ]
    first, search, bash = fold_server_tools(hostile)
    assert first.kind == ActivityKind.OTHER
    assert search.hits == (SearchHit("", "", ""),)
    assert bash.output is not None and bash.output.return_code is None
    assert fold_server_tools("not a list") == ()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from([
        "type", "id", "name", "input", "tool_use_id", "content", "url", "title", "query",
        "stdout", "stderr", "return_code", "file_id", "error_code", "lines", "total_lines",
        "command", "code", "path", "retrieved_at", "page_age", "is_file_update"]),
        children, max_size=6),
    max_leaves=30)
TYPES = st.sampled_from(["server_tool_use", *sta.RESULT_TYPES, "web_search_result",
                         "bash_code_execution_result", "web_fetch_result", "text"])
BLOCK = st.builds(lambda kind, rest: {**rest, "type": kind, "id": "srvtoolu_x",
                                      "tool_use_id": "srvtoolu_x"} if isinstance(rest, dict)
                  else rest, TYPES, JSON)


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(BLOCK | JSON, max_size=6))
def test_any_json_folds_without_raising(content: list[object]) -> None:
    json.dumps(content)  # valid JSON, as a history file holds
    for activity in fold_server_tools(content):
        assert isinstance(activity.query, str) and isinstance(activity.code, str)
        for hit in activity.hits:
            assert isinstance(hit.url, str) and isinstance(hit.title, str)
    produced_in(content)
