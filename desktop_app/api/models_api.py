"""The Models API (every page of ``models.list()``) and token counting."""

from __future__ import annotations

from typing import Any

import anthropic

from desktop_app.core.catalog import ModelInfo


async def fetch_models(client: anthropic.AsyncAnthropic) -> list[ModelInfo]:
    """All models the key can use, with display names and capabilities.

    Raises:
        anthropic.APIError: when the API cannot be reached or refuses.
    """
    models: list[ModelInfo] = []
    async for model in client.models.list(limit=100):
        models.append(ModelInfo.from_api(model.to_dict(mode="json")))
    return models


async def count_input_tokens(client: anthropic.AsyncAnthropic, request: dict[str, Any]) -> int:
    """The input size of a request, from ``messages.count_tokens`` (free, not billed).

    Raises:
        anthropic.APIError: when the API cannot be reached or refuses.
    """
    allowed = ["model", "messages", "system", "thinking", "output_config", "tools",
               "tool_choice"]
    endpoint: Any = client.messages
    if "betas" in request:  # compaction: the history may hold blocks only the beta accepts
        allowed += ["betas", "context_management"]
        endpoint = client.beta.messages
    result = await endpoint.count_tokens(**{k: request[k] for k in allowed if k in request})
    return int(result.input_tokens)
