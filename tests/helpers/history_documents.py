"""A conversation document that uses every part of the history format, ways to spoil it, and
what "Cairn can use it" means (shared by the schema tests, the loader and start-up fuzzing and
the GUI tests of a poisoned history)."""

from __future__ import annotations

import json
import random
from typing import Any

from desktop_app.core.catalog import Catalog
from desktop_app.core.conversation import Conversation
from desktop_app.core.conversation_summary import ConversationSummary
from desktop_app.core.cost import Price, TokenCounts, caching_saved, cost_of_usage
from desktop_app.core.export_markdown import conversation_to_markdown
from desktop_app.core.options import ChatOptions
from desktop_app.core.request import RequestError, build_request, effective_options

SHA_IMAGE = "3f2a9c0d1e2b4a5f8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6ac1"
SHA_PDF = "b" * 64
PRICE = Price(input=3.0, output=15.0, cache_write_5m=3.75, cache_write_1h=6.0, cache_read=0.3)


def rich_document(conversation_id: str = "conv_rich", title: str = "Everything") -> dict[str, Any]:
    """A valid schema-1 document with every kind of field and block Cairn knows, plus fields
    and a block type it does not (kept as they are)."""
    return {
        "schema": 1,
        "id": conversation_id,
        "title": title,
        "created_at": "2026-11-25T04:31:54.950Z",
        "updated_at": "2026-11-25T04:40:00.000Z",
        "model": "claude-opus-4-7",
        "system_prompt": "Answer briefly.",
        "options": ChatOptions().to_json(),
        "pinned": True,
        "model_chosen": True,
        "auxiliary_usage": [{"purpose": "title", "model": "claude-haiku-4-5",
                             "usage": {"input_tokens": 40, "output_tokens": 6},
                             "created_at": "2026-11-25T04:32:00.000Z"}],
        "folder": {"name": "Work", "tags": ["a", {"deep": [1, 2, None]}]},
        "messages": [
            {"id": "msg_q1", "role": "user", "created_at": "2026-11-25T04:31:55.000Z",
             "content": [
                 {"type": "text", "text": "Look at these"},
                 {"type": "image", "source": {"type": "cairn_attachment", "sha256": SHA_IMAGE,
                                              "media_type": "image/jpeg"},
                  "cairn": {"name": "photo.jpg", "width": 1568, "height": 1176, "bytes": 240113}},
                 {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}},
                 {"type": "document", "source": {"type": "cairn_attachment", "sha256": SHA_PDF,
                                                 "media_type": "application/pdf"},
                  "cairn": {"name": "paper.pdf", "pages": 3, "bytes": 5000}},
             ]},
            {"id": "msg_a1", "role": "assistant", "created_at": "2026-11-25T04:31:56.000Z",
             "state": "complete", "model": "claude-opus-4-7",
             "content": [
                 {"type": "compaction", "content": "Earlier: greetings."},
                 {"type": "thinking", "thinking": "Let me look.", "signature": "c2lnbmVk"},
                 {"type": "redacted_thinking", "data": "ZW5jcnlwdGVk"},
                 {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search",
                  "input": {"query": "cairns"}},
                 {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1",
                  "content": [{"type": "web_search_result", "url": "https://example.com",
                               "title": "Cairns", "encrypted_content": "eA=="}]},
                 {"type": "text", "text": "A photo, a link and a paper.",
                  "citations": [{"type": "web_search_result_location",
                                 "url": "https://example.com", "cited_text": "stones"}]},
                 {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {"q": [1]}},
                 {"type": "future_block", "payload": {"x": [1, 2, 3]}},
             ],
             "usage": {"input_tokens": 1200, "output_tokens": 154,
                       "cache_creation_input_tokens": 100, "cache_read_input_tokens": 900,
                       "cache_creation": {"ephemeral_5m_input_tokens": 100,
                                          "ephemeral_1h_input_tokens": 0},
                       "iterations": [{"type": "compaction", "input_tokens": 5000,
                                       "output_tokens": 300},
                                      {"type": "message", "input_tokens": 1200,
                                       "output_tokens": 154}],
                       "service_tier": "standard"},
             "stop_reason": "tool_use", "stop_sequence": None, "stop_details": None,
             "finished_at": "2026-11-25T04:31:58.000Z", "system_sha256": "0123456789abcdef",
             "reactions": ["👍"]},
            {"id": "msg_q2", "role": "user", "created_at": "2026-11-25T04:32:01.000Z",
             "content": [{"type": "tool_result", "tool_use_id": "toolu_1",
                          "content": [{"type": "text", "text": "found"}], "is_error": False},
                         {"type": "text", "text": "And now?"}]},
            {"id": "msg_a2", "role": "assistant", "created_at": "2026-11-25T04:32:02.000Z",
             "state": "failed", "model": "claude-opus-4-7", "content": [
                 {"type": "text", "text": "Partial "}],
             "usage": {"input_tokens": 10, "output_tokens": 2,
                       "per_request": [{"input_tokens": 5, "output_tokens": 1},
                                       {"input_tokens": 5, "output_tokens": 1}]},
             "stop_reason": None, "stop_sequence": None, "finished_at": None,
             "error": {"kind": "rate_limit", "message": "Slow down.", "status": 429,
                       "retry_after": 2.5, "request_id": "req_1", "retryable": True}},
            {"id": "msg_q3", "role": "user", "created_at": "2026-11-25T04:33:00.000Z",
             "purpose": "continue", "content": "Go on."},
            {"id": "msg_a3", "role": "assistant", "created_at": "2026-11-25T04:33:01.000Z",
             "state": "streaming", "model": "claude-opus-4-7", "excluded": "refusal",
             "content": [{"type": "text", "text": "Still arriving"}], "usage": None},
        ],
        "branches": [
            {"parent": "msg_q1", "messages": [
                {"id": "msg_old", "role": "assistant", "created_at": "2026-11-25T04:31:55.500Z",
                 "state": "stopped", "model": "claude-opus-4-7",
                 "content": [{"type": "text", "text": "An older answer"}]}]},
            {"parent": None, "messages": [
                {"id": "msg_first", "role": "user", "created_at": "2026-11-25T04:31:54.000Z",
                 "content": [{"type": "text", "text": "First try"}]}]},
        ],
    }


