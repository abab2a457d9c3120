"""The history format (docs/history-format.md) as data, and the check every reader runs.

``HISTORY_SCHEMA`` is a JSON Schema (draft 2020-12) of one conversation file. Other programs
can use it as it is (``docs/history-schema.json`` is a copy, kept equal by a test); Cairn
checks documents with the small validator below, which understands exactly the keywords the
schema uses. A document is checked once, where it is read (``Conversation.from_json``, which
the history loader and every importer call), before anything is built from it, so nothing
later meets a value of an unexpected type.

What the check decides (docs/history-format.md, *What Cairn accepts*):

- **Refused**: a field this format documents holding another JSON type, a missing required
  field, a role other than ``user``/``assistant``, a known content block (or attachment
  source) without the fields it requires, an attachment reference that is not a SHA-256, the
  same message id twice, and any value nested more than ``MAX_FREE_DEPTH`` levels below the
  parts the schema describes.
- **Kept as they are**: fields the format does not know, content block types and source types
  it does not know (a newer API's), and free-form objects (tool inputs, ``stop_details``...).
- **Read with a default**: optional fields that are missing; a few values the schema allows
  but Cairn cannot use are narrowed where the conversation is built (``state`` it does not
  know reads as ``failed``; option values it does not know are left to the defaults).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from typing import Any, Final

from desktop_app.core.history_format_problems import (
    FormatFact,
    FormatProblem,
    FormatProblemKind,
    HistoryFormatError,
)

__all__ = ["DESCRIBED_VERSION", "HISTORY_SCHEMA", "ID_PATTERN", "IMAGE_MEDIA_TYPES",
           "MAX_FREE_DEPTH", "NO_LONE_SURROGATES", "PDF_MEDIA_TYPE", "SHA256_PATTERN",
           "HistoryFormatError", "check_branch", "check_conversation", "check_message",
           "check_schema_version"]

DESCRIBED_VERSION: Final = 1
"""The history schema version described here (``storage.history_store.SCHEMA_VERSION``)."""
MAX_FREE_DEPTH: Final = 64
"""How deep a free-form value (one the schema does not describe) may nest: far beyond any real
tool input or usage object, and shallow enough that copying or saving it can never exhaust
Python's recursion limit."""

ID_PATTERN: Final = "^[A-Za-z0-9_-]{1,128}$"
SHA256_PATTERN: Final = "^[0-9a-f]{64}$"
# Text Cairn fingerprints and sends as it is (the system prompt) must be Unicode text: JSON can
# carry a lone surrogate (an escape such as \ud800 with no partner), UTF-8 cannot.
NO_LONE_SURROGATES: Final = r"^[^\ud800-\udfff]*$"
IMAGE_MEDIA_TYPES: Final = ("image/jpeg", "image/png", "image/gif", "image/webp")
PDF_MEDIA_TYPE: Final = "application/pdf"

_STRING: Final = {"type": "string"}
_STRING_OR_NULL: Final = {"type": ["string", "null"]}
_OBJECT: Final = {"type": "object"}
_COUNT: Final = {"type": ["integer", "null"], "minimum": 0}


def _block(description: str, required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "type": "object", "required": ["type", *required],
            "properties": {"type": _STRING, **properties}}


def _tool_result(description: str) -> dict[str, Any]:
    return _block(description, ["tool_use_id", "content"], {"tool_use_id": _STRING})


def _dispatch(key: str, cases: dict[str, str]) -> list[dict[str, Any]]:
    """``allOf`` items choosing a definition by the value of ``key`` (values not listed: no
    further rule)."""
    return [{"if": {"properties": {key: {"const": value}}}, "then": {"$ref": f"#/$defs/{name}"}}
            for value, name in cases.items()]


_CAIRN_NOTES: Final = {
    "description": "Cairn's notes on a stored attachment (removed when the block is sent).",
    "type": "object",
    "properties": {
        "name": _STRING_OR_NULL,
        "width": _COUNT,
        "height": _COUNT,
        "bytes": _COUNT,
        "pages": {"description": "null: could not be counted.", **_COUNT},
    },
}

