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
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app import __version__
from desktop_app.core.claude_import import ImportFormatError
from desktop_app.core.conversation import Conversation, now_iso
from desktop_app.storage.attachment_store import AttachmentStore
from desktop_app.storage.history_store import (
    SCHEMA_VERSION,
    HistoryStore,
    NewerSchemaError,
    migrate,
)

log = logging.getLogger(__name__)

ARCHIVE_FORMAT = "cairn-archive"
ARCHIVE_VERSION = 1
MANIFEST_NAME = "cairn-archive.json"
IMPORTED_SUFFIX = " (imported)"

MAX_ARCHIVE_BYTES = 20 * 1024**3  # all entries together, as declared and as actually read
MAX_CONVERSATION_BYTES = 512 * 1024**2  # one conversation file
MAX_ATTACHMENT_BYTES = 256 * 1024**2  # one attachment (the API takes far less)
MAX_ENTRIES = 1_000_000
MAX_LISTED_PROBLEMS = 50  # more would drown the few that matter

_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,128}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SUFFIX = re.compile(r"(\.[A-Za-z0-9]{1,16})?")
_SHARD = re.compile(r"[0-9a-f]{2}")
_CHUNK = 1024 * 1024


@dataclass
class ImportResult:
    """What an import did, for the window to say.

    Attributes:
        added: conversations that were new here and were written.
        skipped: conversations already here with the same content (or imported before).
        renamed: conversations whose id was taken by different content here; they were added
            under a new id with " (imported)" after the title.
        attachments_added: attachment files that were missing here and were stored.
        problems: what could not be imported, one sentence each (the first
            ``MAX_LISTED_PROBLEMS``; ``problem_count`` counts them all).
        written_ids: ids of the conversations written (added or renamed), for the sidebar.
    """

    added: int = 0
    skipped: int = 0
    renamed: int = 0
    attachments_added: int = 0
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0
    written_ids: list[str] = field(default_factory=list)

    def add_problem(self, sentence: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(sentence)

    def summary(self) -> str:
        """One line such as "3 conversations added, 1 skipped, 2 problems."."""
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
        return ", ".join(parts) + "."


@dataclass
class ArchiveExportResult:
    """What went into an archive, and what could not be read (one sentence each)."""

    path: Path
    conversations: int = 0
    attachments: int = 0
    problems: list[str] = field(default_factory=list)


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

    Raises nothing: a conversation that cannot be written is described in ``problems``.
    """
    result = result if result is not None else ImportResult()
    for conversation in conversations:
        try:
            _merge_one(conversation, history, result)
        except (OSError, ValueError, TypeError, KeyError, RecursionError) as exc:
            log.warning("cannot import conversation %r: %s", conversation.id, exc)
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            result.add_problem(f"“{_short(conversation.title)}” could not be saved ({reason}).")
    return result


def _merge_one(conversation: Conversation, history: HistoryStore, result: ImportResult) -> None:
    if not _ID_PATTERN.fullmatch(conversation.id):
        result.add_problem(f"“{_short(conversation.title)}” has an invalid id and was skipped.")
        return
    document = conversation.to_json(SCHEMA_VERSION)
    path = history.path_for(conversation.id)
    if not os.path.lexists(path):
        history.write(conversation.id, document)
        result.added += 1
        result.written_ids.append(conversation.id)
        return
    if _local_document(history, conversation.id) == document:
        result.skipped += 1
        return
    copy_id = _imported_copy_id(document)
    if os.path.lexists(history.path_for(copy_id)):
        result.skipped += 1
        return
    copy = Conversation.from_json(document)
    copy.id = copy_id
    copy.title = conversation.title + IMPORTED_SUFFIX
    history.write(copy_id, copy.to_json(SCHEMA_VERSION))
    result.renamed += 1
    result.written_ids.append(copy_id)


def _local_document(history: HistoryStore, conversation_id: str) -> dict[str, Any] | None:
    """The conversation stored here under this id, as it would be saved; None if unreadable."""
    try:
        return history.load(conversation_id).to_json(SCHEMA_VERSION)
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
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
        result.problems.append(f"{path.name} could not be read ({exc.strerror or exc}).")
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


def import_archive(
    source: Path, history: HistoryStore, attachments: AttachmentStore
) -> ImportResult:
    """Merge a Cairn archive into this data folder, without overwriting anything.

    Conversations are merged as ``merge_conversations`` describes. Attachments missing here
    are stored after their bytes are checked against the hash in their name. ``settings.json``
    is not imported: a setting such as the API address decides where the key is sent, and an
    archive from someone else must not choose that.

    Raises:
        ImportFormatError: the file is not a readable .zip, is not a Cairn archive, or is
            larger than ``MAX_ARCHIVE_BYTES`` unpacked.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, zlib.error) as exc:
        log.warning("cannot open archive %s: %s", source, exc)
        raise ImportFormatError(f"{source.name} is not a readable .zip archive.") from None
    with archive:  # every entry's own failure is caught and described below
        return _import(archive, history, attachments)


