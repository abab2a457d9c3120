"""A conversation's options in the user's language: the header chip ("Thinking · Effort: high
· Cache: 5 min · Search · Code"), its shorter wordings for a narrow window, and the tooltip
listing every option.

``core.options.summarize`` says what is sent and ``core.server_tools.enabled_server_tools``
which of Claude's own tools are offered; this module only words it, with the options
dialog's words (Thinking, Effort, Prompt caching, Compaction, web search...).
"""

from __future__ import annotations

from collections.abc import Sequence

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


# Claude's own tools: the chip's short word, and the tooltip's full name.
SERVER_TOOL_CHIP_WORDS: dict[str, str] = {
    "web_search": str(QT_TRANSLATE_NOOP("OptionsText", "Search")),
    "web_fetch": str(QT_TRANSLATE_NOOP("OptionsText", "Fetch")),
    "code_execution": str(QT_TRANSLATE_NOOP("OptionsText", "Code")),
}
SERVER_TOOL_NAMES: dict[str, str] = {
    "web_search": str(QT_TRANSLATE_NOOP("OptionsText", "web search")),
    "web_fetch": str(QT_TRANSLATE_NOOP("OptionsText", "web fetch")),
    "code_execution": str(QT_TRANSLATE_NOOP("OptionsText", "code execution")),
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


def chip_wordings(summary: OptionsSummary, server_tools: Sequence[str] = ()) -> tuple[str, ...]:
    """The chip from the fullest wording to the shortest: thinking, effort (where the model
    has it) and caching; then without caching; then the one most telling choice (effort
    where the model has it and thinks, else whether and how it thinks). Claude's own tools
    that are on (``server_tools``, e.g. ``("web_search",)``) end every wording as a short
    word each ("Search"), and are the shortest wording on their own: a tool that searches
    the web or runs code is the choice a narrow header must not hide."""
    thinking = _thinking(summary)
    parts = [thinking]
    effort = None
    if summary.effort is not None:
        effort = QCoreApplication.translate("OptionsText", "Effort: {level}").format(
            level=effort_word(summary.effort))
        parts.append(effort)
    shortest = effort if effort is not None and summary.thinking != "off" else thinking
    tools = [QCoreApplication.translate("OptionsText", SERVER_TOOL_CHIP_WORDS[name])
             for name in server_tools if name in SERVER_TOOL_CHIP_WORDS]
    wordings = (
        " · ".join([*parts, _cache(summary.cache_ttl), *tools]),
        " · ".join([*parts, *tools]),
        " · ".join([shortest, *tools]),
    )
    return (*wordings, " · ".join(tools)) if tools else wordings


def server_tools_line(server_tools: Sequence[str]) -> str:
    """The tooltip's line for Claude's own tools that are on ("" when none is)."""
    names = [QCoreApplication.translate("OptionsText", SERVER_TOOL_NAMES[name])
             for name in server_tools if name in SERVER_TOOL_NAMES]
    if not names:
        return ""
    return QCoreApplication.translate("OptionsText", "Claude's tools: {names}").format(
        names=QCoreApplication.translate("OptionsText", ", ").join(names))


def options_tooltip(summary: OptionsSummary, server_tools: Sequence[str] = ()) -> str:
    """Every option in words, one per line; then Claude's own tools that are on."""
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
    tools = server_tools_line(server_tools)
    if tools:
        lines.append(tools)
    return "\n".join(lines)
