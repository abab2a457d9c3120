"""Claude-specific controls through the real window and the fake API: thinking, per-model
parameters, the options dialog, prompt caching, compaction, stop reasons, token counts and
costs, and the connection test."""

from __future__ import annotations

import json
import threading
from importlib import resources

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTabWidget

from desktop_app.core.conversation import CONTINUE_PROMPT, ReplyState
from desktop_app.core.cost import format_dollars, format_tokens
from desktop_app.core.options import ChatOptions
from desktop_app.ui.messages.message_view import ReplyWidget, UserMessageWidget, format_count
from desktop_app.ui.dialogs.options_form import ConversationOptionsDialog
from desktop_app.ui.dialogs.settings_dialog import SettingsDialog
from tests.conftest import until
from tests.fake_api import COMPACT_BETA, Reply

from tests.helpers.gui_helpers import finished_reply, replies, type_and_send

pytestmark = pytest.mark.asyncio

OPUS_47 = "claude-opus-4-7"
HAIKU = "claude-haiku-4-5"
LONG_SYSTEM = "You are the test assistant. Keep to the style guide in every answer. " * 90


async def turn(window, qtbot, text: str):
    count = len(replies(window))
    type_and_send(window, qtbot, text)
    await until(lambda: len(replies(window)) > count, message="reply started")
    return await finished_reply(window)


def last_body(fake_api):
    return fake_api.message_requests()[-1].body


def widget(window, message) -> ReplyWidget:
    found = window.messages.widget_for(message.id)
    assert isinstance(found, ReplyWidget)
    return found


def saved_conversation(data_dir, conversation_id: str) -> dict:
    return json.loads((data_dir / "conversations" / f"{conversation_id}.json").read_text())


async def choose_model(window, model_id: str) -> None:
    picker = window.header.model_picker
    index = picker.findData(model_id)
    assert index >= 0, model_id
    picker.setCurrentIndex(index)
    picker.activated.emit(index)
    await until(lambda: window.controller.current.model == model_id, message="model switched")


# -- thinking -------------------------------------------------------------------------------------


async def test_thinking_stays_folded_while_it_streams_and_goes_back_signed(
        app_factory, fake_api, qtbot, data_dir):
    window = await app_factory()
    thinking = "step one: read the question. " + "Then weigh every option carefully. " * 12
    words = len(thinking.split())
    gate = threading.Event()
    fake_api.enqueue(Reply("The answer is 42.", thinking=thinking, chunks=10, delay=0.06,
                           gate=gate),
                     Reply("Because six times seven."))
    type_and_send(window, qtbot, "What is the answer?")
    await until(lambda: replies(window), message="reply added")
    reply = replies(window)[0]
    view = widget(window, reply)
    # While the thinking streams (no text yet) the row counts its words, folded: it does not
    # open by itself (and fold again later), so the page below it never jumps.
    await until(lambda: reply.thinking and view.thinking_toggle.isVisible(), message="thinking")
    assert not reply.text and reply.state == ReplyState.STREAMING
    assert view.thinking_toggle.text().startswith("Thinking… · ")
    assert view.thinking_toggle.text().endswith(" words")
    assert not view.thinking_text.isVisible()
    # Mid-reply (held after the first text delta): still folded; the reader opens it.
    await until(lambda: reply.text, message="text started")
    window.messages.flush()
    assert view.thinking_toggle.isVisible() and reply.state == ReplyState.STREAMING
    assert not view.thinking_text.isVisible()
    qtbot.mouseClick(view.thinking_toggle, Qt.MouseButton.LeftButton)
    assert view.thinking_text.isVisible()
    body_top = view.body.mapTo(view, view.body.rect().topLeft()).y()
    gate.set()
    reply = await finished_reply(window)
    assert reply.thinking == thinking and reply.text == "The answer is 42."
    # Done: what the reader chose is kept (nothing moved), with the size in words.
    assert view.thinking_text.isVisible() and view.thinking_text.text() == thinking
    assert view.body.mapTo(view, view.body.rect().topLeft()).y() == body_top
    assert view.thinking_toggle.text() == f"Thinking · {format_count(words)} words"
    qtbot.mouseClick(view.thinking_toggle, Qt.MouseButton.LeftButton)
    assert not view.thinking_text.isVisible()
    qtbot.mouseClick(view.thinking_toggle, Qt.MouseButton.LeftButton)
    assert view.thinking_text.isVisible()

    block = reply.content[0]
    assert block["type"] == "thinking" and block["thinking"] == thinking and block["signature"]
    saved = saved_conversation(data_dir, window.controller.current.id)
    assert saved["messages"][1]["content"][0] == block
    # The next turn carries the block unchanged (the server rejects a changed signature).
    second = await turn(window, qtbot, "Why?")
    assert second.state == ReplyState.COMPLETE and second.text == "Because six times seven."
    request = fake_api.message_requests()[-1]
    assert request.body["messages"][1]["content"][0] == block
    assert json.dumps(block["signature"]).encode() in request.raw_body


