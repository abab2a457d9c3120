"""Why one of Claude's own tool calls failed, in the user's language: a sentence for every
``error_code`` the SDK's result types define (see ``core.server_tool_activity``), worded for
the tool that failed. The reply goes on after such an error: Claude sees it and answers
without that result, so the sentence says what happened, not what to do about a broken reply.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop_app.core.server_tool_activity import ActivityKind, ServerToolActivity

_CONTEXT = "ServerToolErrors"

# Codes that mean the same for every tool.
COMMON_ERRORS: dict[str, str] = {
    "invalid_tool_input": QT_TRANSLATE_NOOP(
        "ServerToolErrors", "Claude asked for it in a way the tool does not accept."),
    "unavailable": QT_TRANSLATE_NOOP(
        "ServerToolErrors", "The tool is not available right now on Anthropic's side."),
    "too_many_requests": QT_TRANSLATE_NOOP(
        "ServerToolErrors", "The tool was asked too often in a short time (rate limited)."),
    "execution_time_exceeded": QT_TRANSLATE_NOOP(
        "ServerToolErrors", "It ran longer than the time allowed and was stopped."),
}

# Codes worded for one tool.
KIND_ERRORS: dict[ActivityKind, dict[str, str]] = {
    ActivityKind.SEARCH: {
        "max_uses_exceeded": QT_TRANSLATE_NOOP(
            "ServerToolErrors", "Claude reached the number of searches allowed for one reply "
            "(Settings → Claude's tools sets it)."),
        "query_too_long": QT_TRANSLATE_NOOP(
            "ServerToolErrors", "The search query was too long."),
        "request_too_large": QT_TRANSLATE_NOOP(
            "ServerToolErrors", "The search request was too large."),
    },
    ActivityKind.FETCH: {
        "url_too_long": QT_TRANSLATE_NOOP("ServerToolErrors", "The address was too long."),
        "url_not_allowed": QT_TRANSLATE_NOOP(
            "ServerToolErrors", "This site is not among the sites web fetch may read, or it "
            "is blocked (Settings → Claude's tools)."),
        "url_not_in_prior_context": QT_TRANSLATE_NOOP(
            "ServerToolErrors", "Web fetch only reads addresses that already appeared in the "
            "conversation or in search results, and this one had not."),
        "url_not_accessible": QT_TRANSLATE_NOOP(
            "ServerToolErrors", "The page could not be reached."),
        "unsupported_content_type": QT_TRANSLATE_NOOP(
            "ServerToolErrors", "The page is of a kind web fetch cannot read."),
        "max_uses_exceeded": QT_TRANSLATE_NOOP(
            "ServerToolErrors", "Claude reached the number of pages it may read for one "
            "reply."),
        "content_too_large": QT_TRANSLATE_NOOP(
            "ServerToolErrors", "The page was too large to read."),
    },
    ActivityKind.BASH: {
        "output_file_too_large": QT_TRANSLATE_NOOP(
            "ServerToolErrors", "A file the code made was too large to keep."),
    },
    ActivityKind.EDITOR: {
        "file_not_found": QT_TRANSLATE_NOOP(
            "ServerToolErrors", "The file was not found in the code sandbox."),
    },
}
UNKNOWN_ERROR = QT_TRANSLATE_NOOP("ServerToolErrors", "The tool failed (“{code}”).")


def error_words(activity: ServerToolActivity) -> str:
    """The sentence for ``activity``'s error (with the tool's own message, if it sent one)."""
    code = activity.error_code
    text = KIND_ERRORS.get(activity.kind, {}).get(code) or COMMON_ERRORS.get(code)
    words = (QCoreApplication.translate(_CONTEXT, text) if text is not None
             else QCoreApplication.translate(_CONTEXT, UNKNOWN_ERROR).format(code=code))
    if activity.error_message:
        words += " " + activity.error_message
    return words


def has_words(kind: ActivityKind, code: str) -> bool:
    """Whether ``code`` has a sentence of its own for ``kind`` (not the unknown fallback)."""
    return code in KIND_ERRORS.get(kind, {}) or code in COMMON_ERRORS
