"""Small steps GUI tests share: typing a message and waiting for its reply."""

from __future__ import annotations

from PySide6.QtCore import Qt

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