_TOKEN_COUNTS: Final = {
    "input_tokens": _COUNT,
    "output_tokens": _COUNT,
    "cache_creation_input_tokens": _COUNT,
    "cache_read_input_tokens": _COUNT,
    "cache_creation": {"type": ["object", "null"],
                       "properties": {"ephemeral_5m_input_tokens": _COUNT,
                                      "ephemeral_1h_input_tokens": _COUNT}},
}

_SHA256: Final = {"type": "string", "pattern": SHA256_PATTERN,
                  "errorMessage": "must be 64 lowercase hexadecimal digits, not {value}"}

HISTORY_SCHEMA: Final[dict[str, Any]] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": f"Cairn conversation (history schema {DESCRIBED_VERSION})",
    "description": (
        "One conversation file of Cairn's history, as described in docs/history-format.md. "
        "Fields not listed here are allowed and kept; so are content blocks and attachment "
        "sources of types not listed. Cairn also refuses what JSON Schema cannot state: a "
        f"value not described here nested more than {MAX_FREE_DEPTH} levels deep, the same "
        "message id twice (on any path), and 1.0 where an integer is expected."
    ),
    "$ref": "#/$defs/conversation",
    "$defs": {
        "conversation": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "schema": {"description": "Version of the format; newer ones open read-only.",
                           "type": "integer", "minimum": 1},
                "id": {"description": "Also the file name.", "type": "string",
                       "pattern": ID_PATTERN,
                       "errorMessage": "is an invalid conversation id ({value}): it must be "
                                       "1 to 128 letters, digits, '_' or '-'"},
                "title": {"description": "Empty or missing: \"New chat\".", "type": "string"},
                "created_at": {"description": "RFC 3339 UTC; missing or empty: now.",
                               "type": "string"},
                "updated_at": {"description": "RFC 3339 UTC; missing or empty: created_at.",
                               "type": "string"},
                "model": _STRING_OR_NULL,
                "system_prompt": {
                    "description": "Missing: none. Sent as it is, so it must be Unicode text.",
                    "type": "string", "pattern": NO_LONE_SURROGATES,
                    "errorMessage": "holds a character that cannot be sent (a lone surrogate "
                                    "such as \\ud800)"},
                "options": {"$ref": "#/$defs/options"},
                "messages": {"description": "The shown path, oldest first.", "type": "array",
                             "items": {"$ref": "#/$defs/message"}},
                "branches": {"type": "array", "items": {"$ref": "#/$defs/branch"}},
                "pinned": {"type": "boolean"},
                "model_chosen": {"type": "boolean"},
                "auxiliary_usage": {"type": "array",
                                    "items": {"$ref": "#/$defs/auxiliary_usage"}},
            },
        },
        "options": {
            "description": (
                "This conversation's own choices over the global defaults. Values of the right "
                "type that Cairn does not accept (an unknown effort level, a budget below 1) "
                "are kept and the default is used."
            ),
            "type": "object",
            "properties": {
                "thinking": _STRING,
                "effort": _STRING,
                "budget_tokens": {"type": "integer"},
                "cache_ttl": _STRING,
                "compaction": {"type": "boolean"},
                "max_tokens": {"type": "integer"},
            },
        },
        "auxiliary_usage": {
            "description": "A request made for the conversation besides its replies.",
            "type": "object",
            "required": ["usage"],
            "properties": {
                "purpose": _STRING,
                "model": _STRING_OR_NULL,
                "usage": {"type": "object", "$ref": "#/$defs/usage"},
                "created_at": _STRING,
            },
        },
        "branch": {
            "description": "A path kept after an edit or a regenerated reply.",
            "type": "object",
            "required": ["messages"],
            "properties": {
                "parent": {"description": "The message before the fork; null: the start.",
                           "type": ["string", "null"]},
                "messages": {"type": "array", "minItems": 1,
                             "items": {"$ref": "#/$defs/message"}},
            },
        },
        "message": {
            "type": "object",
            "required": ["role"],
            "properties": {
                "id": {"description": "Unique in the conversation; missing or empty: a new one.",
                       "type": "string"},
                "role": {"enum": ["user", "assistant"]},
                "content": {
                    "description": "Content blocks in the Messages API's shape (a string: one "
                                   "text block).",
                    "type": ["array", "string"],
                    "items": {"$ref": "#/$defs/content_block"},
                },
                "created_at": _STRING,
                "finished_at": _STRING_OR_NULL,
                "model": _STRING_OR_NULL,
                "usage": {"$ref": "#/$defs/usage"},
                "stop_reason": _STRING_OR_NULL,
                "stop_sequence": _STRING_OR_NULL,
                "stop_details": {"type": ["object", "null"]},
                "state": {"description": "complete, streaming, stopped or failed; another value "
                                         "reads as failed.", "type": "string"},
                "error": {"$ref": "#/$defs/error"},
                "purpose": _STRING_OR_NULL,
                "excluded": _STRING_OR_NULL,
                "system_sha256": _STRING_OR_NULL,
            },
        },
        "usage": {
            "description": "The API's usage object as reported (other fields are kept).",
            "type": ["object", "null"],
            "properties": {
                **_TOKEN_COUNTS,
                "iterations": {
                    "description": "Each sampling step of the request (compaction, message).",
                    "type": ["array", "null"],
                    "items": {"type": "object", "properties": {"type": _STRING_OR_NULL,
                                                               **_TOKEN_COUNTS}},
                },
                "per_request": {"description": "Cairn's own: each request's usage, in order.",
                                "type": "array",
                                "items": {"type": "object", "$ref": "#/$defs/usage"}},
            },
        },
        "error": {
            "description": "Why a failed reply failed.",
            "type": ["object", "null"],
            "properties": {
                "kind": _STRING,
                "message": _STRING,
                "status": {"type": ["integer", "null"]},
                "retry_after": {"type": ["number", "null"], "minimum": 0},
                "request_id": _STRING_OR_NULL,
                "retryable": {"type": "boolean"},
                "needs_key": {"type": "boolean"},
                "reason": _STRING,
                "facts": {"type": "object"},
            },
        },
        "content_block": {
            "description": "A content block; types not listed are kept as they are.",
            "type": "object",
            "required": ["type"],
            "properties": {"type": _STRING},
            "allOf": _dispatch("type", {
                "text": "text_block",
                "image": "image_block",
                "document": "document_block",
                "thinking": "thinking_block",
                "redacted_thinking": "redacted_thinking_block",
                "compaction": "compaction_block",
                "tool_use": "tool_use_block",
                "server_tool_use": "tool_use_block",
                "mcp_tool_use": "mcp_tool_use_block",
                "tool_result": "tool_result_block",
                "mcp_tool_result": "tool_result_block",
                "web_search_tool_result": "server_tool_result_block",
                "web_fetch_tool_result": "server_tool_result_block",
                "code_execution_tool_result": "server_tool_result_block",
                "bash_code_execution_tool_result": "server_tool_result_block",
                "text_editor_code_execution_tool_result": "server_tool_result_block",
                "tool_search_tool_result": "server_tool_result_block",
                "container_upload": "container_upload_block",
                "search_result": "search_result_block",
            }),
        },
        "text_block": _block("Text.", ["text"], {
            "text": _STRING,
            "citations": {"type": ["array", "null"], "items": _OBJECT},
        }),
        "image_block": _block("An image: stored by Cairn, a link, or inline base64.", ["source"], {
            "source": {"type": "object", "$ref": "#/$defs/image_source"},
            "cairn": _CAIRN_NOTES,
        }),
        "document_block": _block("A document (Cairn stores PDFs).", ["source"], {
            "source": {"type": "object", "$ref": "#/$defs/document_source"},
            "title": _STRING_OR_NULL,
            "context": _STRING_OR_NULL,
            "cairn": _CAIRN_NOTES,
        }),
        "thinking_block": _block("Readable thinking; sent back only with its signature.",
                                 ["thinking"], {"thinking": _STRING,
                                                "signature": _STRING_OR_NULL}),
        "redacted_thinking_block": _block("Thinking the API keeps encrypted.", ["data"],
                                          {"data": _STRING}),
        "compaction_block": _block("A summary of the earlier conversation (beta).", [], {
            "content": _STRING_OR_NULL,
            "encrypted_content": _STRING_OR_NULL,
        }),
        "tool_use_block": _block("A tool call (client or server tool).", ["id", "name", "input"], {
            "id": _STRING, "name": _STRING, "input": _OBJECT,
        }),
        "mcp_tool_use_block": _block("A call to an MCP server's tool.",
                                     ["id", "name", "server_name", "input"], {
            "id": _STRING, "name": _STRING, "server_name": _STRING, "input": _OBJECT,
        }),
        "tool_result_block": _block("The answer to a tool call.", ["tool_use_id"], {
            "tool_use_id": _STRING,
            "content": {"type": ["string", "array"], "items": _OBJECT},
            "is_error": {"type": ["boolean", "null"]},
        }),
        "server_tool_result_block": _tool_result("The result of a server tool call."),
        "container_upload_block": _block("A file for the code execution tool.", ["file_id"],
                                         {"file_id": _STRING}),
        "search_result_block": _block("A search result given to the model.",
                                      ["source", "title", "content"], {
            "source": _STRING, "title": _STRING, "content": {"type": "array", "items": _OBJECT},
        }),
        "image_source": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": _STRING},
            "allOf": _dispatch("type", {
                "cairn_attachment": "stored_image",
                "base64": "base64_source",
                "url": "url_source",
                "file": "file_source",
            }),
        },
        "document_source": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": _STRING},
            "allOf": _dispatch("type", {
                "cairn_attachment": "stored_pdf",
                "base64": "base64_source",
                "text": "base64_source",
                "url": "url_source",
                "file": "file_source",
                "content": "content_source",
            }),
        },
        "stored_image": {
            "description": "An image in Cairn's attachments folder, named by its SHA-256.",
            "type": "object",
            "required": ["sha256", "media_type"],
            "properties": {"sha256": _SHA256, "media_type": {"enum": list(IMAGE_MEDIA_TYPES)}},
        },
        "stored_pdf": {
            "description": "A PDF in Cairn's attachments folder, named by its SHA-256.",
            "type": "object",
            "required": ["sha256", "media_type"],
            "properties": {"sha256": _SHA256, "media_type": {"const": PDF_MEDIA_TYPE}},
        },
        "base64_source": {"type": "object", "required": ["media_type", "data"],
                          "properties": {"media_type": _STRING, "data": _STRING}},
        "url_source": {"type": "object", "required": ["url"], "properties": {"url": _STRING}},
        "file_source": {"type": "object", "required": ["file_id"],
                        "properties": {"file_id": _STRING}},
        "content_source": {"type": "object", "required": ["content"],
                           "properties": {"content": {"type": ["string", "array"],
                                                      "items": _OBJECT}}},
    },
}


