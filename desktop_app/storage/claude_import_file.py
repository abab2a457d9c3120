"""Read a claude.ai data export from disk (its .zip, or the conversations.json inside) and
merge its conversations into the history the way an archive import does."""

from __future__ import annotations

import logging
import zipfile
import zlib
from pathlib import Path

from desktop_app.core.claude_import import ClaudeImport, ImportFormatError, parse_claude_export
from desktop_app.storage.archive import ImportResult, merge_conversations, read_limited
from desktop_app.storage.history_store import HistoryStore

log = logging.getLogger(__name__)

MAX_EXPORT_BYTES = 4 * 1024**3  # conversations.json of a long-time user can be large
CONVERSATIONS_FILE = "conversations.json"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def read_claude_export(path: Path) -> ClaudeImport:
    """The conversations in a claude.ai export: the .zip it is mailed as, or its JSON file.

    Raises:
        ImportFormatError: the file cannot be read or is not a claude.ai export.
    """
    if _is_zip(path):
        return parse_claude_export(_conversations_from_zip(path))
    return parse_claude_export(read_limited(path, MAX_EXPORT_BYTES))


def import_claude_export(path: Path, history: HistoryStore) -> ImportResult:
    """Import a claude.ai export, merging by id without overwriting (see
    ``archive.merge_conversations``): the same export imported again adds nothing.

    Raises:
        ImportFormatError: the file cannot be read or is not a claude.ai export.
    """
    parsed = read_claude_export(path)
    result = ImportResult()
    for problem in parsed.problems:
        result.add_problem(problem)
    return merge_conversations(parsed.conversations, history, result)


def _is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) in _ZIP_MAGIC
    except OSError:
        return False  # read_limited reports it


def _conversations_from_zip(path: Path) -> bytes:
    try:
        with zipfile.ZipFile(path) as archive:
            candidates = [
                info for info in archive.infolist()
                if info.filename.rsplit("/", 1)[-1] == CONVERSATIONS_FILE
                and not info.filename.startswith("__MACOSX/")
                and not info.is_dir()
            ]
            if not candidates:
                raise ImportFormatError(
                    f"{path.name} has no {CONVERSATIONS_FILE}: it is not a claude.ai export."
                )
            info = min(candidates, key=lambda i: (i.filename.count("/"), i.filename))
            if info.file_size > MAX_EXPORT_BYTES:
                raise ImportFormatError(f"{path.name} is too large to import.")
            with archive.open(info) as handle:
                data = handle.read(MAX_EXPORT_BYTES + 1)
    except ImportFormatError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, zlib.error) as exc:
        log.warning("cannot read %s: %s", path, exc)
        raise ImportFormatError(f"{path.name} is not a readable .zip archive.") from None
    if len(data) > MAX_EXPORT_BYTES:
        raise ImportFormatError(f"{path.name} is too large to import.")
    return data
