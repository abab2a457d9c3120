"""The reply task of a conversation: ask, stream the answer into its message as it arrives, and
save it however it ends (complete, stopped, failed), so it can be retried or continued.

Claude's own tools add three things here: a paused turn (``pause_turn``) is resumed a few
times by itself (never ending on a call without its result), a server tool version a model
refuses is stepped down, and the code execution container is kept between turns."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktop_app.api.errors import ReplyFailed, describe_error
from desktop_app.core.catalog import ModelInfo
from desktop_app.core.containers import (
    container_for_request,
    forget_container,
    refused_container,
    remember_container,
)
from desktop_app.core.conversation import Conversation, ErrorInfo, Message, ReplyState, now_iso
from desktop_app.core.reply import BlockDelta, ReplyAssembler, ReplyDelta
from desktop_app.core.request import RequestError, RequestPlan
from desktop_app.core.server_calls import drop_unanswered_server_calls
from desktop_app.core.tool_specs import ToolSpec
from desktop_app.ui.lib.owned_tasks import OwnedTasks
from desktop_app.ui.session.account import Account
from desktop_app.ui.session.conversation_cache import ConversationCache
from desktop_app.ui.session.conversation_saver import ConversationSaver
from desktop_app.ui.session.cost_text import CostText
from desktop_app.ui.session.error_text import error_sentence
from desktop_app.ui.session.model_catalog import ModelCatalog
from desktop_app.ui.session.request_planner import RequestPlanner
from desktop_app.ui.session.session_events import SessionEvents
from desktop_app.ui.session.title_generator import TitleGenerator
from desktop_app.ui.session.tool_rounds import ToolRounds

if TYPE_CHECKING:
    import anthropic

log = logging.getLogger(__name__)

_SAVE_EVERY_SECONDS = 2.0  # while a reply streams, what has arrived is saved this often
_CHANGED_EVERY_SECONDS = 0.015  # message_changed at most this often while text streams in
_YIELD_EVERY_SECONDS = 0.005  # reading buffered deltas gives the window its turn this often
MODEL_LIST_WAIT_SECONDS = 10.0  # a first message waits this long at most for the model list


class _Turn:
    """The reply being written now (a new message each round of tool use) and the tools
    offered for the whole turn (by their API names)."""

    def __init__(self, offered: dict[str, ToolSpec]) -> None:
        self.offered = offered
        self.reply = Message(role="assistant", content=[])
        self.container_refused = False  # the API refused the kept container once already


class ReplyRunner(QObject):
    """Runs at most one reply per conversation, each an owned task keyed by its id.

    Signals:
        None of its own; emits ``busy_changed``, ``message_added``, ``message_changed``,
        ``status_changed`` (for the shown conversation), ``key_required``, ``notice`` and
        ``conversations_changed`` on the session's events.

    Attributes:
        tasks: the reply tasks, keyed by conversation id.
    """

    def __init__(
        self,
        events: SessionEvents,
        *,
        cache: ConversationCache,
        saver: ConversationSaver,
        models: ModelCatalog,
        account: Account,
        planner: RequestPlanner,
        titles: TitleGenerator,
        costs: CostText,
        tools: ToolRounds,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.events = events
        self.cache = cache
        self.saver = saver
        self.models = models
        self.account = account
        self.planner = planner
        self.titles = titles
        self.costs = costs
        self.tools = tools
        self.tasks = OwnedTasks()

    def is_replying(self, conversation_id: str) -> bool:
        return self.tasks.get(conversation_id) is not None

    def task_for(self, conversation_id: str) -> asyncio.Task[None] | None:
        """The conversation's reply task, while it runs."""
        return self.tasks.get(conversation_id)

    def stop(self, conversation_id: str) -> None:
        """End the conversation's reply; what arrived is kept, marked as stopped."""
        task = self.tasks.get(conversation_id)
        if task is not None:
            task.cancel()

    async def wait_idle(self) -> None:
        """Wait until no reply is streaming (for tests and shutdown)."""
        await self.tasks.wait()

    def start(
        self,
        conversation: Conversation,
        *,
        save_first: bool,
        extend: Message | None = None,
        announce: Callable[[], None] | None = None,
        run_tools: Message | None = None,
    ) -> None:
        """Start the reply task. ``announce`` shows the user's new words once they are saved,
        so whatever the window shows as sent is on disk, even if the app is killed.
        ``run_tools``: the last reply, whose tool calls the round limit left waiting; they
        are run (approved first) before the reply goes on."""
        conversation_id = conversation.id
        self.tasks.spawn(
            self._reply(conversation, save_first=save_first, extend=extend, announce=announce,
                        run_tools=run_tools),
            key=conversation_id,
            on_done=lambda _task: self.events.busy_changed.emit(conversation_id, False),
        )
        self.events.busy_changed.emit(conversation_id, True)

    async def _reply(
        self,
        conversation: Conversation,
        *,
        save_first: bool,
        extend: Message | None = None,
        announce: Callable[[], None] | None = None,
        run_tools: Message | None = None,
    ) -> None:
        """Ask for a reply (``extend``: resume that paused reply; ``run_tools``: answer that
        reply's tool calls first) and fold it into the conversation, round after round while
        Claude calls tools; every way it can end is saved and shown."""
        if save_first:
            await self.saver.save(conversation)  # the user's words are on disk before we ask
        if announce is not None:
            announce()
        await self._wait_for_model_list(conversation)
        model = self.models.model_for(conversation)
        assert model is not None
        conversation.model = model.id
        paused = extend is not None
        if extend is not None:
            self._drop_dangling_calls(conversation, extend)
        self._check_container(conversation)
        if self.tools.waits_for_servers(conversation):  # up to a few seconds: say why
            self._status(conversation, self.tr("Starting tool servers…"))
        offered = await self.tools.offered(conversation)
        turn = _Turn(offered)
        plan: RequestPlan | None = None
        if run_tools is None:  # (else the request is planned once the calls are answered)
            try:
                plan = self.planner.plan(conversation, model, tools=offered, resume_paused=paused)
            except RequestError as exc:
                self.events.notice.emit(str(exc))
                return
        if run_tools is not None:
            turn.reply = run_tools
        elif extend is None:
            turn.reply = conversation.start_reply(model.id)
            self.events.message_added.emit(conversation.id, turn.reply)
        else:
            turn.reply = extend
            extend.state, extend.error, extend.stop_reason = ReplyState.STREAMING, None, None
            self.events.message_changed.emit(conversation.id, extend.id)
        if plan is not None:
            turn.reply.system_digest = plan.system_digest
        self._status(conversation, self.tr("{model} · Connecting…").format(
            model=model.display_name))
        try:
            client = self.account.client()
            if client is None:
                raise ReplyFailed(
                    ErrorInfo("no_key", self.tr("Enter an API key first."), needs_key=True))
            if plan is None:
                plan = await self._next_round(conversation, turn, model)
            try:
                await self._stream_recovering(conversation, turn, client, plan, model)
            except ReplyFailed as failure:
                replacement = await self.models.replacement_for(
                    conversation, turn.reply, model, failure)
                if replacement is None:
                    raise
                model, turn.reply.model = replacement, replacement.id
                plan = self.planner.plan(conversation, model, tools=offered, resume_paused=paused)
                await self._stream_recovering(conversation, turn, client, plan, model)
        except asyncio.CancelledError:
            reply = turn.reply
            reply.state = ReplyState.STOPPED  # (a round whose tools were stopped, too)
            reply.finished_at = now_iso()
            self._status(conversation, self.tr("Stopped"))
            await self._finish(conversation, reply)
            raise
        except ReplyFailed as failure:
            reply = turn.reply
            reply.state = ReplyState.FAILED
            reply.error = failure.info
            reply.finished_at = now_iso()
            self._status(conversation, self.tr("Error: {message}").format(
                message=error_sentence(failure.info)))
            if failure.info.needs_key:
                self.events.key_required.emit(error_sentence(failure.info))
        except Exception as exc:  # a fault of Cairn's own: the reply must not stay "arriving"
            log.exception("reply failed unexpectedly")
            reply = turn.reply
            reply.state = ReplyState.FAILED
            reply.error = describe_error(exc)
            reply.finished_at = now_iso()
            self._status(conversation, self.tr("Error: {message}").format(
                message=error_sentence(reply.error)))
        else:
            reply = turn.reply
            if reply.stop_reason == "refusal":
                # While the refused exchange is in the history the API refuses every later
                # turn too: it stays visible but is not sent again.
                for message in conversation.exclude_refused(reply):
                    self.events.message_changed.emit(conversation.id, message.id)
            self._status(conversation, self.tr("Done · {usage}").format(
                usage=self.costs.describe_usage(reply)))
        await self._finish(conversation, turn.reply)

    async def _wait_for_model_list(self, conversation: Conversation) -> None:
        """On a first start nothing is cached yet and the built-in ids are guesses: before a
        message goes out, wait (briefly, saying so) for the account's own list."""
        if self.models.has_api_list() or self.account.client() is None:
            return
        self._status(conversation, self.tr("Getting the list of models…"))
        try:
            await asyncio.wait_for(asyncio.shield(self.models.refreshing()),
                                   MODEL_LIST_WAIT_SECONDS)
        except TimeoutError:
            log.info("model list still not here; sending with the built-in list")

    async def _stream_recovering(
        self,
        conversation: Conversation,
        turn: _Turn,
        client: anthropic.AsyncAnthropic,
        plan: RequestPlan,
        model: ModelInfo,
    ) -> None:
        """``_stream_rounds``, asking again when the API refused something Cairn can do
        without: a server tool version the model does not take (the next older one is
        tried, and remembered for the model) or a container that is gone (once, fresh)."""
        while True:
            try:
                await self._stream_rounds(conversation, turn, client, plan, model)
                return
            except ReplyFailed as failure:
                sent_tools = plan.kwargs.get("tools") or []
                container = plan.kwargs.get("container")
                if self.planner.versions.fall_back(model.id, failure.info, sent_tools):
                    pass
                elif (not turn.container_refused and container and refused_container(
                        f"{failure.info.facts.get('detail', '')} {failure.info.message}",
                        container)):
                    turn.container_refused = True
                    forget_container(conversation.extra)
                    log.info("container %s refused; starting a fresh one", container)
                    self.events.notice.emit(self.tr(
                        "The code execution sandbox of this conversation is no longer "
                        "available, so Claude starts in a fresh one: files made there "
                        "earlier are gone."))
                else:
                    raise
                # The request was refused before anything streamed: ask again, the same turn.
                plan = self.planner.plan(conversation, model, tools=turn.offered,
                                         resume_paused=bool(turn.reply.content))
                turn.reply.system_digest = plan.system_digest

    def _check_container(self, conversation: Conversation) -> None:
        """Forget a kept container that has expired, and say so (its files are gone)."""
        _container, expired = container_for_request(conversation.extra, datetime.now(UTC))
        if expired:
            self.events.notice.emit(self.tr(
                "The code execution sandbox of this conversation has expired, so files made "
                "there are gone; Claude starts in a fresh one."))

    def _drop_dangling_calls(self, conversation: Conversation, reply: Message) -> None:
        """A paused reply may end on a call of Claude's own tools without its result, which
        the API refuses when the turn is sent back: drop it (Claude makes it again)."""
        dropped = drop_unanswered_server_calls(reply.content)
        if dropped:
            log.info("resuming a paused turn without its unanswered server tool calls: %s",
                     ", ".join(dropped))
            self.events.message_changed.emit(conversation.id, reply.id)

    async def _stream_rounds(
        self,
        conversation: Conversation,
        turn: _Turn,
        client: anthropic.AsyncAnthropic,
        plan: RequestPlan,
        model: ModelInfo,
    ) -> None:
        """Stream the reply; a paused turn (long server-side work) is resumed by sending it
        back as it is, a few times at most; tool calls are answered and the reply goes on in
        a new message, up to the rounds a turn may take (then it stops, with Continue)."""
        rounds = 0
        resumes = self.tools.services.settings.pause_resumes
        while True:
            for _round in range(1 + resumes):
                await self._stream_into(conversation, turn.reply, client, plan, model)
                if turn.reply.stop_reason != "pause_turn":
                    break
                if _round == resumes:
                    break  # the reply waits, with Continue (its card says why)
                self._drop_dangling_calls(conversation, turn.reply)
                await self.saver.save(conversation)
                plan = self.planner.plan(conversation, model, tools=turn.offered,
                                         resume_paused=True)
            if turn.reply.stop_reason != "tool_use":
                return
            rounds += 1
            if rounds >= self.tools.services.settings.tool_rounds_per_turn:
                self._end_round(conversation, turn.reply)
                return  # the calls wait: the reply's card offers Continue
            plan = await self._next_round(conversation, turn, model)

    async def _next_round(self, conversation: Conversation, turn: _Turn,
                          model: ModelInfo) -> RequestPlan:
        """Answer the reply's tool calls (saved), then a new reply goes on from them."""
        self._end_round(conversation, turn.reply)
        await self.saver.save(conversation)  # the calls are on disk before any runs
        self._status(conversation, self.tr("{model} · Using tools…").format(
            model=model.display_name))
        await self.tools.answer(conversation, turn.reply, turn.offered)
        await self.saver.save(conversation)  # every result on disk before the next request
        reply = conversation.start_reply(model.id)
        turn.reply = reply
        self.events.message_added.emit(conversation.id, reply)
        plan = self.planner.plan(conversation, model, tools=turn.offered)
        reply.system_digest = plan.system_digest
        return plan

    def _end_round(self, conversation: Conversation, reply: Message) -> None:
        if reply.state == ReplyState.STREAMING:
            reply.state = ReplyState.COMPLETE
        reply.finished_at = reply.finished_at or now_iso()
        self.events.message_changed.emit(conversation.id, reply.id)

    async def _stream_into(
        self,
        conversation: Conversation,
        reply: Message,
        client: anthropic.AsyncAnthropic,
        plan: RequestPlan,
        model: ModelInfo,
    ) -> None:
        plan.kwargs["messages"] = await self.planner.with_attachments(plan.kwargs["messages"])
        if plan.dropped_server_calls:
            log.info("left out server tool calls without a result: %s",
                     ", ".join(plan.dropped_server_calls))
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
                if isinstance(event, ReplyDelta) and remember_container(
                        conversation.extra, event.container):
                    log.info("code execution container %s kept",
                             conversation.extra["container"]["id"])
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
                    self.events.message_changed.emit(conversation.id, reply.id)
                if now - last_save > _SAVE_EVERY_SECONDS:
                    last_save = time.monotonic()
                    await self.saver.save(conversation)
                elif now - last_yield > _YIELD_EVERY_SECONDS:
                    # Deltas already buffered are read without returning to the event loop;
                    # give the window its turn (repaints, input, Stop) at least this often.
                    # Stop cancels this task, which takes effect at this await.
                    await asyncio.sleep(0)
                    last_yield = time.monotonic()

    async def _finish(self, conversation: Conversation, reply: Message) -> None:
        conversation.touch()
        self.events.message_changed.emit(conversation.id, reply.id)
        self.events.conversations_changed.emit()
        await asyncio.shield(self.saver.save(conversation))
        self.titles.after_reply(conversation, reply)

    def _status(self, conversation: Conversation, text: str) -> None:
        if conversation is self.cache.current:
            self.events.status_changed.emit(text)
