"""Ask the API for a conversation title (one small, non-streaming request)."""

from __future__ import annotations

from typing import Any

import anthropic

from desktop_app.core.catalog import ModelInfo
from desktop_app.core.titles import clean_title, title_request


async def request_title(
    client: anthropic.AsyncAnthropic, model: ModelInfo, question: str, answer: str
) -> tuple[str, dict[str, Any]]:
    """A title for the exchange and the usage the API reported (so its cost is counted, even
    when no usable title came back: it was billed). ``model``'s capabilities decide how
    thinking is kept out of the small budget (``core.titles.title_request``).

    Raises:
        anthropic.APIError: when the API cannot be reached or refuses.
    """
    response = await client.messages.create(**title_request(model, question, answer))
    text = "".join(block.text for block in response.content if block.type == "text")
    return clean_title(text), response.usage.to_dict(mode="json")
