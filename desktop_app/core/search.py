"""Search over titles and message text of every conversation, as the user types.

Each conversation's text is casefolded once and kept; it is indexed again only when the
conversation changed (its ``updated_at`` or title moved). Typing on (a query that extends the
last one) only re-checks the conversations that matched before, and snippets are cut only
for the rows that are drawn, so a keystroke stays cheap with years of history.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from desktop_app.core.conversation import Conversation

SNIPPET_CHARS = 90
_SEPARATOR = "\n\x00\n"  # between messages, so a term never matches across two of them


class SearchHit:
    """Why a conversation matched: in a message (with a snippet) or only in its title
    (``message_id`` None). Where exactly is worked out only when asked (for rows that are
    drawn or opened), so a broad query over years of history stays cheap."""

    __slots__ = ("conversation_id", "_entry", "_terms", "_found")

    def __init__(self, conversation_id: str, entry: _Entry | None = None,
                 terms: list[str] | None = None) -> None:
        self.conversation_id = conversation_id
        self._entry = entry
        self._terms = terms or []
        self._found: tuple[str | None, str] | None = None

    @property
    def message_id(self) -> str | None:
        return self._locate()[0]

    @property
    def snippet(self) -> str:
        """A one-line excerpt around the match ("" for a title match)."""
        return self._locate()[1]

    def _locate(self) -> tuple[str | None, str]:
        if self._found is None:
            self._found = (None, "")
            entry = self._entry
            if entry is not None:
                for term in self._terms:
                    at = entry.body.find(term)
                    if at >= 0:
                        index = bisect.bisect_right(entry.starts, at) - 1
                        self._found = (entry.message_ids[index], snippet(entry.texts[index], term))
                        break
        return self._found


@dataclass
class _Entry:
    updated_at: str
    title: str
    body: str
    starts: list[int]  # where each message begins in ``body``
    message_ids: list[str]
    texts: list[str]  # each message's text as written (for snippets)
    title_as_written: str


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
        entries, last_hits = self._entries, self._last_hits
        for conversation in conversations:
            entry = entries.get(conversation.id)
            fresh = (entry is not None and entry.updated_at == conversation.updated_at
                     and entry.title_as_written == conversation.title)
            if narrowing and fresh and conversation.id not in last_hits:
                continue  # it did not match a shorter query, so it cannot match this one
            if entry is None or not fresh:
                entry = self._index(conversation)
            for term in terms:
                if term not in entry.title and term not in entry.body:
                    break
            else:
                hits[conversation.id] = SearchHit(conversation.id, entry, terms)
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
        entry = _Entry(conversation.updated_at, conversation.title.casefold(),
                       _SEPARATOR.join(parts), starts, ids, texts, conversation.title)
        self._entries[conversation.id] = entry
        return entry


def _extends(terms: list[str], previous: list[str]) -> bool:
    """Whether every match of ``terms`` must also have matched ``previous`` (the user typed
    on: earlier words unchanged, the last one only longer, perhaps more words after it)."""
    if not previous or len(terms) < len(previous):
        return False
    *head, last = previous
    return terms[:len(head)] == head and terms[len(head)].startswith(last)


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
