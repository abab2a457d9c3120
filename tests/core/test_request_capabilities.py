"""build_request / fit_to_model / model_choices / describe against every model the fake API
knows, with every request checked by the fake server's own validator (the same one that
guards ``POST /v1/messages``), and a sample sent through the real SDK over HTTP.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Iterator
from typing import Any

import anthropic
import pytest

from desktop_app.core.catalog import EFFORT_LEVELS, ModelInfo
from desktop_app.core.conversation import CONTINUE_PROMPT, Conversation, Message, ReplyState
from desktop_app.core.options import (
    CACHE_TTLS,
    MIN_BUDGET_TOKENS,
    ChatOptions,
    fit_to_model,
    model_choices,
    summarize,
)
from desktop_app.core.request import (
    COMPACTION_BETA,
    COMPACTION_EDIT,
    LONG_SYSTEM_PROMPT_CHARS,
    RequestError,
    RequestPlan,
    build_request,
)
from tests.fake_api import (
    COMPACT_BETA,
    DEFAULT_API_KEY,
    MAX_CACHE_BREAKPOINTS,
    FakeAnthropicServer,
    RecordedRequest,
    _ApiFailure,
    _capabilities,
    default_models,
)

OPUS_47 = "claude-opus-4-7"
SONNET = "claude-sonnet-4-6"
HAIKU = "claude-haiku-4-5"
OPUS_41 = "claude-opus-4-1"
# Effort control (low, medium, high) with budget thinking only, as Claude Opus 4.5 has (its own
# id would make the SDK warn that the model is deprecated).
EFFORT_BUDGET = "claude-effort-budget"


def model_dicts() -> list[dict[str, Any]]:
    """The fake API's models and EFFORT_BUDGET, which it does not serve by default."""
    return default_models() + [{
        "id": EFFORT_BUDGET, "type": "model", "display_name": "Claude with effort and budget",
        "created_at": "2025-11-24T00:00:00Z", "lifecycle": "active", "deprecated_at": None,
        "retires_at": None, "line": "opus", "max_input_tokens": 200_000, "max_tokens": 64_000,
        "capabilities": _capabilities(adaptive=False, enabled=True, between_tools=False,
                                      effort=("low", "medium", "high"), compact=False),
    }]


MODELS = {m["id"]: ModelInfo.from_api(m) for m in model_dicts()}
LONG_SYSTEM = ("You are a careful assistant. Follow the house style guide. " * 100)[
    :LONG_SYSTEM_PROMPT_CHARS + 500]
MAX_TOKENS_VALUES = (1, 1000, MIN_BUDGET_TOKENS, MIN_BUDGET_TOKENS + 1, 4096, 16_000, 500_000)
BUDGET_VALUES = (1, MIN_BUDGET_TOKENS, 8_000, 100_000)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeAnthropicServer]:
    with FakeAnthropicServer(models=model_dicts()) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server: FakeAnthropicServer) -> Iterator[anthropic.Anthropic]:
    with anthropic.Anthropic(api_key=DEFAULT_API_KEY, base_url=server.base_url, max_retries=0) as c:
        yield c


# -- helpers --------------------------------------------------------------------------------------


def rejection(server: FakeAnthropicServer, plan: RequestPlan) -> str | None:
    """What the fake server's validator says about the request the SDK would send for
    ``plan`` (None: accepted). ``betas`` travels as the ``anthropic-beta`` header."""
    body = json.loads(json.dumps({k: v for k, v in plan.kwargs.items() if k != "betas"}))
    body["stream"] = True
    headers = {"anthropic-version": "2023-06-01"}
    if plan.kwargs.get("betas"):
        headers["anthropic-beta"] = ",".join(plan.kwargs["betas"])
    record = RecordedRequest("POST", "/v1/messages", {}, headers, body)
    try:
        server._validate(record, count_tokens=False)
    except _ApiFailure as failure:
        return f"{failure.status} {failure.message}"
    return None


def send(client: anthropic.Anthropic, plan: RequestPlan) -> Any:
    """Send the plan with the real SDK, as the app does (beta endpoint when plan.beta)."""
    if plan.beta:
        return client.beta.messages.create(**plan.kwargs)
    return client.messages.create(**plan.kwargs)


