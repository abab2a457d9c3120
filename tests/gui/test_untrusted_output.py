"""Model output is untrusted: nothing remote is fetched, no unsafe link opens, and huge or
pathological replies render without hanging the window."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import Qt

from desktop_app.ui.messages.message_view import ReplyWidget
from tests.conftest import until
from tests.fake_api import Reply

pytestmark = pytest.mark.asyncio


class _Tracker(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        _Tracker.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


async def reply_widget(window, qtbot, fake_api, text: str) -> ReplyWidget:
    fake_api.enqueue(Reply(text, chunks=3))
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "go")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    await until(lambda: window.controller.current.messages[-1:]
                and window.controller.current.messages[-1].role == "assistant")
    await window.controller.wait_idle()
    window.messages.flush()
    widget = window.messages.widget_for(window.controller.current.messages[-1].id)
    assert isinstance(widget, ReplyWidget)
    return widget


async def test_images_and_trackers_in_a_reply_are_never_fetched(app_factory, fake_api, qtbot, monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Tracker)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    opened = []
    monkeypatch.setattr("desktop_app.ui.messages.reply_widget.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toString()) or True)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        window = await app_factory()
        widget = await reply_widget(window, qtbot, fake_api, (
            f"Look: ![chart]({base}/chart.png) and <img src=\"{base}/pixel.gif\"> "
            f"<script>fetch('{base}/script')</script> "
            "[local](file:///etc/passwd) [custom](myapp://run) [web](https://example.com)"
        ))
        window.repaint()
        qtbot.wait(200)  # give Qt every chance to load a resource it should not load
        html = widget.body.text()
        assert "<img" not in html and "<script" not in html
        assert 'href="file:' not in html and 'href="myapp:' not in html  # shown as text only
        widget._on_link("file:///etc/passwd")
        widget._on_link("myapp://run")
        widget._on_link("https://example.com")
        assert opened == ["https://example.com"]
        assert _Tracker.hits == []
    finally:
        server.shutdown()
        server.server_close()


async def test_pathological_replies_render(app_factory, fake_api, qtbot):
    window = await app_factory()
    long_line = "x" * 100_000
    widget = await reply_widget(window, qtbot, fake_api, long_line)
    assert len(widget.body.text()) > 100_000
    nested = "\n".join("  " * i + "- item" for i in range(300))
    widget = await reply_widget(window, qtbot, fake_api, nested)
    assert "item" in widget.body.text()


async def test_huge_and_deeply_nested_replies_stream_and_render(
    app_factory, fake_api, qtbot, monkeypatch
):
    """A 5 MB reply and 10,000 nested list items arrive, render and leave the window usable;
    the huge one is shown up to the display limit, with "Show all" for the rest."""
    monkeypatch.setattr("desktop_app.ui.messages.markdown_body.DISPLAY_LIMIT_CHARS", 100_000)
    window = await app_factory()
    huge = "".join(f"Paragraph {n} of a very long reply, **bold** and `code`.\n\n"
                   for n in range(90_000))  # about 5 MB
    assert len(huge) > 5_000_000
    fake_api.enqueue(Reply(huge, chunks=400))  # 12.5 KB per delta
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "long one")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    await until(lambda: window.controller.current.messages[-1:]
                and window.controller.current.messages[-1].role == "assistant", timeout=30)
    await window.controller.wait_idle()
    await until(lambda: not window.messages.has_pending_repaints(), timeout=60,
                message="the reply shown up to the display limit")
    reply = window.controller.current.messages[-1]
    assert len(reply.text) == len(huge)  # nothing lost
    widget = window.messages.widget_for(reply.id)
    html = widget.body.text()
    assert "Paragraph 0 of" in html and "Paragraph 1500 of" in html
    assert "Paragraph 89999 of" not in html  # not laid out: 5 MB is not for reading on screen
    assert widget.body.hidden_chars == len(huge) - widget.body.shown_chars
    assert 99_000 <= widget.body.shown_chars <= 100_000
    assert widget.body.show_all_button.isVisible()
    # Show all builds the rest a frame's worth at a time; the window answers meanwhile.
    qtbot.mouseClick(widget.body.show_all_button, Qt.MouseButton.LeftButton)
    await until(lambda: "Paragraph 2500 of" in widget.body.text(), timeout=30,
                message="more of the reply shown")
    assert not widget.body.show_all_button.isVisible()
    window.conversation_ops.on_new_requested()  # the 5 MB reply would not fit another request's context
    nested = "- " * 10_000 + "the deepest item\n\nAnd the text after it."
    widget = await reply_widget(window, qtbot, fake_api, nested)
    html = widget.body.text()
    assert "the deepest item" in html and "And the text after it." in html
    # The window still answers: a new conversation opens and takes typing.
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.composer.edit, "still here")
    assert window.composer.text == "still here"
