"""What the history format check found, in the user's language.

``core.history_format_problems`` keeps each problem as a path, a kind and its facts; this says
it through Qt's translators. The path (``messages[3].content[0].text``) and the values quoted
from the file are shown as they are: they are not language. In English the words are exactly
the problem's own text.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from desktop_app.core.history_format_problems import (
    FormatFact,
    FormatProblem,
    FormatProblemKind,
)

K = FormatProblemKind


def format_problem_text(problem: FormatProblem) -> str:
    """The problem as a sentence's words ("messages[0].role is missing"), in the interface
    language."""
    facts = {name: _fact_text(name, value) for name, value in problem.facts.items()}
    where = problem.path or _subjects().get(problem.subject, problem.subject)
    template = _templates()[problem.kind]
    try:
        return template.format(where=where, **facts)
    except (KeyError, IndexError, ValueError):  # a translation with a broken {field}
        return str(problem)


def _fact_text(name: str, value: FormatFact) -> str:
    if name == "expected" and isinstance(value, tuple):
        return _either([_type_names().get(kind, kind) for kind in value])
    if name == "allowed" and isinstance(value, tuple):
        return _either(list(value))
    if name == "actual" and isinstance(value, str):
        return _type_names().get(value, value)
    return str(value)


def _either(choices: list[str]) -> str:
    """"a string or null" (each choice joined to the ones before it)."""
    text = choices[0] if choices else ""
    for choice in choices[1:]:
        text = QCoreApplication.translate(
            "FormatProblem", "{choices} or {choice}").format(choices=text, choice=choice)
    return text


def _type_names() -> Mapping[str, str]:
    """JSON's types as a sentence says them (English: ``TYPE_NAMES``)."""
    return {
        "object": QCoreApplication.translate("FormatProblem", "an object"),
        "array": QCoreApplication.translate("FormatProblem", "an array"),
        "string": QCoreApplication.translate("FormatProblem", "a string"),
        "integer": QCoreApplication.translate("FormatProblem", "an integer"),
        "number": QCoreApplication.translate("FormatProblem", "a number"),
        "boolean": QCoreApplication.translate("FormatProblem", "true or false"),
        "null": QCoreApplication.translate("FormatProblem", "null"),
    }


def _subjects() -> Mapping[str, str]:
    """What a problem without a path is about (English: ``SUBJECTS``)."""
    return {
        "conversation": QCoreApplication.translate("FormatProblem", "the conversation"),
        "message": QCoreApplication.translate("FormatProblem", "the message"),
        "branch": QCoreApplication.translate("FormatProblem", "the branch"),
    }


def _templates() -> Mapping[FormatProblemKind, str]:
    """Each kind's words with ``{where}`` (the path) and its facts (English: the path, a
    space and ``core.history_format_problems.ENGLISH``). Made at each call: the language may
    have changed."""
    return {
        K.WRONG_TYPE: QCoreApplication.translate(
            "FormatProblem", "{where} must be {expected}, not {actual}"),
        K.NOT_FINITE: QCoreApplication.translate(
            "FormatProblem", "{where} must be a finite number, not {value}"),
        K.NOT_ALLOWED: QCoreApplication.translate(
            "FormatProblem", "{where} must be {allowed}, not {value}"),
        K.NO_MATCH: QCoreApplication.translate(
            "FormatProblem", "{where} must match {pattern}, not {value}"),
        K.INVALID_ID: QCoreApplication.translate(
            "FormatProblem",
            "{where} is an invalid conversation id ({value}): it must be 1 to 128 letters, "
            "digits, '_' or '-'"),
        K.NOT_SHA256: QCoreApplication.translate(
            "FormatProblem", "{where} must be 64 lowercase hexadecimal digits, not {value}"),
        K.LONE_SURROGATE: QCoreApplication.translate(
            "FormatProblem",
            "{where} holds a character that cannot be sent (a lone surrogate such as "
            "\\ud800)"),
        K.BELOW_MINIMUM: QCoreApplication.translate(
            "FormatProblem", "{where} must be at least {minimum}, not {value}"),
        K.MISSING: QCoreApplication.translate("FormatProblem", "{where} is missing"),
        K.EMPTY: QCoreApplication.translate("FormatProblem", "{where} must not be empty"),
        K.TOO_FEW_ITEMS: QCoreApplication.translate(
            "FormatProblem", "{where} must hold at least {minimum} items"),
        K.TOO_DEEP: QCoreApplication.translate(
            "FormatProblem", "{where} is nested more than {limit} levels deep"),
        K.REPEATED_ID: QCoreApplication.translate(
            "FormatProblem", "{where} repeats the message id {id}"),
    }
