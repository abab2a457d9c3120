"""What went wrong keeping the MCP servers (their file, or their secrets in the keyring), in
the user's language.

``storage.mcp_store`` reports each problem as a kind and its facts, with an English sentence
for logs; the sentence people read is made here. A kind not known here is said in that
English rather than not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop_app.storage.mcp_store import StoreProblem, StoreProblemKind


def _sentences() -> Mapping[StoreProblemKind, str]:
    # Marked for lupdate here, translated where used (in the language installed then).
    kind = StoreProblemKind
    return {
        kind.FILE_UNREADABLE: QT_TRANSLATE_NOOP(
            "McpStoreText",
            "The list of MCP servers could not be read ({reason}); it was set aside as "
            "{aside}."),
        kind.NEWER_VERSION: QT_TRANSLATE_NOOP(
            "McpStoreText",
            "The MCP servers were saved by a newer Cairn: changes here are not saved."),
        kind.SERVER_UNREADABLE: QT_TRANSLATE_NOOP(
            "McpStoreText", "MCP server number {position} could not be read ({reason})."),
        kind.CANNOT_WRITE: QT_TRANSLATE_NOOP(
            "McpStoreText", "The MCP servers could not be saved ({reason})."),
        kind.KEYRING_UNAVAILABLE: QT_TRANSLATE_NOOP(
            "McpStoreText",
            "There is no system keyring, so the values of environment variables and headers "
            "cannot be kept: they are used until Cairn closes and never written to a file."),
        kind.KEYRING_ERROR: QT_TRANSLATE_NOOP(
            "McpStoreText",
            "The system keyring could not be used ({reason}), so the values of environment "
            "variables and headers are used until Cairn closes and never written to a file."),
        kind.KEYRING_NOT_KEPT: QT_TRANSLATE_NOOP(
            "McpStoreText",
            "The system keyring did not keep the values of “{server}”; they are used until "
            "Cairn closes and never written to a file."),
        kind.SECRETS_MISSING: QT_TRANSLATE_NOOP(
            "McpStoreText",
            "The keyring has no saved value for {names} of “{server}”: enter it again in "
            "Edit…."),
    }


def store_problem_text(problem: StoreProblem) -> str:
    marked = _sentences().get(problem.kind)
    if marked is None:
        return problem.text
    try:
        return QCoreApplication.translate("McpStoreText", marked).format(**problem.facts)
    except (KeyError, IndexError, ValueError):
        return problem.text


def store_problems_text(problems: Iterable[StoreProblem]) -> str:
    """Several problems, one sentence each (the same sentence once)."""
    return " ".join(dict.fromkeys(store_problem_text(p) for p in problems))
