"""Serving Claude's server tools in a scripted reply: which uses the real model could make for
the request (the tool offered, ``tool_choice``, ``max_uses``, the domain filters, citations on
fetched pages), the blocks they become (``server_tool_use`` + result, cited text blocks), what
is remembered so the blocks are accepted back only unchanged, the files a code run makes (into
the Files store) and the container it runs in, and ``usage.server_tool_use``."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .canonical import _canon, _norm
from .errors import _ApiFailure
from .scripts import Reply
from .server_scripts import (
    CodeRun,
    ServerUse,
    WebFetch,
    WebSearch,
    citation_for,
    use_block,
)
from .stores import ContainerRecord, StoredFile
from .wire import _rand_id


@dataclass
class ServedServerBlocks:
    """The server-tool part of one reply: ``lead`` (each use and its result) goes before the
    reply's text, ``cited`` (text blocks with citations) after it, ``tail`` (a dangling use)
    last; ``usage`` is ``usage.server_tool_use``; ``container`` the container's wire form."""

    lead: list[dict[str, Any]] = field(default_factory=list)
    cited: list[dict[str, Any]] = field(default_factory=list)
    tail: list[dict[str, Any]] = field(default_factory=list)
    usage: dict[str, int] | None = None
    container: dict[str, Any] | None = None
    out_chars: int = 0


