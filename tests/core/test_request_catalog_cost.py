"""Building requests, the model catalog, what replies cost, and settings from JSON."""

from __future__ import annotations

import re
from typing import Any

import pytest

from desktop_app.core.catalog import Catalog, ModelInfo
from desktop_app.core.conversation import Conversation, Message, ReplyState
from desktop_app.core.cost import (
    Price,
    PriceTable,
    TokenCounts,
    cost_of,
    format_dollars,
    format_tokens,
)
from desktop_app.core.options import ChatOptions
from desktop_app.core.request import RequestError, build_request
from desktop_app.core.settings import DEFAULT_MAX_TOKENS, Settings

# -- build_request ------------------------------------------------------------------------------


def model(max_tokens: int | None = 64_000, model_id: str = "claude-sonnet-4-6") -> ModelInfo:
    return ModelInfo(model_id, "Claude", max_tokens=max_tokens)


def chat(system_prompt: str = "") -> Conversation:
    conv = Conversation(system_prompt=system_prompt)
    conv.add_user_message("Hello")
    return conv


def build(conv: Conversation, m: ModelInfo | None = None, **options: Any) -> dict[str, Any]:
    plan = build_request(conv, ChatOptions(**{"cache_ttl": "off", **options}), m or model())
    return plan.kwargs


def test_build_request_shape() -> None:
    """A model whose capabilities are unknown gets only the parameters every model takes."""
    assert build(chat(), max_tokens=2000) == {
        "model": "claude-sonnet-4-6",
        "max_tokens": 2000,
        "messages": [{"role": "user", "content": [{"type": "text", "text": "Hello"}]}],
    }


def test_build_request_omits_an_empty_system_prompt(subtests: Any) -> None:
    for prompt in ["", "   ", "\n\t "]:
        with subtests.test(prompt=prompt):
            assert "system" not in build(chat(prompt))


def test_build_request_sends_a_system_prompt() -> None:
    assert build(chat("  You are terse.\n"))["system"] == "You are terse."


def test_max_tokens_is_capped_by_the_model(subtests: Any) -> None:
    for setting, model_max, expected in [
        (16_000, 8_000, 8_000),
        (1_000, 64_000, 1_000),
        (64_000, 64_000, 64_000),
        (16_000, None, 16_000),  # the model's limit is unknown
        (16_000, 0, 16_000),
    ]:
        with subtests.test(setting=setting, model_max=model_max):
            assert build(chat(), model(model_max), max_tokens=setting)["max_tokens"] == expected


def test_build_request_without_a_user_message_raises() -> None:
    with pytest.raises(RequestError):
        build(Conversation())
    only_reply = Conversation(messages=[
        Message(role="assistant", content=[{"type": "text", "text": "hi"}]),
    ])
    with pytest.raises(RequestError, match="no message"):
        build(only_reply)
    assert issubclass(RequestError, ValueError)


def test_build_request_does_not_change_the_conversation() -> None:
    conv = chat()
    reply = conv.start_reply("m")
    reply.content = [{"type": "text", "text": "answer \n"}]
    reply.state = ReplyState.STOPPED
    conv.add_user_message("go on")
    build(conv)["messages"][0]["content"].clear()
    assert conv.messages[0].content == [{"type": "text", "text": "Hello"}]
    assert reply.content == [{"type": "text", "text": "answer \n"}]


# -- the catalog --------------------------------------------------------------------------------


def sup(flag: bool) -> dict[str, bool]:
    return {"supported": flag}


def capabilities(effort: tuple[str, ...] = (), adaptive: bool = False) -> dict[str, Any]:
    """The shape of the Models API's ``capabilities`` object."""
    return {
        "batch": sup(True),
        "image_input": sup(True),
        "context_management": {"supported": True, "compact_20260112": sup(adaptive)},
        "effort": {
            "supported": bool(effort),
            **{level: sup(level in effort) for level in ("low", "medium", "high", "max", "xhigh")},
        },
        "thinking": {
            "supported": True,
            "types": {"adaptive": sup(adaptive), "enabled": sup(not adaptive),
                      "disabled": sup(True)},
        },
    }


