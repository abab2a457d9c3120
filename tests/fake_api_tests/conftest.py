"""The fake API's own tests: a server per test, and the real SDK's synchronous client on it."""

from __future__ import annotations

from collections.abc import Iterator

import anthropic
import pytest

from tests.fake_api import DEFAULT_API_KEY, FakeAnthropicServer


@pytest.fixture
def server() -> Iterator[FakeAnthropicServer]:
    with FakeAnthropicServer() as srv:
        yield srv


@pytest.fixture
def client(server: FakeAnthropicServer) -> Iterator[anthropic.Anthropic]:
    with anthropic.Anthropic(api_key=DEFAULT_API_KEY, base_url=server.base_url,
                             max_retries=0) as c:
        yield c
