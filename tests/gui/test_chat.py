"""The main window against the fake API: send, stream, stop, errors, retry, restart."""

from __future__ import annotations

import json
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.core.conversation import ReplyState
from desktop_app.ui.messages.message_view import ReplyWidget, UserMessageWidget
from tests.conftest import until
from tests.fake_api import ApiError, CutStream, Hang, Reply, ResetStream, StreamError

from tests.helpers.gui_helpers import finished_reply, replies, sidebar_titles, type_and_send

pytestmark = pytest.mark.asyncio


async def test_send_streams_reply_and_saves(app_factory, fake_api, qtbot, data_dir):
    window = await app_factory()
    assert "Cairn" in window.windowTitle()
    fake_api.enqueue(Reply("Hello **there**, nice to meet you.", chunks=6))
    type_and_send(window, qtbot, "Hi Claude")
    assert window.composer.text == ""
    reply = await finished_reply(window)
    assert reply.state == ReplyState.COMPLETE
    widget = window.messages.widget_for(reply.id)
    assert isinstance(widget, ReplyWidget)
    assert "<strong>there</strong>" in widget.body.text()
    assert "Done" in window.status_line.text()
    assert reply.usage["output_tokens"] > 0 and reply.stop_reason == "end_turn"
    assert "$" in widget.footer.text()  # per-message cost
    request = fake_api.message_requests()[-1].body
    assert request["stream"] is True
    assert request["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "Hi Claude"}]}
    ]
    files = list((data_dir / "conversations").glob("*.json"))
    assert len(files) == 1
    saved = json.loads(files[0].read_text())
    assert saved["messages"][1]["content"][0]["text"] == "Hello **there**, nice to meet you."
    assert saved["messages"][1]["stop_reason"] == "end_turn"
    assert window.composer.edit.hasFocus()


async def test_text_appears_while_streaming(app_factory, fake_api, qtbot):
    window = await app_factory()
    gate = threading.Event()
    fake_api.enqueue(Reply("First words. Then the rest of the reply.", chunks=4, gate=gate))
    type_and_send(window, qtbot, "Stream please")
    await until(lambda: replies(window) and replies(window)[-1].text, message="first delta")
    reply = replies(window)[-1]
    assert reply.state == ReplyState.STREAMING
    assert window.composer.send_button.text() == "Stop"
    window.messages.flush()
    assert reply.text in window.messages.widget_for(reply.id).body.text()
    assert "Streaming" in window.status_line.text()
    gate.set()
    reply = await finished_reply(window)
    assert reply.text == "First words. Then the rest of the reply."
    assert window.composer.send_button.text() == "Send"


async def test_multi_turn_sends_whole_history_and_system_prompt(app_factory, fake_api, qtbot):
    window = await app_factory()
    await window.controller.set_system_prompt("Answer like a pirate.")
    type_and_send(window, qtbot, "one")
    await finished_reply(window)
    type_and_send(window, qtbot, "two")
    await finished_reply(window)
    body = fake_api.message_requests()[-1].body
    assert body["system"] == "Answer like a pirate."
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    assert body["messages"][1]["content"][0]["text"] == "Echo: one"
    assert body["messages"][2]["content"][0]["text"] == "two"
    assert body["model"] == window.controller.current.model


async def test_stop_keeps_partial_reply_marked_stopped(app_factory, fake_api, qtbot, data_dir):
    window = await app_factory()
    gate = threading.Event()
    fake_api.enqueue(Reply("Partial answer that never finishes", chunks=5, gate=gate))
    type_and_send(window, qtbot, "Tell me a long story")
    await until(lambda: replies(window) and replies(window)[-1].text)
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Escape)
    reply = await finished_reply(window)
    gate.set()
    assert reply.state == ReplyState.STOPPED
    assert reply.text.startswith("Partial")
    widget = window.messages.widget_for(reply.id)
    assert widget.card.isVisible() and "Stopped" in widget.card_text.text()
    assert "Stopped" in window.status_line.text()
    saved = json.loads(next((data_dir / "conversations").glob("*.json")).read_text())
    assert saved["messages"][1]["state"] == "stopped"
    # The conversation stays valid: the next turn is accepted and carries the partial reply.
    type_and_send(window, qtbot, "continue please")
    reply = await finished_reply(window)
    assert reply.state == ReplyState.COMPLETE
    sent = fake_api.message_requests()[-1].body["messages"]
    assert sent[1]["role"] == "assistant" and sent[1]["content"][0]["text"].startswith("Partial")


