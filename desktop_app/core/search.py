"""Search over titles and message text of every conversation, as the user types.

Each conversation's text is casefolded once and kept; it is indexed again only when the
conversation changed (its ``updated_at`` moved), so a keystroke costs one scan of the kept
text and never re-reads a message.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from desktop_app.core.conversation import Conversation

SNIPPET_CHARS = 90
_SEPARATOR = "\n\x00\n"  # between messages, so a term never matches across two of them


@dataclass(frozen=True)
class SearchHit:
    """Why a conversation matched: in its title, or in a message (with a snippet)."""

    conversation_id: str
    message_id: str | None = None  # None: the title matched
    snippet: str = ""


@dataclass
class _Entry:
    stamp: str
    title: str
    body: str
    starts: list[int]  # where each message begins in ``body``
    message_ids: list[str]


class SearchIndex:
    """Casefolded text per conversation, refreshed lazily when a conversation changed."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}

    def forget(self, conversation_id: str) -> None:
        self._entries.pop(conversation_id, None)

    def search(self, query: str, conversations: Iterable[Conversation]) -> dict[str, SearchHit]:
        """The conversations that contain every word of ``query`` (case-insensitive), in
        their title or in any message of any branch, with where the first word was found."""
        terms = query.casefold().split()
        hits: dict[str, SearchHit] = {}
        if not terms:
            return hits
        for conversation in conversations:
            entry = self._entry(conversation)
            if not all(t in entry.title or t in entry.body for t in terms):
                continue
            hits[conversation.id] = self._hit(conversation, entry, terms)
        return hits

    def _entry(self, conversation: Conversation) -> _Entry:
        entry = self._entries.get(conversation.id)
        stamp = f"{conversation.updated_at}|{conversation.title}"
        if entry is None or entry.stamp != stamp:
            parts: list[str] = []
            starts: list[int] = []
            ids: list[str] = []
            offset = 0
            for message in conversation.all_messages():
                text = message.text.casefold()
                starts.append(offset)
                ids.append(message.id)
                parts.append(text)
                offset += len(text) + len(_SEPARATOR)
            entry = _Entry(stamp, conversation.title.casefold(), _SEPARATOR.join(parts), starts, ids)
            self._entries[conversation.id] = entry
        return entry

    @staticmethod
    def _hit(conversation: Conversation, entry: _Entry, terms: list[str]) -> SearchHit:
        for term in terms:
            at = entry.body.find(term)
            if at < 0:
                continue
            message_id = entry.message_ids[bisect.bisect_right(entry.starts, at) - 1]
            message = next(m for m in conversation.all_messages() if m.id == message_id)
            return SearchHit(conversation.id, message_id, snippet(message.text, term))
        return SearchHit(conversation.id)


def snippet(text: str, term: str) -> str:
    """A one-line excerpt of ``text`` around the first place ``term`` occurs."""
    flat = " ".join(text.split())
    at = flat.casefold().find(term)
    if at < 0:
        at = 0
    start = max(0, at - SNIPPET_CHARS // 3)
    if start > 0:
        space = flat.find(" ", start)
        start = space + 1 if 0 <= space < at else start
    piece = flat[start:start + SNIPPET_CHARS]
    return ("…" if start > 0 else "") + piece + ("…" if start + SNIPPET_CHARS < len(flat) else "")
