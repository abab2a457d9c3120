"""What an export left out, in the user's language: one sentence per
``storage.export_problems.ExportProblemKind``, made from the problem's facts (an OS error
worded by its errno). In English the sentence is exactly the problem's own text."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from desktop_app.core.os_error_reason import OsErrorReason
from desktop_app.storage.export_problems import ExportProblem, ExportProblemKind
from desktop_app.ui.lib.os_error_text import os_error_text

K = ExportProblemKind


def export_problem_text(problem: ExportProblem) -> str:
    """The problem as a sentence in the interface language."""
    facts = {name: os_error_text(value) if isinstance(value, OsErrorReason) else value
             for name, value in problem.facts.items()}
    try:
        return _templates()[problem.kind].format(**facts)
    except (KeyError, IndexError, ValueError):  # a translation with a broken {field}
        return str(problem)


def _templates() -> Mapping[ExportProblemKind, str]:
    """Each kind's words, the facts named as in ``storage.export_problems.ENGLISH``. Made at
    each call: the language may have changed."""
    return {
        K.ATTACHMENT_NOT_COPIED: QCoreApplication.translate(
            "ExportProblem",
            "An attachment ({file}) is missing from Cairn's attachments folder and was not "
            "copied."),
        K.ATTACHMENT_NOT_INCLUDED: QCoreApplication.translate(
            "ExportProblem",
            "{name} is missing from Cairn's attachments folder, so the export refers to it "
            "without including it."),
        K.IMAGE_NOT_INCLUDED: QCoreApplication.translate(
            "ExportProblem",
            "An image is missing from Cairn's attachments folder, so the export refers to it "
            "without including it."),
        K.DOCUMENT_NOT_INCLUDED: QCoreApplication.translate(
            "ExportProblem",
            "A document is missing from Cairn's attachments folder, so the export refers to "
            "it without including it."),
        K.FILE_NOT_READ: QCoreApplication.translate(
            "ExportProblem", "{name} could not be read ({reason})."),
    }
