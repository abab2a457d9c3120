"""Claude's own tools in a reply, end to end through the fake API (#16): a cited answer shows
its sources as numbered footnotes and opens the right page only when its link is clicked; a
failed search is explained and the reply goes on; a search row opens to its results; copy
and Markdown export keep the footnotes; after a restart the reply looks the same."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QGuiApplication

from desktop_app.core.export_markdown import conversation_to_markdown
from desktop_app.core.server_tools import ServerToolOptions
from desktop_app.ui.messages.rich_text_view import RichTextView
from tests.conftest import until
from tests.fake_api import Cite, CodeRun, Reply, SearchHit, WebSearch
from tests.helpers.gui_helpers import chat_with, is_laid_out, point_on_link

pytestmark = pytest.mark.asyncio

HITS = [SearchHit("https://tides.example/today", "Tide table", "2 days ago"),
        SearchHit("https://sea.example/temp", "Sea temperature")]


@pytest.fixture(autouse=True)
def server_tools_on(data_dir) -> None:
    """Web search and code execution turned on in Settings (saved before Cairn starts), so
    every request offers them as Cairn builds it."""
    config = data_dir / "config"
    config.mkdir(parents=True, exist_ok=True)
    options = ServerToolOptions(web_search=True, code_execution=True)
    (config / "settings.json").write_text(
        json.dumps({"server_tools": options.to_json()}), encoding="utf-8")


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """Every URL Cairn hands to the system browser."""
    urls: list[str] = []

    def open_url(url: QUrl) -> bool:
        urls.append(url.toString())
        return True

    monkeypatch.setattr("PySide6.QtGui.QDesktopServices.openUrl", open_url)
    return urls


def cited_reply() -> Reply:
    search = WebSearch("tides today", hits=list(HITS))
    return Reply("Tides follow the moon. ", server_uses=[search],
                 cites=[Cite("High tide is at 6 pm.", use=0, hit=0,
                             cited_text="High tide 18:00"),
                        Cite(" The water is cold.", use=0, hit=1, cited_text="12 °C")])


async def shown_reply(window, message_id: str):
    widget = window.messages.widget_for(message_id)
    window.messages.flush()
    piece = widget.body.findChild(RichTextView)
    await until(lambda: is_laid_out(piece), message="reply laid out")
    return widget


async def test_a_cited_answer_shows_footnotes_and_opens_only_on_click(
        app_factory, fake_api, qtbot, opened):
    window = await app_factory()
    fake_api.enqueue(cited_reply())
    reply = (await chat_with(window, qtbot, "When is high tide?")).messages[-1]
    assert not fake_api.script_errors
    widget = await shown_reply(window, reply.id)
    notes = widget.footnotes
    assert notes.isVisible()
    assert [(row.source.number, row.title, row.source.site) for row in notes.rows] == [
        (1, "Tide table", "tides.example"), (2, "Sea temperature", "sea.example")]
    # The cited passage on hover, and when the note is opened.
    first = notes.rows[0]
    assert "High tide 18:00" in first.toolTip()
    assert first.passage.isHidden()
    qtbot.mouseClick(first.toggle, Qt.MouseButton.LeftButton)
    assert first.passage.isVisible() and "High tide 18:00" in first.passage.text()
    # The cited words are marked, and nothing was opened by showing any of it.
    assert widget.citation_marks.stretches == ["High tide is at 6 pm.", "The water is cold."]
    await until(lambda: len(widget.citation_marks.marked_rects()) >= 2,
                message="cited stretches underlined")
    assert opened == []
    # The [2] mark in the text opens the second source, on click.
    piece = widget.body.findChild(RichTextView)
    qtbot.mouseClick(piece, Qt.MouseButton.LeftButton,
                     pos=point_on_link(piece, "https://sea.example/temp"))
    await until(lambda: opened == ["https://sea.example/temp"], message="source opened")
    # The footnote's title opens its own source.
    first.label.linkActivated.emit("https://tides.example/today")
    assert opened == ["https://sea.example/temp", "https://tides.example/today"]


async def test_a_search_row_opens_to_its_results(app_factory, fake_api, qtbot, opened):
    window = await app_factory()
    fake_api.enqueue(cited_reply())
    reply = (await chat_with(window, qtbot, "When is high tide?")).messages[-1]
    widget = await shown_reply(window, reply.id)
    (row,) = widget.server_tools.rows.values()
    assert row.isVisible()
    assert row.toggle.text() == "Searched: “tides today” — 2 results"
    assert row.details.isHidden()
    qtbot.mouseClick(row.toggle, Qt.MouseButton.LeftButton)
    assert row.is_open and row.details.isVisible()
    shown = row.details.text()
    assert "Tide table" in shown and "Sea temperature" in shown and "2 days ago" in shown
    assert row.link_texts("https://sea.example/temp") == ["Sea temperature"]
    assert opened == []
    row.details.linkActivated.emit("https://sea.example/temp")
    assert opened == ["https://sea.example/temp"]
    qtbot.mouseClick(row.toggle, Qt.MouseButton.LeftButton)
    assert row.details.isHidden()


async def test_a_failed_search_is_explained_and_the_reply_goes_on(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(Reply("I could not search, but from memory: tides follow the moon.",
                           server_uses=[WebSearch("tides", error_code="max_uses_exceeded")]))
    reply = (await chat_with(window, qtbot, "When is high tide?")).messages[-1]
    widget = await shown_reply(window, reply.id)
    (row,) = widget.server_tools.rows.values()
    assert row.toggle.text() == "Search failed: “tides”"
    assert row.error.isVisible()
    assert "number of searches allowed for one reply" in row.error.text()
    assert "from memory" in widget.body.findChild(RichTextView).laid_out_document().toPlainText()
    assert not widget.footnotes.isVisible()


async def test_a_code_run_shows_its_code_output_and_exit_code(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(Reply("Done.", server_uses=[CodeRun(
        "python -c 'print(42)'", stdout="forty-two\n", stderr="careful\n", return_code=3)]))
    reply = (await chat_with(window, qtbot, "run code")).messages[-1]
    widget = await shown_reply(window, reply.id)
    (row,) = widget.server_tools.rows.values()
    assert row.toggle.text() == "Ran code — exit code 3"
    row.set_open(True)
    shown = row.details.text()
    assert "print(42)" in shown and "forty-two" in shown and "careful" in shown
    assert "Exit code 3" in shown


async def test_copy_export_and_restart_keep_the_footnotes(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(cited_reply())
    conversation = await chat_with(window, qtbot, "When is high tide?")
    reply = conversation.messages[-1]
    widget = await shown_reply(window, reply.id)
    qtbot.mouseClick(widget.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "High tide is at 6 pm.[^1] The water is cold.[^2]" in copied
    assert "[^1]: [Tide table](<https://tides.example/today>) (tides.example): " \
           "“High tide 18:00”" in copied
    exported = conversation_to_markdown(conversation, "files").text
    assert "High tide is at 6 pm.[^1]" in exported and "[^2]: [Sea temperature]" in exported
    assert "*Searched the web:* tides today" in exported

    restarted = await app_factory()
    await until(lambda: restarted.controller.current is not None
                and restarted.controller.current.id == conversation.id
                or restarted.sidebar.list_view.model().rowCount() > 0,
                message="conversation listed")
    if restarted.controller.current is None or restarted.controller.current.id != conversation.id:
        await restarted.controller.open_conversation(conversation.id)
    again = await shown_reply(restarted, reply.id)
    assert [row.title for row in again.footnotes.rows] == ["Tide table", "Sea temperature"]
    (row,) = again.server_tools.rows.values()
    assert row.toggle.text() == "Searched: “tides today” — 2 results"
    assert again.citation_marks.stretches == ["High tide is at 6 pm.", "The water is cold."]
    # (Waited for, not forced with processEvents(): re-entering the event loop from a
    # coroutine could leave a task that never ends, hanging the loop's teardown.)
    await until(lambda: isinstance(point_on_link(again.body.findChild(RichTextView),
                                                 "https://tides.example/today"), QPoint),
                message="the restarted reply's first mark is a link")


async def test_a_source_whose_title_shows_another_address_is_confirmed_first(
        app_factory, fake_api, qtbot, opened):
    window = await app_factory()
    hits = [SearchHit("https://evil.example/login", "https://bank.example/login")]
    fake_api.enqueue(Reply("", server_uses=[WebSearch("bank", hits=hits)],
                           cites=[Cite("Log in here.", use=0, hit=0)]))
    reply = (await chat_with(window, qtbot, "bank")).messages[-1]
    widget = await shown_reply(window, reply.id)
    asked: list[str] = []
    window.messages.requests.link_confirmation_requested.connect(
        lambda _text, url: asked.append(url))
    (row,) = widget.footnotes.rows
    row.label.linkActivated.emit("https://evil.example/login")
    (search,) = widget.server_tools.rows.values()
    search.set_open(True)
    search.details.linkActivated.emit("https://evil.example/login")
    assert asked == ["https://evil.example/login"] * 2
    assert opened == []
