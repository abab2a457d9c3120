"""An import's problems in the user's language: one sentence (or reason) per
``core.import_problems.ProblemKind``, made here from the problem's facts, because storage and
the core only say what went wrong, never in which words (an OS error nested in a problem is
worded by its errno, a history format problem by its kind)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from desktop_app.core.history_format_problems import FormatProblem
from desktop_app.core.import_problems import ImportProblem, ProblemKind
from desktop_app.core.os_error_reason import OsErrorReason
from desktop_app.ui.lib.format_problem_text import format_problem_text
from desktop_app.ui.lib.numbers import grouped
from desktop_app.ui.lib.os_error_text import os_error_text

K = ProblemKind


def problem_text(problem: ImportProblem) -> str:
    """The problem as a sentence in the user's language (a reason nested in it, such as an
    entry being encrypted, an OS error or a history format problem, worded too)."""
    template = _templates().get(problem.kind)
    if template is None:  # only scripts meet STOPPED_PART_WAY; its summary is English
        return problem.english()
    return template.format(**{name: _fact_text(value) for name, value in problem.facts.items()})


def _fact_text(value: str | int) -> str:
    if isinstance(value, ImportProblem):
        return problem_text(value)
    if isinstance(value, OsErrorReason):
        return os_error_text(value)
    if isinstance(value, FormatProblem):
        return format_problem_text(value)
    if isinstance(value, int):
        return grouped(value)
    return value


def _templates() -> Mapping[ProblemKind, str]:
    """Each kind's words, the facts named as in ``core.import_problems.ENGLISH`` (counts are
    grouped here, so no ``:,``). Made at each call: the language may have changed."""
    return {
        K.FILE_UNREADABLE: QCoreApplication.translate(
            "ImportProblem",
            "{name} could not be read ({reason})."),
        K.FILE_TOO_LARGE: QCoreApplication.translate(
            "ImportProblem",
            "{name} is too large to import."),
        K.NOT_IMPORTABLE: QCoreApplication.translate(
            "ImportProblem",
            "{name} is not a Cairn backup, an exported conversation or a claude.ai "
            "export."),
        K.READ_STOPPED: QCoreApplication.translate(
            "ImportProblem",
            "{name} could not be read further ({reason})."),
        K.CANNOT_READ_FURTHER: QCoreApplication.translate(
            "ImportProblem",
            "{name} cannot be read further ({reason})."),
        K.CANNOT_READ_FURTHER_ENTRY: QCoreApplication.translate(
            "ImportProblem",
            "{name} cannot be read further: {reason}."),
        K.NOT_A_ZIP: QCoreApplication.translate(
            "ImportProblem",
            "{name} is not a readable .zip archive."),
        K.TOO_MANY_ENTRIES: QCoreApplication.translate(
            "ImportProblem",
            "{name} has more than {limit} files; it was refused."),
        K.ZIP_BOMB_DECLARED: QCoreApplication.translate(
            "ImportProblem",
            "{name} would unpack to {unpacked}, far more than a real archive of its size "
            "({size}); it was refused as a zip bomb."),
        K.ARCHIVE_TOO_LARGE: QCoreApplication.translate(
            "ImportProblem",
            "{name} would unpack to more than {limit}, the most Cairn imports; it was "
            "refused."),
        K.ZIP_BOMB_ENTRY_DECLARED: QCoreApplication.translate(
            "ImportProblem",
            "{name} holds an entry that would unpack to {unpacked} from {compressed}; it "
            "was refused as a zip bomb."),
        K.ENTRY_OUTSIDE_FILE: QCoreApplication.translate(
            "ImportProblem",
            "{name} is damaged: an entry lies outside the file."),
        K.ENTRIES_OVERLAP: QCoreApplication.translate(
            "ImportProblem",
            "{name} has entries that share their data (a zip bomb); it was refused."),
        K.ENTRY_LONGER_THAN_DECLARED: QCoreApplication.translate(
            "ImportProblem",
            "{name} was refused: an entry ({entry}) unpacks to more than the {declared} "
            "bytes it declares."),
        K.ZIP_BOMB_RATIO: QCoreApplication.translate(
            "ImportProblem",
            "{name} was refused as a zip bomb: an entry ({entry}) unpacks to more than "
            "{ratio} times its compressed size."),
        K.ARCHIVE_UNPACKS_TOO_MUCH: QCoreApplication.translate(
            "ImportProblem",
            "{name} was refused: it unpacks to more than {limit} (at most {ratio} times "
            "its size of {size}, and never more than {max_total})."),
        K.ENTRY_ENCRYPTED: QCoreApplication.translate(
            "ImportProblem",
            "it is encrypted"),
        K.ENTRY_COMPRESSION: QCoreApplication.translate(
            "ImportProblem",
            "it is compressed in a way Cairn does not read"),
        K.ENTRY_OVER_LIMIT: QCoreApplication.translate(
            "ImportProblem",
            "it is {size}, more than the {limit} Cairn imports"),
        K.ENTRY_READ_FAILED: QCoreApplication.translate(
            "ImportProblem",
            "it could not be read ({reason})"),
        K.ENTRY_ENDS_EARLY: QCoreApplication.translate(
            "ImportProblem",
            "it is damaged (its data ends early)"),
        K.ENTRY_DAMAGED: QCoreApplication.translate(
            "ImportProblem",
            "it is damaged"),
        K.ENTRY_SHORTER: QCoreApplication.translate(
            "ImportProblem",
            "it is damaged (shorter than it declares)"),
        K.ENTRY_CHECKSUM: QCoreApplication.translate(
            "ImportProblem",
            "it is damaged (its checksum does not match)"),
        K.NOT_AN_ARCHIVE: QCoreApplication.translate(
            "ImportProblem",
            "This .zip is not a Cairn archive: it holds no conversations."),
        K.CLAUDE_EXPORT_NOT_ARCHIVE: QCoreApplication.translate(
            "ImportProblem",
            "This is a claude.ai export, not a Cairn archive: import it from claude.ai "
            "instead."),
        K.NOT_ARCHIVE_PART: QCoreApplication.translate(
            "ImportProblem",
            "{entry} is not part of a Cairn archive; ignored."),
        K.UNSAFE_NAME: QCoreApplication.translate(
            "ImportProblem",
            "{entry} has an unsafe name and was ignored."),
        K.LINK_ENTRY: QCoreApplication.translate(
            "ImportProblem",
            "{entry} is a link and was ignored."),
        K.ENTRY_IGNORED: QCoreApplication.translate(
            "ImportProblem",
            "{entry} was ignored: {reason}."),
        K.ATTACHMENT_ENTRY_TOO_LARGE: QCoreApplication.translate(
            "ImportProblem",
            "{entry} is too large ({size}; Cairn imports attachments of up to {limit}) "
            "and was ignored."),
        K.CONVERSATION_ENTRY_TOO_LARGE: QCoreApplication.translate(
            "ImportProblem",
            "{entry} is too large ({size}; Cairn imports conversations of up to {limit}) "
            "and was ignored."),
        K.ATTACHMENT_MISNAMED: QCoreApplication.translate(
            "ImportProblem",
            "{entry} is not named like an attachment; ignored."),
        K.ATTACHMENT_CHECKSUM: QCoreApplication.translate(
            "ImportProblem",
            "{entry} does not match its checksum (damaged?) and was ignored."),
        K.ATTACHMENT_NOT_STORED: QCoreApplication.translate(
            "ImportProblem",
            "{entry} could not be stored ({reason})."),
        K.ENTRY_NOT_JSON: QCoreApplication.translate(
            "ImportProblem",
            "{entry} is not valid JSON and was ignored."),
        K.NOT_A_CONVERSATION: QCoreApplication.translate(
            "ImportProblem",
            "{name} is not a Cairn conversation."),
        K.INVALID_CONVERSATION: QCoreApplication.translate(
            "ImportProblem",
            "{name} is not a Cairn conversation: {reason}."),
        K.NEWER_CAIRN: QCoreApplication.translate(
            "ImportProblem",
            "{name} was written by a newer version of Cairn; update Cairn to import it."),
        K.INVALID_CONVERSATION_ID: QCoreApplication.translate(
            "ImportProblem",
            "{name} has an invalid conversation id."),
        K.CONVERSATION_NOT_JSON: QCoreApplication.translate(
            "ImportProblem",
            "{name} is not a Cairn conversation: it is not JSON."),
        K.ATTACHMENT_DAMAGED_OR_LARGE: QCoreApplication.translate(
            "ImportProblem",
            "{name} holds an attachment that is damaged or too large."),
        K.ATTACHMENT_DAMAGED: QCoreApplication.translate(
            "ImportProblem",
            "{name} holds a damaged attachment."),
        K.ATTACHMENT_STORE_FAILED: QCoreApplication.translate(
            "ImportProblem",
            "{name} could not be imported: an attachment could not be stored ({reason})."),
        K.CONVERSATION_NOT_SAVED: QCoreApplication.translate(
            "ImportProblem",
            "“{title}” could not be saved ({reason})."),
        K.INVALID_ID: QCoreApplication.translate(
            "ImportProblem",
            "“{title}” has an invalid id and was skipped."),
        K.CONVERSATION_TOO_LARGE: QCoreApplication.translate(
            "ImportProblem",
            "“{title}” was not imported: it is {size}, and Cairn imports conversations of "
            "up to {limit}."),
        K.MESSAGE_TOO_LARGE: QCoreApplication.translate(
            "ImportProblem",
            "“{title}” was not imported: one of its messages is {size}, and Cairn imports "
            "messages of up to {limit}."),
        K.CONVERSATION_OVER_LIMIT: QCoreApplication.translate(
            "ImportProblem",
            "“{title}” was not imported: it is larger than {limit}, the most Cairn "
            "imports in one conversation."),
        K.NO_CONVERSATIONS_FILE: QCoreApplication.translate(
            "ImportProblem",
            "{name} has no {file}: it is not a claude.ai export."),
        K.EXPORT_ENTRY_UNREADABLE: QCoreApplication.translate(
            "ImportProblem",
            "{name} cannot be imported: {reason}."),
        K.EXPORT_NOT_TEXT: QCoreApplication.translate(
            "ImportProblem",
            "This file is not a claude.ai export: it is not text."),
        K.EXPORT_NOT_JSON: QCoreApplication.translate(
            "ImportProblem",
            "This file is not a claude.ai export: it is not JSON."),
        K.EXPORT_NOT_A_LIST: QCoreApplication.translate(
            "ImportProblem",
            "This file is not a claude.ai export: it should hold a list of conversations."),
        K.EXPORT_NO_CONVERSATION: QCoreApplication.translate(
            "ImportProblem",
            "This file is not a claude.ai export: none of its entries is a conversation."),
        K.EXPORT_BROKEN_OFF: QCoreApplication.translate(
            "ImportProblem",
            "The file could not be read past entry {entry} ({reason}); the conversations "
            "before that were imported."),
        K.EXPORT_ENTRY_TOO_LARGE: QCoreApplication.translate(
            "ImportProblem",
            "Entry {position} was skipped: it is larger than {limit}, the most Cairn "
            "imports in one conversation."),
        K.EXPORT_ENTRY_NOT_CONVERSATION: QCoreApplication.translate(
            "ImportProblem",
            "Entry {position} is not a conversation and was skipped."),
        K.EXPORT_CONVERSATION_UNREADABLE: QCoreApplication.translate(
            "ImportProblem",
            "Conversation {position} could not be read and was skipped."),
        K.EXPORT_NO_MESSAGES: QCoreApplication.translate(
            "ImportProblem",
            "“{title}” has no messages and was skipped."),
        K.BREAK_NOT_UTF8: QCoreApplication.translate(
            "ImportProblem",
            "it is not UTF-8 text"),
        K.BREAK_INVALID_JSON: QCoreApplication.translate(
            "ImportProblem",
            "it is not valid JSON there"),
        K.BREAK_ENDS_EARLY: QCoreApplication.translate(
            "ImportProblem",
            "it ends early"),
        K.BREAK_TOO_DEEP: QCoreApplication.translate(
            "ImportProblem",
            "it is nested too deeply"),
        K.BREAK_MID_ENTRY: QCoreApplication.translate(
            "ImportProblem",
            "it ends in the middle of an entry"),
        K.BREAK_EMPTY: QCoreApplication.translate(
            "ImportProblem",
            "it is empty"),
        K.BREAK_NO_LIST: QCoreApplication.translate(
            "ImportProblem",
            "it holds no list"),
        K.BREAK_MORE_AFTER: QCoreApplication.translate(
            "ImportProblem",
            "there is more after its end"),
        K.BREAK_NO_CONVERSATION_LIST: QCoreApplication.translate(
            "ImportProblem",
            "it holds no list of conversations"),
    }
