"""Tool calls while they happen: which wait for the user's approval, which run, since when.

What a finished call was is stored in the conversation (the turn of tool results and its
``tool_runs``); this holds only what is live, so the reply's call rows can show a spinner, a
running time and the approval card, and so the approval card's choice reaches the round that
asked for it.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop_app.core.tool_approvals import ApprovalChoice
from desktop_app.core.tool_specs import ToolSpec


class CallPhase(StrEnum):
    """Where a live call is."""

    WAITING = "waiting"  # for the other calls' approvals before any runs
    ASKING = "asking"  # the approval card is shown
    RUNNING = "running"


@dataclass
class LiveCall:
    """One tool call of a reply that has not finished yet.

    Attributes:
        conversation_id, message_id: the reply whose ``tool_use`` block this is.
        tool_use_id: the block's id.
        spec: the tool as offered (None: no offered tool has the name Claude used).
        arguments: the input Claude gave, exactly.
        phase: waiting, asking or running.
        started: ``time.monotonic()`` when it began to run.
        where: where the tool runs, for the approval card: a remote server's host, or the
            command of a program on this computer.
    """

    conversation_id: str
    message_id: str
    tool_use_id: str
    spec: ToolSpec | None
    arguments: Any
    phase: CallPhase = CallPhase.WAITING
    started: float | None = None
    where: str = ""
    unreadable: bool = False  # the input Claude streamed was not a JSON object: never run
    _answer: asyncio.Future[ApprovalChoice] | None = field(default=None, repr=False)


class ToolActivity(QObject):
    """The live tool calls of every conversation, by ``tool_use`` id.

    Signals:
        changed(str, str): (conversation id, message id) a call of that reply changed phase.
    """

    changed = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._calls: dict[str, LiveCall] = {}

    def live(self, tool_use_id: str) -> LiveCall | None:
        """The call while it is live (None once finished, or never started here)."""
        return self._calls.get(tool_use_id)

    def asking(self, conversation_id: str) -> list[LiveCall]:
        """The calls of a conversation whose approval card is shown, oldest first."""
        return [c for c in self._calls.values()
                if c.conversation_id == conversation_id and c.phase == CallPhase.ASKING]

    def begin(self, call: LiveCall) -> None:
        self._calls[call.tool_use_id] = call
        self.changed.emit(call.conversation_id, call.message_id)

    async def ask(self, call: LiveCall) -> ApprovalChoice:
        """Show the approval card for the call and wait for the user's choice (cancelled:
        the reply was stopped, and the card goes away)."""
        future: asyncio.Future[ApprovalChoice] = asyncio.get_running_loop().create_future()
        call._answer, call.phase = future, CallPhase.ASKING
        self.changed.emit(call.conversation_id, call.message_id)
        try:
            return await future
        finally:
            call._answer = None
            if call.phase == CallPhase.ASKING:
                call.phase = CallPhase.WAITING
            self.changed.emit(call.conversation_id, call.message_id)

    def answer(self, tool_use_id: str, choice: ApprovalChoice) -> bool:
        """The user's choice on a call's approval card (False: it is no longer asking)."""
        call = self._calls.get(tool_use_id)
        if call is None or call._answer is None or call._answer.done():
            return False
        call._answer.set_result(choice)
        return True

    def running(self, call: LiveCall) -> None:
        call.phase, call.started = CallPhase.RUNNING, time.monotonic()
        self.changed.emit(call.conversation_id, call.message_id)

    def end(self, call: LiveCall) -> None:
        """The call is over (its record is in the conversation now, or it never ran)."""
        if self._calls.get(call.tool_use_id) is call:
            del self._calls[call.tool_use_id]
            self.changed.emit(call.conversation_id, call.message_id)
