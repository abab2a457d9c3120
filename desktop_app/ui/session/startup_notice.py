"""What start-up found that the user should know, in one notice (the notice bar shows one text
at a time): conversations from a newer Cairn, files that could not be opened, bad settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from desktop_app.storage.history_store import ScanResult
from desktop_app.storage.settings_store import SettingsProblem
from desktop_app.ui.lib.os_error_text import os_error_text
from desktop_app.ui.session.load_problem_text import load_problem_reason, load_problem_sentence

_LISTED_AT_START = 10  # files or titles named in the start-up notice; the log has all


class StartupNotice(QObject):
    """Words for what the history scan and the settings file reported.

    Signals:
        None.
    """

    def describe(self, result: ScanResult, settings_problem: SettingsProblem | None,
                 folder: Path) -> str:
        """What start-up found, in one text: conversations from a newer Cairn, files that
        could not be opened (each with its reason, and where those set aside went in
        ``folder``), and a settings file that could not be read. Empty: nothing to say."""
        paragraphs: list[str] = []
        newer = [_clip(s.title, 80) for s in result.summaries if s.read_only]
        if len(newer) == 1:
            paragraphs.append(self.tr(
                "“{title}” was saved by a newer version of Cairn. It is shown read-only "
                "and will not be changed."
            ).format(title=newer[0]))
        elif newer:
            paragraphs.append(self.tr(
                "{count} conversations were saved by a newer version of Cairn: {titles}. They "
                "are shown read-only and will not be changed."
            ).format(count=len(newer), titles=", ".join(
                f"“{title}”" for title in newer[:_LISTED_AT_START]) + (
                    "…" if len(newer) > _LISTED_AT_START else "")))
        problems = result.problems
        if len(problems) == 1:
            paragraphs.append(self.tr("A conversation file could not be opened: {problem}")
                              .format(problem=_clip(load_problem_sentence(problems[0]), 600)))
        elif problems:
            paragraphs.append(self._unreadable_files(result, str(folder)))
        if settings_problem is not None:
            paragraphs.append(self._settings_text(settings_problem))
        return "\n\n".join(paragraphs)

    def _settings_text(self, problem: SettingsProblem) -> str:
        """The settings file's problem in the interface language."""
        if problem.newer:
            return self.tr("Your settings were saved by a newer version of Cairn. They are "
                           "used as far as this version understands them, and changes are "
                           "not saved.")
        facts = problem.facts
        if problem.reason == "not_json":
            detail = self.tr("not valid JSON (line {line}, column {column})").format(
                line=facts.get("line", 0), column=facts.get("column", 0))
        elif problem.reason == "not_utf8":
            detail = self.tr("not UTF-8 text")
        elif problem.reason == "not_object":
            detail = self.tr("not a JSON object")
        elif problem.reason == "unknown_schema":
            detail = self.tr("an unknown format version")
        else:
            error = facts.get("error")
            detail = os_error_text(error) if error is not None else problem.reason
        return self.tr("Your settings file could not be read ({reason}); it was set aside "
                       "and defaults are in use.").format(reason=detail)

    def _unreadable_files(self, result: ScanResult, folder: str) -> str:
        """Several files that could not be opened: a heading, then one line each."""
        problems = result.problems
        moved = sum(1 for p in problems if p.moved_to is not None)
        if moved == len(problems):
            heading = self.tr(
                "{count} conversation files could not be opened and were set aside in "
                "{folder} (each renamed to NAME.unreadable-DATE, its content unchanged):")
        elif moved:
            heading = self.tr(
                "{count} conversation files could not be opened; those marked “set aside” "
                "were renamed to NAME.unreadable-DATE in {folder}, their content unchanged:")
        else:
            heading = self.tr(
                "{count} conversation files could not be opened and were left as they are:")
        lines = [heading.format(count=len(problems), folder=folder)]
        marking = 0 < moved < len(problems)
        for problem in problems[:_LISTED_AT_START]:
            line = (self.tr("{name}: {reason} (set aside)")
                    if marking and problem.moved_to is not None else self.tr("{name}: {reason}"))
            lines.append("• " + line.format(name=_clip(problem.name, 80),
                                            reason=_clip(load_problem_reason(problem), 300)))
        if len(problems) > _LISTED_AT_START:
            lines.append(self.tr("…and {count} more (the log lists every one).").format(
                count=len(problems) - _LISTED_AT_START))
        return "\n".join(lines)


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` characters of a text from a file (a notice stays a few lines)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"
