"""Conversations as the user handles them: new, open, step through, rename, pin, delete and
undo, another model, send and stop; each one controller call, the focus back in the composer.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop_app.core.search_snippets import query_terms
from desktop_app.ui.composer.composer_widget import Composer
from desktop_app.ui.messages.message_view import MessageView
from desktop_app.ui.operations.context import Changes, OperationContext
from desktop_app.ui.sidebar.conversation_list_model import ConversationListModel


class ConversationOps(QObject):
    """See the module docstring.

    Args:
        composer: cleared after a send, focused after most actions.
        view: scrolled to a search hit.
        list_model: the sidebar's order, for Ctrl+Up / Ctrl+Down.
    """

    def __init__(
        self, context: OperationContext, composer: Composer, view: MessageView,
        list_model: ConversationListModel,
    ) -> None:
        super().__init__(context.parent)
        self._context = context
        self._controller = context.controller
        self._composer = composer
        self._view = view
        self._list_model = list_model

    def on_new_requested(self) -> None:
        self._controller.new_conversation()
        self._composer.focus()

    def on_selected(self, conversation_id: str) -> None:
        self._controller.select(conversation_id)

    def on_hit_chosen(self, conversation_id: str, message_id: str, query: str = "") -> None:
        """A search hit inside a message: open the conversation there, the query's words
        marked in the message."""
        self._controller.select(conversation_id)
        current = self._controller.current
        if current is not None and current.id == conversation_id:
            self._view.reveal(message_id, query_terms(query))

    def on_step_requested(self, step: int) -> None:
        """Ctrl+Down / Ctrl+Up: the next or previous conversation in the sidebar's order."""
        ids = self._list_model.conversation_ids()
        if not ids:
            return
        current = self._controller.current
        at = ids.index(current.id) if current is not None and current.id in ids else -1
        target = (min(len(ids) - 1, max(0, at + step)) if at >= 0
                  else (0 if step > 0 else len(ids) - 1))
        self._controller.select(ids[target])

    def on_rename_requested(self, conversation_id: str, title: str) -> None:
        self._context.spawn(self._controller.rename(conversation_id, title))

    def on_pin_requested(self, conversation_id: str, pinned: bool) -> None:
        self._context.spawn(self._controller.set_pinned(conversation_id, pinned))

    def on_delete_requested(self, conversation_id: str) -> None:
        """Delete now; the window offers Undo for a few seconds (``controller.deleted``)."""
        self._controller.delete_with_undo(conversation_id)

    def on_undo_requested(self, conversation_id: str) -> None:
        if conversation_id:
            self._controller.undo_delete(conversation_id)
        self._composer.focus()

    def on_model_chosen(self, model_id: str) -> None:
        self._context.spawn(self._switch_model(model_id))
        self._composer.focus()

    async def _switch_model(self, model_id: str) -> None:
        await self._controller.set_model(model_id)
        self._context.changed(Changes(header=True, estimate=True))

    def on_send_requested(self, text: str) -> None:
        if self._controller.send(text):
            self._composer.clear()
        self._composer.focus()

    def on_stop_requested(self) -> None:
        self._controller.stop()
