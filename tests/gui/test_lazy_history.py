"""Conversations are read in full only when needed: the sidebar, search, rename, pin, delete
and attachment clean-up work on the ones that are not open, and never lose a word of them."""

from __future__ import annotations

import errno
import json
import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop_app.core.conversation import Conversation
from desktop_app.storage import atomic_file
from desktop_app.storage.history_store import HistoryStore
from desktop_app.ui.sidebar.conversation_list_model import MessageIdRole, SnippetRole
from tests.conftest import close_window, until
from tests.fake_api import Reply
from tests.helpers.gui_helpers import chat_with, sidebar_index, sidebar_titles
from tests.core.test_search_sidebar import chat
from tests.gui.test_images import png_bytes, send

pytestmark = pytest.mark.asyncio


def saved(data_dir, title: str, *texts: str, updated: str) -> Conversation:
    """A conversation on disk as an earlier session left it (with an older branch too)."""
    conversation = chat(title, *texts)
    conversation.fork_at(conversation.messages[-1].id)  # an earlier reply kept as a branch
    reply = conversation.start_reply("claude-sonnet-4-5")
    reply.content = [{"type": "text", "text": f"Second take on {title}."}]
    conversation.title, conversation.updated_at = title, updated
    HistoryStore(data_dir / "conversations").save(conversation)
    return conversation


def file_of(data_dir, conversation_id: str) -> dict:
    return json.loads((data_dir / "conversations" / f"{conversation_id}.json").read_text())


def texts_in_file(data_dir, conversation_id: str) -> list[str]:
    document = file_of(data_dir, conversation_id)
    messages = document["messages"] + [m for b in document.get("branches", []) for m in b["messages"]]
    return sorted(block["text"] for m in messages for block in m["content"] if "text" in block)


def three_saved(data_dir) -> tuple[Conversation, Conversation, Conversation]:
    old = saved(data_dir, "Lisbon trip", "Where to eat in Alfama?", "Try the Tasca do Chico.",
                updated="2026-11-20T10:00:00.000Z")
    middle = saved(data_dir, "Bread", "Why is my loaf dense?", "Your Starter may be weak.",
                   updated="2026-11-21T10:00:00.000Z")
    new = saved(data_dir, "Taxes", "Is a home office deductible?", "Often, with records.",
                updated="2026-11-22T10:00:00.000Z")
    return old, middle, new