def json_copy(value: Any) -> Any:
    """A deep copy, as a file would give it (also for values nested too deep for deepcopy)."""
    return json.loads(json.dumps(value))


# -- spoiling a document ------------------------------------------------------------------------

Path_ = tuple[Any, ...]


def node_paths(document: Any) -> list[Path_]:
    """Every place in a document (dict keys and list indexes), the document itself first."""
    found: list[Path_] = [()]
    stack: list[tuple[Path_, Any]] = [((), document)]
    while stack:
        path, value = stack.pop()
        children = (value.items() if isinstance(value, dict)
                    else enumerate(value) if isinstance(value, list) else ())
        for key, child in children:
            found.append((*path, key))
            stack.append(((*path, key), child))
    return found


def _get(document: Any, path: Path_) -> Any:
    for key in path:
        document = document[key]
    return document


def _set(document: Any, path: Path_, value: Any) -> Any:
    if not path:
        return value
    _get(document, path[:-1])[path[-1]] = value
    return document


def other_json_value(rng: random.Random, depth: int = 0) -> Any:
    """Any JSON value, often of another type than the one it replaces."""
    kind = rng.randrange(11 if depth < 2 else 8)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 1, 2**63, -(2**70), 7])
    if kind == 3:
        return rng.choice([0.5, -2.5, 1e308, float("nan"), float("inf"), 1.0])
    if kind in (4, 5):
        return rng.choice(["", "x", "text", "conv_x", "image", "cairn_attachment", "assistant",
                           "\ud800", "a\udcffb", "‮evil", "ab" * 32, "2026-01-01T00:00:00Z"])
    if kind == 6:
        return rng.choice(["user", "text", "image", "thinking", "tool_use", "base64", "url"])
    if kind == 7:
        return []
    if kind == 8:
        return [other_json_value(rng, depth + 1) for _ in range(rng.randrange(3))]
    if kind == 9:
        return {rng.choice(["type", "text", "source", "x", "id", "role"]):
                other_json_value(rng, depth + 1) for _ in range(rng.randrange(3))}
    return {}


