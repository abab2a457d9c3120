"""Usage -> dollars, with each kind of token at its own price.

Prices are per million tokens. A model without a known price costs ``None`` ("price unknown"),
never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

_MILLION = 1_000_000


@dataclass(frozen=True)
class Price:
    """Dollars per million tokens for one model."""

    input: float
    output: float
    cache_write_5m: float
    cache_write_1h: float
    cache_read: float

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Price:
        base = float(data["input"])
        return cls(
            input=base,
            output=float(data["output"]),
            cache_write_5m=float(data.get("cache_write_5m", base * 1.25)),
            cache_write_1h=float(data.get("cache_write_1h", base * 2)),
            cache_read=float(data.get("cache_read", base * 0.1)),
        )


@dataclass(frozen=True)
class TokenCounts:
    """The token counts of one reply (or a sum of replies), split by how they are billed."""

    input: int = 0
    output: int = 0
    cache_write_5m: int = 0
    cache_write_1h: int = 0
    cache_read: int = 0

    @classmethod
    def from_usage(cls, usage: Mapping[str, Any] | None) -> TokenCounts:
        """Read the API's ``usage`` object; cache writes without a TTL split count as 5m."""
        if not usage:
            return cls()
        creation = usage.get("cache_creation") or {}
        written = int(usage.get("cache_creation_input_tokens") or 0)
        w5 = int(creation.get("ephemeral_5m_input_tokens") or 0)
        w1 = int(creation.get("ephemeral_1h_input_tokens") or 0)
        if written and not (w5 or w1):
            w5 = written
        return cls(
            input=int(usage.get("input_tokens") or 0),
            output=int(usage.get("output_tokens") or 0),
            cache_write_5m=w5,
            cache_write_1h=w1,
            cache_read=int(usage.get("cache_read_input_tokens") or 0),
        )

    def __add__(self, other: TokenCounts) -> TokenCounts:
        return TokenCounts(
            self.input + other.input,
            self.output + other.output,
            self.cache_write_5m + other.cache_write_5m,
            self.cache_write_1h + other.cache_write_1h,
            self.cache_read + other.cache_read,
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


def cost_of(tokens: TokenCounts, price: Price | None) -> float | None:
    """Dollars for these tokens at this price; None when the price is unknown."""
    if price is None:
        return None
    return (
        tokens.input * price.input
        + tokens.output * price.output
        + tokens.cache_write_5m * price.cache_write_5m
        + tokens.cache_write_1h * price.cache_write_1h
        + tokens.cache_read * price.cache_read
    ) / _MILLION


class PriceTable:
    """Prices by model id, from the data file in ``resources/``."""

    def __init__(self, prices: Mapping[str, Price]) -> None:
        self._prices = dict(prices)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PriceTable:
        models = data.get("models", {})
        return cls({model_id: Price.from_json(p) for model_id, p in models.items()})

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
