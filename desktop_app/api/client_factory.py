"""Building the SDK client from the key and the connection settings."""

from __future__ import annotations

import anthropic

from desktop_app.core.settings import Settings

# How long to wait for a connection (TCP, and TLS or a proxy's handshake) before giving up:
# the SDK's own default. The timeout setting is for the API's answer, which may take minutes;
# a connection that takes longer than this is not coming (the network is down).
CONNECT_TIMEOUT_SECONDS = 5.0


def request_timeout(settings: Settings) -> anthropic.Timeout:
    """A few seconds to connect; the timeout setting to send, to wait for the answer and
    between two parts of it."""
    seconds = settings.timeout_seconds
    return anthropic.Timeout(seconds, connect=min(CONNECT_TIMEOUT_SECONDS, seconds))


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
        timeout=request_timeout(settings),
        http_client=http_client,
    )
