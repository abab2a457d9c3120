"""Generated titles: a request that keeps thinking out of its small budget on every kind of
model, and an answer cleaned to plain text."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.core.catalog import FALLBACK_MODELS, ModelInfo
from desktop_app.core.conversation import Conversation, Message, ReplyState
from desktop_app.core.cost import Price, PriceTable
from desktop_app.core.titles import (
    TITLE_MAX_TOKENS,
    TITLE_THINKING_ROOM,
    can_title_without_thinking,
    cheapest_title_model,
    clean_title,
    title_request,
    wants_title,
)


def model(*, adaptive: bool = False, enabled: bool = False, disabled: bool = True,
          between_tools: bool = False, effort: tuple[str, ...] = ()) -> ModelInfo:
    """A ModelInfo with capabilities in the Models API's shape."""
    thinks = adaptive or enabled or between_tools
    return ModelInfo("claude-test", "Test", capabilities={
        "thinking": {"supported": thinks, "types": {
            "adaptive": {"supported": adaptive},
            "enabled": {"supported": enabled},
            "disabled": {"supported": disabled},
            "between_tools": {"supported": between_tools},
        }},
        "effort": {"supported": bool(effort),
                   **{level: {"supported": level in effort}
                      for level in ("low", "medium", "high", "xhigh", "max")}},
    })


def request(m: ModelInfo) -> dict[str, Any]:
    return title_request(m, "where should I stay in kyoto?", "Try a ryokan near Gion.")


def check_budget(kwargs: dict[str, Any]) -> None:
    """What the API requires of a thinking request, and room left for the title after it."""
    thinking = kwargs.get("thinking") or {}
    if thinking.get("type") == "enabled":
        assert 1024 <= thinking["budget_tokens"] < kwargs["max_tokens"]
        assert kwargs["max_tokens"] - thinking["budget_tokens"] >= TITLE_MAX_TOKENS


def test_a_model_that_can_turn_thinking_off_is_asked_without_thinking() -> None:
    """Adaptive thinking on by default (Haiku 5.5, Opus 5): thinking off, the lowest effort
    (thinking off is refused above "high" on some models), 40 tokens."""
    kwargs = request(model(adaptive=True, disabled=True, effort=("low", "medium", "high", "max")))
    assert kwargs["thinking"] == {"type": "disabled"}
    assert kwargs["output_config"] == {"effort": "low"}
    assert kwargs["max_tokens"] == TITLE_MAX_TOKENS
    assert kwargs["model"] == "claude-test"


def test_between_tools_turns_thinking_off_where_disabled_is_refused() -> None:
    """Sonnet 5.5 accepts adaptive and between_tools, and returns a 400 for disabled."""
    kwargs = request(model(adaptive=True, disabled=False, between_tools=True, effort=("low",)))
    assert kwargs["thinking"] == {"type": "between_tools"}
    assert kwargs["max_tokens"] == TITLE_MAX_TOKENS


def test_a_model_that_always_thinks_gets_room_to_think_before_the_title() -> None:
    """Opus 5.5, Fable 5.1: adaptive thinking cannot be turned off."""
    kwargs = request(model(adaptive=True, disabled=False, effort=("medium", "high", "max")))
    assert kwargs["thinking"] == {"type": "adaptive"}
    assert kwargs["output_config"] == {"effort": "medium"}  # its lowest
    assert kwargs["max_tokens"] == TITLE_THINKING_ROOM + TITLE_MAX_TOKENS
    # A budget-only model that cannot stop thinking: the smallest valid budget.
    kwargs = request(model(enabled=True, disabled=False))
    assert kwargs["thinking"] == {"type": "enabled", "budget_tokens": 1024}
    assert "output_config" not in kwargs
    check_budget(kwargs)


def test_budget_models_that_can_stop_are_sent_thinking_off() -> None:
    kwargs = request(model(enabled=True, disabled=True))
    assert kwargs["thinking"] == {"type": "disabled"} and kwargs["max_tokens"] == TITLE_MAX_TOKENS


def test_a_model_without_thinking_is_sent_nothing_about_it() -> None:
    kwargs = request(model(disabled=True))
    assert "thinking" not in kwargs and "output_config" not in kwargs
    assert kwargs["max_tokens"] == TITLE_MAX_TOKENS


def test_a_built_in_model_of_unknown_capabilities_gets_room() -> None:
    """The fallback list says nothing of thinking; its real model may think by default."""
    kwargs = request(FALLBACK_MODELS[-1])
    assert "thinking" not in kwargs and "output_config" not in kwargs
    assert kwargs["max_tokens"] == TITLE_THINKING_ROOM + TITLE_MAX_TOKENS


def test_which_models_can_title_without_thinking() -> None:
    assert can_title_without_thinking(model(adaptive=True, disabled=True))
    assert can_title_without_thinking(model(adaptive=True, disabled=False, between_tools=True))
    assert can_title_without_thinking(model(disabled=True))  # no thinking at all
    assert not can_title_without_thinking(model(adaptive=True, disabled=False))
    assert not can_title_without_thinking(FALLBACK_MODELS[0])


