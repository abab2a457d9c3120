"""The quiet line under the composer (issue 18): with nothing to send it says how full the
context window is, not what sending nothing would cost."""

from __future__ import annotations

import pytest

from tests.conftest import until
from tests.fake_api import Reply
from tests.helpers.gui_helpers import chat_with

pytestmark = pytest.mark.asyncio


async def test_an_empty_composer_shows_the_context_not_a_cost_to_send(
    app_factory, fake_api, qtbot
):
    window = await app_factory()
    label = window.estimate_label
    fake_api.enqueue(Reply("A first answer."))
    await chat_with(window, qtbot, "A first question")
    label.estimate_now()
    await until(lambda: "context" in label.text(), message="context shown")
    assert "to send" not in label.text() and "tokens in" not in label.text()
    assert label.text().endswith(" / 1M context")

    window.composer.set_text("And a second question?")
    label.estimate_now()
    await until(lambda: "to send" in label.text(), message="cost of the draft")
    assert "tokens in" in label.text()

    window.composer.clear()
    label.estimate_now()
    await until(lambda: "to send" not in label.text() and "context" in label.text(),
                message="context only again")

    window.conversation_ops.on_new_requested()
    label.estimate_now()
    await until(lambda: label.text() == "", message="a new, empty conversation says nothing")
