"""The SDK client as Cairn builds it (api/client_factory.py) against the fake API over real
HTTP on 127.0.0.1: what the person using Cairn is told when a reply fails, and how long Cairn
waits for the network."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.api.client_factory import make_client
from desktop_app.api.errors import ReplyFailed
from desktop_app.api.reply_stream import stream_reply
from desktop_app.core.reply import BlockDelta
from desktop_app.core.settings import Settings
from tests.fake_api import FakeAnthropicServer, StreamError

pytestmark = pytest.mark.asyncio

KEY = "sk-ant-test-key"
REQUEST: dict[str, Any] = {
    "model": "claude-opus-4-7",
    "max_tokens": 1000,
    "messages": [{"role": "user", "content": [{"type": "text", "text": "Hello?"}]}],
}


def settings_for(base_url: str, **changes: Any) -> Settings:
    settings = Settings(base_url=base_url, max_retries=0)
    for name, value in changes.items():
        setattr(settings, name, value)
    return settings


async def reply_text_or_failure(settings: Settings) -> tuple[str, str | None]:
    """Stream one reply as the app does: the text that arrived, and the sentence shown if it
    failed (None if it did not)."""
    text = ""
    client = make_client(KEY, settings)
    try:
        async for event in stream_reply(client, REQUEST):
            if isinstance(event, BlockDelta) and event.kind == "text":
                text += event.text
    except ReplyFailed as failed:
        return text, failed.info.message
    finally:
        await client.close()
    return text, None


# -- error sentences ------------------------------------------------------------------------------


@pytest.mark.parametrize(("error_type", "api_message", "shown"), [
    # Cairn's own sentence for an overload starts with a name: it keeps its capital.
    ("overloaded_error", "Claude is overloaded",
     "The reply stopped with an error from the API: Claude is overloaded right now. "
     "Try again in a moment."),
    # An error Cairn has no words for: the API's own, as it wrote them, in one sentence.
    ("capacity_notice_error", "Claude Opus 4.7 is busy in your region",
     "The reply stopped with an error from the API: Claude Opus 4.7 is busy in your region."),
    # An ordinary first word continues the sentence in lower case; the API's words keep theirs.
    ("invalid_request_error", "Claude could not read the attached PDF",
     "The reply stopped with an error from the API: the API rejected the request: "
     "Claude could not read the attached PDF"),
], ids=["overloaded", "unknown-type", "bad-request"])
async def test_an_error_in_the_middle_of_a_reply_reads_as_one_sentence(
        fake_api: FakeAnthropicServer, error_type: str, api_message: str, shown: str) -> None:
    fake_api.enqueue(StreamError(after_text="Half a", type=error_type, message=api_message))
    text, failure = await reply_text_or_failure(settings_for(fake_api.base_url))
    assert text == "Half a"
    assert failure == shown
