"""A conversation's options in the user's language: the header chip ("Thinking · Effort: high
· Cache: 5 min"), a shorter chip for a narrow window, and the tooltip listing every option.

``core.options.summarize`` says what is sent; this module only words it, with the same words
as the options dialog (Thinking, Effort, Prompt caching, Compaction).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop_app.core.options import OptionsSummary
from desktop_app.ui.lib.numbers import grouped, short_count

_CONTEXT = "OptionsText"
# QT_TRANSLATE_NOOP marks the words for lupdate and returns them unchanged (typed as object).
EFFORT_WORDS: dict[str, str] = {
    "low": str(QT_TRANSLATE_NOOP("OptionsText", "low")),
    "medium": str(QT_TRANSLATE_NOOP("OptionsText", "medium")),
    "high": str(QT_TRANSLATE_NOOP("OptionsText", "high")),
    "xhigh": str(QT_TRANSLATE_NOOP("OptionsText", "extra high")),
    "max": str(QT_TRANSLATE_NOOP("OptionsText", "max")),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def effort_word(level: str) -> str:
    """An effort level as the chip says it ("extra high" for "xhigh")."""
    word = EFFORT_WORDS.get(level)
    return _tr(word) if word else level


def chip_wordings(summary: OptionsSummary) -> tuple[str, str, str]:
    """The chip from the fullest wording to the shortest: thinking, effort (where the model
    has it) and caching; then without caching; then the one most telling choice (effort
    where the model has it and thinks, else whether and how it thinks)."""
    if summary.thinking == "adaptive":
        thinking = _tr("Thinking")
    elif summary.thinking == "budget":
        thinking = _tr("Thinking: {budget}").format(budget=short_count(summary.budget_tokens))
    else:
        thinking = _tr("No thinking")
    parts = [thinking]
    effort = None
    if summary.effort is not None:
        effort = _tr("Effort: {level}").format(level=effort_word(summary.effort))
        parts.append(effort)
    cache = {
        "off": _tr("No cache"),
        "5m": _tr("Cache: 5 min"),
        "1h": _tr("Cache: 1 h"),
    }.get(summary.cache_ttl, summary.cache_ttl)
    shortest = effort if effort is not None and summary.thinking != "off" else thinking
    return " · ".join([*parts, cache]), " · ".join(parts), shortest


def options_tooltip(summary: OptionsSummary) -> str:
    """Every option in words, one per line."""
    lines = [_tr("Reply length: up to {count} tokens").format(count=grouped(summary.max_tokens))]
    if summary.thinking == "adaptive":
        lines.append(_tr("Thinking: adaptive (the model decides how much)"))
    elif summary.thinking == "budget":
        lines.append(_tr("Thinking: a budget of {count} tokens").format(
            count=grouped(summary.budget_tokens)))
    else:
        lines.append(_tr("Thinking: off"))
    if summary.effort is not None:
        lines.append(_tr("Effort: {level}").format(level=effort_word(summary.effort)))
    lines.append({
        "off": _tr("Prompt caching: off"),
        "5m": _tr("Prompt caching: 5 minutes"),
        "1h": _tr("Prompt caching: 1 hour"),
    }.get(summary.cache_ttl, summary.cache_ttl))
    if summary.compaction is not None:
        lines.append(_tr("Compaction: on") if summary.compaction else _tr("Compaction: off"))
    return "\n".join(lines)
