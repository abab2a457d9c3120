"""A server's command-line arguments as the user types them, and back.

People paste arguments two ways: a line copied from a README (``-y @scope/server /home/me``),
which must be split the way a shell would, and a list with one argument per line (what a
config file holds), where a space belongs to its argument. Both are accepted; which reading
was used is returned, so the dialog can show it and nobody has to guess why a path with a
space became two arguments.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from enum import StrEnum


class ArgumentReading(StrEnum):
    """How the text was read."""

    NONE = "none"  # no arguments
    LINES = "lines"  # one argument per line
    SHELL = "shell"  # one line, split like a shell command line
    UNCLOSED_QUOTE = "unclosed_quote"  # one line that a shell could not split


@dataclass(frozen=True)
class ParsedArguments:
    arguments: tuple[str, ...]
    reading: ArgumentReading


def parse_arguments(text: str) -> ParsedArguments:
    """Several non-empty lines: one argument each (as typed, less the spaces at their ends).
    One line: split like a POSIX shell, quotes and backslashes included."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ParsedArguments((), ArgumentReading.NONE)
    if len(lines) > 1:
        return ParsedArguments(tuple(lines), ArgumentReading.LINES)
    try:
        return ParsedArguments(tuple(shlex.split(lines[0])), ArgumentReading.SHELL)
    except ValueError:
        return ParsedArguments((), ArgumentReading.UNCLOSED_QUOTE)


def arguments_text(arguments: tuple[str, ...] | list[str]) -> str:
    """Text that ``parse_arguments`` reads back as exactly ``arguments``: one per line when
    that is unambiguous (easier to read and edit), else one shell-quoted line."""
    if not arguments:
        return ""
    one_per_line = len(arguments) > 1 and all(
        arg and arg == arg.strip() and arg.splitlines() == [arg] for arg in arguments
    )
    return "\n".join(arguments) if one_per_line else shlex.join(arguments)
