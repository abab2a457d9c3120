"""Why a history file could not be loaded, as data: a kind and its facts, never a sentence in
one language.

``history_store`` reports each file it could not read as a ``LoadProblem``; the start-up
notice words it in the user's language (``ui.session.load_problem_text``). ``reason`` and
``describe()`` keep the English sentences Cairn has always written, for logs and scripts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from desktop_app.core.history_format_problems import FormatProblem
from desktop_app.core.os_error_reason import OsErrorReason

LoadFact = str | int


class LoadProblemKind(StrEnum):
    """Why a file was not loaded. The facts each kind carries are named in ``ENGLISH``:
    ``reason`` is an ``OsErrorReason``, ``problem`` a ``FormatProblem``, ``line``,
    ``column`` and ``schema`` are ints, the rest text."""

    NEWER_CAIRN = "newer_cairn"  # schema: written by a newer Cairn (left untouched)
    BACKUP_FAILED = "backup_failed"  # reason: an older file that could not be backed up
    UNREADABLE = "unreadable"  # reason: the system could not read it
    NOT_UTF8 = "not_utf8"
    NOT_JSON = "not_json"  # line, column
    TOO_DEEP = "too_deep"  # nested beyond what the json module reads
    NOT_AN_OBJECT = "not_an_object"
    NOT_HISTORY_FORMAT = "not_history_format"  # problem
    NAME_MISMATCH = "name_mismatch"  # id: the conversation id inside is not the file name
    CAIRN_ERROR = "cairn_error"  # error: an exception of Cairn's own (left as it is)
    OTHER = "other"  # text: a reason nothing above names, as the exception said it


K = LoadProblemKind

#: Each kind's English reason: exactly the words Cairn wrote before problems were data.
ENGLISH: Final[Mapping[LoadProblemKind, str]] = MappingProxyType({
    K.NEWER_CAIRN: "written by a newer version of Cairn (schema {schema})",
    K.BACKUP_FAILED: "it needs updating to this version of Cairn, but a backup could not be "
                     "written first ({reason}); it was left as it is",
    K.UNREADABLE: "{reason}",
    K.NOT_UTF8: "not UTF-8 text",
    K.NOT_JSON: "not valid JSON (line {line}, column {column})",
    K.TOO_DEEP: "nested too deeply to read",
    K.NOT_AN_OBJECT: "not a JSON object",
    K.NOT_HISTORY_FORMAT: "not in Cairn's history format: {problem}",
    K.NAME_MISMATCH: "file name does not match id {id!r}",
    K.CAIRN_ERROR: "an error in Cairn stopped it from being read ({error}); it was left as "
                   "it is",
    K.OTHER: "{text}",
})


class HistoryFileError(ValueError):
    """A file that is JSON but not a conversation this Cairn can read, with why as data.

    Attributes:
        kind, facts: as a ``LoadProblem``'s (its English reason is the message).
    """

    def __init__(self, kind: LoadProblemKind, **facts: LoadFact) -> None:
        self.kind = kind
        self.facts: Mapping[str, LoadFact] = MappingProxyType(facts)
        super().__init__(ENGLISH[kind].format(**facts))

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild_file_error, (type(self), self.kind, dict(self.facts))


class NewerSchemaError(HistoryFileError):
    """The file was written by a newer Cairn; this version must not touch it."""

    def __init__(self, schema: int) -> None:
        super().__init__(K.NEWER_CAIRN, schema=schema)


class BackupFailedError(OSError):
    """An older file could not be backed up, so it is not migrated (nor set aside).

    Attributes:
        reason: why the backup could not be written.
    """

    def __init__(self, reason: OsErrorReason) -> None:
        self.reason = reason
        super().__init__(ENGLISH[K.BACKUP_FAILED].format(reason=reason))

    def __reduce__(self) -> tuple[Any, ...]:
        return BackupFailedError, (self.reason,)


@dataclass(frozen=True)
class LoadProblem:
    """A history file that could not be loaded: which, why (``kind`` and ``facts``, for the
    UI to word) and where it was set aside (None: left where it is)."""

    path: Path
    kind: LoadProblemKind
    facts: Mapping[str, LoadFact] = field(default_factory=dict)
    moved_to: Path | None = None

    @property
    def name(self) -> str:
        """The file's name as it can be shown (a name that is not UTF-8 shows U+FFFD)."""
        return display_name(self.path)

    @property
    def moved_to_name(self) -> str | None:
        """The name it was set aside under, as it can be shown."""
        return display_name(self.moved_to) if self.moved_to else None

    @property
    def reason(self) -> str:
        """Why, in English (logs)."""
        return ENGLISH[self.kind].format(**self.facts)

    @property
    def format_problem(self) -> FormatProblem | None:
        """What the history format check found, for a file not in the format."""
        found = self.facts.get("problem")
        return found if isinstance(found, FormatProblem) else None

    def describe(self) -> str:
        """The problem in one English sentence (logs)."""
        where = f" It was moved to {self.moved_to_name}." if self.moved_to else ""
        return f"{self.name}: {self.reason}.{where}"


def _rebuild_file_error(cls: type[HistoryFileError], kind: LoadProblemKind,
                        facts: dict[str, LoadFact]) -> HistoryFileError:
    if issubclass(cls, NewerSchemaError):
        schema = facts["schema"]
        assert isinstance(schema, int)
        return NewerSchemaError(schema)
    return cls(kind, **facts)


def display_name(path: Path) -> str:
    """A file's name for a message: undecodable bytes (kept by Python as lone surrogates)
    become U+FFFD, so the name can be shown, logged and translated."""
    return os.fsencode(path.name).decode("utf-8", "replace")
