"""Serving the scripts: the next script (or an echo), a full reply as SSE events or as one
Message (thinking, redacted thinking and compaction blocks, tool calls streamed as
``input_json_delta`` pieces, chunking, delays, gates, usage), errors, and streams that fail
part-way."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .accounting import CHARS_PER_TOKEN
from .canonical import _message_blocks
from .errors import ERROR_STATUS, _Abort
from .scripts import (
    ApiError,
    CutStream,
    Hang,
    RecordedRequest,
    Reply,
    ResetStream,
    StreamError,
    ToolUse,
)
from .server_tools import stream_server_block
from .signatures import _BindingPrefix
from .wire import _rand_id

if TYPE_CHECKING:
    from .wire import _Exchange


_SERVER_BLOCKS = frozenset({
    "server_tool_use", "web_search_tool_result", "web_fetch_tool_result",
    "code_execution_tool_result", "bash_code_execution_tool_result",
})


def _split(text: str, chunks: int | None) -> list[str]:
    if not text:
        return []
    if chunks is None:
        return [text[i:i + 8] for i in range(0, len(text), 8)]
    n = max(1, min(chunks, len(text)))
    size, extra = divmod(len(text), n)
    out, pos = [], 0
    for i in range(n):
        end = pos + size + (1 if i < extra else 0)
        out.append(text[pos:end])
        pos = end
    return out


def _holder(ex: _Exchange, script: Reply) -> Callable[[], None] | None:
    """What holds a reply at its gate (``None`` without one)."""
    gate = script.gate
    if gate is None:
        return None

    def hold() -> None:
        script.at_gate.set()
        ex.wait(None, gate=gate)
    return hold


def _text_of(block: Any) -> str:
    """What the echo repeats of a user block: a text block's text, a tool result's text."""
    if not isinstance(block, dict):
        return ""
    if block.get("type") == "text":
        return str(block.get("text", ""))
    if block.get("type") == "tool_result":
        content = block.get("content")
        if isinstance(content, str):
            return content
        return "".join(_text_of(part) for part in content or [])
    return ""


class Replies:
    """``FakeAnthropicServer``'s serving of ``POST /v1/messages`` once a request is accepted."""

    _lock: threading.RLock
    _queue: list[Any]
    responder: Callable[[dict[str, Any]], Any] | None

    # -- serving scripts ---------------------------------------------------------------------
    def _next_script(self, body: dict[str, Any]) -> Any:
        with self._lock:
            if self._queue:
                return self._queue.pop(0)
            responder = self.responder
        if responder is not None:
            script = responder(body)
            if script is not None:
                return script
        return Reply()

    @staticmethod
    def _echo(body: dict[str, Any]) -> str:
        for msg in reversed(body["messages"]):
            if msg["role"] != "user":
                continue
            content = msg["content"]
            if isinstance(content, str):
                return "Echo: " + content
            return "Echo: " + "".join(_text_of(b) for b in content)
        return "Echo: "

    def _serve_message(self, ex: _Exchange, rec: RecordedRequest, body: dict[str, Any],
                       model: dict[str, Any]) -> None:
        ex.request = rec
        refused = self._still_refused(body)
        if refused is not None:  # refused again; the queued script stays for a later request
            self._serve_refusal_again(ex, body, refused)
            return
        script = self._next_script(body)
        ex.script = script
        try:
            self._serve_script(ex, body, script)
        finally:
            script.done.set()

    def _serve_script(self, ex: _Exchange, body: dict[str, Any], script: Any) -> None:
        if isinstance(script, ApiError):
            ex.error(script.status, script.error_type, script.error_message,
                     extra=dict(script.headers))
        elif isinstance(script, Hang):
            try:
                ex.wait(script.seconds)
            except _Abort:
                ex.abort()
                return
            if script.then is not None:
                inner = script.then
                ex.script = inner
                try:
                    self._serve_script(ex, body, inner)
                finally:
                    inner.done.set()
            else:
                ex.abort()
        elif isinstance(script, Reply):
            self._serve_reply(ex, body, script)
        else:
            self._serve_partial(ex, body, script)

    def _message_shell(self, body: dict[str, Any], usage: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": _rand_id("msg_01"),
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "stop_details": None,
            "usage": {**usage, "output_tokens": 1, "service_tier": "standard"},
        }

    def _serve_reply(self, ex: _Exchange, body: dict[str, Any], script: Reply) -> None:
        self._check_tool_script(body, script)
        self._check_server_script(body, script)
        server_part = bool(script.tool_uses or script.server_uses or script.cites)
        server = self._server_reply_blocks(body, script)
        if script.text is not None:
            text = script.text
        else:
            text = "" if server_part else self._echo(body)
        calls = {call.id: call for call in script.tool_uses}
        thinking_cfg = body.get("thinking") or {}
        omitted = isinstance(thinking_cfg, dict) and thinking_cfg.get("display") == "omitted"
        thinking_text = None
        if script.thinking is not None:
            thinking_text = "" if omitted else script.thinking
        usage = self._usage(body)
        prompt_tokens = (usage["input_tokens"] + usage["cache_creation_input_tokens"]
                         + usage["cache_read_input_tokens"])
        if script.input_tokens is not None:
            usage["input_tokens"] = script.input_tokens
        out_chars = (len(text) + len(script.thinking or "") + server.out_chars
                     + sum(len(call.streamed_json) for call in script.tool_uses))
        out_tokens = (script.output_tokens if script.output_tokens is not None
                      else max(1, out_chars // CHARS_PER_TOKEN))
        iterations: list[dict[str, Any]] | None = None
        if script.compaction is not None:
            # The compaction is billed as its own iteration, outside the top-level fields.
            compaction_entry: dict[str, Any] = {
                "type": "compaction", "input_tokens": prompt_tokens,
                "output_tokens": max(1, len(script.compaction) // CHARS_PER_TOKEN),
                "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
            }
            compaction_entry.update(script.compaction_usage or {})
            iterations = [compaction_entry, {
                "type": "message", "input_tokens": usage["input_tokens"],
                "output_tokens": out_tokens,
                "cache_creation_input_tokens": usage["cache_creation_input_tokens"],
                "cache_read_input_tokens": usage["cache_read_input_tokens"],
                "cache_creation": dict(usage["cache_creation"]),
            }]
        stop_reason = script.final_stop_reason

        # Each thinking block is bound to everything before it: the request's system prompt,
        # tools and messages, then the blocks of this reply before it.
        prefix = _BindingPrefix(body.get("tools"), body.get("system"))
        for _i, _j, role, block in _message_blocks(body["messages"]):
            prefix.add(role, block)
        blocks: list[dict[str, Any]] = []

        def add(block: dict[str, Any]) -> None:
            blocks.append(block)
            prefix.add("assistant", block)

        if script.compaction is not None:
            add(self.issue_compaction(script.compaction))
        if thinking_text is not None:
            add({"type": "thinking", "thinking": thinking_text,
                 "signature": self._mint_signature(thinking_text, prefix.digest())})
        if script.redacted_thinking:
            add({"type": "redacted_thinking", "data": self._mint_redacted(prefix.digest())})
        for block in server.lead:
            add(block)
        if text or not server_part:
            add({"type": "text", "text": text})
        for block in server.cited:
            add(block)
        thought = any(b["type"] in ("thinking", "redacted_thinking") for b in blocks)
        for call in script.tool_uses:
            add(call.block())
        for block in server.tail:
            add(block)
        self._remember_tool_uses(list(calls), after_thinking=thought)
        stop_details = None
        if stop_reason == "refusal":
            stop_details = {"type": "refusal", "category": script.refusal_category,
                            "explanation": script.refusal_explanation}
            self._remember_refusal(ex, body, blocks, script)
        message = self._message_shell(body, usage)

        if not body.get("stream"):
            n = len(_split(text, script.chunks)) + len(_split(thinking_text or "", script.chunks))
            n += sum(len(_split(call.streamed_json, script.chunks)) for call in calls.values())
            try:
                if script.delay and n > 1:
                    ex.wait(script.delay * (n - 1))
                if script.gate is not None:
                    script.at_gate.set()
                    ex.wait(None, gate=script.gate)
            except _Abort:
                ex.abort()
                return
            message["content"] = blocks
            message["stop_reason"] = stop_reason
            message["stop_sequence"] = script.stop_sequence
            message["stop_details"] = stop_details
            message["usage"]["output_tokens"] = out_tokens
            if iterations is not None:
                message["usage"]["iterations"] = iterations
            if server.usage is not None:
                message["usage"]["server_tool_use"] = server.usage
            if server.container is not None:
                message["container"] = server.container
            ex.json(200, message)
            return

        ex.start_sse()
        ex.event("message_start", {"type": "message_start", "message": message})
        ex.event("ping", {"type": "ping"})
        first_delta = True

        def pause() -> None:
            nonlocal first_delta
            if not first_delta and script.delay:
                ex.wait(script.delay)
            first_delta = False

        gate_on_tool = not any(b["type"] == "text" and not b.get("citations") for b in blocks)
        first_tool = next((i for i, b in enumerate(blocks)
                           if b["type"] in ("tool_use", "server_tool_use")), -1)
        for index, block in enumerate(blocks):
            kind = block["type"]
            if kind == "thinking":
                ex.event("content_block_start", {
                    "type": "content_block_start", "index": index,
                    "content_block": {"type": "thinking", "thinking": "", "signature": ""}})
                for piece in _split(block["thinking"], script.chunks):
                    pause()
                    ex.event("content_block_delta", {
                        "type": "content_block_delta", "index": index,
                        "delta": {"type": "thinking_delta", "thinking": piece}})
                ex.event("content_block_delta", {
                    "type": "content_block_delta", "index": index,
                    "delta": {"type": "signature_delta", "signature": block["signature"]}})
            elif kind == "redacted_thinking":
                ex.event("content_block_start", {
                    "type": "content_block_start", "index": index, "content_block": block})
            elif kind in _SERVER_BLOCKS or (kind == "text" and "citations" in block):
                text_of = block["text"] if kind == "text" else (
                    json.dumps(block["input"], ensure_ascii=False)
                    if kind == "server_tool_use" else "")
                hold = _holder(ex, script) if gate_on_tool and index == first_tool else None
                stream_server_block(ex, index, block, _split(text_of, script.chunks), pause,
                                    hold)
            elif kind == "tool_use":
                self._stream_tool_use(ex, index, calls[block["id"]], script, pause,
                                      hold=gate_on_tool and index == first_tool)
            elif kind == "compaction":
                ex.event("content_block_start", {
                    "type": "content_block_start", "index": index,
                    "content_block": {"type": "compaction", "content": None,
                                      "signature": block["signature"]}})
                ex.event("content_block_delta", {
                    "type": "content_block_delta", "index": index,
                    "delta": {"type": "compaction_delta", "content": block["content"],
                              "encrypted_content": None}})
            else:
                ex.event("content_block_start", {
                    "type": "content_block_start", "index": index,
                    "content_block": {"type": "text", "text": ""}})
                pieces = _split(block["text"], script.chunks)
                for k, piece in enumerate(pieces):
                    pause()
                    ex.event("content_block_delta", {
                        "type": "content_block_delta", "index": index,
                        "delta": {"type": "text_delta", "text": piece}})
                    if k == 0 and script.gate is not None:
                        script.at_gate.set()
                        ex.wait(None, gate=script.gate)
                if not pieces and script.gate is not None:
                    script.at_gate.set()
                    ex.wait(None, gate=script.gate)
            ex.event("content_block_stop", {"type": "content_block_stop", "index": index})
        final_usage: dict[str, Any] = {
            "input_tokens": usage["input_tokens"],
            "cache_creation_input_tokens": usage["cache_creation_input_tokens"],
            "cache_read_input_tokens": usage["cache_read_input_tokens"],
            "output_tokens": out_tokens,
        }
        if iterations is not None:
            final_usage["iterations"] = iterations
        if server.usage is not None:
            final_usage["server_tool_use"] = server.usage
        delta: dict[str, Any] = {"stop_reason": stop_reason,
                                 "stop_sequence": script.stop_sequence,
                                 "stop_details": stop_details}
        if server.container is not None:
            delta["container"] = server.container
        ex.event("message_delta", {"type": "message_delta", "delta": delta,
                                   "usage": final_usage})
        ex.event("message_stop", {"type": "message_stop"})
        ex.end_sse()

    @staticmethod
    def _stream_tool_use(ex: _Exchange, index: int, call: ToolUse, script: Reply,
                         pause: Callable[[], None], *, hold: bool) -> None:
        """A call as the API streams it: the block with an empty input, an empty first
        ``input_json_delta``, then the input's JSON text in pieces (``hold``: the gate waits
        after the first piece)."""
        ex.event("content_block_start", {
            "type": "content_block_start", "index": index,
            "content_block": {"type": "tool_use", "id": call.id, "name": call.name,
                              "input": {}}})
        ex.event("content_block_delta", {
            "type": "content_block_delta", "index": index,
            "delta": {"type": "input_json_delta", "partial_json": ""}})
        for k, piece in enumerate(_split(call.streamed_json, script.chunks)):
            pause()
            ex.event("content_block_delta", {
                "type": "content_block_delta", "index": index,
                "delta": {"type": "input_json_delta", "partial_json": piece}})
            if k == 0 and hold and script.gate is not None:
                script.at_gate.set()
                ex.wait(None, gate=script.gate)

    def _serve_partial(self, ex: _Exchange, body: dict[str, Any],
                       script: StreamError | CutStream | ResetStream) -> None:
        usage = self._usage(body)
        message = self._message_shell(body, usage)
        if not body.get("stream"):
            if isinstance(script, StreamError):
                ex.error(ERROR_STATUS.get(script.type, 500), script.type, script.message)
                return
            message["content"] = [{"type": "text", "text": script.after_text or "partial"}]
            message["stop_reason"] = "end_turn"
            data = json.dumps(message).encode()
            ex.headers(200, "application/json", length=len(data))
            ex.write(data[: len(data) // 2])
            if isinstance(script, ResetStream):
                ex.reset()
            else:
                ex.h.wfile.flush()
                ex.abort()
            return
        ex.start_sse()
        ex.event("message_start", {"type": "message_start", "message": message})
        ex.event("ping", {"type": "ping"})
        ex.event("content_block_start", {"type": "content_block_start", "index": 0,
                                         "content_block": {"type": "text", "text": ""}})
        for k, piece in enumerate(_split(script.after_text, script.chunks)):
            if k and script.delay:
                ex.wait(script.delay)
            ex.event("content_block_delta", {
                "type": "content_block_delta", "index": 0,
                "delta": {"type": "text_delta", "text": piece}})
        if isinstance(script, StreamError):
            ex.event("error", {"type": "error",
                               "error": {"type": script.type, "message": script.message}})
            ex.end_sse()
        elif isinstance(script, CutStream):
            ex.end_sse()
        else:
            ex.reset()
