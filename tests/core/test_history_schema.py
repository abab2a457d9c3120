"""The history format as a schema (core/history_schema.py): what it accepts, what it refuses
and why, what Cairn writes, and the docs that describe it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.conversation import Conversation, Message, ReplyState
from desktop_app.core.history_schema import (
    DESCRIBED_VERSION,
    HISTORY_SCHEMA,
    MAX_FREE_DEPTH,
    HistoryFormatError,
    check_conversation,
    check_message,
)
from desktop_app.core.images import stored_document_block, stored_image_block, url_image_block
from desktop_app.core.options import ChatOptions
from desktop_app.core.request import effective_options
from desktop_app.storage.history_store import SCHEMA_VERSION
from tests.helpers.history_documents import json_copy, loads_and_round_trips, rich_document

DOCS = Path(__file__).resolve().parents[2] / "docs"


def with_change(path: str, value: Any, document: dict[str, Any] | None = None) -> dict[str, Any]:
    """The rich document with the value at ``path`` (``a.b[0].c``) replaced (``...`` removes
    it)."""
    result = json_copy(document or rich_document())
    parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]
    parent = result
    for part in parts[:-1]:
        parent = parent[part]
    if value is ...:
        del parent[parts[-1]]
    else:
        parent[parts[-1]] = value
    return result


def test_the_rich_document_is_valid_and_round_trips() -> None:
    document = rich_document()
    check_conversation(document)
    conversation = loads_and_round_trips(document)
    assert conversation is not None
    assert conversation.extra["folder"] == document["folder"]
    assert conversation.messages[1].content[-1] == {"type": "future_block",
                                                    "payload": {"x": [1, 2, 3]}}


def test_what_cairn_itself_writes_matches_the_schema() -> None:
    from desktop_app.core.images import PreparedDocument, PreparedImage

    conversation = Conversation(system_prompt="Be brief.", options=ChatOptions().to_json())
    image = PreparedImage(data=b"x", media_type="image/png", width=10, height=20,
                          original_width=10, original_height=20, original_bytes=1,
                          name="a.png", sha256="c" * 64, estimated_tokens=1)
    document = PreparedDocument(data=b"%PDF-", name="a.pdf", sha256="d" * 64, page_count=None)
    conversation.add_user_message("look", [stored_image_block(image),
                                           stored_document_block(document),
                                           url_image_block("https://example.com/x.png")])
    reply = conversation.start_reply("claude-x")
    reply.content = [{"type": "thinking", "thinking": "", "signature": ""},
                     {"type": "text", "text": ""}, {"type": "compaction"}]
    conversation.add_continue_request()
    conversation.fork_at(reply.id)
    conversation.auxiliary_usage.append({"purpose": "title", "model": "m",
                                         "usage": {"input_tokens": 1}, "created_at": "t"})
    conversation.stamp_system_prompt()
    check_conversation(json_copy(conversation.to_json(SCHEMA_VERSION)))


def test_the_schema_describes_the_version_cairn_writes() -> None:
    assert DESCRIBED_VERSION == SCHEMA_VERSION


# (where, new value or ... to remove it, words of the reason)
REFUSED: list[tuple[str, Any, str]] = [
    ("messages[0].content[0].text", 5, "messages[0].content[0].text must be a string, not an integer"),
    ("messages[0].content[1].source.sha256", ..., "messages[0].content[1].source.sha256 is missing"),
    ("messages[0].content[1].source.sha256", "3f2a…c1", "must be 64 lowercase hexadecimal digits"),
    ("messages[0].content[1].source.sha256", "A" * 64, "must be 64 lowercase hexadecimal"),
    ("messages[0].content[1].source.media_type", "image/bmp", '"image/webp", not "image/bmp"'),
    ("messages[0].content[3].source.media_type", "image/png", 'must be "application/pdf"'),
    ("messages[0].content[1].source", "photo.jpg", "source must be an object, not a string"),
    ("messages[0].content[1].cairn.width", "wide", "width must be an integer or null"),
    ("messages[0].content[2].source.url", ..., "source.url is missing"),
    ("messages[0].content[0]", "hello", "content[0] must be an object, not a string"),
    ("messages[0].content[0].type", None, "type must be a string, not null"),
    ("messages[1].usage", "lots", "messages[1].usage must be an object or null, not a string"),
    ("messages[1].usage.input_tokens", "12", "input_tokens must be an integer or null"),
    ("messages[1].usage.output_tokens", -3, "must be at least 0"),
    ("messages[1].usage.iterations", 5, "iterations must be an array or null"),
    # found by fuzzing: a NaN count in an iteration reached cost.py's int()
    ("messages[1].usage.iterations[0].input_tokens", float("nan"), "must be an integer or null"),
    ("messages[1].usage.iterations[1].type", ["message"], "type must be a string or null"),
    ("messages[1].model", ["claude"], "messages[1].model must be a string or null, not an array"),
    ("messages[1].state", 3, "state must be a string, not an integer"),
    ("messages[1].stop_reason", {"why": 1}, "stop_reason must be a string or null"),
    ("messages[1].content[1].thinking", None, "thinking must be a string, not null"),
    ("messages[1].content[2].data", ..., "data is missing"),
    ("messages[1].content[3].input", "q", "input must be an object, not a string"),
    ("messages[1].content[4].tool_use_id", ..., "tool_use_id is missing"),
    ("messages[1].content[5].citations", "none", "citations must be an array or null"),
    ("messages[1].content[0].content", ["summary"], "content must be a string or null"),
    ("messages[2].content[0].tool_use_id", 7, "tool_use_id must be a string"),
    ("messages[3].error", "boom", "error must be an object or null, not a string"),
    ("messages[3].error.retry_after", "soon", "retry_after must be a number or null"),
    ("messages[3].error.retry_after", float("nan"), "must be a finite number, not NaN"),
    ("messages[3].error.status", 429.0, "status must be an integer or null, not a number"),
    ("messages[0].role", "system", 'role must be "user" or "assistant", not "system"'),
    ("messages[0].role", ..., "messages[0].role is missing"),
    ("messages[0].id", 17, "messages[0].id must be a string"),
    ("messages[0].created_at", 1_700_000_000, "created_at must be a string, not an integer"),
    ("messages[0]", [], "messages[0] must be an object, not an array"),
    ("messages", {"0": {}}, "messages must be an array, not an object"),
    ("model", ["a", "b"], "model must be a string or null, not an array"),
    ("system_prompt", {"text": "hi"}, "system_prompt must be a string, not an object"),
    ("system_prompt", None, "system_prompt must be a string, not null"),
    ("system_prompt", "Be \ud800 brief", "system_prompt holds a character that cannot be sent"),
    ("title", 3, "title must be a string"),
    ("created_at", 20260101, "created_at must be a string, not an integer"),
    ("updated_at", None, "updated_at must be a string, not null"),
    ("options", "fast", "options must be an object"),
    ("options.max_tokens", "big", "options.max_tokens must be an integer, not a string"),
    ("options.compaction", "yes", "compaction must be true or false"),
    ("options.effort", 3, "effort must be a string"),
    ("pinned", "yes", "pinned must be true or false, not a string"),
    ("auxiliary_usage[0].usage", ..., "auxiliary_usage[0].usage is missing"),
    ("auxiliary_usage[0].model", 4, "model must be a string or null"),
    ("auxiliary_usage[0]", 1, "auxiliary_usage[0] must be an object"),
    ("branches[0].messages", [], "branches[0].messages must not be empty"),
    ("branches[0].parent", 3, "parent must be a string or null, not an integer"),
    ("branches[0].messages[0].content[0].text", [], "branches[0].messages[0].content[0].text"),
    ("id", "../../etc/passwd", "invalid conversation id"),
    ("id", "conv_x\n", "invalid conversation id"),
    ("id", ..., "id is missing"),
    ("schema", "one", "schema must be an integer"),
    ("schema", 0, "schema must be at least 1"),
    ("schema", True, "schema must be an integer, not true or false"),
    ("messages[3].id", "msg_q1", 'messages[3].id repeats the message id "msg_q1"'),
    ("branches[0].messages[0].id", "msg_a1", 'repeats the message id "msg_a1"'),
]


@pytest.mark.parametrize(("where", "value", "words"), REFUSED,
                         ids=[f"{w}={v!r:.20}" for w, v, _ in REFUSED])
def test_a_document_off_the_format_is_refused_saying_where_and_why(
        where: str, value: Any, words: str) -> None:
    document = with_change(where, value)
    with pytest.raises(HistoryFormatError) as info:
        check_conversation(document)
    assert words in str(info.value)
    with pytest.raises(ValueError, match=re.escape(words)):  # what the importers see
        Conversation.from_json(document)


def test_deep_nesting_is_refused_where_the_schema_does_not_describe_it() -> None:
    nested: Any = "bottom"
    for _ in range(MAX_FREE_DEPTH + 1):
        nested = [nested]
    for where in ("folder", "messages[0].reactions", "messages[1].content[3].input.q",
                  "messages[1].stop_details", "messages[1].content[7].payload",
                  "messages[1].usage.iterations[0].x"):
        with pytest.raises(HistoryFormatError, match="nested more than 64 levels"):
            check_conversation(with_change(where, {"x": nested}))
    shallow: Any = "bottom"
    for _ in range(MAX_FREE_DEPTH - 2):
        shallow = [shallow]
    assert loads_and_round_trips(with_change("folder", {"x": shallow})) is not None


def test_unknown_block_and_source_types_and_fields_are_kept() -> None:
    document = with_change("messages[0].content[2].source", {"type": "file", "file_id": "f_1"})
    document["messages"][0]["content"].append(
        {"type": "image", "source": {"type": "holographic", "ref": 7}})
    document["messages"][0]["content"].append({"type": "brand_new", "text": 5, "source": None})
    document["messages"][0]["content"][0]["x-new"] = [1, 2]
    conversation = loads_and_round_trips(document)
    assert conversation is not None
    assert conversation.messages[0].content[-1] == {"type": "brand_new", "text": 5,
                                                    "source": None}


def test_missing_optional_fields_read_with_their_defaults() -> None:
    conversation = Conversation.from_json({
        "id": "conv_min", "title": "", "created_at": "2026-01-01T00:00:00.000Z",
        "messages": [{"role": "user", "content": "plain"},
                     {"role": "assistant", "id": "", "content": []}]})
    assert conversation.title == "New chat" and conversation.system_prompt == ""
    assert conversation.updated_at == "2026-01-01T00:00:00.000Z"
    assert conversation.options == {} and conversation.branches == []
    first, second = conversation.messages
    assert first.content == [{"type": "text", "text": "plain"}]
    assert first.id.startswith("msg_") and second.id.startswith("msg_")
    assert second.state is ReplyState.COMPLETE and second.usage is None


def test_values_of_the_right_type_that_cairn_does_not_know_are_narrowed() -> None:
    document = with_change("messages[1].state", "paused_by_a_newer_cairn")
    document["options"] = {"effort": "ludicrous", "budget_tokens": 0, "thinking": "sometimes"}
    conversation = Conversation.from_json(document)
    assert conversation.messages[1].state is ReplyState.FAILED  # shown with Retry
    assert conversation.options["effort"] == "ludicrous"  # kept in the file...
    assert effective_options(ChatOptions(), conversation) == ChatOptions()  # ...not used


def test_message_and_branch_from_json_check_their_part() -> None:
    with pytest.raises(HistoryFormatError, match=r"content\[0\].text must be a string"):
        Message.from_json({"role": "user", "content": [{"type": "text", "text": 1}]})
    with pytest.raises(HistoryFormatError, match="the message must be an object"):
        check_message("hello")


def test_error_messages_show_hostile_values_safely() -> None:
    with pytest.raises(HistoryFormatError) as info:
        check_conversation(with_change("messages[0].role", "\ud800" + "x" * 200))
    text = str(info.value)
    assert len(text) < 200
    text.encode("utf-8")  # no lone surrogate left: it can be shown, logged and translated


# -- the docs ----------------------------------------------------------------------------------


def test_docs_schema_file_is_the_schema() -> None:
    """docs/history-schema.json is HISTORY_SCHEMA. After changing the schema, write it again:
    python -c "import json; from desktop_app.core.history_schema import HISTORY_SCHEMA as S;
    open('docs/history-schema.json', 'w').write(json.dumps(S, indent=2, ensure_ascii=False)
    + chr(10))" """
    written = json.loads((DOCS / "history-schema.json").read_text(encoding="utf-8"))
    assert written == json_copy(HISTORY_SCHEMA)


def test_every_example_in_the_history_format_docs_matches_the_schema() -> None:
    text = (DOCS / "history-format.md").read_text(encoding="utf-8")
    examples = re.findall(r"```json\n(.*?)```", text, flags=re.S)
    assert len(examples) >= 4
    kinds = []
    for example in examples:
        data = json.loads(example)  # every example is whole JSON
        if "schema" in data:
            kinds.append("conversation")
            check_conversation(data)
        elif "role" in data:
            kinds.append("message")
            check_message(data)
        elif "branches" in data:
            kinds.append("branches")
            check_conversation({"id": "conv_docs", "messages": [
                {"id": "msg_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b", "role": "user", "content": []}],
                **data})
        else:
            kinds.append(data["type"])
            check_message({"role": "user", "content": [data]})
    assert {"conversation", "message", "branches", "image"} <= set(kinds)


def test_the_docs_name_the_schema_and_its_rules() -> None:
    text = (DOCS / "history-format.md").read_text(encoding="utf-8")
    assert "history-schema.json" in text and "## What Cairn accepts" in text