def user(text: str) -> Message:
    return Message(role="user", content=[{"type": "text", "text": text}])


def assistant(*blocks: dict[str, Any], model: str = OPUS_47,
              stop_reason: str = "end_turn") -> Message:
    return Message(role="assistant", content=list(blocks), model=model, stop_reason=stop_reason,
                   state=ReplyState.COMPLETE)


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value}


def thinking_block(server: FakeAnthropicServer, value: str) -> dict[str, Any]:
    return {"type": "thinking", "thinking": value,
            "signature": server.issue_thinking_signature(value)}


def conversations(server: FakeAnthropicServer) -> list[Conversation]:
    """A spread of histories: a first turn, a long system prompt over a history with signed
    and redacted thinking (written by another model), and a short system prompt with a cut-off
    reply ending in white space."""
    simple = Conversation()
    simple.add_user_message("Hello")
    thoughtful = Conversation(system_prompt=LONG_SYSTEM, messages=[
        user("What is 6 x 7?"),
        assistant(thinking_block(server, "Six sevens are forty-two."), text("42."), model=OPUS_47),
        user("And 6 x 8?"),
        assistant({"type": "redacted_thinking", "data": server.issue_redacted_thinking()},
                  text("48."), model=SONNET),
        user("Thanks. One more: 7 x 8?"),
    ])
    cut = Conversation(system_prompt="Be brief.", messages=[
        user("Write a haiku"),
        assistant(text("An old silent pond   "), stop_reason="max_tokens"),
        user("Go on"),
    ])
    return [simple, thoughtful, cut]


def breakpoints(kwargs: dict[str, Any]) -> list[str]:
    """Every cache_control in the request, as the API counts them."""
    found = []
    if kwargs.get("cache_control"):
        found.append("top-level")
    system = kwargs.get("system")
    if isinstance(system, list):
        found += ["system" for b in system if b.get("cache_control")]
    for message in kwargs["messages"]:
        found += ["message" for b in message["content"] if b.get("cache_control")]
    return found


def invariant_problems(plan: RequestPlan, options: ChatOptions, model: ModelInfo) -> list[str]:
    """What must hold for every request, whatever was asked for."""
    kw, fitted, choices = plan.kwargs, plan.options, model_choices(model)
    problems = []
    if fitted != fit_to_model(options, model):
        problems.append("plan.options is not fit_to_model(options)")
    if fit_to_model(fitted, model) != fitted:
        problems.append("fit_to_model is not idempotent")
    if kw["model"] != model.id:
        problems.append("wrong model")
    if not 1 <= kw["max_tokens"] <= (model.max_tokens or 64_000):
        problems.append(f"max_tokens {kw['max_tokens']} out of range")
    thinking = kw.get("thinking")
    if thinking is not None and thinking["type"] == "enabled":
        if choices.thinking_kind != "enabled":
            problems.append("enabled thinking on a model that has adaptive thinking")
        if not MIN_BUDGET_TOKENS <= thinking["budget_tokens"] < kw["max_tokens"]:
            problems.append(f"budget {thinking['budget_tokens']} vs max_tokens {kw['max_tokens']}")
    if "output_config" in kw and not choices.effort_levels:
        problems.append("effort sent to a model without effort control")
    if choices.effort_levels and kw.get("output_config") != {"effort": fitted.effort}:
        problems.append("effort not sent to a model with effort control")
    if plan.beta != ("betas" in kw):
        problems.append("plan.beta and betas disagree")
    if ("context_management" in kw) != fitted.compaction:
        problems.append("context_management does not follow the compaction option")
    if len(breakpoints(kw)) > MAX_CACHE_BREAKPOINTS:
        problems.append("too many cache breakpoints")
    summary = summarize(options, model)
    if summary.thinking not in ("adaptive", "budget", "off"):
        problems.append(f"summarize() says thinking is {summary.thinking!r}")
    return problems


# -- the matrix -----------------------------------------------------------------------------------


