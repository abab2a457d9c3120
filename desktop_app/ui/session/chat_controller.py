"""The controller: sends messages, streams replies, stops, retries and saves.

Widgets call its methods and listen to its signals; it never touches a widget. Its coroutines
are plain ``async def`` methods that tests can await; every task it starts is owned and is
cancelled and awaited by :meth:`ChatController.shutdown`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import datetime
from pathlib import Path
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from desktop_app.api.errors import ReplyFailed, describe_error
from desktop_app.core.catalog import Catalog, ModelInfo
from desktop_app.core.conversation import Conversation, ErrorInfo, Message, ReplyState, now_iso
from desktop_app.core.conversation_summary import (
    ConversationSummary,
    hashes_of,
    is_stored_attachment,
)
from desktop_app.core.cost import TokenCounts, format_dollars, format_tokens
from desktop_app.core.reply import BlockDelta, ReplyAssembler
from desktop_app.core.options import ChatOptions
from desktop_app.core.request import RequestError, RequestPlan, build_request, effective_options
from desktop_app.core.search import Listed, SearchIndex
from desktop_app.core.settings import Settings
from desktop_app.core.sidebar_rows import SidebarRow, build_rows
from desktop_app.storage.history_store import READ_ERRORS, SCHEMA_VERSION, ScanResult
from desktop_app.storage.key_store import KeySaveResult
from desktop_app.core.images import (
    API_MAX_EDGE,
    DEFAULT_MAX_EDGE,
    MANY_IMAGES,
    MANY_IMAGES_MAX_EDGE,
    MAX_IMAGES_PER_REQUEST,
    MAX_REQUEST_BYTES,
    ImageError,
    resolve_attachment_block,
)
from desktop_app.ui.session.outgoing_attachments import OutgoingAttachments
from desktop_app.ui.session.services import Services

if TYPE_CHECKING:
    import anthropic

log = logging.getLogger(__name__)


def _api_error() -> type[Exception]:
    """The SDK's base error class. The SDK takes about two seconds to import, so it is loaded
    only once the window is up (the first request, the model list), never at start-up."""
    import anthropic

    return anthropic.APIError

UNDO_DELETE_SECONDS = 8.0  # how long a deleted conversation can be brought back
SEARCH_ROW_LIMIT = 300  # search results listed at once (the rest after more typing)
_SAVE_EVERY_SECONDS = 2.0  # while a reply streams, what has arrived is saved this often
_CHANGED_EVERY_SECONDS = 0.015  # message_changed at most this often while text streams in
_YIELD_EVERY_SECONDS = 0.005  # reading buffered deltas gives the window its turn this often
_MAX_PAUSE_RESUMES = 5  # pause_turn: resume automatically, but not forever
MODEL_LIST_WAIT_SECONDS = 10.0  # a first message waits this long at most for the model list
_SNIPPET_CACHE = 64  # conversations read for search snippets, kept while the user types


class ChatController(QObject):
    """Drives every conversation of one window.

    Signals:
        conversations_changed: the list of conversations (titles, order, membership) changed.
        current_changed(object): another conversation (or None) is now shown.
        message_added(str, object): (conversation id, Message) was appended.
        message_changed(str, str): (conversation id, message id) has new content or state.
        message_removed(str, str): (conversation id, message id) was taken out.
        path_changed(str): the shown path of that conversation changed (an edit, a
            regenerated reply, another branch chosen): show its messages afresh.
        busy_changed(str, bool): a reply started (True) or ended (False) in that conversation.
        status_changed(str): new text for the status line.
        key_required(str): an API key must be entered; the text says why.
        notice(str): a one-off message for the user (a failed save, a file set aside).
        catalog_changed: the list of models changed.
        deleted(str, str): (id, title) was deleted; it can be undone for a few seconds.
        key_changed: the API key (or where it comes from) changed.
    """

    conversations_changed = Signal()
    current_changed = Signal(object)
    message_added = Signal(str, object)
    message_changed = Signal(str, str)
    message_removed = Signal(str, str)
    path_changed = Signal(str)
    busy_changed = Signal(str, bool)
    status_changed = Signal(str)
    key_required = Signal(str)
    notice = Signal(str)
    catalog_changed = Signal()
    deleted = Signal(str, str)
    key_changed = Signal()

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.catalog = Catalog.fallback()
        # Open conversations in full (the shown one, those replying or not yet saved); every
        # other saved conversation is only summarised until it is needed.
        self.conversations: dict[str, Conversation] = {}
        self._summaries: dict[str, ConversationSummary] = {}
        self._summary_order: list[ConversationSummary] | None = None  # newest first
        self._titling: set[str] = set()  # a title request holds these conversations
        self._matches: dict[tuple[str, str], list[Message]] = {}  # for search snippets
        self.current: Conversation | None = None
        self.api_key: str | None = None
        self.key_source: str | None = None
        self._client: anthropic.AsyncAnthropic | None = None
        self._old_clients: list[anthropic.AsyncAnthropic] = []
        self._replies: dict[str, asyncio.Task[None]] = {}
        self._background: set[asyncio.Task[Any]] = set()
        self._models_refresh: asyncio.Task[None] | None = None
        self._unsaved: set[str] = set()
        self.read_only: set[str] = set()  # conversations from a newer Cairn: never written
        self.search_index = SearchIndex()
        self.undo_seconds = UNDO_DELETE_SECONDS
        self._pending_deletes: dict[str, tuple[Listed, asyncio.Task[None]]] = {}
        self._closed = False
        self.attachments = OutgoingAttachments(services, self.model_accepts, self)
        self.attachments.edge_limit = self.image_edge_limit

    # -- start and stop ------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self.services.settings

    async def start(self) -> None:
        """Load history, the model list and the key; ask for a key when there is none."""
        services = self.services
        result = await services.on_disk(services.history.scan)
        self._summaries = {s.id: s for s in result.summaries}
        self._summary_order = None
        self.read_only = {s.id for s in result.summaries if s.read_only}
        # One notice for everything found (the notice bar shows one text at a time).
        notice = self._startup_notice(result, services.settings_store.problem)
        if notice:
            self.notice.emit(notice)
        cached = await services.on_disk(services.model_cache.load)
        if cached:
            self.catalog = Catalog(cached, from_api=False)
        self.conversations_changed.emit()
        self.catalog_changed.emit()
        newest = next(iter(self.ordered_conversations()), None)
        if newest is not None:
            self.select(newest.id)
        else:
            self.new_conversation()
        lookup = await services.on_disk(services.key_store.load)
        if lookup.key:
            self.api_key, self.key_source = lookup.key, lookup.source
            self.key_changed.emit()
            self._models_refresh = self._spawn(self.refresh_models())
            self.status_changed.emit(self.tr("Ready"))
        else:
            self.key_required.emit(lookup.problem or "")

    _LISTED_AT_START = 10  # files or titles named in the start-up notice; the log has all

    def _startup_notice(self, result: ScanResult, settings_problem: str | None) -> str:
        """What start-up found, in one text: conversations from a newer Cairn, files that
        could not be opened (each with its reason, and where those set aside went), and a
        settings file that could not be read."""
        paragraphs: list[str] = []
        newer = [_clip(s.title, 80) for s in result.summaries if s.read_only]
        if len(newer) == 1:
            paragraphs.append(self.tr(
                "“{title}” was saved by a newer version of Cairn. It is shown read-only "
                "and will not be changed."
            ).format(title=newer[0]))
        elif newer:
            paragraphs.append(self.tr(
                "{count} conversations were saved by a newer version of Cairn: {titles}. They "
                "are shown read-only and will not be changed."
            ).format(count=len(newer), titles=", ".join(
                f"“{title}”" for title in newer[:self._LISTED_AT_START]) + (
                    "…" if len(newer) > self._LISTED_AT_START else "")))
        problems = result.problems
        if len(problems) == 1:
            paragraphs.append(self.tr("A conversation file could not be opened: {problem}")
                              .format(problem=_clip(problems[0].describe(), 600)))
        elif problems:
            moved = sum(1 for p in problems if p.moved_to is not None)
            folder = str(self.services.history.directory)
            if moved == len(problems):
                heading = self.tr(
                    "{count} conversation files could not be opened and were set aside in "
                    "{folder} (each renamed to NAME.unreadable-DATE, its content unchanged):")
            elif moved:
                heading = self.tr(
                    "{count} conversation files could not be opened; those marked “set aside” "
                    "were renamed to NAME.unreadable-DATE in {folder}, their content unchanged:")
            else:
                heading = self.tr(
                    "{count} conversation files could not be opened and were left as they are:")
            lines = [heading.format(count=len(problems), folder=folder)]
            marked = self.tr("(set aside)") if 0 < moved < len(problems) else ""
            for problem in problems[:self._LISTED_AT_START]:
                mark = f" {marked}" if marked and problem.moved_to is not None else ""
                lines.append(f"• {_clip(problem.name, 80)}: {_clip(problem.reason, 300)}{mark}")
            if len(problems) > self._LISTED_AT_START:
                lines.append(self.tr("…and {count} more (the log lists every one).").format(
                    count=len(problems) - self._LISTED_AT_START))
            paragraphs.append("\n".join(lines))
        if settings_problem:
            paragraphs.append(settings_problem)
        return "\n\n".join(paragraphs)

    async def shutdown(self) -> None:
        """Cancel what is in flight, save everything, close the SDK clients. Runs once."""
        if self._closed:
            return
        self._closed = True
        self.attachments.cancel()
        await self.attachments.wait()
        pending = list(self._pending_deletes)
        tasks = list(self._replies.values()) + list(self._background)
        tasks += [timer for _, timer in self._pending_deletes.values()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for conversation_id in list(self._unsaved):
            conversation = self.conversations.get(conversation_id)
            if conversation is not None:
                await self.save(conversation)
        for conversation_id in pending:  # the undo window ends with the app
            await self._remove_files(conversation_id)
        for client in [*self._old_clients, *([self._client] if self._client else [])]:
            await client.close()
        self._client = None
        self._old_clients.clear()

    # -- conversations ---------------------------------------------------------------------------

    def ordered_conversations(self) -> list[Listed]:
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
            self.notice.emit(self.tr(
                "“{title}” could not be opened: its file is gone or can no longer be read."
            ).format(title=summary.title))
            self.conversations_changed.emit()
            return None
        conversation.end_interrupted_replies()  # none of its replies is arriving any more
        self._unlist(conversation_id)
        self.conversations[conversation_id] = conversation
        return conversation

    def _unlist(self, conversation_id: str) -> ConversationSummary | None:
        summary = self._summaries.pop(conversation_id, None)
        if summary is not None:
            self._summary_order = None
        return summary

    def _list(self, summary: ConversationSummary) -> None:
        self._summaries[summary.id] = summary
        self._summary_order = None

    def _close_idle(self) -> None:
        """Keep only a summary of conversations nobody is using any more: not shown, not
        replying or naming, and saved (a conversation with unsaved changes stays whole)."""
        for conversation_id, conversation in list(self.conversations.items()):
            if (conversation is self.current or not conversation.messages
                    or conversation_id in self._replies or conversation_id in self._titling
                    or conversation_id in self._unsaved):
                continue
            del self.conversations[conversation_id]
            self.search_index.forget(conversation_id)
            self._list(ConversationSummary.of(
                conversation, read_only=conversation_id in self.read_only))

    def new_conversation(self) -> Conversation:
        """Show a fresh, empty conversation (it is saved once it has a message)."""
        if self.current is not None and not self.current.messages:
            self.current.model = self.default_model_id()
            self.current.system_prompt = self.settings.system_prompt
            self.current_changed.emit(self.current)
            return self.current
        conversation = Conversation(
            model=self.default_model_id(), system_prompt=self.settings.system_prompt
        )
        self.conversations[conversation.id] = conversation
        self.current = conversation
        self.current_changed.emit(conversation)
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
        self.current_changed.emit(conversation)
        self._close_idle()

    async def rename(self, conversation_id: str, title: str) -> None:
        title = " ".join(title.split())
        conversation = self.conversation(conversation_id) if title else None
        if conversation is None or title == conversation.title:
            return
        conversation.title = title
        self.conversations_changed.emit()
        if conversation.messages:
            await self.save(conversation)

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
            self.conversations_changed.emit()

    def sidebar_rows(self, query: str = "") -> list[SidebarRow]:
        """What the sidebar lists: pinned first, then by date; with a query, only the
        conversations whose title or messages contain every word of it."""
        return self.search_rows(query)[0]

    def search_rows(self, query: str) -> tuple[list[SidebarRow], int | None]:
        """:meth:`sidebar_rows`, and how many conversations matched (None: no query). A very
        broad query lists only the first ``SEARCH_ROW_LIMIT`` matches: typing on narrows
        them, and a keystroke never has to list years of history."""
        conversations = self.ordered_conversations()
        if not query.strip():
            return build_rows(conversations, datetime.now().astimezone()), None
        hits = self.search_index.search(query, conversations, self._messages_for_search)
        rows = build_rows(conversations, datetime.now().astimezone(), hits, SEARCH_ROW_LIMIT)
        return rows, len(hits)

    def _messages_for_search(self, conversation_id: str) -> list[Message] | None:
        """A hit's messages (every branch), for its snippet: the open conversation's, or read
        from its file without opening it (kept for a while: rows are drawn again and again
        as the user types)."""
        conversation = self.conversations.get(conversation_id)
        if conversation is not None:
            return list(conversation.all_messages())
        summary = self._summaries.get(conversation_id)
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

    async def set_pinned(self, conversation_id: str, pinned: bool) -> None:
        conversation = self.conversation(conversation_id)
        if conversation is None or conversation.pinned == pinned:
            return
        conversation.pinned = pinned
        self.conversations_changed.emit()
        await self._save_if_started(conversation)

    def delete_with_undo(self, conversation_id: str, *, undo: bool = True) -> None:
        """Take a conversation away at once; its file goes after a few seconds unless
        :meth:`undo_delete` brings it back first (the window offers Undo)."""
        conversation: Listed | None = self.conversations.pop(conversation_id, None)
        if conversation is None:
            conversation = self._unlist(conversation_id)
        if conversation is None:
            return
        task = self._replies.get(conversation_id)
        if task is not None:
            task.cancel()  # what arrived is saved as stopped, so Undo brings it back too
        timer = asyncio.ensure_future(self._delete_later(conversation_id))
        self._pending_deletes[conversation_id] = (conversation, timer)
        self.search_index.forget(conversation_id)
        self.conversations_changed.emit()
        if self.current is conversation:
            self.current = None
            remaining = self.ordered_conversations()
            if remaining:
                self.select(remaining[0].id)
            else:
                self.new_conversation()
        if undo and (isinstance(conversation, ConversationSummary) or conversation.messages):
            self.deleted.emit(conversation_id, conversation.title)

    def undo_delete(self, conversation_id: str) -> bool:
        """Bring back a conversation deleted moments ago and show it."""
        pending = self._pending_deletes.pop(conversation_id, None)
        if pending is None:
            return False
        conversation, timer = pending
        timer.cancel()
        if isinstance(conversation, ConversationSummary):
            self._list(conversation)
        else:
            self.conversations[conversation_id] = conversation
        self.conversations_changed.emit()
        self.select(conversation_id)
        return True

    async def delete(self, conversation_id: str) -> None:
        """Remove a conversation and its file now, without undo; show the next one."""
        self.delete_with_undo(conversation_id, undo=False)
        pending = self._pending_deletes.get(conversation_id)
        if pending is not None:
            pending[1].cancel()
            await self._remove_files(conversation_id)

    async def _delete_later(self, conversation_id: str) -> None:
        await asyncio.sleep(self.undo_seconds)
        await self._remove_files(conversation_id)

    async def _remove_files(self, conversation_id: str) -> None:
        """The end of a delete: the file, and attachments nothing else refers to."""
        pending = self._pending_deletes.pop(conversation_id, None)
        if pending is None:
            return
        task = self._replies.get(conversation_id)
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)
        self._unsaved.discard(conversation_id)
        try:
            await self.services.on_disk(self.services.history.delete, conversation_id)
            # Images and PDFs no other conversation uses go with it.
            keep = hashes_of(self._live_conversations())
            keep |= {str(i.block["source"].get("sha256")) for i in self.attachments.items
                     if is_stored_attachment(i.block)}
            await self.services.on_disk(self.services.attachments.remove_unreferenced, keep)
        except OSError as exc:
            self.notice.emit(self.tr("The conversation file could not be deleted: {error}.").format(
                error=exc.strerror or exc))

    def _live_conversations(self) -> list[Listed]:
        """Every conversation whose files must stay: listed ones and those that can still be
        brought back with Undo."""
        return [*self.conversations.values(), *self._summaries.values(),
                *(c for c, _ in self._pending_deletes.values())]

    async def set_model(self, model_id: str) -> None:
        """Switch the current conversation's model (the history stays valid for any model)."""
        conversation = self.current
        if conversation is None:
            return
        conversation.model_chosen = True
        if conversation.model == model_id:
            return
        conversation.model = model_id
        await self._save_if_started(conversation)

    async def set_conversation_options(self, options: ChatOptions | None) -> None:
        """Give the current conversation its own options (None: follow the defaults)."""
        conversation = self.current
        if conversation is None:
            return
        conversation.options = options.to_json() if options is not None else {}
        await self._save_if_started(conversation)

    async def count_input(self, draft: str) -> int | None:
        """Input tokens the current conversation plus ``draft`` would send (None: unknown)."""
        conversation, client = self.current, self._get_client()
        model = self.model_for(conversation) if conversation else None
        if conversation is None or client is None or model is None or model.builtin:
            return None
        probe = Conversation(  # counted exactly as it will be sent: its own options too
            system_prompt=conversation.system_prompt, options=dict(conversation.options),
            model=conversation.model, messages=list(conversation.messages),
        )
        # With nothing typed yet, a one-character turn stands in, so the figure is the
        # conversation's size as the next request would carry it.
        from desktop_app.api.models_api import count_input_tokens

        pending = [item.block for item in self.attachments.items]
        probe.add_user_message(draft if draft.strip() else ".", pending)
        try:
            plan = self._plan(probe, model)
            plan.kwargs["messages"] = await self._with_attachments(plan.kwargs["messages"])
            return await count_input_tokens(client, plan.kwargs)
        except (RequestError, ReplyFailed, _api_error()) as exc:
            log.info("token count unavailable: %s", type(exc).__name__)
            return None

    async def test_connection(self, settings: Settings) -> str:
        """Try settings (base URL, proxy, timeout) by listing models; say what happened."""
        from desktop_app.api.client_factory import make_client
        from desktop_app.api.models_api import fetch_models

        if not self.api_key:
            return self.tr("Enter an API key first.")
        client = make_client(self.api_key, settings)
        try:
            models = await fetch_models(client)
        except _api_error() as exc:
            return self.tr("Failed: {reason}").format(reason=describe_error(exc).message)
        except (ValueError, ImportError) as exc:  # a malformed proxy URL, a missing SOCKS extra
            return self.tr("Failed: {reason}").format(reason=exc)
        finally:
            await client.close()
        return self.tr("Connected: {count} models available.").format(count=len(models))

    async def set_system_prompt(self, text: str) -> None:
        conversation = self.current
        if conversation is None or conversation.system_prompt == text:
            return
        # Thinking written under the old prompt is not sent after it (the API binds thinking
        # to everything before it); replies from older files learn which prompt that was.
        conversation.stamp_system_prompt()
        conversation.system_prompt = text
        await self._save_if_started(conversation)

    async def _save_if_started(self, conversation: Conversation) -> None:
        """An empty new conversation lives in memory only until its first message."""
        if conversation.messages:
            await self.save(conversation)

    async def save(self, conversation: Conversation) -> bool:
        """Write a conversation; on failure keep it in memory and say so once."""
        if conversation.id in self.read_only:
            return False
        document = conversation.to_json(SCHEMA_VERSION)
        try:
            await self.services.on_disk(self.services.history.write, conversation.id, document)
        except OSError as exc:
            if conversation.id not in self._unsaved:
                self.notice.emit(self.tr(
                    "Could not save “{title}”: {error}. "
                    "It is kept in memory and will be saved again with your next change."
                ).format(title=conversation.title, error=exc.strerror or exc))
            self._unsaved.add(conversation.id)
            return False
        if conversation.id in self._unsaved:
            self._unsaved.discard(conversation.id)
            self.notice.emit(self.tr("“{title}” is saved again.").format(title=conversation.title))
        for other_id in list(self._unsaved):
            other = self.conversations.get(other_id)
            if other is not None and other is not conversation:
                await self.save(other)
        return True

    # -- models ---------------------------------------------------------------------------------

    def default_model_id(self) -> str | None:
        model = self.catalog.resolve(self.settings.default_model)
        return model.id if model else None

    def model_for(self, conversation: Conversation) -> ModelInfo | None:
        return self.catalog.resolve(conversation.model)

    async def refresh_models(self) -> None:
        """Fetch every page of the Models API; keep the cached or built-in list on failure."""
        from desktop_app.api.models_api import fetch_models

        client = self._get_client()
        if client is None:
            return
        try:
            models = await fetch_models(client)
        except _api_error() as exc:
            info = describe_error(exc)
            if info.needs_key:
                self.key_required.emit(info.message)
            else:
                self.status_changed.emit(self.tr("Offline: using the saved model list"))
            log.info("model list not refreshed: %s", info.kind)
            return
        if not models:
            return
        catalog = Catalog(models, from_api=True)
        await self.services.on_disk(self.services.model_cache.save, catalog.models)
        self.catalog = catalog
        for conversation in self.conversations.values():
            if not conversation.messages and self.catalog.get(conversation.model) is None:
                conversation.model = self.default_model_id()
        self.catalog_changed.emit()
        await self._prepare_streaming()

    async def _prepare_streaming(self) -> None:
        """Import the streaming and Markdown code, and load the common languages'
        highlighters, on the disk thread while the user is still reading, so the first reply
        does not stall the window with first-use work (100 ms for the Markdown parser and
        Pygments, up to 90 ms for each language's highlighter)."""
        import importlib

        try:
            await self.services.on_disk(importlib.import_module, "desktop_app.api.reply_stream")
            markdown = await self.services.on_disk(
                importlib.import_module, "desktop_app.core.markdown")
            await self.services.on_disk(markdown.warm_up)
        except ImportError:  # pragma: no cover - the first use imports it again, says why
            log.warning("streaming or Markdown code could not be loaded ahead", exc_info=True)

    # -- the key ----------------------------------------------------------------------------------

    async def set_api_key(self, key: str) -> KeySaveResult:
        """Keep a new key (in the keyring when there is one) and use it from now on."""
        key = key.strip()
        result = await self.services.on_disk(self.services.key_store.save, key)
        self.api_key = key
        self.key_source = "keyring" if result.persisted else "session"
        self.key_changed.emit()
        self._replace_client()
        self._models_refresh = self._spawn(self.refresh_models())
        self.status_changed.emit(self.tr("Ready"))
        return result

    async def apply_settings(self, settings: Settings) -> None:
        """Use new settings at once, then save them.

        Everything in memory changes before the first await, so a message sent while the file
        is being written already gets the new model, system prompt and limits together.
        """
        self.services.settings = settings
        self._replace_client()
        for conversation in self.conversations.values():
            if not conversation.messages:  # not started yet: take the new defaults
                conversation.model = self.default_model_id()
                conversation.system_prompt = settings.system_prompt
        try:
            await self.services.on_disk(self.services.settings_store.save, settings)
        except OSError as exc:
            self.notice.emit(self.tr("Settings could not be saved: {error}.").format(
                error=exc.strerror or exc))

    def _get_client(self) -> anthropic.AsyncAnthropic | None:
        from desktop_app.api.client_factory import make_client

        if self._client is None and self.api_key:
            self._client = make_client(self.api_key, self.settings)
        return self._client

    def _replace_client(self) -> None:
        if self._client is not None:
            self._old_clients.append(self._client)
            self._client = None

    # -- sending ----------------------------------------------------------------------------------

    def is_busy(self, conversation: Conversation | None = None) -> bool:
        conversation = conversation or self.current
        return conversation is not None and conversation.id in self._replies

    def send(self, text: str) -> bool:
        """Add the user's message to the current conversation and start the reply.

        The attachments waiting in the tray go with it. Returns False (and changes nothing)
        when there is nothing to send, an attachment is still being prepared, a reply is
        already streaming here, or there is no API key yet (the key dialog is requested).
        """
        conversation = self.current or self.new_conversation()
        if (not text.strip() and not self.attachments.items) or self.is_busy(conversation):
            return False
        if conversation.id in self.read_only:
            self.notice.emit(self.tr(
                "This conversation is read-only (saved by a newer Cairn). Start a new one to chat."
            ))
            return False
        if self.attachments.busy:
            self.notice.emit(
                self.tr("An attachment is still being prepared; send again in a moment."))
            return False
        if not self.api_key:
            self.key_required.emit("")
            return False
        if self.model_for(conversation) is None:
            self.notice.emit(self.tr("No model is available. Check your connection and key."))
            return False
        if conversation.last_reply is not None and conversation.last_reply.state == ReplyState.FAILED:
            if not conversation.last_reply.content:
                self._remove(conversation, conversation.last_reply)
                if conversation.messages and conversation.messages[-1].is_continue_prompt:
                    self._remove(conversation, conversation.messages[-1])  # nothing came of it
        message = conversation.add_user_message(text, self.attachments.take_blocks())
        self.conversations_changed.emit()
        self._start_reply(conversation, save_first=True,
                          announce=lambda: self.message_added.emit(conversation.id, message))
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
                self.path_changed.emit(conversation.id)
            elif target is conversation.last_reply:
                self._remove(conversation, target)
            else:
                return False
        elif message_id is not None:
            return False
        if not conversation.messages or conversation.messages[-1].role != "user":
            return False
        self._start_reply(conversation, save_first=True)
        return True

    def edit_message(self, message_id: str, text: str) -> bool:
        """Send an edited copy of a user message; the original and what followed it stay in
        a branch the user can flip back to."""
        conversation = self._ready_conversation()
        if conversation is None or conversation.id in self.read_only:
            return False
        try:
            conversation.edit_user_message(message_id, text)
        except (KeyError, ValueError):
            return False
        self.conversations_changed.emit()
        self._start_reply(conversation, save_first=True,
                          announce=lambda: self.path_changed.emit(conversation.id))
        return True

    async def switch_branch(self, message_id: str, step: int) -> bool:
        """Show the previous (-1) or next (+1) alternative of a message and save the choice."""
        conversation = self.current
        if conversation is None or self.is_busy(conversation):
            return False
        if not conversation.switch_branch(message_id, step):
            return False
        self.path_changed.emit(conversation.id)
        await self._save_if_started(conversation)
        return True

    def _ready_conversation(self) -> Conversation | None:
        """The current conversation if a new request may start in it (asks for a key if
        there is none)."""
        conversation = self.current
        if not self.api_key:
            self.key_required.emit("")
            return None
        if conversation is None or self.is_busy(conversation):
            return None
        return conversation

    def stop(self) -> None:
        """End the current conversation's reply; what arrived is kept, marked as stopped."""
        if self.current is not None:
            task = self._replies.get(self.current.id)
            if task is not None:
                task.cancel()

    def _remove(self, conversation: Conversation, message: Message) -> None:
        conversation.remove(message.id)
        self.message_removed.emit(conversation.id, message.id)

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
            self._start_reply(conversation, save_first=False, extend=reply)
            return True
        if reply.stop_reason != "max_tokens":
            return False
        prompt = conversation.add_continue_request()

        def announce() -> None:
            self.message_added.emit(conversation.id, prompt)
            self.message_changed.emit(conversation.id, reply.id)  # no longer "cut short"

        self._start_reply(conversation, save_first=True, announce=announce)
        return True

    def _start_reply(
        self,
        conversation: Conversation,
        *,
        save_first: bool,
        extend: Message | None = None,
        announce: Callable[[], None] | None = None,
    ) -> None:
        """Start the reply task. ``announce`` shows the user's new words once they are saved,
        so whatever the window shows as sent is on disk, even if the app is killed."""
        task = asyncio.ensure_future(
            self._reply(conversation, save_first=save_first, extend=extend, announce=announce)
        )
        self._replies[conversation.id] = task
        self.busy_changed.emit(conversation.id, True)

        def finished(_: asyncio.Task[None]) -> None:
            if self._replies.get(conversation.id) is task:
                del self._replies[conversation.id]
            self.busy_changed.emit(conversation.id, False)

        task.add_done_callback(finished)

    async def settle(self) -> None:
        """Wait for background work (the model list) to finish, for tests and --smoke-test."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    async def wait_idle(self) -> None:
        """Wait until no reply is streaming (for tests and shutdown)."""
        while self._replies:
            await asyncio.gather(*self._replies.values(), return_exceptions=True)

    async def _with_attachments(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Stored attachments inlined as base64 (read on the disk thread); Cairn's own notes
        on blocks removed, so the API sees only its own shape.

        An image is sent exactly as it was stored, every time: re-encoding one already sent
        would change what came before later replies' thinking (and miss the cache), so a
        request the API would refuse for its images is refused here, in words.
        """
        self._check_image_limits(messages)
        if not any("cairn" in b or is_stored_attachment(b) for m in messages for b in m["content"]):
            return messages
        load = self.services.attachments.load

        def resolve() -> list[dict[str, Any]]:
            return [
                {**m, "content": [resolve_attachment_block(b, load) for b in m["content"]]}
                for m in messages
            ]

        try:
            resolved = await self.services.on_disk(resolve)
        except (OSError, ValueError, ImageError) as exc:
            raise ReplyFailed(ErrorInfo(
                "attachment_missing",
                self.tr("An attachment of this conversation could not be read ({error}).").format(
                    error=exc),
                retryable=False,
            )) from exc
        size = sum(
            len(b["source"].get("data", "")) for m in resolved for b in m["content"]
            if isinstance(b.get("source"), dict)
        )
        if size > MAX_REQUEST_BYTES:
            raise ReplyFailed(ErrorInfo(
                "too_large",
                self.tr(
                    "The attachments in this conversation add up to {size} MB; "
                    "a request may be at most 32 MB. Start a new conversation for more files."
                ).format(size=f"{size / 1_000_000:.0f}"),
                retryable=False,
            ))
        return resolved

    def _check_image_limits(self, messages: list[dict[str, Any]]) -> None:
        """At most 100 images in a request (links count too); with more than 20, none larger
        than 2000 px on a side."""
        images = [b for m in messages for b in m["content"] if b.get("type") == "image"]
        if len(images) > MAX_IMAGES_PER_REQUEST:
            raise ReplyFailed(ErrorInfo(
                "too_many_images",
                self.tr(
                    "This conversation holds {count} images; the API takes at most "
                    "{limit} in one request. Start a new conversation."
                ).format(count=len(images), limit=MAX_IMAGES_PER_REQUEST),
                retryable=False,
            ))
        if len(images) <= MANY_IMAGES:
            return
        large = sum(1 for b in images if _image_edge(b) > MANY_IMAGES_MAX_EDGE)
        if large:
            raise ReplyFailed(ErrorInfo(
                "too_many_images",
                self.tr(
                    "This conversation holds {count} images and {large} of them are larger "
                    "than {edge} px; the API takes more than {many} images in one request only "
                    "when each is at most {edge} px. Start a new conversation to send more."
                ).format(count=len(images), large=large, edge=MANY_IMAGES_MAX_EDGE,
                         many=MANY_IMAGES),
                retryable=False,
            ))

    def image_edge_limit(self) -> int:
        """The size a picture attached now is prepared at: the models' standard size, or full
        size; within 2000 px once the conversation holds enough images that the API asks for
        it (an image is never prepared again once sent)."""
        full = self.settings.full_resolution_images
        edge = API_MAX_EDGE if full else DEFAULT_MAX_EDGE
        conversation = self.current
        if conversation is not None:
            held = sum(1 for m in conversation.messages for b in m.content
                       if b.get("type") == "image")
            if held + len(self.attachments.items) >= MANY_IMAGES:
                edge = min(edge, MANY_IMAGES_MAX_EDGE)
        return edge

    def model_accepts(self, kind: str) -> bool:
        """Whether the current model takes "image" or "pdf" input (unknown models: assume so)."""
        model = self.model_for(self.current) if self.current else None
        if model is None or model.builtin:
            return True
        return model.supports("image_input" if kind == "image" else "pdf_input")

    def options_for(self, conversation: Conversation) -> ChatOptions:
        """The conversation's options: its own choices over the global defaults."""
        return effective_options(self.settings.chat_options(), conversation)

    def _plan(self, conversation: Conversation, model: ModelInfo, **how: bool) -> RequestPlan:
        return build_request(
            conversation,
            self.options_for(conversation),
            model,
            stop_sequences=self.settings.stop_sequences,
            **how,
        )

    async def _reply(
        self,
        conversation: Conversation,
        *,
        save_first: bool,
        extend: Message | None = None,
        announce: Callable[[], None] | None = None,
    ) -> None:
        """Ask for a reply (``extend``: resume that paused reply) and fold it into the
        conversation; every way it can end is saved and shown."""
        if save_first:
            await self.save(conversation)  # the user's words are on disk before we ask
        if announce is not None:
            announce()
        await self._wait_for_model_list(conversation)
        model = self.model_for(conversation)
        assert model is not None
        conversation.model = model.id
        paused = extend is not None
        try:
            plan = self._plan(conversation, model, resume_paused=paused)
        except RequestError as exc:
            self.notice.emit(str(exc))
            return
        if extend is None:
            reply = conversation.start_reply(model.id)
            self.message_added.emit(conversation.id, reply)
        else:
            reply = extend
            reply.state, reply.error, reply.stop_reason = ReplyState.STREAMING, None, None
            self.message_changed.emit(conversation.id, reply.id)
        reply.system_digest = plan.system_digest
        self._status(conversation, self.tr("{model} · Connecting…").format(model=model.display_name))
        try:
            client = self._get_client()
            if client is None:
                raise ReplyFailed(
                    ErrorInfo("no_key", self.tr("Enter an API key first."), needs_key=True))
            try:
                await self._stream_rounds(conversation, reply, client, plan, model)
            except ReplyFailed as failure:
                replacement = await self._replacement_model(conversation, reply, model, failure)
                if replacement is None:
                    raise
                model, reply.model = replacement, replacement.id
                plan = self._plan(conversation, model, resume_paused=paused)
                await self._stream_rounds(conversation, reply, client, plan, model)
        except asyncio.CancelledError:
            reply.state = ReplyState.STOPPED
            reply.finished_at = now_iso()
            self._status(conversation, self.tr("Stopped"))
            await self._finish(conversation, reply)
            raise
        except ReplyFailed as failure:
            reply.state = ReplyState.FAILED
            reply.error = failure.info
            reply.finished_at = now_iso()
            self._status(conversation, self.tr("Error: {message}").format(
                message=failure.info.message))
            if failure.info.needs_key:
                self.key_required.emit(failure.info.message)
        except Exception as exc:  # a fault of Cairn's own: the reply must not stay "arriving"
            log.exception("reply failed unexpectedly")
            reply.state = ReplyState.FAILED
            reply.error = describe_error(exc)
            reply.finished_at = now_iso()
            self._status(conversation, self.tr("Error: {message}").format(
                message=reply.error.message))
        else:
            if reply.stop_reason == "refusal":
                # While the refused exchange is in the history the API refuses every later
                # turn too: it stays visible but is not sent again.
                for message in conversation.exclude_refused(reply):
                    self.message_changed.emit(conversation.id, message.id)
            self._status(conversation, self.tr("Done · {usage}").format(
                usage=self.describe_usage(reply)))
        await self._finish(conversation, reply)

    async def _stream_rounds(
        self,
        conversation: Conversation,
        reply: Message,
        client: anthropic.AsyncAnthropic,
        plan: RequestPlan,
        model: ModelInfo,
    ) -> None:
        """Stream the reply; a paused turn (long server-side work) is resumed by sending it
        back as it is, a few times at most."""
        for _round in range(1 + _MAX_PAUSE_RESUMES):
            await self._stream_into(conversation, reply, client, plan, model)
            if reply.stop_reason != "pause_turn":
                return
            plan = self._plan(conversation, model, resume_paused=True)

    def _has_model_list(self) -> bool:
        """Whether the models come from the API (now or cached), not the built-in guesses."""
        return any(not m.builtin for m in self.catalog.models)

    async def _wait_for_model_list(self, conversation: Conversation) -> None:
        """On a first start nothing is cached yet and the built-in ids are guesses: before a
        message goes out, wait (briefly, saying so) for the account's own list."""
        if self._has_model_list() or self._get_client() is None:
            return
        self._status(conversation, self.tr("Getting the list of models…"))
        task = self._models_refresh
        if task is None or task.done():
            task = self._models_refresh = self._spawn(self.refresh_models())
        try:
            await asyncio.wait_for(asyncio.shield(task), MODEL_LIST_WAIT_SECONDS)
        except TimeoutError:
            log.info("model list still not here; sending with the built-in list")

    async def _replacement_model(
        self, conversation: Conversation, reply: Message, model: ModelInfo, failure: ReplyFailed
    ) -> ModelInfo | None:
        """A model the user did not pick was not found (a built-in guess, a gateway with a
        list of its own): the account's real default, to send once more with (None: give up)."""
        if (failure.info.kind != "not_found" or reply.content or conversation.model_chosen
                or model.id == self.settings.default_model):
            return None
        await self.refresh_models()
        replacement = self.catalog.default_model()
        if replacement is None or replacement.id == model.id:
            return None
        log.info("model %s not found; using the account's default instead", model.id)
        conversation.model = replacement.id
        self.catalog_changed.emit()
        return replacement

    async def _stream_into(
        self,
        conversation: Conversation,
        reply: Message,
        client: anthropic.AsyncAnthropic,
        plan: RequestPlan,
        model: ModelInfo,
    ) -> None:
        plan.kwargs["messages"] = await self._with_attachments(plan.kwargs["messages"])
        from desktop_app.api.reply_stream import stream_reply

        assembler = ReplyAssembler(reply)
        reply.state = ReplyState.STREAMING
        last_save = time.monotonic()
        streaming = False
        last_changed = last_yield = 0.0
        # Closed here, in this task, however the loop ends: on Stop the connection is shut
        # at once, not whenever the abandoned generator is collected (from another task,
        # which the HTTP library refuses with errors in the log).
        async with contextlib.aclosing(
                stream_reply(client, plan.kwargs, beta=plan.beta)) as events:
            async for event in events:
                assembler.apply(event)
                if not streaming:
                    streaming = True
                    self._status(conversation, self.tr("{model} · Streaming…").format(
                        model=model.display_name))
                # The view repaints at most 30 times a second, so telling it about each of
                # thousands of small deltas only costs time; block starts and ends count.
                now = time.monotonic()
                if (now - last_changed >= _CHANGED_EVERY_SECONDS
                        or not isinstance(event, BlockDelta)):
                    last_changed = now
                    self.message_changed.emit(conversation.id, reply.id)
                if now - last_save > _SAVE_EVERY_SECONDS:
                    last_save = time.monotonic()
                    await self.save(conversation)
                elif now - last_yield > _YIELD_EVERY_SECONDS:
                    # Deltas already buffered are read without returning to the event loop;
                    # give the window its turn (repaints, input, Stop) at least this often.
                    # Stop cancels this task, which takes effect at this await.
                    await asyncio.sleep(0)
                    last_yield = time.monotonic()

    async def _finish(self, conversation: Conversation, reply: Message) -> None:
        conversation.touch()
        self.message_changed.emit(conversation.id, reply.id)
        self.conversations_changed.emit()
        await asyncio.shield(self.save(conversation))
        if reply.state == ReplyState.COMPLETE and self._wants_title(conversation):
            self._titling.add(conversation.id)  # kept open until the title is saved
            task = self._spawn(self.generate_title(conversation))
            task.add_done_callback(lambda _: self._titling.discard(conversation.id))

    # -- titles ------------------------------------------------------------------------------------

    def _wants_title(self, conversation: Conversation) -> bool:
        """After the first complete reply, unless turned off, renamed, or asked already."""
        return (
            self.settings.generate_titles
            and conversation.id not in self.read_only
            and conversation.title_is_automatic
            and not any(u.get("purpose") == "title" for u in conversation.auxiliary_usage)
            and sum(1 for m in conversation.messages if m.role == "assistant" and m.text) == 1
        )

    def title_model(self, conversation: Conversation) -> ModelInfo | None:
        """The cheapest priced model the key can use (titles need no big model), preferring
        one whose thinking can be turned off (a title needs none); else the conversation's
        own."""
        from desktop_app.core.titles import can_title_without_thinking

        prices = self.services.prices
        priced = [(p.output, m) for m in self.catalog.models if (p := prices.price(m.id))]
        plain = [(cost, m) for cost, m in priced if can_title_without_thinking(m)]
        for group in (plain, priced):
            if group:
                return min(group, key=lambda pair: pair[0])[1]
        return self.model_for(conversation)

    async def generate_title(self, conversation: Conversation) -> None:
        """Name the conversation with one small request; its cost joins the conversation's."""
        from desktop_app.api.titles import request_title

        client, model = self._get_client(), self.title_model(conversation)
        question = next((m.text for m in conversation.messages if m.role == "user"), "")
        answer = next((m.text for m in conversation.messages if m.role == "assistant"), "")
        if client is None or model is None or not question.strip():
            return
        try:
            title, usage = await request_title(client, model, question, answer)
        except _api_error() as exc:
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
        self.conversations_changed.emit()
        if conversation.id in self.conversations:
            await self.save(conversation)

    def _status(self, conversation: Conversation, text: str) -> None:
        if conversation is self.current:
            self.status_changed.emit(text)

    # -- figures -----------------------------------------------------------------------------------

    def attachment_path(self, sha256: str) -> Path | None:
        """Where a stored attachment is (None if it is missing or the hash is malformed)."""
        try:
            return self.services.attachments.path_for(sha256)
        except ValueError:
            return None

    def model_name(self, model_id: str) -> str:
        model = self.catalog.get(model_id)
        return model.display_name if model else model_id

    def cost_of_message(self, message: Message) -> float | None:
        """What the message's requests were billed (compaction and long-context tiers
        included); None if its model has no known price."""
        from desktop_app.core.cost import cost_of_usage

        return cost_of_usage(message.usage, self.services.prices.price(message.model))

    def describe_usage(self, message: Message) -> str:
        from desktop_app.core.cost import long_context_requests

        tokens = TokenCounts.from_usage(message.usage)
        parts = [
            self.tr("{tokens} in").format(tokens=format_tokens(tokens.total_input)),
            self.tr("{tokens} out").format(tokens=format_tokens(tokens.output)),
        ]
        written = tokens.cache_write_5m + tokens.cache_write_1h
        if written:
            parts.append(self.tr("{tokens} cache write").format(tokens=format_tokens(written)))
        if tokens.cache_read:
            parts.append(self.tr("{tokens} cache read").format(
                tokens=format_tokens(tokens.cache_read)))
        if tokens.compaction_input or tokens.compaction_output:
            parts.append(self.tr("incl. compaction {tokens_in} in / {tokens_out} out").format(
                tokens_in=format_tokens(tokens.compaction_input),
                tokens_out=format_tokens(tokens.compaction_output)))
        if long_context_requests(message.usage, self.services.prices.price(message.model)):
            parts.append(self.tr("long-context rate"))
        cost = self.cost_of_message(message)
        parts.append(format_dollars(cost) if cost is not None else self.tr("price unknown"))
        return " · ".join(parts)

    def conversation_tokens(self, conversation: Conversation) -> TokenCounts:
        total = TokenCounts()
        for _model, usage in _billed(conversation):
            total = total + TokenCounts.from_usage(usage)
        return total

    def describe_conversation_cost(self, conversation: Conversation) -> str:
        """The header's tooltip: tokens by kind (compaction's share), requests charged at a
        long-context rate, the cache hit rate and what caching saved."""
        from desktop_app.core.cost import long_context_requests

        tokens = self.conversation_tokens(conversation)
        lines = [
            self.tr("Input: {count:,} tokens").format(count=tokens.input),
            self.tr("Output: {count:,} tokens").format(count=tokens.output),
            self.tr("Cache writes: {count:,} tokens").format(
                count=tokens.cache_write_5m + tokens.cache_write_1h),
            self.tr("Cache reads: {count:,} tokens").format(count=tokens.cache_read),
        ]
        if tokens.compaction_input or tokens.compaction_output:
            lines.append(self.tr(
                "Compaction (included above): {count_in:,} tokens in, {count_out:,} out"
            ).format(count_in=tokens.compaction_input, count_out=tokens.compaction_output))
        prices = self.services.prices
        long = sum(long_context_requests(usage, prices.price(model))
                   for model, usage in _billed(conversation))
        if long:
            lines.append(self.tr("Requests at the long-context rate: {count}").format(count=long))
        rate = tokens.cache_hit_rate
        if rate is not None:
            lines.append(self.tr("Cache hit rate: {rate:.0%}").format(rate=rate))
        saved = self.caching_savings(conversation)
        if saved is not None and (tokens.cache_read or tokens.cache_write_5m or tokens.cache_write_1h):
            amount = format_dollars(abs(saved))
            lines.append(self.tr("Caching saved {amount}").format(amount=amount) if saved >= 0
                         else self.tr("Caching cost an extra {amount}").format(amount=amount))
        return "\n".join(lines)

    def caching_savings(self, conversation: Conversation) -> float | None:
        """Dollars caching saved versus sending every input token at the plain input price of
        the same tier (negative while cache writes have cost more than reads saved); None if
        unpriced."""
        from desktop_app.core.cost import caching_saved

        saved = 0.0
        for model, usage in _billed(conversation):
            amount = caching_saved(usage, self.services.prices.price(model))
            if amount is None:
                return None
            saved += amount
        return saved

    def conversation_cost(self, conversation: Conversation) -> float | None:
        """The sum over replies, those on set-aside branches included (they were paid for);
        None if any reply's model has no known price."""
        from desktop_app.core.cost import cost_of_usage

        total = 0.0
        for model, usage in _billed(conversation):
            cost = cost_of_usage(usage, self.services.prices.price(model))
            if cost is None:
                return None
            total += cost
        return total

    # -- tasks ---------------------------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        task.add_done_callback(_log_failure)
        return task


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` characters of a text from a file (a notice stays a few lines)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _image_edge(block: dict[str, Any]) -> int:
    """The longer side of a stored image, in pixels (0: not known, such as a link)."""
    notes = block.get("cairn") or {}
    edges = [notes.get("width"), notes.get("height")]
    return max((e for e in edges if isinstance(e, int)), default=0)


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background task failed", exc_info=task.exception())


def _billed(conversation: Conversation) -> list[tuple[str | None, dict[str, Any]]]:
    """(model, usage) of every request the conversation paid for: replies on every branch and
    side requests such as its generated title."""
    found: list[tuple[str | None, dict[str, Any]]] = [
        (m.model, m.usage) for m in conversation.all_messages()
        if m.role == "assistant" and m.usage
    ]
    found += [(u.get("model"), u["usage"]) for u in conversation.auxiliary_usage]
    return found

