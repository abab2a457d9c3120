"""Pop-up menus (issue 18): they open above their button when the window has no room below
(never past its edge), show the shortcut of each item that has one, and a click on a
row's ⋯ opens its menu without opening the conversation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from desktop_app.ui.lib.menus import menu_position, shown_shortcut, visible_bounds
from desktop_app.ui.lib.shortcuts import SHORTCUTS
from desktop_app.ui.sidebar.conversation_delegate import ConversationDelegate
from tests.conftest import until
from tests.helpers.gui_helpers import chat_with, sidebar_index


def native(keys: str) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


def shortcuts_of(menu: QMenu) -> dict[str, str]:
    """Each item's text and the shortcut it shows."""
    return {a.text().partition("\t")[0]: shown_shortcut(a) for a in menu.actions()
            if not a.isSeparator()}


def global_rect(widget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


async def open_popup() -> QMenu:
    await until(lambda: isinstance(QApplication.activePopupWidget(), QMenu), message="menu open")
    menu = QApplication.activePopupWidget()
    await until(lambda: menu.isVisible() and menu.geometry().height() > 0)
    return menu


def test_a_menu_goes_under_its_button_when_it_fits_else_above() -> None:
    bounds = QRect(0, 0, 800, 600)
    button = QRect(100, 100, 30, 30)
    assert menu_position(QSize(200, 150), button, bounds) == QPoint(100, 130)
    low = QRect(100, 560, 30, 30)  # at the bottom of the window
    assert menu_position(QSize(200, 150), low, bounds) == QPoint(100, 410)
    right = QRect(760, 560, 30, 30)  # and at its right: moved in
    assert menu_position(QSize(200, 150), right, bounds) == QPoint(600, 410)
    tall = menu_position(QSize(200, 590), QRect(100, 300, 30, 30), bounds)
    assert tall.y() >= 0 and tall.y() + 590 <= 600  # no room either side: kept inside


@pytest.mark.asyncio
@pytest.mark.parametrize("button", ["footer", "attach"])
async def test_menus_at_the_bottom_open_above_their_button_inside_the_window(
    app_factory, qtbot, button
):
    window = await app_factory()
    frame = window.window()
    frame.resize(800, 600)
    await until(lambda: frame.height() == 600)
    widget = (window.sidebar.footer.more_button if button == "footer"
              else window.composer.attach_button)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    menu = await open_popup()
    try:
        where = menu.geometry()
        assert where.bottom() < global_rect(widget).top()  # above the button
        assert visible_bounds(widget).contains(where)  # and inside the window
    finally:
        menu.close()


@pytest.mark.asyncio
async def test_menus_show_the_shortcuts_of_their_items(app_factory, fake_api, qtbot):
    window = await app_factory()
    conversation = await chat_with(window, qtbot, "hello")
    table = {row.keys for row in SHORTCUTS}
    row_menu = window.sidebar.row_menu(conversation.id, pinned=False)
    assert shortcuts_of(row_menu) == {
        "Rename": native("F2"), "Pin to top": "", "Export": "", "Files on Anthropic…": "",
        "Delete": native("Delete")}
    footer = window.sidebar.footer.more_menu()
    assert shortcuts_of(footer) == {
        "Import conversations…": "", "Export all data…": "",
        "Keyboard shortcuts": native("Ctrl+/"), "About Cairn": native("F1")}
    attach = window.composer.attach_menu
    assert shortcuts_of(attach) == {"Image or PDF file…": native("Ctrl+O"), "Image link…": "",
                                    "File for code execution…": ""}
    assert {"F2", "Delete", "Ctrl+/", "F1", "Ctrl+O"} <= table  # the keys the sheet lists
    row_menu.close()
    footer.close()


@pytest.mark.asyncio
async def test_clicking_a_rows_menu_button_opens_only_the_menu(app_factory, fake_api, qtbot):
    window = await app_factory()
    older = await chat_with(window, qtbot, "older chat")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    newer = await chat_with(window, qtbot, "newer chat")
    view = window.sidebar.list
    row = view.visualRect(sidebar_index(window, "older chat"))
    button = ConversationDelegate.menu_rect(row, view.fontMetrics())
    opened: list[str] = []
    window.sidebar.selected.connect(opened.append)
    qtbot.mouseMove(view.viewport(), row.center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=button.center())
    menu = await open_popup()
    try:
        assert "Rename" in shortcuts_of(menu)
        assert menu.geometry().top() >= view.viewport().mapToGlobal(button.bottomLeft()).y()
        assert opened == [] and window.controller.current.id == newer.id  # not opened
        assert not view.selectionModel().isSelected(sidebar_index(window, "older chat"))
    finally:
        menu.close()
    # A click elsewhere on the row still opens it.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row.center())
    assert window.controller.current.id == older.id