def test_every_option_combination_builds_a_request_the_api_accepts(
        server: FakeAnthropicServer) -> None:
    """Every model x thinking x effort x cache x compaction x max_tokens x budget, over a spread
    of conversations: the request passes the fake API's validation and the invariants."""
    histories = conversations(server)
    failures: list[str] = []
    combos = itertools.product(MODELS.values(), ("on", "off"), EFFORT_LEVELS, CACHE_TTLS,
                               (True, False), MAX_TOKENS_VALUES, BUDGET_VALUES)
    count = 0
    for i, (model, thinking, effort, cache, compaction, max_tokens, budget) in enumerate(combos):
        options = ChatOptions(thinking=thinking, effort=effort, budget_tokens=budget,
                              cache_ttl=cache, compaction=compaction, max_tokens=max_tokens)
        conversation = histories[i % len(histories)]
        plan = build_request(conversation, options, model)
        problems = invariant_problems(plan, options, model)
        refused = rejection(server, plan)
        if refused:
            problems.append(refused)
        if problems:
            failures.append(f"{model.id} {options}: {problems}")
        count += 1
    assert count == len(MODELS) * 2 * 5 * 3 * 2 * len(MAX_TOKENS_VALUES) * len(BUDGET_VALUES)
    assert not failures, f"{len(failures)} bad requests, e.g.:\n" + "\n".join(failures[:5])


def test_a_sample_goes_through_the_real_sdk(server: FakeAnthropicServer,
                                            client: anthropic.Anthropic) -> None:
    """The kwargs are accepted by the SDK's own signatures and by the server over HTTP."""
    histories = conversations(server)
    sent = 0
    combos = itertools.product(MODELS.values(), ("on", "off"), CACHE_TTLS, (True, False))
    for i, (model, thinking, cache, compaction) in enumerate(combos):
        options = ChatOptions(thinking=thinking, effort=EFFORT_LEVELS[i % len(EFFORT_LEVELS)],
                              budget_tokens=(1500, 8000)[i % 2], cache_ttl=cache,
                              compaction=compaction, max_tokens=(2048, 16_000)[i % 2])
        plan = build_request(histories[i % len(histories)], options, model)
        reply = send(client, plan)
        assert reply.stop_reason == "end_turn", (model.id, options)
        sent += 1
    requests = server.message_requests()
    assert len(requests) == sent == len(MODELS) * 2 * 3 * 2
    betas = [r for r in requests if "anthropic-beta" in r.headers]
    assert betas and all(r.headers["anthropic-beta"] == COMPACT_BETA for r in betas)
    assert {r.body["model"] for r in betas} == {OPUS_47, SONNET}


# -- what each model is offered -------------------------------------------------------------------


def test_model_choices_follow_the_capabilities() -> None:
    opus = model_choices(MODELS[OPUS_47])
    assert opus.thinking_kind == "adaptive" and set(opus.thinking_modes) == {"on", "off"}
    assert opus.effort_levels == ("low", "medium", "high", "xhigh", "max")
    assert opus.max_tokens == 128_000 and opus.compaction
    sonnet = model_choices(MODELS[SONNET])
    assert sonnet.thinking_kind == "adaptive"  # adaptive is preferred over a budget
    assert sonnet.effort_levels == ("low", "medium", "high", "max")
    assert sonnet.max_tokens == 64_000 and sonnet.compaction
    for model_id, max_tokens in ((HAIKU, 64_000), (OPUS_41, 32_000)):
        choices = model_choices(MODELS[model_id])
        assert choices.thinking_kind == "enabled"
        assert set(choices.thinking_modes) == {"on", "off"}
        assert choices.effort_levels == ()
        assert choices.max_tokens == max_tokens and not choices.compaction
    # Effort is offered wherever the model has it, also beside a thinking budget.
    budget = model_choices(MODELS[EFFORT_BUDGET])
    assert budget.thinking_kind == "enabled" and set(budget.thinking_modes) == {"on", "off"}
    assert budget.effort_levels == ("low", "medium", "high")


