"""Why a history file could not be loaded, in the user's language.

``storage.load_problems`` keeps each problem as a kind and its facts (with the English
sentence for logs); this words it through Qt's translators, with an OS error worded by its
errno and a format problem by its kind. In English the words are exactly the problem's own.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from desktop_app.core.history_format_problems import FormatProblem
from desktop_app.core.os_error_reason import OsErrorReason
from desktop_app.storage.load_problems import LoadFact, LoadProblem, LoadProblemKind
from desktop_app.ui.lib.format_problem_text import format_problem_text
from desktop_app.ui.lib.os_error_text import os_error_text

K = LoadProblemKind


def load_problem_reason(problem: LoadProblem) -> str:
    """Why the file was not loaded ("not valid JSON (line 3, column 1)"), in the interface
    language."""
    facts = {name: _fact_text(value) for name, value in problem.facts.items()}
    if problem.kind is K.UNREADABLE:  # the system's reason is the whole reason
        return facts.get("reason", problem.reason)
    template = _templates().get(problem.kind)
    if template is None:  # OTHER: an exception's own words, as it said them
        return problem.reason
    if problem.kind is K.NAME_MISMATCH:
        facts["id"] = repr(problem.facts.get("id", ""))  # quoted as the English always was
    try:
        return template.format(**facts)
    except (KeyError, IndexError, ValueError):  # a translation with a broken {field}
        return problem.reason


def load_problem_sentence(problem: LoadProblem) -> str:
    """The file, why, and where it was set aside, in one sentence."""
    reason = load_problem_reason(problem)
    if problem.moved_to is None:
        return QCoreApplication.translate("LoadProblem", "{name}: {reason}.").format(
            name=problem.name, reason=reason)
    return QCoreApplication.translate(
        "LoadProblem", "{name}: {reason}. It was moved to {moved_to}.").format(
            name=problem.name, reason=reason, moved_to=problem.moved_to_name)


def _fact_text(value: LoadFact) -> str:
    if isinstance(value, OsErrorReason):
        return os_error_text(value)
    if isinstance(value, FormatProblem):
        return format_problem_text(value)
    return str(value)


def _templates() -> Mapping[LoadProblemKind, str]:
    """Each kind's words, the facts named as in ``storage.load_problems.ENGLISH`` (not
    UNREADABLE and OTHER: their one fact is the reason). Made at each call: the language may
    have changed."""
    return {
        K.NEWER_CAIRN: QCoreApplication.translate(
            "LoadProblem", "written by a newer version of Cairn (schema {schema})"),
        K.BACKUP_FAILED: QCoreApplication.translate(
            "LoadProblem",
            "it needs updating to this version of Cairn, but a backup could not be written "
            "first ({reason}); it was left as it is"),
        K.NOT_UTF8: QCoreApplication.translate("LoadProblem", "not UTF-8 text"),
        K.NOT_JSON: QCoreApplication.translate(
            "LoadProblem", "not valid JSON (line {line}, column {column})"),
        K.TOO_DEEP: QCoreApplication.translate("LoadProblem", "nested too deeply to read"),
        K.NOT_AN_OBJECT: QCoreApplication.translate("LoadProblem", "not a JSON object"),
        K.NOT_HISTORY_FORMAT: QCoreApplication.translate(
            "LoadProblem", "not in Cairn's history format: {problem}"),
        K.NAME_MISMATCH: QCoreApplication.translate(
            "LoadProblem", "file name does not match id {id}"),
        K.CAIRN_ERROR: QCoreApplication.translate(
            "LoadProblem",
            "an error in Cairn stopped it from being read ({error}); it was left as it is"),
    }
