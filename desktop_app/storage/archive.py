"""All of Cairn's data in one .zip for backup, and that archive merged back in, never overwriting.

An archive holds ``cairn-archive.json`` (what it is), every ``conversations/<id>.json``, every
``attachments/<xx>/<sha256><suffix>`` and, when there is one, ``settings.json``. The API key is
never in it: it lives only in the system keyring, and no file here contains it.

Importing treats the archive as untrusted: entry names are never used as paths (a
conversation is written under its own id, an attachment under the hash of its bytes), names
that try to leave the folder and links are refused, sizes are bounded, and every entry that
cannot be used is described in the result instead of stopping the import.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import stat
import tempfile
import time
import zipfile
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app import __version__
from desktop_app.core.claude_import import ImportFormatError
from desktop_app.core.conversation import Conversation, now_iso
from desktop_app.core.conversation_summary import ConversationSummary
from desktop_app.core.import_limits import (
    MAX_CONVERSATION_BYTES,
    MAX_MESSAGE_BYTES,
    file_size_problem,
    megabytes,
    size_problem,
)
from desktop_app.core.history_schema import HistoryFormatError
from desktop_app.core.import_problems import ImportProblem, ProblemKind
from desktop_app.core.os_error_reason import OsErrorReason
from desktop_app.storage.attachment_store import AttachmentStore
from desktop_app.storage.atomic_file import json_bytes
from desktop_app.storage.batch_write import write_files_atomic
from desktop_app.storage.export_problems import ExportProblem, ExportProblemKind
from desktop_app.storage.history_store import (
    SCHEMA_VERSION,
    HistoryStore,
    NewerSchemaError,
    migrate,
)
from desktop_app.storage.safe_zip import EntryUnreadable, SafeZip

log = logging.getLogger(__name__)

ARCHIVE_FORMAT = "cairn-archive"
ARCHIVE_VERSION = 1
MANIFEST_NAME = "cairn-archive.json"
IMPORTED_SUFFIX = " (imported)"

# Unpacked, all entries together (and never more than safe_zip.MAX_RATIO times the file).
MAX_ARCHIVE_BYTES = 20 * 1024**3
# One conversation file: MAX_CONVERSATION_BYTES (core.import_limits), 64 MB.
MAX_ATTACHMENT_BYTES = 64 * 1024**2  # one attachment (the API takes 32 MB PDFs at most)
MAX_LISTED_PROBLEMS = 50  # more would drown the few that matter
STEP_SECONDS = 0.1  # an import step: a save the user makes meanwhile waits at most this

_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,128}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SUFFIX = re.compile(r"(\.[A-Za-z0-9]{1,16})?")
_SHARD = re.compile(r"[0-9a-f]{2}")


@dataclass
class ImportResult:
    """What an import did, for the window to say.

    Attributes:
        added: conversations that were new here and were written.
        skipped: conversations already here with the same content (or imported before).
        renamed: conversations whose id was taken by different content here; they were added
            under a new id with " (imported)" after the title.
        attachments_added: attachment files that were missing here and were stored.
        problems: what could not be imported, as data for the UI to word (the first
            ``MAX_LISTED_PROBLEMS``; ``problem_count`` counts them all).
        written_ids: ids of the conversations written (added or renamed), for the sidebar.
        stopped: why the import ended before the end of the file (a refused archive, a
            damaged export), or None. What was imported before that is kept.
    """

    added: int = 0
    skipped: int = 0
    renamed: int = 0
    attachments_added: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    problem_count: int = 0
    written_ids: list[str] = field(default_factory=list)
    stopped: ImportProblem | None = None

    def add_problem(self, problem: ImportProblem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(problem)

    def summary(self) -> str:
        """One line such as "3 conversations added, 1 skipped, 2 problems." in English, for
        logs and scripts (the window words it with ``ui.transfer.import_summary``); an import
        that stopped early starts with why, and says that what came before was kept."""
        parts = [f"{self.added} conversation{'s' if self.added != 1 else ''} added"]
        if self.renamed:
            parts.append(f"{self.renamed} added as imported copies")
        if self.skipped:
            parts.append(f"{self.skipped} already here")
        if self.attachments_added:
            parts.append(
                f"{self.attachments_added} attachment{'s' if self.attachments_added != 1 else ''}"
                " added"
            )
        if self.problem_count:
            parts.append(f"{self.problem_count} problem{'s' if self.problem_count != 1 else ''}")
        counts = ", ".join(parts) + "."
        if self.stopped is None:
            return counts
        if self.added or self.renamed or self.attachments_added:
            return f"{self.stopped} What was imported before that was kept: {counts}"
        return f"{self.stopped} Nothing was imported."


@dataclass
class ArchiveExportResult:
    """What went into an archive, and what could not be read (each an English sentence with
    its kind and facts, for the UI to word)."""

    path: Path
    conversations: int = 0
    attachments: int = 0
    problems: list[ExportProblem] = field(default_factory=list)


# -- merging --------------------------------------------------------------------------------


def merge_conversations(
    conversations: Iterable[Conversation],
    history: HistoryStore,
    result: ImportResult | None = None,
) -> ImportResult:
    """Add conversations to the history without ever overwriting one that is there.

    - An id not used here: the conversation is written as it is (``added``).
    - An id used here by the same content: nothing happens (``skipped``).
    - An id used here by different content, or by a file that cannot be read: the imported
      one is written under a new id derived from its id and content, with " (imported)" after
      its title (``renamed``). Derived ids make a repeated import find that copy and skip it.
    - A conversation that is not valid history (``Conversation.from_json`` refuses what it
      would write), or is over the size limits (``core.import_limits``), is not written.

    Raises nothing: a conversation that cannot be written is described in ``problems``.
    """
    result = result if result is not None else ImportResult()
    merger = Merger(history, result)
    for conversation in conversations:
        merger.add(conversation)
    merger.flush()
    return result


class Merger:
    """``merge_conversations`` a batch at a time: ``add`` decides what each conversation
    becomes, ``flush`` writes the batch (``batch_write``: one flush of the folder for many
    files) and returns the summaries of what was written, for the sidebar."""

    # Written together (each holds a file descriptor until then); small enough that a batch
    # never holds an import step much past its time.
    BATCH_FILES = 32
    BATCH_BYTES = 1024**2  # and no more than this waits in memory

    def __init__(self, history: HistoryStore, result: ImportResult) -> None:
        self.history = history
        self.result = result
        # id -> (its file's bytes, its summary, written as an imported copy)
        self._pending: dict[str, tuple[bytes, ConversationSummary, bool]] = {}
        self._pending_bytes = 0
        self._summaries: list[ConversationSummary] = []

    def add(self, conversation: Conversation) -> None:
        try:
            self._add(conversation)
        except Exception as exc:  # noqa: BLE001 - whatever a hostile file holds, one sentence
            log.warning("cannot import conversation: %s", exc,
                        exc_info=not isinstance(exc, OSError | ValueError))
            self.result.add_problem(ImportProblem(
                ProblemKind.CONVERSATION_NOT_SAVED, title=_short(_title_of(conversation)),
                reason=_reason(exc)))
        if len(self._pending) >= self.BATCH_FILES or self._pending_bytes >= self.BATCH_BYTES:
            self.flush()

    def _add(self, conversation: Conversation) -> None:
        result = self.result
        if not isinstance(conversation.id, str) or not _ID_PATTERN.fullmatch(conversation.id):
            result.add_problem(ImportProblem(
                ProblemKind.INVALID_ID, title=_short(_title_of(conversation))))
            return
        document = conversation.to_json(SCHEMA_VERSION)
        data = json_bytes(document)
        too_large = file_size_problem(conversation.title, len(data))
        if too_large is None and len(data) > MAX_MESSAGE_BYTES:
            too_large = size_problem(conversation)  # one of its messages may be too large
        if too_large is not None:
            result.add_problem(too_large)
            return
        # What start-up does with every file, done before it is written: a conversation the
        # loader would refuse, or that cannot be summarised for the sidebar, is not written.
        checked = _checked(data)
        summary = ConversationSummary.of(checked)
        if not self._taken(conversation.id):
            self._hold(conversation.id, data, summary, renamed=False)
            return
        if self._same_as_here(conversation.id, document, data):
            result.skipped += 1
            return
        copy_id = _imported_copy_id(document)
        if self._taken(copy_id):
            result.skipped += 1
            return
        checked.id = copy_id
        checked.title = conversation.title + IMPORTED_SUFFIX
        self._hold(copy_id, json_bytes(checked.to_json(SCHEMA_VERSION)),
                   ConversationSummary.of(checked), renamed=True)

    def _hold(self, conversation_id: str, data: bytes, summary: ConversationSummary, *,
              renamed: bool) -> None:
        self._pending[conversation_id] = (data, summary, renamed)
        self._pending_bytes += len(data)

    def _taken(self, conversation_id: str) -> bool:
        return conversation_id in self._pending or os.path.lexists(
            self.history.path_for(conversation_id))

    def _same_as_here(self, conversation_id: str, document: dict[str, Any], data: bytes) -> bool:
        """Whether the conversation stored (or about to be) under this id is this one, as it
        would be saved now (a file that cannot be read is not)."""
        pending = self._pending.get(conversation_id)
        if pending is not None:
            return pending[0] == data
        return _local_document(self.history, conversation_id) == document

    def flush(self) -> list[ConversationSummary]:
        """Write what was added since the last flush; the summaries of everything written
        since the last ``take_summaries``."""
        if self._pending:
            items = list(self._pending.items())
            self._pending = {}
            self._pending_bytes = 0
            errors = write_files_atomic(
                [(self.history.path_for(cid), data) for cid, (data, _, _) in items])
            for (conversation_id, (_, summary, renamed)), error in zip(items, errors):
                if error is not None:
                    log.warning("cannot write imported %s: %s", conversation_id, error)
                    self.result.add_problem(ImportProblem(
                        ProblemKind.CONVERSATION_NOT_SAVED, title=_short(summary.title),
                        reason=_reason(error)))
                    continue
                if renamed:
                    self.result.renamed += 1
                else:
                    self.result.added += 1
                self.result.written_ids.append(conversation_id)
                self._summaries.append(summary)
        return self._summaries

    def take_summaries(self) -> list[ConversationSummary]:
        """The summaries of what was written since the last call (after a ``flush``)."""
        self.flush()
        summaries, self._summaries = self._summaries, []
        return summaries


def _checked(data: bytes) -> Conversation:
    """The conversation as the loader will read these bytes of its file back.

    Raises:
        ValueError: the loader would refuse it (the reason is in the message).
    """
    try:
        return Conversation.from_json(json.loads(data.decode("utf-8")), owned=True)
    except ValueError as exc:
        raise ValueError(f"it is not valid history: {exc}") from None


def _title_of(conversation: Any) -> str:
    title = getattr(conversation, "title", "")
    return title if isinstance(title, str) and title else "A conversation"


def _local_document(history: HistoryStore, conversation_id: str) -> dict[str, Any] | None:
    """The conversation stored here under this id, as it would be saved; None if unreadable."""
    try:
        return history.load(conversation_id).to_json(SCHEMA_VERSION)
    except Exception:  # noqa: BLE001 - unreadable here: the import is added as a copy
        return None


def _imported_copy_id(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=True)
    return "conv_" + hashlib.sha256(f"imported\n{canonical}".encode("ascii")).hexdigest()[:32]


# -- export ---------------------------------------------------------------------------------


def export_archive(
    target: Path,
    history: HistoryStore,
    attachments: AttachmentStore,
    settings_file: Path | None = None,
) -> ArchiveExportResult:
    """Write every conversation file, every attachment and the settings into one .zip.

    The files are copied byte for byte. The archive is written to a temporary file beside
    ``target`` and renamed over it when complete, so a failure never leaves half an archive.

    Raises:
        OSError: the archive could not be written (the previous file at ``target`` is intact).
    """
    result = ArchiveExportResult(path=target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                _write_archive(archive, history, attachments, settings_file, result)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return result


def _write_archive(
    archive: zipfile.ZipFile,
    history: HistoryStore,
    attachments: AttachmentStore,
    settings_file: Path | None,
    result: ArchiveExportResult,
) -> None:
    for path in _conversation_files(history.directory):
        if _add_file(archive, path, f"conversations/{path.name}", zipfile.ZIP_DEFLATED, result):
            result.conversations += 1
    for path in _attachment_files(attachments.directory):
        # Pictures and PDFs are compressed already: stored as they are, quicker to write.
        arcname = f"attachments/{path.parent.name}/{path.name}"
        if _add_file(archive, path, arcname, zipfile.ZIP_STORED, result):
            result.attachments += 1
    if settings_file is not None and _regular_file(settings_file):
        _add_file(archive, settings_file, "settings.json", zipfile.ZIP_DEFLATED, result)
    manifest = {
        "format": ARCHIVE_FORMAT,
        "version": ARCHIVE_VERSION,
        "schema": SCHEMA_VERSION,
        "app_version": __version__,
        "created_at": now_iso(),
        "conversations": result.conversations,
        "attachments": result.attachments,
    }
    archive.writestr(MANIFEST_NAME, json.dumps(manifest, indent=1))


def _add_file(
    archive: zipfile.ZipFile, path: Path, arcname: str, compression: int,
    result: ArchiveExportResult,
) -> bool:
    """Copy one file in; a file that vanished or cannot be read is noted, not fatal."""
    try:
        archive.write(path, arcname, compress_type=compression)
    except OSError as exc:
        result.problems.append(ExportProblem(
            ExportProblemKind.FILE_NOT_READ, name=path.name, reason=OsErrorReason.of(exc)))
        return False
    return True


def _conversation_files(directory: Path) -> Iterator[Path]:
    try:
        paths = sorted(directory.glob("*.json"))
    except OSError:
        return
    for path in paths:
        if _ID_PATTERN.fullmatch(path.stem) and _regular_file(path):
            yield path


def _attachment_files(directory: Path) -> Iterator[Path]:
    try:
        shards = sorted(p for p in directory.iterdir() if _SHARD.fullmatch(p.name))
    except OSError:
        return
    for shard in shards:
        if shard.is_symlink() or not shard.is_dir():
            continue
        try:
            names = sorted(p for p in shard.iterdir())
        except OSError:
            continue
        for path in names:
            sha256 = _attachment_hash(path.name)
            if sha256 is not None and sha256.startswith(shard.name) and _regular_file(path):
                yield path


def _regular_file(path: Path) -> bool:
    """A real file, not a link (a link could point anywhere on the disk)."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _attachment_hash(file_name: str) -> str | None:
    sha256, suffix = file_name[:64], file_name[64:]
    if _SHA256.fullmatch(sha256) and _SUFFIX.fullmatch(suffix):
        return sha256
    return None


