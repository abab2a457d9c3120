"""Costs that match the bill: compaction steps, long-context tiers, the cache-write TTL split,
and replies made of several requests. Pure core: usage dicts as the API and Cairn store them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.conversation import Message, ReplyState
from desktop_app.core.cost import (
    PER_REQUEST,
    Price,
    PriceTable,
    TokenCounts,
    caching_saved,
    cost_of,
    cost_of_usage,
    estimate_send_cost,
    long_context_requests,
)
from desktop_app.core.reply import (
    ReplyAssembler,
    ReplyCompleted,
    ReplyDelta,
    ReplyStarted,
    add_usage,
)

SONNET = Price(input=3.0, output=15.0, cache_write_5m=3.75, cache_write_1h=6.0, cache_read=0.3)
TIERED = Price.from_json({
    "input": 1.0, "output": 5.0, "cache_write_5m": 1.25, "cache_write_1h": 2.0, "cache_read": 0.1,
    "long_context": {"above_input_tokens": 100_000, "input": 5.0, "output": 25.0,
                     "cache_write_5m": 6.25, "cache_write_1h": 10.0, "cache_read": 0.5},
})


def shipped_prices() -> PriceTable:
    """resources/prices.json of this checkout (an editable install may map the package's
    resources to another one)."""
    text = (Path(__file__).resolve().parents[2] / "resources" / "prices.json").read_text("utf-8")
    return PriceTable.from_json(json.loads(text))


# -- the 5m / 1h split agrees with the billed total ---------------------------------------------


def streamed(*events: Any, base: Message | None = None) -> Message:
    message = base or Message(role="assistant", content=[], model="m")
    assembler = ReplyAssembler(message)
    for event in events:
        assembler.apply(event)
    return message


def test_split_from_message_start_is_scaled_to_the_cumulative_total_of_message_delta() -> None:
    """message_start carries the TTL split; message_delta carries a larger cumulative total
    (more cache written later in the request) and no split. The merge keeps the old split with
    the new total: the split must still add up to what was billed."""
    message = streamed(
        ReplyStarted("m", {
            "input_tokens": 10, "output_tokens": 1, "cache_read_input_tokens": 0,
            "cache_creation_input_tokens": 2_000,
            "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 2_000},
        }),
        ReplyDelta("end_turn", None, {"output_tokens": 50, "cache_creation_input_tokens": 5_000}),
        ReplyCompleted(),
    )
    assert message.usage is not None
    assert message.usage["cache_creation_input_tokens"] == 5_000
    tokens = TokenCounts.from_usage(message.usage)
    assert (tokens.cache_write_5m, tokens.cache_write_1h) == (0, 5_000)
    assert cost_of_usage(message.usage, SONNET) == pytest.approx(
        (10 * 3.0 + 50 * 15.0 + 5_000 * 6.0) / 1_000_000)


def test_a_mixed_split_keeps_its_shares_and_always_sums_to_the_total() -> None:
    usage = {"input_tokens": 0, "output_tokens": 0, "cache_creation_input_tokens": 1_001,
             "cache_creation": {"ephemeral_5m_input_tokens": 100, "ephemeral_1h_input_tokens": 300}}
    tokens = TokenCounts.from_usage(usage)
    assert tokens.cache_write_5m + tokens.cache_write_1h == 1_001
    assert tokens.cache_write_1h == round(1_001 * 0.75)
    # A split larger than the total is scaled down the same way.
    usage["cache_creation_input_tokens"] = 200
    tokens = TokenCounts.from_usage(usage)
    assert (tokens.cache_write_5m, tokens.cache_write_1h) == (50, 150)
    # No split at all: the API's default TTL. No total: the split is the figure.
    assert TokenCounts.from_usage({"cache_creation_input_tokens": 70}).cache_write_5m == 70
    assert TokenCounts.from_usage({"cache_creation": {"ephemeral_5m_input_tokens": 0,
                                                      "ephemeral_1h_input_tokens": 9}}
                                  ).cache_write_1h == 9


def test_added_requests_each_keep_a_split_that_adds_up() -> None:
    first = {"input_tokens": 5, "output_tokens": 5, "cache_creation_input_tokens": 400,
             "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 100}}
    second = {"input_tokens": 5, "output_tokens": 5, "cache_creation_input_tokens": 600}
    total = add_usage(first, second)
    tokens = TokenCounts.from_usage(total)
    assert (tokens.cache_write_5m, tokens.cache_write_1h) == (600, 400)


# -- compaction ----------------------------------------------------------------------------------

COMPACTED = {  # the documented shape: the compaction step is not in the top-level fields
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


def test_compaction_steps_are_counted_and_message_steps_are_not_counted_twice() -> None:
    tokens = TokenCounts.from_usage(COMPACTED)
    assert tokens == TokenCounts(input=203_000, output=4_500, compaction_input=180_000,
                                 compaction_output=3_500)
    assert cost_of_usage(COMPACTED, SONNET) == pytest.approx(
        (203_000 * 3.0 + 4_500 * 15.0) / 1_000_000)


def test_a_compaction_step_with_cache_figures_is_priced_by_kind() -> None:
    usage = {"input_tokens": 100, "output_tokens": 10, "iterations": [
        {"type": "compaction", "input_tokens": 1_000, "output_tokens": 200,
         "cache_creation_input_tokens": 400, "cache_read_input_tokens": 5_000,
         "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 400}},
    ]}
    tokens = TokenCounts.from_usage(usage)
    assert tokens == TokenCounts(input=1_100, output=210, cache_write_1h=400, cache_read=5_000,
                                 compaction_input=6_400, compaction_output=200)


def test_a_streamed_reply_with_compaction_costs_its_compaction() -> None:
    """message_delta's usage (the beta one) carries the iterations; the merge keeps them."""
    message = streamed(
        ReplyStarted("m", {"input_tokens": 23_000, "output_tokens": 1,
                           "cache_read_input_tokens": 0, "cache_creation_input_tokens": 0}),
        ReplyDelta("end_turn", None, {
            "input_tokens": 23_000, "output_tokens": 1_000, "cache_read_input_tokens": 0,
            "cache_creation_input_tokens": 0, "iterations": COMPACTED["iterations"]}),
        ReplyCompleted(),
    )
    assert TokenCounts.from_usage(message.usage).compaction_output == 3_500
    assert cost_of_usage(message.usage, SONNET) == pytest.approx(cost_of_usage(COMPACTED, SONNET))


