"""What an import did, in the user's language: "3 conversations added, 1 already here,
2 problems." from the counts in ``storage.archive.ImportResult`` (the storage layer keeps
numbers and problems as data; the words are made here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from desktop_app.ui.lib.numbers import grouped
from desktop_app.ui.transfer.import_problem_text import problem_text

if TYPE_CHECKING:
    from desktop_app.storage.archive import ImportResult


def import_counts(result: ImportResult) -> str:
    """The counts, one clause each: added, added as copies, already here, attachments,
    problems."""
    if result.added == 1:
        parts = [QCoreApplication.translate("ImportSummary", "1 conversation added")]
    else:
        parts = [QCoreApplication.translate("ImportSummary", "{count} conversations added")
                 .format(count=grouped(result.added))]
    if result.renamed:
        parts.append(QCoreApplication.translate(
            "ImportSummary", "{count} added as imported copies").format(
                count=grouped(result.renamed)))
    if result.skipped:
        parts.append(QCoreApplication.translate("ImportSummary", "{count} already here").format(
            count=grouped(result.skipped)))
    if result.attachments_added == 1:
        parts.append(QCoreApplication.translate("ImportSummary", "1 attachment added"))
    elif result.attachments_added:
        parts.append(QCoreApplication.translate(
            "ImportSummary", "{count} attachments added").format(
                count=grouped(result.attachments_added)))
    if result.problem_count == 1:
        parts.append(QCoreApplication.translate("ImportSummary", "1 problem"))
    elif result.problem_count:
        parts.append(QCoreApplication.translate("ImportSummary", "{count} problems").format(
            count=grouped(result.problem_count)))
    # The list separator and the full stop are the language's own ("，" and "。").
    separator = QCoreApplication.translate("ImportSummary", ", ")
    return QCoreApplication.translate("ImportSummary", "{counts}.").format(
        counts=separator.join(parts))


def import_summary(result: ImportResult) -> str:
    """The counts; an import that stopped early starts with why (the reason the file was
    refused, worded by ``import_problem_text``) and says whether what came before was kept."""
    counts = import_counts(result)
    if result.stopped is None:
        return counts
    reason = problem_text(result.stopped)
    if result.added or result.renamed or result.attachments_added:
        return QCoreApplication.translate(
            "ImportSummary", "{reason} What was imported before that was kept: {counts}"
        ).format(reason=reason, counts=counts)
    return QCoreApplication.translate("ImportSummary", "{reason} Nothing was imported.").format(
        reason=reason)
