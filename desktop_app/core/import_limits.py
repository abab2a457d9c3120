"""How large an imported message and conversation may be.

The limits are far beyond what a person writes or Claude answers (a reply of the longest
output is well under 1 MB; a prompt filling the largest context window is a few MB), and low
enough that an imported file can never make Cairn's start-up or a conversation's window
hopeless. Sizes are those of the history file's JSON (UTF-8), so they are what the disk and a
later start-up will see. Conversations Cairn writes itself are not held to them.
"""

from __future__ import annotations

import json
from typing import Any

from desktop_app.core.conversation import Conversation
from desktop_app.core.import_problems import ImportProblem, ProblemKind

MAX_MESSAGE_BYTES = 8 * 1024**2
MAX_CONVERSATION_BYTES = 64 * 1024**2


def megabytes(size: int) -> str:
    """A size for a sentence: "64 MB", "9.5 MB", "40 KB"."""
    if size < 1024**2 // 10:
        return f"{max(1, round(size / 1024)):,} KB"
    value = size / 1024**2
    if value >= 10 or value == int(value):
        return f"{value:,.0f} MB"
    return f"{value:.1f} MB"


def json_size(value: Any) -> int:
    """Bytes of ``value`` as JSON text in UTF-8 (as a history file holds it)."""
    text = json.dumps(value, ensure_ascii=False)
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def file_size_problem(title: str, size: int) -> ImportProblem | None:
    """Why a conversation whose history file would be ``size`` bytes is too large, or None."""
    if size <= MAX_CONVERSATION_BYTES:
        return None
    return ImportProblem(ProblemKind.CONVERSATION_TOO_LARGE, title=_short(title),
                         size=megabytes(size), limit=megabytes(MAX_CONVERSATION_BYTES))


def size_problem(conversation: Conversation) -> ImportProblem | None:
    """Why ``conversation`` is too large to import (naming the limit), or None.

    Every message of every branch counts, and so does everything else in it.
    """
    total = 0
    for message in conversation.all_messages():
        size = json_size(message.to_json())
        if size > MAX_MESSAGE_BYTES:
            return ImportProblem(ProblemKind.MESSAGE_TOO_LARGE, title=_short(conversation.title),
                                 size=megabytes(size), limit=megabytes(MAX_MESSAGE_BYTES))
        total += size
        if total > MAX_CONVERSATION_BYTES:
            break
    if total <= MAX_CONVERSATION_BYTES:
        total += json_size([  # the rest; the messages of branches are counted above
            conversation.title, conversation.system_prompt, conversation.model,
            conversation.extra, conversation.options, conversation.auxiliary_usage,
        ])
    if total > MAX_CONVERSATION_BYTES:
        return ImportProblem(ProblemKind.CONVERSATION_OVER_LIMIT,
                             title=_short(conversation.title),
                             limit=megabytes(MAX_CONVERSATION_BYTES))
    return None


def _short(text: str, limit: int = 80) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
