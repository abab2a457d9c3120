"""The status line speaks of the conversation on screen, never of the one left."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import until
from tests.fake_api import Reply
from tests.helpers.gui_helpers import finished_reply, type_and_send

pytestmark = pytest.mark.asyncio


async def test_switching_conversations_clears_the_last_replys_figures(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(Reply("An answer with figures.", chunks=2))
    type_and_send(window, qtbot, "First conversation")
    await finished_reply(window)
    first = window.controller.current.id
    assert window.status_line.text().startswith("Done")
    assert "out" in window.status_line.text()

    window.conversation_ops.on_new_requested()
    await until(lambda: window.controller.current.id != first, message="another conversation")
    assert window.status_line.text() == "Ready"

    fake_api.enqueue(Reply("Second answer.", chunks=2))
    type_and_send(window, qtbot, "Second conversation")
    await finished_reply(window)
    assert window.status_line.text().startswith("Done")
    window.conversation_ops.on_selected(first)
    await until(lambda: window.controller.current.id == first, message="first shown again")
    assert window.status_line.text() == "Ready"  # not the second one's "Done · … out"


async def test_switching_to_a_streaming_conversation_says_so(app_factory, fake_api, qtbot):
    window = await app_factory()
    gate = threading.Event()
    fake_api.enqueue(Reply("Words that keep coming.", chunks=4, gate=gate))
    type_and_send(window, qtbot, "Keep replying")
    await until(lambda: "Streaming" in window.status_line.text(), message="streaming")
    streaming = window.controller.current.id

    window.conversation_ops.on_new_requested()
    await until(lambda: window.controller.current.id != streaming, message="another conversation")
    assert window.status_line.text() == "Ready"
    window.conversation_ops.on_selected(streaming)
    await until(lambda: window.controller.current.id == streaming, message="shown again")
    assert "Streaming" in window.status_line.text()
    gate.set()
    await finished_reply(window)
