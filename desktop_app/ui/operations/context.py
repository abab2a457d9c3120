"""What every operation is given (the controller, the window its dialogs belong to, the owner
of its tasks, the window's ways of telling the user) and what it reports back: ``Changes``,
so the window refreshes what shows them (Anki's ``OpChanges``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_app.ui.lib.os_error_text import os_error_text
from desktop_app.ui.lib.owned_tasks import OwnedTasks
from desktop_app.ui.session.chat_controller import ChatController

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changes:
    """What an operation changed beyond what the controller announces by its own signals.

    Attributes:
        header: the current conversation's model, options or system prompt.
        estimate: what sending the draft would cost.
        settings: the settings (theme, tray icon, the models offered; the header and the
            estimate with them).
    """

    header: bool = False
    estimate: bool = False
    settings: bool = False


class ShowNotice(Protocol):
    """Puts a sentence in the notice bar; ``conversation_id``: the conversation it is about
    (it closes when another is shown); ``folder``: where a file was written ("Show in
    folder")."""

    def __call__(self, text: str, *, conversation_id: str = "",
                 folder: Path | None = None) -> None: ...


@dataclass(frozen=True)
class OperationContext:
    """The window as operations see it.

    Attributes:
        controller: where every action ends up.
        parent: the window; dialogs are its children (window-modal).
        tasks: the window's tasks; what an operation starts belongs to them.
        show_status: a short sentence for the status line.
        show_notice: a sentence for the notice bar (results the user should read).
        focus_composer: give the composer the keyboard focus back.
        changed: report ``Changes`` to the window.
        closing: whether the window is shutting down (no new dialogs then).
    """

    controller: ChatController
    parent: QWidget
    tasks: OwnedTasks
    show_status: Callable[[str], None]
    show_notice: ShowNotice
    focus_composer: Callable[[], None]
    changed: Callable[[Changes], None]
    closing: Callable[[], bool]

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a coroutine as one of the window's tasks (cancelled and awaited on close)."""
        return self.tasks.spawn(coro)


def report_failure(task: asyncio.Task[Any]) -> None:
    """An operation's task failed unexpectedly (the ``on_failure`` of the window's tasks):
    log it, and say so over the active window."""
    log.error("task failed", exc_info=task.exception())
    parent = QApplication.activeWindow()
    if parent is not None:
        error = task.exception()
        text = QCoreApplication.translate("MainWindow", "Something went wrong: {error}").format(
            error=os_error_text(error) if isinstance(error, OSError) else error
        )
        box = QMessageBox(QMessageBox.Icon.Warning, "Cairn", text, QMessageBox.StandardButton.Ok,
                          parent)
        box.open()