async def test_stop_button_stops(app_factory, fake_api, qtbot):
    window = await app_factory()
    gate = threading.Event()
    fake_api.enqueue(Reply("Some words and more", chunks=4, gate=gate))
    type_and_send(window, qtbot, "go")
    await until(lambda: window.composer.send_button.text() == "Stop" and replies(window) and replies(window)[-1].text)
    qtbot.mouseClick(window.composer.send_button, Qt.MouseButton.LeftButton)
    reply = await finished_reply(window)
    gate.set()
    assert reply.state == ReplyState.STOPPED


ERROR_CASES = [
    (ApiError(400, "invalid_request_error", "messages: bad shape"), "bad_request", "rejected"),
    (ApiError(403, "permission_error", "not allowed"), "permission", "not allowed"),
    (ApiError(404, "not_found_error", "model: nope"), "not_found", "Not found"),
    (ApiError(413, "request_too_large", "too big"), "too_large", "too large"),
    (ApiError(429, "rate_limit_error", "slow down", headers={"retry-after": "7"}),
     "rate_limit", "7 seconds"),
    (ApiError(529, "overloaded_error", "Overloaded"), "overloaded", "overloaded"),
    (ApiError(500, "api_error", "boom"), "server", "internal error"),
    (StreamError(after_text="Half a", type="overloaded_error", message="Overloaded"),
     "overloaded", "overloaded"),
    (CutStream(after_text="Half a"), "cut_off", "cut off"),
    (ResetStream(after_text="Half a"), "connection", "connection dropped"),
]


@pytest.mark.parametrize(("script", "kind", "words"), ERROR_CASES,
                         ids=[c[1] + "-" + type(c[0]).__name__ for c in ERROR_CASES])
async def test_errors_are_explained_and_retry_works(app_factory, fake_api, qtbot, script, kind, words):
    window = await app_factory()
    fake_api.enqueue(script)
    type_and_send(window, qtbot, "Hello?")
    reply = await finished_reply(window)
    assert reply.state == ReplyState.FAILED
    assert reply.error.kind == kind
    assert words.lower() in reply.error.message.lower()
    widget = window.messages.widget_for(reply.id)
    assert widget.card.isVisible()
    assert words.lower() in widget.card_text.text().lower()
    if isinstance(script, StreamError | CutStream | ResetStream):
        assert reply.text == "Half a"  # what arrived is kept
        assert widget.body.isVisible()
    user_messages = [m for m in window.controller.current.messages if m.role == "user"]
    assert [m.text for m in user_messages] == ["Hello?"]
    # Retry replaces the failed reply and the request is accepted by the server's validation.
    fake_api.enqueue(Reply("Recovered."))
    assert widget.retry_button.isVisibleTo(widget) or not reply.error.retryable
    window.controller.retry(reply.id)
    reply = await finished_reply(window)
    assert reply.state == ReplyState.COMPLETE and reply.text == "Recovered."
    assert len(replies(window)) == 1
    assert fake_api.message_requests()[-1].body["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "Hello?"}]}
    ]


async def test_timeout_is_explained(app_factory, fake_api, qtbot):
    window = await app_factory()
    window.controller.settings.timeout_seconds = 5.0
    window.controller._replace_client()
    fake_api.enqueue(Hang(30))
    type_and_send(window, qtbot, "Anyone there?")
    reply = await finished_reply(window)
    assert reply.error.kind == "timeout"
    assert "timed out" in reply.error.message


async def test_unreachable_api_is_explained(app_factory, fake_api, qtbot):
    window = await app_factory()
    window.controller.settings.base_url = "http://127.0.0.1:9"
    window.controller._replace_client()
    type_and_send(window, qtbot, "Hello")
    reply = await finished_reply(window)
    assert reply.error.kind == "connection"
    assert "Could not reach the API" in reply.error.message


async def test_sdk_retries_overload_by_itself(app_factory, fake_api, qtbot):
    window = await app_factory(max_retries=2)
    fake_api.enqueue(ApiError(529, "overloaded_error", "Overloaded", headers={"retry-after": "0"}),
                     Reply("Second time lucky."))
    type_and_send(window, qtbot, "Hi")
    reply = await finished_reply(window)
    assert reply.text == "Second time lucky."
    assert len(fake_api.message_requests()) == 2


