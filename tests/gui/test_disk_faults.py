"""The disk fills up (or refuses) while Cairn saves: the user is told once, the previous file
stays whole, nothing typed or received is lost, and it is saved as soon as the disk allows."""

from __future__ import annotations

import errno
import json
import os

import pytest

from desktop_app.storage import atomic_file
from tests.conftest import close_window, until
from tests.fake_api import Reply
from tests.helpers.gui_helpers import chat_with

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EACCES])
async def test_a_failed_save_keeps_everything_and_saves_it_later(
    app_factory, fake_api, qtbot, data_dir, monkeypatch, error
):
    window = await app_factory()
    fake_api.enqueue(Reply("First answer."), Reply("Second answer."), Reply("Third answer."))
    conversation = await chat_with(window, qtbot, "first question")
    path = data_dir / "conversations" / f"{conversation.id}.json"
    before = path.read_bytes()

    real_replace = os.replace

    def refuse(*args, **kwargs):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(atomic_file.os, "replace", refuse)
    await chat_with(window, qtbot, "second question")
    await until(lambda: window.notice_bar.isVisible(), message="the failure is said")
    assert "Could not save" in window.notice_bar.text()
    assert os.strerror(error) in window.notice_bar.text()
    assert "kept in memory" in window.notice_bar.text()
    assert path.read_bytes() == before  # the previous version is whole
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert [m.text for m in window.controller.current.messages][-2:] == [
        "second question", "Second answer."]

    monkeypatch.setattr(atomic_file.os, "replace", real_replace)  # space again
    await chat_with(window, qtbot, "third question")
    await until(lambda: "saved again" in window.notice_bar.text(), message="saved again")
    saved = [b["text"] for m in json.loads(path.read_text())["messages"] for b in m["content"]]
    assert saved == ["first question", "First answer.", "second question", "Second answer.",
                     "third question", "Third answer."]


async def test_unsaved_changes_are_saved_when_the_window_closes(
    app_factory, fake_api, qtbot, data_dir, monkeypatch
):
    window = await app_factory()
    conversation = await chat_with(window, qtbot, "first")
    path = data_dir / "conversations" / f"{conversation.id}.json"
    real_replace = os.replace
    monkeypatch.setattr(atomic_file.os, "replace",
                        lambda *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    await chat_with(window, qtbot, "second")
    monkeypatch.setattr(atomic_file.os, "replace", real_replace)
    await close_window(window)  # shutdown saves what could not be saved before
    texts = [m["content"][0]["text"] for m in json.loads(path.read_text())["messages"]]
    assert texts == ["first", "Echo: first", "second", "Echo: second"]
