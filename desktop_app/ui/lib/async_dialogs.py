"""Awaiting a dialog without ``exec()``: a nested loop inside a coroutine re-enters asyncio
(qasync issue 59), so dialogs are opened with ``open()`` and their ``finished`` signal awaited.
"""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QDialog, QDialogButtonBox
from shiboken6 import isValid


async def run_dialog(dialog: QDialog) -> int:
    """Show ``dialog`` window-modally and return its result code when it closes.

    A dialog deleted while open (with the window or dialog it belongs to) counts as
    cancelled: whoever awaits it carries on instead of waiting for ever."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[int] = loop.create_future()

    def finished(code: int) -> None:
        if not done.done():
            done.set_result(code)

    def destroyed() -> None:
        finished(QDialog.DialogCode.Rejected.value)

    dialog.finished.connect(finished)
    dialog.destroyed.connect(destroyed)
    dialog.open()
    try:
        return await done
    finally:
        if isValid(dialog):
            dialog.finished.disconnect(finished)
            dialog.destroyed.disconnect(destroyed)


def save_cancel_buttons(dialog: QDialog) -> QDialogButtonBox:
    """The Save / Cancel row every editing dialog ends with, wired to accept and reject."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


async def run_and_discard(dialog: QDialog) -> int:
    """``run_dialog``, then schedule the dialog's deletion: for dialogs made for one question.
    The dialog lives until the event loop next runs, so its fields can be read right after the
    ``await`` (before the caller awaits anything else)."""
    try:
        return await run_dialog(dialog)
    finally:
        if isValid(dialog):
            dialog.deleteLater()


def show_and_discard(dialog: QDialog) -> None:
    """Open a dialog nobody awaits (an information sheet) and delete it when it closes."""
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