def check_conversation(document: Any) -> None:
    """Check a whole conversation document (before migration only if it is current).

    Raises:
        HistoryFormatError: the first thing found that does not match the format.
    """
    _run(_checker("conversation"), document, "conversation")
    seen: set[str] = set()
    for where, message in _messages_of(document):
        message_id = message.get("id")
        if not message_id:
            continue
        if message_id in seen:
            raise HistoryFormatError(FormatProblem(
                f"{where}.id", FormatProblemKind.REPEATED_ID, {"id": _show(message_id)}))
        seen.add(message_id)


def check_message(document: Any) -> None:
    """Check one message (see :func:`check_conversation`)."""
    _run(_checker("message"), document, "message")


def check_branch(document: Any) -> None:
    """Check one branch (see :func:`check_conversation`)."""
    _run(_checker("branch"), document, "branch")


def check_schema_version(value: Any) -> None:
    """Check a document's ``schema`` field alone, as the whole check would (migrations read
    it before the document is checked).

    Raises:
        HistoryFormatError: it is not an integer of at least 1.
    """
    if not _CHECKS:
        _checker("conversation")
    _run(_CHECKS["schema"], value, "conversation", ("schema",))


def _messages_of(document: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    for index, message in enumerate(document.get("messages", ())):
        yield f"messages[{index}]", message
    for number, branch in enumerate(document.get("branches", ())):
        for index, message in enumerate(branch["messages"]):
            yield f"branches[{number}].messages[{index}]", message


# -- the validator ------------------------------------------------------------------------------
# Each schema is compiled once into one function that raises _Invalid; the path is collected
# while the exception unwinds, so a valid document (the usual case) never builds one. Start-up
# checks every file, so the common cases are fast: a value whose Python type alone decides
# (most strings, numbers and nulls) costs one set lookup, and an object's type, fields and
# table of cases are checked by a single function.

_Check = Callable[[Any], None]


class _Invalid(Exception):
    def __init__(self, kind: FormatProblemKind, facts: dict[str, FormatFact] | None = None,
                 ) -> None:
        super().__init__(kind)
        self.kind = kind
        self.facts = facts
        self.path: list[str | int] = []  # innermost first


def _run(check: _Check, document: Any, subject: str, outer: tuple[str, ...] = ()) -> None:
    try:
        check(document)
    except _Invalid as exc:
        where = _path_text([*outer, *reversed(exc.path)])
        raise HistoryFormatError(FormatProblem(where, exc.kind, exc.facts, subject)) from None


def _path_text(parts: Iterable[str | int]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if re.fullmatch(r"[A-Za-z0-9_$-]{1,40}", part) else _show(part)
            text += f".{name}" if text else name
    return text


def _show(value: Any) -> str:
    """A value as it may appear in a message: short, and printable even if the file holds
    lone surrogates."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = type(value).__name__
    if len(text) > 40:
        text = text[:39] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "errorMessage",
                          "default", "examples", "$defs"})
_KEYWORDS = frozenset({"type", "enum", "const", "pattern", "minimum", "minItems", "properties",
                       "required", "items", "allOf", "$ref"})
_TYPE_NAMES = ("object", "array", "string", "integer", "number", "boolean", "null")
# The Python type json.loads gives each JSON type ("number" also gives int).
_PYTHON_CLASSES: dict[type, str] = {dict: "object", list: "array", str: "string", int: "integer",
                                    float: "number", bool: "boolean", type(None): "null"}
_SCALARS: frozenset[type] = frozenset({str, int, float, bool, type(None)})


def _type_name(value: Any) -> str:
    """The JSON type of ``value`` (else its Python type's name), for a problem's facts."""
    for kind, name in _PYTHON_CLASSES.items():
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return name if kind is not bool else "boolean"
    return type(value).__name__


def _matches_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return (isinstance(value, int | float) and not isinstance(value, bool)
                and math.isfinite(value))
    kind = next(k for k, n in _PYTHON_CLASSES.items() if n == name)
    return isinstance(value, kind)


def _plain_types(schema: dict[str, Any]) -> frozenset[type]:
    """The Python types whose values match ``schema`` by their type alone (empty: none)."""
    if set(schema) - _ANNOTATIONS != {"type"}:
        return frozenset()
    names = set(_type_names(schema))
    if "number" in names:
        names.add("integer")  # a float must still be finite
    names -= {"object", "array", "number"}  # their contents still need checking
    return frozenset(kind for kind, name in _PYTHON_CLASSES.items() if name in names)


def _type_names(schema: dict[str, Any]) -> list[str]:
    kinds = schema.get("type", list(_TYPE_NAMES))
    return [kinds] if isinstance(kinds, str) else list(kinds)


def _check_depth(value: Any, budget: int = MAX_FREE_DEPTH) -> None:
    """A free-form value: anything, nested at most ``budget`` levels."""
    if isinstance(value, dict):
        children: Iterable[Any] = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return
    if budget <= 0:
        raise _Invalid(FormatProblemKind.TOO_DEEP, {"limit": MAX_FREE_DEPTH})
    for child in children:
        if type(child) not in _SCALARS:
            _check_depth(child, budget - 1)


def _free_value(value: Any) -> None:
    _check_depth(value)


_Property = tuple[frozenset[type], _Check]
_FREE: _Property = (_SCALARS, _free_value)  # a field the schema does not describe
_IGNORED: _Property = (frozenset(_PYTHON_CLASSES), _free_value)  # checked by a case instead


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self._defs: dict[str, Any] = root["$defs"]
        self._compiled: dict[str, _Check] = {}

    def ref(self, ref: str) -> _Check:
        prefix = "#/$defs/"
        name = ref[len(prefix):]
        if not ref.startswith(prefix) or name not in self._defs:
            raise AssertionError(f"unsupported $ref {ref!r}")
        if name not in self._compiled:
            slot: list[_Check] = []
            self._compiled[name] = lambda value: slot[0](value)  # while compiling itself
            slot.append(self.compile(self._defs[name]))
            self._compiled[name] = slot[0]
        return self._compiled[name]

    def compile(self, schema: dict[str, Any]) -> _Check:
        unknown = set(schema) - _ANNOTATIONS - _KEYWORDS
        if unknown:
            raise AssertionError(f"the validator does not understand {sorted(unknown)}")
        key, table, parts = self._split_all_of(schema.get("allOf", []))
        checks = [self.compile(part) for part in parts]
        if "$ref" in schema:
            checks.insert(0, self.ref(schema["$ref"]))
        names = _type_names(schema)
        if "enum" in schema or "const" in schema:
            first = _enum_check(schema.get("enum", [schema.get("const")]))
        elif "properties" in schema or "required" in schema or table:
            properties = {name: (_plain_types(sub), self.compile(sub))
                          for name, sub in schema.get("properties", {}).items()}
            first = _object_check(names, tuple(schema.get("required", ())), properties,
                                  key, table or None)
        elif "items" in schema or "minItems" in schema:
            items = self.compile(schema["items"]) if "items" in schema else _free_value
            first = _array_check(names, items, schema.get("minItems", 0))
        elif {"object", "array"} & set(names) and not checks:
            first = _free_check(names)  # a free-form object or array: any content
        elif "type" in schema:
            first = _type_check(names)
        else:
            first = _nothing
        if first is not _nothing:
            checks.insert(0, first)
        if "pattern" in schema:
            checks.append(_pattern_check(schema["pattern"], schema.get("errorMessage")))
        if "minimum" in schema:
            checks.append(_minimum_check(schema["minimum"]))
        return _all(checks)

    def _split_all_of(
        self, parts: list[dict[str, Any]]
    ) -> tuple[str, dict[str, _Check], list[dict[str, Any]]]:
        """``allOf`` items of the form ``{"if": {"properties": {key: {"const": value}}},
        "then": schema}`` become one table (value -> check); the others stay as they are."""
        key = ""
        table: dict[str, _Check] = {}
        others: list[dict[str, Any]] = []
        for part in parts:
            condition = part.get("if", {}).get("properties", {})
            if set(part) != {"if", "then"} or set(part["if"]) != {"properties"} or len(
                    condition) != 1 or set(next(iter(condition.values()))) != {"const"}:
                others.append(part)
                continue
            (name, const), = condition.items()
            if key and name != key:
                raise AssertionError("one table of cases per schema")
            key = name
            table[const["const"]] = self.compile(part["then"])
        return key, table, others


def _nothing(value: Any) -> None:
    pass


def _all(checks: list[_Check]) -> _Check:
    if not checks:
        return _nothing
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks

        def both(value: Any) -> None:
            first(value)
            second(value)
        return both

    def every(value: Any) -> None:
        for one in checks:
            one(value)
    return every


def _type_check(names: list[str]) -> _Check:
    plain = frozenset(kind for kind, name in _PYTHON_CLASSES.items()
                      if name in names and name != "number") | (
        {int} if "number" in names else set())
    expected = tuple(names)

    def check(value: Any) -> None:
        if type(value) in plain:
            return
        if any(_matches_type(value, name) for name in names):
            return
        if isinstance(value, float) and "number" in names:
            raise _Invalid(FormatProblemKind.NOT_FINITE, {"value": _show(value)})
        raise _Invalid(FormatProblemKind.WRONG_TYPE,
                       {"expected": expected, "actual": _type_name(value)})
    return check


def _enum_check(allowed: list[Any]) -> _Check:
    choices = tuple(allowed)
    said = tuple(_show(v) for v in choices)

    def check(value: Any) -> None:
        if not any(value == choice and type(value) is type(choice) for choice in choices):
            raise _Invalid(FormatProblemKind.NOT_ALLOWED, {"allowed": said, "value": _show(value)})
    return check


# The problem each pattern's failure is (the schema's errorMessage for it is its English).
_PATTERN_PROBLEMS: Final = {ID_PATTERN: FormatProblemKind.INVALID_ID,
                            SHA256_PATTERN: FormatProblemKind.NOT_SHA256,
                            NO_LONE_SURROGATES: FormatProblemKind.LONE_SURROGATE}


def _pattern_check(pattern: str, message: str | None) -> _Check:
    # A JSON Schema (ECMA-262) "$" is the very end; Python's also matches before a final "\n".
    compiled = re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)
    kind = _PATTERN_PROBLEMS.get(pattern, FormatProblemKind.NO_MATCH)
    if (message is None) != (kind is FormatProblemKind.NO_MATCH):
        raise AssertionError(f"the pattern {pattern!r} needs both an errorMessage and a problem")

    def check(value: Any) -> None:
        if isinstance(value, str) and not compiled.search(value):
            raise _Invalid(kind, {"pattern": pattern, "value": _show(value)})
    return check


def _minimum_check(minimum: float) -> _Check:
    def check(value: Any) -> None:
        if isinstance(value, int | float) and not isinstance(value, bool) and value < minimum:
            raise _Invalid(FormatProblemKind.BELOW_MINIMUM,
                           {"minimum": minimum, "value": _show(value)})
    return check


def _object_check(names: list[str], required: tuple[str, ...], properties: dict[str, _Property],
                  key: str = "", table: dict[str, _Check] | None = None) -> _Check:
    """An object's fields; with ``table``, the case its ``key`` names checks the rest (a value
    the table does not list: the rest is free-form)."""
    types = _type_check(names)
    unknown = _IGNORED if table else _FREE

    def check(value: Any) -> None:
        if not isinstance(value, dict):
            types(value)  # null, where it is allowed
            return
        for name in required:
            if name not in value:
                error = _Invalid(FormatProblemKind.MISSING)
                error.path.append(name)
                raise error
        for field, item in value.items():
            plain, sub = properties.get(field, unknown)
            if type(item) in plain:  # most values: decided by their type alone
                continue
            try:
                sub(item)
            except _Invalid as exc:
                exc.path.append(field)
                raise
        if table is not None:
            case = table.get(value.get(key))  # type: ignore[arg-type]
            (case or _free_object)(value)
    return check


def _array_check(names: list[str], each: _Check, min_items: int) -> _Check:
    types = _type_check(names)

    def check(value: Any) -> None:
        if not isinstance(value, list):
            types(value)  # null or a string, where it is allowed
            return
        if len(value) < min_items:
            raise _Invalid(FormatProblemKind.EMPTY) if min_items == 1 else _Invalid(
                FormatProblemKind.TOO_FEW_ITEMS, {"minimum": min_items})
        for index, item in enumerate(value):
            try:
                each(item)
            except _Invalid as exc:
                exc.path.append(index)
                raise
    return check


def _free_check(names: list[str]) -> _Check:
    types = _type_check(names)

    def check(value: Any) -> None:
        types(value)
        _check_depth(value)
    return check


_free_object = _object_check(["object"], (), {})

_CHECKS: dict[str, _Check] = {}


def _checker(name: str) -> _Check:
    """The compiled check of one definition (the schema is compiled on first use)."""
    if not _CHECKS:
        compiler = _Compiler(HISTORY_SCHEMA)
        _CHECKS.update({n: compiler.ref(f"#/$defs/{n}")
                        for n in ("conversation", "message", "branch")})
        _CHECKS["schema"] = compiler.compile(
            HISTORY_SCHEMA["$defs"]["conversation"]["properties"]["schema"])
    return _CHECKS[name]
