"""Search over titles and message text of every conversation, as the user types.

Conversations that are not open are searched through their summaries, which hold the folded
text already; an open conversation's text is folded once and kept until it changes (its
``updated_at`` or title moved). Typing on (a query that extends the last one) only re-checks
the conversations that matched before, and where a hit matched (message and snippet) is
worked out only for the rows that are drawn or opened, so a keystroke stays cheap with years
of history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from desktop_app.core.conversation import Conversation, Message
from desktop_app.core.conversation_summary import ConversationSummary
from desktop_app.core.search_plain_text import plain_text
from desktop_app.core.search_snippets import SNIPPET_CHARS, Snippet, excerpt, query_terms

__all__ = ["SNIPPET_CHARS", "Listed", "SearchHit", "SearchIndex", "Snippet", "first_match",
           "query_terms", "snippet"]

Listed = Conversation | ConversationSummary
# The messages (every branch) of a hit's conversation, read when its row is drawn (None: gone).
Resolver = Callable[[str], Iterable[Message] | None]


class SearchHit:
    """Why a conversation matched: in a message (with a snippet) or only in its title
    (``message_id`` None). Where exactly is worked out only when asked (for rows that are
    drawn or opened), so a broad query over years of history stays cheap."""

    __slots__ = ("conversation_id", "_resolve", "_terms", "_found")

    def __init__(self, conversation_id: str, resolve: Resolver | None = None,
                 terms: Sequence[str] = ()) -> None:
        self.conversation_id = conversation_id
        self._resolve = resolve
        self._terms = terms
        self._found: tuple[str | None, Snippet] | None = None

    @property
    def terms(self) -> Sequence[str]:
        """The query's words, casefolded (for marking them where they are shown)."""
        return self._terms

    @property
    def message_id(self) -> str | None:
        return self._locate()[0]

    @property
    def snippet(self) -> str:
        """A one-line excerpt around the match ("" for a title match)."""
        return self._locate()[1].text

    @property
    def excerpt(self) -> Snippet:
        """The excerpt with the query's words marked and the match it is centred on (empty
        for a title match)."""
        return self._locate()[1]

    def _locate(self) -> tuple[str | None, Snippet]:
        if self._found is None:
            self._found = (None, Snippet())
            messages = self._resolve(self.conversation_id) if self._resolve else None
            if messages is not None:
                self._found = first_match(messages, self._terms)
        return self._found


def first_match(
    messages: Iterable[Message], terms: Sequence[str]
) -> tuple[str | None, Snippet]:
    """The first message holding the first of ``terms`` found anywhere, and an excerpt of it
    centred there (every one of ``terms`` marked).

    The excerpt is of the text as the reader saw it (Markdown syntax taken out). A term found
    only in the syntax (a link's address, ``**``) is shown in the stored text instead, so
    every hit still shows why it matched."""
    folded = [(m.id, m.text, m.text.casefold()) for m in messages]
    readable: dict[str, str] = {}  # plain text, worked out only for messages that match
    for term in terms:
        for message_id, text, text_folded in folded:
            if term not in text_folded:
                continue
            if message_id not in readable:
                readable[message_id] = plain_text(text)
            if term in readable[message_id].casefold():
                return message_id, excerpt(readable[message_id], term, terms)
    for term in terms:
        for message_id, text, text_folded in folded:
            if term in text_folded:
                return message_id, excerpt(text, term, terms)
    return None, Snippet()


class SearchIndex:
    """Finds the conversations that contain every word of a query."""

    def __init__(self) -> None:
        self._open: dict[str, ConversationSummary] = {}  # open ones, as of when they changed
        self._last_query: list[str] = []
        self._last_seen: dict[str, tuple[str, str]] = {}  # misses: id -> (updated_at, title)

    def forget(self, conversation_id: str) -> None:
        self._open.pop(conversation_id, None)

    def search(self, query: str, items: Iterable[Listed],
               resolve: Resolver | None = None) -> dict[str, SearchHit]:
        """The conversations that contain every word of ``query`` (case-insensitive), in
        their title or in any message of any branch. ``resolve`` gives a hit's messages when
        its snippet is drawn."""
        terms = query_terms(query)
        hits: dict[str, SearchHit] = {}
        if not terms:
            self._last_query, self._last_seen = [], {}
            return hits
        needles = [term.encode("utf-8", "surrogatepass") for term in terms]
        narrowing = _extends(terms, self._last_query)
        last_seen = self._last_seen
        missed: dict[str, tuple[str, str]] = {}  # what did not match, as it was then
        for item in items:
            if narrowing:
                seen = last_seen.get(item.id)
                if seen is not None and seen == (item.updated_at, item.title):
                    missed[item.id] = seen  # it did not match a shorter query: nor this one
                    continue
            texts = item if isinstance(item, ConversationSummary) else self._summary(item)
            for needle in needles:
                if needle not in texts.folded_title and needle not in texts.folded_body:
                    missed[item.id] = (item.updated_at, item.title)
                    break
            else:
                hits[item.id] = SearchHit(item.id, resolve, terms)
        self._last_query, self._last_seen = terms, missed
        return hits

    def _summary(self, conversation: Conversation) -> ConversationSummary:
        """An open conversation summarised, again only when it changed (``updated_at`` or
        title moved)."""
        summary = self._open.get(conversation.id)
        if (summary is None or summary.updated_at != conversation.updated_at
                or summary.title != conversation.title):
            summary = self._open[conversation.id] = ConversationSummary.of(conversation)
        return summary


def _extends(terms: list[str], previous: list[str]) -> bool:
    """Whether every match of ``terms`` must also have matched ``previous`` (the user typed
    on: earlier words unchanged, the last one only longer, perhaps more words after it)."""
    if not previous or len(terms) < len(previous):
        return False
    *head, last = previous
    return terms[:len(head)] == head and terms[len(head)].startswith(last)


def snippet(text: str, term: str) -> str:
    """A one-line excerpt of ``text`` centred on the first place ``term`` occurs."""
    return excerpt(text, term).text
