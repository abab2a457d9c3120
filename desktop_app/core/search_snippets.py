"""Search excerpts as the sidebar shows them: a line of a message centred on the match, with
the query's words marked, and narrowed to the width a row has around the match.

A row is much narrower than an excerpt, and a right-elided excerpt loses the very word that
was searched for ("…exponential back…" for "backoff"). So an excerpt knows where its match
is (``focus``) and ``fit_around_focus`` cuts it down on both sides of that match until it
fits: the match stays in view however narrow the sidebar is. Widths are the caller's (a
``fits`` test, in pixels of the row's fonts); this module measures nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from unicodedata import east_asian_width

from desktop_app.core.link_safety import neutralise_bidi

SNIPPET_CHARS = 90  # characters of an excerpt (more than a row shows: the row narrows it)
ELLIPSIS = "…"
MAX_MARKS = 64  # marked runs in one text (a query of one letter marks no more)
_SNAP = 12  # an edge moves up to this far to fall between two words
_LONG_WORD = 16  # a word longer than this may be cut to fill a row (else it is left out)

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Snippet:
    """One line of text with marked runs.

    Attributes:
        text: the line (bidi controls shown as visible markers).
        marks: (start, end) of every run that matches a word of the query, in order, not
            overlapping.
        focus: the run the excerpt was centred on (the match that made it), or None.
    """

    text: str = ""
    marks: tuple[Span, ...] = ()
    focus: Span | None = None


def query_terms(query: str) -> list[str]:
    """The words of a query as search compares them (casefolded)."""
    return query.casefold().split()


def find_folded(text: str, term: str, start: int = 0) -> Span | None:
    """Where casefolded ``term`` first occurs in ``text`` at or after ``start``, in
    ``text``'s own positions (casefolding may lengthen a text: "ß" folds to "ss")."""
    if not term:
        return None
    folded = text.casefold()
    if len(folded) == len(text):  # every character folded to one: positions agree
        at = folded.find(term, start)
        return None if at < 0 else (at, at + len(term))
    origins: list[int] = []  # for each folded character, the character it came from
    pieces = []
    for position, char in enumerate(text):
        piece = char.casefold()
        pieces.append(piece)
        origins.extend([position] * len(piece))
    folded = "".join(pieces)
    first = next((n for n, origin in enumerate(origins) if origin >= start), len(folded))
    at = folded.find(term, first)
    if at < 0:
        return None
    return origins[at], origins[at + len(term) - 1] + 1


