"""The main window against the fake API: send, stream, stop, retry, restart."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from desktop_app.core.conversation import ReplyState
from desktop_app.ui.message_view import ReplyWidget, UserMessageWidget
from tests.conftest import until
from tests.fake_api import ApiError, Reply

pytestmark = pytest.mark.asyncio


def replies(window):
    conversation = window.controller.current
    return [m for m in conversation.messages if m.role == "assistant"]


async def send(window, qtbot, text: str) -> None:
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, text)
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)


async def test_send_streams_reply_and_saves(app_factory, fake_api, qtbot, data_dir):
    window = await app_factory()
    assert "Cairn" in window.windowTitle()
    fake_api.enqueue(Reply("Hello **there**, nice to meet you.", chunks=6))
    await send(window, qtbot, "Hi Claude")
    assert window.composer.text == ""
    await until(lambda: replies(window) and replies(window)[0].state == ReplyState.COMPLETE)
    await window.controller.wait_idle()
    window.messages.flush()
    reply = replies(window)[0]
    widget = window.messages.widget_for(reply.id)
    assert isinstance(widget, ReplyWidget)
    assert "<strong>there</strong>" in widget.body.text()
    assert "Done" in window.status_line.text()
    request = fake_api.message_requests()[-1].body
    assert request["stream"] is True
    assert request["messages"] == [{"role": "user", "content": [{"type": "text", "text": "Hi Claude"}]}]
    files = list((data_dir / "conversations").glob("*.json"))
    assert len(files) == 1 and "nice to meet you" in files[0].read_text()
