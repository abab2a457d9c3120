"""Share of input tokens read from the prompt cache over a 10-turn conversation with a long
system prompt, using Cairn's own request building and streaming.

By default the replies come from the fake Messages API in tests/ (its cache model: every
breakpoint prefix of at least 1,024 tokens is remembered and read back by later requests that
start with it). That measures whether Cairn places its cache breakpoints so that later turns
can reuse the earlier ones. With ``--real`` (and ANTHROPIC_API_KEY set) it asks the real API.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from typing import Any

import anthropic

from desktop_app.api.reply_stream import stream_reply
from desktop_app.core.catalog import ModelInfo
from desktop_app.core.conversation import Conversation
from desktop_app.core.cost import TokenCounts
from desktop_app.core.options import ChatOptions
from desktop_app.core.reply import ReplyAssembler
from desktop_app.core.request import build_request

TARGET = 0.90
TURNS = 10
SYSTEM_PROMPT = "You are a meticulous assistant for a hardware store. " + " ".join(
    f"Rule {n}: answer questions about aisle {n} politely, precisely and briefly, and mention "
    f"the safety notes for the tools kept there." for n in range(1, 160)
)


async def measure(client: anthropic.AsyncAnthropic, model: ModelInfo) -> list[TokenCounts]:
    conversation = Conversation(system_prompt=SYSTEM_PROMPT, model=model.id)
    options = ChatOptions(thinking="off", cache_ttl="5m", compaction=False, max_tokens=300)
    per_turn: list[TokenCounts] = []
    for turn in range(1, TURNS + 1):
        conversation.add_user_message(f"Question {turn}: what is in aisle {turn * 7}?")
        plan = build_request(conversation, options, model)
        reply = conversation.start_reply(model.id)
        assembler = ReplyAssembler(reply)
        async for event in stream_reply(client, plan.kwargs, beta=plan.beta):
            assembler.apply(event)
        per_turn.append(TokenCounts.from_usage(reply.usage))
    return per_turn


async def run(real: bool) -> dict[str, Any]:
    server = None
    if real:
        client = anthropic.AsyncAnthropic(max_retries=2)
        models = [m async for m in client.models.list()]
        info = ModelInfo.from_api(models[0].to_dict(mode="json"))
    else:
        from tests.fake_api import FakeAnthropicServer, default_models

        server = FakeAnthropicServer().start()
        client = anthropic.AsyncAnthropic(api_key=server.api_key, base_url=server.base_url)
        info = ModelInfo.from_api(default_models()[1])
    try:
        per_turn = await measure(client, info)
    finally:
        await client.close()
        if server is not None:
            server.close()
    later = per_turn[1:]
    read = sum(t.cache_read for t in later)
    total = sum(t.total_input for t in later)
    return {
        "figure": "input tokens read from the cache, turns 2-10, long system prompt",
        "value": 100 * read / total if total else 0.0,
        "unit": "%",
        "target": 100 * TARGET,
        "better": "higher",
        "detail": ("real API" if real else "fake API cache model") + "; per turn "
        + ", ".join(f"{t.cache_hit_rate or 0.0:.0%}" for t in per_turn),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", action="store_true", help="use the real API (needs a key)")
    parser.add_argument("--json", metavar="PATH", help="also append the figure to this file")
    args = parser.parse_args()
    if args.real and not os.environ.get("ANTHROPIC_API_KEY"):
        parser.error("--real needs ANTHROPIC_API_KEY")
    from benchmarks.report import emit

    emit([asyncio.run(run(args.real))])


if __name__ == "__main__":
    main()
