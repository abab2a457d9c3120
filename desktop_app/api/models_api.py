"""The Models API: every page of ``models.list()`` as core :class:`ModelInfo` objects."""

from __future__ import annotations

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
