"""The rules the real API enforces on ``system`` and ``messages``: roles and their order,
content block types and fields, images (type, size, pixels, count), documents, thinking and
compaction blocks this server issued, ``tool_use`` ids and ``tool_result`` content, and their
pairing (every call answered in the next user turn, the results first in it, once each)."""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import urlsplit

from .errors import _invalid
from .media import (
    IMAGE_MEDIA_TYPES,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_SIDE,
    _decode_b64,
    _image_size,
    _Media,
    _sniff_image,
)
from .models import _cap
from .tools import TOOL_RESULT_CONTENT_TYPES, TOOL_USE_ID_PATTERN
from .validation import COMPACT_BETA


_BLOCK_KEYS: dict[str, frozenset[str]] = {
    "text": frozenset({"type", "text", "cache_control", "citations"}),
    "image": frozenset({"type", "source", "cache_control", "transformations"}),
    "document": frozenset({"type", "source", "cache_control", "citations", "context", "title"}),
    "thinking": frozenset({"type", "thinking", "signature"}),
    "redacted_thinking": frozenset({"type", "data"}),
    "tool_use": frozenset({"type", "id", "name", "input", "cache_control", "caller",
                           "toolset_name"}),
    "tool_result": frozenset({"type", "tool_use_id", "content", "is_error", "cache_control",
                              "toolset_name"}),
    "compaction": frozenset({"type", "content", "encrypted_content", "signature", "tool_changes",
                             "cache_control"}),
}
# Other block types the API knows; accepted without deep validation.
_LOOSE_BLOCK_TYPES = frozenset({
    "search_result", "server_tool_use", "web_search_tool_result", "web_fetch_tool_result",
    "code_execution_tool_result", "bash_code_execution_tool_result",
    "text_editor_code_execution_tool_result", "tool_search_tool_result", "container_upload",
    "tool_reference", "mcp_tool_use", "mcp_tool_result",
})


