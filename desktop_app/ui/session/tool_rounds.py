"""One round of tool use: a reply that stopped with ``tool_use`` gets its calls approved, run
and answered, in one user turn of ``tool_result`` blocks, saved before the next request.

Every ``tool_use`` id is answered, whatever happens: a call the user denies, one that fails or
times out, one whose server is gone, and (when the reply is stopped or Cairn is closed
meanwhile) one that never finished, each gets an error result that says so. So the
conversation is always one the API accepts, and can go on.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
import time
from urllib.parse import urlsplit
from typing import Any

from PySide6.QtCore import QObject

from desktop_app.api.mcp_connection import ServerStatus
from desktop_app.core.conversation import Conversation, Message
from desktop_app.core.reply import unparsed_tool_input
from desktop_app.core.tool_approvals import ApprovalChoice, preapproved, tool_key
from desktop_app.core.tool_calls import (
    CallOutcome,
    CallRecord,
    failure_text,
    results_message_content,
    tool_uses,
    unanswered_tool_uses,
)
from desktop_app.core.tool_result_content import tool_result_content
from desktop_app.core.tool_selection import ToolSelection
from desktop_app.core.tool_specs import ToolSpec
from desktop_app.ui.lib.os_error_text import os_error_text
from desktop_app.ui.session.conversation_saver import ConversationSaver
from desktop_app.ui.session.services import Services
from desktop_app.ui.session.session_events import SessionEvents
from desktop_app.ui.session.tool_activity import LiveCall, ToolActivity
from desktop_app.ui.session.tool_servers import ToolServers

log = logging.getLogger(__name__)

SELECTION_OPTION = "tools"  # conversation.options: its own ToolSelection (JSON)
GRANTS_FIELD = "tool_grants"  # conversation.extra: tools allowed for this conversation
# A server's own limit on a call is the setting; this much longer, Cairn stops waiting anyway.
_GRACE_SECONDS = 5.0


class ToolRounds(QObject):
    """Approves, runs and answers the tool calls of replies.

    Signals:
        None of its own; live calls are on ``activity``; ``notice`` on the session's events.
    """

    def __init__(
        self,
        services: Services,
        events: SessionEvents,
        *,
        servers: ToolServers,
        activity: ToolActivity,
        saver: ConversationSaver,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.events = events
        self.servers = servers
        self.activity = activity
        self.saver = saver

    # -- what is offered -------------------------------------------------------------------------

    def selection(self, conversation: Conversation) -> ToolSelection:
        """The conversation's own choice of servers and tools, else the default in Settings."""
        own = conversation.options.get(SELECTION_OPTION)
        return ToolSelection.from_json(
            own if own is not None else self.services.settings.tools)

    def offered_now(self, conversation: Conversation) -> dict[str, ToolSpec]:
        """The tools the next request would offer of the servers ready now (for estimates:
        nothing is started)."""
        if not self.servers.configs:
            return {}
        return self.servers.tool_specs(self.selection(conversation))[0]

    def waits_for_servers(self, conversation: Conversation) -> bool:
        """Whether the next request must wait for a selected server that is not ready yet
        (starting, or to be started): the status line says so meanwhile."""
        return any(self.servers.state(config.id).status is not ServerStatus.READY
                   for config in self.servers.selected(self.selection(conversation)))

    async def offered(self, conversation: Conversation) -> dict[str, ToolSpec]:
        """The tools the next request offers, by their API names: those of the selected
        servers that are ready (started now if need be, waiting a little), less any whose
        definition the API would refuse. What is left out is said in a notice."""
        if not any(c.enabled for c in self.servers.configs):
            return {}
        selection = self.selection(conversation)
        not_ready = await self.servers.prepare(selection)
        offered, refused = self.servers.tool_specs(selection)
        if not_ready:
            self.events.notice.emit(self.tr(
                "These tool servers are not ready, so their tools are not offered in this "
                "reply: {servers}. Settings → MCP servers shows why.").format(
                    servers=", ".join(not_ready)))
        if refused:
            self.events.notice.emit(self.tr(
                "These tools have definitions the API would refuse, so they are not offered: "
                "{tools}.").format(tools=", ".join(refused)))
        return offered

    # -- approvals ------------------------------------------------------------------------------

    def grants(self, conversation: Conversation) -> list[str]:
        """The tools allowed for this conversation ("Allow for this conversation")."""
        found = conversation.extra.get(GRANTS_FIELD)
        return [g for g in found if isinstance(g, str)] if isinstance(found, list) else []

    async def _remember(self, conversation: Conversation, spec: ToolSpec,
                        choice: ApprovalChoice) -> None:
        """Keep a choice that outlives the call: in the conversation (saved with the round)
        or in the settings (saved now, so it holds after a restart whatever happens next)."""
        key = tool_key(spec.server_id, spec.tool)
        if choice == ApprovalChoice.CONVERSATION:
            grants = self.grants(conversation)
            if key not in grants:
                conversation.extra[GRANTS_FIELD] = [*grants, key]
        elif choice == ApprovalChoice.ALWAYS:
            settings = self.services.settings
            always = list(settings.tools_always_allowed or [])
            if key not in always:
                settings.tools_always_allowed = [*always, key]
                try:
                    await self.services.on_disk(self.services.settings_store.save, settings)
                except OSError as exc:
                    self.events.notice.emit(self.tr(
                        "“Always allow” could not be saved: {error}. It holds until Cairn "
                        "closes.").format(error=os_error_text(exc)))

    def _preapproved(self, conversation: Conversation, spec: ToolSpec) -> bool:
        settings = self.services.settings
        return preapproved(
            spec, always=settings.tools_always_allowed or [],
            conversation_grants=self.grants(conversation),
            auto_read_only=settings.tools_auto_approve_read_only)

    # -- one round ---------------------------------------------------------------------------------

    async def answer(self, conversation: Conversation, reply: Message,
                     offered: dict[str, ToolSpec]) -> Message:
        """Approve, run and answer every tool call of ``reply`` (the conversation's last
        message): the turn of results is appended (the runner saves it before the next
        request). When the reply is stopped meanwhile, the unfinished calls are answered as
        stopped and saved here, and the cancellation goes on."""
        calls = []
        for use in tool_uses(reply.content):
            spec = offered.get(str(use.get("name")))
            call = LiveCall(conversation.id, reply.id, str(use.get("id")), spec,
                            use.get("input"), where=self._where(spec))
            call.unreadable = unparsed_tool_input(use) is not None
            calls.append(call)
        records: dict[str, CallRecord] = {}
        for call in calls:
            self.activity.begin(call)
        try:
            approved = await self._approve(conversation, calls, records)
            await asyncio.gather(*(self._run(call, records) for call in approved))
            message = self._append(conversation, calls, records)
        except asyncio.CancelledError:
            self._answer_unfinished(conversation, calls, records, CallOutcome.CANCELLED)
            await asyncio.shield(self.saver.save(conversation))
            raise
        finally:  # (after the results are in the conversation: the rows show them at once)
            for call in calls:
                self.activity.end(call)
        return message

    def answer_dangling(self, conversation: Conversation) -> Message | None:
        """Calls of the last reply that were never answered (Cairn was closed or crashed
        during a round, or the round limit stopped the reply and the user wrote instead of
        Continue) are answered as not run, so the next request is valid."""
        if not conversation.messages or conversation.messages[-1].role != "assistant":
            return None
        ids = unanswered_tool_uses([m.to_json() for m in conversation.messages[-1:]])
        if not ids:
            return None
        reply = conversation.messages[-1]
        calls = [LiveCall(conversation.id, reply.id, str(u.get("id")), None, u.get("input"))
                 for u in tool_uses(reply.content) if str(u.get("id")) in ids]
        records: dict[str, CallRecord] = {}
        self._answer_unfinished(conversation, calls, records, CallOutcome.CANCELLED)
        return conversation.messages[-1]

    def _where(self, spec: ToolSpec | None) -> str:
        config = self.servers.config(spec.server_id) if spec is not None else None
        if config is None:
            return ""
        if config.url:
            return urlsplit(config.url).hostname or config.url
        return shlex.join([config.command, *config.args])

    async def _approve(self, conversation: Conversation, calls: list[LiveCall],
                       records: dict[str, CallRecord]) -> list[LiveCall]:
        """Ask for each call in turn (one card at a time, in Claude's order); the calls that
        may run. Unknown tools and denied calls are answered here."""
        approved = []
        for call in calls:
            spec = call.spec
            if call.unreadable:
                records[call.tool_use_id] = self._record(
                    call, CallOutcome.ERROR, 0.0, reason="its input was not a JSON object, so "
                    "it was not run")
                continue
            if spec is None:
                records[call.tool_use_id] = self._record(call, CallOutcome.UNAVAILABLE, 0.0)
                continue
            if not self._preapproved(conversation, spec):
                choice = await self.activity.ask(call)
                if choice == ApprovalChoice.DENY:
                    records[call.tool_use_id] = self._record(call, CallOutcome.DENIED, 0.0)
                    continue
                await self._remember(conversation, spec, choice)
            approved.append(call)
        return approved

    async def _run(self, call: LiveCall, records: dict[str, CallRecord]) -> None:
        spec = call.spec
        assert spec is not None
        timeout = self.services.settings.tool_timeout_seconds
        self.activity.running(call)
        started = time.monotonic()
        arguments = call.arguments if isinstance(call.arguments, dict) else {}
        try:
            result = await asyncio.wait_for(
                self.servers.call(spec, arguments, timeout), timeout + _GRACE_SECONDS)
        except TimeoutError:
            records[call.tool_use_id] = self._record(
                call, CallOutcome.TIMED_OUT, time.monotonic() - started, timeout=timeout)
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a failed call is answered, never lost
            kind = getattr(exc, "kind", "")
            outcome = CallOutcome.TIMED_OUT if kind == "timeout" else CallOutcome.ERROR
            log.info("tool %s failed: %s", spec.tool, exc)
            records[call.tool_use_id] = self._record(
                call, outcome, time.monotonic() - started, timeout=timeout,
                reason=str(exc) or type(exc).__name__)
            return
        content, notes = tool_result_content(result.content, result.structured)
        records[call.tool_use_id] = CallRecord(
            tool_use_id=call.tool_use_id, server_id=spec.server_id, server_name=spec.server_name,
            tool=spec.tool, outcome=CallOutcome.ERROR if result.is_error else CallOutcome.DONE,
            seconds=time.monotonic() - started, content=content, is_error=result.is_error,
            notes=notes, title=_shown_title(spec))

    def _record(self, call: LiveCall, outcome: CallOutcome, seconds: float, *,
                timeout: float = 0.0, reason: str = "") -> CallRecord:
        """The record of a call that produced no result of its own: an error result whose
        text tells Claude what happened."""
        spec = call.spec
        server_name = spec.server_name if spec else ""
        return CallRecord.failed(
            call.tool_use_id, server_id=spec.server_id if spec else "", server_name=server_name,
            tool=spec.tool if spec else "", outcome=outcome, seconds=seconds,
            title=_shown_title(spec) if spec else "",
            text=failure_text(outcome, seconds=timeout, server_name=server_name, reason=reason))

    def _answer_unfinished(self, conversation: Conversation, calls: list[LiveCall],
                           records: dict[str, CallRecord], outcome: CallOutcome) -> None:
        for call in calls:
            if call.tool_use_id not in records:
                started = call.started
                records[call.tool_use_id] = self._record(
                    call, outcome, time.monotonic() - started if started else 0.0)
        self._append(conversation, calls, records)

    def _append(self, conversation: Conversation, calls: list[LiveCall],
                records: dict[str, CallRecord]) -> Message:
        order = [call.tool_use_id for call in calls]
        ordered = [records[tool_use_id] for tool_use_id in order]
        # The result itself is in the tool_result block: the run keeps what the window shows.
        runs = {r.tool_use_id: {**r.to_json(), "content": []} for r in ordered}
        message = conversation.add_tool_results(results_message_content(ordered, order), runs)
        self.events.message_added.emit(conversation.id, message)
        return message


def _shown_title(spec: ToolSpec) -> str:
    """The title kept with a call's record: only when it differs from the MCP name."""
    return spec.title if spec.title and spec.title != spec.tool else ""
