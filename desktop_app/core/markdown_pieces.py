"""Where a growing Markdown text can be cut when none of its blocks has ended yet.

A streaming reply is rendered in pieces cut where a top-level block ends
(``core.markdown.stable_prefix_length``), so that an update re-renders only the unfinished
tail. A block that does not end - one line of ten megabytes, a code block of thousands of
lines, a table of thousands of rows - would leave a tail that grows without bound, parsed and
laid out again at every update (a 2 MB line stalled the window 1.2-1.7 s at a time).
``cut_tail`` finds a place to cut such a tail anyway, with the Markdown that keeps both sides
looking as they would uncut:

- a fenced code block is closed before the cut and opened again, with its info string, after
  it (each piece is highlighted on its own);
- a table's header and delimiter rows are repeated after the cut;
- a list is cut before one of its items (an ordered list goes on with that item's number);
- a paragraph, quote or indented code is cut between two of its lines;
- a long line is cut at the start of a word (or, with no spaces, between two characters)
  where, as far as a quick scan can tell, no inline construct is open: code span, emphasis,
  strikethrough, link, autolink or maths;
- a line with no such place is shown as plain text, its Markdown markers as written, until
  it ends (``Cut.plain``).

Everything here is pure text; ``plain_cut`` is the same question for plain text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

from markdown_it.token import Token

# Characters that open or close inline constructs; a cut between two characters avoids them.
_SPECIAL = frozenset("\\`*_~$[]()<>!&|")
# Text that would start a block if a piece began with it (a cut must not create one).
_BLOCK_START = re.compile(
    r"[ \t]|#{1,6}(?:[ \t]|$)|>|[*+\-](?:[ \t]|$)|[-*_](?:[ \t]*[-*_]){2,}|\||`{3}|~{3}|\$\$"
    r"|\d{1,9}[.)](?:[ \t]|$)|\[[^\]\n]*\]:"
)
# Interesting places in a line for the inline scan: escapes, delimiter runs, brackets, maths,
# autolinks, entities, and runs of whitespace (where words start).
_INLINE_TOKEN = re.compile(r"\\.|`+|\*+|_+|~+|[$\[\]()<>&]|\s+", re.DOTALL)
_AUTOLINK_START = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]{1,31}:|<[^\s<>@]+@")
_JOINERS = frozenset("\u200d\ufe0e\ufe0f")
_ENTITY_REACH = 32  # an HTML entity (&amp; &#x1F600;) is shorter than this


@dataclass(frozen=True)
class Cut:
    """Where and how to cut a tail (see ``cut_tail``).

    Attributes:
        at: the frozen part is ``source[:at]``; the rest stays in the tail.
        close: Markdown to render after the frozen part (it closes a code block).
        reopen: Markdown to render before the rest (it reopens a code block, or repeats a
            table's header), until the block ends.
        plain: the rest, up to the end of its line, is plain text.
    """

    at: int
    close: str = ""
    reopen: str = ""
    plain: bool = False


def cut_tail(source: str, *, floor: int = 0, keep: int) -> Cut:
    """A cut of a tail that has grown too long without a block ending.

    Args:
        source: the tail's Markdown as it is rendered (a ``reopen`` prefix included).
        floor: where the tail's own text starts (after that prefix); a cut is after it.
        keep: the most the rest should hold; the cut is as late as possible. A rest longer
            than this is cut again by the next call.

    Returns:
        A cut at a line start where the block allows it, else in the last line; ``at`` may
        equal ``floor`` only with ``plain`` set (nothing to freeze, the line goes on plain).
    """
    text = source.replace("\r\n", " \n").replace("\r", "\n")  # offsets kept, as markdown-it reads
    starts = [0] + [m.end() for m in re.finditer("\n", text)]  # of each line
    length = len(text)
    tokens = _block_tokens(text)
    blocks = [t for t in tokens if t.level == 0 and t.map is not None and t.nesting >= 0]
    last_start = starts[-1] if starts[-1] < length else starts[-2] if len(starts) > 1 else 0
    best: Cut | None = None
    for line in range(len(starts) - 1, 0, -1):
        offset = starts[line]
        if offset <= floor:
            break
        if offset >= length:
            continue  # nothing after it yet: the rest would be empty
        cut = _line_cut(text, starts, tokens, blocks, line)
        if cut is not None:
            best = cut
            break
    if best is not None and (length - best.at <= keep or last_start > best.at):
        return best  # the rest is short, or holds whole lines to cut next time
    # The last line alone is too long (or no line may be cut): cut inside it.
    line_start = max(last_start, floor)
    fence = _enclosing(text, starts, blocks, _line_of(starts, last_start))
    if (fence is not None and fence.type == "fence" and fence.map is not None
            and last_start > starts[fence.map[0]]):
        at = _plain_position(text, line_start + 1, length - 1)
        if at is not None:
            opener = _line(text, starts, fence.map[0])
            return Cut(at, close="\n" + fence.markup + "\n", reopen=opener + "\n")
    at = _inline_position(text, line_start, line_start + 1, length - 1)
    if at is not None:
        return Cut(at)
    return Cut(max(last_start, floor), plain=True)


def plain_cut(text: str, lo: int, hi: int) -> int:
    """The latest place in ``text[lo:hi + 1]`` to cut plain text: after a line break, else
    at the start of a word, else between two characters (never inside a character sequence
    such as a letter and its accent or an emoji with its modifiers). ``lo`` <= result <= ``hi``."""
    lo, hi = max(lo, 1), min(hi, len(text))
    if lo > hi:
        return hi
    newline = text.rfind("\n", lo - 1, hi)
    if newline >= 0:
        return newline + 1
    return _plain_position(text, lo, hi) or hi


# -- internals --------------------------------------------------------------------------------


def _block_tokens(text: str) -> list[Token]:
    from desktop_app.core.markdown import _block_parser

    return _block_parser().parse(text, {})


def _line(text: str, starts: list[int], line: int) -> str:
    end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
    return text[starts[line]:end]


def _line_of(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:  # the last line starting at or before offset
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def _enclosing(text: str, starts: list[int], blocks: list[Token], line: int) -> Token | None:
    """The top-level block holding ``line``; lines after a code block that is not closed
    yet (blank ones, which markdown-it leaves out of it while nothing follows) count as
    inside it."""
    for block in reversed(blocks):
        assert block.map is not None
        if block.map[0] <= line < block.map[1]:
            return block
        if block.map[1] <= line:
            if block.type == "fence" and not _fence_closed(text, starts, block):
                return block
            return None
    return None


def _fence_closed(text: str, starts: list[int], block: Token) -> bool:
    assert block.map is not None
    first, end = block.map
    if end - 1 <= first:
        return False
    last = _line(text, starts, end - 1).strip()
    return last.startswith(block.markup) and set(last) == {block.markup[0]}


def _line_cut(
    text: str, starts: list[int], tokens: list[Token], blocks: list[Token], line: int
) -> Cut | None:
    """A cut before ``line`` if the block around it allows one (None: it does not)."""
    offset = starts[line]
    block = _enclosing(text, starts, blocks, line)
    if block is None:
        return Cut(offset)  # between blocks (a blank line)
    assert block.map is not None
    first, end = block.map
    if line == first:
        return Cut(offset)  # a top-level block starts here
    kind = block.type
    content = _line(text, starts, line)
    if kind == "fence":
        if line == end - 1 and _fence_closed(text, starts, block):
            return None  # the closing line would be alone in an empty block
        return Cut(offset, close=block.markup + "\n",
                   reopen=_line(text, starts, first) + "\n")
    if kind == "table_open":
        if line < first + 2:
            return None
        header = _line(text, starts, first) + "\n" + _line(text, starts, first + 1) + "\n"
        return Cut(offset, reopen=header)
    if kind in ("bullet_list_open", "ordered_list_open"):
        items = (t for t in tokens if t.type == "list_item_open" and t.level == 1 and t.map)
        return Cut(offset) if any(t.map is not None and t.map[0] == line for t in items) else None
    if kind == "paragraph_open":
        return None if _BLOCK_START.match(content) or not content.strip() else Cut(offset)
    if kind == "blockquote_open":
        return Cut(offset) if re.match(r" {0,3}>", content) else None
    if kind == "code_block":
        return Cut(offset) if content.startswith(("    ", "\t")) else None
    return None  # headings, maths, rules: not cut between lines


def _is_joined(text: str, position: int) -> bool:
    """Whether ``position`` falls inside one user-perceived character."""
    after, before = text[position], text[position - 1]
    return (unicodedata.combining(after) != 0 or after in _JOINERS or before in _JOINERS
            or "\U0001f3fb" <= after <= "\U0001f3ff"  # skin tones
            or "\udc00" <= after <= "\udfff")  # a lone low surrogate after its high one


def _plain_position(text: str, lo: int, hi: int) -> int | None:
    """The latest word start in [lo, hi], else the latest place between two characters."""
    hi = min(hi, len(text) - 1)
    if lo > hi:
        return None
    for position in range(hi, lo - 1, -1):
        if text[position - 1].isspace() and not text[position].isspace():
            return position
        if hi - position > 4096:
            break  # a long run without spaces: cut between characters instead
    for position in range(hi, lo - 1, -1):
        if not _is_joined(text, position):
            return position
    return None


def _flanking(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether the delimiter run ``text[start:end]`` can open, and can close (CommonMark)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    before_space, after_space = before.isspace(), after.isspace()
    before_punct = not before_space and not before.isalnum()
    after_punct = not after_space and not after.isalnum()
    left = not after_space and (not after_punct or before_space or before_punct)
    right = not before_space and (not before_punct or after_space or after_punct)
    if text[start] == "_":
        return left and (not right or before_punct), right and (not left or after_punct)
    return left, right


def _inline_position(text: str, start: int, lo: int, hi: int) -> int | None:
    """The latest place in [lo, hi] of the line beginning at ``start`` where no inline
    construct is open and cutting starts no block: a word start if there is one, else a place
    between two ordinary characters. ``start`` must be a place where none is open."""
    hi = min(hi, len(text) - 1)
    if lo > hi:
        return None
    code = 0  # the backtick run length of an open code span
    brackets = parens = 0
    maths = autolink = False
    emphasis = {"*": 0, "_": 0, "~": 0}  # runs opened and not closed yet, per character
    entities: list[int] = []  # where each & is
    word_start: int | None = None
    balanced: list[tuple[int, int]] = []  # ranges of places where nothing is open
    since = start  # the state holds for places from here on

    def closed() -> bool:
        return not (code or brackets or parens or maths or autolink or any(emphasis.values()))

    for match in _INLINE_TOKEN.finditer(text, start, hi + 1):
        piece, at, end = match.group(), match.start(), match.end()
        if piece[0].isspace():
            autolink = False
            if closed():
                balanced.append((since, end))
                if lo <= end <= hi and not _BLOCK_START.match(text, end):
                    word_start = end
            since = end
            continue
        if closed():
            balanced.append((since, at))
        if code:
            if piece[0] == "`" and len(piece) == code:
                code = 0
        elif piece[0] == "\\":
            pass
        elif piece[0] == "`":
            code = len(piece)
        elif piece[0] in "*_~" and (piece[0] != "~" or len(piece) == 2):
            opens, closes = _flanking(text, at, end)
            depth = emphasis[piece[0]]
            if closes and (depth or not opens):
                emphasis[piece[0]] = max(0, depth - 1)
            elif opens:
                emphasis[piece[0]] = depth + 1
        elif piece == "$":
            maths = not maths
        elif piece == "[":
            brackets += 1
        elif piece == "]":
            brackets = max(0, brackets - 1)
        elif piece == "(" and (parens or text[at - 1] == "]"):
            parens += 1  # a link's destination, or parentheses inside it
        elif piece == ")" and parens:
            parens -= 1
        elif piece == "<" and _AUTOLINK_START.match(text, at):
            autolink = True
        elif piece == ">":
            autolink = False
        elif piece == "&":
            entities.append(at)
        since = end
    if closed():
        balanced.append((since, hi))
    if word_start is not None:
        return word_start
    # No word starts: the latest place between two ordinary characters.
    for first, last in reversed(balanced):
        for position in range(min(last, hi), max(first, lo) - 1, -1):
            if (text[position - 1] not in _SPECIAL and text[position] not in _SPECIAL
                    and not text[position].isspace() and not text[position - 1].isspace()
                    and not _near_entity(entities, position)
                    and not _is_joined(text, position)
                    and not _BLOCK_START.match(text, position)):
                return position
    return None


def _near_entity(entities: list[int], position: int) -> bool:
    """Whether ``position`` may be inside an HTML entity such as ``&amp;``."""
    index = bisect_left(entities, position) - 1
    return index >= 0 and position - entities[index] <= _ENTITY_REACH