def _import(
    archive: zipfile.ZipFile, history: HistoryStore, attachments: AttachmentStore
) -> ImportResult:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise ImportFormatError(
            f"This archive has more than {MAX_ENTRIES:,} files; it was refused."
        )
    if sum(max(0, info.file_size) for info in entries) > MAX_ARCHIVE_BYTES:
        raise ImportFormatError(
            f"This archive would unpack to more than {MAX_ARCHIVE_BYTES // 1024**3} GB; "
            "it was refused."
        )
    names = [info.filename for info in entries]
    if MANIFEST_NAME not in names and not any(_known_kind(name) for name in names):
        if any(name.rsplit("/", 1)[-1] == "conversations.json" for name in names):
            raise ImportFormatError(
                "This is a claude.ai export, not a Cairn archive: import it from claude.ai instead."
            )
        raise ImportFormatError("This .zip is not a Cairn archive: it holds no conversations.")
    result = ImportResult()
    budget = _Budget(MAX_ARCHIVE_BYTES)
    conversations: list[zipfile.ZipInfo] = []
    for info in entries:
        parts = _safe_parts(info, result)
        if parts is None:
            continue
        kind = _known_kind(info.filename)
        if kind == "attachment":
            _import_attachment(archive, info, parts[2], attachments, budget, result)
        elif kind == "conversation":
            conversations.append(info)  # after the attachments they refer to
        elif info.filename not in (MANIFEST_NAME, "settings.json"):
            result.add_problem(f"{_short(info.filename)} is not part of a Cairn archive; ignored.")
    for info in conversations:
        conversation = _read_conversation(archive, info, budget, result)
        if conversation is not None:
            merge_conversations([conversation], history, result)
    return result


class _Budget:
    """Bytes that may still be unpacked, whatever the entries declared."""

    def __init__(self, limit: int) -> None:
        self.left = limit


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
        result.add_problem(f"{_short(name)} has an unsafe name and was ignored.")
        return None
    if stat.S_ISLNK(info.external_attr >> 16):
        result.add_problem(f"{_short(name)} is a link and was ignored.")
        return None
    return parts


def _read_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, budget: _Budget,
    result: ImportResult,
) -> bytes | None:
    """An entry's bytes, reading no more than ``limit`` (or the budget) whatever it claims."""
    name = _short(info.filename)
    if info.file_size > limit:
        result.add_problem(f"{name} is too large ({info.file_size:,} bytes) and was ignored.")
        return None
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(_CHUNK):
                size += len(chunk)
                budget.left -= len(chunk)
                if size > limit or budget.left < 0:
                    result.add_problem(f"{name} unpacks to more than it declared; ignored.")
                    return None
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError,
            RuntimeError, zlib.error) as exc:
        log.warning("cannot read %s from archive: %s", info.filename, exc)
        result.add_problem(f"{name} is damaged or encrypted and was ignored.")
        return None
    return b"".join(chunks)


def _import_attachment(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, file_name: str,
    attachments: AttachmentStore, budget: _Budget, result: ImportResult,
) -> None:
    sha256 = _attachment_hash(file_name)
    if sha256 is None:
        result.add_problem(f"{_short(info.filename)} is not named like an attachment; ignored.")
        return
    if attachments.path_for(sha256) is not None:
        return  # already here: the same hash is the same bytes
    data = _read_entry(archive, info, MAX_ATTACHMENT_BYTES, budget, result)
    if data is None:
        return
    if hashlib.sha256(data).hexdigest() != sha256:
        result.add_problem(
            f"{_short(info.filename)} does not match its checksum (damaged?) and was ignored."
        )
        return
    try:
        attachments.put(data, sha256, file_name[64:])
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        result.add_problem(f"{_short(info.filename)} could not be stored ({reason}).")
        return
    result.attachments_added += 1


def _read_conversation(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget, result: ImportResult
) -> Conversation | None:
    name = _short(info.filename)
    data = _read_entry(archive, info, MAX_CONVERSATION_BYTES, budget, result)
    if data is None:
        return None
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        result.add_problem(f"{name} is not valid JSON and was ignored.")
        return None
    try:
        return conversation_from_document(document, name)
    except ImportFormatError as exc:
        result.add_problem(str(exc))
    return None


def conversation_from_document(data: Any, label: str) -> Conversation:
    """A conversation from a history document (any schema this version can migrate).

    Args:
        data: the parsed JSON.
        label: how the file is named in error messages.

    Raises:
        ImportFormatError: it is not a conversation, or it comes from a newer Cairn.
    """
    not_conversation = ImportFormatError(f"{label} is not a Cairn conversation.")
    if not isinstance(data, dict):
        raise not_conversation
    try:
        conversation = Conversation.from_json(migrate(data))
    except NewerSchemaError:
        raise ImportFormatError(
            f"{label} was written by a newer version of Cairn; update Cairn to import it."
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise not_conversation from None
    if not _ID_PATTERN.fullmatch(conversation.id):
        raise ImportFormatError(f"{label} has an invalid conversation id.")
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
        raise ImportFormatError(
            f"{path.name} could not be read ({exc.strerror or type(exc).__name__})."
        ) from None
    if len(raw) > limit:
        raise ImportFormatError(f"{path.name} is too large to import.")
    return raw


def _short(text: str, limit: int = 80) -> str:
    """A name fit for a sentence: one line, not endless."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
