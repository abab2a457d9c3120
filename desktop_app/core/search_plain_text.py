"""A message's Markdown as the reader sees it, for search excerpts.

A reply is stored as Markdown, but the reader sees it rendered: "**exponential backoff**" is
two bold words, not four asterisks around them. A search excerpt is a line of what the reader
saw, so it is taken from this plain text (emphasis markers, backticks, link and image syntax,
heading marks, quote and list markers, code fences and table rules taken out). Only the
excerpt uses it: what search finds is still decided on the stored text, so a word is found
whichever way it was written.

Regular expressions over lines, not a Markdown parser: it runs once per excerpt drawn, must
never raise, and is allowed to leave a rare odd marker (a snippet is a hint, not the message).
"""

from __future__ import annotations

import re

__all__ = ["plain_text"]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_RULE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
_TABLE_RULE = re.compile(r"^ *\|? *:?-+:? *(\| *:?-+:? *)+\|? *$|^ *\| *:?-+:? *\| *$")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?: +|$)(.*?)(?: +#+)? *$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+) *$")
_QUOTE = re.compile(r"^ {0,3}(?:> ?)+")
_LIST = re.compile(r"^( *)(?:[-*+]|\d{1,9}[.)]) +(?:\[[ xX]\] +)?")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_STAR = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")
_UNDERSCORE = re.compile(r"(?<![_\w])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![_\w])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
_SET_ASIDE = 0xE000  # escaped ASCII characters wait in the Private Use Area meanwhile
_SET_ASIDE_CHARS = re.compile("[\uE000-\uE07F]")


def plain_text(markdown: str) -> str:
    """``markdown`` with its syntax taken out, line by line (code blocks keep their text
    as it is, without their fences)."""
    lines: list[str] = []
    fence = ""  # the open code fence's marker, or "" outside a code block
    for line in markdown.splitlines():
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(
                    fence) and not line.strip().strip(fence[0]):
                fence = ""
            else:
                lines.append(line)
            continue
        if opening:
            fence = opening.group(1)
            continue
        if _RULE.match(line) or _TABLE_RULE.match(line) or _SETEXT.match(line):
            continue
        lines.append(_inline(_block_markers(line)))
    return "\n".join(lines)


def _block_markers(line: str) -> str:
    """``line`` without the marks that begin a block: quote, heading, list item, table edge."""
    line = _QUOTE.sub("", line)
    heading = _HEADING.match(line)
    if heading:
        return heading.group(1)
    line = _LIST.sub(r"\1", line)
    if line.lstrip().startswith("|"):
        line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
    return line


def _inline(line: str) -> str:
    """``line`` with inline Markdown taken out; code spans kept as they are, only their
    backticks dropped."""
    pieces: list[str] = []
    position = 0
    for span in _CODE_SPAN.finditer(line):
        pieces.append(_outside_code(line[position:span.start()]))
        pieces.append(span.group(2).strip() if span.group(2).strip() else span.group(2))
        position = span.end()
    pieces.append(_outside_code(line[position:]))
    return "".join(pieces)


def _outside_code(text: str) -> str:
    """``text`` (no code in it) without links' syntax, emphasis markers and escapes (an
    escaped character is set aside first, so ``\\*`` never counts as a marker)."""
    if _SET_ASIDE_CHARS.search(text):  # the area is taken: escapes simply lose their "\\"
        return _strip_syntax(_ESCAPE.sub(r"\1", text))
    text = _ESCAPE.sub(lambda escaped: chr(_SET_ASIDE + ord(escaped.group(1))), text)
    return _SET_ASIDE_CHARS.sub(lambda char: chr(ord(char.group()) - _SET_ASIDE),
                                _strip_syntax(text))


def _strip_syntax(text: str) -> str:
    """``text`` without link and image syntax and emphasis markers."""
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    for _ in range(3):  # nested emphasis: ***both*** is strong around emphasis
        before = text
        text = _STRIKE.sub(r"\1", _STRONG.sub(r"\2", text))
        text = _UNDERSCORE.sub(r"\1", _STAR.sub(r"\1", text))
        if text == before:
            break
    return text
