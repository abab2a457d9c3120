"""Conversations from a claude.ai data export (``conversations.json``), as Cairn conversations.

claude.ai's export is a JSON list of conversations (``uuid``, ``name``, ``created_at``,
``updated_at``, ``chat_messages``); each message has a ``sender`` (``human`` or ``assistant``),
its ``text``, typed ``content`` blocks (``text``, ``thinking``, ``tool_use``, ``tool_result``,
...), and ``attachments`` whose ``extracted_content`` is the text claude.ai read from a file.
The format is not documented and changes, so every field is optional here and unknown ones
are ignored. Ids are derived from claude.ai's uuids: importing the same export twice yields
the same ids, which the storage layer merges instead of duplicating. No file I/O here.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from desktop_app.core.conversation import DEFAULT_TITLE, Conversation, Message, title_from_text

SOURCE_NAME = "claude.ai"
_EPOCH = "1970-01-01T00:00:00.000Z"  # for an export without any time at all: stable on re-import
_TOOL_TEXT_CHARS = 500  # tool calls and results are summarised, not kept whole


class ImportFormatError(ValueError):
    """A file Cairn cannot import; ``str(error)`` is one sentence for the user."""


@dataclass
class ClaudeImport:
    """What a claude.ai export held: the conversations, and what was left out and why."""

    conversations: list[Conversation] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_claude_export(raw: bytes | str) -> ClaudeImport:
    """Read the text of a claude.ai ``conversations.json``.

    Raises:
        ImportFormatError: the text is not JSON, or not a claude.ai conversations export.
    """
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFormatError(
                "This file is not a claude.ai export: it is not text."
            ) from None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise ImportFormatError("This file is not a claude.ai export: it is not JSON.") from None
    return claude_export_from_json(data)


def claude_export_from_json(data: Any) -> ClaudeImport:
    """Turn a parsed claude.ai export (a list of conversations) into Cairn conversations.

    Entries that are not conversations are skipped and described in ``problems``.

    Raises:
        ImportFormatError: ``data`` is not a claude.ai conversations export.
    """
    if isinstance(data, dict) and isinstance(data.get("conversations"), list):
        data = data["conversations"]  # some tools wrap the list with account details
    if not isinstance(data, list):
        raise ImportFormatError(
            "This file is not a claude.ai export: it should hold a list of conversations."
        )
    result = ClaudeImport()
    for position, entry in enumerate(data, start=1):
        if not _looks_like_conversation(entry):
            result.problems.append(f"Entry {position} is not a conversation and was skipped.")
            continue
        try:
            conversation = _conversation(entry)
        except (ValueError, TypeError, RecursionError):
            result.problems.append(f"Conversation {position} could not be read and was skipped.")
            continue
        if not conversation.messages:
            result.problems.append(
                f"“{conversation.title}” has no messages and was skipped."
            )
            continue
        result.conversations.append(conversation)
    if data and not any(_looks_like_conversation(entry) for entry in data):
        raise ImportFormatError(
            "This file is not a claude.ai export: none of its entries is a conversation."
        )
    return result


def conversation_id_for(claude_uuid: str) -> str:
    """Cairn's id for a claude.ai conversation uuid: ``conv_`` and its 32 hex digits."""
    return "conv_" + uuid.UUID(claude_uuid).hex


def _looks_like_conversation(entry: Any) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get("chat_messages"), list)


def _conversation(entry: dict[str, Any]) -> Conversation:
    claude_uuid = _text(entry.get("uuid"))
    conversation_id = _id_from("conv", claude_uuid, entry)
    messages: list[Message] = []
    seen: set[str] = set()
    for index, item in enumerate(_active_path(entry)):
        message = _message(item, conversation_id, index)
        if message is None:
            continue
        if message.id in seen:  # the same uuid twice: keep both, under distinct ids
            message.id = _id_from("msg", "", {"conversation": conversation_id, "index": index})
        seen.add(message.id)
        messages.append(message)
    created = _timestamp(entry.get("created_at")) or next(
        (m.created_at for m in messages if m.created_at), _EPOCH
    )
    for message in messages:  # a message without a time of its own
        if not message.created_at:
            message.created_at = created
    updated = _timestamp(entry.get("updated_at")) or max(
        [created] + [m.created_at for m in messages]
    )
    title = _one_line(_text(entry.get("name")))
    if not title:
        first_user = next((m for m in messages if m.role == "user" and m.text.strip()), None)
        title = title_from_text(first_user.text) if first_user else DEFAULT_TITLE
    source: dict[str, Any] = {"app": SOURCE_NAME}
    if claude_uuid:
        source["uuid"] = claude_uuid
    return Conversation(
        id=conversation_id,
        title=title,
        created_at=created,
        updated_at=updated,
        messages=messages,
        extra={"imported_from": source},
    )


