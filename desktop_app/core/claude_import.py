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

import codecs
import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from desktop_app.core.conversation import DEFAULT_TITLE, Conversation, Message, title_from_text
from desktop_app.core import import_limits
from desktop_app.core.import_limits import megabytes
from desktop_app.core.import_problems import ImportProblem, ProblemKind

SOURCE_NAME = "claude.ai"
_EPOCH = "1970-01-01T00:00:00.000Z"  # for an export without any time at all: stable on re-import
_TOOL_TEXT_CHARS = 500  # tool calls and results are summarised, not kept whole


class ImportFormatError(ValueError):
    """A file Cairn cannot import. ``problem`` says why as data, for the UI to word;
    ``str(error)`` is its English sentence (for logs)."""

    def __init__(self, problem: ImportProblem) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass
class ClaudeImport:
    """What a claude.ai export held: the conversations, and what was left out and why."""

    conversations: list[Conversation] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


def parse_claude_export(raw: bytes | str) -> ClaudeImport:
    """Read the whole text of a claude.ai ``conversations.json`` (small files and tests; a
    file on disk is read with ``iter_claude_export``, a piece at a time).

    Raises:
        ImportFormatError: the text is not JSON, or not a claude.ai conversations export.
    """
    return _collect(iter_claude_export([raw]))


def claude_export_from_json(data: Any) -> ClaudeImport:
    """Turn a parsed claude.ai export (a list of conversations) into Cairn conversations.

    Entries that are not conversations are skipped and described in ``problems``.

    Raises:
        ImportFormatError: ``data`` is not a claude.ai conversations export.
    """
    if isinstance(data, dict) and isinstance(data.get("conversations"), list):
        data = data["conversations"]  # some tools wrap the list with account details
    if not isinstance(data, list):
        raise ImportFormatError(NOT_A_LIST)
    if data and not any(_looks_like_conversation(entry) for entry in data):
        raise ImportFormatError(NO_CONVERSATION)
    return _collect(_convert_entries(enumerate(data, start=1)))


def _collect(items: Iterator[Conversation | ImportProblem]) -> ClaudeImport:
    result = ClaudeImport()
    for item in items:
        if isinstance(item, Conversation):
            result.conversations.append(item)
        else:
            result.problems.append(item)
    return result


NOT_JSON = ImportProblem(ProblemKind.EXPORT_NOT_JSON)
NOT_A_LIST = ImportProblem(ProblemKind.EXPORT_NOT_A_LIST)
NO_CONVERSATION = ImportProblem(ProblemKind.EXPORT_NO_CONVERSATION)


def iter_claude_export(
    chunks: Iterable[bytes | str], *, max_entry_bytes: int | None = None
) -> Iterator[Conversation | ImportProblem]:
    """The conversations of a claude.ai ``conversations.json`` given a piece at a time, each
    as soon as it has been read, with an ``ImportProblem`` for each entry left out.

    Memory holds one entry at a time, whatever the size of the file: the text is decoded and
    parsed incrementally (``json.JSONDecoder.raw_decode`` on each entry of the top-level
    list). An entry whose JSON is longer than ``max_entry_bytes`` is skipped unparsed (said
    in a sentence naming the limit; by default ``import_limits.MAX_CONVERSATION_BYTES``).
    The list may also be wrapped in an object, under ``"conversations"``.

    Raises:
        ImportFormatError: the text is not JSON, not a claude.ai export, or breaks off before
            any conversation was read. A file that breaks off later ends with a sentence
            saying so (the conversations before it were yielded).
    """
    if max_entry_bytes is None:
        max_entry_bytes = import_limits.MAX_CONVERSATION_BYTES
    reader = _JsonStream(chunks)
    entries = 0
    conversations = 0
    try:
        for position, entry in _top_level_entries(reader, max_entry_bytes):
            entries += 1
            if isinstance(entry, _TooLarge):
                yield ImportProblem(ProblemKind.EXPORT_ENTRY_TOO_LARGE, position=position,
                                    limit=megabytes(max_entry_bytes))
                continue
            for item in _convert_entries([(position, entry)]):
                if isinstance(item, Conversation):
                    conversations += 1
                yield item
    except _Broken as exc:
        if conversations == 0:
            raise ImportFormatError(exc.sentence) from None
        yield ImportProblem(ProblemKind.EXPORT_BROKEN_OFF, entry=entries, reason=exc.reason)
        return
    if entries and not reader.seen_conversation:
        raise ImportFormatError(NO_CONVERSATION)


