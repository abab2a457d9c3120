"""Conversation history: one JSON file per conversation, written atomically.

A file that cannot be read is set aside (renamed, never overwritten) and reported; the others
still load. A file from a newer Cairn is left untouched. See docs/history-format.md.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from desktop_app.core.conversation import Conversation
from desktop_app.core.conversation_summary import ConversationSummary
from desktop_app.core.history_schema import HistoryFormatError, check_schema_version
from desktop_app.core.os_error_reason import OsErrorReason
from desktop_app.storage.atomic_file import write_bytes_atomic, write_json_atomic
from desktop_app.storage.load_problems import (
    BackupFailedError,
    HistoryFileError,
    LoadFact,
    LoadProblem,
    LoadProblemKind,
    NewerSchemaError,
    display_name,
)

__all__ = ["FILE_ERRORS", "MIGRATIONS", "READ_ERRORS", "SCHEMA_VERSION", "BackupFailedError",
           "HistoryStore", "LoadProblem", "LoadResult", "NewerSchemaError", "ScanResult",
           "display_name", "migrate"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,128}")

# One function per schema step: MIGRATIONS[n] turns a schema-n document into schema n+1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


# What reading a conversation file raises when the file is missing, unreadable or not a
# conversation: OSError, ValueError (not UTF-8, not JSON, or not the history format:
# HistoryFormatError, checked against core/history_schema.py before anything is built from it)
# and RecursionError (the json module, for arrays or objects nested thousands deep). Such a file
# is set aside at start-up.
FILE_ERRORS = (OSError, ValueError, RecursionError)
# What callers that only report a file they cannot open catch: the above, and KeyError and
# TypeError, which reading a checked document no longer raises (they would be a bug in Cairn).
READ_ERRORS = (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError)

_Item = TypeVar("_Item")


@dataclass
class LoadResult:
    conversations: list[Conversation] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    read_only: list[str] = field(default_factory=list)  # ids of files from a newer Cairn


@dataclass
class ScanResult:
    """What start-up needs: a summary of every readable conversation, newest first."""

    summaries: list[ConversationSummary] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a document up to ``SCHEMA_VERSION``, one step at a time."""
    version = data.get("schema", 1)
    if not isinstance(version, int) or version < 1:
        check_schema_version(version)  # raises HistoryFormatError, saying what is wrong
        raise ValueError(f"unknown schema {version!r}")  # (not reached)
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(version)
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["schema"] = version
    return data


