"""Changes to a conversation's own settings (title, pin, model, options, system prompt), each
saved at once if the conversation has started (an empty new one lives in memory only)."""

from __future__ import annotations

from typing import Any

from desktop_app.core.options import ChatOptions
from desktop_app.core.server_tools import CONVERSATION_OPTION
from desktop_app.ui.session.conversation_cache import ConversationCache
from desktop_app.ui.session.conversation_saver import ConversationSaver
from desktop_app.ui.session.session_events import SessionEvents
from desktop_app.ui.session.tool_rounds import SELECTION_OPTION


class ConversationEdits:
    """Renames, pins and re-configures conversations (the shown one, unless an id is given)."""

    def __init__(
        self, events: SessionEvents, cache: ConversationCache, saver: ConversationSaver
    ) -> None:
        self.events = events
        self.cache = cache
        self.saver = saver

    async def rename(self, conversation_id: str, title: str) -> None:
        """Give a conversation the title typed (spaces tidied; an empty title is ignored)."""
        title = " ".join(title.split())
        conversation = self.cache.conversation(conversation_id) if title else None
        if conversation is None or title == conversation.title:
            return
        conversation.title = title
        self.events.conversations_changed.emit()
        if conversation.messages:
            await self.saver.save(conversation)

    async def set_pinned(self, conversation_id: str, pinned: bool) -> None:
        conversation = self.cache.conversation(conversation_id)
        if conversation is None or conversation.pinned == pinned:
            return
        conversation.pinned = pinned
        self.events.conversations_changed.emit()
        await self.saver.save_if_started(conversation)

    async def set_model(self, model_id: str) -> None:
        """Switch the shown conversation's model (the history stays valid for any model)."""
        conversation = self.cache.current
        if conversation is None:
            return
        conversation.model_chosen = True
        if conversation.model == model_id:
            return
        conversation.model = model_id
        await self.saver.save_if_started(conversation)

    async def set_options(
        self, options: ChatOptions | None, tools: dict[str, Any] | None = None,
        server_tools: dict[str, Any] | None = None,
    ) -> None:
        """Give the shown conversation its own options (None: follow the defaults), and with
        ``tools`` its own choice of tools (``ToolSelection`` JSON; None: the default's), with
        ``server_tools`` its own choices of Claude's tools (the fields that differ from the
        defaults; None or empty: the defaults)."""
        conversation = self.cache.current
        if conversation is None:
            return
        conversation.options = options.to_json() if options is not None else {}
        if options is not None and tools is not None:
            conversation.options[SELECTION_OPTION] = tools
        if options is not None and server_tools:
            conversation.options[CONVERSATION_OPTION] = server_tools
        await self.saver.save_if_started(conversation)

    async def set_system_prompt(self, text: str) -> None:
        conversation = self.cache.current
        if conversation is None or conversation.system_prompt == text:
            return
        # Thinking written under the old prompt is not sent after it (the API binds thinking
        # to everything before it); replies from older files learn which prompt that was.
        conversation.stamp_system_prompt()
        conversation.system_prompt = text
        await self.saver.save_if_started(conversation)