def _convert_entries(
    entries: Iterable[tuple[int, Any]],
) -> Iterator[Conversation | ImportProblem]:
    for position, entry in entries:
        if not _looks_like_conversation(entry):
            yield ImportProblem(ProblemKind.EXPORT_ENTRY_NOT_CONVERSATION, position=position)
            continue
        try:
            conversation = _conversation(entry)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError):
            yield ImportProblem(ProblemKind.EXPORT_CONVERSATION_UNREADABLE, position=position)
            continue
        if not conversation.messages:
            yield ImportProblem(ProblemKind.EXPORT_NO_MESSAGES, title=conversation.title)
            continue
        yield conversation


# -- reading JSON a piece at a time ----------------------------------------------------------


class _Broken(Exception):
    """The text stops being JSON (or text) part way."""

    def __init__(self, sentence: ImportProblem, reason: ImportProblem) -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.reason = reason


def _reason(kind: ProblemKind) -> ImportProblem:
    return ImportProblem(kind)


class _TooLarge:
    """An entry skipped unparsed because its text is over the limit."""


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_STRUCTURE = re.compile(r'["\[\]{}]')
_IN_STRING = re.compile(r'["\\]')
_DECODER = json.JSONDecoder()
# A parse error this close to the end of what has been read may just be text cut short
# (a literal such as "-Infinity" is 9 characters; a cut string says "Unterminated string").
_NEAR_END = 12


class _JsonStream:
    """Text decoded from pieces of bytes (UTF-8, a BOM allowed), kept only from the entry
    being read onwards."""

    def __init__(self, chunks: Iterable[bytes | str]) -> None:
        self._chunks = iter(chunks)
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.text = ""
        self.pos = 0
        self.eof = False
        self.seen_conversation = False

    def more(self) -> bool:
        """Read the next piece (dropping text already used); False at the end."""
        if self.eof:
            return False
        while True:
            chunk = next(self._chunks, None)
            try:
                if chunk is None:
                    piece = self._decoder.decode(b"", final=True)
                    self.eof = True
                elif isinstance(chunk, str):
                    piece = chunk
                else:
                    piece = self._decoder.decode(chunk)
            except UnicodeDecodeError:
                raise _Broken(ImportProblem(ProblemKind.EXPORT_NOT_TEXT),
                              ImportProblem(ProblemKind.BREAK_NOT_UTF8)) from None
            if piece or self.eof:
                break
        self.text = self.text[self.pos:] + piece
        self.pos = 0
        return bool(piece) or not self.eof

    def skip_whitespace(self) -> str:
        """The next character that is not whitespace ("" at the end)."""
        while True:
            found = _WHITESPACE.match(self.text, self.pos)
            self.pos = found.end() if found is not None else self.pos  # it always matches
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""

    def expect(self, allowed: str) -> str:
        found = self.skip_whitespace()
        if not found or found not in allowed:
            raise _Broken(NOT_JSON, _reason(ProblemKind.BREAK_INVALID_JSON))
        self.pos += 1
        return found

    def value(self, limit: int) -> Any:
        """The JSON value that starts here, or ``_TooLarge`` (skipped) if its text is longer
        than ``limit``. Text is read on until the value is complete, twice as much each time,
        so a long value is parsed a bounded number of times."""
        if not self.skip_whitespace():
            raise _Broken(NOT_JSON, _reason(ProblemKind.BREAK_ENDS_EARLY))
        start_size = len(self.text) - self.pos
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except RecursionError:
                raise _Broken(NOT_JSON, _reason(ProblemKind.BREAK_TOO_DEEP)) from None
            except json.JSONDecodeError as exc:
                if self.eof or not self._may_be_cut(exc):
                    raise _Broken(NOT_JSON, _reason(ProblemKind.BREAK_INVALID_JSON)) from None
            else:
                if end < len(self.text) or self.eof:  # a number may go on in the next piece
                    too_large = end - self.pos > limit
                    self.pos = end
                    return _TooLarge() if too_large else value
            if len(self.text) - self.pos > limit:
                self._skip_value()
                return _TooLarge()
            target = min(max(2 * (len(self.text) - self.pos), start_size + 1), limit + 1)
            while len(self.text) - self.pos < target and self.more():
                pass

    def _may_be_cut(self, exc: json.JSONDecodeError) -> bool:
        return exc.msg.startswith("Unterminated string") or exc.pos >= len(self.text) - _NEAR_END

    def _skip_value(self) -> None:
        """Move past the value that starts here without keeping its text (an object, a list
        or a string: what can be long)."""
        depth = 0
        in_string = False
        while True:
            text = self.text
            while self.pos < len(text):
                if in_string:
                    found = _IN_STRING.search(text, self.pos)
                    if found is None:
                        self.pos = len(text)
                        break
                    if found.group() == "\\":
                        if found.end() >= len(text):  # the escaped character is in the next piece
                            self.pos = found.start()
                            break
                        self.pos = found.end() + 1
                        continue
                    in_string = False
                    self.pos = found.end()
                    if depth == 0:
                        return
                    continue
                found = _STRUCTURE.search(text, self.pos)
                if found is None:
                    self.pos = len(text)
                    break
                self.pos = found.end()
                mark = found.group()
                if mark == '"':
                    in_string = True
                elif mark in "[{":
                    depth += 1
                else:
                    depth -= 1
                    if depth <= 0:
                        return
            if not self.more():
                raise _Broken(NOT_JSON, _reason(ProblemKind.BREAK_MID_ENTRY))


