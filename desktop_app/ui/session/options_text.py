"""A conversation's options in the user's language: the header chip ("Thinking · Effort: high
· Cache: 5 min"), its shorter wordings for a narrow window, and the tooltip listing every
option.

``core.options.summarize`` says what is sent; this module only words it, with the options
dialog's words (Thinking, Effort, Prompt caching, Compaction).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop_app.core.options import OptionsSummary
from desktop_app.ui.lib.numbers import grouped, short_count

# QT_TRANSLATE_NOOP marks the words for lupdate and returns them unchanged (typed as object).
EFFORT_WORDS: dict[str, str] = {
    "low": str(QT_TRANSLATE_NOOP("OptionsText", "low")),
    "medium": str(QT_TRANSLATE_NOOP("OptionsText", "medium")),
    "high": str(QT_TRANSLATE_NOOP("OptionsText", "high")),
    "xhigh": str(QT_TRANSLATE_NOOP("OptionsText", "extra high")),
    "max": str(QT_TRANSLATE_NOOP("OptionsText", "max")),
}


def effort_word(level: str) -> str:
    """An effort level as the chip says it ("extra high" for "xhigh")."""
    word = EFFORT_WORDS.get(level)
    return QCoreApplication.translate("OptionsText", word) if word else level


def _thinking(summary: OptionsSummary) -> str:
    if summary.thinking == "adaptive":
        return QCoreApplication.translate("OptionsText", "Thinking")
    if summary.thinking == "budget":
        return QCoreApplication.translate("OptionsText", "Thinking: {budget}").format(
            budget=short_count(summary.budget_tokens))
    return QCoreApplication.translate("OptionsText", "No thinking")


def _cache(ttl: str) -> str:
    if ttl == "off":
        return QCoreApplication.translate("OptionsText", "No cache")
    if ttl == "1h":
        return QCoreApplication.translate("OptionsText", "Cache: 1 h")
    return QCoreApplication.translate("OptionsText", "Cache: 5 min")


def chip_wordings(summary: OptionsSummary) -> tuple[str, str, str]:
    """The chip from the fullest wording to the shortest: thinking, effort (where the model
    has it) and caching; then without caching; then the one most telling choice (effort
    where the model has it and thinks, else whether and how it thinks)."""
    thinking = _thinking(summary)
    parts = [thinking]
    effort = None
    if summary.effort is not None:
        effort = QCoreApplication.translate("OptionsText", "Effort: {level}").format(
            level=effort_word(summary.effort))
        parts.append(effort)
    shortest = effort if effort is not None and summary.thinking != "off" else thinking
    return " · ".join([*parts, _cache(summary.cache_ttl)]), " · ".join(parts), shortest


def options_tooltip(summary: OptionsSummary) -> str:
    """Every option in words, one per line."""
    lines = [QCoreApplication.translate("OptionsText", "Reply length: up to {count} tokens")
             .format(count=grouped(summary.max_tokens))]
    if summary.thinking == "adaptive":
        lines.append(QCoreApplication.translate(
            "OptionsText", "Thinking: adaptive (the model decides how much)"))
    elif summary.thinking == "budget":
        lines.append(QCoreApplication.translate(
            "OptionsText", "Thinking: a budget of {count} tokens").format(
                count=grouped(summary.budget_tokens)))
    else:
        lines.append(QCoreApplication.translate("OptionsText", "Thinking: off"))
    if summary.effort is not None:
        lines.append(QCoreApplication.translate("OptionsText", "Effort: {level}").format(
            level=effort_word(summary.effort)))
    if summary.cache_ttl == "off":
        lines.append(QCoreApplication.translate("OptionsText", "Prompt caching: off"))
    elif summary.cache_ttl == "1h":
        lines.append(QCoreApplication.translate("OptionsText", "Prompt caching: 1 hour"))
    else:
        lines.append(QCoreApplication.translate("OptionsText", "Prompt caching: 5 minutes"))
    if summary.compaction is not None:
        lines.append(QCoreApplication.translate("OptionsText", "Compaction: on")
                     if summary.compaction
                     else QCoreApplication.translate("OptionsText", "Compaction: off"))
    return "\n".join(lines)
