"""The sidebar's rows, and searching them: the conversations whose title or messages contain
every word typed, each with a snippet read from its file (kept while the user types)."""

from __future__ import annotations

from datetime import datetime

from desktop_app.core.conversation import Message
from desktop_app.core.search import SearchIndex
from desktop_app.core.sidebar_rows import SidebarRow, build_rows
from desktop_app.storage.history_store import READ_ERRORS
from desktop_app.ui.session.conversation_cache import ConversationCache
from desktop_app.ui.session.services import Services

SEARCH_ROW_LIMIT = 300  # search results listed at once (the rest after more typing)
_SNIPPET_CACHE = 64  # conversations read for search snippets, kept while the user types


class ConversationSearch:
    """Rows for the sidebar over the cache's conversations, with or without a query.

    Attributes:
        index: what was learnt of open conversations' text, and of the last query's misses.
    """

    def __init__(self, services: Services, cache: ConversationCache) -> None:
        self.services = services
        self.cache = cache
        self.index = SearchIndex()
        self._matches: dict[tuple[str, str], list[Message]] = {}  # for search snippets
        cache.let_go.connect(self.index.forget)

    def rows(
        self, query: str, limit: int = SEARCH_ROW_LIMIT
    ) -> tuple[list[SidebarRow], int | None]:
        """What the sidebar lists: pinned first, then by date; with a query, only the
        conversations whose title or messages contain every word of it, and how many matched
        (None: no query). A very broad query lists only the first ``limit`` matches: typing
        on narrows them, and a keystroke never has to list years of history."""
        conversations = self.cache.ordered()
        if not query.strip():
            return build_rows(conversations, datetime.now().astimezone()), None
        hits = self.index.search(query, conversations, self._messages_for_search)
        rows = build_rows(conversations, datetime.now().astimezone(), hits, limit)
        return rows, len(hits)

    def _messages_for_search(self, conversation_id: str) -> list[Message] | None:
        """A hit's messages (every branch), for its snippet: the open conversation's, or read
        from its file without opening it (kept for a while: rows are drawn again and again
        as the user types)."""
        conversation = self.cache.conversations.get(conversation_id)
        if conversation is not None:
            return list(conversation.all_messages())
        summary = self.cache.summary(conversation_id)
        if summary is None:
            return None
        key = (conversation_id, summary.updated_at)
        messages = self._matches.get(key)
        if messages is None:
            try:
                messages = list(self.services.history.load(conversation_id).all_messages())
            except READ_ERRORS:
                return None
            if len(self._matches) >= _SNIPPET_CACHE:
                del self._matches[next(iter(self._matches))]
            self._matches[key] = messages
        return messages
