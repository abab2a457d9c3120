"""Generated titles end to end (real SDK over HTTP, a fake server that checks ``thinking``
against each model's capabilities): the 40-token request never spends its budget thinking."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from desktop_app.core.titles import TITLE_MAX_TOKENS, TITLE_SYSTEM_PROMPT, TITLE_THINKING_ROOM
from tests.conftest import until
from tests.fake_api import Reply, default_models
from tests.helpers.gui_helpers import chat_with

pytestmark = pytest.mark.asyncio


def a_model(model_id: str, line: str, created: str, *, disabled: bool, between_tools: bool,
            effort: tuple[str, ...]) -> dict[str, Any]:
    """A model that thinks adaptively by default (the 5.x generation), as /v1/models says."""
    data = copy.deepcopy(default_models()[0])  # Opus 4.7's shape: adaptive, effort, compaction
    data.update(id=model_id, display_name=model_id, line=line, created_at=created)
    types = data["capabilities"]["thinking"]["types"]
    types["disabled"] = {"supported": disabled}
    types["between_tools"] = {"supported": between_tools}
    types["enabled"] = {"supported": False}
    levels = data["capabilities"]["effort"]
    for level in ("low", "medium", "high", "xhigh", "max"):
        levels[level] = {"supported": level in effort}
    return data


# Always thinking (no "disabled", no "between_tools"), as Claude Opus 5.5 is.
OPUS_55 = a_model("claude-opus-5-5", "opus", "2026-09-01T00:00:00Z", disabled=False,
                  between_tools=False, effort=("medium", "high", "xhigh", "max"))
# Thinking off only through "between_tools", as Claude Sonnet 5.5.
SONNET_55 = a_model("claude-sonnet-5-5", "sonnet", "2026-09-28T00:00:00Z", disabled=False,
                    between_tools=True, effort=("low", "medium", "high", "xhigh", "max"))
# Thinking off with "disabled", as Claude Haiku 5.5.
HAIKU_55 = a_model("claude-haiku-5-5", "haiku", "2026-10-07T00:00:00Z", disabled=True,
                   between_tools=False, effort=("low", "medium", "high", "xhigh", "max"))


def title_requests(fake_api) -> list[dict[str, Any]]:
    return [r.body for r in fake_api.message_requests() if r.body.get("system") == TITLE_SYSTEM_PROMPT]


async def named(window, fake_api, qtbot, title_reply: Reply, expected: str) -> dict[str, Any]:
    fake_api.enqueue(Reply("Try a ryokan near Gion.", chunks=2), title_reply)
    conversation = await chat_with(window, qtbot, "where should I stay in kyoto next spring?")
    await until(lambda: conversation.title == expected, message="generated title")
    (body,) = title_requests(fake_api)
    assert conversation.auxiliary_usage[0]["model"] == body["model"]
    return body


async def test_a_model_that_can_turn_thinking_off_titles_without_thinking(
        app_factory, fake_api, qtbot):
    fake_api.models = [OPUS_55, SONNET_55, HAIKU_55]
    window = await app_factory(titles=True)
    body = await named(window, fake_api, qtbot, Reply("**Kyoto Stay Ideas.**"), "Kyoto Stay Ideas")
    assert body["model"] == "claude-haiku-5-5"  # the cheapest
    assert body["thinking"] == {"type": "disabled"}
    assert body["output_config"] == {"effort": "low"}
    assert body["max_tokens"] == TITLE_MAX_TOKENS


async def test_a_cheaper_model_that_always_thinks_is_passed_over(app_factory, fake_api, qtbot):
    always = copy.deepcopy(HAIKU_55)  # the cheapest, but (here) unable to stop thinking
    always["capabilities"]["thinking"]["types"]["disabled"] = {"supported": False}
    fake_api.models = [OPUS_55, SONNET_55, always]
    window = await app_factory(titles=True)
    body = await named(window, fake_api, qtbot, Reply("# Kyoto Stay Ideas"), "Kyoto Stay Ideas")
    assert body["model"] == "claude-sonnet-5-5"
    assert body["thinking"] == {"type": "between_tools"}
    assert body["max_tokens"] == TITLE_MAX_TOKENS


async def test_when_every_model_thinks_the_title_request_leaves_room_for_it(
        app_factory, fake_api, qtbot):
    fake_api.models = [OPUS_55]
    window = await app_factory(titles=True)
    title = Reply("Kyoto Stay Ideas", thinking="A short title about where to stay in Kyoto.")
    body = await named(window, fake_api, qtbot, title, "Kyoto Stay Ideas")
    assert body["model"] == "claude-opus-5-5"
    assert body["thinking"] == {"type": "adaptive"}
    assert body["output_config"] == {"effort": "medium"}  # its lowest
    assert body["max_tokens"] == TITLE_THINKING_ROOM + TITLE_MAX_TOKENS


async def test_an_empty_title_is_still_counted_and_the_first_words_stay(
        app_factory, fake_api, qtbot):
    """It was billed, so its cost is in the conversation's; it is not asked again."""
    window = await app_factory(titles=True)
    fake_api.enqueue(Reply("Try a ryokan near Gion.", chunks=2), Reply("**  **"))
    conversation = await chat_with(window, qtbot, "where should I stay in kyoto next spring?")
    await until(lambda: conversation.auxiliary_usage, message="title usage recorded")
    assert conversation.title == "where should I stay in kyoto next spring?"
    reply_cost = window.controller.cost_of_message(conversation.messages[1])
    assert window.controller.conversation_cost(conversation) > reply_cost
    await chat_with(window, qtbot, "and in autumn?")
    assert len(title_requests(fake_api)) == 1