def test_fit_to_model_picks_the_nearest_effort_and_drops_what_is_unsupported() -> None:
    wanted = ChatOptions(effort="xhigh", compaction=True, max_tokens=500_000)
    assert fit_to_model(wanted, MODELS[OPUS_47]).effort == "xhigh"
    assert fit_to_model(wanted, MODELS[OPUS_47]).max_tokens == 128_000
    sonnet = fit_to_model(wanted, MODELS[SONNET])
    assert sonnet.effort == "high" and sonnet.compaction and sonnet.max_tokens == 64_000
    haiku = fit_to_model(wanted, MODELS[HAIKU])
    assert not haiku.compaction and haiku.max_tokens == 64_000
    assert MIN_BUDGET_TOKENS <= haiku.budget_tokens < haiku.max_tokens
    tiny = fit_to_model(ChatOptions(max_tokens=10, budget_tokens=50_000), MODELS[HAIKU])
    assert tiny.thinking == "on" and MIN_BUDGET_TOKENS <= tiny.budget_tokens < tiny.max_tokens


def test_summary_names_the_choices() -> None:
    """What the header chip is worded from (ui/session/options_text.py words it)."""
    opus = MODELS[OPUS_47]
    for effort in EFFORT_LEVELS:
        chip = summarize(ChatOptions(effort=effort, cache_ttl="1h"), opus)
        assert chip.thinking == "adaptive" and chip.effort == effort and chip.cache_ttl == "1h"
    assert summarize(ChatOptions(thinking="off"), opus).thinking == "off"
    assert summarize(ChatOptions(cache_ttl="off"), opus).cache_ttl == "off"
    haiku_chip = summarize(ChatOptions(budget_tokens=8_000, cache_ttl="5m"), MODELS[HAIKU])
    assert haiku_chip.thinking == "budget" and haiku_chip.budget_tokens == 8_000
    assert haiku_chip.cache_ttl == "5m"
    assert haiku_chip.effort is None  # Haiku has no effort control
    # The chip shows what is really sent: Sonnet has no xhigh, so the nearest level is named.
    assert summarize(ChatOptions(effort="xhigh"), MODELS[SONNET]).effort == "high"


# -- thinking and effort --------------------------------------------------------------------------


def test_opus_4_7_sends_adaptive_summarized_thinking_with_effort(
        server: FakeAnthropicServer) -> None:
    conversation = conversations(server)[0]
    for effort in EFFORT_LEVELS:
        plan = build_request(conversation, ChatOptions(effort=effort), MODELS[OPUS_47])
        assert plan.kwargs["thinking"] == {"type": "adaptive", "display": "summarized"}
        assert plan.kwargs["output_config"] == {"effort": effort}
        assert "budget_tokens" not in json.dumps(plan.kwargs)
        assert rejection(server, plan) is None
    for options in (ChatOptions(budget_tokens=2_000, max_tokens=1), ChatOptions(budget_tokens=1)):
        plan = build_request(conversation, options, MODELS[OPUS_47])
        assert plan.kwargs["thinking"]["type"] == "adaptive"


def test_haiku_sends_a_budget_below_max_tokens_and_no_effort(server: FakeAnthropicServer) -> None:
    conversation = conversations(server)[0]
    for budget, max_tokens in [(8_000, 16_000), (1, 16_000), (50_000, 16_000), (8_000, 1),
                               (8_000, 1_024), (8_000, 1_025), (63_999, 64_000), (8_000, 10**6)]:
        options = ChatOptions(budget_tokens=budget, max_tokens=max_tokens, effort="max")
        plan = build_request(conversation, options, MODELS[HAIKU])
        thinking = plan.kwargs["thinking"]
        assert thinking["type"] == "enabled", (budget, max_tokens)
        assert MIN_BUDGET_TOKENS <= thinking["budget_tokens"] < plan.kwargs["max_tokens"]
        assert "output_config" not in plan.kwargs
        assert rejection(server, plan) is None
    plan = build_request(conversation, ChatOptions(budget_tokens=8_000), MODELS[HAIKU])
    assert plan.kwargs["thinking"] == {"type": "enabled", "budget_tokens": 8_000}
    assert plan.kwargs["max_tokens"] == 16_000


