"""Building the SDK client from the key and the connection settings."""

from __future__ import annotations

import anthropic

from desktop_app.core.settings import Settings


def make_client(api_key: str, settings: Settings) -> anthropic.AsyncAnthropic:
    """An ``AsyncAnthropic`` for this key; the base URL setting wins over ANTHROPIC_BASE_URL,
    which wins over the SDK's default."""
    return anthropic.AsyncAnthropic(
        api_key=api_key,
        base_url=settings.base_url.strip() or None,
        max_retries=settings.max_retries,
        timeout=settings.timeout_seconds,
    )