# -- import ---------------------------------------------------------------------------------


@dataclass
class ImportStep:
    """What one step of an import did, for the window.

    Attributes:
        summaries: the conversations written in this step, for the sidebar.
        handled: items dealt with so far (written, skipped or refused): conversations, and
            in a backup archive its attachments too.
        total: how many items the file holds, when that is known up front.
        fraction: how much of the file has been read (0..1), when the count is not known.
        finished: nothing more to do (done, or stopped: see ``ImportResult.stopped``).
    """

    summaries: list[ConversationSummary]
    handled: int
    total: int | None
    fraction: float | None
    finished: bool


class ImportJob:
    """An import done a little at a time, so that it can show progress, be cancelled, and let
    the user's own saves through between steps (they share the one disk thread).

    Subclasses implement ``_run``: a generator that does one unit (a conversation, an
    attachment) per iteration. ``step`` runs it for about ``seconds``. Whatever goes wrong
    inside the file ends the import with a sentence in ``result.stopped``; what was imported
    before stays (it is complete and valid: each conversation is written whole).
    """

    def __init__(self, label: str, history: HistoryStore) -> None:
        self.label = label
        self.result = ImportResult()
        self.handled = 0
        self.total: int | None = None
        self.finished = False
        self._merger = Merger(history, self.result)
        self._work: Generator[None, None, None] | None = None

    def _run(self) -> Generator[None, None, None]:
        raise NotImplementedError

    def fraction(self) -> float | None:
        return None

    def step(self, seconds: float = STEP_SECONDS) -> ImportStep:
        """Import for about ``seconds`` (at least one unit), then report. Everything the
        step decided to write is written (and flushed to disk) before it returns."""
        if self._work is None:
            self._work = self._run()
        deadline = time.monotonic() + seconds
        while not self.finished:
            try:
                next(self._work)
            except StopIteration:
                self._end()
            except ImportFormatError as exc:
                self._end(exc.problem)
            except Exception as exc:  # noqa: BLE001 - a hostile file must not hang the import
                log.warning("import of %s stopped", self.label, exc_info=True)
                self._end(ImportProblem(ProblemKind.READ_STOPPED, name=self.label,
                                        reason=_reason(exc)))
            if time.monotonic() >= deadline:
                break
        return ImportStep(self._merger.take_summaries(), self.handled, self.total,
                          self.fraction(), self.finished)

    def run(self) -> ImportResult:
        """The whole import at once (tests and scripts; the window uses ``step``)."""
        try:
            while not self.step().finished:
                pass
        finally:
            self.close()
        return self.result

    def close(self) -> None:
        """Stop here (a cancelled import keeps what was written) and release the file."""
        if self._work is not None:
            self._work.close()
        self._merger.flush()
        self._release()
        self.finished = True

    def _release(self) -> None:
        pass

    def _end(self, stopped: ImportProblem | None = None) -> None:
        if stopped is not None:
            self.result.stopped = stopped
        self.finished = True
        self._release()

    def _merge(self, conversation: Conversation) -> None:
        self._merger.add(conversation)
        self.handled += 1