@pytest.mark.parametrize(("answer", "title"), [
    ("Kyoto Stay Ideas", "Kyoto Stay Ideas"),
    ("**Kyoto Stay Ideas**", "Kyoto Stay Ideas"),
    ("# Kyoto Stay Ideas", "Kyoto Stay Ideas"),
    ("## **Kyoto** stay ideas.", "Kyoto stay ideas"),
    ("The **Rust** borrow checker", "The Rust borrow checker"),
    ("`pytest` fixtures explained.", "pytest fixtures explained"),
    ('"Kyoto Trip."', "Kyoto Trip"),
    ("“Kyoto Trip”.", "Kyoto Trip"),
    ("Title: **Rust Lifetimes**", "Rust Lifetimes"),
    ("**Title:** Rust Lifetimes", "Rust Lifetimes"),
    ("**Title:**\nRust Lifetimes", "Rust Lifetimes"),
    ("---\n*Sourdough starter tips*", "Sourdough starter tips"),
    ("_Italic_ and __bold__ words", "Italic and bold words"),
    ("snake_case_names in Python", "snake_case_names in Python"),
    ("Learning C#", "Learning C#"),
    ("Intro to Node.js", "Intro to Node.js"),
    ("[Kyoto guide](https://example.com) tips", "Kyoto guide tips"),
    ("- Kyoto stay ideas", "Kyoto stay ideas"),
    ("> Kyoto stay ideas", "Kyoto stay ideas"),
    ("~~Old~~ New plan", "Old New plan"),
    ("「京都の宿」。", "京都の宿"),
    ("\n\n  Kyoto   stay\tideas  \nsecond line", "Kyoto stay ideas"),
    ("", ""),
    ("**  **", ""),
])
def test_titles_are_plain_text(answer: str, title: str) -> None:
    assert clean_title(answer) == title


def test_a_long_title_is_cut_at_a_word() -> None:
    title = clean_title("word " * 40)
    assert len(title) <= 81 and title.endswith("…") and "  " not in title


# -- when to ask for a title, and which model -----------------------------------------------------


def answered(*answers: str) -> Conversation:
    """A conversation whose first question got these replies, one turn each."""
    conversation = Conversation()
    for number, answer in enumerate(answers):
        conversation.add_user_message(f"Question {number}: where should I stay in Kyoto?")
        conversation.messages.append(Message(
            role="assistant", content=[{"type": "text", "text": answer}] if answer else [],
            model="m", state=ReplyState.COMPLETE))
    return conversation


def test_a_title_is_wanted_after_the_first_reply_only() -> None:
    assert wants_title(answered("Try a ryokan."), enabled=True, read_only=False)
    assert not wants_title(answered("Try a ryokan.", "Or Gion."), enabled=True, read_only=False)
    assert not wants_title(answered(), enabled=True, read_only=False)
    assert not wants_title(answered(""), enabled=True, read_only=False)  # nothing said yet


def test_no_title_when_turned_off_read_only_renamed_or_asked_already() -> None:
    conversation = answered("Try a ryokan.")
    assert not wants_title(conversation, enabled=False, read_only=False)
    assert not wants_title(conversation, enabled=True, read_only=True)
    renamed = answered("Try a ryokan.")
    renamed.title = "My Kyoto trip"
    assert not wants_title(renamed, enabled=True, read_only=False)
    asked = answered("Try a ryokan.")
    asked.auxiliary_usage.append({"purpose": "title", "model": "m", "usage": {}})
    assert not wants_title(asked, enabled=True, read_only=False)


def price(output: float) -> Price:
    return Price(input=1.0, output=output, cache_write_5m=1.25, cache_write_1h=2.0,
                 cache_read=0.1)


def named(model_id: str, info: ModelInfo) -> ModelInfo:
    return ModelInfo(model_id, model_id, capabilities=info.capabilities)


def test_the_title_model_is_the_cheapest_priced_one_that_can_skip_thinking() -> None:
    thinking_only = model(adaptive=True, disabled=False, effort=("low",))
    plain = model(disabled=True)
    models = [named("big", plain), named("thinker", thinking_only), named("small", plain),
              named("unpriced", plain)]
    prices = PriceTable({"big": price(25.0), "thinker": price(1.0), "small": price(5.0)})
    chosen = cheapest_title_model(models, prices)
    assert chosen is not None and chosen.id == "small"  # "thinker" is cheaper but must think
    only_thinkers = cheapest_title_model([named("thinker", thinking_only)], prices)
    assert only_thinkers is not None and only_thinkers.id == "thinker"
    assert cheapest_title_model(models, PriceTable({})) is None
    tie = cheapest_title_model([named("a", plain), named("b", plain)],
                               PriceTable({"a": price(5.0), "b": price(5.0)}))
    assert tie is not None and tie.id == "a"  # the first listed wins a tie