class ContentValidation:
    """``FakeAnthropicServer``'s checks of the system prompt, messages and content blocks."""

    _lock: threading.RLock
    _redacted: dict[str, str | None]
    _compactions: dict[str, str]

    def _validate_system(self, system: Any) -> None:
        if system is None:
            return
        if isinstance(system, str):
            return
        if not isinstance(system, list):
            raise _invalid("system: Input should be a valid string or a list of text blocks")
        for i, block in enumerate(system):
            where = f"system.{i}"
            if not isinstance(block, dict) or block.get("type") != "text":
                raise _invalid(f"{where}.type: Input should be 'text'")
            self._validate_block(block, where, "system", {})

    def _validate_messages(self, messages: Any, model: dict[str, Any], betas: set[str]) -> None:
        if not isinstance(messages, list):
            raise _invalid("messages: Input should be a valid list")
        if not messages:
            raise _invalid("messages: at least one message is required")
        prev_tool_uses: set[str] = set()
        seen_tool_uses: set[str] = set()
        media = _Media()
        for i, msg in enumerate(messages):
            where = f"messages.{i}"
            if not isinstance(msg, dict):
                raise _invalid(f"{where}: Input should be a valid dictionary")
            for key in msg:
                if key not in ("role", "content"):
                    raise _invalid(f"{where}.{key}: Extra inputs are not permitted")
            role = msg.get("role")
            if role not in ("user", "assistant"):
                raise _invalid(f"{where}.role: Input should be 'user' or 'assistant'")
            if "content" not in msg:
                raise _invalid(f"{where}.content: Field required")
            content = msg["content"]
            is_final = i == len(messages) - 1
            if i == 0 and role != "user":
                raise _invalid('messages: first message must use the "user" role')
            if isinstance(content, str):
                if not content and not (is_final and role == "assistant"):
                    raise _invalid(f"{where}: all messages must have non-empty content except "
                                   "for the optional final assistant message")
                blocks: list[Any] = [{"type": "text", "text": content}] if content else []
            elif isinstance(content, list):
                if not content and not (is_final and role == "assistant"):
                    raise _invalid(f"{where}: all messages must have non-empty content except "
                                   "for the optional final assistant message")
                blocks = content
                ctx = {"betas": betas, "model": model, "media": media}
                for j, block in enumerate(content):
                    self._validate_block(block, f"{where}.content.{j}", role, ctx)
            else:
                raise _invalid(f"{where}.content: Input should be a valid string or list")
            # tool_use / tool_result pairing
            result_ids = [b.get("tool_use_id") for b in blocks
                          if isinstance(b, dict) and b.get("type") == "tool_result"]
            tool_results = set(result_ids)
            if role == "user":
                twice = sorted({str(t) for t in result_ids if result_ids.count(t) > 1})
                if twice:
                    raise _invalid(f"{where}: each `tool_use` must have a single result. Found "
                                   f"multiple `tool_result` blocks with id: {twice[0]}")
                unexpected = sorted(str(t) for t in tool_results - prev_tool_uses)
                if unexpected:
                    raise _invalid(
                        f"{where}.content: unexpected `tool_use_id` found in `tool_result` "
                        f"blocks: {', '.join(unexpected)}. Each `tool_result` block must have a "
                        "corresponding `tool_use` block in the previous message.")
                missing = sorted(prev_tool_uses - tool_results)
                if missing:
                    raise _invalid(
                        f"messages.{i - 1}: `tool_use` ids were found without `tool_result` "
                        f"blocks immediately after: {', '.join(missing)}. Each `tool_use` block "
                        "must have a corresponding `tool_result` block in the next message.")
                if prev_tool_uses:
                    leading = 0
                    while leading < len(blocks) and isinstance(blocks[leading], dict) and (
                            blocks[leading].get("type") == "tool_result"):
                        leading += 1
                    if leading < len(result_ids):
                        raise _invalid(
                            f"{where}: Did not find {len(prev_tool_uses)} `tool_result` block(s) "
                            "at the beginning of this message. Messages following `tool_use` "
                            "blocks must begin with a matching number of `tool_result` blocks.")
                prev_tool_uses = set()
            else:
                if prev_tool_uses:
                    raise _invalid(
                        f"messages.{i - 1}: `tool_use` ids were found without `tool_result` "
                        f"blocks immediately after: {', '.join(sorted(prev_tool_uses))}.")
                prev_tool_uses = set()
                for j, b in enumerate(blocks):
                    if not (isinstance(b, dict) and b.get("type") == "tool_use"):
                        continue
                    if str(b.get("id")) in seen_tool_uses:
                        raise _invalid(f"{where}.content.{j}: `tool_use` ids must be unique: "
                                       f"{b.get('id')} is used more than once")
                    seen_tool_uses.add(str(b.get("id")))
                    prev_tool_uses.add(str(b.get("id")))
            if is_final and role == "assistant" and blocks:
                last = blocks[-1]
                if (isinstance(last, dict) and last.get("type") == "text"
                        and isinstance(last.get("text"), str)
                        and last["text"] != last["text"].rstrip()):
                    raise _invalid("messages: final assistant content cannot end with trailing "
                                   "whitespace")
        media.check()

    def _validate_cc(self, cc: Any, where: str) -> None:
        if cc is None:
            return
        if not isinstance(cc, dict) or cc.get("type") != "ephemeral":
            raise _invalid(f"{where}.cache_control.type: Input should be 'ephemeral'")
        for key in cc:
            if key not in ("type", "ttl"):
                raise _invalid(f"{where}.cache_control.{key}: Extra inputs are not permitted")
        if "ttl" in cc and cc["ttl"] not in ("5m", "1h"):
            raise _invalid(f"{where}.cache_control.ttl: Input should be '5m' or '1h'")

    def _validate_block(self, block: Any, where: str, role: str, ctx: dict[str, Any]) -> None:
        if not isinstance(block, dict):
            raise _invalid(f"{where}: Input should be a valid dictionary")
        kind = block.get("type")
        if kind in _LOOSE_BLOCK_TYPES:
            return
        if kind not in _BLOCK_KEYS:
            raise _invalid(f"{where}: Input tag '{kind}' found using 'type' does not match any "
                           "of the expected tags")
        for key in block:
            if key not in _BLOCK_KEYS[kind]:
                raise _invalid(f"{where}.{kind}.{key}: Extra inputs are not permitted")
        self._validate_cc(block.get("cache_control"), where)
        model = ctx.get("model") or {}
        if kind == "text":
            text = block.get("text")
            if not isinstance(text, str):
                raise _invalid(f"{where}.text.text: Field required")
            if not text:
                raise _invalid(f"{where}: text content blocks must be non-empty")
        elif kind == "image":
            if role != "user":
                raise _invalid(f"{where}: image blocks are only allowed in user messages")
            if not _cap(model, "image_input"):
                raise _invalid(f"{where}: this model does not support image input")
            self._validate_image(block, f"{where}.image.source", ctx)
        elif kind == "document":
            if role != "user":
                raise _invalid(f"{where}: document blocks are only allowed in user messages")
            if "media" in ctx:
                ctx["media"].documents += 1
            self._validate_document_source(block.get("source"), f"{where}.document.source",
                                           model)
        elif kind in ("thinking", "redacted_thinking"):
            if role != "assistant":
                raise _invalid(f"{where}: `{kind}` blocks are only allowed in assistant "
                               "messages")
            if kind == "thinking":
                thinking, sig = block.get("thinking"), block.get("signature")
                if not isinstance(thinking, str):
                    raise _invalid(f"{where}.thinking.thinking: Field required")
                if not isinstance(sig, str) or not sig:
                    raise _invalid(f"{where}.thinking.signature: Field required")
                if not self._signature_ok(thinking, sig):
                    raise _invalid(f"{where}: Invalid `signature` in `thinking` block")
            else:
                data = block.get("data")
                with self._lock:
                    ok = isinstance(data, str) and data in self._redacted
                if not ok:
                    raise _invalid(f"{where}: Invalid `data` in `redacted_thinking` block")
        elif kind == "tool_use":
            if role != "assistant":
                raise _invalid(f"{where}: tool_use blocks are only allowed in assistant messages")
            if not isinstance(block.get("id"), str) or not isinstance(block.get("name"), str):
                raise _invalid(f"{where}.tool_use: `id` and `name` are required")
            if not re.match(TOOL_USE_ID_PATTERN, block["id"]):
                raise _invalid(f"{where}.tool_use.id: String should match pattern "
                               f"'{TOOL_USE_ID_PATTERN}'")
            if not isinstance(block.get("input"), dict):
                raise _invalid(f"{where}.tool_use.input: Input should be a valid dictionary")
        elif kind == "tool_result":
            if role != "user":
                raise _invalid(f"{where}: tool_result blocks are only allowed in user messages")
            if not isinstance(block.get("tool_use_id"), str):
                raise _invalid(f"{where}.tool_result.tool_use_id: Field required")
            if "is_error" in block and not isinstance(block["is_error"], bool):
                raise _invalid(f"{where}.tool_result.is_error: Input should be a valid boolean")
            self._validate_tool_result_content(block.get("content"), f"{where}.tool_result",
                                               ctx)
        elif kind == "compaction":
            betas = ctx.get("betas") or set()
            if COMPACT_BETA not in betas and "compact-2026-09-04" not in betas:
                raise _invalid(f"{where}: Input tag 'compaction' found using 'type' does not "
                               f"match any of the expected tags (requires the "
                               f"`anthropic-beta: {COMPACT_BETA}` header)")
            if "content" not in block:
                raise _invalid(f"{where}.compaction.content: Field required")
            content, sig = block.get("content"), block.get("signature")
            if not isinstance(content, str) or not content:
                raise _invalid(f"{where}.compaction.content: Input should be a non-empty string")
            with self._lock:
                issued = dict(self._compactions)
            if sig is None:
                if content not in issued.values():
                    raise _invalid(f"{where}: this `compaction` block was not issued by the API",
                                   "compaction_signature_invalid")
            elif sig not in issued:
                raise _invalid(f"{where}: the `compaction` block's `signature` does not verify",
                               "compaction_signature_invalid")
            elif issued[sig] != content:
                raise _invalid(f"{where}: the `compaction` block's `content` differs from the "
                               "text its `signature` recorded", "compaction_content_mismatch")

    def _validate_tool_result_content(self, content: Any, where: str,
                                      ctx: dict[str, Any]) -> None:
        """A result is a string or a list of text, image, document, search_result (and
        tool_reference) blocks, each checked as in a user message (images and documents count
        toward the request's limits)."""
        if content is None or isinstance(content, str):
            return
        if not isinstance(content, list):
            raise _invalid(f"{where}.content: Input should be a valid string or list")
        for k, part in enumerate(content):
            part_where = f"{where}.content.{k}"
            kind = part.get("type") if isinstance(part, dict) else None
            if kind not in TOOL_RESULT_CONTENT_TYPES:
                raise _invalid(f"{part_where}: Input tag '{kind}' found using 'type' does not "
                               "match any of the expected tags: " + ", ".join(
                                   repr(t) for t in TOOL_RESULT_CONTENT_TYPES))
            self._validate_block(part, part_where, "user", ctx)

    def _validate_image(self, block: dict[str, Any], where: str, ctx: dict[str, Any]) -> None:
        size = self._validate_image_source(block.get("source"), where)
        if "media" in ctx:
            ctx["media"].images.append((where, size))

    def _validate_image_source(self, source: Any, where: str) -> tuple[int, int] | None:
        """Check one image source; returns its pixel size (``None`` for URL / file images)."""
        if not isinstance(source, dict):
            raise _invalid(f"{where}: Field required")
        kind = source.get("type")
        if kind == "base64":
            media_type = source.get("media_type")
            if media_type not in IMAGE_MEDIA_TYPES:
                raise _invalid(f"{where}.base64.media_type: Input should be 'image/jpeg', "
                               "'image/png', 'image/gif' or 'image/webp'")
            text = source.get("data")
            if isinstance(text, str) and len(text) > MAX_IMAGE_BYTES:
                raise _invalid(f"{where}.base64: image exceeds 5 MB maximum: {len(text)} bytes "
                               f"> {MAX_IMAGE_BYTES} bytes")
            data = _decode_b64(text, f"{where}.base64")
            actual = _sniff_image(data)
            if actual is None:
                raise _invalid(f"{where}.base64: Could not process image")
            if actual != media_type:
                raise _invalid(f"{where}.base64: Image does not match the provided media type "
                               f"{media_type} (it looks like {actual})")
            size = _image_size(data, actual)
            if size is None:
                raise _invalid(f"{where}.base64: Could not process image")
            if max(size) > MAX_IMAGE_SIDE:
                raise _invalid(f"{where}.base64.data: At least one of the image dimensions "
                               f"exceed max allowed size: {MAX_IMAGE_SIDE} pixels")
            return size
        if kind == "url":
            url = source.get("url")
            if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
                raise _invalid(f"{where}.url.url: must be an http(s) URL")
        elif kind == "file":
            if not isinstance(source.get("file_id"), str):
                raise _invalid(f"{where}.file.file_id: Field required")
        else:
            raise _invalid(f"{where}: Input tag '{kind}' found using 'type' does not match any "
                           "of the expected tags: 'base64', 'url', 'file'")
        return None

    def _validate_document_source(self, source: Any, where: str, model: dict[str, Any]) -> None:
        if not isinstance(source, dict):
            raise _invalid(f"{where}: Field required")
        kind = source.get("type")
        if kind == "base64":
            if source.get("media_type") != "application/pdf":
                raise _invalid(f"{where}.base64.media_type: Input should be 'application/pdf'")
            if not _cap(model, "pdf_input"):
                raise _invalid(f"{where}: this model does not support PDF input")
            data = _decode_b64(source.get("data"), f"{where}.base64")
            if not data.startswith(b"%PDF-"):
                raise _invalid(f"{where}.base64: The PDF specified was not valid.")
        elif kind == "url":
            url = source.get("url")
            if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
                raise _invalid(f"{where}.url.url: must be an http(s) URL")
        elif kind == "text":
            if source.get("media_type") != "text/plain" or not isinstance(source.get("data"), str):
                raise _invalid(f"{where}.text: media_type 'text/plain' and string data required")
        elif kind == "content":
            if not isinstance(source.get("content"), (str, list)):
                raise _invalid(f"{where}.content.content: Field required")
        elif kind == "file":
            if not isinstance(source.get("file_id"), str):
                raise _invalid(f"{where}.file.file_id: Field required")
        else:
            raise _invalid(f"{where}: Input tag '{kind}' found using 'type' does not match any "
                           "of the expected tags: 'base64', 'url', 'text', 'content', 'file'")