def test_a_model_with_effort_and_a_thinking_budget_gets_both(server: FakeAnthropicServer,
                                                             client: anthropic.Anthropic) -> None:
    """Issue 13: effort went only with adaptive thinking, so on a model with effort control
    and budget thinking (Claude Opus 4.5) the effort the user picked was never sent, and the
    options offered none. The docs: effort steers the whole reply and works with a thinking
    budget or with thinking off."""
    conversation = conversations(server)[0]
    model = MODELS[EFFORT_BUDGET]
    for effort in ("low", "medium", "high"):
        plan = build_request(conversation, ChatOptions(effort=effort, budget_tokens=4_000), model)
        assert plan.kwargs["thinking"] == {"type": "enabled", "budget_tokens": 4_000}
        assert plan.kwargs["output_config"] == {"effort": effort}
        assert rejection(server, plan) is None
    # A level the model lacks becomes the nearest one it has, and the header chip says which.
    plan = build_request(conversation, ChatOptions(effort="max"), model)
    assert plan.kwargs["output_config"] == {"effort": "high"}
    chip = summarize(ChatOptions(effort="max", budget_tokens=4_000, cache_ttl="5m"), model)
    assert (chip.thinking, chip.budget_tokens, chip.effort, chip.cache_ttl) == (
        "budget", 4_000, "high", "5m")
    chip = summarize(ChatOptions(thinking="off", effort="low", cache_ttl="off"), model)
    assert (chip.thinking, chip.effort, chip.cache_ttl) == ("off", "low", "off")
    assert summarize(ChatOptions(effort="medium"), model).effort == "medium"
    # Through the real SDK over HTTP: accepted, and the effort is in what was sent.
    reply = send(client, build_request(conversation, ChatOptions(effort="medium"), model))
    assert reply.stop_reason == "end_turn"
    assert server.message_requests()[-1].body["output_config"] == {"effort": "medium"}


def test_a_model_with_effort_and_no_thinking_gets_the_effort_alone(
        server: FakeAnthropicServer) -> None:
    data = {**model_dicts()[0], "id": "claude-effort-only", "display_name": "Effort only",
            "capabilities": _capabilities(adaptive=False, enabled=False, between_tools=False,
                                          effort=("low", "medium", "high"), compact=False)}
    model = ModelInfo.from_api(data)
    assert model_choices(model).thinking_kind is None
    assert model_choices(model).effort_levels == ("low", "medium", "high")
    plan = build_request(conversations(server)[0], ChatOptions(effort="low"), model)
    assert "thinking" not in plan.kwargs
    assert plan.kwargs["output_config"] == {"effort": "low"}
    server.models.append(data)
    try:
        assert rejection(server, plan) is None
    finally:
        server.models.remove(data)


def test_thinking_off_is_sent_as_disabled_and_effort_still_applies(
        server: FakeAnthropicServer) -> None:
    """Effort steers the whole reply, not only thinking: with thinking off it is still sent
    to every model that has effort control (and to no other)."""
    conversation = conversations(server)[1]
    for model in MODELS.values():
        plan = build_request(conversation, ChatOptions(thinking="off", effort="low"), model)
        assert plan.kwargs["thinking"] == {"type": "disabled"}, model.id
        if model.effort_levels:
            assert plan.kwargs["output_config"] == {"effort": "low"}, model.id
        else:
            assert "output_config" not in plan.kwargs, model.id
        assert rejection(server, plan) is None


# -- prompt caching -------------------------------------------------------------------------------


def test_cache_ttl_sets_top_level_cache_control(server: FakeAnthropicServer) -> None:
    short = Conversation(system_prompt="Be brief.")
    short.add_user_message("Hi")
    for model in MODELS.values():
        for ttl in ("5m", "1h"):
            plan = build_request(short, ChatOptions(cache_ttl=ttl), model)
            assert plan.kwargs["cache_control"] == {"type": "ephemeral", "ttl": ttl}
            assert plan.kwargs["system"] == "Be brief."  # short: no breakpoint of its own
            assert rejection(server, plan) is None
        plan = build_request(short, ChatOptions(cache_ttl="off"), model)
        assert "cache_control" not in plan.kwargs and breakpoints(plan.kwargs) == []


