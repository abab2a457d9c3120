"""What a test scripts for Claude's server tools (web search, web fetch, code execution) and the
citations a reply makes to their results: plain data that ``Reply(server_uses=..., cites=...)``
holds. Each use knows the blocks it becomes on the wire (a ``server_tool_use`` block and its
result block, in the shapes of ``anthropic.types``); serving them is ``server_tools.py``."""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

_ID_ALPHABET = string.ascii_letters + string.digits

WEB_SEARCH_ERROR_CODES = ("invalid_tool_input", "unavailable", "max_uses_exceeded",
                          "too_many_requests", "query_too_long", "request_too_large")
"""``WebSearchToolResultErrorCode`` of the installed SDK."""
WEB_FETCH_ERROR_CODES = ("invalid_tool_input", "url_too_long", "url_not_allowed",
                         "url_not_in_prior_context", "url_not_accessible",
                         "unsupported_content_type", "too_many_requests", "max_uses_exceeded",
                         "unavailable", "content_too_large")
"""``WebFetchToolResultErrorCode`` of the installed SDK."""
CODE_EXECUTION_ERROR_CODES = ("invalid_tool_input", "unavailable", "too_many_requests",
                              "execution_time_exceeded")
"""``CodeExecutionToolResultErrorCode`` (python runs)."""
BASH_CODE_EXECUTION_ERROR_CODES = CODE_EXECUTION_ERROR_CODES + ("output_file_too_large",)
"""``BashCodeExecutionToolResultErrorCode`` (bash runs)."""


def _rand(prefix: str, n: int = 24) -> str:
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(n))


def new_server_tool_use_id() -> str:
    """An id shaped like the API's server tool calls (``srvtoolu_01`` + 22 characters)."""
    return _rand("srvtoolu_01", 22)


def new_file_id() -> str:
    """An id shaped like the Files API's (``file_011C`` + 20 characters)."""
    return _rand("file_011C", 20)


def _opaque() -> str:
    """An opaque value like the API's ``encrypted_content`` / ``encrypted_index``."""
    return "Eo" + _rand("", 46) + "=="


def _check_code(code: str | None, allowed: tuple[str, ...], what: str) -> None:
    if code is not None and code not in allowed:
        raise TypeError(f"{what}: error_code {code!r} is not one of {allowed}")


@dataclass
class SearchHit:
    """One web search result: ``web_search_result`` {url, title, page_age, encrypted_content}.
    ``encrypted_content`` is minted once, so the block is the same every time it is served."""

    url: str
    title: str
    page_age: str | None = None
    encrypted_content: str = field(default_factory=_opaque)

    def block(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "web_search_result", "url": self.url, "title": self.title,
                               "encrypted_content": self.encrypted_content}
        if self.page_age is not None:
            out["page_age"] = self.page_age
        return out


@dataclass
class WebSearch:
    """A ``web_search`` call and its ``web_search_tool_result`` (``hits``, or with
    ``error_code`` a ``web_search_tool_result_error``). Counted in
    ``usage.server_tool_use.web_search_requests`` unless it is an error."""

    query: str
    hits: list[SearchHit] = field(default_factory=list)
    error_code: str | None = None
    id: str = field(default_factory=new_server_tool_use_id)

    def __post_init__(self) -> None:
        _check_code(self.error_code, WEB_SEARCH_ERROR_CODES, "WebSearch")

    tool = "web_search"
    """The ``name`` of the tool a request must offer (``tools[].name``)."""

    @property
    def use_name(self) -> str:
        return "web_search"

    @property
    def input(self) -> dict[str, Any]:
        return {"query": self.query}

    def result_block(self) -> dict[str, Any]:
        content: Any
        if self.error_code is not None:
            content = {"type": "web_search_tool_result_error", "error_code": self.error_code}
        else:
            content = [hit.block() for hit in self.hits]
        return {"type": "web_search_tool_result", "tool_use_id": self.id, "content": content}


