"""The strip of attachments above the composer (issue 18): cards never cut off by the scroll
bar, pasted pictures told apart by their names, and a preview that can be closed."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage

from desktop_app.ui.composer.attachment_strip import PreviewDialog
from tests.conftest import until
from tests.helpers.gui_helpers import finished_reply, type_and_send

pytestmark = pytest.mark.asyncio


async def paste_pictures(window, qtbot, count: int) -> None:
    tray = window.controller.attachments
    window.composer.edit.setFocus()
    for number in range(count):
        image = QImage(120 + number, 80, QImage.Format.Format_RGB32)
        image.fill(QColor(30 * number, 120, 200))
        QGuiApplication.clipboard().setImage(image)
        await asyncio.sleep(0.01)
        qtbot.keyClick(window.composer.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        await until(lambda n=number: len(tray.items) == n + 1 and not tray.busy,
                    message="picture attached")
    QGuiApplication.clipboard().clear()


async def test_three_cards_fit_at_800x600_and_the_bottom_line_never_widens_the_window(
    app_factory, qtbot
):
    window = await app_factory()
    window.resize(800, 600)
    await until(lambda: window.width() == 800, message="800 wide")
    sidebar_before = window.sidebar.width()
    await paste_pictures(window, qtbot, 3)
    strip = window.attachment_strip
    await until(lambda: len(strip.cards) == 3 and all(c.isVisible() for c in strip.cards))
    # The widest words the bottom row says (the attachments scene's): neither may push.
    window.status_line.setText("Done · 39 in · 273 out · $0.0070 · Claude Opus 4.5")
    window.estimate_label.setText(
        "1,200 tokens in · ≈ $0.0060 to send · 1.2k / 1M context (long-context pricing)")
    await until(lambda: window.sidebar.width() == sidebar_before and window.width() == 800,
                message="the sidebar keeps its width")
    await asyncio.sleep(0.05)  # let any late layout pass happen before checking it did not
    assert window.sidebar.width() == sidebar_before
    assert not strip.scroll.horizontalScrollBar().isVisible()
    viewport = strip.scroll.viewport()
    for card in strip.cards:  # each one whole, side by side
        left = card.mapTo(viewport, QPoint(0, 0)).x()
        assert 0 <= left and left + card.width() <= viewport.width()
    status_right = window.status_line.geometry().right()
    assert window.estimate_label.geometry().left() - status_right >= 12  # two texts, apart
    assert window.estimate_label.toolTip().startswith("1,200 tokens in")  # all of it, on hover


async def test_many_cards_in_a_narrow_window_are_whole_above_the_scroll_bar(
    app_factory, qtbot
):
    window = await app_factory()
    window.resize(800, 600)
    await paste_pictures(window, qtbot, 6)
    strip = window.attachment_strip
    await until(lambda: len(strip.cards) == 6 and all(c.isVisible() for c in strip.cards))
    bar = strip.scroll.horizontalScrollBar()
    await until(lambda: bar.isVisible(), message="the cards are wider than the strip")
    viewport = strip.scroll.viewport()
    for card in strip.cards:
        top_left = card.mapTo(viewport, QPoint(0, 0))
        assert top_left.y() >= 0
        assert top_left.y() + card.height() <= viewport.height()  # nothing under the bar
    bar_top = bar.mapTo(strip.scroll, QPoint(0, 0)).y()
    assert viewport.mapTo(strip.scroll, QPoint(0, viewport.height())).y() <= bar_top


async def test_pasted_pictures_are_numbered_for_each_message(app_factory, fake_api, qtbot):
    window = await app_factory()
    await paste_pictures(window, qtbot, 2)
    tray = window.controller.attachments
    assert [item.name for item in tray.items] == ["Pasted image 1.png", "Pasted image 2.png"]
    names = [card.findChild(type(window.status_line), "AttachmentName").toolTip()
             for card in window.attachment_strip.cards]
    assert names == ["Pasted image 1.png", "Pasted image 2.png"]
    type_and_send(window, qtbot, "two pictures")
    await finished_reply(window)
    await paste_pictures(window, qtbot, 1)
    assert [item.name for item in tray.items] == ["Pasted image 1.png"]


async def test_the_preview_has_a_close_button_and_esc_closes_it(app_factory, qtbot):
    window = await app_factory()
    await paste_pictures(window, qtbot, 1)
    strip = window.attachment_strip
    await until(lambda: strip.cards and strip.cards[0].isVisible())
    for close in ("button", "esc"):
        qtbot.mouseClick(strip.cards[0], Qt.MouseButton.LeftButton)
        await until(lambda: any(d.isVisible() for d in window.findChildren(PreviewDialog)),
                    message="preview shown")
        preview = next(d for d in window.findChildren(PreviewDialog) if d.isVisible())
        button = preview.close_button
        assert button.isVisible() and button.text() == "Close"
        assert QRect(QPoint(0, 0), preview.size()).contains(
            QRect(button.mapTo(preview, QPoint(0, 0)), button.size()))
        if close == "button":
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClick(preview, Qt.Key.Key_Escape)
        await until(lambda: not preview.isVisible(), message=f"closed by {close}")
