"""What is wrong with a server's settings, or with an entry of an imported Claude Desktop
config, in the user's language.

``core.mcp_servers`` keeps each problem as a kind and its facts (with an English sentence for
logs); the sentences people read are made here, through Qt's translators. A kind this module
does not know yet is shown in the core's English rather than not at all.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop_app.core.mcp_servers import ConfigProblem, ConfigProblemKind

CONTEXT = "McpConfigText"


def _t(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def _sentences() -> Mapping[ConfigProblemKind, str]:
    # Marked for lupdate here, translated where used (in the language installed then).
    kind = ConfigProblemKind
    return {
        kind.NO_NAME: QT_TRANSLATE_NOOP(
            "McpConfigText", "Give the server a name."),
        kind.NO_COMMAND: QT_TRANSLATE_NOOP(
            "McpConfigText", "Enter the command that starts the server."),
        kind.BAD_URL: QT_TRANSLATE_NOOP(
            "McpConfigText", "The address must start with http:// or https://."),
        kind.BAD_ENV_NAME: QT_TRANSLATE_NOOP(
            "McpConfigText", "“{variable}” cannot be the name of an environment variable "
            "(letters, digits and _, not starting with a digit)."),
        kind.BAD_HEADER_NAME: QT_TRANSLATE_NOOP(
            "McpConfigText", "“{header}” cannot be the name of an HTTP header."),
        kind.NOT_JSON: QT_TRANSLATE_NOOP(
            "McpConfigText", "The file is not valid JSON (line {line}, column {column})."),
        kind.NOT_AN_OBJECT: QT_TRANSLATE_NOOP(
            "McpConfigText", "The file does not hold a JSON object."),
        kind.NO_SERVERS: QT_TRANSLATE_NOOP(
            "McpConfigText", "The file has no “mcpServers” section."),
        kind.ENTRY_NOT_AN_OBJECT: QT_TRANSLATE_NOOP(
            "McpConfigText", "“{name}”: not a server entry."),
        kind.ENTRY_WITHOUT_COMMAND: QT_TRANSLATE_NOOP(
            "McpConfigText", "“{name}”: neither a command nor an address."),
        kind.ENTRY_BAD_FIELD: QT_TRANSLATE_NOOP(
            "McpConfigText", "“{name}”: its “{field}” cannot be used."),
        kind.ENTRY_UNSUPPORTED_TYPE: QT_TRANSLATE_NOOP(
            "McpConfigText", "“{name}”: servers of type “{type}” are not supported."),
        kind.TOO_MANY_SERVERS: QT_TRANSLATE_NOOP(
            "McpConfigText", "Only the first {limit} servers were read."),
        kind.SSE_AS_HTTP: QT_TRANSLATE_NOOP(
            "McpConfigText", "“{name}” uses SSE; it is added as Streamable HTTP, which most "
            "such servers also speak."),
        kind.MCP_REMOTE_AS_HTTP: QT_TRANSLATE_NOOP(
            "McpConfigText",
            "“{name}” ran mcp-remote for {url}; Cairn connects to that address itself."),
    }


def config_problem_text(problem: ConfigProblem) -> str:
    """The sentence for one problem (the facts are the user's own text: shown, not run)."""
    marked = _sentences().get(problem.kind)
    if marked is None:
        return problem.text
    sentence = _t(marked)
    try:
        return sentence.format(**{k: _short(v) for k, v in problem.facts.items()})
    except (KeyError, IndexError, ValueError):
        return problem.text


def _short(value: object) -> object:
    """A fact from a file may be anything a hostile file holds: long text is cut."""
    if isinstance(value, str) and len(value) > 120:
        return value[:119] + "…"
    return value
