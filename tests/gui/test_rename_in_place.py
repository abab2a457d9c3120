"""Rename in place (issue 18): the row's editor shows its whole line of text, in the row."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QStyle, QStyleOptionFrame

from tests.conftest import until
from tests.helpers.gui_helpers import chat_with, sidebar_index

pytestmark = pytest.mark.asyncio

LINE_EDIT_MARGIN = 1  # QLineEdit keeps 1 px above and below its text inside its contents


def text_area(editor: QLineEdit):
    """Where the editor draws its text: inside its frame and the style sheet's padding."""
    option = QStyleOptionFrame()
    editor.initStyleOption(option)
    return editor.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, editor)


@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_the_rename_editor_shows_its_whole_line_inside_the_row(
    app_factory, fake_api, qtbot, theme
):
    window = await app_factory()
    window.controller.settings.theme = theme
    window.apply_theme()  # both style sheets: the padding must fit in either
    conversation = await chat_with(window, qtbot, "Quarterly report summary")
    window.sidebar.start_rename(conversation.id)
    editor = window.sidebar.list.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    assert editor.text() == "Quarterly report summary"
    line = editor.fontMetrics().height()
    area = text_area(editor)
    assert area.height() - 2 * LINE_EDIT_MARGIN >= line  # nothing cut off above or below
    assert editor.height() >= line + (editor.height() - area.height())
    row = window.sidebar.list.visualRect(sidebar_index(window, "Quarterly report summary"))
    assert row.contains(editor.geometry())  # and it stays in its row
    # The text starts where the title was drawn: the row does not jump when editing starts.
    title_left = row.left() + 16
    assert abs(editor.geometry().left() + area.left() + 2 - title_left) <= 1


def highlighted(window) -> list[str]:
    """The titles of the sidebar's selected rows, and the current row's title."""
    view = window.sidebar.list
    return [index.data() for index in view.selectionModel().selectedIndexes()] + [
        view.currentIndex().data()]


async def test_after_renaming_another_row_the_open_conversation_is_highlighted_again(
    app_factory, fake_api, qtbot
):
    """Issue 18: renaming a row that is not open, then Esc, left that row highlighted while
    the other conversation was still shown."""
    window = await app_factory()
    first = await chat_with(window, qtbot, "Quarterly report summary")
    window.conversation_ops.on_new_requested()
    shown = await chat_with(window, qtbot, "Holiday plans in June")
    assert window.controller.current is shown
    await until(lambda: highlighted(window) == ["Holiday plans in June"] * 2)
    # Esc: nothing renamed, the open conversation highlighted again.
    window.sidebar.start_rename(first.id)
    editor = window.sidebar.list.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    assert highlighted(window)[-1] == "Quarterly report summary"  # the row being renamed
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    await until(lambda: not editor.isVisible(), message="editor closed")
    assert highlighted(window) == ["Holiday plans in June"] * 2
    assert window.controller.current is shown
    # Enter: renamed, and again the open conversation is the highlighted one.
    window.sidebar.start_rename(first.id)
    editor = next(e for e in window.sidebar.list.findChildren(QLineEdit) if e.isVisible())
    editor.selectAll()
    qtbot.keyClicks(editor, "Q3 report")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    await until(lambda: "Q3 report" in [window.list_model.index(r).data()
                                        for r in range(window.list_model.rowCount())],
                message="renamed")
    await until(lambda: highlighted(window) == ["Holiday plans in June"] * 2,
                message=f"open conversation highlighted, not {highlighted(window)}")
    assert window.controller.current is shown