def test_a_long_system_prompt_gets_its_own_breakpoint(server: FakeAnthropicServer) -> None:
    conversation = conversations(server)[1]
    assert len(conversation.system_prompt) >= LONG_SYSTEM_PROMPT_CHARS
    for model in MODELS.values():
        for ttl in ("5m", "1h"):
            plan = build_request(conversation, ChatOptions(cache_ttl=ttl), model)
            assert plan.kwargs["system"] == [{
                "type": "text", "text": conversation.system_prompt.strip(),
                "cache_control": {"type": "ephemeral", "ttl": ttl},
            }]
            assert plan.kwargs["cache_control"] == {"type": "ephemeral", "ttl": ttl}
            assert 2 == len(breakpoints(plan.kwargs)) <= MAX_CACHE_BREAKPOINTS
            assert rejection(server, plan) is None
        off = build_request(conversation, ChatOptions(cache_ttl="off"), model)
        assert off.kwargs["system"] == conversation.system_prompt.strip()
        assert breakpoints(off.kwargs) == []
    exact = Conversation(system_prompt="x" * LONG_SYSTEM_PROMPT_CHARS)
    exact.add_user_message("Hi")
    assert isinstance(build_request(exact, ChatOptions(), MODELS[HAIKU]).kwargs["system"], list)
    below = Conversation(system_prompt="x" * (LONG_SYSTEM_PROMPT_CHARS - 1))
    below.add_user_message("Hi")
    assert isinstance(build_request(below, ChatOptions(), MODELS[HAIKU]).kwargs["system"], str)


def test_the_cache_is_read_on_the_next_turn(server: FakeAnthropicServer,
                                            client: anthropic.Anthropic) -> None:
    server.reset_cache()  # earlier tests of this module used the same system prompt
    conversation = Conversation(system_prompt=LONG_SYSTEM)
    usages = []
    for turn in range(3):
        conversation.add_user_message(f"Question {turn}: " + "tell me more. " * 20)
        plan = build_request(conversation, ChatOptions(cache_ttl="1h"), MODELS[HAIKU])
        reply = send(client, plan)
        usages.append(reply.usage)
        conversation.messages.append(assistant(*[b.to_dict() for b in reply.content], model=HAIKU))
    assert usages[0].cache_creation_input_tokens > 1024 and usages[0].cache_read_input_tokens == 0
    first = usages[0]
    assert first.cache_creation.ephemeral_1h_input_tokens == first.cache_creation_input_tokens
    for usage in usages[1:]:
        total = (usage.input_tokens + usage.cache_read_input_tokens
                 + usage.cache_creation_input_tokens)
        assert usage.cache_read_input_tokens / total > 0.8


# -- compaction -----------------------------------------------------------------------------------


def test_compaction_uses_the_beta_only_where_supported(server: FakeAnthropicServer) -> None:
    conversation = conversations(server)[0]
    for model in MODELS.values():
        plan = build_request(conversation, ChatOptions(compaction=True), model)
        if model.id in (OPUS_47, SONNET):
            assert plan.beta and plan.kwargs["betas"] == [COMPACTION_BETA] == [COMPACT_BETA]
            assert plan.kwargs["context_management"] == {"edits": [{"type": COMPACTION_EDIT}]}
        else:
            assert not plan.beta
            assert "betas" not in plan.kwargs and "context_management" not in plan.kwargs
        assert rejection(server, plan) is None
        off = build_request(conversation, ChatOptions(compaction=False), model)
        assert not off.beta and "betas" not in off.kwargs and "context_management" not in off.kwargs


def test_a_compaction_block_is_sent_back_on_the_same_model(server: FakeAnthropicServer) -> None:
    conversation = compacted_conversation(server)
    plan = build_request(conversation, ChatOptions(), MODELS[OPUS_47])
    sent = plan.kwargs["messages"][1]["content"][0]
    assert sent == conversation.messages[1].content[0]
    assert rejection(server, plan) is None


def compacted_conversation(server: FakeAnthropicServer) -> Conversation:
    return Conversation(messages=[
        user("A long story so far"),
        assistant(server.issue_compaction("Summary of earlier talk"), text("Continuing."),
                  model=OPUS_47),
        user("What next?"),
    ])


