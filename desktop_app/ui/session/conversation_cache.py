"""The conversations of one window in memory: open ones in full (the shown one, those replying
or not yet saved), every other saved one as a summary until it is needed, and which is shown."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desktop_app.core.conversation import Conversation
from desktop_app.core.conversation_summary import ConversationSummary
from desktop_app.core.search import Listed
from desktop_app.core.settings import Settings
from desktop_app.storage.history_store import READ_ERRORS, ScanResult
from desktop_app.ui.session.model_catalog import ModelCatalog
from desktop_app.ui.session.services import Services
from desktop_app.ui.session.session_events import SessionEvents

log = logging.getLogger(__name__)


class ConversationCache(QObject):
    """Which conversations are listed, which are held in full, and which one is shown.

    Signals:
        let_go(str): that conversation is no longer held in full (left idle, or deleted).

    Attributes:
        conversations: open conversations in full, by id.
        current: the conversation shown (None only for a moment, while one is deleted).
        read_only: ids of conversations from a newer Cairn: shown, never written.
    """

    let_go = Signal(str)

    def __init__(
        self,
        services: Services,
        events: SessionEvents,
        models: ModelCatalog,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.events = events
        self.models = models
        self.conversations: dict[str, Conversation] = {}
        self.current: Conversation | None = None
        self.read_only: set[str] = set()
        self._summaries: dict[str, ConversationSummary] = {}
        self._summary_order: list[ConversationSummary] | None = None  # newest first
        self._in_use: list[Callable[[str], bool]] = []
        models.list_replaced.connect(self._follow_new_model_list)

    def keep_whole_while(self, *in_use: Callable[[str], bool]) -> None:
        """Conversations for which any of these says yes (replying, being named, unsaved)
        stay in full when they are not shown."""
        self._in_use.extend(in_use)

    def load_scan(self, result: ScanResult) -> None:
        """List what the history folder holds, as summaries (read at start)."""
        self._summaries = {s.id: s for s in result.summaries}
        self._summary_order = None
        self.read_only = {s.id for s in result.summaries if s.read_only}

    # -- the list ----------------------------------------------------------------------------------

    def ordered(self) -> list[Listed]:
        """Saved conversations, most recently changed first: open ones in full, the others
        as summaries. The summaries' order is kept between calls (it changes only when one is
        opened or closed), so a keystroke in the search field does not sort years again."""
        if self._summary_order is None:
            self._summary_order = sorted(
                self._summaries.values(), key=lambda s: s.updated_at, reverse=True)
        open_ones = sorted(
            (c for c in self.conversations.values() if c.messages),
            key=lambda c: c.updated_at, reverse=True,
        )
        ordered: list[Listed] = list(self._summary_order)
        for conversation in open_ones:  # a few: each goes in by binary search
            low, high = 0, len(ordered)
            while low < high:
                middle = (low + high) // 2
                if ordered[middle].updated_at >= conversation.updated_at:
                    low = middle + 1
                else:
                    high = middle
            ordered.insert(low, conversation)
        return ordered

    def summary(self, conversation_id: str) -> ConversationSummary | None:
        """The summary of a listed conversation that is not open."""
        return self._summaries.get(conversation_id)

    def everything_listed(self) -> list[Listed]:
        """Every listed conversation, open or summarised, in no particular order."""
        return [*self.conversations.values(), *self._summaries.values()]

    def list_imported(
        self, summaries: list[ConversationSummary], *, announce: bool = True
    ) -> None:
        """List conversations an import has just written, from the summaries the import made
        of them (their files are not read again). An import calls this once per batch, and
        ``announce`` (the sidebar's refresh) only now and then."""
        for summary in summaries:
            if summary.id not in self.conversations and summary.id not in self._summaries:
                self._list(summary)
        if announce:
            self.events.conversations_changed.emit()

    def take(self, conversation_id: str) -> Listed | None:
        """Unlist a conversation (it is being deleted): what was listed, or None."""
        taken: Listed | None = self.conversations.pop(conversation_id, None)
        if taken is None:
            taken = self._unlist(conversation_id)
        if taken is not None:
            self.let_go.emit(conversation_id)
        return taken

    def put_back(self, taken: Listed) -> None:
        """List again what ``take`` returned (a delete was undone)."""
        if isinstance(taken, ConversationSummary):
            self._list(taken)
        else:
            self.conversations[taken.id] = taken

    # -- opening and showing -----------------------------------------------------------------------

    def conversation(self, conversation_id: str) -> Conversation | None:
        """A listed conversation in full, read from its file if it is not open yet (None:
        unknown, or its file can no longer be read, which is then said and unlisted)."""
        conversation = self.conversations.get(conversation_id)
        if conversation is not None:
            return conversation
        summary = self._summaries.get(conversation_id)
        if summary is None:
            return None
        try:
            conversation = self.services.history.load(conversation_id)
        except READ_ERRORS as exc:
            log.warning("cannot read %s: %s", conversation_id, type(exc).__name__)
            self._unlist(conversation_id)
            self.events.notice.emit(self.tr(
                "“{title}” could not be opened: its file is gone or can no longer be read."
            ).format(title=summary.title))
            self.events.conversations_changed.emit()
            return None
        conversation.end_interrupted_replies()  # none of its replies is arriving any more
        self._unlist(conversation_id)
        self.conversations[conversation_id] = conversation
        return conversation

    def new_conversation(self) -> Conversation:
        """Show a fresh, empty conversation (it is saved once it has a message)."""
        settings = self.services.settings
        if self.current is not None and not self.current.messages:
            self.current.model = self.models.default_model_id()
            self.current.system_prompt = settings.system_prompt
            self.events.current_changed.emit(self.current)
            return self.current
        conversation = Conversation(
            model=self.models.default_model_id(), system_prompt=settings.system_prompt
        )
        self.conversations[conversation.id] = conversation
        self.current = conversation
        self.events.current_changed.emit(conversation)
        return conversation

    def select(self, conversation_id: str) -> None:
        """Show a conversation (read from its file if it was not open)."""
        conversation = self.conversation(conversation_id)
        if conversation is None or conversation is self.current:
            return
        previous = self.current
        self.current = conversation
        if previous is not None and not previous.messages:
            del self.conversations[previous.id]
        self.events.current_changed.emit(conversation)
        self._close_idle()

    def show_another(self) -> None:
        """The shown conversation was taken away: show the newest one, or a new one."""
        self.current = None
        remaining = self.ordered()
        if remaining:
            self.select(remaining[0].id)
        else:
            self.new_conversation()

    def follow_settings(self, settings: Settings) -> None:
        """Conversations not started yet take new settings' model and system prompt."""
        for conversation in self.conversations.values():
            if not conversation.messages:
                conversation.model = self.models.default_model_id()
                conversation.system_prompt = settings.system_prompt

    # -- following the defaults, letting go --------------------------------------------------------

    def _follow_new_model_list(self) -> None:
        """Conversations not started yet whose model the new list lacks take the default."""
        for conversation in self.conversations.values():
            if not conversation.messages and self.models.catalog.get(conversation.model) is None:
                conversation.model = self.models.default_model_id()

    def _close_idle(self) -> None:
        """Keep only a summary of conversations nobody is using any more: not shown, not
        replying or naming, and saved (a conversation with unsaved changes stays whole)."""
        for conversation_id, conversation in list(self.conversations.items()):
            if (conversation is self.current or not conversation.messages
                    or any(in_use(conversation_id) for in_use in self._in_use)):
                continue
            del self.conversations[conversation_id]
            self.let_go.emit(conversation_id)
            self._list(ConversationSummary.of(
                conversation, read_only=conversation_id in self.read_only))

    def _unlist(self, conversation_id: str) -> ConversationSummary | None:
        summary = self._summaries.pop(conversation_id, None)
        if summary is not None:
            self._summary_order = None
        return summary

    def _list(self, summary: ConversationSummary) -> None:
        self._summaries[summary.id] = summary
        self._summary_order = None