class HistoryStore:
    """Reads and writes the conversations folder."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_for(self, conversation_id: str) -> Path:
        if not _ID_PATTERN.fullmatch(conversation_id):
            raise ValueError(f"invalid conversation id {conversation_id!r}")
        return self.directory / f"{conversation_id}.json"

    def load_all(self) -> LoadResult:
        """Every conversation that can be read, newest first, and what went wrong with the
        rest (for exports and tests: the app itself keeps only summaries, see :meth:`scan`)."""
        result = LoadResult()
        for conversation, read_only in self._read_each(result.problems, _as_read):
            result.conversations.append(conversation)
            if read_only:
                result.read_only.append(conversation.id)
        result.conversations.sort(key=lambda c: c.updated_at, reverse=True)
        return result

    def scan(self) -> ScanResult:
        """A summary of every conversation that can be read, newest first, and what went
        wrong with the rest. Each file is parsed and let go, so memory holds summaries only."""
        result = ScanResult()
        for summary in self._read_each(result.problems, _summarise):
            result.summaries.append(summary)
        result.summaries.sort(key=lambda s: s.updated_at, reverse=True)
        return result

    def _read_each(self, problems: list[LoadProblem],
                   convert: Callable[[Conversation, bool], _Item]) -> Iterator[_Item]:
        """``convert(conversation, read_only)`` of each readable conversation (read-only: from
        a newer Cairn); files that are not conversations are set aside and reported in
        ``problems``. One file never stops the others: whatever reading or converting it
        raises is reported (an error that is Cairn's own leaves the file where it is)."""
        if not self.directory.is_dir():
            return
        self._remove_stale_temporaries()
        for path in sorted(self.directory.glob("*.json")):
            try:
                item = self._read_one(path, convert)
            except BackupFailedError as exc:
                log.warning("not migrating %s: %s", display_name(path), exc)
                problems.append(LoadProblem(path, LoadProblemKind.BACKUP_FAILED,
                                            {"reason": exc.reason}))
            except NewerSchemaError as exc:
                problems.append(LoadProblem(path, exc.kind, exc.facts))
            except FILE_ERRORS as exc:
                kind, facts = _problem_of(exc)
                problem = LoadProblem(path, kind, facts, self._set_aside(path))
                log.warning("cannot read %s: %s", problem.name, problem.reason)
                problems.append(problem)
            except Exception as exc:  # noqa: BLE001 - a bug must not stop Cairn from starting
                log.exception("error while reading %s", display_name(path))
                problems.append(LoadProblem(path, LoadProblemKind.CAIRN_ERROR,
                                            {"error": type(exc).__name__}))
            else:
                yield item

    def _read_one(self, path: Path, convert: Callable[[Conversation, bool], _Item]) -> _Item:
        try:
            return convert(self._read(path), False)
        except NewerSchemaError:
            newer = self._read_newer(path)
            if newer is None:
                raise
            return convert(newer, True)  # shown as far as we understand it, never written

    def load(self, conversation_id: str) -> Conversation:
        """One conversation in full (a file from a newer Cairn as far as this one reads it).

        Raises:
            OSError, ValueError: the file is gone or cannot be read.
        """
        path = self.path_for(conversation_id)
        try:
            return self._read(path)
        except NewerSchemaError:
            newer = self._read_newer(path)
            if newer is None:
                raise
            return newer

    def save(self, conversation: Conversation) -> None:
        """Write one conversation atomically.

        Raises:
            OSError: disk full, permission denied, ...; the previous file is then intact.
        """
        self.write(conversation.id, conversation.to_json(SCHEMA_VERSION))

    def write(self, conversation_id: str, document: dict[str, Any]) -> None:
        """Write an already serialised conversation (so a worker thread never reads live
        objects the UI thread is changing)."""
        write_json_atomic(self.path_for(conversation_id), document)

    def delete(self, conversation_id: str) -> None:
        try:
            self.path_for(conversation_id).unlink()
        except FileNotFoundError:
            pass

    def _back_up(self, path: Path, raw: bytes, version: int) -> None:
        """Keep the file as an older Cairn wrote it before it is migrated (once: a backup is
        never overwritten). If the backup cannot be written the file is not read, so it is
        never migrated without one."""
        target = self.backups_dir / f"schema-{version}" / path.name
        if target.exists():
            return
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(target, raw)
        except OSError as exc:
            raise BackupFailedError(OsErrorReason.of(exc)) from exc

    def _remove_stale_temporaries(self) -> None:
        """Temporary files of writes a crash interrupted (the file they were replacing is
        intact). Only one Cairn uses a data folder at a time, so none of them is in use."""
        for path in self.directory.glob(".*.json.*.tmp"):
            try:
                path.unlink()
            except OSError:
                log.info("cannot remove stale temporary file %s", path.name)

    @property
    def backups_dir(self) -> Path:
        """Where files are copied, as they were, before a migration changes them."""
        return self.directory.parent / "backups"

    def _read(self, path: Path) -> Conversation:
        with path.open("rb") as handle:
            raw = handle.read()
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise HistoryFileError(LoadProblemKind.NOT_AN_OBJECT)
        version = data.get("schema", 1)
        if isinstance(version, int) and 1 <= version < SCHEMA_VERSION:
            self._back_up(path, raw, version)
        # Checked against the history schema before anything is built (HistoryFormatError).
        conversation = Conversation.from_json(migrate(data), owned=True)  # parsed just now
        if path.stem != conversation.id:
            raise HistoryFileError(LoadProblemKind.NAME_MISMATCH, id=conversation.id)
        return conversation

    def _read_newer(self, path: Path) -> Conversation | None:
        """A file from a newer Cairn, read as far as this version understands it."""
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
            conversation = Conversation.from_json(data)
        except READ_ERRORS:
            return None
        return conversation if path.stem == conversation.id else None

    def _set_aside(self, path: Path) -> Path | None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = path.with_name(f"{path.name}.unreadable-{stamp}")
        try:
            os.replace(path, target)
        except OSError:
            return None
        return target


def _as_read(conversation: Conversation, read_only: bool) -> tuple[Conversation, bool]:
    return conversation, read_only


def _summarise(conversation: Conversation, read_only: bool) -> ConversationSummary:
    return ConversationSummary.of(conversation, read_only=read_only)


def _problem_of(exc: Exception) -> tuple[LoadProblemKind, dict[str, LoadFact]]:
    """Why reading a file raised ``exc`` (one of ``FILE_ERRORS``), as a kind and its facts."""
    if isinstance(exc, HistoryFormatError):
        return LoadProblemKind.NOT_HISTORY_FORMAT, {"problem": exc.found}
    if isinstance(exc, HistoryFileError):
        return exc.kind, dict(exc.facts)
    if isinstance(exc, json.JSONDecodeError):
        return LoadProblemKind.NOT_JSON, {"line": exc.lineno, "column": exc.colno}
    if isinstance(exc, UnicodeDecodeError):
        return LoadProblemKind.NOT_UTF8, {}
    if isinstance(exc, OSError):
        return LoadProblemKind.UNREADABLE, {"reason": OsErrorReason.of(exc)}
    if isinstance(exc, RecursionError):
        return LoadProblemKind.TOO_DEEP, {}
    return LoadProblemKind.OTHER, {"text": str(exc) or type(exc).__name__}
