"""The real API's rules on server-tool blocks a request sends back and on containers: a
``server_tool_use`` or result block is accepted only as this server issued it (compared as
canonical JSON without ``cache_control`` / ``None`` values, so ``encrypted_content`` must
round-trip), every ``server_tool_use`` of an assistant message has its result block in that
message (a paused turn sent back for resumption included), the ``container`` parameter names a
live container, and a ``container_upload`` block names a stored file with the code execution
tool offered."""

from __future__ import annotations

import threading
import time
from typing import Any

from .canonical import _canon, _message_blocks, _norm
from .errors import _invalid
from .server_tools import offered_tool
from .stores import ContainerRecord, StoredFile

RESULT_TYPE = {
    "web_search": "web_search_tool_result",
    "web_fetch": "web_fetch_tool_result",
    "code_execution": "code_execution_tool_result",
    "bash_code_execution": "bash_code_execution_tool_result",
    "text_editor_code_execution": "text_editor_code_execution_tool_result",
    "tool_search_tool_regex": "tool_search_tool_result",
    "tool_search_tool_bm25": "tool_search_tool_result",
}
"""The result block type that answers a ``server_tool_use`` of each name."""
SERVER_RESULT_TYPES = frozenset(RESULT_TYPE.values())
_DOCUMENT_PLACE = ("cited_text", "document_index")
CITATION_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "char_location": (_DOCUMENT_PLACE + ("start_char_index", "end_char_index"),
                      ("document_title", "file_id")),
    "page_location": (_DOCUMENT_PLACE + ("start_page_number", "end_page_number"),
                      ("document_title", "file_id")),
    "content_block_location": (_DOCUMENT_PLACE + ("start_block_index", "end_block_index"),
                               ("document_title", "file_id")),
    "web_search_result_location": (("cited_text", "url", "encrypted_index"), ("title",)),
    "search_result_location": (("cited_text", "source", "search_result_index",
                                "start_block_index", "end_block_index"), ("title",)),
}
"""Each citation type a text block sent back may hold: (required fields, optional fields), from
the SDK's ``Citation*Param`` types (a ``None`` title may be left out, as ``exclude_none``
dumps do)."""


class ServerBlockRules:
    """``FakeAnthropicServer``'s checks of server-tool blocks sent back and of containers."""

    _lock: threading.RLock
    _issued_server_blocks: dict[str, str]
    files: dict[str, StoredFile]
    containers: dict[str, ContainerRecord]

    def _validate_server_blocks(self, body: dict[str, Any]) -> None:
        pending: dict[int, dict[str, tuple[str, str]]] = {}  # message -> id -> (name, where)
        for i, j, role, block in _message_blocks(body.get("messages")):
            kind = block.get("type") if isinstance(block, dict) else None
            where = f"messages.{i}.content.{j}"
            if kind == "container_upload":
                self._validate_upload(body, block, where, role)
                continue
            if kind == "text" and isinstance(block, dict) and block.get("citations"):
                _check_citations(block["citations"], f"{where}.text.citations")
                continue
            if kind != "server_tool_use" and kind not in SERVER_RESULT_TYPES:
                continue
            assert isinstance(block, dict)
            if role != "assistant":
                raise _invalid(f"{where}: `{kind}` blocks are only allowed in assistant "
                               "messages")
            ident = block.get("id") if kind == "server_tool_use" else block.get("tool_use_id")
            key = f"use:{ident}" if kind == "server_tool_use" else f"result:{ident}"
            with self._lock:
                issued = self._issued_server_blocks.get(key)
            if issued is None:
                raise _invalid(f"{where}: `{kind}` block with id `{ident}` was not returned by "
                               "the API: server tool blocks can only be sent back as received")
            if issued != _canon(_norm(block, top=True)):
                raise _invalid(f"{where}: `{kind}` block with id `{ident}` does not match the "
                               "block the API returned: server tool blocks (including their "
                               "`encrypted_content`) must be sent back unchanged")
            calls = pending.setdefault(i, {})
            if kind == "server_tool_use":
                calls[str(ident)] = (str(block.get("name")), where)
            elif str(ident) in calls:
                del calls[str(ident)]
            else:
                raise _invalid(f"{where}: `{kind}` block with tool_use_id `{ident}` has no "
                               "corresponding `server_tool_use` block before it")
        for calls in pending.values():
            for ident, (name, where) in calls.items():
                raise _invalid(f"{where}: `{name}` tool use with id `{ident}` was found without "
                               f"a corresponding `{RESULT_TYPE.get(name, name)}` block")

    def _validate_upload(self, body: dict[str, Any], block: dict[str, Any], where: str,
                         role: str) -> None:
        if role != "user":
            raise _invalid(f"{where}: `container_upload` blocks are only allowed in user "
                           "messages")
        for key in block:
            if key not in ("type", "file_id", "cache_control"):
                raise _invalid(f"{where}.container_upload.{key}: Extra inputs are not permitted")
        file_id = block.get("file_id")
        if not isinstance(file_id, str):
            raise _invalid(f"{where}.container_upload.file_id: Field required")
        if offered_tool(body, "code_execution") is None:
            raise _invalid(f"{where}: `container_upload` blocks require the code execution "
                           "tool: add a `code_execution` tool to `tools`")
        with self._lock:
            stored = self.files.get(file_id)
        if stored is None or stored.deleted:
            raise _invalid(f"{where}.container_upload.file_id: File not found: '{file_id}'")
        if stored.expired:
            raise _invalid(f"{where}.container_upload.file_id: File '{file_id}' has expired")

    def _validate_container(self, body: dict[str, Any]) -> None:
        if "container" not in body or body["container"] is None:
            return
        wanted = body["container"]
        if isinstance(wanted, dict):
            for key in wanted:
                if key not in ("id", "skills"):
                    raise _invalid(f"container.{key}: Extra inputs are not permitted")
            ident = wanted.get("id")
            if ident is None:
                return  # a new container (with skills)
        else:
            ident = wanted
        if not isinstance(ident, str):
            raise _invalid("container: Input should be a valid string or a container object")
        with self._lock:
            record = self.containers.get(ident)
        if record is None:
            raise _invalid(f"container: Container '{ident}' not found")
        if record.expired:
            raise _invalid(f"container: Container '{ident}' has expired. Start a new container "
                           "by omitting the `container` parameter.")

    # -- test helpers ------------------------------------------------------------------------
    def expire_container(self, container_id: str) -> None:
        """End a container now: requests that name it are refused from then on."""
        with self._lock:
            self.containers[container_id].expires_at = time.time() - 1


def _check_citations(citations: Any, where: str) -> None:
    """A text block's ``citations`` must be citations of the API's types, whole."""
    if not isinstance(citations, list):
        raise _invalid(f"{where}: Input should be a valid list")
    for k, citation in enumerate(citations):
        at = f"{where}.{k}"
        kind = citation.get("type") if isinstance(citation, dict) else None
        if kind not in CITATION_FIELDS:
            raise _invalid(f"{at}: Input tag '{kind}' found using 'type' does not match any of "
                           "the expected tags: " + ", ".join(f"'{t}'" for t in CITATION_FIELDS))
        assert isinstance(citation, dict)
        required, optional = CITATION_FIELDS[kind]
        for key in required:
            if key not in citation:
                raise _invalid(f"{at}.{kind}.{key}: Field required")
        for key in citation:
            if key != "type" and key not in required and key not in optional:
                raise _invalid(f"{at}.{kind}.{key}: Extra inputs are not permitted")