def run_or_refuse(job: ImportJob) -> ImportResult:
    """``job.run()``, raising ``ImportFormatError`` when the file was refused part way (the
    sentence says what was kept)."""
    result = job.run()
    if result.stopped is not None:
        raise ImportFormatError(
            ImportProblem(ProblemKind.STOPPED_PART_WAY, summary=result.summary()))
    return result


def import_archive(
    source: Path, history: HistoryStore, attachments: AttachmentStore
) -> ImportResult:
    """Merge a Cairn archive into this data folder, without overwriting anything.

    Conversations are merged as ``merge_conversations`` describes. Attachments missing here
    are stored after their bytes are checked against the hash in their name. ``settings.json``
    is not imported: a setting such as the API address decides where the key is sent, and an
    archive from someone else must not choose that.

    Raises:
        ImportFormatError: the file is not a readable .zip or not a Cairn archive, or it was
            refused (a zip bomb, an entry that lies about its size; see ``safe_zip``).
    """
    return run_or_refuse(ArchiveImport(source, history, attachments))


class ArchiveImport(ImportJob):
    """A Cairn backup archive, imported a conversation at a time (see ``import_archive``).

    Raises (from the constructor):
        ImportFormatError: the file is not a readable .zip, is not a Cairn archive, or is
            refused outright (see ``safe_zip.SafeZip``).
    """

    def __init__(self, source: Path, history: HistoryStore, attachments: AttachmentStore,
                 archive: SafeZip | None = None) -> None:
        super().__init__(source.name, history)
        self._attachments = attachments
        self._archive = archive if archive is not None else SafeZip(
            source, max_total=MAX_ARCHIVE_BYTES)
        try:
            self._plan()
        except BaseException:
            self._archive.close()
            raise

    def _plan(self) -> None:
        names = [info.filename for info in self._archive.entries]
        if MANIFEST_NAME not in names and not any(_known_kind(name) for name in names):
            if any(name.rsplit("/", 1)[-1] == "conversations.json" for name in names):
                raise ImportFormatError(ImportProblem(ProblemKind.CLAUDE_EXPORT_NOT_ARCHIVE))
            raise ImportFormatError(ImportProblem(ProblemKind.NOT_AN_ARCHIVE))
        self._attachment_entries: list[tuple[zipfile.ZipInfo, str]] = []
        self._conversation_entries: list[zipfile.ZipInfo] = []
        for info in self._archive.entries:
            parts = _safe_parts(info, self.result)
            if parts is None:
                continue
            kind = _known_kind(info.filename)
            if kind == "attachment":
                self._attachment_entries.append((info, parts[2]))
            elif kind == "conversation":
                self._conversation_entries.append(info)  # after the attachments they use
            elif info.filename not in (MANIFEST_NAME, "settings.json"):
                self.result.add_problem(
                    ImportProblem(ProblemKind.NOT_ARCHIVE_PART, entry=_short(info.filename)))
        self.total = len(self._attachment_entries) + len(self._conversation_entries)

    def _run(self) -> Generator[None, None, None]:
        for info, file_name in self._attachment_entries:
            self._import_attachment(info, file_name)
            self.handled += 1
            yield
        for info in self._conversation_entries:
            conversation = self._read_conversation(info)
            if conversation is not None:
                self._merge(conversation)
            else:
                self.handled += 1
            yield

    def _release(self) -> None:
        self._archive.close()

    def _read_entry(self, info: zipfile.ZipInfo, limit: int,
                    too_large: ProblemKind) -> bytes | None:
        """An entry's bytes, or None (noted) when it is too large or damaged. An archive that
        lies about an entry's size or is a zip bomb raises ``ArchiveRefused``."""
        if info.file_size > limit:
            self.result.add_problem(ImportProblem(
                too_large, entry=_short(info.filename), size=megabytes(info.file_size),
                limit=megabytes(limit)))
            return None
        try:
            return self._archive.read(info, limit)
        except EntryUnreadable as exc:
            self.result.add_problem(ImportProblem(
                ProblemKind.ENTRY_IGNORED, entry=_short(info.filename), reason=exc.problem))
            return None

    def _import_attachment(self, info: zipfile.ZipInfo, file_name: str) -> None:
        result = self.result
        sha256 = _attachment_hash(file_name)
        if sha256 is None:
            result.add_problem(
                ImportProblem(ProblemKind.ATTACHMENT_MISNAMED, entry=_short(info.filename)))
            return
        if self._attachments.path_for(sha256) is not None:
            return  # already here: the same hash is the same bytes
        data = self._read_entry(info, MAX_ATTACHMENT_BYTES,
                                ProblemKind.ATTACHMENT_ENTRY_TOO_LARGE)
        if data is None:
            return
        if hashlib.sha256(data).hexdigest() != sha256:
            result.add_problem(
                ImportProblem(ProblemKind.ATTACHMENT_CHECKSUM, entry=_short(info.filename)))
            return
        try:
            self._attachments.put(data, sha256, file_name[64:])
        except (OSError, ValueError) as exc:
            result.add_problem(ImportProblem(
                ProblemKind.ATTACHMENT_NOT_STORED, entry=_short(info.filename),
                reason=_reason(exc)))
            return
        result.attachments_added += 1

    def _read_conversation(self, info: zipfile.ZipInfo) -> Conversation | None:
        name = _short(info.filename)
        data = self._read_entry(info, MAX_CONVERSATION_BYTES,
                                ProblemKind.CONVERSATION_ENTRY_TOO_LARGE)
        if data is None:
            return None
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            self.result.add_problem(ImportProblem(ProblemKind.ENTRY_NOT_JSON, entry=name))
            return None
        del data
        try:
            return conversation_from_document(document, name)
        except ImportFormatError as exc:
            self.result.add_problem(exc.problem)
        return None


