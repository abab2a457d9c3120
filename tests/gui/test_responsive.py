"""The window never freezes, whatever the input: huge pasted pictures, huge replies of any
shape, huge pasted messages; and Stop acts at once (issue 17, promise 5).

Each test measures the event loop's longest gap with a heartbeat timer (``LoopWatch``) and
asserts a bound with a margin for a loaded machine: what these inputs did before took
1-35 s on the UI thread."""

from __future__ import annotations

import asyncio
import time

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from benchmarks.huge_reply import huge_line
from desktop_app.core.conversation import ReplyState
from desktop_app.ui.messages.message_view import REPAINT_INTERVAL_MS
from tests.conftest import until
from tests.fake_api import Reply
from tests.helpers.gui_helpers import type_and_send
from tests.helpers.loop_watch import LoopWatch

pytestmark = pytest.mark.asyncio

STALL_BOUND_MS = 100  # the promise; the code needs a fraction of it (see docs/performance.md)
# While a huge reply streams and is laid out: the benchmark's target is 50 ms, and this
# machine class, loaded, measured 14-53 ms; before, 1-5 s.
STREAM_STALL_BOUND_MS = 200
STOP_BOUND_MS = 100  # Stop acts within this, always


def big_image(width: int = 9600, height: int = 6250) -> QImage:
    """A 60-megapixel picture, as a screenshot of a large display arrives from the clipboard."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(30, 120, 200))
    return image


def drop(window, mime: QMimeData) -> None:
    """Drag ``mime`` over the window and drop it, as the window system delivers a drop."""
    where = QPointF(window.width() / 2, window.height() / 2)
    for kind in (QDragEnterEvent, QDropEvent):
        event = kind(where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(window, event)
        assert event.isAccepted()


async def test_pasting_and_dropping_a_60_megapixel_image_never_stalls_the_window(
    app_factory, qtbot
):
    window = await app_factory()
    tray, strip = window.controller.attachments, window.attachment_strip
    QGuiApplication.clipboard().setImage(big_image())
    window.composer.edit.setFocus()
    await asyncio.sleep(0.05)
    try:
        with LoopWatch() as paste:
            qtbot.keyClick(window.composer.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
            await until(lambda: len(tray.items) == 1 and not tray.busy, timeout=60,
                        message="pasted picture attached")
            await asyncio.sleep(0.05)  # the strip shows its card
        mime = QMimeData()
        mime.setImageData(big_image(6250, 9600))
        with LoopWatch() as dropped:
            drop(window, mime)
            await until(lambda: len(tray.items) == 2 and not tray.busy, timeout=60,
                        message="dropped picture attached")
            await asyncio.sleep(0.05)
    finally:
        QGuiApplication.clipboard().clear()
    assert paste.longest_ms < STALL_BOUND_MS, f"pasting stalled the window {paste.longest_ms:.0f} ms"
    assert dropped.longest_ms < STALL_BOUND_MS, f"dropping stalled it {dropped.longest_ms:.0f} ms"
    assert paste.ticks > 20 and dropped.ticks > 20  # the heartbeat really ran meanwhile
    assert [item.name for item in tray.items] == ["Pasted image 1.png", "Pasted image 2.png"]
    assert "1568×1021" in tray.items[0].details and "1021×1568" in tray.items[1].details
    assert window.composer.text == ""
    # The cards show thumbnails made on the worker thread.
    assert len(strip.cards) == 2
    thumbnails = [card.findChild(type(strip.problem)).pixmap() for card in strip.cards]
    assert all(not pixmap.isNull() and max(pixmap.width(), pixmap.height()) == 44
               for pixmap in thumbnails)


def _code_block(chars: int) -> str:
    lines, size, n = [], 10, 0
    while size < chars:
        line = f"value_{n} = compute({n}, 'text')  # step {n}\n"
        lines.append(line)
        size += len(line)
        n += 1
    return "```python\n" + "".join(lines)


async def warm_up(window, fake_api, qtbot) -> None:
    """A first short exchange: the SDK builds its event parsers on first use (about 50 ms),
    which is not what these tests measure."""
    fake_api.enqueue(Reply("Ready."))
    type_and_send(window, qtbot, "ready?")
    await until(lambda: window.controller.current.last_reply is not None
                and not window.controller.is_busy(), message="warm-up reply")
    window.conversation_ops.on_new_requested()


HUGE_SHAPES = {
    "one line of words": lambda: huge_line(2_000_000),
    "one line without spaces": lambda: "abcdefghij" * 200_000,
    "one code block": lambda: _code_block(2_000_000),
}


@pytest.mark.parametrize("shape", list(HUGE_SHAPES))
async def test_a_2_mb_reply_of_any_shape_streams_without_stalling_the_window(
    app_factory, fake_api, qtbot, monkeypatch, shape
):
    """One line, no spaces, one code block: no paragraph break to cut at, 2 MB streamed in
    2 KB deltas with no delay. Before, the unfinished tail was all of it, rendered again at
    every update (1.2-1.7 s each for a 2 MB line)."""
    monkeypatch.setattr("desktop_app.ui.messages.markdown_body.DISPLAY_LIMIT_CHARS", 120_000)
    text = HUGE_SHAPES[shape]()
    window = await app_factory()
    view = window.messages
    await warm_up(window, fake_api, qtbot)
    fake_api.enqueue(Reply(text, chunks=len(text) // 2000))
    with LoopWatch() as watch:
        type_and_send(window, qtbot, "huge")
        await until(lambda: window.controller.current.last_reply is not None)
        await until(lambda: not window.controller.is_busy() and not view.has_pending_repaints(),
                    timeout=120, message="the reply streamed and shown")
    reply = window.controller.current.last_reply
    assert reply.state == ReplyState.COMPLETE and reply.text == text
    assert watch.longest_ms < STREAM_STALL_BOUND_MS, f"a stall of {watch.longest_ms:.0f} ms"
    body = view.widget_for(reply.id).body
    assert 119_000 <= body.shown_chars <= 120_000  # the limit, at the end of a word or line
    assert body.hidden_chars == len(text) - body.shown_chars
    assert body.show_all_button.isVisible()
    assert body.chunk_count >= 120_000 // 8000


async def test_stop_acts_at_once_while_a_fast_10_mb_reply_arrives(app_factory, fake_api, qtbot):
    """Stop is clicked while a 10 MB reply on one line arrives as fast as the connection
    goes (1 KB deltas, no delay): the reply is marked stopped and the window has nothing more
    to do for it within the promise (it took 15-35 s before), and keeps what arrived."""
    text = huge_line(10_000_000)
    window = await app_factory()
    view, controller = window.messages, window.controller
    script = Reply(text, chunks=10_000)
    fake_api.enqueue(script)
    type_and_send(window, qtbot, "huge")
    await until(lambda: controller.current.last_reply is not None
                and len(controller.current.last_reply.text) > 1_000_000, timeout=60,
                message="a megabyte arrived")
    reply = controller.current.last_reply
    assert reply.state == ReplyState.STREAMING
    assert window.composer.send_button.text() == "Stop"
    with LoopWatch() as watch:
        clicked = time.perf_counter()
        qtbot.mouseClick(window.composer.send_button, Qt.MouseButton.LeftButton)
        await until(lambda: reply.state == ReplyState.STOPPED, timeout=30)
        stopped = time.perf_counter()
        await until(lambda: not view.has_pending_repaints(), timeout=30)
        idle = time.perf_counter()
    assert (stopped - clicked) * 1000 < STOP_BOUND_MS, f"stopped after {stopped - clicked:.3f} s"
    assert (idle - clicked) * 1000 < STOP_BOUND_MS + 2 * REPAINT_INTERVAL_MS, \
        f"the view still busy {idle - clicked:.3f} s after Stop"
    assert watch.longest_ms < STALL_BOUND_MS
    await controller.wait_idle()
    assert 1_000_000 < len(reply.text) < len(text)  # what arrived is kept, marked stopped
    assert script.client_disconnected.wait(5)  # the stream was closed, not left to run
    body = view.widget_for(reply.id).body
    assert body.shown_chars <= len(reply.text)
    if body.hidden_chars:  # what the screen had not caught up with waits behind Show all
        assert body.show_all_button.isVisible()


async def test_a_5_mb_pasted_message_is_shown_in_part_and_sent_whole(app_factory, fake_api, qtbot):
    """A 5 MB message on one line: the bubble shows its start and "Show all" (a label laying
    out all of it held the window for seconds); the request carries every character; "Show
    all" lays the rest out in pieces, a few per frame."""
    from desktop_app.ui.messages.user_message_widget import UserMessageWidget

    text = huge_line(5_000_000)
    window = await app_factory()
    await warm_up(window, fake_api, qtbot)
    view, controller = window.messages, window.controller
    fake_api.enqueue(Reply("Got it."))
    with LoopWatch() as sending:
        assert controller.send(text)
        await until(lambda: controller.current.last_reply is not None
                    and not controller.is_busy(), timeout=60, message="the reply")
        await asyncio.sleep(0.1)  # the column lays the message out
    # (Sending includes encoding the 5 MB request, and the in-process fake API decoding it.)
    assert sending.longest_ms < STREAM_STALL_BOUND_MS, f"sending stalled {sending.longest_ms:.0f} ms"
    user = view.widget_for(controller.current.messages[0].id)
    assert isinstance(user, UserMessageWidget) and user.message.text == text
    assert user.shown_in_part and user.show_all_button.isVisible()
    assert len(user.label.text()) < 10_000 and user.label.text().startswith(text[:100])
    sent = fake_api.message_requests()[-1].body["messages"][0]["content"]
    assert "".join(block["text"] for block in sent if block["type"] == "text") == text
    with LoopWatch() as showing:
        qtbot.mouseClick(user.show_all_button, Qt.MouseButton.LeftButton)
        await until(lambda: user._next_piece >= len(text), timeout=120, message="all shown")
        await asyncio.sleep(0.1)
    assert not user.shown_in_part and user.label.isHidden()
    assert showing.longest_ms < STREAM_STALL_BOUND_MS, f"Show all stalled {showing.longest_ms:.0f} ms"
    assert max(len(piece.text()) for piece in user.pieces) < 9_000
    assert sum(plain_len(piece.text()) for piece in user.pieces) == len(text)


def plain_len(html_text: str) -> int:
    import html as html_module
    import re

    return len(html_module.unescape(re.sub(r"<[^>]+>", "", html_text)))
