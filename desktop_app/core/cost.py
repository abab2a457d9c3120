"""Usage -> dollars, with each kind of token at its own price.

Prices are per million tokens. A model without a known price costs ``None`` ("price unknown"),
never a guess.

What a reply was billed for is read from the API's ``usage`` object as stored with the message:

- the top-level fields count every ordinary sampling step of the request (``message`` entries of
  ``usage.iterations`` included); ``compaction`` entries of ``usage.iterations`` are billed too
  but are *not* in the top-level fields, so they are added;
- the 5-minute / 1-hour split of cache writes (``cache_creation``) is made to agree with the
  total (``cache_creation_input_tokens``), which is the billed figure;
- a model may charge a whole request at higher rates when its prompt is above a size
  ("long context"): each request is priced at the tier its own prompt reached. A reply made of
  several requests (a resumed or continued reply) keeps each request's usage under
  ``PER_REQUEST`` (see ``core/reply.py``), so each is priced on its own;
- Claude's own tools: each web search (``usage.server_tool_use.web_search_requests``, only
  those that did not fail) costs a fixed price per search on top of tokens
  (``resources/prices.json``, ``server_tools.web_search_per_search``); a web fetch and code
  execution cost only the tokens their results add (their counts are kept, to be shown).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

_MILLION = 1_000_000

PER_REQUEST = "per_request"
"""Key, inside a stored usage that adds several requests up, of the list of their own usages."""


@dataclass(frozen=True)
class LongContext:
    """Prices that replace a model's base prices for a whole request (output included) whose
    prompt (input + cache writes + cache reads) is above ``above_input_tokens``."""

    above_input_tokens: int
    price: Price


@dataclass(frozen=True)
class Price:
    """Dollars per million tokens for one model, and its long-context tier if it has one."""

    input: float
    output: float
    cache_write_5m: float
    cache_write_1h: float
    cache_read: float
    long_context: LongContext | None = None
    web_search: float = 0.0  # dollars per web search (the same in every tier)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], web_search: float = 0.0) -> Price:
        """``{"input", "output", "cache_write_5m"?, "cache_write_1h"?, "cache_read"?,
        "long_context"?: {"above_input_tokens", "input", "output", ...}}``; missing cache prices
        follow the documented multipliers of the input price (1.25x, 2x, 0.1x). ``web_search``
        is the price of one search, from the table's ``server_tools`` section."""
        tier = data.get("long_context")
        long_context = None
        if tier is not None:
            above = tier["above_input_tokens"]
            if not isinstance(above, int) or isinstance(above, bool) or above < 1:
                raise ValueError(f"long_context.above_input_tokens must be a positive integer, "
                                 f"not {above!r}")
            long_context = LongContext(above, cls._flat(tier, None, web_search))
        return cls._flat(data, long_context, web_search)

    @classmethod
    def _flat(cls, data: Mapping[str, Any], long_context: LongContext | None,
              web_search: float) -> Price:
        base = float(data["input"])
        return cls(
            input=base,
            output=float(data["output"]),
            cache_write_5m=float(data.get("cache_write_5m", base * 1.25)),
            cache_write_1h=float(data.get("cache_write_1h", base * 2)),
            cache_read=float(data.get("cache_read", base * 0.1)),
            long_context=long_context,
            web_search=web_search,
        )

    def is_long_context(self, prompt_tokens: int) -> bool:
        """Whether a request whose prompt has this many tokens pays the long-context tier."""
        tier = self.long_context
        return tier is not None and prompt_tokens > tier.above_input_tokens

    def for_prompt(self, prompt_tokens: int) -> Price:
        """The prices every token of a request with a prompt of this size is charged at."""
        if self.long_context is not None and self.is_long_context(prompt_tokens):
            return self.long_context.price
        return self


