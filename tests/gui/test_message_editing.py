"""Editing a message in place, and a failed reply's one retry control (issue 18)."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage

from tests.conftest import until
from tests.fake_api import ApiError, Reply
from tests.helpers.gui_helpers import chat_with, finished_reply, type_and_send

pytestmark = pytest.mark.asyncio


async def send_with_picture(window, qtbot, text: str):
    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(QColor(40, 140, 90))
    QGuiApplication.clipboard().setImage(image)
    await asyncio.sleep(0.01)
    window.composer.edit.setFocus()
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    tray = window.controller.attachments
    await until(lambda: len(tray.items) == 1 and not tray.busy, message="picture attached")
    QGuiApplication.clipboard().clear()
    type_and_send(window, qtbot, text)
    await finished_reply(window)
    return window.controller.current.messages[0]


async def test_the_editor_is_the_bubble_itself_with_its_pictures(app_factory, fake_api, qtbot):
    window = await app_factory()
    window.resize(1100, 760)
    message = await send_with_picture(window, qtbot, "What is in this picture?")
    widget = window.messages.widget_for(message.id)
    await until(lambda: widget.thumbnails and not widget.thumbnails[0].pixmap().isNull(),
                message="thumbnail shown")
    bubble = widget.bubble
    right_edge = bubble.mapTo(widget, QPoint(bubble.width(), 0)).x()

    widget.actions.edit_button.click()
    await until(lambda: widget.edit_box.hasFocus() and widget.edit_box.isVisible())
    # The same bubble, still on the right, as wide as long text wraps (not the full column),
    # with its picture above the text being edited.
    assert widget.editing and bubble.isVisible() and bubble.isAncestorOf(widget.edit_box)
    assert widget.thumbnails[0].isVisible()
    assert bubble.mapTo(widget, QPoint(bubble.width(), 0)).x() == right_edge
    assert widget.width() * 0.6 < bubble.width() <= widget.width() * 0.8 + 2
    assert not widget.label.isVisible()
    image = bubble.grab().toImage()
    assert image.pixelColor(bubble.width() // 2, 4) == QColor(window.theme.bubble)
    assert bubble.isAncestorOf(widget.send_edit_button)
    assert widget.send_edit_button.isVisible() and widget.cancel_edit_button.isVisible()

    qtbot.keyClick(widget.edit_box, Qt.Key.Key_Escape)
    assert not widget.editing and widget.label.isVisible() and widget.thumbnails[0].isVisible()
    assert widget.actions.isVisible()


async def test_a_long_edit_grows_the_editor_then_scrolls(app_factory, fake_api, qtbot):
    window = await app_factory()
    await chat_with(window, qtbot, "short")
    widget = window.messages.widget_for(window.controller.current.messages[0].id)
    widget.actions.edit_button.click()
    two_lines = widget.edit_box.height()
    widget.edit_box.setPlainText("\n".join(f"line {n}" for n in range(6)))
    await until(lambda: widget.edit_box.height() > two_lines * 2, message="grown")
    grown = widget.edit_box.height()
    widget.edit_box.setPlainText("\n".join(f"line {n}" for n in range(40)))
    await until(lambda: widget.edit_box.height() > grown, message="grown to its limit")
    assert widget.edit_box.height() < two_lines * 7  # twelve lines at most, then it scrolls


async def test_a_failed_reply_offers_one_retry_control(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(ApiError(529, "overloaded_error", "Overloaded"))
    type_and_send(window, qtbot, "Hello?")
    reply = await finished_reply(window)
    widget = window.messages.widget_for(reply.id)
    assert widget.card.isVisible() and widget.retry_button.isVisible()
    assert not widget.regenerate_button.isVisible()  # no ↻ beside the card's Retry
    fake_api.enqueue(Reply("Recovered."))
    widget.retry_button.click()
    reply = await finished_reply(window)
    widget = window.messages.widget_for(reply.id)
    assert not widget.card.isVisible() and widget.regenerate_button.isVisible()
