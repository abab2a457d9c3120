"""OwnedTasks: one owner per kind of work, keyed tasks, and a shutdown that cancels several
owners at once and waits until every task has ended (its clean-up included)."""

from __future__ import annotations

import asyncio

import pytest

from desktop_app.ui.lib.owned_tasks import OwnedTasks, close_together

pytestmark = pytest.mark.asyncio


async def test_a_keyed_task_is_found_until_it_ends_and_a_newer_one_replaces_it() -> None:
    owner = OwnedTasks()
    first_may_end = asyncio.Event()
    first = owner.spawn(first_may_end.wait(), key="c1")
    assert owner.get("c1") is first and owner.keys() == ["c1"]
    second = owner.spawn(asyncio.Event().wait(), key="c1")
    assert owner.get("c1") is second
    first_may_end.set()
    await first
    await asyncio.sleep(0)  # its done-callback
    assert owner.get("c1") is second and len(owner) == 1  # the older one did not unkey it
    await owner.close()
    assert owner.get("c1") is None and not owner


async def test_on_done_sees_the_task_gone_and_on_change_hears_start_and_end() -> None:
    changes: list[int] = []
    owner = OwnedTasks(on_change=lambda: changes.append(len(owner)))
    seen: list[object] = []
    task = owner.spawn(asyncio.sleep(0), key="k",
                       on_done=lambda done: seen.append(owner.get("k")))
    await owner.wait()
    assert task.done() and seen == [None]
    assert changes == [1, 0]


async def test_close_together_cancels_every_owner_first_then_waits_for_clean_up() -> None:
    replies, background = OwnedTasks(), OwnedTasks()
    cleaned: list[str] = []

    async def reply() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            # A stopped reply saves what arrived; meanwhile the background task must already
            # have been cancelled too, not left running until the replies are done.
            await asyncio.sleep(0)
            cleaned.append(f"reply, background cancelled: {background_task.cancelled()}")

    async def background_work() -> None:
        await asyncio.Event().wait()

    reply_task = replies.spawn(reply())
    background_task = background.spawn(background_work())
    await asyncio.sleep(0)  # both started
    await close_together(replies, background)
    assert reply_task.cancelled() and background_task.cancelled()
    assert cleaned == ["reply, background cancelled: True"]


async def test_wait_includes_tasks_started_meanwhile() -> None:
    owner = OwnedTasks()
    finished: list[str] = []

    async def later() -> None:
        await asyncio.sleep(0)
        finished.append("later")

    async def first() -> None:
        owner.spawn(later())
        finished.append("first")

    owner.spawn(first())
    await owner.wait()
    assert finished == ["first", "later"] and not owner
