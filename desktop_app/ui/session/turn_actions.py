"""What the user does to get a reply in the shown conversation: send, retry, edit a message,
continue a cut-off reply, flip between branches. Each checks a request may start, changes the
conversation and hands it to the reply runner."""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop_app.core.conversation import Conversation, Message, ReplyState
from desktop_app.ui.session.account import Account
from desktop_app.ui.session.conversation_cache import ConversationCache
from desktop_app.ui.session.conversation_saver import ConversationSaver
from desktop_app.ui.session.model_catalog import ModelCatalog
from desktop_app.ui.session.outgoing_attachments import OutgoingAttachments
from desktop_app.ui.session.reply_runner import ReplyRunner
from desktop_app.ui.session.session_events import SessionEvents


class TurnActions(QObject):
    """The user's requests for a reply, on the shown conversation.

    Signals:
        None of its own; emits ``message_added``, ``message_changed``, ``message_removed``,
        ``path_changed``, ``conversations_changed``, ``key_required`` and ``notice`` on the
        session's events.
    """

    def __init__(
        self,
        events: SessionEvents,
        *,
        cache: ConversationCache,
        runner: ReplyRunner,
        saver: ConversationSaver,
        account: Account,
        models: ModelCatalog,
        attachments: OutgoingAttachments,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.events = events
        self.cache = cache
        self.runner = runner
        self.saver = saver
        self.account = account
        self.models = models
        self.attachments = attachments

    def is_busy(self, conversation: Conversation | None = None) -> bool:
        """Whether a reply is arriving in the conversation (the shown one by default)."""
        conversation = conversation or self.cache.current
        return conversation is not None and self.runner.is_replying(conversation.id)

    def send(self, text: str) -> bool:
        """Add the user's message to the shown conversation and start the reply.

        The attachments waiting in the tray go with it. Returns False (and changes nothing)
        when there is nothing to send, an attachment is still being prepared, a reply is
        already streaming here, or there is no API key yet (the key dialog is requested).
        """
        conversation = self.cache.current or self.cache.new_conversation()
        if (not text.strip() and not self.attachments.items) or self.is_busy(conversation):
            return False
        if conversation.id in self.cache.read_only:
            self.events.notice.emit(self.tr(
                "This conversation is read-only (saved by a newer Cairn). Start a new one to chat."
            ))
            return False
        if self.attachments.busy:
            self.events.notice.emit(
                self.tr("An attachment is still being prepared; send again in a moment."))
            return False
        if not self.account.api_key:
            self.events.key_required.emit("")
            return False
        if self.models.model_for(conversation) is None:
            self.events.notice.emit(
                self.tr("No model is available. Check your connection and key."))
            return False
        last = conversation.last_reply
        if last is not None and last.state == ReplyState.FAILED and not last.content:
            self._remove(conversation, last)
            if conversation.messages and conversation.messages[-1].is_continue_prompt:
                self._remove(conversation, conversation.messages[-1])  # nothing came of it
        # Tool calls left waiting (the round limit, a crash) are answered as not run first.
        self.runner.tools.answer_dangling(conversation)
        message = conversation.add_user_message(text, self.attachments.take_blocks())
        self.events.conversations_changed.emit()
        self.runner.start(conversation, save_first=True,
                          announce=lambda: self.events.message_added.emit(conversation.id, message))
        return True

    def retry(self, message_id: str | None = None) -> bool:
        """Ask again for a reply (the last one by default).

        A reply that said something is kept as a branch (``< 1/2 >``) and the new one takes
        its place; an empty failed or stopped reply is simply replaced. Asking again for an
        earlier reply sets aside everything after it the same way.
        """
        conversation = self._ready_conversation()
        if conversation is None:
            return False
        target = conversation.last_reply if message_id is None else conversation.find(message_id)
        if target is not None and target.role == "assistant":
            if target.content:
                conversation.fork_at(target.id)
                self.events.path_changed.emit(conversation.id)
            elif target is conversation.last_reply:
                self._remove(conversation, target)
            else:
                return False
        elif message_id is not None:
            return False
        if not conversation.messages or conversation.messages[-1].role != "user":
            return False
        self.runner.start(conversation, save_first=True)
        return True

    def edit_message(self, message_id: str, text: str) -> bool:
        """Send an edited copy of a user message; the original and what followed it stay in
        a branch the user can flip back to."""
        conversation = self._ready_conversation()
        if conversation is None or conversation.id in self.cache.read_only:
            return False
        try:
            conversation.edit_user_message(message_id, text)
        except (KeyError, ValueError):
            return False
        self.events.conversations_changed.emit()
        self.runner.start(conversation, save_first=True,
                          announce=lambda: self.events.path_changed.emit(conversation.id))
        return True

    def continue_reply(self, message_id: str) -> bool:
        """Go on with the last reply: a paused turn is resumed in the same message; a reply
        cut at the length limit goes on in a new one, after a stored "continue" turn (what
        was sent before is never rewritten), and reads as one reply."""
        conversation = self._ready_conversation()
        if conversation is None:
            return False
        reply = conversation.last_reply
        if reply is None or reply.id != message_id or not reply.content:
            return False
        if reply.stop_reason == "pause_turn":
            self.runner.start(conversation, save_first=False, extend=reply)
            return True
        if reply.stop_reason == "tool_use":  # the round limit left its calls waiting
            self.runner.start(conversation, save_first=False, run_tools=reply)
            return True
        if reply.stop_reason != "max_tokens":
            return False
        self.runner.tools.answer_dangling(conversation)  # a call cut off mid-input
        prompt = conversation.add_continue_request()

        def announce() -> None:
            self.events.message_added.emit(conversation.id, prompt)
            self.events.message_changed.emit(conversation.id, reply.id)  # no longer "cut short"

        self.runner.start(conversation, save_first=True, announce=announce)
        return True

    async def switch_branch(self, message_id: str, step: int) -> bool:
        """Show the previous (-1) or next (+1) alternative of a message and save the choice."""
        conversation = self.cache.current
        if conversation is None or self.is_busy(conversation):
            return False
        if not conversation.switch_branch(message_id, step):
            return False
        self.events.path_changed.emit(conversation.id)
        await self.saver.save_if_started(conversation)
        return True

    def stop(self) -> None:
        """End the shown conversation's reply; what arrived is kept, marked as stopped."""
        if self.cache.current is not None:
            self.runner.stop(self.cache.current.id)

    def _ready_conversation(self) -> Conversation | None:
        """The shown conversation if a new request may start in it (asks for a key if
        there is none)."""
        conversation = self.cache.current
        if not self.account.api_key:
            self.events.key_required.emit("")
            return None
        if conversation is None or self.is_busy(conversation):
            return None
        return conversation

    def _remove(self, conversation: Conversation, message: Message) -> None:
        conversation.remove(message.id)
        self.events.message_removed.emit(conversation.id, message.id)
