"""Claude's own tool work in a reply (web search, web fetch, code execution), as the reader is
shown it: each ``server_tool_use`` block paired with its result block by id and folded into
one ``ServerToolActivity`` (what was asked, how it ended, what came back).

The blocks are kept in the history exactly as the API sent them (they go back to the API
unchanged); this module only reads them. A history file may come from anywhere, so every
field is checked: a block of the wrong shape, or a field of the wrong type inside valid JSON,
gives an activity with less in it, never an exception. Error codes are kept as the API's
words (``error_code``); the interface says them in the user's language. ``*_ERROR_CODES`` list
every code the SDK's types define, so a test can check that each one has words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = [
    "CODE_ERROR_CODES", "EDITOR_ERROR_CODES", "FETCH_ERROR_CODES", "RESULT_TYPES",
    "SEARCH_ERROR_CODES", "TOOL_SEARCH_ERROR_CODES", "ActivityKind", "ActivityStatus",
    "CodeOutput", "EditorResult", "SearchHit", "ServerToolActivity", "fold_server_tools",
]

# The error codes of each result type, as the SDK's types (anthropic 2.17) define them.
SEARCH_ERROR_CODES = ("invalid_tool_input", "unavailable", "max_uses_exceeded",
                      "too_many_requests", "query_too_long", "request_too_large")
FETCH_ERROR_CODES = ("invalid_tool_input", "url_too_long", "url_not_allowed",
                     "url_not_in_prior_context", "url_not_accessible",
                     "unsupported_content_type", "too_many_requests", "max_uses_exceeded",
                     "unavailable", "content_too_large")
CODE_ERROR_CODES = ("invalid_tool_input", "unavailable", "too_many_requests",
                    "execution_time_exceeded")
BASH_ERROR_CODES = (*CODE_ERROR_CODES, "output_file_too_large")
EDITOR_ERROR_CODES = (*CODE_ERROR_CODES, "file_not_found")
TOOL_SEARCH_ERROR_CODES = CODE_ERROR_CODES

MAX_HITS = 100  # search results kept for display (the API returns about ten)
MAX_FILES = 200  # produced files listed for one run
MAX_FIELD_CHARS = 200_000  # a longer stdout, stderr, code or file view is cut (display only)


class ActivityKind(StrEnum):
    """What kind of work a server tool call did."""

    SEARCH = "search"  # web_search
    FETCH = "fetch"  # web_fetch
    CODE = "code"  # code_execution (Python, the 2025-05-22 tool)
    BASH = "bash"  # bash_code_execution
    EDITOR = "editor"  # text_editor_code_execution
    TOOL_SEARCH = "tool_search"  # tool_search_tool_regex / _bm25
    OTHER = "other"  # a name this version does not know


class ActivityStatus(StrEnum):
    """How far the call got."""

    PENDING = "pending"  # asked for, no result (yet: streaming, or a paused turn)
    DONE = "done"
    FAILED = "failed"  # the result is an error (``error_code``)


# The result block type of each kind, and the kind of each tool name.
RESULT_TYPES: dict[str, ActivityKind] = {
    "web_search_tool_result": ActivityKind.SEARCH,
    "web_fetch_tool_result": ActivityKind.FETCH,
    "code_execution_tool_result": ActivityKind.CODE,
    "bash_code_execution_tool_result": ActivityKind.BASH,
    "text_editor_code_execution_tool_result": ActivityKind.EDITOR,
    "tool_search_tool_result": ActivityKind.TOOL_SEARCH,
}
_KIND_OF_NAME: dict[str, ActivityKind] = {
    "web_search": ActivityKind.SEARCH,
    "web_fetch": ActivityKind.FETCH,
    "code_execution": ActivityKind.CODE,
    "bash_code_execution": ActivityKind.BASH,
    "text_editor_code_execution": ActivityKind.EDITOR,
    "tool_search_tool_regex": ActivityKind.TOOL_SEARCH,
    "tool_search_tool_bm25": ActivityKind.TOOL_SEARCH,
}


@dataclass(frozen=True)
class SearchHit:
    """One web search result (its encrypted content is for Claude only)."""

    url: str
    title: str
    page_age: str = ""


@dataclass(frozen=True)
class CodeOutput:
    """What a code run printed and made. ``stdout_hidden``: the API sent it encrypted."""

    stdout: str = ""
    stderr: str = ""
    return_code: int | None = None
    file_ids: tuple[str, ...] = ()
    stdout_hidden: bool = False


@dataclass(frozen=True)
class EditorResult:
    """What a file edit in the container did: ``operation`` is view, create or str_replace."""

    operation: str
    file_type: str = ""
    content: str = ""
    total_lines: int | None = None
    is_file_update: bool = False
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServerToolActivity:
    """One server tool call and its result, as shown in a reply."""

    tool_use_id: str
    name: str
    kind: ActivityKind
    status: ActivityStatus
    query: str = ""  # search: what Claude searched for; tool search: its query or pattern
    url: str = ""  # fetch: the page (as fetched, else as asked)
    title: str = ""  # fetch: the page's title
    retrieved_at: str = ""
    code: str = ""  # code: the program; bash: the command
    command: str = ""  # editor: view / create / str_replace ...
    path: str = ""  # editor: the file
    hits: tuple[SearchHit, ...] = ()
    output: CodeOutput | None = None
    editor: EditorResult | None = None
    error_code: str = ""
    error_message: str = ""
    arguments: Any = None  # the input as Claude gave it (for a kind not known)


def fold_server_tools(content: Any) -> tuple[ServerToolActivity, ...]:
    """Every server tool call in ``content`` (a message's blocks), in Claude's order, each
    with its result if one is there. A result whose call is not in ``content`` (another part
    of a paused reply) is shown on its own."""
    if not isinstance(content, list):
        return ()
    # Only blocks whose type is a string: a list or dict there cannot even be looked up.
    blocks = [b for b in content if isinstance(b, dict) and isinstance(b.get("type"), str)]
    results: dict[str, dict[str, Any]] = {}
    for block in blocks:
        if block.get("type") in RESULT_TYPES and isinstance(block.get("tool_use_id"), str):
            results.setdefault(block["tool_use_id"], block)
    activities: list[ServerToolActivity] = []
    seen: set[str] = set()
    for block in blocks:
        kind = block.get("type")
        if kind == "server_tool_use":
            use_id = _text(block.get("id"))
            seen.add(use_id)
            activities.append(_fold(block, results.get(use_id) if use_id else None))
        elif kind in RESULT_TYPES:
            use_id = _text(block.get("tool_use_id"))
            if use_id not in seen and results.get(use_id) is block:
                seen.add(use_id)
                activities.append(_fold(None, block))
    return tuple(activities)


# -- folding ------------------------------------------------------------------------------------


def _fold(use: dict[str, Any] | None, result: dict[str, Any] | None) -> ServerToolActivity:
    name = _text(use.get("name")) if use is not None else ""
    use_id = _text(use.get("id")) if use is not None else _text(
        result.get("tool_use_id") if result is not None else "")
    if name in _KIND_OF_NAME:  # the name is a string here: _text() made it one
        kind = _KIND_OF_NAME[name]
    elif result is not None and use is None:
        kind = RESULT_TYPES[str(result.get("type"))]
    else:
        kind = ActivityKind.OTHER
    raw_input = use.get("input") if use is not None else None
    arguments: dict[str, Any] = raw_input if isinstance(raw_input, dict) else {}
    fields: dict[str, Any] = {}
    if kind == ActivityKind.SEARCH:
        fields["query"] = _text(arguments.get("query"))
    elif kind == ActivityKind.FETCH:
        fields["url"] = _text(arguments.get("url"))
    elif kind == ActivityKind.CODE:
        fields["code"] = _text(arguments.get("code"), MAX_FIELD_CHARS)
    elif kind == ActivityKind.BASH:
        fields["code"] = _text(arguments.get("command"), MAX_FIELD_CHARS)
    elif kind == ActivityKind.EDITOR:
        fields["command"] = _text(arguments.get("command"))
        fields["path"] = _text(arguments.get("path"))
    elif kind == ActivityKind.TOOL_SEARCH:
        fields["query"] = _text(arguments.get("query")) or _text(arguments.get("pattern"))
    status = ActivityStatus.PENDING
    if result is not None:
        body = result.get("content")
        error = _error(body)
        if error is not None:
            status = ActivityStatus.FAILED
            fields["error_code"], fields["error_message"] = error
        else:
            status = ActivityStatus.DONE
            fields.update(_result_fields(kind, body))
    return ServerToolActivity(tool_use_id=use_id, name=name or _name_of(kind), kind=kind,
                              status=status, arguments=raw_input, **fields)


def _error(body: Any) -> tuple[str, str] | None:
    """(error code, message) when a result's content is an error object, else None."""
    if isinstance(body, dict) and str(body.get("type", "")).endswith("_error"):
        return _text(body.get("error_code")) or "unknown", _text(body.get("error_message"), 2000)
    return None


def _result_fields(kind: ActivityKind, body: Any) -> dict[str, Any]:
    if kind == ActivityKind.SEARCH:
        hits = [SearchHit(_text(hit.get("url")), _text(hit.get("title")),
                          _text(hit.get("page_age")))
                for hit in _dicts(body) if hit.get("type") == "web_search_result"]
        return {"hits": tuple(hits[:MAX_HITS])}
    if not isinstance(body, dict):
        return {}
    if kind == ActivityKind.FETCH:
        fields: dict[str, Any] = {"retrieved_at": _text(body.get("retrieved_at"))}
        if _text(body.get("url")):
            fields["url"] = _text(body.get("url"))
        document = body.get("content")
        if isinstance(document, dict):
            fields["title"] = _text(document.get("title"))
        return fields
    if kind in (ActivityKind.CODE, ActivityKind.BASH):
        return {"output": _code_output(body)}
    if kind == ActivityKind.EDITOR:
        operation = _text(body.get("type")).removeprefix(
            "text_editor_code_execution_").removesuffix("_result")
        lines = body.get("lines")
        total = body.get("total_lines")
        return {"editor": EditorResult(
            operation=operation, file_type=_text(body.get("file_type")),
            content=_text(body.get("content"), MAX_FIELD_CHARS),
            total_lines=total if type(total) is int else None,
            is_file_update=body.get("is_file_update") is True,
            lines=tuple(_text(line) for line in lines[:10_000]) if isinstance(lines, list)
            else ())}
    return {}


def _code_output(body: dict[str, Any]) -> CodeOutput:
    return_code = body.get("return_code")
    file_ids = dict.fromkeys(
        _text(item.get("file_id")) for item in _dicts(body.get("content"))
        if _text(item.get("file_id")))
    return CodeOutput(
        stdout=_text(body.get("stdout"), MAX_FIELD_CHARS),
        stderr=_text(body.get("stderr"), MAX_FIELD_CHARS),
        return_code=return_code if type(return_code) is int else None,
        file_ids=tuple(file_ids)[:MAX_FILES],
        stdout_hidden=body.get("type") == "encrypted_code_execution_result")


def _name_of(kind: ActivityKind) -> str:
    return next((name for name, known in _KIND_OF_NAME.items() if known == kind), "")


def _text(value: Any, limit: int = 10_000) -> str:
    """A string field, or "" for anything else; cut at ``limit`` characters."""
    return value[:limit] if isinstance(value, str) else ""


def _dicts(value: Any) -> Iterable[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