def _known_kind(name: str) -> str | None:
    parts = name.split("/")
    if len(parts) == 2 and parts[0] == "conversations" and parts[1].endswith(".json"):
        return "conversation"
    if len(parts) == 3 and parts[0] == "attachments" and parts[2]:
        return "attachment"
    return None


def _safe_parts(info: zipfile.ZipInfo, result: ImportResult) -> list[str] | None:
    """The entry's name split in parts; None (noted as a problem) for unsafe or odd entries."""
    name = info.filename
    if info.is_dir():
        return None
    parts = name.split("/")
    if (
        name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or (len(parts[0]) >= 2 and parts[0][1] == ":")  # C:... on Windows
        or any(part in ("", ".", "..") for part in parts)
    ):
        result.add_problem(ImportProblem(ProblemKind.UNSAFE_NAME, entry=_short(name)))
        return None
    if stat.S_ISLNK(info.external_attr >> 16):
        result.add_problem(ImportProblem(ProblemKind.LINK_ENTRY, entry=_short(name)))
        return None
    return parts


def conversation_from_document(data: Any, label: str) -> Conversation:
    """A conversation from a history document (any schema this version can migrate).

    Args:
        data: the parsed JSON.
        label: how the file is named in error messages.

    Raises:
        ImportFormatError: it is not a conversation, or it comes from a newer Cairn.
    """
    not_conversation = ImportFormatError(
        ImportProblem(ProblemKind.NOT_A_CONVERSATION, name=label))
    if not isinstance(data, dict):
        raise not_conversation
    try:
        conversation = Conversation.from_json(migrate(data))
    except NewerSchemaError:
        raise ImportFormatError(ImportProblem(ProblemKind.NEWER_CAIRN, name=label)) from None
    except HistoryFormatError as exc:  # the reason the schema check gives
        raise ImportFormatError(ImportProblem(
            ProblemKind.INVALID_CONVERSATION, name=label, reason=exc.found)) from None
    except ValueError as exc:  # another reason, when one is given
        reason = _short(str(exc), 160)
        if not reason:
            raise not_conversation from None
        raise ImportFormatError(ImportProblem(
            ProblemKind.INVALID_CONVERSATION, name=label, reason=reason)) from None
    except Exception:  # noqa: BLE001 - whatever a hostile structure trips over
        raise not_conversation from None
    if not _ID_PATTERN.fullmatch(conversation.id):
        raise ImportFormatError(ImportProblem(ProblemKind.INVALID_CONVERSATION_ID, name=label))
    return conversation


def read_limited(path: Path, limit: int) -> bytes:
    """A file's bytes, refusing one larger than ``limit`` (never reading much more).

    Raises:
        ImportFormatError: it cannot be read or is too large.
    """
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise ImportFormatError(ImportProblem(
            ProblemKind.FILE_UNREADABLE, name=path.name,
            reason=OsErrorReason.of(exc))) from None
    if len(raw) > limit:
        raise ImportFormatError(ImportProblem(ProblemKind.FILE_TOO_LARGE, name=path.name))
    return raw


def _reason(exc: BaseException) -> str:
    """An exception as a few words for a sentence."""
    if isinstance(exc, OSError):
        return OsErrorReason.of(exc)
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    text = _short(str(exc), 120)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _short(text: str, limit: int = 80) -> str:
    """A name fit for a sentence: one line, not endless."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
