"""What an export could not include, as data: a kind and its facts, never a sentence in one
language.

The exports (``conversation_export``, ``archive``) note each file they left out as an
``ExportProblem``; the UI words it in the user's language (``ui.transfer.export_problem_text``).
Its text is the English sentence Cairn has always written, for logs and scripts.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final


class ExportProblemKind(StrEnum):
    """What was left out. The facts each kind carries are named in ``ENGLISH``; ``reason`` is
    an ``OsErrorReason``."""

    ATTACHMENT_NOT_COPIED = "attachment_not_copied"  # file: Markdown, missing from the store
    ATTACHMENT_NOT_INCLUDED = "attachment_not_included"  # name: JSON, a named attachment
    IMAGE_NOT_INCLUDED = "image_not_included"  # JSON, an image without a name
    DOCUMENT_NOT_INCLUDED = "document_not_included"  # JSON, a document without a name
    FILE_NOT_READ = "file_not_read"  # name, reason: a backup's file the system did not read


K = ExportProblemKind

#: Each kind's English sentence: exactly what Cairn wrote before problems were data.
ENGLISH: Final[Mapping[ExportProblemKind, str]] = MappingProxyType({
    K.ATTACHMENT_NOT_COPIED: "An attachment ({file}) is missing from Cairn's attachments "
                             "folder and was not copied.",
    K.ATTACHMENT_NOT_INCLUDED: "{name} is missing from Cairn's attachments folder, so the "
                               "export refers to it without including it.",
    K.IMAGE_NOT_INCLUDED: "An image is missing from Cairn's attachments folder, so the export "
                          "refers to it without including it.",
    K.DOCUMENT_NOT_INCLUDED: "A document is missing from Cairn's attachments folder, so the "
                             "export refers to it without including it.",
    K.FILE_NOT_READ: "{name} could not be read ({reason}).",
})


class ExportProblem(str):
    """One file an export left out: ``kind`` and ``facts`` for the UI to word, and, as its
    text, the English sentence (a ``str``, as the problems were before)."""

    kind: ExportProblemKind
    facts: Mapping[str, str]

    def __new__(cls, kind: ExportProblemKind, /, **facts: str) -> ExportProblem:
        self = super().__new__(cls, ENGLISH[kind].format(**facts))
        self.kind = kind
        self.facts = MappingProxyType(dict(facts))
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (self.kind, dict(self.facts))

    def __repr__(self) -> str:
        return f"ExportProblem({self.kind.name}, {dict(self.facts)!r})"


def _rebuild(kind: ExportProblemKind, facts: dict[str, str]) -> ExportProblem:
    return ExportProblem(kind, **facts)
