"""What Cairn shows a reply and a conversation cost, and what it says sending will cost, with
the real SDK over HTTP: compaction steps and long-context tiers included."""

from __future__ import annotations

import json

import pytest

from desktop_app.core.conversation import Conversation, Message
from desktop_app.core.cost import Price, PriceTable, format_dollars
from desktop_app.storage.history_store import SCHEMA_VERSION
from desktop_app.ui.messages.message_view import ReplyWidget
from tests.conftest import until
from tests.fake_api import Reply
from tests.helpers.gui_helpers import finished_reply, replies, type_and_send

pytestmark = pytest.mark.asyncio

OPUS = "claude-opus-4-7"  # the fake's default model
BASE = {"input": 5.0, "output": 25.0, "cache_write_5m": 6.25, "cache_write_1h": 10.0,
        "cache_read": 0.5}
LONG = {"input": 10.0, "output": 37.5, "cache_write_5m": 12.5, "cache_write_1h": 20.0,
        "cache_read": 1.0}

COMPACTED = {
    "input_tokens": 23_000,
    "output_tokens": 1_000,
    "cache_creation_input_tokens": 0,
    "cache_read_input_tokens": 0,
    "iterations": [
        {"type": "compaction", "input_tokens": 180_000, "output_tokens": 3_500,
         "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
        {"type": "message", "input_tokens": 23_000, "output_tokens": 1_000,
         "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
    ],
}


def price_opus(window, *, above: int | None = None) -> Price:
    """Give the default model known test prices (a long-context tier above ``above``)."""
    data = dict(BASE)
    if above is not None:
        data["long_context"] = {"above_input_tokens": above, **LONG}
    price = Price.from_json(data)
    window.controller.services.prices = PriceTable({OPUS: price})
    return price


def footer(window, message) -> str:
    window.messages.flush()
    found = window.messages.widget_for(message.id)
    assert isinstance(found, ReplyWidget)
    return found.footer.text()


def save_conversation(data_dir, conversation: Conversation) -> None:
    folder = data_dir / "conversations"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{conversation.id}.json").write_text(
        json.dumps(conversation.to_json(SCHEMA_VERSION)))


async def test_compaction_is_in_the_reply_cost_the_header_and_its_tooltip(
        app_factory, fake_api, qtbot, data_dir):
    conversation = Conversation(title="Long talk")
    conversation.add_user_message("Keep going")
    conversation.messages.append(Message(
        "assistant", [{"type": "text", "text": "Going on from the summary."}], model=OPUS,
        usage=json.loads(json.dumps(COMPACTED)), stop_reason="end_turn"))
    save_conversation(data_dir, conversation)
    window = await app_factory()
    assert window.controller.current.id == conversation.id
    price_opus(window)
    window._update_header()
    reply = replies(window)[-1]

    expected = ((23_000 + 180_000) * 5.0 + (1_000 + 3_500) * 25.0) / 1_000_000
    assert window.controller.cost_of_message(reply) == pytest.approx(expected)
    assert window.controller.conversation_cost(window.controller.current) == pytest.approx(expected)
    assert window.header.cost.text() == format_dollars(expected)
    tooltip = window.header.cost.toolTip()
    assert "Input: 203,000 tokens" in tooltip and "Output: 4,500 tokens" in tooltip
    assert "Compaction (included above): 180,000 tokens in, 3,500 out" in tooltip
    described = window.controller.describe_usage(reply)
    assert "incl. compaction 180k in / 3.5k out" in described
    assert described.endswith(format_dollars(expected))
    shown = footer(window, reply)  # built with the shipped prices: the same for this model
    assert "203k in" in shown and "incl. compaction 180k in / 3.5k out" in shown
    assert format_dollars(expected) in shown


async def test_a_reply_above_the_long_context_threshold_is_charged_the_tier(
        app_factory, fake_api, qtbot):
    window = await app_factory()
    price_opus(window, above=100_000)
    fake_api.enqueue(Reply("A long answer.", input_tokens=150_000, output_tokens=40))
    type_and_send(window, qtbot, "Read all of this")
    reply = await finished_reply(window)
    usage = reply.usage
    prompt = (usage["input_tokens"] + usage.get("cache_creation_input_tokens", 0)
              + usage.get("cache_read_input_tokens", 0))
    assert prompt > 100_000
    writes = usage.get("cache_creation_input_tokens", 0)
    expected = (usage["input_tokens"] * LONG["input"] + 40 * LONG["output"]
                + writes * LONG["cache_write_5m"]
                + usage.get("cache_read_input_tokens", 0) * LONG["cache_read"]) / 1_000_000
    assert window.controller.cost_of_message(reply) == pytest.approx(expected)
    assert "long-context rate" in window.controller.describe_usage(reply)
    window._update_header()
    assert window.header.cost.text() == format_dollars(expected)
    assert "Requests at the long-context rate: 1" in window.header.cost.toolTip()

    # The next, short request is back at the base prices; the total adds both.
    fake_api.enqueue(Reply("Short.", input_tokens=50, output_tokens=4))
    type_and_send(window, qtbot, "Thanks")
    await until(lambda: len(replies(window)) == 2, message="second reply")
    second = await finished_reply(window)
    assert "long-context rate" not in window.controller.describe_usage(second)
    short = window.controller.cost_of_message(second)
    u = second.usage
    assert short == pytest.approx((u["input_tokens"] * BASE["input"] + 4 * BASE["output"]
                                   + u.get("cache_creation_input_tokens", 0) * BASE["cache_write_5m"]
                                   + u.get("cache_read_input_tokens", 0) * BASE["cache_read"])
                                  / 1_000_000)
    assert window.controller.conversation_cost(window.controller.current) == pytest.approx(
        expected + short)


async def test_the_estimate_before_sending_uses_the_long_context_rate(app_factory, fake_api, qtbot):
    window = await app_factory()
    price_opus(window, above=10)  # a tiny threshold: what is typed below crosses it
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "How much will sending this long question cost me?")

    def counted():
        return [r for r in fake_api.requests if r.path == "/v1/messages/count_tokens"
                and "How much will" in json.dumps(r.body)]

    await until(lambda: counted() and "to send" in window.estimate_label.text(),
                message="estimate shown")
    tokens = fake_api._prompt(counted()[-1].body).total_tokens
    assert tokens > 10
    label = window.estimate_label.text()
    assert f"{tokens:,} tokens in" in label
    assert (f"≈ {format_dollars(tokens * LONG['input'] / 1_000_000)} to send (long-context rate)"
            in label)

    # Below the threshold: the base price, and no mention of the tier.
    price_opus(window, above=1_000_000)
    window.estimate_label.estimate_now()
    base = f"≈ {format_dollars(tokens * BASE['input'] / 1_000_000)} to send"
    await until(lambda: base in window.estimate_label.text(), message="base estimate")
    assert "long-context" not in window.estimate_label.text()


