"""Deceptive links in a reply (issue 17, broken promise 4): the real target is shown on hover,
a link whose text shows another address (or whose host imitates another) asks before it
opens, and bidi controls in model text cannot reorder what the window shows."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QGuiApplication, QMouseEvent
from PySide6.QtWidgets import QApplication

from desktop_app.ui.messages.rich_text_view import RichTextView
from tests.conftest import until
from tests.fake_api import Reply
from tests.helpers.gui_helpers import chat_with, is_laid_out, point_on_link, sidebar_titles

pytestmark = pytest.mark.asyncio

REPLY = (
    "Your bank: [https://bank.example.com/login](https://evil.example.net/login).\n\n"
    "Their shop: [Apple store](https://аррӏе.com/shop).\n\n"
    "The docs: [read them](https://example.com/docs)."
)
EVIL = "https://evil.example.net/login"
LOOKALIKE = "https://xn--80ak6aa92e.com/shop"
DOCS = "https://example.com/docs"


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """Every URL Cairn hands to the system browser."""
    urls: list[str] = []

    def open_url(url: QUrl) -> bool:
        urls.append(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
        return True

    monkeypatch.setattr("PySide6.QtGui.QDesktopServices.openUrl", open_url)
    return urls


async def reply_text(window, qtbot, fake_api, text: str) -> RichTextView:
    fake_api.enqueue(Reply(text))
    reply = (await chat_with(window, qtbot, "links please")).messages[-1]
    piece = window.messages.widget_for(reply.id).body.findChild(RichTextView)
    await until(lambda: is_laid_out(piece), message="reply laid out")
    return piece


def hover(view: RichTextView, point: QPoint) -> None:
    QApplication.sendEvent(view, QMouseEvent(
        QMouseEvent.Type.MouseMove, QPointF(point), view.mapToGlobal(QPointF(point)),
        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))


def link_dialog(window):
    from desktop_app.ui.dialogs.link_dialog import LinkDialog

    dialogs = [d for d in window.findChildren(LinkDialog) if d.isVisible()]
    return dialogs[0] if dialogs else None


async def click_link(window, qtbot, view: RichTextView, href: str):
    """Clicks a link; returns the confirmation dialog it opened (None if it opened none)."""
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=point_on_link(view, href))
    await asyncio.sleep(0.05)
    return link_dialog(window)


async def test_hovering_a_link_shows_its_target_in_the_status_line(app_factory, fake_api, qtbot):
    window = await app_factory()
    view = await reply_text(window, qtbot, fake_api, REPLY)
    before = window.status_line.text()
    hover(view, point_on_link(view, EVIL))
    assert window.status_line.text() == EVIL
    hover(view, point_on_link(view, LOOKALIKE))
    assert window.status_line.text() == f"{LOOKALIKE}  (аррӏе.com)"
    hover(view, QPoint(view.width() - 2, 2))
    assert window.status_line.text() == before


async def test_a_safe_link_opens_on_one_click(app_factory, fake_api, qtbot, opened):
    window = await app_factory()
    view = await reply_text(window, qtbot, fake_api, REPLY)
    assert await click_link(window, qtbot, view, DOCS) is None
    assert opened == [DOCS]


async def test_a_link_showing_another_address_asks_and_cancel_opens_nothing(
    app_factory, fake_api, qtbot, opened
):
    window = await app_factory()
    view = await reply_text(window, qtbot, fake_api, REPLY)
    dialog = await click_link(window, qtbot, view, EVIL)
    assert dialog is not None and opened == []
    assert dialog.isModal() or dialog.windowModality() != Qt.WindowModality.NonModal
    assert dialog.cancel_button.isDefault() and not dialog.open_button.isDefault()
    assert dialog.text_view.plain_text() == "https://bank.example.com/login"
    assert dialog.target_view.plain_text() == EVIL
    assert "<b>evil.example.net</b>" in dialog.target_view.text()  # the host emphasised
    assert dialog.site.text() == "evil.example.net" and not dialog.site_reads_as.isVisible()
    assert any("https://bank.example.com/login" in r.text() for r in dialog.reasons)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter is Cancel
    await until(lambda: link_dialog(window) is None, message="dialog closed")
    assert opened == []
    dialog = await click_link(window, qtbot, view, EVIL)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    await until(lambda: link_dialog(window) is None, message="dialog closed")
    await asyncio.sleep(0.05)
    assert opened == []


async def test_open_in_the_dialog_opens_the_real_target(app_factory, fake_api, qtbot, opened):
    window = await app_factory()
    view = await reply_text(window, qtbot, fake_api, REPLY)
    dialog = await click_link(window, qtbot, view, EVIL)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    await until(lambda: opened, message="link opened")
    assert opened == [EVIL]


async def test_a_look_alike_host_asks_and_shows_both_forms(app_factory, fake_api, qtbot, opened):
    window = await app_factory()
    view = await reply_text(window, qtbot, fake_api, REPLY)
    dialog = await click_link(window, qtbot, view, LOOKALIKE)
    assert dialog is not None and opened == []
    assert dialog.site.text() == "xn--80ak6aa92e.com"
    assert dialog.site_reads_as.isVisible() and "аррӏе.com" in dialog.site_reads_as.text()
    reasons = " ".join(r.text() for r in dialog.reasons)
    assert "apple.com" in reasons and "Cyrillic" in reasons
    dialog.reject()
    await until(lambda: link_dialog(window) is None, message="dialog closed")
    assert opened == []


async def test_an_escaped_host_asks_and_an_invalid_address_never_opens(
    app_factory, fake_api, qtbot, opened
):
    window = await app_factory()
    view = await reply_text(window, qtbot, fake_api, (
        "[Apple](HTTPS://аррӏе.com/) and [broken](https://a%2Fb.example/)."))
    dialog = await click_link(window, qtbot, view, "HTTPS://%D0%B0%D1%80%D1%80%D3%8F%D0%B5.com/")
    assert dialog is not None and dialog.site.text() == "xn--80ak6aa92e.com"
    assert "<b>xn--80ak6aa92e.com</b>" in dialog.target_view.text()
    dialog.reject()
    await until(lambda: link_dialog(window) is None, message="dialog closed")
    assert await click_link(window, qtbot, view, "https://a%2Fb.example/") is None
    assert opened == [] and window.status_line.text() == "This link's address is not valid."


async def test_keyboard_activation_of_a_deceptive_link_asks_too(app_factory, fake_api, qtbot, opened):
    window = await app_factory()
    view = await reply_text(window, qtbot, fake_api, REPLY)
    view.setFocus(Qt.FocusReason.TabFocusReason)
    await until(view.hasFocus, message="reply focused")
    assert view.selected_text() == "https://bank.example.com/login"
    assert window.status_line.text() == EVIL
    qtbot.keyClick(view, Qt.Key.Key_Return)
    await until(lambda: link_dialog(window) is not None, message="dialog shown")
    assert opened == []
    link_dialog(window).reject()
    await until(lambda: link_dialog(window) is None, message="dialog closed")


async def test_copy_link_address_copies_the_real_target(app_factory, fake_api, qtbot, opened):
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QMenu

    window = await app_factory()
    view = await reply_text(window, qtbot, fake_api, REPLY)
    point = point_on_link(view, EVIL)
    QApplication.sendEvent(view, QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, view.mapToGlobal(point)))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    next(a for a in menu.actions() if a.text() == "Copy Link Address").trigger()
    menu.close()
    assert QGuiApplication.clipboard().text() == EVIL
    assert opened == []


async def test_closing_the_window_with_the_dialog_open_is_clean(app_factory, fake_api, qtbot, opened):
    from tests.conftest import close_window

    window = await app_factory()
    view = await reply_text(window, qtbot, fake_api, REPLY)
    assert await click_link(window, qtbot, view, EVIL) is not None
    await close_window(window)
    assert opened == []


async def test_bidi_controls_from_the_model_cannot_reorder_the_window(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(Reply("Reply with file\u202etxt.exe inside.", thinking="I think \u2067abc def"))
    conversation = await chat_with(window, qtbot, "hi")
    reply = conversation.messages[-1]
    widget = window.messages.widget_for(reply.id)
    assert "file[U+202E]txt.exe" in widget.body.text() and "\u202e" not in widget.body.text()
    widget.thinking.set_open(True)
    assert widget.thinking_text.text() == "I think [U+2067]abc def"
    await window.controller.rename(conversation.id, "Title \u202eevil")
    await until(lambda: "Title [U+202E]evil" in sidebar_titles(window), message="sidebar title")
    assert window.header.title.text() == "Title [U+202E]evil"
    assert conversation.title == "Title \u202eevil"  # stored as it is

