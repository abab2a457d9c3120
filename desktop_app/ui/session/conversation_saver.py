"""Writing conversations to disk, off the UI thread: a failed write keeps the conversation in
memory, is said once, and is tried again with the next save that works."""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop_app.core.conversation import Conversation
from desktop_app.storage.history_store import SCHEMA_VERSION
from desktop_app.ui.lib.os_error_text import os_error_text
from desktop_app.ui.session.conversation_cache import ConversationCache
from desktop_app.ui.session.services import Services
from desktop_app.ui.session.session_events import SessionEvents


class ConversationSaver(QObject):
    """Saves conversations and remembers those whose last save failed.

    Signals:
        None of its own; emits ``notice`` on the session's events when a save fails, and
        when a conversation that could not be saved is saved again.
    """

    def __init__(
        self,
        services: Services,
        events: SessionEvents,
        cache: ConversationCache,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.events = events
        self.cache = cache
        self._unsaved: set[str] = set()

    def is_unsaved(self, conversation_id: str) -> bool:
        """Whether the conversation's last save failed (it must stay in memory)."""
        return conversation_id in self._unsaved

    def forget(self, conversation_id: str) -> None:
        """Stop trying to save a conversation (it is being deleted)."""
        self._unsaved.discard(conversation_id)

    async def save(self, conversation: Conversation) -> bool:
        """Write a conversation; on failure keep it in memory and say so once."""
        if conversation.id in self.cache.read_only:
            return False
        document = conversation.to_json(SCHEMA_VERSION)
        try:
            await self.services.on_disk(self.services.history.write, conversation.id, document)
        except OSError as exc:
            if conversation.id not in self._unsaved:
                self.events.notice.emit(self.tr(
                    "Could not save “{title}”: {error}. "
                    "It is kept in memory and will be saved again with your next change."
                ).format(title=conversation.title, error=os_error_text(exc)))
            self._unsaved.add(conversation.id)
            return False
        if conversation.id in self._unsaved:
            self._unsaved.discard(conversation.id)
            self.events.notice.emit(
                self.tr("“{title}” is saved again.").format(title=conversation.title))
        for other_id in list(self._unsaved):
            other = self.cache.conversations.get(other_id)
            if other is not None and other is not conversation:
                await self.save(other)
        return True

    async def save_if_started(self, conversation: Conversation) -> None:
        """An empty new conversation lives in memory only until its first message."""
        if conversation.messages:
            await self.save(conversation)

    async def save_unsaved(self) -> None:
        """Try once more every conversation whose save failed (at shutdown)."""
        for conversation_id in list(self._unsaved):
            conversation = self.cache.conversations.get(conversation_id)
            if conversation is not None:
                await self.save(conversation)
