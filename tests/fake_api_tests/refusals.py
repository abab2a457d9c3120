"""Asking the fake for what the real API refuses, through the SDK, in one way for every test."""

from __future__ import annotations

from typing import Any

import anthropic
import pytest

SONNET = "claude-sonnet-4-6"
HI = [{"role": "user", "content": "hi"}]


def bad_request(client: anthropic.Anthropic, *, max_tokens: int = 4096, **kwargs: Any) -> str:
    """Send a create() that must be rejected with 400 (``invalid_request_error``, with a
    message); return the error message."""
    kwargs.setdefault("model", SONNET)
    kwargs.setdefault("messages", HI)
    with pytest.raises(anthropic.BadRequestError) as ei:
        client.messages.create(max_tokens=max_tokens, **kwargs)
    assert ei.value.type == "invalid_request_error"
    assert ei.value.api_message
    return ei.value.api_message
