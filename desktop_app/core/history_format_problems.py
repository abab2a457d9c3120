"""What the history format check found wrong, as data: a kind and its facts, never a sentence
in one language.

``core.history_schema`` raises ``HistoryFormatError`` carrying a ``FormatProblem``; the UI
words it in the user's language (``ui.lib.format_problem_text``), and its text is the English
sentence Cairn has always written ("messages[3].content[0].text must be a string, not an
integer"), for logs and for code that only needs a sentence. The path (``messages[3]...``) is
not language: it is shown as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

FormatFact = str | int | float | tuple[str, ...]


class FormatProblemKind(StrEnum):
    """What is wrong at a path. The facts each kind carries are named in ``ENGLISH``.

    ``expected`` holds JSON type names ("string", "integer", ...; see ``TYPE_NAMES``);
    ``actual`` one of them, or a Python type name for a value JSON cannot hold; ``value`` and
    ``allowed`` hold values as they appear in the file (JSON, cut short).
    """

    WRONG_TYPE = "wrong_type"  # expected (type names), actual (a type name)
    NOT_FINITE = "not_finite"  # value
    NOT_ALLOWED = "not_allowed"  # allowed (values), value
    NO_MATCH = "no_match"  # pattern, value: a pattern the schema gives no message for
    INVALID_ID = "invalid_id"  # value: a conversation id that cannot be a file name
    NOT_SHA256 = "not_sha256"  # value: an attachment reference
    LONE_SURROGATE = "lone_surrogate"  # text that cannot be sent (a lone \ud800)
    BELOW_MINIMUM = "below_minimum"  # minimum, value
    MISSING = "missing"
    EMPTY = "empty"
    TOO_FEW_ITEMS = "too_few_items"  # minimum
    TOO_DEEP = "too_deep"  # limit
    REPEATED_ID = "repeated_id"  # id (shown as in the file)


K = FormatProblemKind

#: Each kind's English words after the path (the schema's ``errorMessage`` for the kinds of a
#: pattern, kept equal to it by a test); tuple facts are joined with " or ".
ENGLISH: Final[Mapping[FormatProblemKind, str]] = MappingProxyType({
    K.WRONG_TYPE: "must be {expected}, not {actual}",
    K.NOT_FINITE: "must be a finite number, not {value}",
    K.NOT_ALLOWED: "must be {allowed}, not {value}",
    K.NO_MATCH: "must match {pattern}, not {value}",
    K.INVALID_ID: "is an invalid conversation id ({value}): it must be 1 to 128 letters, "
                  "digits, '_' or '-'",
    K.NOT_SHA256: "must be 64 lowercase hexadecimal digits, not {value}",
    K.LONE_SURROGATE: "holds a character that cannot be sent (a lone surrogate such as "
                      "\\ud800)",
    K.BELOW_MINIMUM: "must be at least {minimum}, not {value}",
    K.MISSING: "is missing",
    K.EMPTY: "must not be empty",
    K.TOO_FEW_ITEMS: "must hold at least {minimum} items",
    K.TOO_DEEP: "is nested more than {limit} levels deep",
    K.REPEATED_ID: "repeats the message id {id}",
})

#: JSON's types as English says them ("must be a string, not null").
TYPE_NAMES: Final[Mapping[str, str]] = MappingProxyType({
    "object": "an object", "array": "an array", "string": "a string", "integer": "an integer",
    "number": "a number", "boolean": "true or false", "null": "null"})

#: What a document without a path is called ("the message must be an object").
SUBJECTS: Final[Mapping[str, str]] = MappingProxyType({
    "conversation": "the conversation", "message": "the message", "branch": "the branch"})


def english_problem(kind: FormatProblemKind, facts: Mapping[str, FormatFact]) -> str:
    """The English words of a problem, without its path ("must be a string, not null")."""
    words = {name: _english_fact(name, value) for name, value in facts.items()}
    return ENGLISH[kind].format(**words)


def _english_fact(name: str, value: FormatFact) -> str:
    if name == "expected" and isinstance(value, tuple):
        return " or ".join(TYPE_NAMES.get(kind, kind) for kind in value)
    if name == "allowed" and isinstance(value, tuple):
        return " or ".join(value)
    if name == "actual" and isinstance(value, str):
        return TYPE_NAMES.get(value, value)
    return str(value)


class FormatProblem(str):
    """One problem the format check found: where (``path``, e.g.
    ``messages[3].content[0].text``; "" for the document itself, then called by ``subject``),
    what (``kind`` and ``facts``), and, as its text, the English sentence.

    A ``str`` so that it can stand as the reason inside an import problem's sentence.
    """

    path: str
    kind: FormatProblemKind
    facts: Mapping[str, FormatFact]
    subject: str

    def __new__(cls, path: str, kind: FormatProblemKind,
                facts: Mapping[str, FormatFact] | None = None,
                subject: str = "conversation") -> FormatProblem:
        facts = MappingProxyType(dict(facts or {}))
        self = super().__new__(
            cls, f"{path or SUBJECTS.get(subject, subject)} {english_problem(kind, facts)}")
        self.path = path
        self.kind = kind
        self.facts = facts
        self.subject = subject
        return self

    @property
    def english_problem(self) -> str:
        """The English words after the path."""
        return english_problem(self.kind, self.facts)

    def __reduce__(self) -> tuple[Any, ...]:
        return FormatProblem, (self.path, self.kind, dict(self.facts), self.subject)

    def __repr__(self) -> str:
        return (f"FormatProblem({self.path!r}, {self.kind.name}, {dict(self.facts)!r}, "
                f"{self.subject!r})")


class HistoryFormatError(ValueError):
    """A document that does not match the history format.

    Attributes:
        found: what and where, as data (its text is this error's message).
        path: where, e.g. ``messages[3].content[0].text`` ("" for the document itself).
        problem: what, in English, e.g. ``must be a string, not a number``.
    """

    def __init__(self, found: FormatProblem) -> None:
        self.found = found
        self.path = found.path
        self.problem = found.english_problem
        super().__init__(str(found))

    def __reduce__(self) -> tuple[Any, ...]:
        return HistoryFormatError, (self.found,)
