"""Shaping conversations in the window: sidebar groups and search, pin, rename in place,
delete with undo, Ctrl+Up/Down, edit and regenerate with versions, generated titles, long
conversations opened lazily, export/import, the shortcuts sheet and the theme switch."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop_app.core.conversation import Conversation, Message
from desktop_app.core.markdown import DARK, LIGHT
from desktop_app.core.titles import TITLE_SYSTEM_PROMPT
from desktop_app.storage.history_store import SCHEMA_VERSION
from desktop_app.ui.sidebar.conversation_list_model import MessageIdRole, SnippetRole
from desktop_app.ui.messages.message_view import PAGE_SIZE, ReplyWidget, UserMessageWidget
from desktop_app.ui.messages.rich_text_view import RichTextView
from tests.conftest import close_window, until
from tests.fake_api import Reply
from tests.helpers.gui_helpers import (
    chat_with,
    is_laid_out,
    replies,
    sidebar_headers,
    sidebar_index,
    sidebar_titles,
    type_and_send,
)

pytestmark = pytest.mark.asyncio


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def file_of(data_dir, conversation) -> dict:
    return json.loads((data_dir / "conversations" / f"{conversation.id}.json").read_text())


async def test_sidebar_groups_selects_and_searches_message_text(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(Reply("The capital of France is Paris."))
    first = await chat_with(window, qtbot, "geography question")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.messages.empty_state.isVisible() and window.composer.edit.hasFocus()
    await chat_with(window, qtbot, "second chat")
    assert sidebar_titles(window) == ["second chat", "geography question"]
    assert sidebar_headers(window) == ["Today"]
    # Click the older one: it is shown and highlighted.
    rect = window.sidebar.list.visualRect(sidebar_index(window, "geography question"))
    qtbot.mouseClick(window.sidebar.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.controller.current.id == first.id
    assert window.header.title.text() == "geography question"
    # Ctrl+F searches titles and message text as you type.
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.sidebar.search.hasFocus()
    qtbot.keyClicks(window.sidebar.search, "paris")
    assert sidebar_titles(window) == ["geography question"]
    hit = sidebar_index(window, "geography question")
    assert "Paris" in hit.data(SnippetRole)
    assert hit.data(MessageIdRole) == first.messages[1].id
    window.sidebar.search.clear()
    qtbot.keyClicks(window.sidebar.search, "no such words")
    assert sidebar_titles(window) == [] and window.sidebar.no_results.isVisible()
    window.sidebar.search.clear()
    assert len(sidebar_titles(window)) == 2 and not window.sidebar.no_results.isVisible()


async def test_ctrl_up_and_down_move_between_conversations(app_factory, fake_api, qtbot):
    window = await app_factory()
    older = await chat_with(window, qtbot, "older")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    newer = await chat_with(window, qtbot, "newer")
    qtbot.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.current.id == older.id
    qtbot.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.current.id == older.id  # the last one stays
    qtbot.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.current.id == newer.id
    assert window.header.title.text() == "newer"


async def test_rename_in_place_and_pin(app_factory, fake_api, qtbot, data_dir):
    window = await app_factory()
    older = await chat_with(window, qtbot, "to be pinned")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    newer = await chat_with(window, qtbot, "to be renamed")
    window.sidebar.start_rename(newer.id)
    editor = window.sidebar.list.findChild(QLineEdit)
    assert editor is not None and editor.text() == "to be renamed"
    editor.selectAll()
    qtbot.keyClicks(editor, "Renamed chat")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    await until(lambda: "Renamed chat" in sidebar_titles(window), message="renamed")
    await until(lambda: file_of(data_dir, newer)["title"] == "Renamed chat")
    assert window.header.title.text() == "Renamed chat"

    menu = window.sidebar.row_menu(older.id, pinned=False)
    next(a for a in menu.actions() if a.text() == "Pin to top").trigger()
    await until(lambda: sidebar_headers(window) == ["Pinned", "Today"], message="pinned group")
    assert sidebar_titles(window) == ["to be pinned", "Renamed chat"]
    await until(lambda: file_of(data_dir, older).get("pinned") is True)
    menu.close()


async def test_delete_offers_undo_then_removes_the_file(app_factory, fake_api, qtbot, data_dir):
    window = await app_factory()
    keep = await chat_with(window, qtbot, "keep me")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    doomed = await chat_with(window, qtbot, "delete me")
    path = data_dir / "conversations" / f"{doomed.id}.json"
    window.sidebar.list.setFocus()
    window.sidebar.list.setCurrentIndex(sidebar_index(window, "delete me"))
    qtbot.keyClick(window.sidebar.list, Qt.Key.Key_Delete)
    assert sidebar_titles(window) == ["keep me"]
    assert window.controller.current.id == keep.id
    assert window.undo_bar.isVisible() and "delete me" in window.undo_bar.text()
    click(qtbot, window.undo_bar.button)
    assert sidebar_titles(window) == ["delete me", "keep me"]
    assert window.controller.current.id == doomed.id and path.exists()

    window.controller.undo_seconds = 0.2
    window.controller.delete_with_undo(doomed.id)
    await until(lambda: not path.exists(), message="file removed after the undo window")
    assert not window.controller.undo_delete(doomed.id)
    assert sidebar_titles(window) == ["keep me"]


async def test_closing_during_the_undo_window_deletes_for_good(app_factory, fake_api, qtbot, data_dir):
    window = await app_factory()
    doomed = await chat_with(window, qtbot, "delete me")
    window.controller.delete_with_undo(doomed.id)
    assert (data_dir / "conversations" / f"{doomed.id}.json").exists()
    await close_window(window)
    assert not (data_dir / "conversations" / f"{doomed.id}.json").exists()


async def test_edit_resends_and_keeps_the_old_version(app_factory, fake_api, qtbot, data_dir):
    window = await app_factory()
    fake_api.enqueue(Reply("Four."), Reply("Ten."), Reply("Twenty."))
    conversation = await chat_with(window, qtbot, "what is 2+2?", "and 5+5?")
    second = conversation.messages[2]
    widget = window.messages.widget_for(second.id)
    assert isinstance(widget, UserMessageWidget)
    click(qtbot, widget.actions.edit_button)
    assert widget.editing and widget.edit_box.toPlainText() == "and 5+5?"
    widget.edit_box.selectAll()
    qtbot.keyClicks(widget.edit_box, "and 10+10?")
    qtbot.keyClick(widget.edit_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: replies(window)[-1].text == "Twenty." and not window.controller.is_busy())
    sent = fake_api.message_requests()[-1].body["messages"]
    assert [b["text"] for m in sent for b in m["content"]] == ["what is 2+2?", "Four.", "and 10+10?"]
    edited = window.controller.current.messages[2]
    edited_widget = window.messages.widget_for(edited.id)
    assert edited_widget.actions.position.text() == "2/2"
    assert edited_widget.actions.previous_button.isVisibleTo(edited_widget)
    requests = len(fake_api.message_requests())
    click(qtbot, edited_widget.actions.previous_button)
    await until(lambda: window.controller.current.messages[2].id == second.id, message="flipped")
    assert [m.text for m in window.controller.current.messages] == [
        "what is 2+2?", "Four.", "and 5+5?", "Ten."]
    assert window.messages.widget_for(second.id).actions.position.text() == "1/2"
    assert len(fake_api.message_requests()) == requests  # flipping sends nothing
    await until(lambda: file_of(data_dir, conversation)["messages"][2]["id"] == second.id)
    saved = file_of(data_dir, conversation)
    assert [m["content"][0]["text"] for m in saved["branches"][0]["messages"]] == [
        "and 10+10?", "Twenty."]
    # The next message continues the shown version only.
    await chat_with(window, qtbot, "thanks")
    sent = fake_api.message_requests()[-1].body["messages"]
    assert "and 10+10?" not in json.dumps(sent) and "and 5+5?" in json.dumps(sent)


async def test_regenerate_keeps_both_replies_and_survives_a_restart(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(Reply("First try."), Reply("Second try."))
    conversation = await chat_with(window, qtbot, "tell me something")
    reply = window.messages.widget_for(conversation.messages[1].id)
    assert isinstance(reply, ReplyWidget)
    click(qtbot, reply.regenerate_button)
    await until(lambda: replies(window) and replies(window)[-1].text == "Second try."
                and not window.controller.is_busy())
    window.messages.flush()
    new = window.messages.widget_for(window.controller.current.messages[1].id)
    assert new.actions.position.text() == "2/2"
    assert len(fake_api.message_requests()[-1].body["messages"]) == 1  # only the question

    await close_window(window)
    again = await app_factory()
    current = again.controller.current
    assert current.id == conversation.id and current.messages[1].text == "Second try."
    widget = again.messages.widget_for(current.messages[1].id)
    click(qtbot, widget.actions.previous_button)
    await until(lambda: again.controller.current.messages[1].text == "First try.")


async def test_generated_title_replaces_the_first_words_and_is_paid_for(app_factory, fake_api, qtbot):
    window = await app_factory(titles=True)
    fake_api.enqueue(Reply("Try a ryokan near Gion.", chunks=2), Reply("Kyoto Stay Ideas"))
    conversation = await chat_with(window, qtbot, "where should I stay in kyoto next spring?")
    await until(lambda: conversation.title == "Kyoto Stay Ideas", message="generated title")
    await until(lambda: sidebar_titles(window) == ["Kyoto Stay Ideas"])
    title_request = fake_api.message_requests()[-1].body
    assert title_request["system"] == TITLE_SYSTEM_PROMPT and "stream" not in title_request
    assert title_request["max_tokens"] <= 50
    usage = conversation.auxiliary_usage[0]
    assert usage["purpose"] == "title" and usage["usage"]["output_tokens"] > 0
    reply_cost = window.controller.cost_of_message(conversation.messages[1])
    assert window.controller.conversation_cost(conversation) > reply_cost
    # Only once: later replies keep the title.
    await chat_with(window, qtbot, "and in autumn?")
    assert conversation.title == "Kyoto Stay Ideas"
    assert len(conversation.auxiliary_usage) == 1


async def test_titles_can_be_turned_off(app_factory, fake_api, qtbot):
    window = await app_factory(titles=False)
    await chat_with(window, qtbot, "no generated title please")
    await window.controller.settle()
    assert all(r.body.get("stream") for r in fake_api.message_requests())
    assert window.controller.current.title == "no generated title please"


async def test_a_2000_message_conversation_opens_lazily(app_factory, fake_api, qtbot, data_dir):
    conversation = Conversation(title="Very long")
    for n in range(1000):
        conversation.messages.append(Message("user", [{"type": "text", "text": f"question {n}"}]))
        conversation.messages.append(Message(
            "assistant", [{"type": "text", "text": f"answer **{n}**"}], model="claude-opus-4-7"))
    folder = data_dir / "conversations"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{conversation.id}.json").write_text(json.dumps(conversation.to_json(SCHEMA_VERSION)))
    window = await app_factory()
    assert window.controller.current.id == conversation.id
    view = window.messages
    assert PAGE_SIZE <= view.built_count <= 3 * PAGE_SIZE  # about a screenful, not 2,000
    bar = view.verticalScrollBar()
    await until(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), message="at the end")
    built = view.built_count
    bar.setValue(0)  # scrolling to the top builds the page before
    await until(lambda: view.built_count >= built + PAGE_SIZE, message="earlier page built")
    # What was on screen stays in place: the view is not left at the new top.
    await until(lambda: bar.value() > 0, message="scroll position kept")
    target = window.controller.current.messages[-8 * PAGE_SIZE]  # a search hit further up
    assert view.widget_for(target.id) is None
    assert view.reveal(target.id)
    assert view.widget_for(target.id) is not None and view.built_count < 2000


async def test_export_then_import_brings_a_conversation_back(app_factory, fake_api, qtbot, tmp_path):
    window = await app_factory()
    fake_api.enqueue(Reply("Stones piled by people."))
    conversation = await chat_with(window, qtbot, "what is a cairn?")
    json_path, md_path = tmp_path / "chat.json", tmp_path / "chat.md"
    assert "Exported" in await window.transfer.export_conversation(conversation.id, "json", json_path)
    assert "Exported" in await window.transfer.export_conversation(conversation.id, "markdown", md_path)
    assert "Stones piled by people." in md_path.read_text() and "what is a cairn?" in md_path.read_text()
    backup = tmp_path / "backup.zip"
    assert "Backed up 1 conversation" in await window.transfer.export_all(backup)
    await window.controller.delete(conversation.id)
    assert sidebar_titles(window) == []
    message = await window.transfer.import_file(json_path)
    assert "1 conversation added" in message
    assert sidebar_titles(window) == ["what is a cairn?"]
    assert "already here" in await window.transfer.import_file(backup)  # merged, not doubled
    assert sidebar_titles(window) == ["what is a cairn?"]
    broken = tmp_path / "broken.json"
    broken.write_text("not json at all")
    assert "not" in (await window.transfer.import_file(broken)).lower()


async def test_shortcuts_sheet_opens_with_ctrl_slash(app_factory, qtbot):
    from desktop_app.ui.dialogs.shortcuts_dialog import ShortcutsDialog

    window = await app_factory()
    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: any(d.isVisible() for d in window.findChildren(ShortcutsDialog)))
    dialog = next(d for d in window.findChildren(ShortcutsDialog) if d.isVisible())
    actions = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert "Search conversations" in actions and "Next conversation" in actions
    dialog.reject()


async def test_theme_switch_recolours_replies_and_code(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(Reply("```python\nprint('hi')\n```"))
    await chat_with(window, qtbot, "code please")
    settings = window.controller.settings
    settings.theme = "light"
    window.apply_theme()
    reply = window.messages.widget_for(window.controller.current.messages[1].id)
    assert LIGHT.code_background in reply.body.text()
    settings.theme = "dark"
    window.apply_theme()
    window.messages.flush()
    reply = window.messages.widget_for(window.controller.current.messages[1].id)
    assert DARK.code_background in reply.body.text()
    assert window.theme.name == "dark"
    sheet = QApplication.instance().styleSheet()
    assert window.theme.window in sheet


async def test_short_messages_fill_the_view_so_there_is_something_to_scroll(app_factory, data_dir):
    conversation = Conversation(title="Many tiny messages")
    for n in range(200):
        conversation.messages.append(Message("user", [{"type": "text", "text": "k"}]))
        conversation.messages.append(Message(
            "assistant", [{"type": "text", "text": "ok"}], model="claude-opus-4-7"))
    folder = data_dir / "conversations"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{conversation.id}.json").write_text(json.dumps(conversation.to_json(SCHEMA_VERSION)))
    window = await app_factory()
    window.resize(1100, 1400)  # taller than a page of tiny messages
    bar = window.messages.verticalScrollBar()
    await until(lambda: bar.maximum() > 0, message="enough built to scroll")
    assert PAGE_SIZE < window.messages.built_count < 400


async def test_the_view_follows_a_streaming_reply_unless_the_reader_scrolled_up(
    app_factory, fake_api, qtbot
):
    import threading

    window = await app_factory()
    await chat_with(window, qtbot, *[f"question {n}" for n in range(6)])  # something to scroll
    gate = threading.Event()
    long_text = "".join(f"Line {n} of a long answer.\n\n" for n in range(400))
    fake_api.enqueue(Reply(long_text, chunks=200, delay=0.01, gate=gate))
    type_and_send(window, qtbot, "a long one please")
    bar = window.messages.verticalScrollBar()
    await until(lambda: replies(window) and replies(window)[-1].text, message="first words")
    gate.set()
    await until(lambda: bar.maximum() > 2000, message="the reply grows")
    assert bar.value() == bar.maximum()  # pinned to the end while it streams
    bar.setValue(bar.maximum() // 3)  # the reader scrolls up to read
    kept = bar.value()
    grown = bar.maximum()
    await until(lambda: bar.maximum() > grown + 500, message="more text arrived")
    assert bar.value() == kept  # and the text does not pull them down
    await window.controller.wait_idle()


async def test_a_broad_search_lists_a_screenful_and_says_how_many_matched(
    app_factory, data_dir, qtbot, monkeypatch
):
    from desktop_app.ui.session import chat_controller

    monkeypatch.setattr(chat_controller, "SEARCH_ROW_LIMIT", 5)
    folder = data_dir / "conversations"
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(12):
        conversation = Conversation(title=f"Recipe {n}")
        conversation.add_user_message(f"a saffron recipe, number {n}")
        conversation.title = f"Recipe {n}"
        (folder / f"{conversation.id}.json").write_text(
            json.dumps(conversation.to_json(SCHEMA_VERSION)))
    window = await app_factory()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.sidebar.search, "saffron")
    assert len(sidebar_titles(window)) == 5
    assert window.sidebar.no_results.isVisible()
    assert "5 of 12" in window.sidebar.no_results.text()
    qtbot.keyClicks(window.sidebar.search, " recipe, number 7")
    assert sidebar_titles(window) == ["Recipe 7"] and not window.sidebar.no_results.isVisible()


async def test_a_long_streamed_reply_is_rendered_in_frozen_pieces_and_loses_nothing(
    app_factory, fake_api, qtbot
):
    window = await app_factory()
    text = "".join(f"Paragraph {n} says **something**.\n\n" for n in range(500))
    fake_api.enqueue(Reply(text, chunks=250, delay=0.002))
    reply = (await chat_with(window, qtbot, "long please")).messages[-1]
    body = window.messages.widget_for(reply.id).body
    assert body.chunk_count >= 2  # finished blocks were rendered once, not on every update
    html = body.text()
    assert all(f"Paragraph {n} says <strong>something</strong>" in html for n in range(500))
    # Once Qt has laid the column out (it does so from the event loop, before painting; the
    # last piece may have been rendered just now, by flush()), each piece is exactly as tall
    # as its text (no blank stretches), and the end of the reply is on screen, as the view
    # follows the stream.
    pieces = [piece for piece in body.findChildren(RichTextView) if piece.isVisible()]
    await until(lambda: all(abs(piece.height() - piece.heightForWidth(piece.width())) <= 2
                            for piece in pieces), message="each piece as tall as its text")
    view = window.messages
    bottom = body.mapTo(view.viewport(), body.rect().bottomLeft()).y()
    assert 0 < bottom <= view.viewport().height()


async def test_clicking_a_code_blocks_copy_link_copies_the_code(app_factory, fake_api, qtbot):
    window = await app_factory()
    code = "def double(x):\n    return x * 2\n"
    fake_api.enqueue(Reply(f"Here it is:\n\n```python\n{code}```\n\nDone."))
    reply = (await chat_with(window, qtbot, "code please")).messages[-1]
    piece = window.messages.widget_for(reply.id).body.findChild(RichTextView)
    await until(lambda: is_laid_out(piece) and piece.code_blocks.views
                and piece.code_blocks.views[0].isVisible())
    QApplication.clipboard().clear()
    with qtbot.waitSignal(window.messages.requests.status_message) as status:
        qtbot.mouseClick(piece.code_blocks.views[0].copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == code
    assert status.args == ["Code copied"]


async def test_a_reply_faster_than_the_screen_is_shown_in_steps_and_then_whole(
    app_factory, fake_api, qtbot, monkeypatch
):
    """A stream far faster than any model's (all at once) is shown a frame's worth at a
    time, so one update never holds the window for long, and in the end all of it."""
    from desktop_app.ui.messages.markdown_body import NEW_CHARS_PER_UPDATE, MarkdownBody

    window = await app_factory()
    text = "".join(f"Line {n} of a very fast reply.\n\n" for n in range(1500))  # 48,000 chars
    fake_api.enqueue(Reply(text, chunks=30))
    view = window.messages
    shown: list[int] = []
    real_set_markdown = MarkdownBody.set_markdown

    def noting_progress(body, *args, **kwargs):
        result = real_set_markdown(body, *args, **kwargs)
        shown.append(body.shown_chars)
        return result

    monkeypatch.setattr(MarkdownBody, "set_markdown", noting_progress)
    type_and_send(window, qtbot, "fast please")
    await until(lambda: window.controller.current.last_reply is not None, message="reply")
    reply = window.controller.current.last_reply
    await until(lambda: not window.controller.is_busy() and not view.has_pending_repaints(),
                timeout=30, message="the whole reply on screen without a flush")
    html = view.widget_for(reply.id).body.text()
    assert "Line 0 of" in html and "Line 1499 of a very fast reply." in html
    steps = [b - a for a, b in zip([0, *shown], shown, strict=False) if b > a]
    assert len(steps) >= 10 and max(steps) <= NEW_CHARS_PER_UPDATE
