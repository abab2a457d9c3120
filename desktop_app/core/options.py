"""The per-request choices (thinking, effort, caching, compaction, length) and how they adapt
to what a model supports.

Settings hold the defaults; a conversation may override any of them. ``fit_to_model`` turns the
wish into what the model can actually do, so the request builder never has to guess and the
UI offers only what is possible.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from desktop_app.core.catalog import EFFORT_LEVELS, ModelInfo

CACHE_TTLS = ("off", "5m", "1h")
MIN_BUDGET_TOKENS = 1024  # the API's minimum for thinking.budget_tokens
DEFAULT_EFFORT = "high"


@dataclass(frozen=True)
class ChatOptions:
    """What the user asked for.

    Attributes:
        thinking: "on" or "off". "on" uses adaptive thinking where the model has it, else
            extended thinking with ``budget_tokens``.
        effort: "low" … "max"; sent to every model with effort control, thinking or not
            (it steers the whole reply; with adaptive thinking, also how much to think).
        budget_tokens: the thinking budget for models that take only ``budget_tokens``.
        cache_ttl: prompt caching: "off", "5m" or "1h".
        compaction: summarise old context server-side (beta) where the model supports it.
        max_tokens: the reply length limit (capped by the model's maximum).
    """

    thinking: str = "on"
    effort: str = DEFAULT_EFFORT
    budget_tokens: int = 8_000
    cache_ttl: str = "5m"
    compaction: bool = True
    max_tokens: int = 16_000

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None, base: ChatOptions | None = None) -> ChatOptions:
        """Options from a dict, keeping ``base`` (or the defaults) for missing or bad values."""
        result = base or cls()
        for f in fields(cls):
            value = (data or {}).get(f.name)
            if value is None or not _valid(f.name, value):
                continue
            result = replace(result, **{f.name: value})
        return result


def _valid(name: str, value: Any) -> bool:
    if name == "thinking":
        return value in ("on", "off")
    if name == "effort":
        return value in EFFORT_LEVELS
    if name == "cache_ttl":
        return value in CACHE_TTLS
    if name == "compaction":
        return isinstance(value, bool)
    if name in ("budget_tokens", "max_tokens"):
        return isinstance(value, int) and not isinstance(value, bool) and value >= 1
    return False


@dataclass(frozen=True)
class ModelChoices:
    """What a model lets the user choose (the UI shows only these)."""

    thinking_modes: tuple[str, ...]  # a subset of ("on", "off"); one entry: no choice
    thinking_kind: str | None  # "adaptive", "enabled" (budget) or None (no thinking)
    effort_levels: tuple[str, ...]
    max_tokens: int
    compaction: bool


def model_choices(model: ModelInfo) -> ModelChoices:
    types = ("thinking", "types")
    adaptive = model.supports(*types, "adaptive")
    enabled = model.supports(*types, "enabled")
    can_think = model.supports("thinking") and (adaptive or enabled)
    # "disabled" is reported true on models without thinking; an always-thinking model says false.
    can_stop = model.supports(*types, "disabled") or not can_think
    modes = tuple(m for m, ok in (("on", can_think), ("off", can_stop)) if ok) or ("off",)
    kind = "adaptive" if adaptive else "enabled" if enabled else None
    return ModelChoices(
        thinking_modes=modes,
        thinking_kind=kind if can_think else None,
        effort_levels=tuple(model.effort_levels),  # with any thinking, or none
        max_tokens=model.max_tokens or 64_000,
        compaction=model.supports("context_management", "compact_20260112"),
    )


def fit_to_model(options: ChatOptions, model: ModelInfo) -> ChatOptions:
    """The nearest options the model accepts: every value here can be sent as it is."""
    choices = model_choices(model)
    thinking = options.thinking if options.thinking in choices.thinking_modes else choices.thinking_modes[0]
    max_tokens = max(1, min(options.max_tokens, choices.max_tokens))
    budget = options.budget_tokens
    if thinking == "on" and choices.thinking_kind == "enabled":
        if max_tokens <= MIN_BUDGET_TOKENS:  # a budget needs room below max_tokens
            max_tokens = min(choices.max_tokens, MIN_BUDGET_TOKENS * 2)
        if max_tokens <= MIN_BUDGET_TOKENS:
            thinking = "off" if "off" in choices.thinking_modes else thinking
        budget = max(MIN_BUDGET_TOKENS, min(budget, max_tokens - 1))
    return replace(
        options,
        thinking=thinking,
        effort=nearest_effort(options.effort, choices.effort_levels),
        budget_tokens=budget,
        max_tokens=max_tokens,
        compaction=options.compaction and choices.compaction,
    )


def nearest_effort(wanted: str, levels: tuple[str, ...]) -> str:
    """``wanted`` if offered, else the closest offered level (ties go to the lower one)."""
    if not levels or wanted in levels:
        return wanted
    rank = {level: i for i, level in enumerate(EFFORT_LEVELS)}
    target = rank.get(wanted, rank[DEFAULT_EFFORT])
    return min(levels, key=lambda level: (abs(rank[level] - target), rank[level]))


@dataclass(frozen=True)
class OptionsSummary:
    """What a conversation's options amount to for its model, as data the UI puts in words
    (the header chip and its tooltip, in the user's language).

    Attributes:
        thinking: "adaptive" (the model decides how much), "budget" (at most
            ``budget_tokens``) or "off".
        effort: the effort level sent, or None for a model without effort control.
        budget_tokens: the thinking budget (meaningful when ``thinking`` is "budget").
        cache_ttl: "off", "5m" or "1h".
        compaction: True/False where the model can compact, None where it cannot.
        max_tokens: the reply length limit sent.
    """

    thinking: str
    effort: str | None
    budget_tokens: int
    cache_ttl: str
    compaction: bool | None
    max_tokens: int


def summarize(options: ChatOptions, model: ModelInfo) -> OptionsSummary:
    """What is really sent to ``model`` for ``options`` (fitted first), for the header."""
    choices = model_choices(model)
    fitted = fit_to_model(options, model)
    thinking = "off"
    if fitted.thinking == "on" and choices.thinking_kind == "adaptive":
        thinking = "adaptive"
    elif fitted.thinking == "on" and choices.thinking_kind == "enabled":
        thinking = "budget"
    return OptionsSummary(
        thinking=thinking,
        effort=fitted.effort if choices.effort_levels else None,
        budget_tokens=fitted.budget_tokens,
        cache_ttl=fitted.cache_ttl,
        compaction=fitted.compaction if choices.compaction else None,
        max_tokens=fitted.max_tokens,
    )
