"""Search as the reader uses it (issue 18): the snippet shows the match itself, marked, in the
row's width; ↓ from the search field moves into the results and Enter opens one; an opened
hit is scrolled fully into view with the searched words marked in it."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from desktop_app.core.conversation import Conversation, Message
from desktop_app.storage.history_store import SCHEMA_VERSION
from desktop_app.ui.messages.message_view import PAGE_SIZE
from tests.conftest import until
from tests.helpers.gui_helpers import sidebar_index, sidebar_titles

pytestmark = pytest.mark.asyncio

RETRY = ("When a server is overloaded, retrying immediately only makes things worse. The usual "
         "answer is a retry loop with exponential backoff and jitter: wait 1 s, then 2 s, then "
         "4 s, each time plus a random fraction, and give up after a few attempts.")


def save(data_dir, conversation: Conversation) -> None:
    folder = data_dir / "conversations"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{conversation.id}.json").write_text(
        json.dumps(conversation.to_json(SCHEMA_VERSION)))


def long_chat(title: str, hit_text: str, before: int = 0, after: int = 40) -> Conversation:
    """A conversation with ``hit_text`` as a reply after ``before`` exchanges and followed by
    ``after`` more (so it is far from the end that opens first)."""
    conversation = Conversation(title=title)

    def exchange(n: int) -> None:
        conversation.messages.append(Message("user", [{"type": "text", "text": f"question {n}"}]))
        conversation.messages.append(Message(
            "assistant", [{"type": "text", "text": f"answer {n}: " + "sockets stay open. " * 6}],
            model="claude-opus-4-7"))

    for n in range(before):
        exchange(n)
    conversation.messages.append(Message("user", [{"type": "text", "text": "How should I retry?"}]))
    conversation.messages.append(Message("assistant", [{"type": "text", "text": hit_text}],
                                         model="claude-opus-4-7"))
    for n in range(before, before + after):
        exchange(n)
    return conversation


def hovered_option(window, index) -> QStyleOptionViewItem:
    """How the list asks the delegate to draw a hovered row (the narrowest: ⋯ shows)."""
    view = window.sidebar.list
    option = QStyleOptionViewItem()
    option.initFrom(view.viewport())
    option.rect = view.visualRect(index)
    option.font = view.font()
    option.fontMetrics = view.fontMetrics()
    option.state |= QStyle.StateFlag.State_MouseOver
    option.widget = view
    return option


def fully_inside(widget, viewport) -> bool:
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(QRect(top_left, widget.size()))


async def test_the_snippet_shows_the_match_marked_within_the_rows_width(
    app_factory, data_dir, qtbot
):
    save(data_dir, long_chat("Retrying flaky HTTP requests", RETRY, after=0))
    window = await app_factory()
    window.sidebar.setFixedWidth(220)  # a narrow sidebar: the row shows a short piece
    qtbot.keyClicks(window.sidebar.search, "backoff")
    index = sidebar_index(window, "Retrying flaky HTTP requests")
    title, snippet = window.sidebar.delegate.shown_text(hovered_option(window, index), index)
    assert snippet is not None and "backoff" in snippet.text
    assert [snippet.text[a:b] for a, b in snippet.marks] == ["backoff"]
    assert snippet.text.startswith("…") and snippet.text.endswith("…")
    view = window.sidebar.list
    metrics = view.fontMetrics()
    assert metrics.horizontalAdvance(snippet.text) <= view.visualRect(index).width()
    # A title match marks the words in the title.
    window.sidebar.search.clear()
    qtbot.keyClicks(window.sidebar.search, "flaky")
    index = sidebar_index(window, "Retrying flaky HTTP requests")
    title, snippet = window.sidebar.delegate.shown_text(hovered_option(window, index), index)
    assert snippet is None and [title.text[a:b] for a, b in title.marks] == ["flaky"]


async def test_the_snippet_shows_the_reply_as_read_not_its_markdown(
    app_factory, data_dir, qtbot
):
    """Issue 18: the row showed "…with **exponential backoff** and…", asterisks and all."""
    markdown = RETRY.replace("exponential backoff", "**exponential backoff**").replace(
        "jitter", "`jitter`")
    save(data_dir, long_chat("Retrying flaky HTTP requests", markdown, after=0))
    window = await app_factory()
    qtbot.keyClicks(window.sidebar.search, "backoff")
    index = sidebar_index(window, "Retrying flaky HTTP requests")
    await until(lambda: window.sidebar.delegate.shown_text(
        hovered_option(window, index), index)[1] is not None)
    _, snippet = window.sidebar.delegate.shown_text(hovered_option(window, index), index)
    assert "*" not in snippet.text and "`" not in snippet.text
    assert "exponential backoff" in snippet.text
    assert [snippet.text[a:b] for a, b in snippet.marks] == ["backoff"]


async def test_down_from_the_search_field_moves_into_the_results(app_factory, data_dir, qtbot):
    first = long_chat("Networking notes", RETRY, after=1)
    second = long_chat("Other backoff notes", "Linear backoff is simpler.", after=1)
    second.updated_at = "2020-01-01T00:00:00.000Z"
    save(data_dir, first)
    save(data_dir, second)
    window = await app_factory()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.sidebar.search, "backoff")
    await until(lambda: len(sidebar_titles(window)) == 2, message="two results")
    qtbot.keyClick(window.sidebar.search, Qt.Key.Key_Down)
    view = window.sidebar.list
    first = sidebar_index(window, sidebar_titles(window)[0])
    assert view.hasFocus() and view.currentIndex() == first
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex() == sidebar_index(window, sidebar_titles(window)[1])
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Up)  # from the first result, back to the field
    assert window.sidebar.search.hasFocus()
    # Enter in the field opens the first result, at its hit.
    qtbot.keyClick(window.sidebar.search, Qt.Key.Key_Return)
    await until(lambda: window.messages.hit_marks is not None, message="hit opened")
    assert window.controller.current.title == sidebar_titles(window)[0]


async def test_an_opened_hit_is_fully_in_view_with_the_words_marked(app_factory, data_dir, qtbot):
    conversation = long_chat("Networking notes", RETRY, before=3, after=4 * PAGE_SIZE)
    hit = conversation.messages[7]
    save(data_dir, conversation)
    other = long_chat("Something else", "Nothing to see.", after=0)
    save(data_dir, other)
    window = await app_factory()
    window.resize(1000, 700)
    view = window.messages
    assert view.widget_for(hit.id) is None  # far up: not built when the conversation opens
    qtbot.keyClicks(window.sidebar.search, "backoff jitter")
    qtbot.keyClick(window.sidebar.search, Qt.Key.Key_Down)
    qtbot.keyClick(window.sidebar.list, Qt.Key.Key_Return)  # Enter on the result opens it
    await until(lambda: window.controller.current.id == conversation.id, message="opened")
    await until(lambda: view.widget_for(hit.id) is not None
                and fully_inside(view.widget_for(hit.id), view.viewport()), message="hit in view")
    marks = view.hit_marks
    assert marks is not None and marks.target is view.widget_for(hit.id)
    await until(lambda: len(marks.word_rects()) == 2, message="both words marked")
    viewport = view.viewport()
    for rect in marks.word_rects():  # on screen, where the words are
        assert viewport.rect().contains(marks.target.mapTo(viewport, rect.center().toPoint()))
    # Another conversation takes the marks away.
    window.controller.select(other.id)
    assert view.hit_marks is None
