"""Building the SDK client from the key and the connection settings."""

from __future__ import annotations

import anthropic

from desktop_app.core.settings import Settings


def make_client(api_key: str, settings: Settings) -> anthropic.AsyncAnthropic:
    """An ``AsyncAnthropic`` for this key; the base URL setting wins over ANTHROPIC_BASE_URL,
    which wins over the SDK's default. A proxy setting (http, https or socks5) routes all
    traffic through it; without one the environment's proxy variables apply."""
    proxy = settings.proxy.strip()
    http_client = anthropic.DefaultAsyncHttpxClient(proxy=proxy) if proxy else None
    return anthropic.AsyncAnthropic(
        api_key=api_key,
        base_url=settings.base_url.strip() or None,
        max_retries=settings.max_retries,
        timeout=settings.timeout_seconds,
        http_client=http_client,
    )
