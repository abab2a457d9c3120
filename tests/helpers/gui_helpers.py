"""Small steps GUI tests share: typing a message and waiting for its reply."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt

from tests.conftest import until


def replies(window):
    return [m for m in window.controller.current.messages if m.role == "assistant"]


def type_and_send(window, qtbot, text: str) -> None:
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, text)
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)


async def finished_reply(window):
    await until(lambda: replies(window) and not window.controller.is_busy(), message="reply ended")
    await window.controller.wait_idle()
    window.messages.flush()
    return replies(window)[-1]


def sidebar_titles(window) -> list[str]:
    """The conversation titles the sidebar lists, top to bottom (headers left out)."""
    from desktop_app.ui.sidebar.conversation_list_model import IsHeaderRole

    model = window.list_model
    return [model.index(r).data() for r in range(model.rowCount())
            if not model.index(r).data(IsHeaderRole)]


def sidebar_headers(window) -> list[str]:
    from desktop_app.ui.sidebar.conversation_list_model import IsHeaderRole

    model = window.list_model
    return [model.index(r).data() for r in range(model.rowCount()) if model.index(r).data(IsHeaderRole)]


def sidebar_index(window, title: str):
    model = window.list_model
    return next(model.index(r) for r in range(model.rowCount()) if model.index(r).data() == title)


async def chat_with(window, qtbot, *texts: str):
    """Send each text in turn and wait for its reply."""
    for text in texts:
        type_and_send(window, qtbot, text)
        await finished_reply(window)
    return window.controller.current


def is_laid_out(view) -> bool:
    """Whether Qt has given a RichTextView its place: shown, a column's width, and exactly
    the height its text needs (Qt lays out from the event loop, after the text changed)."""
    return (view.isVisible() and view.width() > 300
            and view.height() == view.heightForWidth(view.width()))


def point_on_link(view, href: str) -> QPoint:
    """A point over a link of a RichTextView (scanned, as a reader aims the mouse)."""
    layout = view._laid_out(view.width()).documentLayout()
    for y in range(2, view.height(), 3):
        for x in range(2, view.width(), 3):
            if layout.anchorAt(QPointF(x, y)) == href:
                return QPoint(x, y)
    raise AssertionError(f"no {href} link on screen")
