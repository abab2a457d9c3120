"""Why an import (or part of one) failed, as data: a kind and its facts, never a sentence in
one language.

Storage and the core describe every refused file, skipped entry and stopped import with an
``ImportProblem``; the UI words it in the user's language from ``kind`` and ``facts``
(``ui.transfer.import_problem_text``). The English sentence Cairn has always written is kept
as the problem's text, for logs and for code that only needs a sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any

Fact = str | int


class ProblemKind(StrEnum):
    """What went wrong. Each kind's facts are the names in its English sentence (``ENGLISH``).

    Facts named ``reason`` hold another ``ImportProblem`` (a reason Cairn words, such as an
    entry being encrypted), an ``OsErrorReason`` (an OS error, worded by its errno), a
    ``FormatProblem`` (what the history format check found) or, rarely, plain English text.
    Sizes (``size``, ``limit``, ...) are already written as "12 MB"; counts are ints.
    """

    # The file as a whole
    FILE_UNREADABLE = "file_unreadable"  # name, reason: the OS could not open or read it
    FILE_TOO_LARGE = "file_too_large"  # name: a single file over the size Cairn reads
    NOT_IMPORTABLE = "not_importable"  # name: none of the kinds of file Cairn imports
    READ_STOPPED = "read_stopped"  # name, reason: reading broke off part way (unexpected error)
    CANNOT_READ_FURTHER = "cannot_read_further"  # name, reason: an OS error part way
    CANNOT_READ_FURTHER_ENTRY = "cannot_read_further_entry"  # name, reason (a kind below)
    STOPPED_PART_WAY = "stopped_part_way"  # summary: an import refused part way (scripts)
    # A .zip refused as a whole (safe_zip)
    NOT_A_ZIP = "not_a_zip"  # name
    TOO_MANY_ENTRIES = "too_many_entries"  # name, limit (int)
    ZIP_BOMB_DECLARED = "zip_bomb_declared"  # name, unpacked, size
    ARCHIVE_TOO_LARGE = "archive_too_large"  # name, limit
    ZIP_BOMB_ENTRY_DECLARED = "zip_bomb_entry_declared"  # name, unpacked, compressed
    ENTRY_OUTSIDE_FILE = "entry_outside_file"  # name
    ENTRIES_OVERLAP = "entries_overlap"  # name
    ENTRY_LONGER_THAN_DECLARED = "entry_longer_than_declared"  # name, entry, declared (int)
    ZIP_BOMB_RATIO = "zip_bomb_ratio"  # name, entry, ratio (int)
    ARCHIVE_UNPACKS_TOO_MUCH = "archive_unpacks_too_much"  # name, limit, ratio, size, max_total
    # Why one entry of a .zip cannot be read (a reason, not a sentence)
    ENTRY_ENCRYPTED = "entry_encrypted"
    ENTRY_COMPRESSION = "entry_compression"
    ENTRY_OVER_LIMIT = "entry_over_limit"  # size, limit
    ENTRY_READ_FAILED = "entry_read_failed"  # reason (from the system)
    ENTRY_ENDS_EARLY = "entry_ends_early"
    ENTRY_DAMAGED = "entry_damaged"
    ENTRY_SHORTER = "entry_shorter"
    ENTRY_CHECKSUM = "entry_checksum"
    # A Cairn backup archive
    NOT_AN_ARCHIVE = "not_an_archive"
    CLAUDE_EXPORT_NOT_ARCHIVE = "claude_export_not_archive"
    NOT_ARCHIVE_PART = "not_archive_part"  # entry
    UNSAFE_NAME = "unsafe_name"  # entry: a name that tries to leave the folder
    LINK_ENTRY = "link_entry"  # entry
    ENTRY_IGNORED = "entry_ignored"  # entry, reason (an entry kind above)
    ATTACHMENT_ENTRY_TOO_LARGE = "attachment_entry_too_large"  # entry, size, limit
    CONVERSATION_ENTRY_TOO_LARGE = "conversation_entry_too_large"  # entry, size, limit
    ATTACHMENT_MISNAMED = "attachment_misnamed"  # entry
    ATTACHMENT_CHECKSUM = "attachment_checksum"  # entry
    ATTACHMENT_NOT_STORED = "attachment_not_stored"  # entry, reason (from the system)
    ENTRY_NOT_JSON = "entry_not_json"  # entry
    # One conversation (from an archive or an exported conversation file)
    NOT_A_CONVERSATION = "not_a_conversation"  # name
    INVALID_CONVERSATION = "invalid_conversation"  # name, reason (the schema check's words)
    NEWER_CAIRN = "newer_cairn"  # name
    INVALID_CONVERSATION_ID = "invalid_conversation_id"  # name
    CONVERSATION_NOT_JSON = "conversation_not_json"  # name
    ATTACHMENT_DAMAGED_OR_LARGE = "attachment_damaged_or_large"  # name
    ATTACHMENT_DAMAGED = "attachment_damaged"  # name
    ATTACHMENT_STORE_FAILED = "attachment_store_failed"  # name, reason (from the system)
    CONVERSATION_NOT_SAVED = "conversation_not_saved"  # title, reason (from the system)
    INVALID_ID = "invalid_id"  # title
    CONVERSATION_TOO_LARGE = "conversation_too_large"  # title, size, limit
    MESSAGE_TOO_LARGE = "message_too_large"  # title, size, limit
    CONVERSATION_OVER_LIMIT = "conversation_over_limit"  # title, limit
    # A claude.ai export
    NO_CONVERSATIONS_FILE = "no_conversations_file"  # name, file
    EXPORT_ENTRY_UNREADABLE = "export_entry_unreadable"  # name, reason (an entry kind above)
    EXPORT_NOT_TEXT = "export_not_text"
    EXPORT_NOT_JSON = "export_not_json"
    EXPORT_NOT_A_LIST = "export_not_a_list"
    EXPORT_NO_CONVERSATION = "export_no_conversation"
    EXPORT_BROKEN_OFF = "export_broken_off"  # entry (int), reason (a BREAK_ kind)
    EXPORT_ENTRY_TOO_LARGE = "export_entry_too_large"  # position (int), limit
    EXPORT_ENTRY_NOT_CONVERSATION = "export_entry_not_conversation"  # position (int)
    EXPORT_CONVERSATION_UNREADABLE = "export_conversation_unreadable"  # position (int)
    EXPORT_NO_MESSAGES = "export_no_messages"  # title
    # Where the text of a claude.ai export stops being JSON (a reason, not a sentence)
    BREAK_NOT_UTF8 = "break_not_utf8"
    BREAK_INVALID_JSON = "break_invalid_json"
    BREAK_ENDS_EARLY = "break_ends_early"
    BREAK_TOO_DEEP = "break_too_deep"
    BREAK_MID_ENTRY = "break_mid_entry"
    BREAK_EMPTY = "break_empty"
    BREAK_NO_LIST = "break_no_list"
    BREAK_MORE_AFTER = "break_more_after"
    BREAK_NO_CONVERSATION_LIST = "break_no_conversation_list"


K = ProblemKind

#: The English text of each kind: exactly the sentences Cairn wrote before problems were data.
ENGLISH: Mapping[ProblemKind, str] = MappingProxyType({
    K.FILE_UNREADABLE: "{name} could not be read ({reason}).",
    K.FILE_TOO_LARGE: "{name} is too large to import.",
    K.NOT_IMPORTABLE:
        "{name} is not a Cairn backup, an exported conversation or a claude.ai export.",
    K.READ_STOPPED: "{name} could not be read further ({reason}).",
    K.CANNOT_READ_FURTHER: "{name} cannot be read further ({reason}).",
    K.CANNOT_READ_FURTHER_ENTRY: "{name} cannot be read further: {reason}.",
    K.STOPPED_PART_WAY: "{summary}",
    K.NOT_A_ZIP: "{name} is not a readable .zip archive.",
    K.TOO_MANY_ENTRIES: "{name} has more than {limit:,} files; it was refused.",
    K.ZIP_BOMB_DECLARED: "{name} would unpack to {unpacked}, far more than a real archive of "
                         "its size ({size}); it was refused as a zip bomb.",
    K.ARCHIVE_TOO_LARGE:
        "{name} would unpack to more than {limit}, the most Cairn imports; it was refused.",
    K.ZIP_BOMB_ENTRY_DECLARED: "{name} holds an entry that would unpack to {unpacked} from "
                               "{compressed}; it was refused as a zip bomb.",
    K.ENTRY_OUTSIDE_FILE: "{name} is damaged: an entry lies outside the file.",
    K.ENTRIES_OVERLAP: "{name} has entries that share their data (a zip bomb); it was refused.",
    K.ENTRY_LONGER_THAN_DECLARED: "{name} was refused: an entry ({entry}) unpacks to more than "
                                  "the {declared:,} bytes it declares.",
    K.ZIP_BOMB_RATIO: "{name} was refused as a zip bomb: an entry ({entry}) unpacks to more "
                      "than {ratio} times its compressed size.",
    K.ARCHIVE_UNPACKS_TOO_MUCH: "{name} was refused: it unpacks to more than {limit} (at most "
                                "{ratio} times its size of {size}, and never more than "
                                "{max_total}).",
    K.ENTRY_ENCRYPTED: "it is encrypted",
    K.ENTRY_COMPRESSION: "it is compressed in a way Cairn does not read",
    K.ENTRY_OVER_LIMIT: "it is {size}, more than the {limit} Cairn imports",
    K.ENTRY_READ_FAILED: "it could not be read ({reason})",
    K.ENTRY_ENDS_EARLY: "it is damaged (its data ends early)",
    K.ENTRY_DAMAGED: "it is damaged",
    K.ENTRY_SHORTER: "it is damaged (shorter than it declares)",
    K.ENTRY_CHECKSUM: "it is damaged (its checksum does not match)",
    K.NOT_AN_ARCHIVE: "This .zip is not a Cairn archive: it holds no conversations.",
    K.CLAUDE_EXPORT_NOT_ARCHIVE: "This is a claude.ai export, not a Cairn archive: import it "
                                 "from claude.ai instead.",
    K.NOT_ARCHIVE_PART: "{entry} is not part of a Cairn archive; ignored.",
    K.UNSAFE_NAME: "{entry} has an unsafe name and was ignored.",
    K.LINK_ENTRY: "{entry} is a link and was ignored.",
    K.ENTRY_IGNORED: "{entry} was ignored: {reason}.",
    K.ATTACHMENT_ENTRY_TOO_LARGE: "{entry} is too large ({size}; Cairn imports attachments of "
                                  "up to {limit}) and was ignored.",
    K.CONVERSATION_ENTRY_TOO_LARGE: "{entry} is too large ({size}; Cairn imports conversations "
                                    "of up to {limit}) and was ignored.",
    K.ATTACHMENT_MISNAMED: "{entry} is not named like an attachment; ignored.",
    K.ATTACHMENT_CHECKSUM: "{entry} does not match its checksum (damaged?) and was ignored.",
    K.ATTACHMENT_NOT_STORED: "{entry} could not be stored ({reason}).",
    K.ENTRY_NOT_JSON: "{entry} is not valid JSON and was ignored.",
    K.NOT_A_CONVERSATION: "{name} is not a Cairn conversation.",
    K.INVALID_CONVERSATION: "{name} is not a Cairn conversation: {reason}.",
    K.NEWER_CAIRN:
        "{name} was written by a newer version of Cairn; update Cairn to import it.",
    K.INVALID_CONVERSATION_ID: "{name} has an invalid conversation id.",
    K.CONVERSATION_NOT_JSON: "{name} is not a Cairn conversation: it is not JSON.",
    K.ATTACHMENT_DAMAGED_OR_LARGE: "{name} holds an attachment that is damaged or too large.",
    K.ATTACHMENT_DAMAGED: "{name} holds a damaged attachment.",
    K.ATTACHMENT_STORE_FAILED: "{name} could not be imported: an attachment could not be "
                               "stored ({reason}).",
    K.CONVERSATION_NOT_SAVED: "“{title}” could not be saved ({reason}).",
    K.INVALID_ID: "“{title}” has an invalid id and was skipped.",
    K.CONVERSATION_TOO_LARGE: "“{title}” was not imported: it is {size}, and Cairn imports "
                              "conversations of up to {limit}.",
    K.MESSAGE_TOO_LARGE: "“{title}” was not imported: one of its messages is {size}, and "
                         "Cairn imports messages of up to {limit}.",
    K.CONVERSATION_OVER_LIMIT: "“{title}” was not imported: it is larger than {limit}, the "
                               "most Cairn imports in one conversation.",
    K.NO_CONVERSATIONS_FILE: "{name} has no {file}: it is not a claude.ai export.",
    K.EXPORT_ENTRY_UNREADABLE: "{name} cannot be imported: {reason}.",
    K.EXPORT_NOT_TEXT: "This file is not a claude.ai export: it is not text.",
    K.EXPORT_NOT_JSON: "This file is not a claude.ai export: it is not JSON.",
    K.EXPORT_NOT_A_LIST:
        "This file is not a claude.ai export: it should hold a list of conversations.",
    K.EXPORT_NO_CONVERSATION:
        "This file is not a claude.ai export: none of its entries is a conversation.",
    K.EXPORT_BROKEN_OFF: "The file could not be read past entry {entry} ({reason}); the "
                         "conversations before that were imported.",
    K.EXPORT_ENTRY_TOO_LARGE: "Entry {position} was skipped: it is larger than {limit}, the "
                              "most Cairn imports in one conversation.",
    K.EXPORT_ENTRY_NOT_CONVERSATION: "Entry {position} is not a conversation and was skipped.",
    K.EXPORT_CONVERSATION_UNREADABLE:
        "Conversation {position} could not be read and was skipped.",
    K.EXPORT_NO_MESSAGES: "“{title}” has no messages and was skipped.",
    K.BREAK_NOT_UTF8: "it is not UTF-8 text",
    K.BREAK_INVALID_JSON: "it is not valid JSON there",
    K.BREAK_ENDS_EARLY: "it ends early",
    K.BREAK_TOO_DEEP: "it is nested too deeply",
    K.BREAK_MID_ENTRY: "it ends in the middle of an entry",
    K.BREAK_EMPTY: "it is empty",
    K.BREAK_NO_LIST: "it holds no list",
    K.BREAK_MORE_AFTER: "there is more after its end",
    K.BREAK_NO_CONVERSATION_LIST: "it holds no list of conversations",
})


class ImportProblem(str):
    """One problem of an import: ``kind`` and ``facts`` for the UI to word, and, as its text,
    the English sentence (so logs, files and code that only needs a sentence use it as one).

    It is a ``str`` so that everything that held the sentence before keeps working (joined
    into a message, compared with an expected sentence); read ``kind`` and ``facts`` to say it
    in another language.
    """

    kind: ProblemKind
    facts: Mapping[str, Fact]

    def __new__(cls, kind: ProblemKind, /, **facts: Fact) -> ImportProblem:
        self = super().__new__(cls, ENGLISH[kind].format(**facts))
        self.kind = kind
        self.facts = MappingProxyType(dict(facts))
        return self

    def english(self) -> str:
        """The English sentence (the problem's text)."""
        return str.__str__(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (self.kind, dict(self.facts))  # copy and pickle: from its facts

    def __repr__(self) -> str:
        return f"ImportProblem({self.kind.name}, {dict(self.facts)!r})"


def _rebuild(kind: ProblemKind, facts: dict[str, Fact]) -> ImportProblem:
    return ImportProblem(kind, **facts)
