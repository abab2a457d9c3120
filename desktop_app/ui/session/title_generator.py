"""Generated titles: after a conversation's first complete reply, one small request to the
cheapest suitable model names it; the request's cost joins the conversation's."""

from __future__ import annotations

import logging

from desktop_app.api.errors import sdk_error
from desktop_app.core.catalog import ModelInfo
from desktop_app.core.conversation import Conversation, Message, ReplyState, now_iso
from desktop_app.core.titles import cheapest_title_model, wants_title
from desktop_app.ui.lib.owned_tasks import OwnedTasks
from desktop_app.ui.session.account import Account
from desktop_app.ui.session.conversation_cache import ConversationCache
from desktop_app.ui.session.conversation_saver import ConversationSaver
from desktop_app.ui.session.model_catalog import ModelCatalog
from desktop_app.ui.session.services import Services
from desktop_app.ui.session.session_events import SessionEvents

log = logging.getLogger(__name__)


class TitleGenerator:
    """Names conversations in the background (tasks owned by the session's ``tasks``)."""

    def __init__(
        self,
        services: Services,
        events: SessionEvents,
        *,
        models: ModelCatalog,
        account: Account,
        cache: ConversationCache,
        saver: ConversationSaver,
        tasks: OwnedTasks,
    ) -> None:
        self.services = services
        self.events = events
        self.models = models
        self.account = account
        self.cache = cache
        self.saver = saver
        self.tasks = tasks
        self._naming: set[str] = set()  # a title request holds these conversations

    def is_naming(self, conversation_id: str) -> bool:
        """Whether a title request for the conversation is under way (it stays open)."""
        return conversation_id in self._naming

    def after_reply(self, conversation: Conversation, reply: Message) -> None:
        """A reply has ended and been saved: name the conversation if this was its first."""
        if reply.state == ReplyState.COMPLETE and wants_title(
                conversation, enabled=self.services.settings.generate_titles,
                read_only=conversation.id in self.cache.read_only):
            self._naming.add(conversation.id)  # kept open until the title is saved
            self.tasks.spawn(self.generate(conversation),
                             on_done=lambda _task: self._naming.discard(conversation.id))

    def title_model(self, conversation: Conversation) -> ModelInfo | None:
        """The cheapest priced model the key can use (titles need no big model), preferring
        one whose thinking can be turned off (a title needs none); else the conversation's
        own."""
        cheapest = cheapest_title_model(self.models.catalog.models, self.services.prices)
        return cheapest if cheapest is not None else self.models.model_for(conversation)

    async def generate(self, conversation: Conversation) -> None:
        """Name the conversation with one small request; its cost joins the conversation's."""
        from desktop_app.api.titles import request_title

        client, model = self.account.client(), self.title_model(conversation)
        question = next((m.text for m in conversation.messages if m.role == "user"), "")
        answer = next((m.text for m in conversation.messages if m.role == "assistant"), "")
        if client is None or model is None or not question.strip():
            return
        try:
            title, usage = await request_title(client, model, question, answer)
        except sdk_error() as exc:
            log.info("no generated title: %s", type(exc).__name__)
            return
        # Recorded even when no usable title came back: the request was billed. (The request
        # keeps thinking out of its small budget, so an empty answer should not happen; it is
        # not asked again, which would bill twice.)
        conversation.auxiliary_usage.append(
            {"purpose": "title", "model": model.id, "usage": usage, "created_at": now_iso()}
        )
        if not title:
            log.info("generated title was empty")
        if title and conversation.title_is_automatic:  # the user may have renamed it meanwhile
            conversation.title = title
        self.events.conversations_changed.emit()
        if conversation.id in self.cache.conversations:
            await self.saver.save(conversation)
