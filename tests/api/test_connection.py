"""The SDK client as Cairn builds it (api/client_factory.py) against the fake API over real
HTTP on 127.0.0.1: what the person using Cairn is told when a reply fails, and how long Cairn
waits for the network."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from desktop_app.api.client_factory import CONNECT_TIMEOUT_SECONDS, make_client
from desktop_app.api.errors import ReplyFailed
from desktop_app.api.reply_stream import stream_reply
from desktop_app.core.reply import BlockDelta
from desktop_app.core.settings import Settings
from tests.fake_api import FakeAnthropicServer, Hang, Reply, StreamError

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


# -- timeouts -------------------------------------------------------------------------------------


async def test_connecting_gets_a_few_seconds_and_the_answer_gets_the_setting() -> None:
    """Issue 13: one 600 s timeout for every phase made each attempt hang ten minutes with the
    network down. Connecting now gives up after the SDK's own 5 s; sending the request and
    waiting for (each part of) the answer keep the timeout setting."""
    assert CONNECT_TIMEOUT_SECONDS == 5.0
    for proxy, seconds, expected in [("", 600.0, (5.0, 600.0, 600.0)),
                                     ("http://127.0.0.1:9", 600.0, (5.0, 600.0, 600.0)),
                                     ("", 5.0, (5.0, 5.0, 5.0))]:  # the setting's lowest value
        client = make_client(KEY, Settings(timeout_seconds=seconds, proxy=proxy))
        timeout = client.timeout
        await client.close()
        assert not isinstance(timeout, float | int | None)
        assert (timeout.connect, timeout.read, timeout.write) == expected, proxy


@contextlib.contextmanager
def unanswered_port() -> Iterator[int]:
    """A port on 127.0.0.1 whose connection attempts are never answered: a listening socket
    that never accepts, its backlog full, so the kernel drops further SYNs (as a host on a
    network that is down never answers). Skips where the OS refuses them instead."""
    listener = socket.socket()
    waiting: list[socket.socket] = []
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        for _ in range(3):  # fill the backlog
            filler = socket.socket()
            waiting.append(filler)
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", port))
        probe = socket.socket()
        waiting.append(probe)
        probe.settimeout(0.5)
        try:
            probe.connect(("127.0.0.1", port))
        except TimeoutError:
            pass  # as wanted: nobody answers
        except OSError as exc:
            pytest.skip(f"this OS refuses a connection to a full backlog ({exc})")
        else:
            pytest.skip("this OS accepted a connection beyond the backlog")
        yield port
    finally:
        for sock in waiting:
            sock.close()
        listener.close()


async def test_an_unreachable_api_is_reported_after_seconds_not_minutes() -> None:
    with unanswered_port() as port:
        settings = settings_for(f"http://127.0.0.1:{port}", timeout_seconds=600.0)
        started = time.monotonic()
        text, failure = await asyncio.wait_for(reply_text_or_failure(settings), 30)
        waited = time.monotonic() - started
    assert failure == ("Could not reach the API at 127.0.0.1 (no answer within 5 seconds). "
                       "Check your internet connection or proxy.")
    assert CONNECT_TIMEOUT_SECONDS <= waited < CONNECT_TIMEOUT_SECONDS + 10
    assert text == ""


async def test_an_answer_slower_than_the_connect_limit_still_arrives(
        fake_api: FakeAnthropicServer) -> None:
    """The server accepts the connection and reads the request, then says nothing for longer
    than the connect limit: the timeout setting governs that wait, so the reply arrives."""
    fake_api.enqueue(Hang(CONNECT_TIMEOUT_SECONDS + 1.5, then=Reply("Worth the wait.")))
    settings = settings_for(fake_api.base_url, timeout_seconds=30.0)
    started = time.monotonic()
    text, failure = await reply_text_or_failure(settings)
    assert (text, failure) == ("Worth the wait.", None)
    assert time.monotonic() - started >= CONNECT_TIMEOUT_SECONDS + 1.5


@pytest.mark.parametrize("value", ["inf", "nan", "1e400", "99999999999"])
async def test_an_absurd_retry_after_is_not_believed(value: str) -> None:
    import anthropic
    import httpx2

    from desktop_app.api.errors import describe_error

    request = httpx2.Request("POST", "http://127.0.0.1/v1/messages")
    response = httpx2.Response(429, headers={"retry-after": value}, request=request,
                               json={"type": "error", "error": {"type": "rate_limit_error",
                                                                "message": "slow down"}})
    exc = anthropic.RateLimitError("slow down", response=response, body=response.json())
    info = describe_error(exc)
    assert info.kind == "rate_limit" and info.retry_after is None
    assert "Wait a moment, then retry." in info.message