def spoil(document: dict[str, Any], rng: random.Random,
          long_text: tuple[int, ...] = (100_000, 1_000_000)) -> Any:
    """The document with one to three changes a hand edit, another program or an attacker
    might make: a value of another JSON type, a key removed, a value nested deeply, a huge
    string, lone surrogates, a message repeated, one part moved into another's place."""
    result: Any = json_copy(document)
    for _ in range(rng.randint(1, 3)):
        paths = node_paths(result)
        path = rng.choice(paths)
        action = rng.randrange(8)
        if action == 0:
            result = _set(result, path, other_json_value(rng))
        elif action == 1 and path and isinstance(_get(result, path[:-1]), dict):
            del _get(result, path[:-1])[path[-1]]
        elif action == 1 and path:
            _get(result, path[:-1]).pop(path[-1])
        elif action == 2:
            value: Any = _get(result, path)
            for _level in range(rng.choice([2, 40, 70, 300])):
                value = [value] if rng.random() < 0.5 else {"x": value}
            result = _set(result, path, value)
        elif action == 3:
            result = _set(result, path, rng.choice(["x", "word ", "é"]) * rng.choice(long_text))
        elif action == 4:
            result = _set(result, path, rng.choice(["\ud800", "text \udfff end", "\udcff" * 50]))
        elif action == 5 and isinstance(result, dict) and isinstance(result.get("messages"),
                                                                       list) and result["messages"]:
            messages = result["messages"]
            messages.insert(rng.randrange(len(messages) + 1), json_copy(rng.choice(messages)))
        elif action == 6:
            other = rng.choice(paths)
            result = _set(result, path, json_copy(_get(result, other)))
        elif action == 7 and path:
            parent = _get(result, path[:-1])
            if isinstance(parent, dict):
                parent[rng.choice(["type", "role", "source", "sha256", "text", "usage", "new"])] \
                    = other_json_value(rng)
    return result


# -- "Cairn can use it" -------------------------------------------------------------------------

def use_everything(conversation: Conversation) -> None:
    """What the sidebar, search, the message view, costs, export and sending read of a
    conversation: none of it may raise for a conversation that loaded."""
    ConversationSummary.of(conversation)
    conversation.end_interrupted_replies()
    conversation.alternative_positions()
    for message in conversation.all_messages():
        assert isinstance(message.text, str) and isinstance(message.thinking, str)
        TokenCounts.from_usage(message.usage)
        cost_of_usage(message.usage, PRICE)
        caching_saved(message.usage, PRICE)
        if message.error is not None:
            assert isinstance(message.error.message, str)
        conversation.alternatives(message.id)
    for aux in conversation.auxiliary_usage:
        cost_of_usage(aux["usage"], PRICE)
    conversation_to_markdown(conversation, "files", include_thinking=True)
    options = effective_options(ChatOptions(), conversation)
    for model in Catalog.fallback().models[:3]:
        for thinking in (True, False):
            conversation.api_messages(thinking=thinking, system=conversation.system_prompt)
        try:
            plan = build_request(conversation, options, model)
        except RequestError:
            continue  # e.g. nothing to send: said in words, never sent
        assert isinstance(plan.kwargs.get("system", ""), str | list)
        json.dumps(plan.kwargs)


def loads_and_round_trips(document: Any) -> Conversation | None:
    """The conversation if Conversation.from_json takes the document (then it round-trips
    and can be used), None if it is refused with a clear reason (a ValueError)."""
    try:
        conversation = Conversation.from_json(json_copy(document))
    except ValueError as exc:
        assert str(exc).strip(), "a refusal says why"
        return None
    saved = json.dumps(conversation.to_json(1))
    again = Conversation.from_json(json.loads(saved))
    assert json.dumps(again.to_json(1)) == saved
    use_everything(again)
    return again