def test_a_compacted_conversation_can_switch_to_a_model_without_compaction(
        server: FakeAnthropicServer) -> None:
    plan = build_request(compacted_conversation(server), ChatOptions(), MODELS[HAIKU])
    assert rejection(server, plan) is None


def test_a_compacted_conversation_can_turn_compaction_off(server: FakeAnthropicServer) -> None:
    plan = build_request(compacted_conversation(server), ChatOptions(compaction=False),
                         MODELS[OPUS_47])
    assert rejection(server, plan) is None


# -- continuing, resuming, switching models -------------------------------------------------------


def test_continuation_is_a_stored_user_turn_so_later_requests_repeat_it(
    server: FakeAnthropicServer,
) -> None:
    conversation = Conversation(messages=[
        user("Write a long poem"),
        assistant(text("Roses are red,\nviolets are "), stop_reason="max_tokens"),
    ])
    with pytest.raises(RequestError):
        build_request(conversation, ChatOptions(), MODELS[OPUS_47])
    prompt = conversation.add_continue_request()
    assert prompt.is_continue_prompt and prompt.text == CONTINUE_PROMPT
    for model in MODELS.values():
        plan = build_request(conversation, ChatOptions(), model)
        messages = plan.kwargs["messages"]
        assert [m["role"] for m in messages] == ["user", "assistant", "user"]
        assert messages[-1] == {"role": "user",
                                "content": [{"type": "text", "text": CONTINUE_PROMPT}]}
        assert messages[1]["content"][0]["text"].startswith("Roses are red")
        assert rejection(server, plan) is None
    # The continuation's own reply follows, and the next turn sends all of it unchanged.
    conversation.messages.append(assistant(text("blue."), stop_reason="end_turn"))
    conversation.messages.append(user("Thanks"))
    later = build_request(conversation, ChatOptions(), MODELS[SONNET]).kwargs["messages"]
    assert later[:3] == messages
    assert [m["role"] for m in later] == ["user", "assistant", "user", "assistant", "user"]
    restored = Conversation.from_json(conversation.to_json(1))
    assert restored.messages[2].is_continue_prompt
    assert restored.is_continued(conversation.messages[1].id)


def test_a_paused_turn_is_sent_back_as_it_is(server: FakeAnthropicServer) -> None:
    conversation = Conversation(messages=[
        user("Research this"),
        assistant(text("Looking into it. "), stop_reason="pause_turn"),
    ])
    with pytest.raises(RequestError):
        build_request(conversation, ChatOptions(), MODELS[OPUS_47])
    for model in MODELS.values():
        plan = build_request(conversation, ChatOptions(), model, resume_paused=True)
        assert plan.kwargs["messages"][-1] == {"role": "assistant",
                                               "content": [text("Looking into it.")]}
        assert rejection(server, plan) is None


def test_switching_models_keeps_a_history_with_thinking_valid(server: FakeAnthropicServer,
                                                              client: anthropic.Anthropic) -> None:
    """Thinking (signed and redacted) written by one model is sent back unchanged to any
    other that thinks in this request; a request that does not think carries none (the API
    takes thinking blocks only when thinking is on), and the rest of the turn is unchanged."""
    base = conversations(server)[1]
    for model in MODELS.values():
        for thinking in ("on", "off"):
            conversation = copy.deepcopy(base)
            conversation.model = model.id
            plan = build_request(conversation, ChatOptions(thinking=thinking), model)
            assert rejection(server, plan) is None, (model.id, thinking)
            sent = plan.kwargs["messages"]
            thinks = plan.kwargs.get("thinking", {}).get("type", "disabled") != "disabled"
            for index in (1, 3):
                blocks = base.messages[index].content
                kept = [b for b in blocks if thinks or b["type"] not in (
                    "thinking", "redacted_thinking")]
                assert sent[index]["content"] == kept, (model.id, thinking)
    plan = build_request(base, ChatOptions(), MODELS[HAIKU])
    assert send(client, plan).stop_reason == "end_turn"