def test_adding_two_requests_keeps_every_iteration() -> None:
    second = {"input_tokens": 500, "output_tokens": 50, "iterations": [
        {"type": "compaction", "input_tokens": 160_000, "output_tokens": 2_000,
         "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
        {"type": "message", "input_tokens": 500, "output_tokens": 50,
         "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
    ]}
    total = add_usage(COMPACTED, second)
    assert [i["type"] for i in total["iterations"]] == [
        "compaction", "message", "compaction", "message"]
    assert total["input_tokens"] == 23_500
    tokens = TokenCounts.from_usage(total)
    assert tokens.compaction_input == 340_000 and tokens.compaction_output == 5_500
    assert tokens.input == 23_500 + 340_000 and tokens.output == 1_050 + 5_500
    assert cost_of_usage(total, SONNET) == pytest.approx(
        cost_of_usage(COMPACTED, SONNET) + cost_of_usage(second, SONNET))
    # The inputs are left as they were.
    assert len(COMPACTED["iterations"]) == 2 and PER_REQUEST not in COMPACTED


def test_a_resumed_reply_adds_its_compaction_to_what_the_message_had() -> None:
    """A paused or continued reply streams into the same message; its usage is added."""
    base = Message(role="assistant", content=[{"type": "text", "text": "Part one."}], model="m",
                   usage=dict(COMPACTED), state=ReplyState.STOPPED)
    message = streamed(
        ReplyStarted("m", {"input_tokens": 400, "output_tokens": 1}),
        ReplyDelta("end_turn", None, {"input_tokens": 400, "output_tokens": 20, "iterations": [
            {"type": "compaction", "input_tokens": 150_000, "output_tokens": 1_000,
             "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
            {"type": "message", "input_tokens": 400, "output_tokens": 20,
             "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}]}),
        ReplyCompleted(),
        base=base,
    )
    tokens = TokenCounts.from_usage(message.usage)
    assert tokens.compaction_input == 330_000 and tokens.compaction_output == 4_500
    assert tokens.input == 23_400 + 330_000


# -- long-context prices -------------------------------------------------------------------------


def test_price_table_reads_a_long_context_tier() -> None:
    assert TIERED.long_context is not None and TIERED.long_context.above_input_tokens == 100_000
    assert TIERED.for_prompt(100_000) is TIERED  # "up to 100,000 tokens": the base prices
    assert TIERED.for_prompt(100_001).input == 5.0
    assert TIERED.for_prompt(100_001).output == 25.0
    derived = Price.from_json({"input": 1, "output": 5, "long_context": {
        "above_input_tokens": 10, "input": 2, "output": 10}})
    assert derived.for_prompt(11).cache_read == pytest.approx(0.2)
    assert derived.for_prompt(11).cache_write_1h == pytest.approx(4.0)
    for bad in (0, -1, "100000", 1.5, True):
        with pytest.raises(ValueError):
            Price.from_json({"input": 1, "output": 5, "long_context": {
                "above_input_tokens": bad, "input": 2, "output": 10}})


def test_a_request_above_the_threshold_pays_the_tier_on_every_token() -> None:
    usage = {"input_tokens": 1_000, "output_tokens": 2_000, "cache_read_input_tokens": 99_001,
             "cache_creation_input_tokens": 0}  # cache reads count towards the prompt size
    expected = (1_000 * 5.0 + 2_000 * 25.0 + 99_001 * 0.5) / 1_000_000
    assert cost_of_usage(usage, TIERED) == pytest.approx(expected)
    assert long_context_requests(usage, TIERED) == 1
    usage["cache_read_input_tokens"] = 99_000  # 100,000 exactly: base prices
    assert cost_of_usage(usage, TIERED) == pytest.approx(
        (1_000 * 1.0 + 2_000 * 5.0 + 99_000 * 0.1) / 1_000_000)
    assert long_context_requests(usage, TIERED) == 0
    # Flat prices are unaffected by size.
    big = {"input_tokens": 900_000, "output_tokens": 10}
    assert cost_of_usage(big, SONNET) == pytest.approx(cost_of(TokenCounts(900_000, 10), SONNET))


def test_a_resumed_reply_prices_each_request_at_its_own_tier() -> None:
    """Two 60k-token requests added up read as 120k: still each below the 100k threshold."""
    one = {"input_tokens": 60_000, "output_tokens": 100}
    total = add_usage(one, dict(one))
    assert total["input_tokens"] == 120_000
    assert cost_of_usage(total, TIERED) == pytest.approx(2 * (60_000 * 1.0 + 100 * 5.0) / 1e6)
    assert long_context_requests(total, TIERED) == 0
    # A third, long request is charged the tier on its own.
    third = {"input_tokens": 150_000, "output_tokens": 10}
    total = add_usage(total, third)
    assert len(total[PER_REQUEST]) == 3
    assert cost_of_usage(total, TIERED) == pytest.approx(
        2 * (60_000 * 1.0 + 100 * 5.0) / 1e6 + (150_000 * 5.0 + 10 * 25.0) / 1e6)
    assert long_context_requests(total, TIERED) == 1


def test_a_compaction_that_read_a_long_context_puts_the_request_in_the_tier() -> None:
    """The request sent the whole context (the compaction step read it); the prompt size is the
    largest any step read, not the compacted size the top-level fields report."""
    cost = cost_of_usage(COMPACTED, TIERED)
    assert cost == pytest.approx((203_000 * 5.0 + 4_500 * 25.0) / 1_000_000)
    # Ordinary steps are sized one by one, not by their sum in the top-level fields.
    loop = {"input_tokens": 120_000, "output_tokens": 30, "iterations": [
        {"type": "message", "input_tokens": 60_000, "output_tokens": 10,
         "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
        {"type": "message", "input_tokens": 60_000, "output_tokens": 20,
         "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}]}
    assert long_context_requests(loop, TIERED) == 0


def test_caching_savings_use_the_tier_of_the_request() -> None:
    usage = {"input_tokens": 1_000, "output_tokens": 10, "cache_read_input_tokens": 200_000}
    assert caching_saved(usage, TIERED) == pytest.approx(200_000 * (5.0 - 0.5) / 1_000_000)
    assert caching_saved(usage, None) is None


def test_the_estimate_before_sending_uses_the_tier_the_prompt_reaches() -> None:
    assert estimate_send_cost(100_000, TIERED) == pytest.approx(100_000 * 1.0 / 1e6)
    assert estimate_send_cost(150_000, TIERED) == pytest.approx(150_000 * 5.0 / 1e6)
    assert estimate_send_cost(150_000, None) is None


def test_shipped_prices_have_the_documented_haiku_5_5_tier() -> None:
    """Claude Haiku 5.5: $0.10 / $0.50 per MTok for prompts up to 100,000 tokens, $0.50 / $2.50
    above (cache writes $0.125 / $0.20 -> $0.625 / $1, reads $0.01 -> $0.05)."""
    haiku = shipped_prices().price("claude-haiku-5-5")
    assert haiku is not None and haiku.long_context is not None
    assert haiku.long_context.above_input_tokens == 100_000
    assert (haiku.input, haiku.output, haiku.cache_write_5m, haiku.cache_write_1h,
            haiku.cache_read) == (0.1, 0.5, 0.125, 0.2, 0.01)
    long = haiku.long_context.price
    assert (long.input, long.output, long.cache_write_5m, long.cache_write_1h,
            long.cache_read) == (0.5, 2.5, 0.625, 1.0, 0.05)
    # Models documented as priced flat across their 1M window have no tier.
    for flat in ("claude-opus-5-5", "claude-sonnet-5-5", "claude-opus-4-7", "claude-sonnet-4-6"):
        price = shipped_prices().price(flat)
        assert price is not None and price.long_context is None, flat
