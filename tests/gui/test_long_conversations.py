"""Reading a long conversation (issue 18): a floating ↓ back to the latest message while
scrolled up, PageUp/PageDown from the composer, and a visible focus on whatever Tab reaches."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.core.conversation import Conversation, Message
from desktop_app.storage.history_store import SCHEMA_VERSION
from tests.conftest import until
from tests.fake_api import Reply
from tests.helpers.gui_helpers import chat_with

pytestmark = pytest.mark.asyncio


async def long_conversation_window(app_factory, data_dir, messages: int = 60):
    conversation = Conversation(title="Long")
    for n in range(messages // 2):
        conversation.messages.append(Message("user", [{"type": "text", "text": f"question {n}"}]))
        conversation.messages.append(Message(
            "assistant", [{"type": "text", "text": f"answer {n}\n\nwith a second paragraph"}],
            model="claude-opus-4-7"))
    folder = data_dir / "conversations"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{conversation.id}.json").write_text(
        json.dumps(conversation.to_json(SCHEMA_VERSION)))
    window = await app_factory()
    window.resize(800, 600)
    bar = window.messages.verticalScrollBar()
    await until(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), message="at the end")
    return window


@pytest.mark.parametrize("size", [(800, 600), (1440, 900)])
async def test_scrolled_up_a_button_under_the_text_jumps_back_to_the_latest(
    app_factory, fake_api, qtbot, data_dir, size
):
    window = await long_conversation_window(app_factory, data_dir)
    window.resize(*size)
    view = window.messages
    bar = view.verticalScrollBar()
    await until(lambda: bar.value() == bar.maximum(), message="at the end")
    button = view.jump_button
    assert not button.isVisible()  # at the end: nothing under the last message
    assert view.viewport().geometry().bottom() == view.rect().bottom()  # no band kept for it
    middle = bar.maximum() // 2
    bar.setValue(middle)
    await until(lambda: button.isVisible(), message="button shown")
    viewport = view.viewport().geometry()  # in the view's coordinates, like the button's
    # Under the text, never over it: in a band below the viewport, centred, inside the view.
    assert button.geometry().top() > viewport.bottom()
    assert view.rect().contains(button.geometry())
    assert abs(button.geometry().center().x() - viewport.center().x()) <= 1
    assert view.rect().bottom() - button.geometry().bottom() < 16  # just above the composer
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    await until(lambda: bar.value() == bar.maximum() and not button.isVisible(),
                message="back at the end")
    assert view.viewport().geometry().bottom() == view.rect().bottom()  # the band gone too


async def test_page_up_and_down_from_the_composer_scroll_the_conversation(
    app_factory, fake_api, qtbot, data_dir
):
    window = await long_conversation_window(app_factory, data_dir)
    bar = window.messages.verticalScrollBar()
    window.composer.edit.setFocus()
    window.composer.set_text("a draft")
    end = bar.value()
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_PageUp)
    page = end - bar.value()
    assert page > window.messages.viewport().height() // 2
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_PageUp)
    assert bar.value() < end - page
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_PageDown)
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_PageDown)
    assert bar.value() == end
    assert window.composer.edit.hasFocus() and window.composer.text == "a draft"


async def test_every_control_tab_reaches_from_the_composer_shows_its_focus(
    app_factory, fake_api, qtbot
):
    window = await app_factory()
    fake_api.enqueue(Reply("See [the docs](https://example.com).\n\n```python\nx = 1\n```\n"))
    await chat_with(window, qtbot, "hello")
    window.messages.flush()
    window.composer.edit.setFocus()
    reached = []
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if not window.messages.isAncestorOf(focused) and not window.isAncestorOf(focused):
            break
        with_focus = focused.grab().toImage()
        focused.clearFocus()
        without = focused.grab().toImage()
        focused.setFocus(Qt.FocusReason.TabFocusReason)
        reached.append(focused.accessibleName() or type(focused).__name__)
        # A ring round a small button is some 60 pixels: not a dotted hint of a few.
        assert changed_pixels(with_focus, without) >= 40, f"{reached[-1]} shows no focus"
    assert len(reached) >= 5, reached


def changed_pixels(first, second) -> int:
    assert first.size() == second.size()
    return sum(first.pixel(x, y) != second.pixel(x, y)
               for y in range(first.height()) for x in range(first.width()))


async def test_a_control_tab_reaches_in_the_column_is_scrolled_into_sight(
    app_factory, fake_api, qtbot, data_dir
):
    window = await long_conversation_window(app_factory, data_dir)
    view = window.messages
    window.composer.edit.setFocus()
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if view.isAncestorOf(focused):
            break
    else:
        pytest.fail("Tab never reached the column")
    top = focused.mapTo(view.viewport(), focused.rect().topLeft()).y()
    assert 0 <= top and top + focused.height() <= view.viewport().height()
