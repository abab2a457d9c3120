"""Generated titles: the small request that names a conversation after its first reply, and
the clean-up of what comes back.

A title needs no thinking, and a 40-token answer leaves no room for it: on a model that thinks
unless told otherwise, the budget would go on thinking and the (billed) answer would be empty.
So the request turns thinking off where the model allows it (``disabled``, or
``between_tools``, which is thinking off for a request without tools). A model that cannot turn
it off is asked at its lowest effort and given room to think before the title; the controller
prefers a title model that can turn it off (``can_title_without_thinking``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from desktop_app.core.catalog import ModelInfo
from desktop_app.core.conversation import Conversation
from desktop_app.core.cost import PriceTable

TITLE_MAX_TOKENS = 40
TITLE_THINKING_ROOM = 1024
"""Tokens left for thinking when it cannot be turned off: the smallest budget the API accepts
(``budget_tokens`` >= 1024, and below ``max_tokens``)."""
_EXCERPT_CHARS = 1500
_TITLE_CHARS = 80

TITLE_SYSTEM_PROMPT = (
    "You name conversations for a sidebar. Reply with a title of at most six words that says "
    "what the conversation is about, in the language the user wrote in. Reply with the title "
    "only: plain text, no Markdown, no quotes, no full stop, no preamble."
)

_THINKING_TYPES = ("thinking", "types")


def can_title_without_thinking(model: ModelInfo) -> bool:
    """Whether a title request to this model can be made with no thinking at all: the model
    does not think, or thinking can be turned off. Unknown capabilities (the built-in list):
    no."""
    if model.builtin:
        return False
    if not model.supports("thinking"):
        return True
    return model.supports(*_THINKING_TYPES, "disabled") or model.supports(
        *_THINKING_TYPES, "between_tools")


def wants_title(conversation: Conversation, *, enabled: bool, read_only: bool) -> bool:
    """Whether to name the conversation now: after its first complete reply, unless titles
    are turned off (``enabled``), it is read-only, was renamed, or a title was asked already."""
    return (
        enabled
        and not read_only
        and conversation.title_is_automatic
        and not any(u.get("purpose") == "title" for u in conversation.auxiliary_usage)
        and sum(1 for m in conversation.messages if m.role == "assistant" and m.text) == 1
    )


def cheapest_title_model(models: Iterable[ModelInfo], prices: PriceTable) -> ModelInfo | None:
    """The priced model with the lowest output price (titles need no big model), preferring
    one whose thinking can be turned off (a title needs none); the first listed wins a tie.
    None: no model has a known price."""
    priced = [(p.output, m) for m in models if (p := prices.price(m.id))]
    plain = [(cost, m) for cost, m in priced if can_title_without_thinking(m)]
    for group in (plain, priced):
        if group:
            return min(group, key=lambda pair: pair[0])[1]
    return None


def title_request(model: ModelInfo, question: str, answer: str) -> dict[str, Any]:
    """Keyword arguments for ``messages.create`` asking ``model`` for a title (short excerpts
    only, so the request stays cheap), with thinking off or, where it cannot be, room for it."""
    excerpt = (
        f"<user>\n{question[:_EXCERPT_CHARS]}\n</user>\n"
        f"<assistant>\n{answer[:_EXCERPT_CHARS]}\n</assistant>\n\nTitle for this conversation:"
    )
    kwargs: dict[str, Any] = {
        "model": model.id,
        "max_tokens": TITLE_MAX_TOKENS,
        "system": TITLE_SYSTEM_PROMPT,
        "messages": [{"role": "user", "content": [{"type": "text", "text": excerpt}]}],
    }
    room = TITLE_THINKING_ROOM + TITLE_MAX_TOKENS
    if model.builtin:
        # Capabilities unknown: send nothing about thinking (it could be refused), but leave
        # room in case the model thinks by default.
        kwargs["max_tokens"] = room
        return kwargs
    if model.supports("thinking"):
        if model.supports(*_THINKING_TYPES, "disabled"):
            kwargs["thinking"] = {"type": "disabled"}
        elif model.supports(*_THINKING_TYPES, "between_tools"):
            kwargs["thinking"] = {"type": "between_tools"}
        elif model.supports(*_THINKING_TYPES, "adaptive"):
            kwargs["thinking"] = {"type": "adaptive"}
            kwargs["max_tokens"] = room
        elif model.supports(*_THINKING_TYPES, "enabled"):
            kwargs["thinking"] = {"type": "enabled", "budget_tokens": TITLE_THINKING_ROOM}
            kwargs["max_tokens"] = room
    if model.effort_levels:
        # The lowest effort: the least thinking where it stays on, and an effort every model
        # accepts with thinking off (some refuse thinking off above "high").
        kwargs["output_config"] = {"effort": model.effort_levels[0]}
    return kwargs


_BLOCK_MARKS = re.compile(r"^(?:#{1,6}\s+|>\s*|[-*+]\s+|\d{1,3}[.)]\s+)+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = (
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"),
    re.compile(r"\*(?=\S)(.+?)(?<=\S)\*"),
    re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"),
    re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"),
)
_LABEL = re.compile(r"^(?:conversation\s+)?title\s*[:：]\s*", re.IGNORECASE)
_EDGES = "\"'“”‘’«»「」『』`*_~ \t"
_RULE = re.compile(r"[-=*_#~\s]*")


def clean_title(text: str) -> str:
    """The title as plain text: the first line with something in it, without Markdown
    (headings, emphasis, code, links, list and quote marks), a "Title:" label, surrounding
    quotes or a trailing full stop ("" if nothing usable came back)."""
    for raw in text.splitlines():
        line = _plain(raw)
        if line:
            break
    else:
        return ""
    if len(line) > _TITLE_CHARS:
        line = line[:_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return line


def _plain(line: str) -> str:
    if _RULE.fullmatch(line):  # blank, or a rule such as "---"
        return ""
    line = _BLOCK_MARKS.sub("", line.strip())
    line = _LINK.sub(r"\1", line).replace("`", "")
    changed = True
    while changed:
        before = line
        for pattern in _EMPHASIS:
            line = pattern.sub(r"\1", line)
        line = _LABEL.sub("", line.strip())
        line = line.strip(_EDGES).rstrip(".。").strip()
        changed = line != before
    return " ".join(line.split())