async def test_redacted_thinking_is_shown_and_passed_back(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(Reply("Here you are.", redacted_thinking=True), Reply("Still fine."))
    reply = await turn(window, qtbot, "Something sensitive")
    view = widget(window, reply)
    assert view.thinking_toggle.isVisible()
    assert "redacted" in view.thinking_toggle.text().lower()
    assert not view.thinking_text.isVisible()
    block = next(b for b in reply.content if b["type"] == "redacted_thinking")
    assert block["data"]
    second = await turn(window, qtbot, "Go on")
    assert second.state == ReplyState.COMPLETE and second.text == "Still fine."
    assert block in last_body(fake_api)["messages"][1]["content"]


# -- per-model parameters -------------------------------------------------------------------------


async def test_each_model_gets_its_own_thinking_parameters(app_factory, fake_api, qtbot):
    window = await app_factory()
    await choose_model(window, HAIKU)
    reply = await turn(window, qtbot, "hello haiku")
    assert reply.state == ReplyState.COMPLETE
    request = fake_api.message_requests()[-1]
    body = request.body
    assert body["model"] == HAIKU
    assert body["thinking"]["type"] == "enabled"
    assert 1024 <= body["thinking"]["budget_tokens"] < body["max_tokens"]
    assert "output_config" not in body and "context_management" not in body
    assert COMPACT_BETA not in request.headers.get("anthropic-beta", "")

    await choose_model(window, OPUS_47)
    reply = await turn(window, qtbot, "hello opus")
    assert reply.state == ReplyState.COMPLETE and reply.model == OPUS_47
    request = fake_api.message_requests()[-1]
    body = request.body
    assert body["model"] == OPUS_47
    assert body["thinking"] == {"type": "adaptive", "display": "summarized"}
    assert body["output_config"] == {"effort": "high"}
    assert COMPACT_BETA in request.headers.get("anthropic-beta", "")
    assert len(body["messages"]) == 3  # Haiku's reply went to Opus and was accepted


# -- the options dialog ---------------------------------------------------------------------------


async def open_options(window, qtbot) -> ConversationOptionsDialog:
    qtbot.mouseClick(window.header.options_chip, Qt.MouseButton.LeftButton)

    def visible():
        dialogs = window.findChildren(ConversationOptionsDialog)
        return next((d for d in dialogs if d.isVisible()), None)

    await until(visible, message="options dialog open")
    return visible()


async def test_options_dialog_changes_the_next_request(app_factory, fake_api, qtbot):
    window = await app_factory()
    conversation = window.controller.current
    await turn(window, qtbot, "first")
    before = window.header.options_chip.text()
    assert "Effort: high" in before and "Cache: 5 min" in before

    dialog = await open_options(window, qtbot)
    form = dialog.form
    assert not dialog.reset_button.isEnabled()  # nothing of its own yet
    assert [form.effort.itemData(i) for i in range(form.effort.count())] == [
        "low", "medium", "high", "xhigh", "max"]
    form.effort.setCurrentIndex(form.effort.findData("low"))
    form.cache.setCurrentIndex(form.cache.findData("1h"))
    dialog.accept()
    await until(lambda: conversation.options, message="options saved")
    await until(lambda: window.header.options_chip.text() != before, message="chip updated")
    chip = window.header.options_chip.text()
    assert "Effort: low" in chip and "Cache: 1 h" in chip
    assert conversation.options["effort"] == "low" and conversation.options["cache_ttl"] == "1h"

    await turn(window, qtbot, "second")
    body = last_body(fake_api)
    assert body["output_config"] == {"effort": "low"}
    assert body["cache_control"] == {"type": "ephemeral", "ttl": "1h"}

    dialog = await open_options(window, qtbot)
    assert dialog.form.effort.currentData() == "low"
    assert dialog.reset_button.isEnabled()
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    await until(lambda: conversation.options == {}, message="options cleared")
    await until(lambda: window.header.options_chip.text() == before, message="chip back")
    await turn(window, qtbot, "third")
    body = last_body(fake_api)
    assert body["output_config"] == {"effort": "high"}
    assert body["cache_control"] == {"type": "ephemeral", "ttl": "5m"}



async def test_options_saved_on_haiku_keep_compaction_for_opus(app_factory, fake_api, qtbot):
    window = await app_factory()
    await choose_model(window, HAIKU)
    dialog = await open_options(window, qtbot)
    assert not dialog.form.compaction.isVisibleTo(dialog)  # Haiku offers no compaction
    dialog.form.cache.setCurrentIndex(dialog.form.cache.findData("1h"))  # the only change
    dialog.accept()
    await until(lambda: window.controller.current.options, message="options saved")
    await choose_model(window, OPUS_47)
    await turn(window, qtbot, "hello opus")
    body = last_body(fake_api)
    assert body["cache_control"] == {"type": "ephemeral", "ttl": "1h"}
    assert body.get("context_management") == {"edits": [{"type": "compact_20260112"}]}

# -- prompt caching and costs ---------------------------------------------------------------------


async def test_prompt_caching_over_five_turns_and_costs(app_factory, fake_api, qtbot):
    window = await app_factory()
    assert len(LONG_SYSTEM) > 5000
    await window.controller.set_system_prompt(LONG_SYSTEM)
    usages = []
    for n in range(5):
        reply = await turn(window, qtbot, f"Question {n}: tell me about cairns, part {n}.")
        assert reply.state == ReplyState.COMPLETE
        usages.append(reply.usage)
    body = last_body(fake_api)
    assert body["system"][0]["cache_control"] == {"type": "ephemeral", "ttl": "5m"}
    assert body["cache_control"] == {"type": "ephemeral", "ttl": "5m"}
    assert usages[0]["cache_read_input_tokens"] == 0
    assert usages[0]["cache_creation_input_tokens"] > 1024
    for n, usage in enumerate(usages[1:], start=2):
        total = (usage["input_tokens"] + usage["cache_read_input_tokens"]
                 + usage["cache_creation_input_tokens"])
        assert usage["cache_read_input_tokens"] > 0, n
        if n >= 3:
            assert usage["cache_read_input_tokens"] >= 0.8 * total, (n, usage)
    tooltip = window.header.cost.toolTip()
    assert "Cache hit rate:" in tooltip and "Cache reads:" in tooltip
    assert window.header.cost.text().startswith("$")

    # The cost of a reply with cache reads and writes, by hand from resources/prices.json.
    price_file = resources.files("desktop_app.resources").joinpath("prices.json")
    prices = json.loads(price_file.read_text())
    price = prices["models"][OPUS_47]
    reply = replies(window)[-1]
    usage = reply.usage
    creation = usage.get("cache_creation") or {}
    w5 = creation.get("ephemeral_5m_input_tokens", usage["cache_creation_input_tokens"])
    w1 = creation.get("ephemeral_1h_input_tokens", 0)
    assert usage["cache_read_input_tokens"] > 0
    expected = (usage["input_tokens"] * price["input"] + usage["output_tokens"] * price["output"]
                + w5 * price["cache_write_5m"] + w1 * price["cache_write_1h"]
                + usage["cache_read_input_tokens"] * price["cache_read"]) / 1_000_000
    assert window.controller.cost_of_message(reply) == pytest.approx(expected)
    footer = widget(window, reply).footer
    assert footer.isVisible() and format_dollars(expected) in footer.text()


async def test_composer_estimate_counts_tokens(app_factory, fake_api, qtbot):
    window = await app_factory()
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "How many tokens will this question take?")

    def counted():
        return [r for r in fake_api.requests if r.path == "/v1/messages/count_tokens"
                and "How many tokens" in json.dumps(r.body)]

    await until(lambda: counted() and "tokens in" in window.estimate_label.text(),
                message="estimate shown")
    tokens = fake_api._prompt(counted()[-1].body).total_tokens
    label = window.estimate_label.text()
    assert f"{tokens:,} tokens in" in label
    assert f"{format_tokens(tokens)} / 1M context" in label
    assert "$" in label
    assert not fake_api.message_requests()  # counting is not sending



