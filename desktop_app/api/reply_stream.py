"""Streaming one reply: the API's raw events, read with the SDK, as plain core reply events.

The SDK's ``messages.stream()`` helper keeps a snapshot of the whole message and makes a
second, derived event for every delta; Cairn builds the message itself (``ReplyAssembler``),
so it reads the raw events (``messages.create(stream=True)``) and does that work once.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from typing import Any

import anthropic
import httpx2

from desktop_app.api.errors import ReplyFailed, cut_off_error, describe_error, error_info
from desktop_app.core.conversation import ErrorInfo
from desktop_app.core.reply import (
    BlockDelta,
    BlockFieldsSet,
    BlockFinished,
    BlockItemAdded,
    BlockStarted,
    ReplyCompleted,
    ReplyDelta,
    ReplyEvent,
    ReplyStarted,
)

log = logging.getLogger(__name__)

_DELTA_KINDS = {"text_delta": ("text", "text"), "thinking_delta": ("thinking", "thinking"),
                "input_json_delta": ("input_json", "partial_json")}  # a tool call's input


async def stream_reply(
    client: anthropic.AsyncAnthropic, request: dict[str, Any], *, beta: bool = False
) -> AsyncGenerator[ReplyEvent, None]:
    """Yield the reply's events as they arrive.

    Args:
        client: the SDK client.
        request: keyword arguments for ``messages.create()`` (without ``stream``).
        beta: use ``beta.messages.create()`` (compaction); ``request`` then holds ``betas``.

    Raises:
        ReplyFailed: for every failure (HTTP errors, an error event mid-stream, a dropped
            connection, a stream that ends without ``message_stop``), with the reason in words.
    """
    completed = started = False
    try:
        endpoint = client.beta.messages if beta else client.messages
        stream = await endpoint.create(**request, stream=True)
        started = True  # the API answered: from here on a lost connection cut a reply short
        async with stream:
            async for event in stream:
                translated = _translate(event)
                if translated is None:
                    continue
                if isinstance(translated, ReplyCompleted):
                    completed = True
                yield translated
    except (anthropic.AnthropicError, httpx2.HTTPError, OSError) as exc:
        info = describe_error(exc)
        if started and info.kind in ("connection", "timeout"):
            info = dropped_error(info.kind)
        log.info("reply failed: %s (%s)", info.kind, type(exc).__name__)
        raise ReplyFailed(info) from exc
    if not completed:
        raise ReplyFailed(cut_off_error())


def dropped_error(kind: str) -> ErrorInfo:
    """The connection was lost or went quiet after the reply had begun (whichever way the
    SDK reports it): the words that arrived are kept, and asking again may help."""
    if kind == "timeout":
        return error_info("went_quiet_kept", "timeout")
    return error_info("dropped_kept", "connection")


def _translate(event: Any) -> ReplyEvent | None:
    kind = event.type
    if kind == "message_start":
        return ReplyStarted(model=event.message.model, usage=_dump(event.message.usage))
    if kind == "content_block_start":
        return BlockStarted(event.index, _dump(event.content_block))
    if kind == "content_block_delta":
        delta = event.delta
        mapped = _DELTA_KINDS.get(delta.type)
        if mapped is not None:
            name, attribute = mapped
            return BlockDelta(event.index, name, getattr(delta, attribute))
        if delta.type == "signature_delta":  # whole, once the thinking is done
            return BlockFieldsSet(event.index, {"signature": delta.signature})
        if delta.type == "compaction_delta":  # the summary arrives whole, in one delta
            fields = {"content": delta.content, "encrypted_content": delta.encrypted_content}
            return BlockFieldsSet(event.index, {k: v for k, v in fields.items() if v is not None})
        if delta.type == "citations_delta":
            return BlockItemAdded(event.index, "citations", _dump(delta.citation))
        return None  # deltas a newer API may add: ignored
    if kind == "content_block_stop":
        return BlockFinished(event.index)
    if kind == "message_delta":
        details = getattr(event.delta, "stop_details", None)
        container = getattr(event.delta, "container", None)  # code execution's sandbox
        return ReplyDelta(
            stop_reason=event.delta.stop_reason,
            stop_sequence=event.delta.stop_sequence,
            usage=_dump(event.usage),
            stop_details=_dump(details) if details is not None else None,
            container=_dump(container) if container is not None else None,
        )
    if kind == "message_stop":
        return ReplyCompleted()
    return None  # events a newer API may add: ignored, as the API's versioning allows


def _dump(model: Any) -> dict[str, Any]:
    return dict(model.to_dict(mode="json", exclude_none=True))
