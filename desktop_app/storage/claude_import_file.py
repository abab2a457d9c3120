"""Read a claude.ai data export from disk (its .zip, or the conversations.json inside) and
merge its conversations into the history the way an archive import does.

The export is read a piece at a time and parsed one conversation at a time
(``core.claude_import.iter_claude_export``), so memory stays small whatever the size of the
file; inside a .zip it is inflated through ``safe_zip`` (ratio and size limits counted on the
bytes actually read)."""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import BinaryIO

from desktop_app.core.claude_import import (
    ClaudeImport,
    ImportFormatError,
    iter_claude_export,
)
from desktop_app.core.conversation import Conversation
from desktop_app.core.import_problems import ImportProblem, ProblemKind
from desktop_app.core.os_error_reason import OsErrorReason
from desktop_app.storage.archive import (
    MAX_ARCHIVE_BYTES,
    ImportJob,
    ImportResult,
    run_or_refuse,
)
from desktop_app.storage.history_store import HistoryStore
from desktop_app.storage.safe_zip import EntryReader, EntryUnreadable, SafeZip, is_zip

log = logging.getLogger(__name__)

CONVERSATIONS_FILE = "conversations.json"
READ_BYTES = 256 * 1024  # read (and decoded) at a time


def read_claude_export(path: Path) -> ClaudeImport:
    """Every conversation in a claude.ai export, in a list (for tests and small files: the
    import itself handles one conversation at a time, see ``ClaudeExportImport``).

    Raises:
        ImportFormatError: the file cannot be read or is not a claude.ai export.
    """
    source = ClaudeExportSource(path)
    result = ClaudeImport()
    try:
        for item in iter_claude_export(source.chunks()):
            if isinstance(item, Conversation):
                result.conversations.append(item)
            else:
                result.problems.append(item)
    finally:
        source.close()
    return result


def import_claude_export(path: Path, history: HistoryStore) -> ImportResult:
    """Import a claude.ai export, merging by id without overwriting (see
    ``archive.merge_conversations``): the same export imported again adds nothing.

    Raises:
        ImportFormatError: the file cannot be read or is not a claude.ai export (or it was
            refused part way; the sentence says what was kept).
    """
    return run_or_refuse(ClaudeExportImport(path, history))


class ClaudeExportSource:
    """The bytes of an export's conversations.json, from the file or from inside its .zip.

    Raises (from the constructor):
        ImportFormatError: it cannot be read, or is a .zip without conversations.json (or a
            hostile one, see ``safe_zip``).
    """

    def __init__(self, path: Path, archive: SafeZip | None = None) -> None:
        self.path = path
        self._archive: SafeZip | None = None
        self._file: BinaryIO | None = None
        self._entry: EntryReader | None = None
        self._read = 0
        if archive is not None or is_zip(path):
            self._archive = archive or SafeZip(path, max_total=MAX_ARCHIVE_BYTES)
            try:
                self._entry = self._open_entry(self._archive)
            except BaseException:
                self._archive.close()
                raise
            self.size = max(1, self._entry.compressed_size)
        else:
            try:
                self._file = path.open("rb")
                self.size = max(1, path.stat().st_size)
            except OSError as exc:
                self.close()
                raise ImportFormatError(ImportProblem(
                    ProblemKind.FILE_UNREADABLE, name=path.name,
                    reason=OsErrorReason.of(exc))) from None

    def _open_entry(self, archive: SafeZip) -> EntryReader:
        candidates = [
            info for info in archive.entries
            if info.filename.rsplit("/", 1)[-1] == CONVERSATIONS_FILE
            and not info.filename.startswith("__MACOSX/")
            and not info.is_dir()
        ]
        if not candidates:
            raise ImportFormatError(ImportProblem(
                ProblemKind.NO_CONVERSATIONS_FILE, name=self.path.name, file=CONVERSATIONS_FILE))
        info: zipfile.ZipInfo = min(candidates, key=lambda i: (i.filename.count("/"), i.filename))
        try:
            return archive.open(info, MAX_ARCHIVE_BYTES)
        except EntryUnreadable as exc:
            raise ImportFormatError(ImportProblem(
                ProblemKind.EXPORT_ENTRY_UNREADABLE, name=self.path.name,
                reason=exc.problem)) from None

    def chunks(self) -> Iterator[bytes]:
        """The text's bytes, a piece at a time.

        Raises:
            ImportFormatError: reading failed part way, or the .zip was refused (a bomb).
        """
        while True:
            try:
                if self._entry is not None:
                    data = self._entry.read(READ_BYTES)
                    self._read = self._entry.consumed
                else:
                    assert self._file is not None
                    data = self._file.read(READ_BYTES)
                    self._read += len(data)
            except EntryUnreadable as exc:
                raise ImportFormatError(ImportProblem(
                    ProblemKind.CANNOT_READ_FURTHER_ENTRY, name=self.path.name,
                    reason=exc.problem)) from None
            except OSError as exc:
                raise ImportFormatError(ImportProblem(
                    ProblemKind.CANNOT_READ_FURTHER, name=self.path.name,
                    reason=OsErrorReason.of(exc))) from None
            if not data:
                return
            yield data

    def fraction(self) -> float:
        """How much of the file (of the compressed entry, in a .zip) has been read."""
        return min(1.0, self._read / self.size)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        if self._archive is not None:
            self._archive.close()


class ClaudeExportImport(ImportJob):
    """A claude.ai export imported a conversation at a time (see ``import_claude_export``).

    Raises (from the constructor): as ``ClaudeExportSource``.
    """

    def __init__(self, path: Path, history: HistoryStore, archive: SafeZip | None = None) -> None:
        super().__init__(path.name, history)
        self._source = ClaudeExportSource(path, archive)

    def fraction(self) -> float | None:
        return self._source.fraction()

    def _run(self) -> Generator[None, None, None]:
        for item in iter_claude_export(self._source.chunks()):
            if isinstance(item, Conversation):
                self._merge(item)
            else:
                self.result.add_problem(item)
            yield

    def _release(self) -> None:
        self._source.close()
