"""Model output is untrusted: nothing remote is fetched, no unsafe link opens, and huge or
pathological replies render without hanging the window."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import Qt

from desktop_app.ui.message_view import ReplyWidget
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
    monkeypatch.setattr("desktop_app.ui.reply_widget.QDesktopServices.openUrl",
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
