"""Files that go between the user and Claude's code execution, as plain data.

Two kinds, both stored on Anthropic's side by the Files API:

- files the code made: named by ``file_id`` inside ``code_execution_output`` /
  ``bash_code_execution_output`` items of a code execution result block;
- files the user gave the code: a ``container_upload`` block in the user message (Cairn's
  notes under ``cairn``: the name and size shown, never sent), and a record in
  ``conversation.extra["files"]`` (see docs/history-format.md), so the conversation knows
  what to delete on Anthropic's side when it is deleted.

Everything here reads untrusted JSON: wrong types are skipped, never raised on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from desktop_app.core.conversation import Conversation

FILES_KEY = "files"
_CODE_RESULTS = ("code_execution_tool_result", "bash_code_execution_tool_result")
_OUTPUT_ITEMS = ("code_execution_output", "bash_code_execution_output")
# Files API ids as the API writes them ("file_011CNha8iCJcU1wXNR6q4V8w"); anything else is
# not used as a file name or sent back.
_FILE_ID = re.compile(r"file_[A-Za-z0-9_-]{1,200}")


def is_file_id(value: Any) -> bool:
    """Whether ``value`` looks like a Files API id (safe in a file name and a URL)."""
    return isinstance(value, str) and bool(_FILE_ID.fullmatch(value))


def produced_file_ids(block: Any) -> list[str]:
    """The files one code execution result block says the code made, in its order."""
    if not isinstance(block, dict) or block.get("type") not in _CODE_RESULTS:
        return []
    result = block.get("content")
    items = result.get("content") if isinstance(result, dict) else None
    if not isinstance(items, list):
        return []
    found: list[str] = []
    for item in items:
        if (isinstance(item, dict) and item.get("type") in _OUTPUT_ITEMS
                and is_file_id(item.get("file_id")) and item["file_id"] not in found):
            found.append(item["file_id"])
    return found


def produced_in(content: Iterable[Any]) -> list[str]:
    """Every file the code made in a message's content."""
    found: list[str] = []
    for block in content:
        found += [i for i in produced_file_ids(block) if i not in found]
    return found


def upload_block(file_id: str, name: str, size: int, media_type: str) -> dict[str, Any]:
    """The user message's block for a file given to code execution (``cairn`` notes are
    Cairn's, taken off before the request)."""
    return {"type": "container_upload", "file_id": file_id,
            "cairn": {"name": name, "bytes": size, "media_type": media_type}}


UPLOAD_WITHOUT_CODE_NOTE = ("[The file {name} was given to code execution here; code execution "
                            "is not available now, so the file is not.]")


def upload_name(block: dict[str, Any]) -> str:
    """The name a ``container_upload`` block's file was given as (Cairn's notes), else its id."""
    notes = block.get("cairn")
    name = notes.get("name") if isinstance(notes, dict) else None
    return name if isinstance(name, str) and name else str(block.get("file_id") or "?")


def uploads_as_notes(messages: list[dict[str, Any]]) -> int:
    """Replace each ``container_upload`` block of ``messages`` (in place) with a text note
    saying which file it was: the API refuses such a block in a request that does not offer
    code execution (turned off since, or a model without it). Returns how many were replaced."""
    replaced = 0
    for message in messages:
        content = message.get("content")
        if not isinstance(content, list):
            continue
        for index, block in enumerate(content):
            if isinstance(block, dict) and block.get("type") == "container_upload":
                content[index] = {"type": "text", "text": UPLOAD_WITHOUT_CODE_NOTE.format(
                    name=upload_name(block))}
                replaced += 1
    return replaced


def uploads_in(content: Iterable[Any]) -> list[dict[str, Any]]:
    """The ``container_upload`` blocks of a message's content that name a file."""
    return [b for b in content if isinstance(b, dict) and b.get("type") == "container_upload"
            and is_file_id(b.get("file_id"))]


@dataclass(frozen=True)
class FileRecord:
    """One entry of ``conversation.extra["files"]``.

    Attributes:
        id: the Files API id.
        name: the file's name.
        size: bytes (0 when unknown).
        media_type: as declared.
        origin: ``"upload"`` (the user's) or ``"produced"`` (made by the code).
    """

    id: str
    name: str
    size: int = 0
    media_type: str = ""
    origin: str = "upload"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "size": self.size,
                "media_type": self.media_type, "origin": self.origin}

    @classmethod
    def from_json(cls, data: Any) -> FileRecord | None:
        """A record from history, or None for anything malformed."""
        if not isinstance(data, dict) or not is_file_id(data.get("id")):
            return None
        name = data.get("name")
        size = data.get("size")
        media_type = data.get("media_type")
        origin = data.get("origin")
        return cls(
            id=data["id"],
            name=name if isinstance(name, str) else data["id"],
            size=size if isinstance(size, int) and not isinstance(size, bool) and size >= 0
            else 0,
            media_type=media_type if isinstance(media_type, str) else "",
            origin=origin if origin in ("upload", "produced") else "upload",
        )


def recorded_files(conversation: Conversation) -> list[FileRecord]:
    """The files recorded in ``extra["files"]`` (malformed entries skipped)."""
    entries = conversation.extra.get(FILES_KEY)
    if not isinstance(entries, list):
        return []
    records = [FileRecord.from_json(e) for e in entries]
    return [r for r in records if r is not None]


def record_file(conversation: Conversation, record: FileRecord) -> bool:
    """Add ``record`` to ``extra["files"]`` unless its id is there; True when added.
    Entries Cairn cannot read are kept as they are (another version may)."""
    entries = conversation.extra.get(FILES_KEY)
    if not isinstance(entries, list):
        entries = []
    if any(isinstance(e, dict) and e.get("id") == record.id for e in entries):
        return False
    conversation.extra[FILES_KEY] = [*entries, record.to_json()]
    return True


def forget_file(conversation: Conversation, file_id: str) -> None:
    """Take a file out of ``extra["files"]`` (it was deleted on Anthropic's side)."""
    entries = conversation.extra.get(FILES_KEY)
    if isinstance(entries, list):
        conversation.extra[FILES_KEY] = [
            e for e in entries if not (isinstance(e, dict) and e.get("id") == file_id)]


def conversation_file_ids(conversation: Conversation) -> list[str]:
    """Every file of a conversation on Anthropic's side: recorded ones, uploads named in its
    messages and files the code made, on every branch."""
    found = [r.id for r in recorded_files(conversation)]
    for message in conversation.all_messages():
        for file_id in [b["file_id"] for b in uploads_in(message.content)] + produced_in(
                message.content):
            if file_id not in found:
                found.append(file_id)
    return found