async def test_restart_finds_conversation_again(app_factory, fake_api, qtbot):
    window = await app_factory()
    type_and_send(window, qtbot, "Remember the word cairn")
    await finished_reply(window)
    first_id = window.controller.current.id
    from tests.conftest import close_window

    await close_window(window)
    window = await app_factory()
    assert window.controller.current.id == first_id
    assert sidebar_titles(window) == ["Remember the word cairn"]
    widgets = [window.messages.widget_for(m.id) for m in window.controller.current.messages]
    assert isinstance(widgets[0], UserMessageWidget) and isinstance(widgets[1], ReplyWidget)
    assert "Echo: Remember the word cairn" in widgets[1].body.text()
    type_and_send(window, qtbot, "And now?")
    await finished_reply(window)
    assert len(fake_api.message_requests()[-1].body["messages"]) == 3


async def test_send_disabled_while_empty_and_shift_enter_is_newline(app_factory, qtbot):
    window = await app_factory()
    assert not window.composer.send_button.isEnabled()
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "line one")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(window.composer.edit, "line two")
    assert window.composer.text == "line one\nline two"
    assert window.composer.send_button.isEnabled()
    assert window.controller.current.messages == []


async def test_switch_model_from_header(app_factory, fake_api, qtbot):
    window = await app_factory()
    picker = window.header.model_picker
    names = [picker.itemText(i) for i in range(picker.count())]
    assert any("Haiku" in n for n in names) and any("Sonnet" in n for n in names)
    haiku = next(i for i in range(picker.count()) if "Haiku" in picker.itemText(i))
    picker.setCurrentIndex(haiku)
    picker.activated.emit(haiku)
    await until(lambda: window.controller.current.model == picker.itemData(haiku))
    type_and_send(window, qtbot, "hello haiku")
    await finished_reply(window)
    assert fake_api.message_requests()[-1].body["model"] == picker.itemData(haiku)


async def test_default_model_is_newest_opus(app_factory):
    window = await app_factory()
    model = window.controller.model_for(window.controller.current)
    assert model.line == "opus" and model.is_active
    newest_opus = max(
        (m for m in window.controller.catalog.models if m.line == "opus" and m.is_active),
        key=lambda m: m.created_at,
    )
    assert model.id == newest_opus.id
    assert window.header.model_picker.currentData() == model.id


async def test_closing_mid_reply_is_clean(app_factory, fake_api, qtbot, data_dir, recwarn):
    window = await app_factory()
    gate = threading.Event()
    fake_api.enqueue(Reply("words words words", chunks=3, gate=gate))
    type_and_send(window, qtbot, "long one")
    await until(lambda: replies(window) and replies(window)[-1].text)
    from tests.conftest import close_window

    await close_window(window)
    gate.set()
    saved = json.loads(next((data_dir / "conversations").glob("*.json")).read_text())
    assert saved["messages"][0]["content"][0]["text"] == "long one"
    assert saved["messages"][1]["state"] == "stopped"
    assert not window.controller._replies
    assert QApplication.instance() is not None


async def test_rate_limit_counts_down_then_allows_retry(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(ApiError(429, "rate_limit_error", "slow down", headers={"retry-after": "2"}))
    type_and_send(window, qtbot, "Hello?")
    reply = await finished_reply(window)
    widget = window.messages.widget_for(reply.id)
    assert reply.error.retry_after == 2
    assert "retry in 2 seconds" in widget.card_text.text() or "retry in 1 second" in widget.card_text.text()
    assert not widget.retry_button.isEnabled()
    await until(lambda: widget.retry_button.isEnabled(), timeout=5, message="countdown ended")
    assert "retry now" in widget.card_text.text()
    qtbot.mouseClick(widget.retry_button, Qt.MouseButton.LeftButton)
    reply = await finished_reply(window)
    assert reply.state == ReplyState.COMPLETE


async def test_a_conversation_over_the_context_window_is_explained(app_factory, fake_api, qtbot):
    from tests.fake_api import default_models

    models = default_models()
    for model in models:
        model["max_input_tokens"] = 100
    fake_api.models = models
    window = await app_factory()
    type_and_send(window, qtbot, "word " * 200)
    reply = await finished_reply(window)
    assert reply.state == ReplyState.FAILED and reply.error.kind == "too_long"
    message = reply.error.message
    assert message.startswith("The conversation is too long for this model:")
    assert "at most 100." in message and "compaction" in message
    assert not reply.error.retryable
    window.messages.flush()
    assert message in window.messages.widget_for(reply.id).card_text.text()