@dataclass(frozen=True)
class TokenCounts:
    """The token counts of one reply (or a sum of replies), split by how they are billed.

    Compaction (the server summarising a long context inside a request) is billed like any
    input and output and is included in the five figures; ``compaction_input`` (every kind of
    input it read) and ``compaction_output`` (the summary it wrote) say how much of them it was.
    """

    input: int = 0
    output: int = 0
    cache_write_5m: int = 0
    cache_write_1h: int = 0
    cache_read: int = 0
    compaction_input: int = 0
    compaction_output: int = 0
    web_searches: int = 0
    web_fetches: int = 0

    @classmethod
    def from_usage(cls, usage: Mapping[str, Any] | None) -> TokenCounts:
        """Everything a stored ``usage`` object was billed for (see the module docstring)."""
        total = cls()
        for request in billed_requests(usage):
            total = total + request.tokens
        return total

    def __add__(self, other: TokenCounts) -> TokenCounts:
        return TokenCounts(
            self.input + other.input,
            self.output + other.output,
            self.cache_write_5m + other.cache_write_5m,
            self.cache_write_1h + other.cache_write_1h,
            self.cache_read + other.cache_read,
            self.compaction_input + other.compaction_input,
            self.compaction_output + other.compaction_output,
            self.web_searches + other.web_searches,
            self.web_fetches + other.web_fetches,
        )

    @property
    def total_input(self) -> int:
        """Every input token, however billed: the size of the prompt."""
        return self.input + self.cache_write_5m + self.cache_write_1h + self.cache_read

    @property
    def cache_hit_rate(self) -> float | None:
        """Share of the prompt read from the cache (None when there was no input)."""
        total = self.total_input
        return self.cache_read / total if total else None


@dataclass(frozen=True)
class BilledRequest:
    """One request as billed: its tokens (compaction included) and the size of the prompt it
    sent, which decides a long-context tier."""

    tokens: TokenCounts
    prompt_tokens: int


def billed_requests(usage: Mapping[str, Any] | None) -> list[BilledRequest]:
    """The requests a stored ``usage`` object stands for: one, or each of ``PER_REQUEST``."""
    if not usage:
        return []
    parts = usage.get(PER_REQUEST)
    if isinstance(parts, list) and parts:
        return [_billed_request(part) for part in parts if isinstance(part, Mapping)]
    return [_billed_request(usage)]


def _billed_request(usage: Mapping[str, Any]) -> BilledRequest:
    top = _counts(usage)
    iterations = [i for i in usage.get("iterations") or () if isinstance(i, Mapping)]
    compactions = [_counts(i) for i in iterations if i.get("type") == "compaction"]
    tokens = top
    for step in compactions:
        tokens = tokens + TokenCounts(
            step.input, step.output, step.cache_write_5m, step.cache_write_1h, step.cache_read,
            compaction_input=step.total_input, compaction_output=step.output,
        )
    # The prompt the request sent: the largest one any of its sampling steps read (a compaction
    # step reads the whole context it closes). The top-level figures add the ordinary steps
    # up, so they stand for the prompt only when no ordinary step is listed on its own.
    sizes = [_counts(i).total_input for i in iterations]
    if not any(i.get("type") != "compaction" for i in iterations):
        sizes.append(top.total_input)
    return BilledRequest(tokens, max(sizes))


def _counts(usage: Mapping[str, Any]) -> TokenCounts:
    """The five billed figures of one usage object (top level or one iteration entry)."""
    w5, w1 = _cache_writes(usage)
    server = usage.get("server_tool_use")
    if not isinstance(server, Mapping):
        server = {}
    return TokenCounts(
        input=_int(usage.get("input_tokens")),
        output=_int(usage.get("output_tokens")),
        cache_write_5m=w5,
        cache_write_1h=w1,
        cache_read=_int(usage.get("cache_read_input_tokens")),
        web_searches=_int(server.get("web_search_requests")),
        web_fetches=_int(server.get("web_fetch_requests")),
    )


def _cache_writes(usage: Mapping[str, Any]) -> tuple[int, int]:
    """(5-minute, 1-hour) cache writes that add up to ``cache_creation_input_tokens``.

    The total is the billed figure and is cumulative in a stream, while the TTL split comes
    only with ``message_start``: after more cache was written later in the same request, or
    when figures from different moments were put together, the split no longer adds up. It is
    then scaled to the total, so that the TTLs keep their shares (Cairn asks for one TTL per
    request, so the remainder is written at that TTL); without any split the writes count as
    5-minute ones, the API's default TTL. With no total at all, the split is the figure.
    """
    creation = usage.get("cache_creation")
    if not isinstance(creation, Mapping):
        creation = {}
    w5 = _int(creation.get("ephemeral_5m_input_tokens"))
    w1 = _int(creation.get("ephemeral_1h_input_tokens"))
    split = w5 + w1
    if usage.get("cache_creation_input_tokens") is None:
        return w5, w1
    written = _int(usage.get("cache_creation_input_tokens"))
    if split == written:
        return w5, w1
    if not split:
        return written, 0
    hour = round(written * w1 / split)
    return written - hour, hour


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return max(0, int(value))