@dataclass
class WebFetch:
    """A ``web_fetch`` call and its ``web_fetch_tool_result``: a ``web_fetch_result`` whose
    ``content`` is a plain-text ``document`` (``title``, ``text``; ``citations.enabled`` as the
    request's web_fetch tool asks), or with ``error_code`` a ``web_fetch_tool_result_error``."""

    url: str
    title: str | None = None
    text: str = ""
    error_code: str | None = None
    retrieved_at: str = field(
        default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z")
    id: str = field(default_factory=new_server_tool_use_id)

    def __post_init__(self) -> None:
        _check_code(self.error_code, WEB_FETCH_ERROR_CODES, "WebFetch")

    tool = "web_fetch"

    @property
    def use_name(self) -> str:
        return "web_fetch"

    @property
    def input(self) -> dict[str, Any]:
        return {"url": self.url}

    def result_block(self, citations: bool = False) -> dict[str, Any]:
        content: dict[str, Any]
        if self.error_code is not None:
            content = {"type": "web_fetch_tool_result_error", "error_code": self.error_code}
        else:
            document: dict[str, Any] = {
                "type": "document",
                "source": {"type": "text", "media_type": "text/plain", "data": self.text},
                "citations": {"enabled": citations},
            }
            if self.title is not None:
                document["title"] = self.title
            content = {"type": "web_fetch_result", "url": self.url,
                       "retrieved_at": self.retrieved_at, "content": document}
        return {"type": "web_fetch_tool_result", "tool_use_id": self.id, "content": content}


@dataclass
class ProducedFile:
    """A file a code run makes: stored in the fake Files store as ``downloadable`` and named in
    the result's output list (``{"type": "…_output", "file_id": id}``)."""

    filename: str
    data: bytes
    mime_type: str = "application/octet-stream"
    id: str = field(default_factory=new_file_id)


@dataclass
class CodeRun:
    """A code execution call and its result. ``kind="bash"``: a ``bash_code_execution`` call
    (input ``{"command": code}``) answered by ``bash_code_execution_tool_result`` (needs a
    ``code_execution_20250825`` or newer tool); ``kind="python"``: a ``code_execution`` call
    (input ``{"code": code}``) answered by ``code_execution_tool_result``. ``error_code`` gives
    the ``…_tool_result_error`` instead. The reply carries ``container`` (see ``Reply``)."""

    code: str
    stdout: str = ""
    stderr: str = ""
    return_code: int = 0
    files: list[ProducedFile] = field(default_factory=list)
    kind: str = "bash"
    error_code: str | None = None
    id: str = field(default_factory=new_server_tool_use_id)

    def __post_init__(self) -> None:
        if self.kind not in ("bash", "python"):
            raise TypeError(f"CodeRun.kind must be 'bash' or 'python', not {self.kind!r}")
        codes = BASH_CODE_EXECUTION_ERROR_CODES if self.kind == "bash" else (
            CODE_EXECUTION_ERROR_CODES)
        _check_code(self.error_code, codes, "CodeRun")

    tool = "code_execution"

    @property
    def use_name(self) -> str:
        return "bash_code_execution" if self.kind == "bash" else "code_execution"

    @property
    def input(self) -> dict[str, Any]:
        return {"command": self.code} if self.kind == "bash" else {"code": self.code}

    def result_block(self) -> dict[str, Any]:
        prefix = "bash_code_execution" if self.kind == "bash" else "code_execution"
        content: dict[str, Any]
        if self.error_code is not None:
            content = {"type": f"{prefix}_tool_result_error", "error_code": self.error_code}
        else:
            content = {"type": f"{prefix}_result", "stdout": self.stdout,
                       "stderr": self.stderr, "return_code": self.return_code,
                       "content": [{"type": f"{prefix}_output", "file_id": f.id}
                                   for f in self.files]}
        return {"type": f"{prefix}_tool_result", "tool_use_id": self.id, "content": content}


ServerUse = WebSearch | WebFetch | CodeRun


def use_block(use: ServerUse) -> dict[str, Any]:
    """The ``server_tool_use`` block of a scripted use, as a Message holds it."""
    return {"type": "server_tool_use", "id": use.id, "name": use.use_name, "input": use.input}


def use_json(use: ServerUse) -> str:
    """The JSON text the stream sends for a use's input (``input_json_delta`` pieces)."""
    return json.dumps(use.input, ensure_ascii=False)


@dataclass
class Cite:
    """A text block with one citation, after the reply's ``text``: ``text`` is the block's text,
    ``use`` the index of the cited use in ``Reply.server_uses``, ``hit`` the search result cited
    (a ``WebSearch``: ``web_search_result_location`` {url, title, cited_text, encrypted_index}).
    A cited ``WebFetch`` gives a ``char_location`` {document_index 0, document_title,
    start/end_char_index of ``cited_text`` in the page text}; the request's web_fetch tool must
    have ``citations: {"enabled": true}``. ``cited_text`` defaults to ``text``."""

    text: str
    use: int = 0
    hit: int = 0
    cited_text: str | None = None

    @property
    def quoted(self) -> str:
        return self.text if self.cited_text is None else self.cited_text


def citation_for(cite: Cite, use: ServerUse) -> dict[str, Any]:
    """The citation object of ``cite`` (``use`` is the use it names; checked beforehand)."""
    if isinstance(use, WebSearch):
        hit = use.hits[cite.hit]
        return {"type": "web_search_result_location", "url": hit.url, "title": hit.title,
                "cited_text": cite.quoted, "encrypted_index": _opaque()}
    assert isinstance(use, WebFetch)
    start = max(0, use.text.find(cite.quoted))
    return {"type": "char_location", "cited_text": cite.quoted, "document_index": 0,
            "document_title": use.title, "start_char_index": start,
            "end_char_index": start + len(cite.quoted)}