def api_model(model_id: str, created: str, line: str | None, lifecycle: str = "active",
              **extra: Any) -> dict[str, Any]:
    data = {
        "id": model_id, "type": "model", "display_name": model_id.title(), "created_at": created,
        "lifecycle": lifecycle, "line": line, "max_input_tokens": 200_000, "max_tokens": 64_000,
        "capabilities": capabilities(),
    }
    data.update(extra)
    return data


API_MODELS = [
    api_model("claude-haiku-4-5", "2025-10-15T00:00:00Z", "haiku"),
    api_model("claude-opus-4-1", "2025-08-05T00:00:00Z", "opus", "deprecated"),
    api_model("claude-sonnet-4-6", "2026-02-17T00:00:00Z", "sonnet"),
    api_model("claude-opus-4-6", "2026-02-05T00:00:00Z", "opus"),
    api_model("claude-opus-4-7", "2026-04-16T00:00:00Z", "opus"),
    api_model("claude-sonnet-4-5", "2025-09-29T00:00:00Z", "sonnet"),
    api_model("claude-opus-3", "2024-02-29T00:00:00Z", "opus", "retired"),
    api_model("claude-mystery", "2026-06-01T00:00:00Z", None),
]


def catalog(models: list[dict[str, Any]] = API_MODELS) -> Catalog:
    return Catalog([ModelInfo.from_api(m) for m in models], from_api=True)


def test_catalog_order_active_first_then_line_then_newest() -> None:
    assert [m.id for m in catalog().models] == [
        "claude-opus-4-7",
        "claude-opus-4-6",
        "claude-sonnet-4-6",
        "claude-sonnet-4-5",
        "claude-haiku-4-5",
        "claude-mystery",
        "claude-opus-4-1",  # deprecated: still listed, after every active model
    ]


def test_catalog_leaves_out_retired_models() -> None:
    cat = catalog()
    assert cat.get("claude-opus-3") is None
    assert "claude-opus-3" not in [m.id for m in cat.models]
    assert cat.resolve("claude-opus-3").id == "claude-opus-4-7"


def test_default_model_is_the_newest_active_opus() -> None:
    # A newer deprecated Opus must not win over an active one.
    models = API_MODELS + [api_model("claude-opus-9", "2030-01-01T00:00:00Z", "opus", "deprecated")]
    assert catalog(models).default_model().id == "claude-opus-4-7"


def test_default_model_recognises_opus_by_id_when_line_is_missing() -> None:
    models = [
        api_model("claude-sonnet-9", "2030-01-01T00:00:00Z", None),
        api_model("claude-opus-8", "2029-01-01T00:00:00Z", None),
    ]
    assert catalog(models).default_model().id == "claude-opus-8"


def test_default_model_without_opus_is_the_newest_active_model() -> None:
    models = [
        api_model("claude-haiku-9", "2029-01-01T00:00:00Z", "haiku"),
        api_model("claude-sonnet-8", "2028-01-01T00:00:00Z", "sonnet"),
        api_model("claude-sonnet-10", "2030-01-01T00:00:00Z", "sonnet", "deprecated"),
        api_model("claude-opus-7", "2027-01-01T00:00:00Z", "opus", "deprecated"),
    ]
    assert catalog(models).default_model().id == "claude-haiku-9"


def test_default_model_with_nothing_active_is_still_something() -> None:
    models = [
        api_model("claude-a", "2027-01-01T00:00:00Z", "sonnet", "deprecated"),
        api_model("claude-b", "2028-01-01T00:00:00Z", "haiku", "deprecated"),
    ]
    assert catalog(models).default_model().id == "claude-b"
    assert catalog([]).default_model() is None
    assert catalog([]).resolve("anything") is None


def test_resolve_keeps_a_listed_model_and_falls_back_otherwise() -> None:
    cat = catalog()
    assert cat.resolve("claude-haiku-4-5").id == "claude-haiku-4-5"
    assert cat.resolve("claude-opus-4-1").id == "claude-opus-4-1"  # deprecated is still usable
    assert cat.resolve("claude-unknown").id == "claude-opus-4-7"
    assert cat.resolve(None).id == "claude-opus-4-7"
    assert cat.get(None) is None


