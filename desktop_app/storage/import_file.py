"""One entry point for "Import…": tell a Cairn archive, one exported conversation and a
claude.ai export apart by their content, and merge whichever it is without overwriting."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.claude_import import ImportFormatError
from desktop_app.core.import_problems import ImportProblem, ProblemKind
from desktop_app.core.os_error_reason import OsErrorReason
from desktop_app.storage.archive import (
    MANIFEST_NAME,
    MAX_ARCHIVE_BYTES,
    ArchiveImport,
    ImportJob,
    ImportResult,
    run_or_refuse,
)
from desktop_app.storage.attachment_store import AttachmentStore
from desktop_app.storage.claude_import_file import ClaudeExportImport
from desktop_app.storage.conversation_export import ConversationFileImport
from desktop_app.storage.history_store import HistoryStore
from desktop_app.storage.safe_zip import SafeZip, is_zip


def open_import(path: Path, history: HistoryStore, attachments: AttachmentStore) -> ImportJob:
    """An import of ``path``, whatever Cairn or claude.ai file it is, ready to ``step``.

    Raises:
        ImportFormatError: the file cannot be read, is none of the kinds Cairn can import, or
            is refused outright (a zip bomb, a hostile archive).
    """
    if is_zip(path):
        archive = SafeZip(path, max_total=MAX_ARCHIVE_BYTES)
        try:
            if any(info.filename == MANIFEST_NAME for info in archive.entries):
                return ArchiveImport(path, history, attachments, archive)
            return ClaudeExportImport(path, history, archive)
        except BaseException:
            archive.close()
            raise
    try:
        with path.open("rb") as handle:
            start = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        raise ImportFormatError(ImportProblem(
            ProblemKind.FILE_UNREADABLE, name=path.name,
            reason=OsErrorReason.of(exc))) from None
    if start.startswith(b"["):
        return ClaudeExportImport(path, history)
    if start.startswith(b"{"):
        return ConversationFileImport(path, history, attachments)
    raise ImportFormatError(ImportProblem(ProblemKind.NOT_IMPORTABLE, name=path.name))


def import_any(path: Path, history: HistoryStore, attachments: AttachmentStore) -> ImportResult:
    """Import ``path`` at once, whatever Cairn or claude.ai file it is (the window imports a
    step at a time through ``open_import``).

    Raises:
        ImportFormatError: as ``open_import``, or the file was refused part way (the sentence
            says what was kept).
    """
    return run_or_refuse(open_import(path, history, attachments))
