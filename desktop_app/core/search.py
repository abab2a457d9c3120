"""Search over titles and message text of every conversation, as the user types.

Each conversation's text is casefolded once and kept; it is indexed again only when the
conversation changed (its ``updated_at`` or title moved). Typing on (a query that extends the
last one) only re-checks the conversations that matched before, and snippets are cut only
for the rows that are drawn, so a keystroke stays cheap with years of history.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

from desktop_app.core.conversation import Conversation

SNIPPET_CHARS = 90
_SEPARATOR = "\n\x00\n"  # between messages, so a term never matches across two of them


@dataclass(eq=False)
class SearchHit:
    """Why a conversation matched: in a message (with the term, for a snippet) or only in
    its title (``message_id`` None)."""

    conversation_id: str
    message_id: str | None = None
    text: str = field(default="", repr=False)  # the matching message's text
    term: str = ""
    _snippet: str | None = field(default=None, repr=False)

    @property
    def snippet(self) -> str:
        """A one-line excerpt around the match ("" for a title match); cut when first shown."""
        if self._snippet is None:
            self._snippet = snippet(self.text, self.term) if self.message_id else ""
        return self._snippet


@dataclass
class _Entry:
    stamp: str
    title: str
    body: str
    starts: list[int]  # where each message begins in ``body``
    message_ids: list[str]
    texts: list[str]  # each message's text as written (for snippets)


class SearchIndex:
    """Casefolded text per conversation, refreshed lazily when a conversation changed."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._last_query: list[str] = []
        self._last_hits: set[str] = set()

    def forget(self, conversation_id: str) -> None:
        self._entries.pop(conversation_id, None)

    def search(self, query: str, conversations: Iterable[Conversation]) -> dict[str, SearchHit]:
        """The conversations that contain every word of ``query`` (case-insensitive), in
        their title or in any message of any branch, with where the first word was found."""
        terms = query.casefold().split()
        hits: dict[str, SearchHit] = {}
        if not terms:
            self._last_query, self._last_hits = [], set()
            return hits
        narrowing = _extends(terms, self._last_query)
        for conversation in conversations:
            entry = self._entries.get(conversation.id)
            fresh = entry is not None and entry.stamp == _stamp(conversation)
            if narrowing and fresh and conversation.id not in self._last_hits:
                continue  # it did not match a shorter query, so it cannot match this one
            if entry is None or not fresh:
                entry = self._index(conversation)
            if all(t in entry.title or t in entry.body for t in terms):
                hits[conversation.id] = _hit(conversation.id, entry, terms)
        self._last_query, self._last_hits = terms, set(hits)
        return hits

    def _index(self, conversation: Conversation) -> _Entry:
        parts: list[str] = []
        starts: list[int] = []
        ids: list[str] = []
        texts: list[str] = []
        offset = 0
        for message in conversation.all_messages():
            text = message.text
            folded = text.casefold()
            starts.append(offset)
            ids.append(message.id)
            texts.append(text)
            parts.append(folded)
            offset += len(folded) + len(_SEPARATOR)
        entry = _Entry(_stamp(conversation), conversation.title.casefold(),
                       _SEPARATOR.join(parts), starts, ids, texts)
        self._entries[conversation.id] = entry
        return entry


def _stamp(conversation: Conversation) -> str:
    return f"{conversation.updated_at}|{conversation.title}"


def _extends(terms: list[str], previous: list[str]) -> bool:
    """Whether every match of ``terms`` must also have matched ``previous`` (the user typed
    on: earlier words unchanged, the last one only longer, perhaps more words after it)."""
    if not previous or len(terms) < len(previous):
        return False
    *head, last = previous
    return terms[:len(head)] == head and terms[len(head)].startswith(last)


def _hit(conversation_id: str, entry: _Entry, terms: list[str]) -> SearchHit:
    for term in terms:
        at = entry.body.find(term)
        if at >= 0:
            index = bisect.bisect_right(entry.starts, at) - 1
            return SearchHit(conversation_id, entry.message_ids[index], entry.texts[index], term)
    return SearchHit(conversation_id)


def snippet(text: str, term: str) -> str:
    """A one-line excerpt of ``text`` around the first place ``term`` occurs."""
    at = max(0, text.casefold().find(term))
    low, high = max(0, at - SNIPPET_CHARS), at + 2 * SNIPPET_CHARS
    flat = " ".join(text[low:high].split())  # only a window: a message may be very long
    position = max(0, flat.casefold().find(term))
    start = max(0, position - SNIPPET_CHARS // 3)
    if start > 0:
        space = flat.find(" ", start)
        start = space + 1 if 0 <= space < position else start
    piece = flat[start:start + SNIPPET_CHARS]
    before = low > 0 or start > 0
    after = high < len(text) or start + SNIPPET_CHARS < len(flat)
    return ("…" if before else "") + piece + ("…" if after else "")