def test_fallback_catalog() -> None:
    cat = Catalog.fallback()
    assert not cat.from_api
    assert cat.models
    assert all(m.builtin and m.capabilities == {} for m in cat.models)
    assert cat.default_model().line == "opus"
    assert [m.line for m in cat.models] == sorted(
        (m.line for m in cat.models), key=["opus", "sonnet", "haiku"].index
    )
    # Nothing is assumed about a built-in model's capabilities.
    assert not any(m.supports("thinking") or m.effort_levels for m in cat.models)


def test_model_info_from_api_and_back() -> None:
    data = api_model("claude-opus-4-7", "2026-04-16T00:00:00Z", "opus",
                     capabilities=capabilities(("low", "high"), adaptive=True))
    info = ModelInfo.from_api(data)
    assert info.display_name == "Claude-Opus-4-7"
    assert info.max_tokens == 64_000
    assert info.is_active and not info.builtin
    again = ModelInfo.from_api(info.to_json())
    assert again == info


def test_model_info_from_api_minimal() -> None:
    info = ModelInfo.from_api({"id": "claude-x", "display_name": None, "capabilities": None})
    assert info.display_name == "claude-x"
    assert info.lifecycle == "active"
    assert info.capabilities == {}
    assert not info.supports("thinking")


def test_supports_reads_the_capabilities_tree() -> None:
    info = ModelInfo.from_api(api_model(
        "m", "", "opus", capabilities=capabilities(("low", "medium", "high", "xhigh", "max"),
                                                   adaptive=True),
    ))
    assert info.supports("thinking")
    assert info.supports("thinking", "types", "adaptive")
    assert not info.supports("thinking", "types", "enabled")
    assert info.supports("context_management", "compact_20260112")
    assert info.supports("image_input")
    assert not info.supports("thinking", "types", "unheard_of")
    assert not info.supports("no_such_capability")
    assert not info.supports("batch", "supported", "deeper")


def test_effort_levels_lowest_first() -> None:
    every = ModelInfo.from_api(api_model(
        "m", "", "opus", capabilities=capabilities(("max", "low", "xhigh", "high", "medium")),
    ))
    assert every.effort_levels == ["low", "medium", "high", "xhigh", "max"]
    some = ModelInfo.from_api(api_model(
        "m", "", "sonnet", capabilities=capabilities(("low", "medium", "high", "max")),
    ))
    assert some.effort_levels == ["low", "medium", "high", "max"]
    none = ModelInfo.from_api(api_model("m", "", "haiku", capabilities=capabilities(())))
    assert none.effort_levels == []


def test_effort_levels_empty_when_effort_is_unsupported_even_if_levels_are_listed() -> None:
    caps = capabilities(("low", "high"))
    caps["effort"]["supported"] = False
    assert ModelInfo("m", "M", capabilities=caps).effort_levels == []


# -- cost ---------------------------------------------------------------------------------------

SONNET = Price(input=3.0, output=15.0, cache_write_5m=3.75, cache_write_1h=6.0, cache_read=0.3)


def test_token_counts_from_usage_with_ttl_split() -> None:
    usage = {
        "input_tokens": 1_000,
        "output_tokens": 500,
        "cache_creation_input_tokens": 3_000,
        "cache_creation": {"ephemeral_5m_input_tokens": 1_000, "ephemeral_1h_input_tokens": 2_000},
        "cache_read_input_tokens": 4_000,
        "server_tool_use": None,
    }
    counts = TokenCounts.from_usage(usage)
    assert counts == TokenCounts(input=1_000, output=500, cache_write_5m=1_000,
                                 cache_write_1h=2_000, cache_read=4_000)
    assert counts.total_input == 8_000
    assert counts.cache_hit_rate == pytest.approx(0.5)


def test_token_counts_cache_writes_without_a_split_count_as_5m() -> None:
    usage = {"input_tokens": 10, "output_tokens": 2, "cache_creation_input_tokens": 1_500}
    assert TokenCounts.from_usage(usage) == TokenCounts(10, 2, 1_500, 0, 0)
    usage["cache_creation"] = {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0}
    assert TokenCounts.from_usage(usage).cache_write_5m == 1_500
    usage["cache_creation"] = None
    assert TokenCounts.from_usage(usage).cache_write_5m == 1_500