def cost_of(tokens: TokenCounts, price: Price | None) -> float | None:
    """Dollars for these tokens (and web searches) at this price's base rates; None when the
    price is unknown.

    For a stored usage object use ``cost_of_usage``, which applies a long-context tier."""
    if price is None:
        return None
    return (
        tokens.input * price.input
        + tokens.output * price.output
        + tokens.cache_write_5m * price.cache_write_5m
        + tokens.cache_write_1h * price.cache_write_1h
        + tokens.cache_read * price.cache_read
    ) / _MILLION + tokens.web_searches * price.web_search


def cost_of_usage(usage: Mapping[str, Any] | None, price: Price | None) -> float | None:
    """Dollars a stored ``usage`` object was billed: each request at the tier its prompt
    reached, compaction included; None when the price is unknown."""
    if price is None:
        return None
    total = 0.0
    for request in billed_requests(usage):
        total += cost_of(request.tokens, price.for_prompt(request.prompt_tokens)) or 0.0
    return total


def caching_saved(usage: Mapping[str, Any] | None, price: Price | None) -> float | None:
    """Dollars caching saved on these requests versus sending every cached token at the plain
    input price of the same tier (negative while writes cost more than reads saved)."""
    if price is None:
        return None
    saved = 0.0
    for request in billed_requests(usage):
        rates, t = price.for_prompt(request.prompt_tokens), request.tokens
        saved += (
            t.cache_read * (rates.input - rates.cache_read)
            - t.cache_write_5m * (rates.cache_write_5m - rates.input)
            - t.cache_write_1h * (rates.cache_write_1h - rates.input)
        ) / _MILLION
    return saved


def long_context_requests(usage: Mapping[str, Any] | None, price: Price | None) -> int:
    """How many of these requests were charged at the long-context tier."""
    if price is None:
        return 0
    return sum(1 for r in billed_requests(usage) if price.is_long_context(r.prompt_tokens))


def estimate_send_cost(prompt_tokens: int, price: Price | None) -> float | None:
    """What sending a prompt of this size costs for its input, before caching discounts, at
    the tier its size reaches; None when the price is unknown."""
    if price is None:
        return None
    return prompt_tokens * price.for_prompt(prompt_tokens).input / _MILLION


class PriceTable:
    """Prices by model id, from the data file in ``resources/``."""

    def __init__(self, prices: Mapping[str, Price], web_search: float = 0.0) -> None:
        self._prices = dict(prices)
        self.web_search = web_search  # dollars per web search

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PriceTable:
        """``{"models": {id: price}, "server_tools"?: {"web_search_per_search": dollars}}``."""
        models = data.get("models", {})
        server = data.get("server_tools") or {}
        per_search = float(server.get("web_search_per_search", 0.0))
        if not per_search >= 0:
            raise ValueError(f"server_tools.web_search_per_search must be >= 0, not {per_search}")
        return cls({model_id: Price.from_json(p, per_search) for model_id, p in models.items()},
                   per_search)

    def price(self, model_id: str | None) -> Price | None:
        """The price for a model id; dated ids (``...-20251001``) fall back to their alias."""
        if not model_id:
            return None
        if model_id in self._prices:
            return self._prices[model_id]
        head, _, tail = model_id.rpartition("-")
        if tail.isdigit() and len(tail) == 8:
            return self._prices.get(head)
        return None

    def known(self) -> Iterable[str]:
        return self._prices.keys()


def format_dollars(amount: float | None) -> str:
    """``$0.0123``-style text that stays readable for tiny and large amounts."""
    if amount is None:
        return "price unknown"
    if amount == 0:
        return "$0.00"
    if amount < 0.0001:
        return "<$0.0001"  # real, but too small to show: never "$0.0000", which reads as free
    if amount < 0.01:
        return f"${amount:.4f}"
    if round(amount, 3) < 10:
        return f"${amount:.3f}"
    return f"${amount:,.2f}"


def format_tokens(count: int) -> str:
    """``950``, ``3.2k``, ``1.2M``."""
    if count < 1000:
        return str(count)
    if round(count / 1000, 1) < 1000:
        return f"{count / 1000:.1f}k".replace(".0k", "k")
    return f"{count / 1_000_000:.1f}M".replace(".0M", "M")
