"""One entry point for "Import…": tell a Cairn archive, one exported conversation and a
claude.ai export apart by their content, and merge whichever it is without overwriting."""

from __future__ import annotations

import zipfile
from pathlib import Path

from desktop_app.core.claude_import import ImportFormatError
from desktop_app.storage.archive import MANIFEST_NAME, ImportResult, import_archive
from desktop_app.storage.attachment_store import AttachmentStore
from desktop_app.storage.claude_import_file import import_claude_export
from desktop_app.storage.conversation_export import import_conversation_file
from desktop_app.storage.history_store import HistoryStore


def import_any(path: Path, history: HistoryStore, attachments: AttachmentStore) -> ImportResult:
    """Import ``path``, whatever Cairn or claude.ai file it is.

    Raises:
        ImportFormatError: the file is none of the kinds Cairn can import, or is damaged.
        OSError: the file could not be read, or a conversation could not be written.
    """
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ImportFormatError(f"{path.name} is not a readable .zip archive.") from exc
        if MANIFEST_NAME in names:
            return import_archive(path, history, attachments)
        return import_claude_export(path, history)
    with path.open("rb") as handle:
        start = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"["):
        return import_claude_export(path, history)
    if start.startswith(b"{"):
        return import_conversation_file(path, history, attachments)
    raise ImportFormatError(
        f"{path.name} is not a Cairn backup, an exported conversation or a claude.ai export."
    )
