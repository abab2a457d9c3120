"""A server's state in words: short for the server list ("Ready · 5 tools"), a sentence for
the line under it ("Failed: the command was not found."), in the user's language.

``api.mcp_connection`` keeps a failure as a kind and its facts (with an English sentence for
logs); a kind worded here is said in the interface language, any other in that English, so a
failure is never shown as nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop_app.api.mcp_connection import ServerState, ServerStatus
from desktop_app.core.mcp_servers import McpServerConfig
from desktop_app.ui.lib.numbers import grouped

CONTEXT = "ServerStateText"

# Kinds of failure the connection reports (``api.mcp_failures.ServerProblemKind``), by their
# value: a kind added there later falls back to its English instead of breaking this. Each
# continues "“{name}” failed: ".
_REASONS: dict[str, str] = {
    "command_not_found": QT_TRANSLATE_NOOP(
        "ServerStateText", "the command “{command}” was not found."),
    "folder_not_found": QT_TRANSLATE_NOOP(
        "ServerStateText", "the working folder “{folder}” does not exist."),
    "cannot_start": QT_TRANSLATE_NOOP(
        "ServerStateText", "“{command}” could not be started ({reason})."),
    "exited_at_start": QT_TRANSLATE_NOOP(
        "ServerStateText", "it exited before it answered."),
    "exited": QT_TRANSLATE_NOOP("ServerStateText", "it exited."),
    "start_timeout": QT_TRANSLATE_NOOP(
        "ServerStateText", "it did not answer within {seconds} seconds."),
    "unreachable": QT_TRANSLATE_NOOP(
        "ServerStateText", "{url} could not be reached ({reason})."),
    "unauthorized": QT_TRANSLATE_NOOP(
        "ServerStateText", "{url} refused the connection (HTTP {status}); check its headers."),
    "http_status": QT_TRANSLATE_NOOP("ServerStateText", "{url} answered with HTTP {status}."),
    "connection_lost": QT_TRANSLATE_NOOP(
        "ServerStateText", "the connection to {url} was lost."),
    "protocol": QT_TRANSLATE_NOOP(
        "ServerStateText", "its answer was not understood ({message})."),
    "tools_unavailable": QT_TRANSLATE_NOOP(
        "ServerStateText", "it did not list its tools ({message})."),
    "sign_in_required": QT_TRANSLATE_NOOP("ServerStateText", "{url} asks you to sign in."),
    "sign_in_failed": QT_TRANSLATE_NOOP(
        "ServerStateText", "signing in to {url} failed ({reason})."),
    "bad_config": QT_TRANSLATE_NOOP("ServerStateText", "its settings are incomplete."),
}


def where_text(config: McpServerConfig) -> str:
    """Local or remote, for the list's second column."""
    if config.remote:
        return QCoreApplication.translate("ServerStateText", "Remote")
    return QCoreApplication.translate("ServerStateText", "Local")


def state_summary(config: McpServerConfig, state: ServerState) -> str:
    """A few words for the list: what a glance needs."""
    if not config.enabled:
        return QCoreApplication.translate("ServerStateText", "Turned off")
    status = state.status
    if status is ServerStatus.READY:
        count = len(state.tools)
        if count == 1:
            return QCoreApplication.translate("ServerStateText", "Ready · 1 tool")
        return QCoreApplication.translate("ServerStateText", "Ready · {count} tools").format(
            count=grouped(count))
    if status is ServerStatus.STARTING:
        return QCoreApplication.translate("ServerStateText", "Starting…")
    if status is ServerStatus.FAILED:
        return QCoreApplication.translate("ServerStateText", "Failed")
    if status is ServerStatus.NEEDS_SIGN_IN:
        return QCoreApplication.translate("ServerStateText", "Sign-in needed")
    return QCoreApplication.translate("ServerStateText", "Not running")


def state_sentence(config: McpServerConfig, state: ServerState) -> str:
    """One or two sentences for the selected server: its state, and for a failure why."""
    name = config.name
    if not config.enabled:
        return QCoreApplication.translate(
            "ServerStateText",
            "“{name}” is turned off: it does not start and its tools are not offered.",
        ).format(name=name)
    status = state.status
    if status is ServerStatus.READY:
        if not state.tools:
            return QCoreApplication.translate(
                "ServerStateText", "“{name}” is ready but offers no tools.").format(name=name)
        if len(state.tools) == 1:
            return QCoreApplication.translate(
                "ServerStateText", "“{name}” is ready with 1 tool.").format(name=name)
        return QCoreApplication.translate(
            "ServerStateText", "“{name}” is ready with {count} tools.",
        ).format(name=name, count=grouped(len(state.tools)))
    if status is ServerStatus.STARTING:
        return QCoreApplication.translate(
            "ServerStateText", "“{name}” is starting…").format(name=name)
    if status is ServerStatus.NEEDS_SIGN_IN:
        return QCoreApplication.translate(
            "ServerStateText", "“{name}” needs you to sign in before its tools can be used.",
        ).format(name=name)
    if status is ServerStatus.FAILED:
        return QCoreApplication.translate(
            "ServerStateText", "“{name}” failed: {reason}",
        ).format(name=name, reason=failure_reason(state))
    return QCoreApplication.translate(
        "ServerStateText",
        "“{name}” is not running; it starts when a conversation needs it, or with Restart.",
    ).format(name=name)


def failure_reason(state: ServerState) -> str:
    """Why a server failed, in words (the English of the connection for a kind not known
    here; a plain "no reason was given" rather than nothing)."""
    facts = dict(state.problem_facts or {})
    marked = _REASONS.get(state.problem_kind or "")
    if marked is not None:
        try:
            return QCoreApplication.translate("ServerStateText", marked).format(
                **{k: _fact(v) for k, v in facts.items()})
        except (KeyError, IndexError, ValueError):
            pass
    return state.problem or QCoreApplication.translate("ServerStateText", "no reason was given.")


def _fact(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return grouped(value)
    if isinstance(value, str) and len(value) > 200:
        return value[:199] + "…"
    return value


