"""One way to own asyncio tasks: every task Cairn starts belongs to an owner that can wait
for them, cancel them and await the cancellation (shutdown runs once, with nothing left over).

Each owner is a plain object (no Qt), so the controller, the window and the attachment queue
share the same bookkeeping instead of four hand-written ``set[Task]`` copies.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Hashable, Iterator
from typing import Any

log = logging.getLogger(__name__)


def log_failure(task: asyncio.Task[Any]) -> None:
    """A done-callback that logs an owned task's unexpected exception (cancelling is not one)."""
    if not task.cancelled() and task.exception() is not None:
        log.error("background task failed", exc_info=task.exception())


class OwnedTasks:
    """Tasks started through ``spawn`` until they finish; optionally keyed (one per key).

    Args:
        on_failure: called with each task that ended in an exception (default: logged).
        on_change: called after a task is added or has finished (for "busy" displays).
    """

    def __init__(
        self,
        on_failure: Callable[[asyncio.Task[Any]], None] = log_failure,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._keyed: dict[Hashable, asyncio.Task[Any]] = {}
        self._on_failure = on_failure
        self._on_change = on_change

    def spawn(
        self,
        coro: Coroutine[Any, Any, Any],
        *,
        key: Hashable | None = None,
        on_done: Callable[[asyncio.Task[Any]], None] | None = None,
    ) -> asyncio.Task[Any]:
        """Start ``coro`` as an owned task. With ``key``, ``get(key)`` finds it until it ends
        (a later task under the same key replaces it). ``on_done`` runs when it has finished,
        after the task has left this owner."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        if key is not None:
            self._keyed[key] = task

        def finished(done: asyncio.Task[Any]) -> None:
            self._tasks.discard(done)
            if key is not None and self._keyed.get(key) is done:
                del self._keyed[key]
            if on_done is not None:
                on_done(done)
            if _failed(done):
                self._on_failure(done)
            if self._on_change is not None:
                self._on_change()

        task.add_done_callback(finished)
        if self._on_change is not None:
            self._on_change()
        return task

    def get(self, key: Hashable) -> asyncio.Task[Any] | None:
        """The running task started under ``key``, if any."""
        return self._keyed.get(key)

    def keys(self) -> list[Hashable]:
        return list(self._keyed)

    def __bool__(self) -> bool:
        return bool(self._tasks)

    def __len__(self) -> int:
        return len(self._tasks)

    def __iter__(self) -> Iterator[asyncio.Task[Any]]:
        return iter(list(self._tasks))

    async def wait(self) -> None:
        """Until every owned task, including ones started meanwhile, has finished."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def cancel(self) -> None:
        """Ask every owned task to stop (returns at once; ``close`` also awaits them)."""
        for task in list(self._tasks):
            task.cancel()

    async def close(self) -> None:
        """Cancel every owned task and wait until each has ended."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def close_together(*owners: OwnedTasks) -> None:
    """Cancel the tasks of several owners at once, then wait until every one has ended (so
    none of them runs on while another owner's tasks are being awaited)."""
    tasks = [task for owner in owners for task in owner]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _failed(task: asyncio.Task[Any]) -> bool:
    return not task.cancelled() and task.exception() is not None
