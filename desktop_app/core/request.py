"""Conversation + settings + the model's capabilities -> the arguments of one Messages request.

Everything that decides what is sent lives here, so it can be tested without a network and
so a request the API would reject for its shape is never built.
"""

from __future__ import annotations

from typing import Any

from desktop_app.core.catalog import ModelInfo
from desktop_app.core.conversation import Conversation
from desktop_app.core.settings import Settings


class RequestError(ValueError):
    """The conversation cannot be sent as it is (said to the user as it stands)."""


def effective_max_tokens(settings: Settings, model: ModelInfo | None) -> int:
    """The reply length limit: the setting, capped by the model's own maximum."""
    limit = settings.max_tokens
    if model is not None and model.max_tokens:
        limit = min(limit, model.max_tokens)
    return max(1, limit)


def build_request(
    conversation: Conversation, settings: Settings, model: ModelInfo
) -> dict[str, Any]:
    """The keyword arguments for ``messages.stream()`` for the conversation's next reply.

    Raises:
        RequestError: when there is nothing to send (no user message yet).
    """
    messages = conversation.api_messages()
    if not messages:
        raise RequestError("There is no message to send yet.")
    kwargs: dict[str, Any] = {
        "model": model.id,
        "max_tokens": effective_max_tokens(settings, model),
        "messages": messages,
    }
    system = conversation.system_prompt.strip()
    if system:
        kwargs["system"] = system
    return kwargs