def mark_spans(text: str, terms: Sequence[str]) -> tuple[Span, ...]:
    """Every run of ``text`` that matches one of ``terms`` (casefolded), merged."""
    spans: list[Span] = []
    for term in dict.fromkeys(terms):
        position = 0
        while len(spans) < MAX_MARKS and (found := find_folded(text, term, position)):
            spans.append(found)
            position = found[1]
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def excerpt(text: str, term: str, terms: Sequence[str] = ()) -> Snippet:
    """A one-line excerpt of ``text`` centred on the first place ``term`` occurs, with every
    word of ``terms`` (``term`` when empty) marked in it."""
    found = find_folded(text, term) or (0, 0)
    low, high = max(0, found[0] - SNIPPET_CHARS), min(len(text), found[1] + SNIPPET_CHARS)
    flat = " ".join(text[low:high].split())  # only a window: a message may be very long
    at, end = find_folded(flat, term) or (0, 0)
    length = max(SNIPPET_CHARS, end - at)
    start = max(0, at - (length - (end - at)) // 2)
    stop = min(len(flat), start + length)
    start = max(0, stop - length)  # the text ends soon after the match: more of it before
    start, stop = _between_words(flat, start, stop, (at, end))
    before = low > 0 or start > 0
    after = high < len(text) or stop < len(flat)
    line = (ELLIPSIS if before else "") + neutralise_bidi(flat[start:stop]) + (
        ELLIPSIS if after else "")
    focus = find_folded(line, term) if term else None
    return Snippet(line, mark_spans(line, terms or [term]), focus)


def fit_around_focus(snippet: Snippet, fits: Callable[[Snippet], bool]) -> Snippet:
    """``snippet`` cut down around its focus to the most that ``fits``: whole words added on
    each side in turn, then, where the next word is too long to add (text without spaces,
    a long address), characters. Without a focus it is cut at the right. The focus itself is
    kept whole unless it alone does not fit; then it is cut at the right, its start in view."""
    if fits(snippet):
        return snippet
    if snippet.focus is None:
        return elide_right(snippet, fits)
    text = snippet.text
    start, stop = snippet.focus
    if not fits(cut(snippet, start, stop)):
        return elide_right(cut(snippet, start, len(text)), fits)
    left = right = True  # sides that may still grow by a word
    while left or right:
        if left:
            wider = _word_before(text, start)
            left = wider is not None and fits(cut(snippet, wider, stop))
            start = wider if left and wider is not None else start
        if right:
            wider = _word_after(text, stop)
            right = wider is not None and fits(cut(snippet, start, wider))
            stop = wider if right and wider is not None else stop
    # A side whose next word can be cut (long, or Chinese or Japanese, which has no spaces
    # between words) is filled with as many of its characters as fit.
    before, after = _word_before(text, start), _word_after(text, stop)
    grow_left = before is not None and _cuttable(text[before:start])
    grow_right = after is not None and _cuttable(text[stop:after])
    low, high = 0, len(text)  # characters added on each growing side
    while low < high:
        middle = (low + high + 1) // 2
        wider_start = max(0, start - middle) if grow_left else start
        wider_stop = min(len(text), stop + middle) if grow_right else stop
        if fits(cut(snippet, wider_start, wider_stop)):
            low = middle
        else:
            high = middle - 1
    start = max(0, start - low) if grow_left else start
    stop = min(len(text), stop + low) if grow_right else stop
    if grow_left and start > 0 and fits(cut(snippet, start - 1, stop)):
        start -= 1  # the odd character left over by growing both sides at once
    elif grow_right and stop < len(text) and fits(cut(snippet, start, stop + 1)):
        stop += 1
    return cut(snippet, start, stop)


def _cuttable(word: str) -> bool:
    """Whether a row may show part of ``word``: a long one (an address, a path), or one in a
    script written without spaces, where a "word" here is a whole sentence."""
    word = word.strip(" ")
    return len(word) > _LONG_WORD or any(east_asian_width(char) in "WF" for char in word)


def _word_before(text: str, start: int) -> int | None:
    """Where the word before ``start`` begins (None at the beginning)."""
    end = len(text[:start].rstrip(" "))
    if end == 0:
        return None if start == 0 else 0
    return text.rfind(" ", 0, end) + 1


def _word_after(text: str, stop: int) -> int | None:
    """Where the word after ``stop`` ends (None at the end)."""
    begin = len(text) - len(text[stop:].lstrip(" "))
    if begin == len(text):
        return None if stop == len(text) else len(text)
    space = text.find(" ", begin)
    return len(text) if space < 0 else space


def elide_right(snippet: Snippet, fits: Callable[[Snippet], bool]) -> Snippet:
    """The longest beginning of ``snippet`` that ``fits`` with an ellipsis after it (a title
    as a row shows it); just the ellipsis when not even one character fits."""
    if fits(snippet):
        return snippet
    low, high = 0, len(snippet.text) - 1  # characters kept
    while low < high:
        middle = (low + high + 1) // 2
        if fits(cut(snippet, 0, middle)):
            low = middle
        else:
            high = middle - 1
    return cut(snippet, 0, low)


def cut(snippet: Snippet, start: int, stop: int) -> Snippet:
    """The part ``[start, stop)`` of ``snippet``, with an ellipsis on each side that lost
    text (none added where the text already shows one); its marks follow it."""
    text = snippet.text
    piece = text[start:stop]
    if start > 0 and piece.startswith(" "):
        start += len(piece) - len(piece.lstrip(" "))
        piece = piece.lstrip(" ")
    if stop < len(text):
        piece = piece.rstrip(" ")
        stop = start + len(piece)
    head = ELLIPSIS if start > 0 and not piece.startswith(ELLIPSIS) else ""
    tail = ELLIPSIS if stop < len(text) and not piece.endswith(ELLIPSIS) else ""
    shift = len(head) - start

    def moved(span: Span) -> Span | None:
        first, last = max(span[0], start), min(span[1], stop)
        return (first + shift, last + shift) if first < last else None

    marks = tuple(m for span in snippet.marks if (m := moved(span)) is not None)
    focus = moved(snippet.focus) if snippet.focus is not None else None
    return Snippet(head + piece + tail, marks, focus)


def _between_words(text: str, start: int, stop: int, keep: Span) -> tuple[int, int]:
    """``[start, stop)`` narrowed to whole words where a space is near its edges (never into
    ``keep``); text without spaces (Chinese, Japanese) is cut where it is."""
    if start > 0 and text[start - 1] != " ":
        space = text.find(" ", start, min(keep[0], start + _SNAP))
        if space >= 0:
            start = space + 1
    if stop < len(text) and text[stop] != " ":
        space = text.rfind(" ", max(keep[1], stop - _SNAP), stop)
        if space >= 0:
            stop = space
    return start, stop
