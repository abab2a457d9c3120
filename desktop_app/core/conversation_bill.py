"""What a conversation was billed, as numbers: every reply on every branch and side requests
such as its title, in tokens, dollars and what prompt caching saved (the UI words them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop_app.core.conversation import Conversation, Message
from desktop_app.core.cost import (
    PriceTable,
    TokenCounts,
    caching_saved,
    cost_of_usage,
    long_context_requests,
)

BilledUsage = tuple[str | None, dict[str, Any]]
"""(model id, stored ``usage`` object) of one paid request or reply."""


def billed_usages(conversation: Conversation) -> list[BilledUsage]:
    """(model, usage) of every request the conversation paid for: replies on every branch and
    side requests such as its generated title."""
    found: list[BilledUsage] = [
        (m.model, m.usage) for m in conversation.all_messages()
        if m.role == "assistant" and m.usage
    ]
    found += [(u.get("model"), u["usage"]) for u in conversation.auxiliary_usage]
    return found


def conversation_tokens(conversation: Conversation) -> TokenCounts:
    """Every billed token of the conversation, by kind."""
    total = TokenCounts()
    for _model, usage in billed_usages(conversation):
        total = total + TokenCounts.from_usage(usage)
    return total


def conversation_cost(conversation: Conversation, prices: PriceTable) -> float | None:
    """The sum over replies, those on set-aside branches included (they were paid for);
    None if any reply's model has no known price."""
    total = 0.0
    for model, usage in billed_usages(conversation):
        cost = cost_of_usage(usage, prices.price(model))
        if cost is None:
            return None
        total += cost
    return total


def caching_savings(conversation: Conversation, prices: PriceTable) -> float | None:
    """Dollars caching saved versus sending every input token at the plain input price of
    the same tier (negative while cache writes have cost more than reads saved); None if
    unpriced."""
    saved = 0.0
    for model, usage in billed_usages(conversation):
        amount = caching_saved(usage, prices.price(model))
        if amount is None:
            return None
        saved += amount
    return saved


def long_context_request_count(conversation: Conversation, prices: PriceTable) -> int:
    """How many of the conversation's requests were charged at a long-context rate."""
    return sum(long_context_requests(usage, prices.price(model))
               for model, usage in billed_usages(conversation))


@dataclass(frozen=True)
class MessageUsage:
    """The figures of one reply's usage line.

    Attributes:
        tokens: its tokens by kind (compaction's share included).
        long_context: whether any of its requests was charged at a long-context rate.
        cost: the dollars it was billed (None: its model has no known price).
    """

    tokens: TokenCounts
    long_context: bool
    cost: float | None

    @property
    def cache_written(self) -> int:
        """Tokens written to the cache, both lifetimes together."""
        return self.tokens.cache_write_5m + self.tokens.cache_write_1h


def message_usage(message: Message, prices: PriceTable) -> MessageUsage:
    """What a reply's requests used and were billed."""
    price = prices.price(message.model)
    return MessageUsage(
        tokens=TokenCounts.from_usage(message.usage),
        long_context=bool(long_context_requests(message.usage, price)),
        cost=cost_of_usage(message.usage, price),
    )


@dataclass(frozen=True)
class ConversationBill:
    """The figures of a conversation's cost tooltip.

    Attributes:
        tokens: every billed token, by kind.
        long_context_requests: requests charged at a long-context rate.
        caching_saved: dollars caching saved (negative: it cost extra; None: unpriced).
    """

    tokens: TokenCounts
    long_context_requests: int
    caching_saved: float | None

    @property
    def cache_written(self) -> int:
        """Tokens written to the cache, both lifetimes together."""
        return self.tokens.cache_write_5m + self.tokens.cache_write_1h

    @property
    def shows_caching(self) -> bool:
        """Whether there is a caching figure to tell: priced, and the cache was used."""
        return self.caching_saved is not None and bool(
            self.tokens.cache_read or self.tokens.cache_write_5m or self.tokens.cache_write_1h)


def conversation_bill(conversation: Conversation, prices: PriceTable) -> ConversationBill:
    """Tokens, long-context requests and caching savings of the whole conversation."""
    return ConversationBill(
        tokens=conversation_tokens(conversation),
        long_context_requests=long_context_request_count(conversation, prices),
        caching_saved=caching_savings(conversation, prices),
    )