async def test_composer_estimate_after_compaction(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(Reply("Continuing from the summary.", compaction="Summary of earlier talk"))
    await turn(window, qtbot, "Let us talk for a long time")
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "What about now?")
    await until(lambda: any(r.path == "/v1/messages/count_tokens"
                            and "What about now" in json.dumps(r.body) for r in fake_api.requests),
                message="count requested")
    count = [r for r in fake_api.requests if r.path == "/v1/messages/count_tokens"][-1]
    fake_api._validate(count, count_tokens=True)  # raises: compaction block without the beta
    await until(lambda: "tokens in" in window.estimate_label.text(), timeout=3,
                message="estimate shown")

# -- compaction -----------------------------------------------------------------------------------


async def test_compaction_block_is_shown_stored_and_sent_back(app_factory, fake_api, qtbot,
                                                              data_dir):
    window = await app_factory()
    fake_api.enqueue(Reply("Continuing from the summary.", compaction="Summary of earlier talk"),
                     Reply("Next answer."))
    reply = await turn(window, qtbot, "Let us talk for a long time")
    assert reply.state == ReplyState.COMPLETE
    request = fake_api.message_requests()[-1]
    assert COMPACT_BETA in request.headers["anthropic-beta"]
    assert request.body["context_management"] == {"edits": [{"type": "compact_20260112"}]}
    block = reply.content[0]
    assert block["type"] == "compaction" and block["content"] == "Summary of earlier talk"
    assert block["signature"]
    saved = saved_conversation(data_dir, window.controller.current.id)
    assert saved["messages"][1]["content"][0] == block
    view = widget(window, reply)
    assert view.compaction_note.isVisible()
    assert "Summary of earlier talk" in view.compaction_note.toolTip()

    second = await turn(window, qtbot, "And then?")
    assert second.state == ReplyState.COMPLETE and second.text == "Next answer."
    body = last_body(fake_api)
    assert body["messages"][1]["content"][0] == block



