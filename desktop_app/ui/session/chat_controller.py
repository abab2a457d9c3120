"""The conversations of one window behind one object: ``ChatController`` is what the window
calls and listens to; the work is done by the single-purpose parts of this package it wires.

It never touches a widget. Its coroutines are plain ``async def`` methods that tests can
await; every task it starts is owned and is cancelled and awaited by
:meth:`ChatController.shutdown`, which runs once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from desktop_app.core.catalog import Catalog, ModelInfo
from desktop_app.core.conversation import Conversation, Message
from desktop_app.core.conversation_summary import ConversationSummary
from desktop_app.core.options import ChatOptions
from desktop_app.core.request import RequestPlan
from desktop_app.core.search import Listed
from desktop_app.core.server_tools import ServerToolOptions
from desktop_app.core.settings import Settings
from desktop_app.core.sidebar_rows import SidebarRow
from desktop_app.storage.key_store import KeySaveResult
from desktop_app.ui.lib.os_error_text import os_error_text
from desktop_app.ui.lib.owned_tasks import OwnedTasks, close_together
from desktop_app.ui.session.account import Account
from desktop_app.ui.session.anthropic_files import AnthropicFiles
from desktop_app.ui.session.conversation_cache import ConversationCache
from desktop_app.ui.session.conversation_edits import ConversationEdits
from desktop_app.ui.session.conversation_saver import ConversationSaver
from desktop_app.ui.session.conversation_search import SEARCH_ROW_LIMIT, ConversationSearch
from desktop_app.ui.session.cost_text import CostText
from desktop_app.ui.session.input_tokens import InputTokenCounter
from desktop_app.ui.session.model_catalog import ModelCatalog
from desktop_app.ui.session.outgoing_attachments import OutgoingAttachments
from desktop_app.ui.session.pending_deletes import PendingDeletes
from desktop_app.ui.session.reply_runner import ReplyRunner
from desktop_app.ui.session.request_planner import RequestPlanner
from desktop_app.ui.session.services import Services
from desktop_app.ui.session.session_events import SessionEvents
from desktop_app.ui.session.startup_notice import StartupNotice
from desktop_app.ui.session.title_generator import TitleGenerator
from desktop_app.ui.session.tool_activity import ToolActivity
from desktop_app.ui.session.tool_rounds import ToolRounds
from desktop_app.ui.session.tool_servers import ToolServers
from desktop_app.ui.session.turn_actions import TurnActions


class ChatController(SessionEvents):
    """Drives every conversation of one window.

    Signals:
        Those of ``SessionEvents``, each emitted by the part that did the thing.

    Attributes:
        services: the stores, settings, prices and disk thread.
        attachments: what waits to go with the next message.
        tasks: background work (the model list, titles); ``settle`` waits for it.
        models, account, cache, saver, search, planner, costs, titles, replies, turns,
            edits, deletes, tool_servers, tool_activity, tool_rounds: the parts that do the
            work (see each module).
    """

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = OwnedTasks()
        self.account = Account(services, self, self)
        self.models = ModelCatalog(services, self, self.account, self.tasks, self)
        self.cache = ConversationCache(services, self, self.models, self)
        self.saver = ConversationSaver(services, self, self.cache, self)
        self.search = ConversationSearch(services, self.cache)
        self.planner = RequestPlanner(services, self)
        self.costs = CostText(services, self)
        self.attachments = OutgoingAttachments(services, self.model_accepts, self)
        self.attachments.edge_limit = self.image_edge_limit
        self.files = AnthropicFiles(services, self.account, self.cache.conversation, self)
        self.attachments.files = self.files
        self.attachments.code_execution_on = lambda: self.code_execution_on(self.current)
        self.message_added.connect(self.files.on_message_added)
        self.titles = TitleGenerator(
            services, self, models=self.models, account=self.account, cache=self.cache,
            saver=self.saver, tasks=self.tasks)
        self.tool_servers = ToolServers(services, self)
        self.tool_activity = ToolActivity(self)
        self.tool_rounds = ToolRounds(
            services, self, servers=self.tool_servers, activity=self.tool_activity,
            saver=self.saver, parent=self)
        self.replies = ReplyRunner(
            self, cache=self.cache, saver=self.saver, models=self.models, account=self.account,
            planner=self.planner, titles=self.titles, costs=self.costs, tools=self.tool_rounds,
            parent=self)
        self.turns = TurnActions(
            self, cache=self.cache, runner=self.replies, saver=self.saver, account=self.account,
            models=self.models, attachments=self.attachments, parent=self)
        self.edits = ConversationEdits(self, self.cache, self.saver)
        self.deletes = PendingDeletes(
            services, self, cache=self.cache, runner=self.replies, saver=self.saver,
            attachments=self.attachments, files=self.files, parent=self)
        self.input_tokens = InputTokenCounter(
            self.account, self.models, self.planner, self.attachments, self.tool_rounds)
        self.cache.keep_whole_while(
            self.replies.is_replying, self.titles.is_naming, self.saver.is_unsaved)
        self._closed = False

    # -- start and stop ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Load history, the model list and the key; ask for a key when there is none."""
        services = self.services
        result = await services.on_disk(services.history.scan)
        self.cache.load_scan(result)
        # One notice for everything found (the notice bar shows one text at a time).
        notice = StartupNotice().describe(
            result, services.settings_store.problem, services.history.directory)
        if notice:
            self.notice.emit(notice)
        await self.models.load_cached()
        await self.tool_servers.load()
        self.conversations_changed.emit()
        self.catalog_changed.emit()
        newest = next(iter(self.ordered_conversations()), None)
        if newest is not None:
            self.select(newest.id)
        else:
            self.new_conversation()
        self.tool_servers.start_in_background()
        if await self.account.load():
            self.models.refresh_in_background()
            self.files.retry_pending_deletes()
            self.status_changed.emit(self.tr("Ready"))
        else:
            self.models.stop_waiting()  # no key, no list: the built-in guesses

    async def shutdown(self) -> None:
        """Cancel what is in flight, save everything, close the SDK clients. Runs once."""
        if self._closed:
            return
        self._closed = True
        self.attachments.cancel()
        await self.attachments.wait()
        pending = self.deletes.pending()
        await close_together(self.replies.tasks, self.tasks, self.deletes.timers)
        await self.saver.save_unsaved()
        await self.tool_servers.shutdown()
        for conversation_id in pending:  # the undo window ends with the app
            await self.deletes.remove_files(conversation_id)
        await self.files.shutdown()
        await self.account.close()

    async def settle(self) -> None:
        """Wait for background work (the model list) to finish, for tests and --smoke-test."""
        await self.tasks.wait()

    async def wait_idle(self) -> None:
        """Wait until no reply is streaming (for tests and shutdown)."""
        await self.replies.wait_idle()

    # -- state the window reads --------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def catalog(self) -> Catalog:
        return self.models.catalog

    @property
    def conversations(self) -> dict[str, Conversation]:
        """Open conversations in full, by id (every other one is listed as a summary)."""
        return self.cache.conversations

    @property
    def current(self) -> Conversation | None:
        """The conversation shown."""
        return self.cache.current

    @property
    def api_key(self) -> str | None:
        return self.account.api_key

    @property
    def key_source(self) -> str | None:
        return self.account.key_source

    @property
    def undo_seconds(self) -> float:
        """How long a deleted conversation can be brought back."""
        return self.deletes.undo_seconds

    @undo_seconds.setter
    def undo_seconds(self, seconds: float) -> None:
        self.deletes.undo_seconds = seconds

    # -- conversations -----------------------------------------------------------------------------

    def ordered_conversations(self) -> list[Listed]:
        """Saved conversations, most recently changed first (open ones in full)."""
        return self.cache.ordered()

    def conversation(self, conversation_id: str) -> Conversation | None:
        """A listed conversation in full, read from its file if it is not open yet."""
        return self.cache.conversation(conversation_id)

    def new_conversation(self) -> Conversation:
        """Show a fresh, empty conversation (it is saved once it has a message)."""
        return self.cache.new_conversation()

    def select(self, conversation_id: str) -> None:
        """Show a conversation (read from its file if it was not open)."""
        self.cache.select(conversation_id)

    def list_imported(
        self, summaries: list[ConversationSummary], *, announce: bool = True
    ) -> None:
        """List conversations an import has just written (see ``ConversationCache``)."""
        self.cache.list_imported(summaries, announce=announce)

    def search_rows(self, query: str) -> tuple[list[SidebarRow], int | None]:
        """The sidebar's rows (with a query: only matches, at most ``SEARCH_ROW_LIMIT``), and
        how many conversations matched (None: no query)."""
        return self.search.rows(query, SEARCH_ROW_LIMIT)

    async def rename(self, conversation_id: str, title: str) -> None:
        await self.edits.rename(conversation_id, title)

    async def set_pinned(self, conversation_id: str, pinned: bool) -> None:
        await self.edits.set_pinned(conversation_id, pinned)

    async def set_model(self, model_id: str) -> None:
        """Switch the current conversation's model (the history stays valid for any model)."""
        await self.edits.set_model(model_id)

    async def set_conversation_options(
        self, options: ChatOptions | None, tools: dict[str, Any] | None = None,
        server_tools: dict[str, Any] | None = None,
    ) -> None:
        """Give the current conversation its own options (None: follow the defaults), choice
        of tools (``ToolSelection`` JSON; None: Settings' default) and of Claude's tools (the
        fields that differ from Settings'; None: Settings')."""
        await self.edits.set_options(options, tools, server_tools)

    async def set_system_prompt(self, text: str) -> None:
        await self.edits.set_system_prompt(text)

    async def save(self, conversation: Conversation) -> bool:
        """Write a conversation; on failure keep it in memory and say so once."""
        return await self.saver.save(conversation)

    def delete_with_undo(self, conversation_id: str, *, undo: bool = True) -> None:
        """Take a conversation away at once; its file goes a few seconds later."""
        self.deletes.delete_with_undo(conversation_id, undo=undo)

    def undo_delete(self, conversation_id: str) -> bool:
        """Bring back a conversation deleted moments ago and show it."""
        return self.deletes.undo_delete(conversation_id)

    async def delete(self, conversation_id: str) -> None:
        """Remove a conversation and its file now, without undo; show the next one."""
        await self.deletes.delete(conversation_id)

    # -- replies -----------------------------------------------------------------------------------

    def is_busy(self, conversation: Conversation | None = None) -> bool:
        """Whether a reply is arriving in the conversation (the current one by default)."""
        return self.turns.is_busy(conversation)

    def send(self, text: str) -> bool:
        """Send ``text`` (and the waiting attachments) in the current conversation."""
        return self.turns.send(text)

    def retry(self, message_id: str | None = None) -> bool:
        """Ask again for a reply (the last one by default); one that said something stays
        as a branch."""
        return self.turns.retry(message_id)

    def edit_message(self, message_id: str, text: str) -> bool:
        """Send an edited copy of a user message; the original stays in a branch."""
        return self.turns.edit_message(message_id, text)

    def continue_reply(self, message_id: str) -> bool:
        """Go on with a paused reply or one cut at the length limit."""
        return self.turns.continue_reply(message_id)

    async def switch_branch(self, message_id: str, step: int) -> bool:
        """Show the previous (-1) or next (+1) alternative of a message and save the choice."""
        return await self.turns.switch_branch(message_id, step)

    def stop(self) -> None:
        """End the current conversation's reply; what arrived is kept, marked as stopped."""
        self.turns.stop()

    # -- models, the key and settings --------------------------------------------------------------

    def model_for(self, conversation: Conversation) -> ModelInfo | None:
        return self.models.model_for(conversation)

    def code_execution_on(self, conversation: Conversation | None) -> bool:
        """Whether the conversation offers code execution (files can be given to it)."""
        return conversation is not None and self.planner.code_execution_on(
            conversation, self.models.model_for(conversation))

    def model_name(self, model_id: str) -> str:
        return self.models.model_name(model_id)

    def awaiting_model_list(self) -> bool:
        """Whether the account's model list is still on its way (first start, no cache)."""
        return self.models.awaiting_list()

    def model_accepts(self, kind: str) -> bool:
        """Whether the current model takes "image" or "pdf" input (unknown models: assume so)."""
        return self.models.accepts(self.current, kind)

    def image_edge_limit(self) -> int:
        """The size a picture attached now is prepared at (see ``RequestPlanner``)."""
        return self.planner.image_edge_limit(self.current, len(self.attachments.items))

    def options_for(self, conversation: Conversation) -> ChatOptions:
        """The conversation's options: its own choices over the global defaults."""
        return self.planner.options_for(conversation)

    def server_tools_for(self, conversation: Conversation) -> ServerToolOptions:
        """Claude's tools for the conversation: its own choices over the global defaults."""
        return self.planner.server_tools_for(conversation)

    async def count_input(self, draft: str) -> int | None:
        """Input tokens the current conversation plus ``draft`` would send (None: unknown)."""
        return await self.input_tokens.count(self.current, draft)

    async def set_api_key(self, key: str) -> KeySaveResult:
        """Keep a new key (in the keyring when there is one) and use it from now on."""
        result = await self.account.set_key(key)
        self.models.refresh_in_background()
        self.status_changed.emit(self.tr("Ready"))
        return result

    async def test_connection(self, settings: Settings) -> str:
        """Try settings (base URL, proxy, timeout) by listing models; say what happened."""
        return await self.account.test_connection(settings)

    async def apply_settings(self, settings: Settings) -> None:
        """Use new settings at once, then save them.

        Everything in memory changes before the first await, so a message sent while the file
        is being written already gets the new model, system prompt and limits together.
        """
        self.services.settings = settings
        self.account.replace_client()
        self.cache.follow_settings(settings)  # conversations not started take the defaults
        try:
            await self.services.on_disk(self.services.settings_store.save, settings)
        except OSError as exc:
            self.notice.emit(self.tr("Settings could not be saved: {error}.").format(
                error=os_error_text(exc)))

    # -- costs and attachments ---------------------------------------------------------------------

    def attachment_path(self, sha256: str) -> Path | None:
        """Where a stored attachment is (None if it is missing or the hash is malformed)."""
        try:
            return self.services.attachments.path_for(sha256)
        except ValueError:
            return None

    def cost_of_message(self, message: Message) -> float | None:
        return self.costs.cost_of_message(message)

    def describe_usage(self, message: Message) -> str:
        return self.costs.describe_usage(message)

    def describe_conversation_cost(self, conversation: Conversation) -> str:
        return self.costs.describe_conversation_cost(conversation)

    def conversation_cost(self, conversation: Conversation) -> float | None:
        return self.costs.conversation_cost(conversation)

    # -- reached by tests --------------------------------------------------------------------------

    @property
    def _replies(self) -> OwnedTasks:
        """The reply tasks (tests check that none is left)."""
        return self.replies.tasks

    def _plan(self, conversation: Conversation, model: ModelInfo, **how: bool) -> RequestPlan:
        return self.planner.plan(conversation, model, None, **how)

    def _replace_client(self) -> None:
        self.account.replace_client()

