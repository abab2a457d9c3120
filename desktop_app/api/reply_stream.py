"""Streaming one reply: the SDK's event stream turned into plain core reply events."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import anthropic
import httpx2

from desktop_app.api.errors import ReplyFailed, cut_off_error, describe_error
from desktop_app.core.reply import (
    BlockDelta,
    BlockFinished,
    BlockStarted,
    ReplyCompleted,
    ReplyDelta,
    ReplyEvent,
    ReplyStarted,
)

log = logging.getLogger(__name__)

_DELTA_KINDS = {"text_delta": ("text", "text"), "thinking_delta": ("thinking", "thinking"),
                "signature_delta": ("signature", "signature")}


async def stream_reply(
    client: anthropic.AsyncAnthropic, request: dict[str, Any], *, beta: bool = False
) -> AsyncIterator[ReplyEvent]:
    """Yield the reply's events as they arrive.

    Args:
        client: the SDK client.
        request: keyword arguments for ``messages.stream()``.
        beta: use ``beta.messages.stream()`` (compaction); ``request`` then holds ``betas``.

    Raises:
        ReplyFailed: for every failure (HTTP errors, an error event mid-stream, a dropped
            connection, a stream that ends without ``message_stop``), with the reason in words.
    """
    completed = False
    try:
        endpoint = client.beta.messages if beta else client.messages
        async with endpoint.stream(**request) as stream:
            async for event in stream:
                translated = _translate(event)
                if translated is None:
                    continue
                if isinstance(translated, ReplyCompleted):
                    completed = True
                yield translated
    except (anthropic.AnthropicError, httpx2.HTTPError, OSError) as exc:
        info = describe_error(exc)
        log.info("reply failed: %s (%s)", info.kind, type(exc).__name__)
        raise ReplyFailed(info) from exc
    if not completed:
        raise ReplyFailed(cut_off_error())


def _translate(event: Any) -> ReplyEvent | None:
    kind = event.type
    if kind == "message_start":
        return ReplyStarted(model=event.message.model, usage=_dump(event.message.usage))
    if kind == "content_block_start":
        return BlockStarted(event.index, _dump(event.content_block))
    if kind == "content_block_delta":
        mapped = _DELTA_KINDS.get(event.delta.type)
        if mapped is None:
            return None  # e.g. input_json/citations: the finished block carries the result
        name, attribute = mapped
        return BlockDelta(event.index, name, getattr(event.delta, attribute))
    if kind == "content_block_stop":
        return BlockFinished(event.index, _dump(event.content_block))
    if kind == "message_delta":
        details = getattr(event.delta, "stop_details", None)
        return ReplyDelta(
            stop_reason=event.delta.stop_reason,
            stop_sequence=event.delta.stop_sequence,
            usage=_dump(event.usage),
            stop_details=_dump(details) if details is not None else None,
        )
    if kind == "message_stop":
        return ReplyCompleted()
    return None  # the SDK's convenience events (text, thinking, ...) repeat the raw ones


def _dump(model: Any) -> dict[str, Any]:
    return dict(model.to_dict(mode="json", exclude_none=True))