async def test_compacted_conversation_can_switch_to_haiku(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(Reply("Continuing from the summary.", compaction="Summary of earlier talk"),
                     Reply("Haiku here."))
    await turn(window, qtbot, "Let us talk for a long time")
    await choose_model(window, HAIKU)
    reply = await turn(window, qtbot, "Now a quick one")
    assert reply.state == ReplyState.COMPLETE, reply.error
    assert reply.text == "Haiku here."

# -- stop reasons ---------------------------------------------------------------------------------


async def test_max_tokens_continues_in_a_stored_turn_that_later_requests_repeat(
        app_factory, fake_api, qtbot, data_dir):
    """Continue asks Claude to go on through a user turn that is kept: the next request sends
    the cut reply, the "continue" turn and the continuation exactly as they were sent and
    received (the API rejects thinking whose preceding messages changed)."""
    window = await app_factory()
    fake_api.enqueue(
        Reply("The first half of the story", thinking="Plan the story.", stop_reason="max_tokens"),
        Reply(" and the second half.", thinking="Carry on from the cut."),
        Reply("Glad you liked it."),
    )
    cut = await turn(window, qtbot, "Tell me a story")
    view = widget(window, cut)
    assert cut.stop_reason == "max_tokens"
    assert view.card.isVisible() and "length limit" in view.card_text.text()
    assert view.retry_button.isVisible() and view.retry_button.text() == "Continue"

    qtbot.mouseClick(view.retry_button, Qt.MouseButton.LeftButton)
    await until(lambda: len(fake_api.message_requests()) == 2, message="continue sent")
    continuation = await finished_reply(window)
    sent = last_body(fake_api)["messages"]
    assert sent[-1] == {"role": "user", "content": [{"type": "text", "text": CONTINUE_PROMPT}]}
    assert sent[-2]["role"] == "assistant"
    assert [b["type"] for b in sent[-2]["content"]] == ["thinking", "text"]
    assert continuation is not cut and continuation.text == " and the second half."
    assert continuation.state == ReplyState.COMPLETE, continuation.error
    window.messages.flush()
    # Read as one reply: no bubble for Cairn's own turn, no "cut short" notice any more.
    assert not view.card.isVisible()
    prompt = window.controller.current.messages[2]
    assert prompt.is_continue_prompt and window.messages.widget_for(prompt.id) is None
    layout = window.messages.column_layout
    shown = [layout.itemAt(i).widget() for i in range(layout.count())]
    assert [type(w).__name__ for w in shown if isinstance(w, (ReplyWidget, UserMessageWidget))] == [
        "UserMessageWidget", "ReplyWidget", "ReplyWidget"]
    # One footer, under the end, with the figures of both requests; Copy takes the whole text.
    end = widget(window, continuation)
    assert not view.footer.isVisible() and not view.actions.isVisible()
    both = cut.usage["output_tokens"] + continuation.usage["output_tokens"]
    assert f"{format_tokens(both)} out" in end.footer.text()
    qtbot.mouseClick(end.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == (
        "The first half of the story and the second half.")

    third = await turn(window, qtbot, "Lovely, thanks")
    assert third.state == ReplyState.COMPLETE, third.error
    assert third.text == "Glad you liked it."
    later = last_body(fake_api)["messages"]
    assert later[:4] == sent + [later[3]]
    assert [m["role"] for m in later] == ["user", "assistant", "user", "assistant", "user"]
    saved = saved_conversation(data_dir, window.controller.current.id)
    assert [m.get("purpose") for m in saved["messages"]] == [None, None, "continue", None, None, None]


async def test_refusal_is_kept_visible_but_not_sent_again(app_factory, fake_api, qtbot):
    """After a refusal the refused exchange stays on screen, marked, with Edit offered; the
    next message goes without it (while it is in the history the API refuses every turn)."""
    window = await app_factory()
    fake_api.enqueue(Reply("Fine."), Reply("I can't help with that.", stop_reason="refusal"),
                     Reply("Paris."))
    await turn(window, qtbot, "Hello")
    refused = await turn(window, qtbot, "Something not allowed")
    view = widget(window, refused)
    assert refused.stop_reason == "refusal"
    assert view.card.isVisible() and "declined" in view.card_text.text()
    assert "no longer sent to Claude" in view.card_text.text()
    assert not view.retry_button.isVisible() and not view.regenerate_button.isVisible()
    asked = window.controller.current.messages[2]
    asked_view = window.messages.widget_for(asked.id)
    window.messages.flush()
    assert asked_view.excluded_note.isVisible() and asked_view.actions.edit_button.isVisible()

    answer = await turn(window, qtbot, "What is the capital of France?")
    assert answer.text == "Paris."
    texts = [b.get("text") for m in last_body(fake_api)["messages"] for b in m["content"]]
    assert "Something not allowed" not in texts and "I can't help with that." not in texts
    assert texts[-1] == "What is the capital of France?"
    assert refused.text == "I can't help with that."  # still there for the reader


async def test_stop_sequence_is_sent_and_named(app_factory, fake_api, qtbot):
    window = await app_factory()
    window.controller.settings.stop_sequences = ["END"]
    fake_api.enqueue(Reply("One, two, three", stop_sequence="END"))
    reply = await turn(window, qtbot, "Count and then say END")
    assert last_body(fake_api)["stop_sequences"] == ["END"]
    assert reply.stop_reason == "stop_sequence" and reply.stop_sequence == "END"
    view = widget(window, reply)
    assert view.card.isVisible() and "END" in view.card_text.text()
    assert not view.retry_button.isVisible()


async def test_context_window_exceeded_is_explained(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(Reply("As far as I got", stop_reason="model_context_window_exceeded"))
    reply = await turn(window, qtbot, "A very long conversation")
    view = widget(window, reply)
    assert view.card.isVisible() and "context window" in view.card_text.text()
    assert "compaction" in view.card_text.text()


async def test_pause_turn_is_resumed_automatically(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(Reply("Working on it.", stop_reason="pause_turn"), Reply(" Done."))
    reply = await turn(window, qtbot, "A long job")
    requests = fake_api.message_requests()
    assert len(requests) == 2
    resumed = requests[1].body["messages"]
    assert resumed[-1]["role"] == "assistant"
    assert resumed[-1]["content"][-1]["text"] == "Working on it."
    assert len(replies(window)) == 1
    assert reply.text == "Working on it. Done."
    assert reply.state == ReplyState.COMPLETE and reply.stop_reason == "end_turn"
    assert not widget(window, reply).card.isVisible()



async def test_paused_turn_retry_carries_on(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(*[Reply(f"Step {i}.", stop_reason="pause_turn") for i in range(6)],
                     Reply(" Done."))
    reply = await turn(window, qtbot, "A very long job")
    assert len(fake_api.message_requests()) == 6  # the first try and five automatic resumes
    assert reply.stop_reason == "pause_turn"
    view = widget(window, reply)
    assert view.card.isVisible() and "carry on" in view.card_text.text()
    assert view.retry_button.isVisible()
    qtbot.mouseClick(view.retry_button, Qt.MouseButton.LeftButton)
    await until(lambda: len(fake_api.message_requests()) == 7, message="retry sent")
    await finished_reply(window)
    assert last_body(fake_api)["messages"][-1]["role"] == "assistant"  # resumed, not restarted
    assert replies(window)[-1].text.startswith("Step 0.")

# -- settings: test connection --------------------------------------------------------------------


async def test_settings_connection_test(app_factory, fake_api, qtbot):
    window = await app_factory()
    window.settings_ops.on_settings_requested()

    def visible():
        return next((d for d in window.findChildren(SettingsDialog) if d.isVisible()), None)

    await until(visible, message="settings open")
    dialog = visible()
    tabs = dialog.findChild(QTabWidget)
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Connection"))
    assert dialog.test_button.isVisible()
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    await until(lambda: dialog.test_result.text().startswith("Connected"), message="connected")
    assert "Connected: 4 models" in dialog.test_result.text()
    assert dialog.test_button.isEnabled()

    dialog.base_url.setText("http://127.0.0.1:9")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    await until(lambda: dialog.test_result.text().startswith("Failed: "), timeout=15,
                message="connection failure shown")
    assert len(dialog.test_result.text()) > len("Failed: ")
    dialog.reject()
    await until(lambda: visible() is None, message="settings closed")
    assert window.controller.settings.base_url == ""  # a test changes nothing


async def test_editing_the_system_prompt_keeps_every_later_request_valid(
        app_factory, fake_api, qtbot, data_dir):
    """Thinking is bound to everything before it, the system prompt included: after the prompt
    changes, thinking written under the old one is no longer sent (the rest of those replies
    is), and thinking written under the new one is sent back unchanged."""
    window = await app_factory()
    fake_api.enqueue(Reply("Ahoy.", thinking="Greet like a pirate."),
                     Reply("Good day.", thinking="Greet formally now."),
                     Reply("Certainly.", thinking="Stay formal."))
    await window.controller.set_system_prompt("Talk like a pirate.")
    first = await turn(window, qtbot, "Hello")
    await window.controller.set_system_prompt("Be formal.")
    second = await turn(window, qtbot, "Hello again")
    assert second.state == ReplyState.COMPLETE, second.error
    body = last_body(fake_api)
    assert body["system"] == "Be formal."
    assert body["messages"][1]["content"] == [{"type": "text", "text": "Ahoy."}]

    third = await turn(window, qtbot, "And once more")
    assert third.state == ReplyState.COMPLETE, third.error
    body = last_body(fake_api)
    assert body["messages"][1]["content"] == [{"type": "text", "text": "Ahoy."}]
    assert body["messages"][3]["content"] == second.content  # its thinking, unchanged
    saved = saved_conversation(data_dir, window.controller.current.id)
    assert saved["messages"][1]["content"] == first.content  # nothing is lost from the file
    assert saved["messages"][1]["system_sha256"] != saved["messages"][3]["system_sha256"]


async def test_the_estimate_counts_with_the_conversations_own_options(app_factory, fake_api,
                                                                       qtbot):
    """The count is of the request that will really go out: this conversation's thinking and
    effort, not the global defaults."""
    window = await app_factory()
    controller = window.controller
    await choose_model(window, OPUS_47)
    assert controller.settings.chat_options().thinking == "on"
    own = ChatOptions(thinking="off")
    await controller.set_conversation_options(own)
    count = await controller.count_input("How long is this?")
    assert count is not None
    counted = [r for r in fake_api.requests if r.path == "/v1/messages/count_tokens"][-1].body
    sent = controller._plan(probe_with(controller, "How long is this?"), controller.model_for(
        controller.current)).kwargs
    assert counted["thinking"] == sent["thinking"] == {"type": "disabled"}
    assert counted.get("output_config") == sent.get("output_config")


def probe_with(controller, text: str):
    """The current conversation as it would be with ``text`` sent next."""
    import copy

    conversation = copy.deepcopy(controller.current)
    conversation.add_user_message(text)
    return conversation
