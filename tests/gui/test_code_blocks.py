"""Code blocks in a narrow window (issue 18): a long line scrolls sideways inside its block,
the header (language and Copy) always fits, and nothing widens the reply past the column."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication

from desktop_app.ui.messages.code_blocks import CodeBlockView
from tests.conftest import until
from tests.fake_api import Reply
from tests.helpers.gui_helpers import chat_with

pytestmark = pytest.mark.asyncio

LONG_LINE = "result = compute(" + ", ".join(f"argument_{n}" for n in range(16)) + ")"


def on_screen(widget, view) -> QRect:
    """The part of ``widget`` that the message view's viewport shows."""
    viewport = view.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return QRect(top_left, widget.size()).intersected(viewport.rect())


async def narrow_window_with(app_factory, fake_api, qtbot, text: str):
    window = await app_factory()
    window.resize(800, 600)
    fake_api.enqueue(Reply(text))
    reply = (await chat_with(window, qtbot, "code please")).messages[-1]
    widget = window.messages.widget_for(reply.id)
    await until(lambda: widget.findChildren(CodeBlockView)
                and all(view.isVisible() for view in widget.findChildren(CodeBlockView)),
                message="code blocks shown")
    return window, widget


async def test_a_long_line_scrolls_inside_its_block_and_copy_stays_visible(
    app_factory, fake_api, qtbot
):
    assert len(LONG_LINE) > 200
    code = f"def main():\n    {LONG_LINE}\n"
    window, widget = await narrow_window_with(
        app_factory, fake_api, qtbot, f"Here:\n\n```python\n{code}```\n\nDone.")
    block = widget.findChild(CodeBlockView)
    view = window.messages
    window.messages.scroll_to_bottom()
    window.messages.ensureWidgetVisible(block)
    await until(lambda: on_screen(block, view).height() == block.height(), message="in view")
    # The block is as wide as the reply's column, never wider.
    assert block.mapTo(widget, QPoint(block.width(), 0)).x() <= widget.width()
    assert widget.width() <= view.viewport().width()
    # The long line scrolls sideways inside the block.
    bar = block.code.horizontalScrollBar()
    assert bar.isVisible() and bar.maximum() > 0
    # The header's Copy button is whole on screen, with its word.
    button = block.copy_button
    assert button.isVisible() and button.text() == "Copy"
    assert on_screen(button, view).size() == button.size()
    assert button.fontMetrics().horizontalAdvance("Copy") <= button.width()
    # And it copies the code as written.
    QApplication.clipboard().clear()
    with qtbot.waitSignal(window.messages.requests.status_message) as status:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == code
    assert status.args == ["Code copied"]


async def test_a_code_block_in_a_list_keeps_the_lists_indent_and_fits(
    app_factory, fake_api, qtbot
):
    window, widget = await narrow_window_with(
        app_factory, fake_api, qtbot,
        f"Steps:\n\n1. Install:\n\n   ```bash\n   pip install cairn\n   ```\n\n"
        f"2. Run:\n\n   ```python\n   {LONG_LINE}\n   ```\n")
    first, second = widget.findChildren(CodeBlockView)
    piece = first.parentWidget()
    for block in (first, second):
        assert block.x() >= 30  # indented under its list item
        assert block.x() + block.width() <= piece.width()
        button = block.copy_button
        assert button.mapTo(piece, QPoint(button.width(), 0)).x() <= piece.width()
    assert not first.code.horizontalScrollBar().isVisible()  # short lines: no scroll bar
    assert second.code.horizontalScrollBar().maximum() > 0


async def test_a_selection_across_a_code_block_copies_its_code(app_factory, fake_api, qtbot):
    _, widget = await narrow_window_with(
        app_factory, fake_api, qtbot, "Before.\n\n```\nline one\nline two\n```\n\nAfter.")
    piece = widget.findChild(CodeBlockView).parentWidget()
    piece.select_all()
    assert piece.selected_text() == "Before.\nline one\nline two\nAfter."
