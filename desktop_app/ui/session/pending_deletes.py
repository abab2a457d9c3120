"""Deleting with Undo: a conversation leaves the list at once, and its file (with attachments
nothing else uses) goes a few seconds later, or when the app closes, unless Undo came first."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QObject

from desktop_app.core.conversation_summary import (
    ConversationSummary,
    hashes_of,
    is_stored_attachment,
)
from desktop_app.core.search import Listed
from desktop_app.ui.lib.os_error_text import os_error_text
from desktop_app.ui.lib.owned_tasks import OwnedTasks
from desktop_app.ui.session.anthropic_files import AnthropicFiles
from desktop_app.ui.session.conversation_cache import ConversationCache
from desktop_app.ui.session.conversation_saver import ConversationSaver
from desktop_app.ui.session.outgoing_attachments import OutgoingAttachments
from desktop_app.ui.session.reply_runner import ReplyRunner
from desktop_app.ui.session.services import Services
from desktop_app.ui.session.session_events import SessionEvents

UNDO_DELETE_SECONDS = 8.0  # how long a deleted conversation can be brought back


class PendingDeletes(QObject):
    """Conversations deleted moments ago, each waiting on a timer (an owned task) for its
    files to go.

    Signals:
        None of its own; emits ``deleted``, ``conversations_changed`` and ``notice`` on the
        session's events.

    Attributes:
        undo_seconds: how long a deleted conversation can be brought back.
        timers: the waits before each file goes, keyed by conversation id.
    """

    def __init__(
        self,
        services: Services,
        events: SessionEvents,
        *,
        cache: ConversationCache,
        runner: ReplyRunner,
        saver: ConversationSaver,
        attachments: OutgoingAttachments,
        files: AnthropicFiles | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.events = events
        self.cache = cache
        self.runner = runner
        self.saver = saver
        self.attachments = attachments
        self.files = files
        self.undo_seconds = UNDO_DELETE_SECONDS
        self.timers = OwnedTasks()
        self._deleted: dict[str, Listed] = {}

    def pending(self) -> list[str]:
        """Ids of the conversations whose files are still there (Undo is still possible)."""
        return list(self._deleted)

    def delete_with_undo(self, conversation_id: str, *, undo: bool = True) -> None:
        """Take a conversation away at once; its file goes after a few seconds unless
        :meth:`undo_delete` brings it back first (the window offers Undo)."""
        conversation = self.cache.take(conversation_id)
        if conversation is None:
            return
        self.runner.stop(conversation_id)  # what arrived is saved as stopped: Undo keeps it
        self.timers.spawn(self._delete_later(conversation_id), key=conversation_id)
        self._deleted[conversation_id] = conversation
        self.events.conversations_changed.emit()
        if self.cache.current is conversation:
            self.cache.show_another()
        if undo and (isinstance(conversation, ConversationSummary) or conversation.messages):
            self.events.deleted.emit(conversation_id, conversation.title)

    def undo_delete(self, conversation_id: str) -> bool:
        """Bring back a conversation deleted moments ago and show it."""
        conversation = self._deleted.pop(conversation_id, None)
        if conversation is None:
            return False
        self._cancel_timer(conversation_id)
        self.cache.put_back(conversation)
        self.events.conversations_changed.emit()
        self.cache.select(conversation_id)
        return True

    async def delete(self, conversation_id: str) -> None:
        """Remove a conversation and its file now, without undo; show the next one."""
        self.delete_with_undo(conversation_id, undo=False)
        if conversation_id in self._deleted:
            self._cancel_timer(conversation_id)
            await self.remove_files(conversation_id)

    async def remove_files(self, conversation_id: str) -> None:
        """The end of a delete: the file, and attachments nothing else refers to."""
        listed = self._deleted.pop(conversation_id, None)
        if listed is None:
            return
        task = self.runner.task_for(conversation_id)
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)
        self.saver.forget(conversation_id)
        await self._delete_anthropic_files(listed)
        try:
            await self.services.on_disk(self.services.history.delete, conversation_id)
            # Images and PDFs no other conversation uses go with it.
            keep = hashes_of(self._live_conversations())
            keep |= {str(i.block["source"].get("sha256")) for i in self.attachments.items
                     if is_stored_attachment(i.block)}
            await self.services.on_disk(self.services.attachments.remove_unreferenced, keep)
        except OSError as exc:
            self.events.notice.emit(
                self.tr("The conversation file could not be deleted: {error}.").format(
                    error=os_error_text(exc)))

    async def _delete_anthropic_files(self, listed: Listed) -> None:
        """Its files on Anthropic's side go too (read from its file first when only its
        summary was in memory)."""
        if self.files is None:
            return
        conversation = listed
        if isinstance(listed, ConversationSummary):
            try:
                conversation = await self.services.on_disk(self.services.history.load, listed.id)
            except (OSError, ValueError):
                return
        assert not isinstance(conversation, ConversationSummary)
        await self.files.conversation_deleted(conversation)

    async def _delete_later(self, conversation_id: str) -> None:
        await asyncio.sleep(self.undo_seconds)
        await self.remove_files(conversation_id)

    def _cancel_timer(self, conversation_id: str) -> None:
        timer = self.timers.get(conversation_id)
        if timer is not None:
            timer.cancel()

    def _live_conversations(self) -> list[Listed]:
        """Every conversation whose files must stay: listed ones and those that can still be
        brought back with Undo."""
        return [*self.cache.everything_listed(), *self._deleted.values()]
