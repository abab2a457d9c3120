"""Requests with Claude's own tools: calls without a result left out, the container sent, the
container kept between turns, version tags from the SDK and their fallback, web searches
priced, and the settings that hold the choices."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal, TypedDict

import pytest

from desktop_app.api.server_tool_versions import ServerToolVersions, sdk_versions
from desktop_app.core.catalog import ModelInfo
from desktop_app.core.containers import (
    container_for_request,
    refused_container,
    remember_container,
    stored_container,
)
from desktop_app.core.conversation import Conversation, ErrorInfo, Message
from desktop_app.core.conversation_bill import conversation_cost, message_usage
from desktop_app.core.cost import PriceTable, TokenCounts
from desktop_app.core.options import ChatOptions
from desktop_app.core.request import build_request
from desktop_app.core.server_calls import drop_unanswered_server_calls, unanswered_server_calls
from desktop_app.core.server_tools import ServerToolOptions
from desktop_app.core.settings import Settings

MODEL = ModelInfo("claude-x", "X")
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def use(ident: str, name: str = "web_search") -> dict[str, Any]:
    return {"type": "server_tool_use", "id": ident, "name": name, "input": {"query": "q"}}


def result(ident: str, kind: str = "web_search_tool_result") -> dict[str, Any]:
    return {"type": kind, "tool_use_id": ident, "content": []}


# -- calls without their result ----------------------------------------------------------------


def test_unanswered_calls_are_found_and_dropped_in_place() -> None:
    content = [{"type": "text", "text": "Looking."}, use("a"), result("a"), use("b"),
               use("c", "code_execution"), result("c", "bash_code_execution_tool_result")]
    assert [b["id"] for b in unanswered_server_calls(content)] == ["b"]
    assert drop_unanswered_server_calls(content) == ["b"]
    assert [b.get("id") or b.get("tool_use_id") for b in content[1:]] == ["a", "a", "c", "c"]
    assert drop_unanswered_server_calls(content) == []


def conversation_with(*messages: Message) -> Conversation:
    return Conversation(messages=list(messages))


def test_a_request_never_sends_a_call_without_its_result() -> None:
    stopped = Message(role="assistant", content=[{"type": "text", "text": "Let me look."},
                                                 use("x")])
    conversation = conversation_with(Message(role="user", content=[{"type": "text", "text": "Q"}]),
                                     stopped,
                                     Message(role="user", content=[{"type": "text", "text": "Go"}]))
    plan = build_request(conversation, ChatOptions(), MODEL)
    assert plan.dropped_server_calls == ["x"]
    assert [m["role"] for m in plan.kwargs["messages"]] == ["user", "assistant", "user"]
    assert plan.kwargs["messages"][1]["content"] == [{"type": "text", "text": "Let me look."}]
    assert len(stopped.content) == 2  # the history keeps what arrived


def test_a_turn_left_empty_is_merged_away() -> None:
    conversation = conversation_with(
        Message(role="user", content=[{"type": "text", "text": "Q"}]),
        Message(role="assistant", content=[use("x")]),
        Message(role="user", content=[{"type": "text", "text": "Again"}]))
    messages = build_request(conversation, ChatOptions(), MODEL).kwargs["messages"]
    assert messages == [{"role": "user", "content": [{"type": "text", "text": "Q"},
                                                     {"type": "text", "text": "Again"}]}]


def test_tools_and_container_go_as_given() -> None:
    conversation = conversation_with(Message(role="user", content=[{"type": "text", "text": "Q"}]))
    tools = [{"type": "web_search_20260318", "name": "web_search"}, {"name": "srv__t"}]
    kwargs = build_request(conversation, ChatOptions(), MODEL, tools=tools,
                           container="container_1").kwargs
    assert kwargs["tools"] == tools and kwargs["container"] == "container_1"
    assert "container" not in build_request(conversation, ChatOptions(), MODEL).kwargs


def test_a_file_given_to_code_execution_goes_as_a_note_once_code_execution_is_off() -> None:
    """The API refuses a ``container_upload`` block in a request that does not offer code
    execution: the conversation can still go on after it is turned off."""
    upload = {"type": "container_upload", "file_id": "file_011abc",
              "cairn": {"name": "tides.csv", "bytes": 120, "media_type": "text/csv"}}
    conversation = conversation_with(
        Message(role="user", content=[upload, {"type": "text", "text": "Plot it"}]),
        Message(role="assistant", content=[{"type": "text", "text": "Done."}]),
        Message(role="user", content=[{"type": "text", "text": "Thanks"}]))
    code = [{"type": "code_execution_20250825", "name": "code_execution"}]
    with_code = build_request(conversation, ChatOptions(), MODEL, tools=code).kwargs
    assert with_code["messages"][0]["content"][0]["type"] == "container_upload"
    for tools in (None, [{"type": "web_search_20260318", "name": "web_search"}]):
        sent = build_request(conversation, ChatOptions(), MODEL, tools=tools).kwargs
        first = sent["messages"][0]["content"][0]
        assert first == {"type": "text", "text": "[The file tides.csv was given to code "
                         "execution here; code execution is not available now, so the file "
                         "is not.]"}
    assert conversation.messages[0].content[0] is upload  # the history keeps the upload


# -- the container ---------------------------------------------------------------------------------


def test_the_container_a_reply_used_is_kept_and_sent_while_it_lives() -> None:
    extra: dict[str, Any] = {}
    later = (NOW + timedelta(minutes=30)).isoformat()
    assert remember_container(extra, {"id": "container_1", "expires_at": later, "skills": []})
    assert not remember_container(extra, {"id": "container_1", "expires_at": later})
    assert extra["container"] == {"id": "container_1", "expires_at": later}
    assert container_for_request(extra, NOW) == ("container_1", False)
    assert container_for_request(extra, NOW + timedelta(minutes=29, seconds=45)) == (None, True)
    assert "container" not in extra  # told once
    assert container_for_request(extra, NOW) == (None, False)


@pytest.mark.parametrize("junk", [None, "container_1", [], {"id": 3, "expires_at": "x"},
                                  {"id": "", "expires_at": "2026-01-01T00:00:00Z"}])
def test_a_malformed_container_entry_is_neither_sent_nor_told(junk: Any) -> None:
    extra = {"container": junk}
    assert stored_container(extra) is None
    assert container_for_request(extra, NOW) == (None, False)
    assert not remember_container({}, junk if isinstance(junk, dict) else None)


def test_an_unknown_expiry_is_sent_and_a_refusal_recognised() -> None:
    extra = {"container": {"id": "container_1", "expires_at": "soon"}}
    assert container_for_request(extra, NOW) == ("container_1", False)
    assert refused_container("container: Container 'container_1' has expired.", "container_1")
    assert not refused_container("tools.0: something else", "container_1")
    assert not refused_container("anything", None)


# -- versions ----------------------------------------------------------------------------------------


def test_versions_come_from_the_sdk_newest_first() -> None:
    versions = sdk_versions()
    assert versions["web_search"][0] == "web_search_20260318"
    assert versions["web_search"][-1] == "web_search_20250305"
    assert versions["code_execution"][0] == "code_execution_20260521"
    assert list(versions["web_fetch"]) == sorted(versions["web_fetch"], reverse=True)


def test_versions_read_the_type_field_not_the_class_name() -> None:
    class WebSearchTool20990101Param(TypedDict):  # shaped like the SDK's
        type: Literal["web_search_20990101"]

    class WebFetchTool20990101Param(TypedDict):  # its tag is not a web_fetch one
        type: Literal["something_else"]

    fake = SimpleNamespace(WebSearchTool20990101Param=WebSearchTool20990101Param,
                           WebFetchTool20990101Param=WebFetchTool20990101Param)
    found = sdk_versions(fake)
    assert found["web_search"] == ("web_search_20990101",)
    assert found["web_fetch"] == ("web_fetch_20250910",)  # the default, nothing found


def refusal(tag: str, status: int = 400) -> ErrorInfo:
    return ErrorInfo("bad_request", "The API rejected the request.", status=status,
                     facts={"detail": f"tools.0: Input tag '{tag}' found using 'type' does "
                                      "not match any of the expected tags"})


def test_a_refused_tag_steps_down_for_that_model_only() -> None:
    versions = ServerToolVersions({"web_search": ("ws_3", "ws_2", "ws_1"),
                                   "code_execution": ("ce_2", "ce_1")})
    sent = [{"type": "ws_3", "name": "web_search"}, {"type": "ce_2", "name": "code_execution"}]
    assert versions.fall_back("m", refusal("ws_3"), sent)
    assert versions.for_model("m") == {"web_search": "ws_2", "code_execution": "ce_2"}
    words = ErrorInfo("bad_request", "x", status=400,
                      facts={"detail": "tools.1: this model does not support ce_2."})
    assert versions.fall_back("m", words, sent)
    assert versions.for_model("m") == {"web_search": "ws_2", "code_execution": "ce_1"}
    assert versions.for_model("other") == {"web_search": "ws_3", "code_execution": "ce_2"}
    sent[0]["type"] = "ws_2"
    assert versions.fall_back("m", refusal("ws_2"), sent)
    sent[0]["type"] = "ws_1"
    assert not versions.fall_back("m", refusal("ws_1"), sent)  # none older: the error shows
    assert versions.for_model("m")["web_search"] == "ws_1"


@pytest.mark.parametrize("error", [
    refusal("ws_3", status=500),
    ErrorInfo("bad_request", "x", status=400, facts={"detail": "messages.0: bad"}),
    refusal("ws_30"),  # another, longer tag
    ErrorInfo("bad_request", "x", status=400,  # a value refused, not the version
              facts={"detail": "tools.0.ws_3.user_location.timezone: Invalid timezone"}),
])
def test_other_errors_do_not_step_down(error: ErrorInfo) -> None:
    versions = ServerToolVersions({"web_search": ("ws_3", "ws_2")})
    assert not versions.fall_back("m", error, [{"type": "ws_3", "name": "web_search"}])
    assert versions.for_model("m") == {"web_search": "ws_3"}


# -- costs ---------------------------------------------------------------------------------------


PRICE_FILE = Path(__file__).resolve().parents[2] / "resources" / "prices.json"


def test_the_shipped_table_prices_a_search_at_a_cent() -> None:
    table = PriceTable.from_json(json.loads(PRICE_FILE.read_text("utf-8")))
    assert table.web_search == 0.01
    assert table.price("claude-haiku-5-5").web_search == 0.01
    assert table.price("claude-haiku-5-5").for_prompt(200_000).web_search == 0.01


def test_searches_cost_per_search_and_fetches_only_tokens() -> None:
    table = PriceTable.from_json({"server_tools": {"web_search_per_search": 0.01},
                                  "models": {"m": {"input": 1.0, "output": 2.0}}})
    usage = {"input_tokens": 1_000_000, "output_tokens": 0,
             "server_tool_use": {"web_search_requests": 3, "web_fetch_requests": 2}}
    reply = Message(role="assistant", content=[], model="m", usage=usage)
    figures = message_usage(reply, table)
    assert figures.tokens.web_searches == 3 and figures.tokens.web_fetches == 2
    assert figures.cost == pytest.approx(1.0 + 0.03)
    conversation = Conversation(messages=[reply, Message(role="assistant", content=[], model="m",
                                                         usage=usage)])
    assert conversation_cost(conversation, table) == pytest.approx(2 * 1.03)
    assert TokenCounts.from_usage({"server_tool_use": {"web_search_requests": "3"}}).web_searches == 0


def test_a_table_without_server_tools_prices_searches_at_nothing() -> None:
    table = PriceTable.from_json({"models": {"m": {"input": 1.0, "output": 2.0}}})
    assert table.web_search == 0.0
    with pytest.raises(ValueError):
        PriceTable.from_json({"server_tools": {"web_search_per_search": -1}, "models": {}})


# -- settings -------------------------------------------------------------------------------------


def test_settings_keep_the_server_tool_defaults() -> None:
    settings = Settings(server_tools=ServerToolOptions(web_search=True, domains=("ex.org",)),
                        pause_resumes=2)
    data = json.loads(json.dumps(settings.to_json()))
    assert data["server_tools"]["domains"] == ["ex.org"]
    again = Settings.from_json(data)
    assert again.server_tools == settings.server_tools and again.pause_resumes == 2
    assert Settings.from_json({"server_tools": "junk", "pause_resumes": -4}).server_tools == (
        ServerToolOptions())
    assert Settings.from_json({"pause_resumes": 999}).pause_resumes == 50