def _active_path(entry: dict[str, Any]) -> list[Any]:
    """The messages in reading order: the branch that ends at the current leaf when the export
    says which one it is (edited prompts leave other branches in the list), else as listed."""
    items: list[Any] = entry["chat_messages"]
    leaf = entry.get("current_leaf_message_uuid")
    by_uuid = {
        item["uuid"]: item
        for item in items
        if isinstance(item, dict) and isinstance(item.get("uuid"), str)
    }
    if not isinstance(leaf, str) or leaf not in by_uuid:
        return items
    path: list[Any] = []
    seen: set[str] = set()
    current: Any = leaf
    while isinstance(current, str) and current in by_uuid and current not in seen:
        seen.add(current)
        path.append(by_uuid[current])
        current = by_uuid[current].get("parent_message_uuid")
    path.reverse()
    return path


def _message(item: Any, conversation_id: str, index: int) -> Message | None:
    if not isinstance(item, dict):
        return None
    sender = item.get("sender")
    if sender in ("human", "user"):
        role = "user"
    elif sender == "assistant":
        role = "assistant"
    else:
        return None
    blocks: list[dict[str, Any]] = []
    for attachment in _list(item.get("attachments")):
        block = _attachment_block(attachment)
        if block is not None:
            blocks.append(block)
    for upload in _list(item.get("files")) + _list(item.get("files_v2")):
        name = _file_name(upload)
        if name and not any(name in b.get("text", "") for b in blocks):
            blocks.append(_text_block(f"[File not included in the claude.ai export: {name}]"))
    content = [b for b in map(_content_block, _list(item.get("content"))) if b is not None]
    if not any(b["type"] == "text" for b in content):
        text = _text(item.get("text"))
        if text.strip():
            content.append(_text_block(text))
    blocks.extend(content)
    if not blocks:
        return None
    claude_uuid = _text(item.get("uuid"))
    return Message(
        role=role,
        content=blocks,
        id=_id_from("msg", claude_uuid, {"conversation": conversation_id, "index": index}),
        created_at=_timestamp(item.get("created_at")),
    )


def _content_block(block: Any) -> dict[str, Any] | None:
    """One claude.ai content block in the API's shape; tools become a one-line summary."""
    if not isinstance(block, dict):
        return None
    kind = block.get("type")
    if kind == "text":
        text = _text(block.get("text"))
        return _text_block(text) if text.strip() else None
    if kind == "thinking":
        thinking = _text(block.get("thinking"))
        if not thinking.strip():
            summaries = [_text(s.get("summary")) for s in _list(block.get("summaries"))
                         if isinstance(s, dict)]
            thinking = "\n".join(s for s in summaries if s.strip())
        # No signature: shown as thinking, never sent back (the API would refuse it).
        return {"type": "thinking", "thinking": thinking} if thinking.strip() else None
    if kind == "tool_use":
        name = _one_line(_text(block.get("name"))) or "a tool"
        details = _compact_json(block.get("input"))
        return _text_block(f"[Tool call on claude.ai: {name}{' ' + details if details else ''}]")
    if kind == "tool_result":
        name = _one_line(_text(block.get("name"))) or "a tool"
        parts = [_text(p.get("text")) for p in _list(block.get("content")) if isinstance(p, dict)]
        summary = _shorten(_one_line(" ".join(parts)))
        failed = " (failed)" if block.get("is_error") is True else ""
        return _text_block(
            f"[Tool result on claude.ai from {name}{failed}{': ' + summary if summary else ''}]"
        )
    text = _text(block.get("text"))
    return _text_block(text) if text.strip() else None


def _attachment_block(attachment: Any) -> dict[str, Any] | None:
    """A pasted or attached file claude.ai read as text, kept as a labelled text block."""
    if not isinstance(attachment, dict):
        return None
    name = _file_name(attachment) or "a file"
    content = _text(attachment.get("extracted_content"))
    if not content.strip():
        return _text_block(f"[Attached file: {name} (its content is not in the claude.ai export)]")
    return _text_block(f"[Attached file: {name}]\n\n{content}")


def _file_name(item: Any) -> str:
    if not isinstance(item, dict):
        return ""
    return _one_line(_text(item.get("file_name")))


def _text_block(text: str) -> dict[str, Any]:
    return {"type": "text", "text": text}


def _id_from(prefix: str, claude_uuid: str, fallback: Any) -> str:
    """A stable id: from claude.ai's uuid, else from a hash of what identifies the item."""
    try:
        return f"{prefix}_{uuid.UUID(claude_uuid).hex}"
    except ValueError:
        pass
    try:
        digest_of = json.dumps([claude_uuid, fallback], sort_keys=True, default=str)
    except (ValueError, TypeError, RecursionError):
        digest_of = claude_uuid or repr(fallback)[:10_000]
    digest = hashlib.sha256(digest_of.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{prefix}_{digest[:32]}"


def _timestamp(value: Any) -> str:
    """A time as Cairn writes it (UTC, milliseconds, ``Z``) so the sidebar sorts it right."""
    if not isinstance(value, str):
        return ""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return ""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _compact_json(value: Any) -> str:
    if value is None or value == {}:
        return ""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (ValueError, TypeError, RecursionError):
        return ""
    return _shorten(text)


def _shorten(text: str) -> str:
    return text if len(text) <= _TOOL_TEXT_CHARS else text[: _TOOL_TEXT_CHARS - 1] + "…"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())
