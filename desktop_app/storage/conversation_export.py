"""One conversation out to a file people can share (Markdown with its pictures, or one JSON
file with its attachments inside), and such a JSON file back in.

The JSON export is the history document (docs/history-format.md) with each stored attachment
inlined as the API's base64 source, so the single file is complete; importing it stores the
bytes again and turns them back into ``cairn_attachment`` references.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import json
import logging
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.core.claude_import import ImportFormatError
from desktop_app.core.conversation import Conversation
from desktop_app.core.export_markdown import conversation_to_markdown, files_folder_name
from desktop_app.core.images import PDF_MEDIA_TYPE, file_suffix
from desktop_app.core.import_limits import size_problem
from desktop_app.core.import_problems import ImportProblem, ProblemKind
from desktop_app.core.os_error_reason import OsErrorReason
from desktop_app.storage.archive import (
    ImportJob,
    ImportResult,
    conversation_from_document,
    read_limited,
    run_or_refuse,
)
from desktop_app.storage.atomic_file import write_bytes_atomic, write_json_atomic
from desktop_app.storage.attachment_store import AttachmentStore
from desktop_app.storage.export_problems import ExportProblem, ExportProblemKind
from desktop_app.storage.history_store import SCHEMA_VERSION, HistoryStore

log = logging.getLogger(__name__)

# A JSON export with its pictures and PDFs inside (the conversation itself, once they are
# taken out, is held to core.import_limits: 64 MB, 8 MB a message).
MAX_CONVERSATION_FILE_BYTES = 256 * 1024**2
MAX_INLINED_BYTES = 64 * 1024**2  # one inlined attachment, decoded (as archive's limit)

# What a stored attachment may be, per block type (as core.images accepts them).
_INLINABLE = {
    "image": {"image/jpeg", "image/png", "image/gif", "image/webp"},
    "document": {PDF_MEDIA_TYPE},
}


@dataclass
class ExportResult:
    """What an export wrote, and what it could not include (each an English sentence with
    its kind and facts, for the UI to word)."""

    path: Path
    files_written: int = 0
    problems: list[ExportProblem] = field(default_factory=list)


# -- Markdown -------------------------------------------------------------------------------


def export_markdown(
    conversation: Conversation,
    path: Path,
    attachments: AttachmentStore,
    *,
    include_thinking: bool = False,
) -> ExportResult:
    """Write ``path`` (``NAME.md``) and copy its pictures and PDFs into ``NAME_files`` beside it.

    Each file is written atomically; an attachment missing from the store is noted in
    ``problems`` and its link is left in the text. Pass a copy of a conversation the UI may be
    changing (this runs off the UI thread).

    Raises:
        OSError: a file could not be written.
    """
    export = conversation_to_markdown(
        conversation, files_folder_name(path.stem), include_thinking=include_thinking
    )
    result = ExportResult(path=path)
    for item in export.files:
        try:
            data = attachments.load(item.sha256)
        except (FileNotFoundError, ValueError):
            result.problems.append(ExportProblem(
                ExportProblemKind.ATTACHMENT_NOT_COPIED, file=item.target.rsplit("/", 1)[-1]))
            continue
        write_bytes_atomic(path.parent / item.target, data)
        result.files_written += 1
    write_bytes_atomic(path, export.text.encode("utf-8", errors="replace"))
    return result


# -- JSON, one conversation -----------------------------------------------------------------


def export_conversation_json(
    conversation: Conversation, path: Path, attachments: AttachmentStore
) -> ExportResult:
    """Write the conversation as one self-contained JSON file, attachments inlined as base64.

    An attachment missing from the store stays a reference (noted in ``problems``).

    Raises:
        OSError: the file could not be written (the previous file at ``path`` is intact).
    """
    result = ExportResult(path=path)
    document = conversation.to_json(SCHEMA_VERSION)

    def inline(block: dict[str, Any]) -> dict[str, Any]:
        source = block["source"]
        if source.get("type") != "cairn_attachment":
            return block
        try:
            data = attachments.load(str(source.get("sha256")))
        except (FileNotFoundError, ValueError):
            result.problems.append(_not_included(block))
            return block
        inlined = copy.copy(block)
        inlined["source"] = {
            "type": "base64",
            "media_type": source.get("media_type"),
            "data": base64.b64encode(data).decode("ascii"),
        }
        result.files_written += 1
        return inlined

    write_json_atomic(path, _map_attachment_blocks(document, inline))
    return result


def import_conversation_json(path: Path, attachments: AttachmentStore) -> Conversation:
    """Read a conversation exported by ``export_conversation_json`` (or a history file).

    Inlined images and PDFs are stored in the attachment store and become references again.
    Nothing is added to the history: pass the result to ``merge_conversations``, or use
    ``import_conversation_file``.

    Raises:
        ImportFormatError: the file cannot be read, is not a Cairn conversation, is from a
            newer Cairn, or holds a damaged attachment.
        OSError: an attachment could not be stored.
    """
    raw = read_limited(path, MAX_CONVERSATION_FILE_BYTES)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ImportFormatError(
            ImportProblem(ProblemKind.CONVERSATION_NOT_JSON, name=path.name)) from None
    del raw
    pending: dict[str, tuple[bytes, str]] = {}

    def store_inline(block: dict[str, Any]) -> dict[str, Any]:
        source = block["source"]
        media_type = source.get("media_type")
        if (source.get("type") != "base64" or not isinstance(media_type, str)
                or media_type not in _INLINABLE[block["type"]]):
            return block
        encoded = source.get("data")
        if not isinstance(encoded, str) or len(encoded) > MAX_INLINED_BYTES // 3 * 4 + 4:
            raise ImportFormatError(
                ImportProblem(ProblemKind.ATTACHMENT_DAMAGED_OR_LARGE, name=path.name))
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise ImportFormatError(
                ImportProblem(ProblemKind.ATTACHMENT_DAMAGED, name=path.name)) from None
        sha256 = hashlib.sha256(data).hexdigest()
        pending[sha256] = (data, media_type)
        stored = copy.copy(block)
        stored["source"] = {"type": "cairn_attachment", "sha256": sha256, "media_type": media_type}
        return stored

    try:
        document = _map_attachment_blocks(data, store_inline)
    except ImportFormatError:
        raise
    except Exception:  # noqa: BLE001 - nested too deeply, or shaped like nothing Cairn wrote
        raise ImportFormatError(
            ImportProblem(ProblemKind.NOT_A_CONVERSATION, name=path.name)) from None
    conversation = conversation_from_document(document, path.name)
    too_large = size_problem(conversation)
    if too_large is not None:  # refused before its attachments are stored
        raise ImportFormatError(too_large)
    for sha256, (data, media_type) in pending.items():
        attachments.put(data, sha256, file_suffix(media_type))
    return conversation


def import_conversation_file(
    path: Path, history: HistoryStore, attachments: AttachmentStore
) -> ImportResult:
    """Import one exported conversation and merge it into the history, never overwriting.

    Raises:
        ImportFormatError: as ``import_conversation_json``.
        OSError: an attachment could not be stored.
    """
    return run_or_refuse(ConversationFileImport(path, history, attachments))


class ConversationFileImport(ImportJob):
    """One exported conversation as an import job: read, checked and its attachments stored
    when the job is made (a file that is not one is refused there), merged in one step.

    Raises (from the constructor):
        ImportFormatError: as ``import_conversation_json``, or an attachment could not be
            stored.
    """

    def __init__(self, path: Path, history: HistoryStore, attachments: AttachmentStore) -> None:
        super().__init__(path.name, history)
        self.total = 1
        try:
            self._conversation = import_conversation_json(path, attachments)
        except OSError as exc:  # storing an attachment failed
            raise ImportFormatError(ImportProblem(
                ProblemKind.ATTACHMENT_STORE_FAILED, name=path.name,
                reason=OsErrorReason.of(exc))) from None

    def _run(self) -> Generator[None, None, None]:
        self._merge(self._conversation)
        yield


# -- helpers --------------------------------------------------------------------------------


def _map_attachment_blocks(
    value: Any, change: Callable[[dict[str, Any]], dict[str, Any]]
) -> Any:
    """A copy of a JSON document with ``change`` applied to every image and document block.

    The whole document is walked, so blocks kept anywhere (branches, future fields) are found.
    """
    if isinstance(value, list):
        return [_map_attachment_blocks(item, change) for item in value]
    if not isinstance(value, dict):
        return value
    mapped = {key: _map_attachment_blocks(item, change) for key, item in value.items()}
    kind = mapped.get("type")
    if isinstance(kind, str) and kind in _INLINABLE and isinstance(mapped.get("source"), dict):
        return change(mapped)
    return mapped


def _not_included(block: dict[str, Any]) -> ExportProblem:
    """An attachment the JSON export refers to without including it, by its name if it has
    one."""
    notes = block.get("cairn")
    name = notes.get("name") if isinstance(notes, dict) else None
    if isinstance(name, str) and name.strip():
        return ExportProblem(ExportProblemKind.ATTACHMENT_NOT_INCLUDED, name=" ".join(name.split()))
    return ExportProblem(ExportProblemKind.IMAGE_NOT_INCLUDED if block.get("type") == "image"
                         else ExportProblemKind.DOCUMENT_NOT_INCLUDED)