def test_token_counts_from_partial_usage() -> None:
    """Mid-stream usage has None for what is not known yet."""
    assert TokenCounts.from_usage(None) == TokenCounts()
    assert TokenCounts.from_usage({}) == TokenCounts()
    usage = {"input_tokens": 7, "output_tokens": None, "cache_read_input_tokens": None,
             "cache_creation_input_tokens": None}
    assert TokenCounts.from_usage(usage) == TokenCounts(input=7)
    assert TokenCounts().cache_hit_rate is None


def test_token_counts_add_up() -> None:
    total = TokenCounts(1, 2, 3, 4, 5) + TokenCounts(10, 20, 30, 40, 50)
    assert total == TokenCounts(11, 22, 33, 44, 55)


def test_cost_of_by_hand() -> None:
    counts = TokenCounts(input=1_000, output=500, cache_write_5m=1_000, cache_write_1h=2_000,
                         cache_read=4_000)
    # 1000*3 + 500*15 + 1000*3.75 + 2000*6 + 4000*0.3 = 3000 + 7500 + 3750 + 12000 + 1200
    assert cost_of(counts, SONNET) == pytest.approx(27_450 / 1_000_000)
    assert cost_of(TokenCounts(output=1_000_000), SONNET) == pytest.approx(15.0)
    assert cost_of(TokenCounts(), SONNET) == 0


def test_cost_of_an_unknown_price_is_none_not_zero() -> None:
    assert cost_of(TokenCounts(input=1_000), None) is None
    assert format_dollars(cost_of(TokenCounts(input=1_000), None)) == "price unknown"


def test_price_from_json_fills_cache_prices_from_the_input_price() -> None:
    price = Price.from_json({"input": 2, "output": 10})
    assert price == Price(input=2.0, output=10.0, cache_write_5m=2.5, cache_write_1h=4.0,
                          cache_read=0.2)
    explicit = Price.from_json({"input": 2, "output": 10, "cache_read": 0.1})
    assert explicit.cache_read == 0.1


def test_price_table_lookup_and_dated_ids() -> None:
    table = PriceTable.from_json({"models": {
        "claude-sonnet-4-5": {"input": 3, "output": 15},
        "claude-sonnet-4-5-20250929": {"input": 99, "output": 99},
        "claude-haiku-4-5": {"input": 1, "output": 5},
    }})
    assert table.price("claude-haiku-4-5").input == 1.0
    assert table.price("claude-haiku-4-5-20251001").input == 1.0
    assert table.price("claude-sonnet-4-5-20250929").input == 99.0  # exact id wins
    assert table.price("claude-haiku-4-5-2025") is None  # not an 8-digit date
    assert table.price("claude-haiku-4-5-latest") is None
    assert table.price("claude-haiku-4-20251001") is None
    assert table.price("claude-unknown") is None
    assert table.price(None) is None
    assert table.price("") is None
    assert set(table.known()) == {"claude-sonnet-4-5", "claude-sonnet-4-5-20250929",
                                  "claude-haiku-4-5"}


def test_format_dollars(subtests: Any) -> None:
    for amount, expected in [
        (0, "$0.00"),
        (0.0012, "$0.0012"),
        (0.01, "$0.010"),
        (0.5, "$0.500"),
        (1.2345, "$1.234"),
        (10, "$10.00"),
        (1234.5, "$1,234.50"),
        (None, "price unknown"),
    ]:
        with subtests.test(amount=amount):
            assert format_dollars(amount) == expected


def test_format_dollars_never_shows_a_nonzero_cost_as_zero() -> None:
    """A short Haiku 5.5 exchange (10 tokens in, 20 out at $0.1/$0.5 per M) costs $0.000011."""
    haiku = Price(input=0.1, output=0.5, cache_write_5m=0.125, cache_write_1h=0.2,
                  cache_read=0.01)
    amount = cost_of(TokenCounts(input=10, output=20), haiku)
    assert amount == pytest.approx(0.000011)
    assert not re.fullmatch(r"\$0\.0*", format_dollars(amount))


