"""Closing Cairn in stages, once (qutebrowser's quitter): cancel and await every task the
window owns, let the controller stop replies (each saves what arrived), save and close its
clients, and only then let the window really close.

Signals:
    finished: everything has stopped and been saved; the window may close now.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QObject, Signal

from desktop_app.ui.lib.owned_tasks import OwnedTasks
from desktop_app.ui.session.chat_controller import ChatController


class Shutdown(QObject):
    """See the module docstring.

    Args:
        tasks: the window's tasks, cancelled and awaited first.
        controller: shut down once they have ended.
    """

    finished = Signal()

    def __init__(
        self, tasks: OwnedTasks, controller: ChatController, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._controller = controller
        self._task: asyncio.Task[None] | None = None
        self.done = False  # True once finished has been emitted

    @property
    def started(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        """Begin shutting down; a second call does nothing (it runs once)."""
        if self._task is None:
            self._task = asyncio.ensure_future(self._stages())

    async def _stages(self) -> None:
        await self._tasks.close()
        await self._controller.shutdown()
        self.done = True
        self.finished.emit()
