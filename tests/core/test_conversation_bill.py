"""What a whole conversation was billed: replies on every branch and its title request, in
tokens, dollars, long-context requests and caching savings. Pure core, no Qt."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.core.conversation import Conversation, Message, ReplyState
from desktop_app.core.conversation_bill import (
    billed_usages,
    caching_savings,
    conversation_bill,
    conversation_cost,
    conversation_tokens,
    long_context_request_count,
    message_usage,
)
from desktop_app.core.cost import Price, PriceTable, TokenCounts

SONNET = Price(input=3.0, output=15.0, cache_write_5m=3.75, cache_write_1h=6.0, cache_read=0.3)
HAIKU = Price(input=1.0, output=5.0, cache_write_5m=1.25, cache_write_1h=2.0, cache_read=0.1)
TIERED = Price.from_json({
    "input": 1.0, "output": 5.0, "cache_write_5m": 1.25, "cache_write_1h": 2.0, "cache_read": 0.1,
    "long_context": {"above_input_tokens": 100_000, "input": 5.0, "output": 25.0,
                     "cache_write_5m": 6.25, "cache_write_1h": 10.0, "cache_read": 0.5},
})
PRICES = PriceTable({"sonnet": SONNET, "haiku": HAIKU, "tiered": TIERED})

CACHED = {"input_tokens": 1_000, "output_tokens": 500, "cache_read_input_tokens": 2_000,
          "cache_creation_input_tokens": 1_000}
PLAIN = {"input_tokens": 100, "output_tokens": 50}
TITLE = {"input_tokens": 200, "output_tokens": 10}


def reply(model: str, usage: dict[str, Any] | None, text: str = "An answer.") -> Message:
    return Message(role="assistant", content=[{"type": "text", "text": text}], model=model,
                   usage=usage, state=ReplyState.COMPLETE)


def retried_conversation() -> Conversation:
    """A reply set aside by Retry (still paid for), the reply that replaced it, and the
    conversation's title request."""
    conversation = Conversation(model="sonnet")
    conversation.add_user_message("What is a cairn?")
    first = reply("sonnet", CACHED)
    conversation.messages.append(first)
    conversation.fork_at(first.id)
    conversation.messages.append(reply("sonnet", PLAIN, "Another answer."))
    conversation.auxiliary_usage.append(
        {"purpose": "title", "model": "haiku", "usage": TITLE, "created_at": "2026-01-01"})
    return conversation


def test_every_paid_request_is_counted_set_aside_branches_and_the_title_included() -> None:
    conversation = retried_conversation()
    assert len(conversation.messages) == 2  # the first reply is no longer shown ...
    billed = billed_usages(conversation)
    assert sorted((model or "", usage["input_tokens"]) for model, usage in billed) == [
        ("haiku", 200), ("sonnet", 100), ("sonnet", 1_000)]  # ... but it was paid for


def test_tokens_add_up_by_kind() -> None:
    assert conversation_tokens(retried_conversation()) == TokenCounts(
        input=1_300, output=560, cache_write_5m=1_000, cache_read=2_000)


def test_the_cost_is_every_request_at_its_own_model_price() -> None:
    first = (1_000 * 3.0 + 500 * 15.0 + 1_000 * 3.75 + 2_000 * 0.3) / 1e6  # 0.01485
    second = (100 * 3.0 + 50 * 15.0) / 1e6  # 0.00105
    title = (200 * 1.0 + 10 * 5.0) / 1e6  # 0.00025
    assert conversation_cost(retried_conversation(), PRICES) == pytest.approx(
        first + second + title)
    assert conversation_cost(retried_conversation(), PRICES) == pytest.approx(0.01615)


def test_caching_savings_weigh_reads_saved_against_writes_paid() -> None:
    # 2,000 read at 0.3 instead of 3.0, 1,000 written at 3.75 instead of 3.0 (per million).
    assert caching_savings(retried_conversation(), PRICES) == pytest.approx(
        (2_000 * 2.7 - 1_000 * 0.75) / 1e6)
    written_only = Conversation()
    written_only.add_user_message("Hello")
    written_only.messages.append(reply("sonnet", {"input_tokens": 10, "output_tokens": 1,
                                                  "cache_creation_input_tokens": 4_000}))
    assert caching_savings(written_only, PRICES) == pytest.approx(-4_000 * 0.75 / 1e6)


def test_an_unpriced_model_makes_the_totals_unknown() -> None:
    conversation = retried_conversation()
    conversation.add_user_message("And one more?")
    conversation.messages.append(reply("mystery-model", PLAIN))
    assert conversation_cost(conversation, PRICES) is None
    assert caching_savings(conversation, PRICES) is None
    assert conversation_tokens(conversation).input == 1_400  # tokens are still counted


def test_an_empty_conversation_cost_nothing() -> None:
    conversation = Conversation()
    assert billed_usages(conversation) == []
    assert conversation_cost(conversation, PRICES) == 0.0
    assert caching_savings(conversation, PRICES) == 0.0
    bill = conversation_bill(conversation, PRICES)
    assert bill.tokens == TokenCounts() and bill.long_context_requests == 0
    assert not bill.shows_caching


def test_long_context_requests_are_counted_per_request() -> None:
    conversation = Conversation()
    conversation.add_user_message("A long document")
    conversation.messages.append(reply("tiered", {"input_tokens": 150_000, "output_tokens": 10}))
    conversation.add_user_message("A short question")
    conversation.messages.append(reply("tiered", {"input_tokens": 5_000, "output_tokens": 10}))
    assert long_context_request_count(conversation, PRICES) == 1
    assert conversation_cost(conversation, PRICES) == pytest.approx(
        (150_000 * 5.0 + 10 * 25.0 + 5_000 * 1.0 + 10 * 5.0) / 1e6)


def test_a_reply_usage_line_has_its_figures() -> None:
    usage = message_usage(reply("sonnet", {
        **CACHED, "cache_creation": {"ephemeral_5m_input_tokens": 400,
                                     "ephemeral_1h_input_tokens": 600}}), PRICES)
    assert usage.tokens.total_input == 4_000
    assert (usage.tokens.cache_write_5m, usage.tokens.cache_write_1h) == (400, 600)
    assert usage.cache_written == 1_000
    assert usage.long_context is False
    assert usage.cost == pytest.approx(
        (1_000 * 3.0 + 500 * 15.0 + 400 * 3.75 + 600 * 6.0 + 2_000 * 0.3) / 1e6)
    long = message_usage(reply("tiered", {"input_tokens": 100_001, "output_tokens": 0}), PRICES)
    assert long.long_context is True and long.cost == pytest.approx(100_001 * 5.0 / 1e6)
    unknown = message_usage(reply("mystery-model", PLAIN), PRICES)
    assert unknown.cost is None and unknown.tokens.output == 50


def test_the_bill_says_when_caching_is_worth_telling() -> None:
    bill = conversation_bill(retried_conversation(), PRICES)
    assert bill.cache_written == 1_000
    assert bill.caching_saved == pytest.approx(0.00465)
    assert bill.shows_caching
    assert bill.tokens.cache_hit_rate == pytest.approx(2_000 / 4_300)
    no_cache = Conversation()
    no_cache.add_user_message("Hi")
    no_cache.messages.append(reply("sonnet", PLAIN))
    assert conversation_bill(no_cache, PRICES).caching_saved == 0.0
    assert not conversation_bill(no_cache, PRICES).shows_caching  # nothing cached: no line