async def test_a_compaction_streamed_by_the_api_is_billed_with_the_reply(
        app_factory, fake_api, qtbot):
    """The API reports a compaction step in usage.iterations, outside the top-level figures:
    the reply's cost and the conversation's include it."""
    window = await app_factory()
    price = price_opus(window)
    step = {"input_tokens": 150_000, "output_tokens": 2_000,
            "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
    fake_api.enqueue(Reply("Going on from the summary.", compaction="What we said so far.",
                           compaction_usage=step))
    type_and_send(window, qtbot, "Keep going")
    reply = await finished_reply(window)
    usage = reply.usage
    assert [i["type"] for i in usage["iterations"]] == ["compaction", "message"]
    top = ((usage["input_tokens"] * price.input + usage["output_tokens"] * price.output
            + usage.get("cache_creation_input_tokens", 0) * price.cache_write_5m
            + usage.get("cache_read_input_tokens", 0) * price.cache_read) / 1_000_000)
    with_step = top + (150_000 * price.input + 2_000 * price.output) / 1_000_000
    assert window.controller.cost_of_message(reply) == pytest.approx(with_step)
    assert window.controller.conversation_cost(window.controller.current) == pytest.approx(
        with_step)
    assert "incl. compaction 150k in / 2k out" in window.controller.describe_usage(reply)