def _top_level_entries(
    reader: _JsonStream, limit: int
) -> Iterator[tuple[int, Any]]:
    """(position, value) of each entry of the export's list, one at a time."""
    first = reader.skip_whitespace()
    if first == "[":
        yield from _list_entries(reader, limit)
    elif first == "{":
        yield from _entries_in_object(reader, limit)
    elif not first:
        raise _Broken(NOT_JSON, _reason(ProblemKind.BREAK_EMPTY))
    else:
        reader.value(limit)  # not JSON at all, or JSON but not a list
        raise _Broken(NOT_A_LIST, _reason(ProblemKind.BREAK_NO_LIST))
    if reader.skip_whitespace():
        raise _Broken(NOT_JSON, _reason(ProblemKind.BREAK_MORE_AFTER))


def _list_entries(reader: _JsonStream, limit: int, position: int = 0) -> Iterator[tuple[int, Any]]:
    reader.expect("[")
    if reader.skip_whitespace() == "]":
        reader.pos += 1
        return
    while True:
        value = reader.value(limit)
        position += 1
        if _looks_like_conversation(value):
            reader.seen_conversation = True
        elif isinstance(value, _TooLarge):
            reader.seen_conversation = True  # an entry too large to read counts as one
        yield position, value
        if reader.expect(",]") == "]":
            return


def _entries_in_object(reader: _JsonStream, limit: int) -> Iterator[tuple[int, Any]]:
    """The list under "conversations" in an object that wraps it (other keys skipped)."""
    reader.expect("{")
    found = False
    if reader.skip_whitespace() == "}":
        reader.pos += 1
    else:
        while True:
            if reader.skip_whitespace() != '"':
                raise _Broken(NOT_JSON, _reason(ProblemKind.BREAK_INVALID_JSON))
            key = reader.value(limit)
            reader.expect(":")
            if key == "conversations" and not found and reader.skip_whitespace() == "[":
                found = True
                yield from _list_entries(reader, limit)
            else:
                reader.value(limit)
            if reader.expect(",}") == "}":
                break
    if not found:
        raise _Broken(NOT_A_LIST, _reason(ProblemKind.BREAK_NO_CONVERSATION_LIST))


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