def test_format_tokens(subtests: Any) -> None:
    for count, expected in [
        (0, "0"),
        (950, "950"),
        (999, "999"),
        (1_000, "1k"),
        (3_200, "3.2k"),
        (12_345, "12.3k"),
        (200_000, "200k"),
        (1_000_000, "1M"),
        (1_200_000, "1.2M"),
    ]:
        with subtests.test(count=count):
            assert format_tokens(count) == expected


def test_format_tokens_at_the_million_boundary() -> None:
    assert format_tokens(999_999) == "1M"


# -- settings -----------------------------------------------------------------------------------


def test_settings_from_json_reads_known_fields() -> None:
    data = {
        "default_model": "claude-opus-4-7", "max_tokens": 4_000, "system_prompt": "Be kind.",
        "base_url": "https://proxy.example", "max_retries": 3, "timeout_seconds": 30,
        "theme": "dark", "unknown_future_key": [1, 2],
    }
    settings = Settings.from_json(data)
    assert settings == Settings(
        default_model="claude-opus-4-7", max_tokens=4_000, system_prompt="Be kind.",
        base_url="https://proxy.example", max_retries=3, timeout_seconds=30.0, theme="dark",
    )
    assert isinstance(settings.timeout_seconds, float)
    assert Settings.from_json(settings.to_json()) == settings


def test_settings_from_json_ignores_wrong_types(subtests: Any) -> None:
    for field, value in [
        ("max_tokens", "4000"),
        ("max_tokens", 4000.5),
        ("max_tokens", None),
        ("max_retries", "3"),
        ("timeout_seconds", "30"),
        ("system_prompt", 42),
        ("base_url", ["https://x"]),
        ("theme", 1),
    ]:
        with subtests.test(field=field, value=value):
            assert getattr(Settings.from_json({field: value}), field) == getattr(Settings(), field)


def test_settings_from_json_ignores_booleans_for_numbers() -> None:
    settings = Settings.from_json({"max_tokens": True, "max_retries": True,
                                   "timeout_seconds": False})
    assert settings.max_tokens == Settings().max_tokens  # actually 1
    assert settings.max_retries == Settings().max_retries  # actually 1
    assert settings.timeout_seconds == Settings().timeout_seconds  # actually 5.0


def test_settings_from_json_ignores_a_default_model_that_is_not_text() -> None:
    settings = Settings.from_json({"default_model": ["claude-opus-4-7"]})
    assert Catalog.fallback().resolve(settings.default_model) is not None
    assert settings.default_model is None


def test_settings_from_json_clamps(subtests: Any) -> None:
    for field, value, expected in [
        ("max_tokens", 0, 1),
        ("max_tokens", -50, 1),
        ("max_retries", -1, 0),
        ("max_retries", 99, 10),
        ("timeout_seconds", 0.5, 5.0),
        ("timeout_seconds", 1_000_000, 3600.0),
        ("theme", "neon", "system"),
        ("theme", "light", "light"),
    ]:
        with subtests.test(field=field, value=value):
            assert getattr(Settings.from_json({field: value}), field) == expected


def test_settings_defaults() -> None:
    settings = Settings.from_json({})
    assert settings == Settings()
    assert settings.max_tokens == DEFAULT_MAX_TOKENS
    assert settings.default_model is None


def test_before_the_model_list_arrives_the_documented_limits_apply() -> None:
    """Issue 13: the built-in models capped replies at 32,000 tokens and claimed a 200k context,
    below the documented 128K output and 1M context of Opus, Sonnet and Haiku 5.5. A long reply
    asked for before the Models API answered was cut to 32,000 tokens."""
    for fallback in Catalog.fallback().models:
        assert (fallback.max_input_tokens, fallback.max_tokens) == (1_000_000, 128_000)
        sent = build(chat(), fallback, max_tokens=100_000)
        assert sent["max_tokens"] == 100_000, fallback.id
        assert build(chat(), fallback, max_tokens=500_000)["max_tokens"] == 128_000