async def test_only_the_shown_conversation_is_read_and_others_open_on_click(
    app_factory, data_dir, qtbot
):
    old, middle, new = three_saved(data_dir)
    window = await app_factory()
    controller = window.controller
    assert sidebar_titles(window) == ["Taxes", "Bread", "Lisbon trip"]
    assert controller.current.id == new.id and set(controller.conversations) == {new.id}

    # Search finds words in conversations that are not open, with a snippet as written.
    window.sidebar.search.setFocus()
    qtbot.keyClicks(window.sidebar.search, "tasca")
    assert sidebar_titles(window) == ["Lisbon trip"]
    hit = sidebar_index(window, "Lisbon trip")
    assert "Tasca do Chico" in hit.data(SnippetRole)
    assert hit.data(MessageIdRole) == old.branches[0].messages[0].id  # the older branch
    assert set(controller.conversations) == {new.id}  # a snippet does not open it
    window.sidebar.search.clear()

    rect = window.sidebar.list.visualRect(sidebar_index(window, "Bread"))
    qtbot.mouseClick(window.sidebar.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.header.title.text() == "Bread"
    assert [m.text for m in controller.current.messages] == [
        "Why is my loaf dense?", "Second take on Bread."]
    assert set(controller.conversations) == {middle.id}  # the one left behind is let go
    assert sidebar_titles(window) == ["Taxes", "Bread", "Lisbon trip"]
    controller.select(new.id)
    assert [m.text for m in controller.current.messages] == [
        "Is a home office deductible?", "Second take on Taxes."]


async def test_a_reply_cut_off_when_cairn_closed_offers_retry_not_a_cursor(
    app_factory, data_dir, fake_api, qtbot
):
    conversation = chat("Cut off", "Tell me a story.")
    reply = conversation.start_reply("claude-sonnet-4-5")  # Cairn died while it arrived
    reply.content = [{"type": "text", "text": "Once upon a"}]
    HistoryStore(data_dir / "conversations").save(conversation)
    window = await app_factory()
    window.messages.flush()
    widget = window.messages.widget_for(reply.id)
    assert "Once upon a" in widget.body.text() and "▍" not in widget.body.text()
    assert widget.card.isVisible() and "closed before this reply finished" in \
        widget.card_text.text()
    assert widget.retry_button.isVisible()
    fake_api.enqueue(Reply("Once upon a time, the end."))
    qtbot.mouseClick(widget.retry_button, Qt.MouseButton.LeftButton)
    await until(lambda: window.controller.current.messages[-1].text == "Once upon a time, the end."
                and not window.controller.is_busy(), message="retried")


async def test_rename_pin_delete_and_undo_of_a_closed_conversation_keep_every_message(
    app_factory, data_dir, qtbot
):
    old, middle, new = three_saved(data_dir)
    before = texts_in_file(data_dir, middle.id)
    window = await app_factory()
    controller = window.controller
    window.sidebar.start_rename(middle.id)
    editor = window.sidebar.list.findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Sourdough")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    await until(lambda: file_of(data_dir, middle.id)["title"] == "Sourdough", message="renamed")
    assert texts_in_file(data_dir, middle.id) == before  # both branches still there

    await controller.set_pinned(old.id, True)
    assert file_of(data_dir, old.id)["pinned"] is True
    assert len(texts_in_file(data_dir, old.id)) == 3
    assert sidebar_titles(window) == ["Lisbon trip", "Taxes", "Sourdough"]

    controller.delete_with_undo(middle.id)
    assert sidebar_titles(window) == ["Lisbon trip", "Taxes"]
    assert window.undo_bar.isVisible() and "Sourdough" in window.undo_bar.text()
    assert controller.undo_delete(middle.id)
    assert window.header.title.text() == "Sourdough"
    assert texts_in_file(data_dir, middle.id) == before
    assert sorted(m.text for m in controller.current.all_messages()) == before


async def test_a_listed_conversation_whose_file_went_missing_says_so(app_factory, data_dir):
    old, middle, new = three_saved(data_dir)
    window = await app_factory()
    (data_dir / "conversations" / f"{middle.id}.json").unlink()  # another program removed it
    window.controller.select(middle.id)
    assert window.notice_bar.isVisible() and "Bread" in window.notice_bar.text()
    assert window.controller.current.id == new.id
    assert sidebar_titles(window) == ["Taxes", "Lisbon trip"]


async def test_deleting_keeps_images_a_closed_conversation_still_uses(
    app_factory, fake_api, qtbot, tmp_path, data_dir
):
    window = await app_factory()
    shared = tmp_path / "shared.png"
    shared.write_bytes(png_bytes(100, 100, (1, 2, 3)))
    ids = []
    for text, images in (("first", [shared]), ("second", [shared]), ("third", [])):
        window.controller.new_conversation()
        window.controller.attachments.add_paths(images)
        await window.controller.attachments.wait()
        await send(window, qtbot, text)
        ids.append(window.controller.current.id)
    await close_window(window)
    window = await app_factory()  # the next start: only the newest is read in full
    assert set(window.controller.conversations) == {ids[2]}
    await window.controller.delete(ids[1])
    assert len(list((data_dir / "attachments").rglob("*.png"))) == 1  # the first needs it
    await window.controller.delete(ids[0])
    assert list((data_dir / "attachments").rglob("*.png")) == []


async def test_a_conversation_that_could_not_be_saved_stays_whole_in_memory(
    app_factory, fake_api, qtbot, data_dir, monkeypatch
):
    window = await app_factory()
    controller = window.controller
    first = await chat_with(window, qtbot, "keep these words")

    def refuse(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic_file.os, "replace", refuse)  # the disk is full from now on
    await controller.rename(first.id, "Renamed on a full disk")
    controller.new_conversation()
    await chat_with(window, qtbot, "second chat")
    second = controller.current
    controller.select(first.id)
    controller.select(second.id)  # first is left behind, but it has unsaved changes
    controller.select(first.id)
    assert controller.current.title == "Renamed on a full disk"  # not the older file
    assert file_of(data_dir, first.id)["title"] != "Renamed on a full disk"
    monkeypatch.undo()
    controller.select(second.id)
    await controller.rename(second.id, "Space again")  # a save that works saves the others
    await until(lambda: file_of(data_dir, first.id)["title"] == "Renamed on a full disk")
