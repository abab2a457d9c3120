"""A line protocol that drives a real Cairn window from another process (``--automation``,
hidden): tests that must treat Cairn as a process, such as killing it at random points, send
commands on stdin and read what the window showed on stdout. Not a user feature.

Commands (one per line): ``send TEXT``, ``new``, ``delete`` (the shown conversation, at
once), ``quit``. Output lines: ``ready``; ``sent CONVERSATION_ID MESSAGE_ID`` once the window
shows a user message as sent; ``deleting CONVERSATION_ID`` before a delete starts;
``idle CONVERSATION_ID STATE`` when a reply ends (``complete``, ``stopped``, ``failed:KIND``).
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop_app.core.conversation import ReplyState


class Automation(QObject):
    """Reads commands on a thread, acts on the window's thread. See the module docstring."""

    line_received = Signal(str)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        controller = window.controller
        controller.message_added.connect(self._on_message_added)
        controller.busy_changed.connect(self._on_busy_changed)
        self.line_received.connect(self._run)

    def start(self) -> None:
        threading.Thread(target=self._read, name="automation-stdin", daemon=True).start()
        _say("ready")

    def _read(self) -> None:
        for line in sys.stdin:
            self.line_received.emit(line.rstrip("\n"))

    def _run(self, line: str) -> None:
        command, _, argument = line.partition(" ")
        window, controller = self.window, self.window.controller
        if command == "send":
            window.composer.set_text(argument)
            window.conversation_ops.on_send_requested(window.composer.text)
        elif command == "new":
            window.conversation_ops.on_new_requested()
        elif command == "delete" and controller.current is not None:
            conversation_id = controller.current.id
            _say(f"deleting {conversation_id}")
            window.spawn(controller.delete(conversation_id))
        elif command == "quit":
            window.quit()

    def _on_message_added(self, conversation_id: str, message: Any) -> None:
        if message.role == "user":
            _say(f"sent {conversation_id} {message.id}")

    def _on_busy_changed(self, conversation_id: str, busy: bool) -> None:
        if busy:
            return
        conversation = self.window.controller.conversations.get(conversation_id)
        reply = conversation.last_reply if conversation is not None else None
        if reply is None:
            return
        state = reply.state.value
        if reply.state == ReplyState.FAILED and reply.error is not None:
            state += f":{reply.error.kind}"
        _say(f"idle {conversation_id} {state}")


def _say(line: str) -> None:
    print(line, flush=True)
