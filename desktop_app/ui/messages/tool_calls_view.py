"""The tool calls of one reply round, a row each (see `tool_call_row`), in Claude's order."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop_app.core.conversation import Conversation, Message
from desktop_app.core.tool_calls import CallRecord
from desktop_app.ui.lib.theme import Theme
from desktop_app.ui.messages.tool_call_row import ToolCallRow
from desktop_app.ui.session.tool_activity import ToolActivity


class ToolCallsView(QWidget):
    """The rows of a reply's ``tool_use`` blocks.

    Signals:
        approval_chosen(str, str): (tool use id, ``ApprovalChoice`` value).
    """

    approval_chosen = Signal(str, str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self.rows: dict[str, ToolCallRow] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 6)
        self._layout.setSpacing(2)
        self.hide()

    def refresh(self, message: Message, conversation: Conversation | None,
                activity: ToolActivity | None) -> None:
        """Show each call as it is now: live, finished (its stored record), or as asked."""
        uses = [b for b in message.content if b.get("type") == "tool_use"]
        if not uses:
            self.hide()
            return
        results = conversation.tool_results_for(message.id) if conversation else None
        runs = results.extra.get("tool_runs") if results is not None else None
        for use in uses:
            tool_use_id = str(use.get("id", ""))
            row = self.rows.get(tool_use_id)
            if row is None:
                row = ToolCallRow(use, self._theme, self)
                row.approval_chosen.connect(self.approval_chosen)
                self.rows[tool_use_id] = row
                self._layout.addWidget(row)
            live = activity.live(tool_use_id) if activity is not None else None
            row.set_state(use, live, _record(runs, tool_use_id, results))
        self.show()


def _record(runs: Any, tool_use_id: str, results: Message | None) -> CallRecord | None:
    """The stored record of a call: from ``tool_runs`` (hostile-safe), else from its
    ``tool_result`` block alone (a file from another client, or runs that were lost)."""
    if isinstance(runs, dict) and isinstance(runs.get(tool_use_id), dict):
        record = CallRecord.from_json(runs[tool_use_id])
        if record is not None:
            if not record.content and results is not None:
                record.content = _result_content(results, tool_use_id)
            return record
    if results is None:
        return None
    block = next((b for b in results.content if b.get("type") == "tool_result"
                  and b.get("tool_use_id") == tool_use_id), None)
    if block is None:
        return None
    return CallRecord.from_json({"tool_use_id": tool_use_id, "outcome": (
        "error" if block.get("is_error") else "done"), "content": _result_content(
            results, tool_use_id), "is_error": bool(block.get("is_error"))})


def _result_content(results: Message, tool_use_id: str) -> list[dict[str, Any]]:
    for block in results.content:
        if block.get("type") == "tool_result" and block.get("tool_use_id") == tool_use_id:
            content = block.get("content")
            if isinstance(content, str):
                return [{"type": "text", "text": content}]
            return [c for c in content if isinstance(c, dict)] if isinstance(content, list) else []
    return []