def offered_tool(body: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The request's server tool definition named ``name`` (``web_search`` ...), if offered."""
    for tool in body.get("tools") or []:
        if (isinstance(tool, dict) and tool.get("name") == name
                and str(tool.get("type", "")).startswith(name + "_")):
            return tool
    return None


def _host_matches(host: str, domain: str) -> bool:
    domain = domain.lower().strip().lstrip(".")
    return host == domain or host.endswith("." + domain)


def _domain_problem(url: str, tool: dict[str, Any]) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    allowed, blocked = tool.get("allowed_domains"), tool.get("blocked_domains")
    if allowed and not any(_host_matches(host, d) for d in allowed):
        return f"{url} is outside the tool's allowed_domains {allowed}"
    if blocked and any(_host_matches(host, d) for d in blocked):
        return f"{url} is in the tool's blocked_domains {blocked}"
    return None


def _citations_on(tool: dict[str, Any] | None) -> bool:
    citations = (tool or {}).get("citations")
    return isinstance(citations, dict) and citations.get("enabled") is True


class ServerTools:
    """``FakeAnthropicServer``'s serving of scripted server tool uses."""

    _lock: threading.RLock
    script_errors: list[str]
    files: dict[str, StoredFile]
    containers: dict[str, ContainerRecord]
    container_lifetime: float
    _issued_server_blocks: dict[str, str]

    # -- what a reply may use ----------------------------------------------------------------
    def _server_script_problem(self, body: dict[str, Any], script: Reply) -> str | None:
        uses = script.server_uses
        if not uses:
            return None
        choice = body.get("tool_choice") or {}
        if choice.get("type") == "none":
            return "the reply uses server tools, but the request's tool_choice is 'none'"
        ids = [u.id for u in uses]
        if len(set(ids)) != len(ids):
            return f"the reply makes two server tool uses with one id: {ids}"
        counts: dict[str, int] = {}
        answered = len(uses) - 1 if script.dangling else len(uses)
        for k, use in enumerate(uses):
            tool = offered_tool(body, use.tool)
            if tool is None:
                offered = [t.get("type") for t in body.get("tools") or [] if isinstance(t, dict)]
                return (f"the reply uses the server tool {use.tool!r}, but the request offers "
                        f"only {offered} as `tools`")
            if isinstance(use, CodeRun) and use.kind == "bash" and (
                    tool.get("type") == "code_execution_20250522"):
                return ("a bash CodeRun needs code_execution_20250825 or newer; the request "
                        "offers code_execution_20250522 (python only: use kind='python')")
            urls = [h.url for h in use.hits] if isinstance(use, WebSearch) else (
                [use.url] if isinstance(use, WebFetch) else [])
            if use.error_code is None:
                for url in urls:
                    problem = _domain_problem(url, tool)
                    if problem is not None:
                        return f"server_uses[{k}]: {problem}"
            if k < answered and use.error_code is None and not isinstance(use, CodeRun):
                counts[use.tool] = counts.get(use.tool, 0) + 1
                limit = tool.get("max_uses")
                if isinstance(limit, int) and counts[use.tool] > limit:
                    return (f"the reply makes {counts[use.tool]} {use.tool} uses, but the tool's "
                            f"max_uses is {limit}: script the extra use with "
                            "error_code='max_uses_exceeded'")
        for i, cite in enumerate(script.cites):
            cited = uses[cite.use]
            if isinstance(cited, WebFetch) and not _citations_on(offered_tool(body,
                                                                             "web_fetch")):
                return (f"cites[{i}] cites a fetched page, but the request's web_fetch tool does "
                        "not set citations: {'enabled': true}")
        return None

    def _check_server_script(self, body: dict[str, Any], script: Reply) -> None:
        problem = self._server_script_problem(body, script)
        if problem is not None:
            with self._lock:
                self.script_errors.append(problem)
            raise _ApiFailure(500, "api_error", f"fake_api script error: {problem}",
                              headers={"x-should-retry": "false"})

    # -- the blocks of a reply ---------------------------------------------------------------
    def _server_reply_blocks(self, body: dict[str, Any], script: Reply) -> ServedServerBlocks:
        """Build (and remember as issued) the server-tool blocks of ``script``; files made go
        into the Files store, and a code run's container is made or reused."""
        served = ServedServerBlocks()
        uses = script.server_uses
        citations = _citations_on(offered_tool(body, "web_fetch"))
        searches = fetches = 0
        for k, use in enumerate(uses):
            call = use_block(use)
            served.out_chars += len(_canon(use.input))
            if script.dangling and k == len(uses) - 1:
                self._remember_issued(call)
                served.tail.append(call)
                continue
            result = (use.result_block(citations) if isinstance(use, WebFetch)
                      else use.result_block())
            self._remember_issued(call, result)
            served.lead += [call, result]
            if use.error_code is None:
                searches += isinstance(use, WebSearch)
                fetches += isinstance(use, WebFetch)
        for cite in script.cites:
            served.cited.append({"type": "text", "text": cite.text,
                                 "citations": [citation_for(cite, uses[cite.use])]})
            served.out_chars += len(cite.text)
        if uses:
            served.usage = {"web_search_requests": searches, "web_fetch_requests": fetches}
        runs = [u for u in uses if isinstance(u, CodeRun)]
        if runs or body.get("container") is not None or _has_upload(body):
            container = self._container_for(body)
            for run in runs:
                if script.dangling and run is uses[-1]:
                    continue
                for produced in run.files if run.error_code is None else []:
                    self._store_produced(produced.id, produced.filename, produced.mime_type,
                                         produced.data, container)
            served.container = container.wire()
        return served

    def _remember_issued(self, *blocks: dict[str, Any]) -> None:
        with self._lock:
            for block in blocks:
                key = (f"use:{block['id']}" if block["type"] == "server_tool_use"
                       else f"result:{block['tool_use_id']}")
                self._issued_server_blocks[key] = _canon(_norm(block, top=True))

    def _store_produced(self, file_id: str, filename: str, mime_type: str, data: bytes,
                        container: ContainerRecord | None) -> None:
        with self._lock:
            self.files[file_id] = StoredFile(id=file_id, filename=filename, mime_type=mime_type,
                                             data=data, downloadable=True)
            if container is not None:
                container.file_ids.append(file_id)

    def _container_for(self, body: dict[str, Any]) -> ContainerRecord:
        """The container the request names (checked live in validation), else a new one."""
        wanted = body.get("container")
        wanted_id = wanted.get("id") if isinstance(wanted, dict) else wanted
        with self._lock:
            if isinstance(wanted_id, str) and wanted_id in self.containers:
                return self.containers[wanted_id]
            record = ContainerRecord(id=_rand_id("container_011C", 20),
                                     expires_at=time.time() + self.container_lifetime)
            self.containers[record.id] = record
            for _i, block in _uploads(body):
                record.file_ids.append(str(block.get("file_id")))
            return record

    # -- for tests that start from stored history -------------------------------------------
    def issue_server_use(self, use: ServerUse, *, citations: bool = False
                         ) -> list[dict[str, Any]]:
        """The ``server_tool_use`` block and result block of ``use`` as if this server had
        served them (so they are accepted back); a code run's files go into the Files store.
        ``citations``: a fetched page's document has citations enabled."""
        call = use_block(use)
        result = (use.result_block(citations) if isinstance(use, WebFetch)
                  else use.result_block())
        self._remember_issued(call, result)
        if isinstance(use, CodeRun) and use.error_code is None:
            for produced in use.files:
                self._store_produced(produced.id, produced.filename, produced.mime_type,
                                     produced.data, None)
        return [call, result]


def _uploads(body: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """``(message index, block)`` of every ``container_upload`` block in the request."""
    found = []
    for i, msg in enumerate(body.get("messages") or []):
        content = msg.get("content") if isinstance(msg, dict) else None
        for block in content if isinstance(content, list) else []:
            if isinstance(block, dict) and block.get("type") == "container_upload":
                found.append((i, block))
    return found


def _has_upload(body: dict[str, Any]) -> bool:
    return bool(_uploads(body))


def stream_server_block(ex: Any, index: int, block: dict[str, Any],
                        pieces: list[str], pause: Any, hold: Any = None) -> None:
    """One server-tool block as the API streams it: a ``server_tool_use`` opens with an empty
    ``input`` and sends its input as ``input_json_delta`` pieces (``pieces``: the JSON text
    split as the reply's ``chunks`` ask); a result block comes whole in
    ``content_block_start``; a cited text block opens with ``citations: []``, sends each
    citation as a ``citations_delta`` and then its text. ``content_block_stop`` is the
    caller's. ``hold`` (a reply's gate) is called after a call's first input piece."""
    kind = block["type"]
    if kind == "server_tool_use":
        ex.event("content_block_start", {
            "type": "content_block_start", "index": index,
            "content_block": {"type": "server_tool_use", "id": block["id"],
                              "name": block["name"], "input": {}}})
        ex.event("content_block_delta", {
            "type": "content_block_delta", "index": index,
            "delta": {"type": "input_json_delta", "partial_json": ""}})
        for k, piece in enumerate(pieces):
            pause()
            ex.event("content_block_delta", {
                "type": "content_block_delta", "index": index,
                "delta": {"type": "input_json_delta", "partial_json": piece}})
            if k == 0 and hold is not None:
                hold()
    elif kind == "text":
        ex.event("content_block_start", {
            "type": "content_block_start", "index": index,
            "content_block": {"type": "text", "text": "", "citations": []}})
        for citation in block.get("citations") or []:
            ex.event("content_block_delta", {
                "type": "content_block_delta", "index": index,
                "delta": {"type": "citations_delta", "citation": citation}})
        for piece in pieces:
            pause()
            ex.event("content_block_delta", {
                "type": "content_block_delta", "index": index,
                "delta": {"type": "text_delta", "text": piece}})
    else:
        ex.event("content_block_start", {
            "type": "content_block_start", "index": index, "content_block": block})
