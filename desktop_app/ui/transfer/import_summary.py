"""What an import did, in the user's language: "3 conversations added, 1 already here,
2 problems." from the counts in ``storage.archive.ImportResult`` (the storage layer keeps
numbers; the words are made here, with ``tr``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from desktop_app.ui.lib.numbers import grouped

if TYPE_CHECKING:
    from desktop_app.storage.archive import ImportResult

_CONTEXT = "ImportSummary"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def _counted(count: int, one: str, many: str) -> str:
    return _tr(one) if count == 1 else _tr(many).format(count=grouped(count))


def import_counts(result: ImportResult) -> str:
    """The counts, one clause each: added, added as copies, already here, attachments,
    problems."""
    parts = [_counted(result.added, "1 conversation added", "{count} conversations added")]
    if result.renamed:
        parts.append(_tr("{count} added as imported copies").format(count=grouped(result.renamed)))
    if result.skipped:
        parts.append(_tr("{count} already here").format(count=grouped(result.skipped)))
    if result.attachments_added:
        parts.append(_counted(result.attachments_added, "1 attachment added",
                              "{count} attachments added"))
    if result.problem_count:
        parts.append(_counted(result.problem_count, "1 problem", "{count} problems"))
    return _tr("{counts}.").format(counts=_tr(", ").join(parts))


def import_summary(result: ImportResult) -> str:
    """The counts; an import that stopped early starts with why (the reason the file was
    refused, as storage gave it) and says whether what came before was kept."""
    counts = import_counts(result)
    if result.stopped is None:
        return counts
    if result.added or result.renamed or result.attachments_added:
        return _tr("{reason} What was imported before that was kept: {counts}").format(
            reason=result.stopped, counts=counts)
    return _tr("{reason} Nothing was imported.").format(reason=result.stopped)
