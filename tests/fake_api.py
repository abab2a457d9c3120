"""A fake Anthropic Messages API server for Cairn's tests.

The real ``anthropic`` SDK talks to it over real HTTP on 127.0.0.1 (ephemeral port), so tests
exercise the SDK's own request building, SSE parsing, error mapping, retries and timeouts::

    with FakeAnthropicServer() as server:
        server.enqueue(Reply("Hello!"), ApiError(status=529, type="overloaded_error"))
        client = AsyncAnthropic(api_key="sk-ant-test-key", base_url=server.base_url,
                                max_retries=0)
        ...

The server runs in background threads (``http.server.ThreadingHTTPServer``), so it works while
the test's own thread runs a Qt / qasync event loop. It speaks HTTP/1.1 with keep-alive: JSON
responses carry ``Content-Length`` and SSE responses use chunked transfer encoding, so one
client connection is reused across requests (see ``connection_count``).

Every ``POST /v1/messages`` (and ``/v1/messages/count_tokens``) is validated the way the real
API does *before* a script is consumed: auth (``x-api-key``, or ``Authorization: Bearer <key>``,
which is what SDK 2.x actually sends), ``anthropic-version``, unknown fields, model (404 for an
unknown one), ``max_tokens``, message roles and content blocks (text, image, document, thinking
signatures, redacted thinking, compaction blocks, tool use/result pairing), ``system``,
``thinking`` / ``output_config.effort`` against the model's capabilities,
``cache_control`` breakpoints (at most 4, no 1h after 5m) and beta ``context_management``.
A rejected request gets a 400 ``invalid_request_error`` (401 / 404 where the real API uses them)
and the script queue is left untouched. Thinking signatures, redacted-thinking data and
compaction blocks are accepted back only if this server issued them (``issue_*`` methods mint
them for tests that start from pre-existing history).

Rules modelled on the real API that a client most easily breaks (each one's 400 message starts
with the path of the offending block, e.g. ``messages.3.content.0: ...``):

* **Thinking blocks are bound to what came before them.** A ``thinking`` or
  ``redacted_thinking`` block is accepted back only after exactly the prefix it was produced
  after: the ``tools``, the ``system`` prompt, every earlier message and the earlier blocks of
  its own assistant turn, compared as canonical JSON without ``cache_control`` (and without
  ``None`` values; a string content equals one text block, so ``"hi"`` and
  ``[{"type": "text", "text": "hi"}]`` are the same). The API reads nothing before the last
  ``compaction`` block, so the prefix restarts there (tools and system stay). Anything changed,
  added, moved or left out before a block that is sent back gives ``Invalid `signature` in
  `thinking` block. The block is bound to a different conversation: the system prompt, tools or
  messages before it have changed since it was produced, ...`` (``Invalid `data` in
  `redacted_thinking` block. ...`` for redacted thinking). Leaving thinking blocks out is
  allowed, as on the real API: only blocks that are sent are checked, but a block left out
  changes the prefix of every later block that is still sent. ``issue_thinking_signature`` /
  ``issue_redacted_thinking`` take ``before=`` (the request's ``{"system", "tools",
  "messages"}`` up to the block, or just its list of messages, ending with an assistant message
  holding the earlier blocks of the same turn if there are any); without it a block is bound by
  the first accepted ``/v1/messages`` request that sends it back.
* **Thinking blocks only when thinking is on.** A request whose ``thinking`` is absent or
  ``{"type": "disabled"}`` must not carry ``thinking`` / ``redacted_thinking`` blocks in its
  assistant turns: ``... `thinking` blocks can only be sent back when thinking is enabled, and
  in this request `thinking` is not set. ...``. The API documents no 400 for this case; its
  preserved-thinking guide says that a client whose requests turn thinking off must remove the
  thinking itself (``block_binding`` cannot be used then), and this fake enforces that, so a
  request that works here never depends on the API quietly dropping blocks.
* **Images.** The 5 MB limit is measured on the base64 text (``image exceeds 5 MB maximum:
  5333336 bytes > 5242880 bytes``), not on the decoded bytes. The pixel size is read from the
  PNG / JPEG / GIF / WebP header (an image whose size cannot be read: ``Could not process
  image``): at most 8000 px on either side (``...base64.data: At least one of the image
  dimensions exceed max allowed size: 8000 pixels``), and in a request with more than 20 images
  (URL images count) at most 2000 px for every image (``... for many-image requests: 2000
  pixels``). At most 100 images and documents per request, URL images included (``too many
  images and documents: 101 + 0 > 100``). Images inside ``tool_result`` content count too.

What the fake sends as the real API does:

* **Compaction usage.** A reply that serves a compaction block (``Reply(compaction=...)``) has
  ``usage.iterations`` in its final usage (the ``message_delta`` event, or the non-streaming
  Message; not ``message_start``, whose usage is provisional): a ``compaction`` entry, then a
  ``message`` entry. The compaction's tokens are billed but are NOT in the top-level usage
  fields, which equal the ``message`` entry. ``Reply(compaction_usage={...})`` sets the
  compaction entry's tokens.
* **Refusals.** ``Reply(stop_reason="refusal")`` sends ``stop_details`` ``{"type":
  "refusal", "category", "explanation"}`` in ``message_delta.delta`` (and in the Message; it is
  ``null`` for every other stop reason), set with ``refusal_category`` /
  ``refusal_explanation``. A refusal persists, as the API documents ("reset the context"): the
  server remembers the refused exchange, i.e. the request's last user turn and the refusal's
  text blocks, each as canonical JSON without ``cache_control`` (consecutive user messages are
  one turn, as the API merges them). Every later request whose history still holds the refused
  user turn (as a run of blocks inside a user turn) or the refused reply (inside an assistant
  turn) is refused again: ``stop_reason: "refusal"`` with the same ``stop_details`` and no
  content (``server.persisted_refusal_text`` sets a short text instead), until that exchange is
  removed or edited. Such a persisted refusal does NOT consume the queued script: the script
  answers the first request that is not refused. ``server.refusals_served`` lists every refusal
  sent (``ServedRefusal(request, persisted, category, explanation)``);
  ``server.forget_refusals()`` clears what was refused.

Scripts for ``POST /v1/messages`` (FIFO, see ``FakeAnthropicServer.enqueue``):

==================  ===========================================================================
Script              What the server does
==================  ===========================================================================
``Reply``           A normal answer: SSE (``message_start``, ``ping``, optional compaction /
                    thinking / redacted thinking blocks, text block, ``message_delta``,
                    ``message_stop``) for ``"stream": true``, else the Message JSON. Supports
                    chunking, per-delta delay and a ``gate`` that holds the reply after its
                    first text delta (to press *Stop* mid-reply in a GUI test). With
                    ``compaction``: ``usage.iterations`` (``compaction_usage`` sets its
                    compaction entry).
``ApiError``        An HTTP error response ``{"type": "error", "error": {...}, "request_id"}``.
``StreamError``     Starts a stream, sends ``after_text``, then an ``event: error`` and ends.
``CutStream``       Starts a stream, sends ``after_text``, then ends the body cleanly without
                    ``content_block_stop`` / ``message_delta`` / ``message_stop``.
``ResetStream``     Starts a stream, sends ``after_text``, then resets the TCP connection.
``Hang``            Sends nothing for ``seconds`` (or until ``close()`` / the client leaves),
                    then serves ``then`` or closes the connection without a response.
(queue empty)       ``Reply()``: text ``"Echo: " + <text of the last user message>``.
(refused before)    A request whose history still holds a refused exchange is refused again
                    without taking a script (see *Refusals* above).
==================  ===========================================================================

SDK retries: the SDK itself retries 408, 409, 429 and 5xx responses (and connection errors),
honouring ``retry-after`` / ``retry-after-ms`` and ``x-should-retry``. Tests of a single error
should build clients with ``max_retries=0`` (or enqueue one error per attempt).

Token counting is deliberately simple and deterministic: the prompt is split into units (each
tool, each system block, each message content block, in that order), each unit is serialised as
canonical JSON (sorted keys, no spaces, ``cache_control`` removed) plus a newline, and a prefix
of ``n`` characters counts as ``n // 4`` tokens. An image block counts as its pixels, as on the
real API, not as its base64 text: ``width * height / 750`` tokens after scaling its long edge
down to 1568 px (1600 for a URL / file image), i.e. ``4 * tokens`` characters.
``count_tokens`` returns that count for the whole prompt. Output tokens are
``max(1, (len(text) + len(thinking)) // 4)``.

Prompt caching is simulated per model: each cache breakpoint (block ``cache_control`` or the
top-level automatic ``cache_control``, which sits on the last block of the last message) whose
prefix is at least 1024 tokens is remembered with its TTL. A later request reads the longest
remembered prefix it starts with (up to its last breakpoint) as ``cache_read_input_tokens``; the
part newly covered by its breakpoints is ``cache_creation_input_tokens`` (split by TTL into
``cache_creation.ephemeral_5m_input_tokens`` / ``ephemeral_1h_input_tokens``); the rest is
``input_tokens``. A request without any breakpoint neither reads nor writes the cache.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import hmac
import json
import secrets
import select
import socket
import socketserver
import string
import struct
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from collections.abc import Iterator
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = [
    "CHARS_PER_TOKEN",
    "COMPACT_BETA",
    "CONTEXT_MANAGEMENT_BETA",
    "DEFAULT_API_KEY",
    "MIN_CACHEABLE_TOKENS",
    "ApiError",
    "Before",
    "CutStream",
    "FakeAnthropicServer",
    "Hang",
    "RecordedRequest",
    "Reply",
    "ResetStream",
    "ServedRefusal",
    "Script",
    "StreamError",
    "default_models",
    "tokens_for_chars",
]

DEFAULT_API_KEY = "sk-ant-test-key"
COMPACT_BETA = "compact-2026-01-12"
"""``anthropic-beta`` value that unlocks ``context_management`` compaction and compaction blocks."""
CONTEXT_MANAGEMENT_BETA = "context-management-2025-06-27"
"""``anthropic-beta`` value that unlocks the ``clear_*`` context management edits."""
CHARS_PER_TOKEN = 4
MIN_CACHEABLE_TOKENS = 1024
MAX_CACHE_BREAKPOINTS = 4
MAX_IMAGE_BYTES = 5 * 1024 * 1024
"""Largest image, measured like the API does: on the base64 text, not on the decoded bytes."""
MAX_IMAGE_SIDE = 8000
MANY_IMAGES = 20
"""A request with more images than this is a many-image request: every image at most ..."""
MANY_IMAGES_MAX_SIDE = 2000
MAX_MEDIA = 100
"""Most images + documents in one request (URL images count too)."""
TTL_SECONDS = {"5m": 300.0, "1h": 3600.0}
EFFORT_LEVELS = ("low", "medium", "high", "xhigh", "max")
IMAGE_MEDIA_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")

ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}
STATUS_ERROR = {status: kind for kind, status in ERROR_STATUS.items()}
ERROR_MESSAGE = {
    "invalid_request_error": "Invalid request",
    "authentication_error": "invalid x-api-key",
    "billing_error": "Your credit balance is too low to access the Anthropic API.",
    "permission_error": "Your API key does not have permission to use the specified resource.",
    "not_found_error": "Not found",
    "request_too_large": "Request exceeds the maximum allowed number of bytes.",
    "rate_limit_error": "Number of requests has exceeded your rate limit.",
    "api_error": "Internal server error",
    "timeout_error": "Request timed out",
    "overloaded_error": "Overloaded",
}

_ALNUM = string.ascii_letters + string.digits


def tokens_for_chars(n_chars: int) -> int:
    """The fake tokenizer: ``n_chars // 4`` (see the module docstring)."""
    return n_chars // CHARS_PER_TOKEN


def _rand_id(prefix: str, n: int = 22) -> str:
    return prefix + "".join(secrets.choice(_ALNUM) for _ in range(n))


# --------------------------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------------------------


@dataclass
class RecordedRequest:
    """One HTTP request as the server received it.

    ``path`` excludes the query string; ``query`` maps each parameter to its value (repeated
    parameters are joined with ``","``); ``headers`` has lower-case keys; ``body`` is the parsed
    JSON body, or ``None`` when there was none or it was not valid JSON (see ``raw_body``).
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict[str, Any] | None
    raw_body: bytes = b""
    received_at: float = 0.0


@dataclass
class Reply:
    """A normal answer.

    ``text=None`` echoes (``"Echo: " + last user text``). ``thinking`` adds a signed thinking
    block first (its signature is an HMAC the server can verify when the block is sent back);
    ``redacted_thinking`` adds a ``redacted_thinking`` block; ``compaction`` adds a signed
    beta ``compaction`` block (content = the given summary) before everything else.
    ``chunks`` splits text (and thinking) into that many deltas (default: every 8 characters);
    ``delay`` is slept between deltas; ``gate`` holds the reply after the first text delta until
    it is set (``at_gate`` is set while held). ``stop_sequence`` given with the default
    ``stop_reason`` makes the stop reason ``"stop_sequence"``. ``input_tokens`` /
    ``output_tokens`` override the computed usage. ``done`` is set once the server has finished
    with this script (however it ended); ``client_disconnected`` is set if the server saw the
    client go away mid-reply (e.g. a Stop button closing the stream).
    Thinking blocks are sent whenever ``thinking`` is given, whatever the request's ``thinking``
    setting, except that ``thinking.display == "omitted"`` sends an empty thinking text.

    With ``compaction`` the final usage (``message_delta`` usage, or the Message's) carries
    ``iterations``: a ``compaction`` entry, then a ``message`` entry equal to the top-level
    fields, which do not include the compaction's tokens. ``compaction_usage`` sets the
    compaction entry's ``input_tokens`` / ``output_tokens`` / ``cache_creation_input_tokens`` /
    ``cache_read_input_tokens`` (default: the whole prompt as input, the summary's length / 4
    as output, no cache).

    ``stop_reason="refusal"`` sends ``stop_details`` ``{"type": "refusal", "category":
    refusal_category, "explanation": refusal_explanation}`` (both ``None`` by default, as for a
    refusal that maps to no named category) in ``message_delta.delta`` (or the Message), and
    makes the refusal persist (see ``FakeAnthropicServer.refusals_served``).
    """

    def __post_init__(self) -> None:
        unknown = set(self.compaction_usage or {}) - set(_ITERATION_FIELDS)
        if unknown:
            raise TypeError(f"compaction_usage: unknown fields {sorted(unknown)}")
        if self.refusal_category not in REFUSAL_CATEGORIES:
            raise TypeError(f"refusal_category must be one of {REFUSAL_CATEGORIES}")

    text: str | None = None
    thinking: str | None = None
    stop_reason: str = "end_turn"
    chunks: int | None = None
    delay: float = 0.0
    gate: threading.Event | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    stop_sequence: str | None = None
    redacted_thinking: bool = False
    compaction: str | None = None
    compaction_usage: dict[str, Any] | None = None
    refusal_category: str | None = None
    refusal_explanation: str | None = None
    at_gate: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)
    done: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)
    client_disconnected: threading.Event = field(
        default_factory=threading.Event, repr=False, compare=False
    )


_ITERATION_FIELDS = ("input_tokens", "output_tokens", "cache_creation_input_tokens",
                     "cache_read_input_tokens")
REFUSAL_CATEGORIES = (None, "cyber", "bio", "frontier_llm", "reasoning_extraction",
                      "general_harms")


@dataclass
class ServedRefusal:
    """A reply with ``stop_reason: "refusal"`` that the server sent (``refusals_served``).

    ``persisted`` is true when the request was refused only because its history still held an
    exchange refused before (no script was used for it); ``request`` is the request answered.
    """

    request: RecordedRequest | None
    persisted: bool
    category: str | None = None
    explanation: str | None = None


@dataclass
class _RefusedExchange:
    user: list[str]    # the refused user turn: digest of each block
    reply: list[str]   # the refused reply's text blocks: digest of each
    category: str | None
    explanation: str | None


@dataclass
class ApiError:
    """An HTTP error response with the real API's error body and a ``request-id`` header.

    ``type`` defaults from ``status`` (429 -> ``rate_limit_error``, 529 -> ``overloaded_error``,
    500 -> ``api_error`` ...), ``message`` from ``type``. ``headers`` are added to the response
    (e.g. ``{"retry-after": "1"}`` or ``{"x-should-retry": "false"}``). Remember the SDK
    retries 408/409/429/5xx itself unless ``max_retries=0``.
    """

    status: int = 429
    type: str | None = None
    message: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    done: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)

    @property
    def error_type(self) -> str:
        """The ``error.type`` sent in the body."""
        if self.type is not None:
            return self.type
        return STATUS_ERROR.get(self.status, "api_error" if self.status >= 500 else
                                "invalid_request_error")

    @property
    def error_message(self) -> str:
        """The ``error.message`` sent in the body."""
        return self.message if self.message is not None else ERROR_MESSAGE.get(
            self.error_type, "Error")


@dataclass
class StreamError:
    """Start a normal stream, send ``after_text`` as text deltas, then ``event: error`` with
    ``{"type": "error", "error": {"type": type, "message": message}}`` and end the response.

    A non-streaming request gets the same error as an HTTP error status instead.
    """

    after_text: str = "partial"
    type: str = "overloaded_error"
    message: str = "Overloaded"
    chunks: int | None = None
    delay: float = 0.0
    done: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)
    client_disconnected: threading.Event = field(
        default_factory=threading.Event, repr=False, compare=False
    )


@dataclass
class CutStream:
    """Start a normal stream, send ``after_text``, then end the body cleanly (terminating chunk)
    without ``content_block_stop`` / ``message_delta`` / ``message_stop``.

    A non-streaming request gets a body shorter than its ``Content-Length`` and a closed
    connection.
    """

    after_text: str = "partial"
    chunks: int | None = None
    delay: float = 0.0
    done: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)
    client_disconnected: threading.Event = field(
        default_factory=threading.Event, repr=False, compare=False
    )


@dataclass
class ResetStream:
    """Start a normal stream, send ``after_text``, then abort the TCP connection (SO_LINGER 0
    and close, i.e. an RST). A non-streaming request gets part of the body and then the RST."""

    after_text: str = "partial"
    chunks: int | None = None
    delay: float = 0.0
    done: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)
    client_disconnected: threading.Event = field(
        default_factory=threading.Event, repr=False, compare=False
    )


@dataclass
class Hang:
    """Accept the request and send nothing for ``seconds`` (ended early by ``close()`` or by the
    client closing the connection). Afterwards serve ``then`` if given (e.g. a ``Reply`` to
    simulate a slow first byte), otherwise close the connection without any response."""

    seconds: float = 60.0
    then: Script | None = None
    done: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)
    client_disconnected: threading.Event = field(
        default_factory=threading.Event, repr=False, compare=False
    )


Script = Reply | ApiError | StreamError | CutStream | ResetStream | Hang
Before = dict[str, Any] | list[Any]
"""What came before an issued thinking block (see ``issue_thinking_signature``)."""
_SCRIPT_TYPES = (Reply, ApiError, StreamError, CutStream, ResetStream, Hang)


# --------------------------------------------------------------------------------------------
# Default models
# --------------------------------------------------------------------------------------------


def _sup(flag: bool) -> dict[str, bool]:
    return {"supported": flag}


def _capabilities(
    *,
    adaptive: bool,
    enabled: bool,
    between_tools: bool,
    effort: tuple[str, ...],
    compact: bool,
) -> dict[str, Any]:
    return {
        "batch": _sup(True),
        "citations": _sup(True),
        "code_execution": _sup(True),
        "context_management": {
            "supported": True,
            "clear_thinking_20251015": _sup(True),
            "clear_tool_uses_20250919": _sup(True),
            "compact_20260112": _sup(compact),
        },
        "effort": {
            "supported": bool(effort),
            "low": _sup("low" in effort),
            "medium": _sup("medium" in effort),
            "high": _sup("high" in effort),
            "max": _sup("max" in effort),
            "xhigh": _sup("xhigh" in effort),
        },
        "image_input": _sup(True),
        "pdf_input": _sup(True),
        "server_tools": {
            "supported": True,
            "code_execution": _sup(True),
            "web_search": _sup(True),
        },
        "structured_outputs": _sup(True),
        "thinking": {
            "supported": adaptive or enabled or between_tools,
            "types": {
                "adaptive": _sup(adaptive),
                "between_tools": _sup(between_tools),
                "disabled": _sup(True),
                "enabled": _sup(enabled),
            },
        },
    }


def default_models() -> list[dict[str, Any]]:
    """Fresh ModelInfo dicts (the shape of ``anthropic.types.ModelInfo``), newest first.

    ``claude-opus-4-7`` (adaptive thinking only, effort low..max incl. xhigh, compaction,
    1M input, 128000 max_tokens), ``claude-sonnet-4-6`` (adaptive + budget thinking, effort
    low/medium/high/max, compaction, 64000), ``claude-haiku-4-5`` (budget thinking only, no
    effort, no compaction, 64000) and the deprecated ``claude-opus-4-1`` (budget thinking only,
    32000).
    """
    return [
        {
            "id": "claude-opus-4-7",
            "type": "model",
            "display_name": "Claude Opus 4.7",
            "created_at": "2026-04-16T00:00:00Z",
            "lifecycle": "active",
            "deprecated_at": None,
            "retires_at": None,
            "line": "opus",
            "max_input_tokens": 1_000_000,
            "max_tokens": 128_000,
            "capabilities": _capabilities(
                adaptive=True, enabled=False, between_tools=True,
                effort=("low", "medium", "high", "xhigh", "max"), compact=True,
            ),
        },
        {
            "id": "claude-sonnet-4-6",
            "type": "model",
            "display_name": "Claude Sonnet 4.6",
            "created_at": "2026-02-17T00:00:00Z",
            "lifecycle": "active",
            "deprecated_at": None,
            "retires_at": None,
            "line": "sonnet",
            "max_input_tokens": 1_000_000,
            "max_tokens": 64_000,
            "capabilities": _capabilities(
                adaptive=True, enabled=True, between_tools=False,
                effort=("low", "medium", "high", "max"), compact=True,
            ),
        },
        {
            "id": "claude-haiku-4-5",
            "type": "model",
            "display_name": "Claude Haiku 4.5",
            "created_at": "2025-10-15T00:00:00Z",
            "lifecycle": "active",
            "deprecated_at": None,
            "retires_at": None,
            "line": "haiku",
            "max_input_tokens": 200_000,
            "max_tokens": 64_000,
            "capabilities": _capabilities(
                adaptive=False, enabled=True, between_tools=False, effort=(), compact=False,
            ),
        },
        {
            "id": "claude-opus-4-1",
            "type": "model",
            "display_name": "Claude Opus 4.1",
            "created_at": "2025-08-05T00:00:00Z",
            "lifecycle": "deprecated",
            "deprecated_at": "2026-03-01T00:00:00Z",
            "retires_at": "2026-12-01T00:00:00Z",
            "line": "opus",
            "max_input_tokens": 200_000,
            "max_tokens": 32_000,
            "capabilities": _capabilities(
                adaptive=False, enabled=True, between_tools=False, effort=(), compact=False,
            ),
        },
    ]


# --------------------------------------------------------------------------------------------
# Internals
# --------------------------------------------------------------------------------------------


class _ApiFailure(Exception):
    """Raised by validation: becomes an error response."""

    def __init__(
        self,
        status: int,
        type_: str,
        message: str,
        *,
        error_code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = type_
        self.message = message
        self.error_code = error_code
        self.headers = headers or {}


def _invalid(message: str, error_code: str | None = None) -> _ApiFailure:
    return _ApiFailure(400, "invalid_request_error", message, error_code=error_code)


class _Abort(Exception):
    """The exchange cannot continue (server closing or client gone)."""


_MESSAGE_FIELDS = frozenset({
    "model", "messages", "max_tokens", "stream", "system", "thinking", "output_config",
    "cache_control", "metadata", "stop_sequences", "tool_choice", "tools", "service_tier",
    "speed", "container", "diagnostics", "inference_geo", "context_management", "compaction",
    "mcp_servers", "billing_policy", "fallback_credit_token", "fallbacks", "thread",
})
_COUNT_FIELDS = frozenset({
    "model", "messages", "system", "thinking", "output_config", "cache_control", "tool_choice",
    "tools", "speed", "context_management", "compaction", "mcp_servers", "billing_policy",
})
_BETA_ONLY_FIELDS = {
    "context_management": (COMPACT_BETA, CONTEXT_MANAGEMENT_BETA),
    "compaction": ("compact-2026-09-04",),
}
_BLOCK_KEYS: dict[str, frozenset[str]] = {
    "text": frozenset({"type", "text", "cache_control", "citations"}),
    "image": frozenset({"type", "source", "cache_control", "transformations"}),
    "document": frozenset({"type", "source", "cache_control", "citations", "context", "title"}),
    "thinking": frozenset({"type", "thinking", "signature"}),
    "redacted_thinking": frozenset({"type", "data"}),
    "tool_use": frozenset({"type", "id", "name", "input", "cache_control", "caller",
                           "toolset_name"}),
    "tool_result": frozenset({"type", "tool_use_id", "content", "is_error", "cache_control",
                              "toolset_name"}),
    "compaction": frozenset({"type", "content", "encrypted_content", "signature", "tool_changes",
                             "cache_control"}),
}
# Other block types the API knows; accepted without deep validation.
_LOOSE_BLOCK_TYPES = frozenset({
    "search_result", "server_tool_use", "web_search_tool_result", "web_fetch_tool_result",
    "code_execution_tool_result", "bash_code_execution_tool_result",
    "text_editor_code_execution_tool_result", "tool_search_tool_result", "container_upload",
    "tool_reference", "mcp_tool_use", "mcp_tool_result",
})
_IMAGE_MAGIC: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}


def _sniff_image(data: bytes) -> str | None:
    for media_type, magics in _IMAGE_MAGIC.items():
        if any(data.startswith(m) for m in magics):
            return media_type
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _image_size(data: bytes, media_type: str) -> tuple[int, int] | None:
    """``(width, height)`` read from the image's header; ``None`` if it cannot be read or is
    empty (0 pixels)."""
    size: tuple[int, int] | None = None
    try:
        if media_type == "image/png":
            if data[12:16] == b"IHDR":
                size = struct.unpack(">II", data[16:24])
        elif media_type == "image/gif":
            size = struct.unpack("<HH", data[6:10])
        elif media_type == "image/webp":
            chunk = data[12:16]
            if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
                w, h = struct.unpack("<HH", data[26:30])
                size = (w & 0x3FFF, h & 0x3FFF)
            elif chunk == b"VP8L" and data[20:21] == b"\x2f":
                bits = int.from_bytes(data[21:25], "little")
                size = ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
            elif chunk == b"VP8X":
                size = (int.from_bytes(data[24:27], "little") + 1,
                        int.from_bytes(data[27:30], "little") + 1)
        elif media_type == "image/jpeg":
            size = _jpeg_size(data)
    except struct.error:
        return None
    if size is None or min(size) <= 0:
        return None
    return int(size[0]), int(size[1])


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The size in the first SOFn segment of a JPEG."""
    i, n = 2, len(data)
    while i < n:
        if data[i] != 0xFF:
            return None
        while i < n and data[i] == 0xFF:
            i += 1
        if i >= n:
            return None
        marker = data[i]
        i += 1
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            continue  # markers without a length
        if marker == 0xD9 or i + 2 > n:
            return None
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 3:i + 7])
            return width, height
        i += struct.unpack(">H", data[i:i + 2])[0]
    return None


IMAGE_MAX_EDGE = 1568
"""Images with a longer edge are scaled down by the API before they are tokenized."""
URL_IMAGE_TOKENS = 1600


def _image_tokens(source: Any) -> int:
    """What an image costs: ``width * height / 750`` after scaling the long edge down to 1568
    px (a URL / file image, whose size the fake cannot know, costs the maximum)."""
    size = None
    if isinstance(source, dict) and source.get("type") == "base64":
        text = source.get("data")
        media_type = source.get("media_type")
        if isinstance(text, str) and isinstance(media_type, str):
            for head in (text[:262_144], text):  # the header is near the start
                try:
                    size = _image_size(base64.b64decode(head[: len(head) // 4 * 4]), media_type)
                except (binascii.Error, ValueError):
                    size = None
                if size is not None or len(head) == len(text):
                    break
    if size is None:
        return URL_IMAGE_TOKENS
    scale = min(1.0, IMAGE_MAX_EDGE / max(size))
    return max(1, round(size[0] * scale * size[1] * scale / 750))


@dataclass
class _Media:
    """The images (where, pixel size or ``None`` for URL / file images) and documents of one
    request, for the per-request limits."""

    images: list[tuple[str, tuple[int, int] | None]] = field(default_factory=list)
    documents: int = 0

    def check(self) -> None:
        if len(self.images) + self.documents > MAX_MEDIA:
            raise _invalid(f"too many images and documents: {len(self.images)} + "
                           f"{self.documents} > {MAX_MEDIA}")
        if len(self.images) > MANY_IMAGES:
            for where, size in self.images:
                if size is not None and max(size) > MANY_IMAGES_MAX_SIDE:
                    raise _invalid(f"{where}.base64.data: At least one of the image dimensions "
                                   "exceed max allowed size for many-image requests: "
                                   f"{MANY_IMAGES_MAX_SIDE} pixels")


def _decode_b64(data: Any, where: str) -> bytes:
    if not isinstance(data, str) or not data:
        raise _invalid(f"{where}.data: Input should be a non-empty base64 string")
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise _invalid(f"{where}.data: invalid base64 data") from None


def _cap(model: dict[str, Any], *path: str) -> bool:
    """A capability flag of ``model``; a model without ``capabilities`` allows everything."""
    node: Any = model.get("capabilities")
    if node is None:
        return True
    for key in path:
        if not isinstance(node, dict) or node.get(key) is None:
            return False
        node = node[key]
    if isinstance(node, dict):
        return bool(node.get("supported"))
    return bool(node)


def _canon(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _without_cc(block: Any) -> Any:
    if isinstance(block, dict) and "cache_control" in block:
        return {k: v for k, v in block.items() if k != "cache_control"}
    return block


def _norm(obj: Any, top: bool = False) -> Any:
    """``obj`` without what does not change a prompt: ``cache_control`` and ``None`` values of
    content blocks (dicts with a ``type``; ``top`` for the outermost dict, e.g. a tool)."""
    if isinstance(obj, dict):
        strip = top or "type" in obj
        return {k: _norm(v) for k, v in obj.items()
                if not (strip and (k == "cache_control" or v is None))}
    if isinstance(obj, list):
        return [_norm(v) for v in obj]
    return obj


def _message_blocks(messages: Any) -> Iterator[tuple[int, int | None, str, Any]]:
    """``(message index, block index, role, block)`` for every content block of ``messages``;
    a string content is one text block (block index ``None``)."""
    for i, msg in enumerate(messages if isinstance(messages, list) else []):
        if not isinstance(msg, dict):
            continue
        role, content = msg.get("role"), msg.get("content")
        if isinstance(content, str):
            if content:
                yield i, None, str(role), {"type": "text", "text": content}
        elif isinstance(content, list):
            for j, block in enumerate(content):
                yield i, j, str(role), block


def _system_blocks(system: Any) -> list[Any]:
    if isinstance(system, str):
        return [{"type": "text", "text": system}] if system else []
    return list(system) if isinstance(system, list) else []


def _block_key(block: Any) -> str:
    return hashlib.sha256(_canon(_norm(block, top=True)).encode()).hexdigest()


def _turns(messages: Any) -> list[tuple[str, list[str]]]:
    """The conversation as turns (consecutive messages of one role merged, as the API does):
    ``(role, [digest of each block])``."""
    turns: list[tuple[str, list[str]]] = []
    for _i, _j, role, block in _message_blocks(messages):
        if turns and turns[-1][0] == role:
            turns[-1][1].append(_block_key(block))
        else:
            turns.append((role, [_block_key(block)]))
    return turns


def _contains(seq: list[str], part: list[str]) -> bool:
    n = len(part)
    return n > 0 and any(seq[k:k + n] == part for k in range(len(seq) - n + 1))


class _BindingPrefix:
    """A running digest of what comes before a thinking block: tools, system blocks, then the
    message blocks (role + block), each as canonical JSON without ``cache_control`` / ``None``
    values. A ``compaction`` block restarts the message part: the API reads nothing before the
    last compaction block (only tools and system stay)."""

    def __init__(self, tools: Any, system: Any) -> None:
        self._head = hashlib.sha256()
        for tool in tools if isinstance(tools, list) else []:
            self._head.update(_canon({"tool": _norm(tool, top=True)}).encode() + b"\n")
        for block in _system_blocks(system):
            self._head.update(_canon({"system": _norm(block, top=True)}).encode() + b"\n")
        self._hash = self._head.copy()

    def add(self, role: str, block: Any) -> None:
        if isinstance(block, dict) and block.get("type") == "compaction":
            self._hash = self._head.copy()
        self._hash.update(_canon({"role": role, "block": _norm(block, top=True)}).encode()
                          + b"\n")

    def digest(self) -> str:
        return self._hash.hexdigest()


def _split(text: str, chunks: int | None) -> list[str]:
    if not text:
        return []
    if chunks is None:
        return [text[i:i + 8] for i in range(0, len(text), 8)]
    n = max(1, min(chunks, len(text)))
    size, extra = divmod(len(text), n)
    out, pos = [], 0
    for i in range(n):
        end = pos + size + (1 if i < extra else 0)
        out.append(text[pos:end])
        pos = end
    return out


@dataclass
class _Prompt:
    """The prompt split into cacheable units (tools, system blocks, message blocks)."""

    cum_chars: list[int]            # prefix length in chars after unit i
    hashes: list[str]               # hash of the prefix through unit i
    breakpoints: list[tuple[int, str]]  # (unit index, ttl) in prompt order

    @property
    def total_tokens(self) -> int:
        return tokens_for_chars(self.cum_chars[-1]) if self.cum_chars else 0


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, fake: FakeAnthropicServer) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        # Skip HTTPServer.server_bind's getfqdn() (a possibly slow reverse DNS lookup).
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="fake-anthropic-conn",
            daemon=True,
        )
        self.fake._track_thread(thread)
        thread.start()

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # the peer went away; nothing to report
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-anthropic"
    sys_version = ""
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.fake._register_conn(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.fake._unregister_conn(self.connection)

    def handle(self) -> None:
        try:
            super().handle()
        except OSError:  # the peer went away
            self.close_connection = True
        except ValueError:
            if not self.wfile.closed:
                raise
            self.close_connection = True  # ResetStream closed the socket on purpose

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _dispatch(self) -> None:
        self.server.fake._handle(self)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch


class _Exchange:
    """Writing one response, with abort / disconnect / gate handling."""

    def __init__(self, fake: FakeAnthropicServer, handler: _Handler, script: Any) -> None:
        self.fake = fake
        self.h = handler
        self.script = script
        self.request_id = _rand_id("req_011C", 20)
        self.headers_sent = False
        self.request: RecordedRequest | None = None

    # -- low level ---------------------------------------------------------------------------
    def _mark_disconnected(self) -> None:
        ev = getattr(self.script, "client_disconnected", None)
        if ev is not None:
            ev.set()

    def write(self, data: bytes) -> None:
        if self.fake._closing.is_set():
            raise _Abort
        try:
            self.h.wfile.write(data)
        except OSError:
            self._mark_disconnected()
            raise _Abort from None

    def peer_closed(self) -> bool:
        sock = self.h.connection
        try:
            readable, _, _ = select.select([sock], [], [], 0)
            if not readable:
                return False
            data: bytes = sock.recv(1, socket.MSG_PEEK)
            return data == b""
        except (OSError, ValueError):
            return True

    def wait(self, seconds: float | None, gate: threading.Event | None = None) -> None:
        """Wait ``seconds`` (or, with ``gate``, until it is set); abort on close / client gone."""
        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            if gate is not None and gate.is_set():
                return
            if self.fake._closing.is_set():
                raise _Abort
            if self.peer_closed():
                self._mark_disconnected()
                raise _Abort
            step = 0.02
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                step = min(step, remaining)
            if gate is not None:
                gate.wait(step)
            else:
                self.fake._closing.wait(step)

    def abort(self) -> None:
        self.h.close_connection = True
        try:
            self.h.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def reset(self) -> None:
        """Abort the TCP connection with an RST, once the client has received everything
        written so far (closing with SO_LINGER 0 throws away what is still in the send queue,
        which is not what a connection dropped mid-reply does to words already delivered)."""
        self.h.close_connection = True
        sock = self.h.connection
        _wait_until_sent(sock)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        # The socket's fd only really closes once the handler's file objects are closed too.
        for f in (self.h.wfile, self.h.rfile):
            try:
                f.close()
            except OSError:
                pass
        sock.close()

    # -- HTTP --------------------------------------------------------------------------------
    def headers(self, status: int, content_type: str, extra: dict[str, str] | None = None,
                length: int | None = None) -> None:
        h = self.h
        self.headers_sent = True
        h.send_response(status)
        h.send_header("content-type", content_type)
        h.send_header("request-id", self.request_id)
        h.send_header("anthropic-organization-id", "00000000-0000-4000-8000-000000000000")
        if length is not None:
            h.send_header("content-length", str(length))
        else:
            h.send_header("transfer-encoding", "chunked")
            h.send_header("cache-control", "no-cache")
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        try:
            h.end_headers()
        except OSError:
            self._mark_disconnected()
            raise _Abort from None

    def json(self, status: int, obj: Any, extra: dict[str, str] | None = None) -> None:
        data = json.dumps(obj).encode()
        self.headers(status, "application/json", extra, length=len(data))
        self.write(data)

    def error(self, status: int, type_: str, message: str, *, error_code: str | None = None,
              extra: dict[str, str] | None = None) -> None:
        err: dict[str, Any] = {"type": type_, "message": message}
        if error_code is not None:
            err["details"] = {"error_code": error_code}
        self.json(status, {"type": "error", "error": err, "request_id": self.request_id}, extra)

    def start_sse(self) -> None:
        self.headers(200, "text/event-stream; charset=utf-8")

    def event(self, name: str, data: dict[str, Any]) -> None:
        payload = f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"
        raw = payload.encode()
        self.write(b"%x\r\n" % len(raw) + raw + b"\r\n")

    def end_sse(self) -> None:
        self.write(b"0\r\n\r\n")


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


def _wait_until_sent(sock: socket.socket, limit: float = 2.0) -> None:
    """Wait (at most ``limit`` seconds) until the peer has acknowledged every byte sent."""
    try:
        import fcntl
        import termios
    except ImportError:  # not Linux/Unix: nothing to ask
        return
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            unacked = struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0" * 4))[0]
        except OSError:
            return
        if unacked == 0:
            return
        time.sleep(0.001)


class FakeAnthropicServer:
    """A fake Anthropic API on ``127.0.0.1`` for the real SDK (see the module docstring).

    ``models`` (settable) is what ``/v1/models`` serves and what requests are validated
    against; ``requests`` records every request in order; ``enqueue`` queues scripts for
    ``POST /v1/messages``. Use as a context manager or call ``start()`` / ``close()``.
    """

    def __init__(
        self,
        models: list[dict[str, Any]] | None = None,
        api_key: str | None = DEFAULT_API_KEY,
    ) -> None:
        self.models: list[dict[str, Any]] = default_models() if models is None else models
        self.api_key = api_key
        self.requests: list[RecordedRequest] = []
        self.base_url = ""
        self.connection_count = 0
        """How many TCP connections have been accepted (keep-alive reuses one)."""
        self._lock = threading.RLock()
        self._queue: list[Any] = []
        self._secret = secrets.token_bytes(32)
        # issued thinking signatures / redacted-thinking data -> digest of the prefix they are
        # bound to (None: bound by the first accepted request that sends them back)
        self._signatures: dict[str, str | None] = {}
        self._redacted: dict[str, str | None] = {}
        self._compactions: dict[str, str] = {}   # signature -> content
        self._cache: dict[str, dict[str, tuple[float, str]]] = {}  # model -> hash -> (expiry,ttl)
        self._closing = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._serve_thread: threading.Thread | None = None
        self._threads: list[threading.Thread] = []
        self._conns: set[socket.socket] = set()
        self._closed = False
        self._new_request = threading.Condition(self._lock)
        self.models_gate: threading.Event | None = None
        """When set to an unset Event, ``GET /v1/models`` waits for it (a slow first answer)."""
        self._refused: list[_RefusedExchange] = []
        self.refusals_served: list[ServedRefusal] = []
        """Every refusal sent, in order: scripted ones and persisted ones (see ``Reply``)."""
        self.persisted_refusal_text = ""
        """The text of a persisted refusal (empty: a reply with no content block at all)."""

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> Self:
        """Bind an ephemeral port and serve in a daemon thread; returns ``self``."""
        if self._closed:
            raise RuntimeError("FakeAnthropicServer cannot be restarted after close()")
        if self._httpd is not None:
            return self
        self._httpd = _HTTPServer(self)
        port = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{port}"
        self._serve_thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
            name="fake-anthropic-server", daemon=True,
        )
        self._serve_thread.start()
        return self

    def serve_until_interrupted(self) -> None:
        """For scripts: print the base URL (the caller reads it), serve until Ctrl+C or
        SIGINT, then close."""
        print(self.base_url, flush=True)
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            self.close()

    def close(self) -> None:
        """Stop serving. Never hangs: held gates / hangs / delays are released (the held
        responses are aborted), open connections are shut down, threads joined with a timeout.
        """
        if self._closed:
            return
        self._closed = True
        self._closing.set()
        httpd = self._httpd
        if httpd is not None:
            if self._serve_thread is not None and self._serve_thread.is_alive():
                httpd.shutdown()
            httpd.server_close()
        with self._lock:
            conns = list(self._conns)
            threads = list(self._threads)
        for sock in conns:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.monotonic() + 3.0
        if self._serve_thread is not None:
            self._serve_thread.join(max(0.0, deadline - time.monotonic()))
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- scripting ---------------------------------------------------------------------------
    def enqueue(self, *scripts: Script) -> None:
        """Queue the next responses for ``POST /v1/messages`` (first in, first out).

        A request that fails validation (or auth) does not consume a script.
        """
        for s in scripts:
            if not isinstance(s, _SCRIPT_TYPES):
                raise TypeError(f"not a script: {s!r}")
        with self._lock:
            self._queue.extend(scripts)

    @property
    def pending(self) -> int:
        """How many enqueued scripts have not been used yet."""
        with self._lock:
            return len(self._queue)

    def clear_queue(self) -> None:
        """Drop every enqueued script."""
        with self._lock:
            self._queue.clear()

    def message_requests(self) -> list[RecordedRequest]:
        """The ``POST /v1/messages`` requests received (valid or not), in order."""
        with self._lock:
            return [r for r in self.requests
                    if r.method == "POST" and r.path == "/v1/messages"]

    def wait_for_requests(self, n: int, timeout: float = 5.0,
                          path: str | None = "/v1/messages") -> list[RecordedRequest]:
        """Block until ``n`` requests (to ``path``; ``None`` = any) were received, then return
        them. Raises ``TimeoutError`` if that takes longer than ``timeout`` seconds."""
        def matching() -> list[RecordedRequest]:
            return [r for r in self.requests if path is None or r.path == path]

        with self._new_request:
            if not self._new_request.wait_for(lambda: len(matching()) >= n, timeout):
                raise TimeoutError(f"got {len(matching())} of {n} requests to {path}")
            return matching()

    # -- issued opaque values (for tests that need pre-existing history) ----------------------
    def issue_thinking_signature(self, thinking: str, *, before: Before | None = None) -> str:
        """Sign ``thinking`` as if this server had produced the block (the signature is
        ``base64(nonce + HMAC-SHA256(secret, nonce + thinking))``).

        ``before`` is what came before the block when it was produced, in request shape:
        ``{"system": ..., "tools": [...], "messages": [...]}`` (each key optional) or just the
        list of messages. The messages are every earlier message and, if the block is not the
        first of its assistant turn, a last ``{"role": "assistant", "content": [...]}`` with the
        blocks before it. The block is then accepted back only after exactly that prefix (see
        the module docstring). Without ``before`` the block is bound to the prefix of the first
        accepted ``/v1/messages`` request that sends it back.
        """
        return self._mint_signature(thinking, self._digest_before(before))

    def _mint_signature(self, thinking: str, binding: str | None) -> str:
        nonce = secrets.token_bytes(16)
        mac = hmac.new(self._secret, nonce + thinking.encode(), hashlib.sha256).digest()
        sig = base64.b64encode(nonce + mac).decode()
        with self._lock:
            self._signatures[sig] = binding
        return sig

    @staticmethod
    def _digest_before(before: Before | None) -> str | None:
        if before is None:
            return None
        if isinstance(before, list):
            before = {"messages": before}
        if not isinstance(before, dict) or set(before) - {"system", "tools", "messages"}:
            raise TypeError("before= takes a list of messages or a dict with 'system', "
                            f"'tools' and 'messages': {before!r}")
        prefix = _BindingPrefix(before.get("tools"), before.get("system"))
        for _i, _j, role, block in _message_blocks(before.get("messages") or []):
            prefix.add(role, block)
        return prefix.digest()

    def _signature_ok(self, thinking: str, sig: str) -> bool:
        with self._lock:
            if sig not in self._signatures:
                return False
        raw = base64.b64decode(sig)
        nonce, mac = raw[:16], raw[16:]
        expected = hmac.new(self._secret, nonce + thinking.encode(), hashlib.sha256).digest()
        return hmac.compare_digest(mac, expected)

    def issue_redacted_thinking(self, *, before: Before | None = None) -> str:
        """A new opaque ``redacted_thinking.data`` value this server will accept back, bound to
        ``before`` like ``issue_thinking_signature``."""
        return self._mint_redacted(self._digest_before(before))

    def _mint_redacted(self, binding: str | None) -> str:
        data = base64.b64encode(b"\x12\x0c" + secrets.token_bytes(62)).decode()
        with self._lock:
            self._redacted[data] = binding
        return data

    def issue_compaction(self, content: str) -> dict[str, Any]:
        """A signed ``compaction`` block for ``content`` that this server will accept back."""
        sig = base64.b64encode(
            hmac.new(self._secret, b"compaction:" + content.encode(), hashlib.sha256).digest()
            + secrets.token_bytes(8)
        ).decode()
        with self._lock:
            self._compactions[sig] = content
        return {"type": "compaction", "content": content, "signature": sig}

    # -- cache -------------------------------------------------------------------------------
    def reset_cache(self) -> None:
        """Forget every cached prefix (as if all entries had expired)."""
        with self._lock:
            self._cache.clear()

    # -- connection tracking (internal) ------------------------------------------------------
    def _track_thread(self, thread: threading.Thread) -> None:
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
            self.connection_count += 1

    def _register_conn(self, sock: socket.socket) -> None:
        with self._lock:
            self._conns.add(sock)

    def _unregister_conn(self, sock: socket.socket) -> None:
        with self._lock:
            self._conns.discard(sock)

    # -- request handling --------------------------------------------------------------------
    def _read_body(self, h: _Handler) -> bytes:
        if "chunked" in (h.headers.get("transfer-encoding") or "").lower():
            parts = []
            while True:
                size = int(h.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while h.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                parts.append(h.rfile.read(size))
                h.rfile.readline()
            return b"".join(parts)
        length = int(h.headers.get("content-length") or 0)
        return h.rfile.read(length) if length > 0 else b""

    def _handle(self, h: _Handler) -> None:
        split = urlsplit(h.path)
        query: dict[str, str] = {}
        for k, v in parse_qsl(split.query, keep_blank_values=True):
            query[k] = f"{query[k]},{v}" if k in query else v
        headers = {k.lower(): v for k, v in h.headers.items()}
        raw = self._read_body(h)
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        rec = RecordedRequest(
            method=h.command, path=split.path, query=query, headers=headers,
            body=body if isinstance(body, dict) else None, raw_body=raw, received_at=time.time(),
        )
        with self._new_request:
            self.requests.append(rec)
            self._new_request.notify_all()
        ex = _Exchange(self, h, None)
        try:
            try:
                self._route(ex, rec)
            except _ApiFailure as f:
                ex.error(f.status, f.type, f.message, error_code=f.error_code, extra=f.headers)
            except _Abort:
                raise  # the client left or the server is closing: not a bug of this fake
            except Exception as exc:  # a bug in this fake: make it visible to the test
                traceback.print_exc()
                if ex.headers_sent:
                    raise _Abort from exc
                ex.error(500, "api_error", f"fake_api internal error: {exc!r}",
                         extra={"x-should-retry": "false"})
        except _Abort:
            ex.abort()

    def _route(self, ex: _Exchange, rec: RecordedRequest) -> None:
        path = rec.path.rstrip("/")
        if path == "/v1/messages" and rec.method == "POST":
            self._check_headers(rec)
            body, model = self._validate(rec, count_tokens=False)
            self._serve_message(ex, rec, body, model)
        elif path == "/v1/messages/count_tokens" and rec.method == "POST":
            self._check_headers(rec)
            body, model = self._validate(rec, count_tokens=True)
            ex.json(200, {"input_tokens": self._prompt(body).total_tokens})
        elif path == "/v1/models" and rec.method == "GET":
            self._check_headers(rec)
            if self.models_gate is not None:
                ex.wait(None, self.models_gate)
            ex.json(200, self._list_models(rec.query))
        elif path.startswith("/v1/models/") and rec.method == "GET":
            self._check_headers(rec)
            model_id = unquote(path[len("/v1/models/"):])
            found = self._find_model(model_id)
            if found is None:
                raise _ApiFailure(404, "not_found_error", f"model: {model_id}")
            ex.json(200, found)
        else:
            raise _ApiFailure(404, "not_found_error", "Not Found")

    def _check_headers(self, rec: RecordedRequest) -> None:
        if self.api_key is not None:
            # SDK 2.x sends the key as ``Authorization: Bearer <key>``; older clients (and curl
            # examples) use ``x-api-key``. Accept either, like the real API.
            key = rec.headers.get("x-api-key")
            auth = rec.headers.get("authorization", "")
            if key is None and auth.lower().startswith("bearer "):
                key = auth[len("bearer "):].strip()
            if key is None:
                raise _ApiFailure(401, "authentication_error", "x-api-key header is required")
            if not hmac.compare_digest(key.encode(), self.api_key.encode()):
                raise _ApiFailure(401, "authentication_error", "invalid x-api-key")
        if not rec.headers.get("anthropic-version"):
            raise _invalid("anthropic-version: header is required")

    # -- models ------------------------------------------------------------------------------
    def _sorted_models(self) -> list[dict[str, Any]]:
        models = list(self.models)
        return sorted(models, key=lambda m: str(m.get("created_at", "")), reverse=True)

    def _find_model(self, model_id: str) -> dict[str, Any] | None:
        for m in list(self.models):
            if m.get("id") == model_id:
                return m
        return None

    def _list_models(self, query: dict[str, str]) -> dict[str, Any]:
        try:
            limit = int(query.get("limit", "20"))
        except ValueError:
            raise _invalid("limit: Input should be a valid integer") from None
        if limit < 1:
            raise _invalid("limit: Input should be greater than or equal to 1")
        if limit > 1000:
            raise _invalid("limit: Input should be less than or equal to 1000")
        wanted_raw = query.get("lifecycle[]") or query.get("lifecycle")
        wanted = set(wanted_raw.split(",")) if wanted_raw else {"active", "deprecated"}
        models = [m for m in self._sorted_models() if m.get("lifecycle", "active") in wanted]
        ids = [m["id"] for m in models]
        after, before = query.get("after_id"), query.get("before_id")
        if after is not None:
            if after not in ids:
                page, has_more = [], False
            else:
                start = ids.index(after) + 1
                page, has_more = models[start:start + limit], start + limit < len(models)
        elif before is not None:
            if before not in ids:
                page, has_more = [], False
            else:
                end = ids.index(before)
                start = max(0, end - limit)
                page, has_more = models[start:end], start > 0
        else:
            page, has_more = models[:limit], limit < len(models)
        return {
            "data": copy.deepcopy(page),
            "has_more": has_more,
            "first_id": page[0]["id"] if page else None,
            "last_id": page[-1]["id"] if page else None,
        }

    # -- validation --------------------------------------------------------------------------
    def _betas(self, rec: RecordedRequest) -> set[str]:
        raw = rec.headers.get("anthropic-beta", "")
        return {b.strip() for b in raw.split(",") if b.strip()}

    def _validate(self, rec: RecordedRequest,
                  count_tokens: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        body = rec.body
        if body is None:
            raise _invalid("There was an error parsing the body of your request: "
                           "expected a JSON object")
        allowed = _COUNT_FIELDS if count_tokens else _MESSAGE_FIELDS
        for key in body:
            if key not in allowed:
                raise _invalid(f"{key}: Extra inputs are not permitted")
        required = ("model", "messages") if count_tokens else ("model", "max_tokens", "messages")
        for key in required:
            if key not in body:
                raise _invalid(f"{key}: Field required")
        betas = self._betas(rec)
        for key, needed in _BETA_ONLY_FIELDS.items():
            if key in body and not betas.intersection(needed):
                raise _invalid(f"{key}: Extra inputs are not permitted (this field requires the "
                               f"`anthropic-beta: {needed[0]}` header)")
        model_id = body["model"]
        if not isinstance(model_id, str) or not model_id:
            raise _invalid("model: Input should be a valid string")
        model = self._find_model(model_id)
        if model is None or model.get("lifecycle") == "retired":
            raise _ApiFailure(404, "not_found_error", f"model: {model_id}")

        if not count_tokens:
            max_tokens = body["max_tokens"]
            if not isinstance(max_tokens, int) or isinstance(max_tokens, bool):
                raise _invalid("max_tokens: Input should be a valid integer")
            if max_tokens < 1:
                raise _invalid("max_tokens: Input should be greater than or equal to 1")
            limit = model.get("max_tokens")
            if isinstance(limit, int) and max_tokens > limit:
                raise _invalid(f"max_tokens: {max_tokens} > {limit}, which is the maximum "
                               f"allowed number of output tokens for {model_id}")
            if "stream" in body and not isinstance(body["stream"], bool):
                raise _invalid("stream: Input should be a valid boolean")
        self._validate_system(body.get("system"))
        self._validate_messages(body["messages"], model, betas)
        self._validate_thinking(body, model, count_tokens)
        first_binds = self._validate_thinking_blocks(body)
        self._validate_output_config(body.get("output_config"), model)
        self._validate_cache_control(body)
        self._validate_context_management(body.get("context_management"), model, betas)
        limit_in = model.get("max_input_tokens")
        total = self._prompt(body).total_tokens
        if isinstance(limit_in, int) and total > limit_in:
            raise _invalid(f"prompt is too long: {total} tokens > {limit_in} maximum")
        if not count_tokens:
            with self._lock:  # blocks issued without ``before=``: bound by their first use
                for table, key, digest in first_binds:
                    if table.get(key, "") is None:
                        table[key] = digest
        return body, model

    def _validate_system(self, system: Any) -> None:
        if system is None:
            return
        if isinstance(system, str):
            return
        if not isinstance(system, list):
            raise _invalid("system: Input should be a valid string or a list of text blocks")
        for i, block in enumerate(system):
            where = f"system.{i}"
            if not isinstance(block, dict) or block.get("type") != "text":
                raise _invalid(f"{where}.type: Input should be 'text'")
            self._validate_block(block, where, "system", {})

    def _validate_messages(self, messages: Any, model: dict[str, Any], betas: set[str]) -> None:
        if not isinstance(messages, list):
            raise _invalid("messages: Input should be a valid list")
        if not messages:
            raise _invalid("messages: at least one message is required")
        prev_tool_uses: set[str] = set()
        media = _Media()
        for i, msg in enumerate(messages):
            where = f"messages.{i}"
            if not isinstance(msg, dict):
                raise _invalid(f"{where}: Input should be a valid dictionary")
            for key in msg:
                if key not in ("role", "content"):
                    raise _invalid(f"{where}.{key}: Extra inputs are not permitted")
            role = msg.get("role")
            if role not in ("user", "assistant"):
                raise _invalid(f"{where}.role: Input should be 'user' or 'assistant'")
            if "content" not in msg:
                raise _invalid(f"{where}.content: Field required")
            content = msg["content"]
            is_final = i == len(messages) - 1
            if i == 0 and role != "user":
                raise _invalid('messages: first message must use the "user" role')
            if isinstance(content, str):
                if not content and not (is_final and role == "assistant"):
                    raise _invalid(f"{where}: all messages must have non-empty content except "
                                   "for the optional final assistant message")
                blocks: list[Any] = [{"type": "text", "text": content}] if content else []
            elif isinstance(content, list):
                if not content and not (is_final and role == "assistant"):
                    raise _invalid(f"{where}: all messages must have non-empty content except "
                                   "for the optional final assistant message")
                blocks = content
                ctx = {"betas": betas, "model": model, "media": media}
                for j, block in enumerate(content):
                    self._validate_block(block, f"{where}.content.{j}", role, ctx)
            else:
                raise _invalid(f"{where}.content: Input should be a valid string or list")
            # tool_use / tool_result pairing
            tool_results = {b.get("tool_use_id") for b in blocks
                            if isinstance(b, dict) and b.get("type") == "tool_result"}
            if role == "user":
                unexpected = sorted(str(t) for t in tool_results - prev_tool_uses)
                if unexpected:
                    raise _invalid(
                        f"{where}.content: unexpected `tool_use_id` found in `tool_result` "
                        f"blocks: {', '.join(unexpected)}. Each `tool_result` block must have a "
                        "corresponding `tool_use` block in the previous message.")
                missing = sorted(prev_tool_uses - tool_results)
                if missing:
                    raise _invalid(
                        f"messages.{i - 1}: `tool_use` ids were found without `tool_result` "
                        f"blocks immediately after: {', '.join(missing)}. Each `tool_use` block "
                        "must have a corresponding `tool_result` block in the next message.")
                prev_tool_uses = set()
            else:
                if prev_tool_uses:
                    raise _invalid(
                        f"messages.{i - 1}: `tool_use` ids were found without `tool_result` "
                        f"blocks immediately after: {', '.join(sorted(prev_tool_uses))}.")
                prev_tool_uses = {str(b.get("id")) for b in blocks
                                  if isinstance(b, dict) and b.get("type") == "tool_use"}
            if is_final and role == "assistant" and blocks:
                last = blocks[-1]
                if (isinstance(last, dict) and last.get("type") == "text"
                        and isinstance(last.get("text"), str)
                        and last["text"] != last["text"].rstrip()):
                    raise _invalid("messages: final assistant content cannot end with trailing "
                                   "whitespace")
        media.check()

    def _validate_cc(self, cc: Any, where: str) -> None:
        if cc is None:
            return
        if not isinstance(cc, dict) or cc.get("type") != "ephemeral":
            raise _invalid(f"{where}.cache_control.type: Input should be 'ephemeral'")
        for key in cc:
            if key not in ("type", "ttl"):
                raise _invalid(f"{where}.cache_control.{key}: Extra inputs are not permitted")
        if "ttl" in cc and cc["ttl"] not in ("5m", "1h"):
            raise _invalid(f"{where}.cache_control.ttl: Input should be '5m' or '1h'")

    def _validate_block(self, block: Any, where: str, role: str, ctx: dict[str, Any]) -> None:
        if not isinstance(block, dict):
            raise _invalid(f"{where}: Input should be a valid dictionary")
        kind = block.get("type")
        if kind in _LOOSE_BLOCK_TYPES:
            return
        if kind not in _BLOCK_KEYS:
            raise _invalid(f"{where}: Input tag '{kind}' found using 'type' does not match any "
                           "of the expected tags")
        for key in block:
            if key not in _BLOCK_KEYS[kind]:
                raise _invalid(f"{where}.{kind}.{key}: Extra inputs are not permitted")
        self._validate_cc(block.get("cache_control"), where)
        model = ctx.get("model") or {}
        if kind == "text":
            text = block.get("text")
            if not isinstance(text, str):
                raise _invalid(f"{where}.text.text: Field required")
            if not text:
                raise _invalid(f"{where}: text content blocks must be non-empty")
        elif kind == "image":
            if role != "user":
                raise _invalid(f"{where}: image blocks are only allowed in user messages")
            if not _cap(model, "image_input"):
                raise _invalid(f"{where}: this model does not support image input")
            self._validate_image(block, f"{where}.image.source", ctx)
        elif kind == "document":
            if role != "user":
                raise _invalid(f"{where}: document blocks are only allowed in user messages")
            if "media" in ctx:
                ctx["media"].documents += 1
            self._validate_document_source(block.get("source"), f"{where}.document.source",
                                           model)
        elif kind in ("thinking", "redacted_thinking"):
            if role != "assistant":
                raise _invalid(f"{where}: `{kind}` blocks are only allowed in assistant "
                               "messages")
            if kind == "thinking":
                thinking, sig = block.get("thinking"), block.get("signature")
                if not isinstance(thinking, str):
                    raise _invalid(f"{where}.thinking.thinking: Field required")
                if not isinstance(sig, str) or not sig:
                    raise _invalid(f"{where}.thinking.signature: Field required")
                if not self._signature_ok(thinking, sig):
                    raise _invalid(f"{where}: Invalid `signature` in `thinking` block")
            else:
                data = block.get("data")
                with self._lock:
                    ok = isinstance(data, str) and data in self._redacted
                if not ok:
                    raise _invalid(f"{where}: Invalid `data` in `redacted_thinking` block")
        elif kind == "tool_use":
            if role != "assistant":
                raise _invalid(f"{where}: tool_use blocks are only allowed in assistant messages")
            if not isinstance(block.get("id"), str) or not isinstance(block.get("name"), str):
                raise _invalid(f"{where}.tool_use: `id` and `name` are required")
            if not isinstance(block.get("input"), dict):
                raise _invalid(f"{where}.tool_use.input: Input should be a valid dictionary")
        elif kind == "tool_result":
            if role != "user":
                raise _invalid(f"{where}: tool_result blocks are only allowed in user messages")
            if not isinstance(block.get("tool_use_id"), str):
                raise _invalid(f"{where}.tool_result.tool_use_id: Field required")
            inner = block.get("content")
            for k, part in enumerate(inner if isinstance(inner, list) else []):
                if isinstance(part, dict) and part.get("type") == "image":
                    self._validate_image(part, f"{where}.tool_result.content.{k}.image.source",
                                         ctx)
                elif isinstance(part, dict) and part.get("type") == "document" and "media" in ctx:
                    ctx["media"].documents += 1
        elif kind == "compaction":
            betas = ctx.get("betas") or set()
            if COMPACT_BETA not in betas and "compact-2026-09-04" not in betas:
                raise _invalid(f"{where}: Input tag 'compaction' found using 'type' does not "
                               f"match any of the expected tags (requires the "
                               f"`anthropic-beta: {COMPACT_BETA}` header)")
            if "content" not in block:
                raise _invalid(f"{where}.compaction.content: Field required")
            content, sig = block.get("content"), block.get("signature")
            if not isinstance(content, str) or not content:
                raise _invalid(f"{where}.compaction.content: Input should be a non-empty string")
            with self._lock:
                issued = dict(self._compactions)
            if sig is None:
                if content not in issued.values():
                    raise _invalid(f"{where}: this `compaction` block was not issued by the API",
                                   "compaction_signature_invalid")
            elif sig not in issued:
                raise _invalid(f"{where}: the `compaction` block's `signature` does not verify",
                               "compaction_signature_invalid")
            elif issued[sig] != content:
                raise _invalid(f"{where}: the `compaction` block's `content` differs from the "
                               "text its `signature` recorded", "compaction_content_mismatch")

    def _validate_image(self, block: dict[str, Any], where: str, ctx: dict[str, Any]) -> None:
        size = self._validate_image_source(block.get("source"), where)
        if "media" in ctx:
            ctx["media"].images.append((where, size))

    def _validate_image_source(self, source: Any, where: str) -> tuple[int, int] | None:
        """Check one image source; returns its pixel size (``None`` for URL / file images)."""
        if not isinstance(source, dict):
            raise _invalid(f"{where}: Field required")
        kind = source.get("type")
        if kind == "base64":
            media_type = source.get("media_type")
            if media_type not in IMAGE_MEDIA_TYPES:
                raise _invalid(f"{where}.base64.media_type: Input should be 'image/jpeg', "
                               "'image/png', 'image/gif' or 'image/webp'")
            text = source.get("data")
            if isinstance(text, str) and len(text) > MAX_IMAGE_BYTES:
                raise _invalid(f"{where}.base64: image exceeds 5 MB maximum: {len(text)} bytes "
                               f"> {MAX_IMAGE_BYTES} bytes")
            data = _decode_b64(text, f"{where}.base64")
            actual = _sniff_image(data)
            if actual is None:
                raise _invalid(f"{where}.base64: Could not process image")
            if actual != media_type:
                raise _invalid(f"{where}.base64: Image does not match the provided media type "
                               f"{media_type} (it looks like {actual})")
            size = _image_size(data, actual)
            if size is None:
                raise _invalid(f"{where}.base64: Could not process image")
            if max(size) > MAX_IMAGE_SIDE:
                raise _invalid(f"{where}.base64.data: At least one of the image dimensions "
                               f"exceed max allowed size: {MAX_IMAGE_SIDE} pixels")
            return size
        if kind == "url":
            url = source.get("url")
            if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
                raise _invalid(f"{where}.url.url: must be an http(s) URL")
        elif kind == "file":
            if not isinstance(source.get("file_id"), str):
                raise _invalid(f"{where}.file.file_id: Field required")
        else:
            raise _invalid(f"{where}: Input tag '{kind}' found using 'type' does not match any "
                           "of the expected tags: 'base64', 'url', 'file'")
        return None

    def _validate_document_source(self, source: Any, where: str, model: dict[str, Any]) -> None:
        if not isinstance(source, dict):
            raise _invalid(f"{where}: Field required")
        kind = source.get("type")
        if kind == "base64":
            if source.get("media_type") != "application/pdf":
                raise _invalid(f"{where}.base64.media_type: Input should be 'application/pdf'")
            if not _cap(model, "pdf_input"):
                raise _invalid(f"{where}: this model does not support PDF input")
            data = _decode_b64(source.get("data"), f"{where}.base64")
            if not data.startswith(b"%PDF-"):
                raise _invalid(f"{where}.base64: The PDF specified was not valid.")
        elif kind == "url":
            url = source.get("url")
            if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
                raise _invalid(f"{where}.url.url: must be an http(s) URL")
        elif kind == "text":
            if source.get("media_type") != "text/plain" or not isinstance(source.get("data"), str):
                raise _invalid(f"{where}.text: media_type 'text/plain' and string data required")
        elif kind == "content":
            if not isinstance(source.get("content"), (str, list)):
                raise _invalid(f"{where}.content.content: Field required")
        elif kind == "file":
            if not isinstance(source.get("file_id"), str):
                raise _invalid(f"{where}.file.file_id: Field required")
        else:
            raise _invalid(f"{where}: Input tag '{kind}' found using 'type' does not match any "
                           "of the expected tags: 'base64', 'url', 'text', 'content', 'file'")

    def _validate_thinking(self, body: dict[str, Any], model: dict[str, Any],
                           count_tokens: bool) -> None:
        thinking = body.get("thinking")
        if thinking is None:
            return
        if not isinstance(thinking, dict):
            raise _invalid("thinking: Input should be a valid dictionary")
        kind = thinking.get("type")
        allowed_keys = {"enabled": {"type", "budget_tokens", "display"},
                        "adaptive": {"type", "display"},
                        "disabled": {"type"},
                        "between_tools": {"type"}}
        if kind not in allowed_keys:
            raise _invalid(f"thinking: Input tag '{kind}' found using 'type' does not match any "
                           "of the expected tags: 'enabled', 'disabled', 'adaptive', "
                           "'between_tools'")
        for key in thinking:
            if key not in allowed_keys[kind]:
                raise _invalid(f"thinking.{kind}.{key}: Extra inputs are not permitted")
        if thinking.get("display") not in (None, "summarized", "omitted"):
            raise _invalid(f"thinking.{kind}.display: Input should be 'summarized' or 'omitted'")
        model_id = model.get("id")
        if not _cap(model, "thinking", "types", kind):
            hint = ""
            if kind == "enabled" and _cap(model, "thinking", "types", "adaptive"):
                hint = (" Use `thinking.type.adaptive` and `output_config.effort` to control "
                        "thinking behavior.")
            raise _invalid(f"thinking.type.{kind}: thinking type '{kind}' is not supported for "
                           f"model {model_id}.{hint}")
        if kind == "enabled":
            budget = thinking.get("budget_tokens")
            if not isinstance(budget, int) or isinstance(budget, bool):
                raise _invalid("thinking.enabled.budget_tokens: Field required")
            if budget < 1024:
                raise _invalid("thinking.enabled.budget_tokens: Input should be greater than or "
                               "equal to 1024")
            if not count_tokens and budget >= body["max_tokens"]:
                raise _invalid("`max_tokens` must be greater than `thinking.budget_tokens`. "
                               "Please consult our documentation at https://docs.claude.com/en/"
                               "docs/build-with-claude/extended-thinking#max-tokens-and-context-"
                               "window-size")

    def _validate_thinking_blocks(
        self, body: dict[str, Any]
    ) -> list[tuple[dict[str, str | None], str, str]]:
        """Thinking blocks only with thinking on, and each one after exactly the prefix it was
        produced after. Returns the (table, key, digest) of blocks sent back for the first time
        that were issued without a binding."""
        config = body.get("thinking")
        kind = config.get("type") if isinstance(config, dict) else None
        first_binds: list[tuple[dict[str, str | None], str, str]] = []
        prefix = _BindingPrefix(body.get("tools"), body.get("system"))
        for i, j, role, block in _message_blocks(body["messages"]):
            btype = block.get("type") if isinstance(block, dict) else None
            if btype in ("thinking", "redacted_thinking"):
                where = f"messages.{i}.content.{j}"
                if kind in (None, "disabled"):
                    setting = "`thinking` is not set" if kind is None else (
                        "`thinking.type` is 'disabled'")
                    raise _invalid(
                        f"{where}: `{btype}` blocks can only be sent back when thinking is "
                        f"enabled, and in this request {setting}. Remove the thinking blocks "
                        "from earlier assistant turns, or turn thinking on.")
                if btype == "thinking":
                    table, key = self._signatures, block["signature"]
                    what = "Invalid `signature` in `thinking` block"
                else:
                    table, key = self._redacted, block["data"]
                    what = "Invalid `data` in `redacted_thinking` block"
                digest = prefix.digest()
                with self._lock:
                    bound = table.get(key)
                if bound is None:
                    first_binds.append((table, key, digest))
                elif bound != digest:
                    raise _invalid(
                        f"{where}: {what}. The block is bound to a different conversation: the "
                        "system prompt, tools or messages before it have changed since it was "
                        "produced, so its signature does not match the conversation before it. "
                        "Remove the block, or set "
                        '`thinking.block_binding.prefix_mismatch_behavior` to "drop_block".')
            prefix.add(role, block)
        return first_binds

    def _validate_output_config(self, config: Any, model: dict[str, Any]) -> None:
        if config is None:
            return
        if not isinstance(config, dict):
            raise _invalid("output_config: Input should be a valid dictionary")
        for key in config:
            if key not in ("effort", "format", "task_budget"):
                raise _invalid(f"output_config.{key}: Extra inputs are not permitted")
        effort = config.get("effort")
        if effort is None:
            return
        if effort not in EFFORT_LEVELS:
            raise _invalid("output_config.effort: Input should be 'low', 'medium', 'high', "
                           "'xhigh' or 'max'")
        if not _cap(model, "effort") or not _cap(model, "effort", effort):
            raise _invalid(f"output_config.effort: effort '{effort}' is not supported by model "
                           f"{model.get('id')}")

    def _validate_cache_control(self, body: dict[str, Any]) -> None:
        self._validate_cc(body.get("cache_control"), "cache_control")
        found: list[tuple[str, str]] = []  # (where, ttl) in prompt order
        tools = body.get("tools")
        if tools is not None and not isinstance(tools, list):
            raise _invalid("tools: Input should be a valid list")
        for i, tool in enumerate(tools or []):
            if not isinstance(tool, dict) or not isinstance(tool.get("name"), str):
                raise _invalid(f"tools.{i}.name: Field required")
            if isinstance(tool, dict) and tool.get("cache_control") is not None:
                self._validate_cc(tool["cache_control"], f"tools.{i}")
                found.append((f"tools.{i}", tool["cache_control"].get("ttl", "5m")))
        system = body.get("system")
        if isinstance(system, list):
            for i, block in enumerate(system):
                if block.get("cache_control") is not None:
                    found.append((f"system.{i}", block["cache_control"].get("ttl", "5m")))
        for i, msg in enumerate(body["messages"]):
            content = msg.get("content")
            if isinstance(content, list):
                for j, block in enumerate(content):
                    if isinstance(block, dict) and block.get("cache_control") is not None:
                        found.append((f"messages.{i}.content.{j}",
                                      block["cache_control"].get("ttl", "5m")))
        if body.get("cache_control") is not None:
            found.append(("cache_control", body["cache_control"].get("ttl", "5m")))
        if len(found) > MAX_CACHE_BREAKPOINTS:
            raise _invalid(f"A maximum of {MAX_CACHE_BREAKPOINTS} blocks with cache_control may "
                           f"be provided. Found {len(found)}.")
        seen_5m = False
        for _where, ttl in found:
            if ttl == "5m":
                seen_5m = True
            elif seen_5m:
                raise _invalid("a ttl='1h' cache_control block must not come after a ttl='5m' "
                               "cache_control block. Note that blocks are processed in the "
                               "following order: `tools`, `system`, `messages`.")

    def _validate_context_management(self, cm: Any, model: dict[str, Any],
                                      betas: set[str]) -> None:
        if cm is None:
            return
        if not isinstance(cm, dict):
            raise _invalid("context_management: Input should be a valid dictionary")
        for key in cm:
            if key != "edits":
                raise _invalid(f"context_management.{key}: Extra inputs are not permitted")
        edits = cm.get("edits", [])
        if not isinstance(edits, list):
            raise _invalid("context_management.edits: Input should be a valid list")
        needs = {"compact_20260112": COMPACT_BETA,
                 "clear_tool_uses_20250919": CONTEXT_MANAGEMENT_BETA,
                 "clear_thinking_20251015": CONTEXT_MANAGEMENT_BETA}
        for i, edit in enumerate(edits):
            where = f"context_management.edits.{i}"
            kind = edit.get("type") if isinstance(edit, dict) else None
            if kind not in needs:
                raise _invalid(f"{where}: Input tag '{kind}' found using 'type' does not match "
                               "any of the expected tags: " + ", ".join(repr(k) for k in needs))
            if needs[kind] not in betas:
                raise _invalid(f"{where}: '{kind}' requires the `anthropic-beta: {needs[kind]}` "
                               "header")
            if not _cap(model, "context_management") or not _cap(model, "context_management",
                                                                  kind):
                raise _invalid(f"{where}: context management strategy '{kind}' is not supported "
                               f"for model {model.get('id')}")
            if kind == "compact_20260112":
                for key in edit:
                    if key not in ("type", "instructions", "pause_after_compaction", "trigger"):
                        raise _invalid(f"{where}.{key}: Extra inputs are not permitted")
                trigger = edit.get("trigger")
                if trigger is not None:
                    if (not isinstance(trigger, dict) or trigger.get("type") != "input_tokens"
                            or not isinstance(trigger.get("value"), int)):
                        raise _invalid(f"{where}.trigger: expected {{'type': 'input_tokens', "
                                       "'value': int}")
                    if trigger["value"] < 50_000:
                        raise _invalid(f"{where}.trigger.value: Input should be greater than or "
                                       "equal to 50000")
                if "pause_after_compaction" in edit and not isinstance(
                        edit["pause_after_compaction"], bool):
                    raise _invalid(f"{where}.pause_after_compaction: Input should be a valid "
                                   "boolean")

    # -- prompt units, token counting and the cache -----------------------------------------
    def _prompt(self, body: dict[str, Any]) -> _Prompt:
        units: list[tuple[str, Any, int | None]] = []  # (canonical text, cache_control, chars)
        for tool in body.get("tools") or []:
            units.append((_canon({"tool": _without_cc(tool)}),
                          tool.get("cache_control") if isinstance(tool, dict) else None, None))
        system = body.get("system")
        if isinstance(system, str) and system:
            system = [{"type": "text", "text": system}]
        for block in system or []:
            units.append((_canon({"system": _without_cc(block)}), block.get("cache_control"),
                          None))
        for msg in body["messages"]:
            content = msg["content"]
            if isinstance(content, str):
                content = [{"type": "text", "text": content}] if content else []
            for block in content:
                chars = None
                if isinstance(block, dict) and block.get("type") == "image":
                    chars = CHARS_PER_TOKEN * _image_tokens(block.get("source"))
                units.append((_canon({"role": msg["role"], "block": _without_cc(block)}),
                              block.get("cache_control") if isinstance(block, dict) else None,
                              chars))
        cum, hashes, bps = [], [], []
        h = hashlib.sha256()
        total = 0
        for i, (text, cc, chars) in enumerate(units):
            piece = (text + "\n").encode()
            h.update(piece)
            total += (len(text) if chars is None else chars) + 1
            cum.append(total)
            hashes.append(h.hexdigest())
            if cc:
                bps.append((i, cc.get("ttl", "5m")))
        top = body.get("cache_control")
        if top and units:
            bps.append((len(units) - 1, top.get("ttl", "5m")))
        return _Prompt(cum_chars=cum, hashes=hashes, breakpoints=bps)

    def _usage(self, body: dict[str, Any]) -> dict[str, Any]:
        """Input-side usage for a request; reads and writes the simulated cache."""
        prompt = self._prompt(body)
        total = prompt.total_tokens
        read = 0
        created = {"5m": 0, "1h": 0}
        if prompt.breakpoints:
            last_bp = max(i for i, _ in prompt.breakpoints)
            now = time.monotonic()
            with self._lock:
                store = self._cache.setdefault(body["model"], {})
                for key in [k for k, (exp, _) in store.items() if exp <= now]:
                    del store[key]
                best = -1
                for i in range(last_bp, -1, -1):
                    if prompt.hashes[i] in store:
                        best = i
                        break
                if best >= 0:
                    read = tokens_for_chars(prompt.cum_chars[best])
                    _, ttl = store[prompt.hashes[best]]
                    store[prompt.hashes[best]] = (now + TTL_SECONDS[ttl], ttl)
                covered = read
                for i, ttl in sorted(prompt.breakpoints):
                    tokens = tokens_for_chars(prompt.cum_chars[i])
                    if tokens < MIN_CACHEABLE_TOKENS:
                        continue
                    if tokens > covered:
                        created[ttl] += tokens - covered
                        covered = tokens
                    store[prompt.hashes[i]] = (now + TTL_SECONDS[ttl], ttl)
        creation = created["5m"] + created["1h"]
        return {
            "input_tokens": max(0, total - read - creation),
            "cache_creation_input_tokens": creation,
            "cache_read_input_tokens": read,
            "cache_creation": {
                "ephemeral_5m_input_tokens": created["5m"],
                "ephemeral_1h_input_tokens": created["1h"],
            },
        }

    # -- serving scripts ---------------------------------------------------------------------
    def _next_script(self) -> Any:
        with self._lock:
            if self._queue:
                return self._queue.pop(0)
        return Reply()

    @staticmethod
    def _echo(body: dict[str, Any]) -> str:
        for msg in reversed(body["messages"]):
            if msg["role"] != "user":
                continue
            content = msg["content"]
            if isinstance(content, str):
                return "Echo: " + content
            texts = [b.get("text", "") for b in content
                     if isinstance(b, dict) and b.get("type") == "text"]
            return "Echo: " + "".join(texts)
        return "Echo: "

    def _serve_message(self, ex: _Exchange, rec: RecordedRequest, body: dict[str, Any],
                       model: dict[str, Any]) -> None:
        ex.request = rec
        refused = self._still_refused(body)
        if refused is not None:  # refused again; the queued script stays for a later request
            self._serve_refusal_again(ex, body, refused)
            return
        script = self._next_script()
        ex.script = script
        try:
            self._serve_script(ex, body, script)
        finally:
            script.done.set()

    def _serve_script(self, ex: _Exchange, body: dict[str, Any], script: Any) -> None:
        if isinstance(script, ApiError):
            ex.error(script.status, script.error_type, script.error_message,
                     extra=dict(script.headers))
        elif isinstance(script, Hang):
            try:
                ex.wait(script.seconds)
            except _Abort:
                ex.abort()
                return
            if script.then is not None:
                inner = script.then
                ex.script = inner
                try:
                    self._serve_script(ex, body, inner)
                finally:
                    inner.done.set()
            else:
                ex.abort()
        elif isinstance(script, Reply):
            self._serve_reply(ex, body, script)
        else:
            self._serve_partial(ex, body, script)

    def _message_shell(self, body: dict[str, Any], usage: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": _rand_id("msg_01"),
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "stop_details": None,
            "usage": {**usage, "output_tokens": 1, "service_tier": "standard"},
        }

    # -- refusals ----------------------------------------------------------------------------
    def forget_refusals(self) -> None:
        """Forget every refused exchange: later requests are no longer refused for them."""
        with self._lock:
            self._refused.clear()

    def _remember_refusal(self, ex: _Exchange, body: dict[str, Any],
                          blocks: list[dict[str, Any]], script: Reply) -> None:
        users = [keys for role, keys in _turns(body["messages"]) if role == "user"]
        texts = [_block_key(b) for b in blocks if b.get("type") == "text" and b.get("text")]
        with self._lock:
            self._refused.append(_RefusedExchange(
                user=users[-1] if users else [], reply=texts,
                category=script.refusal_category, explanation=script.refusal_explanation))
            self.refusals_served.append(ServedRefusal(
                ex.request, False, script.refusal_category, script.refusal_explanation))

    def _still_refused(self, body: dict[str, Any]) -> _RefusedExchange | None:
        """The refused exchange this request's history still holds (its user turn, or the
        refused reply), if any."""
        with self._lock:
            refused = list(self._refused)
        if not refused:
            return None
        turns = _turns(body["messages"])
        for entry in refused:
            for role, keys in turns:
                pattern = entry.user if role == "user" else entry.reply
                if _contains(keys, pattern):
                    return entry
        return None

    def _serve_refusal_again(self, ex: _Exchange, body: dict[str, Any],
                             entry: _RefusedExchange) -> None:
        with self._lock:
            text = self.persisted_refusal_text
            self.refusals_served.append(ServedRefusal(
                ex.request, True, entry.category, entry.explanation))
        usage = self._usage(body)
        message = self._message_shell(body, usage)
        blocks = [{"type": "text", "text": text}] if text else []
        details = {"type": "refusal", "category": entry.category,
                   "explanation": entry.explanation}
        out_tokens = max(1, len(text) // CHARS_PER_TOKEN)
        if not body.get("stream"):
            message.update(content=blocks, stop_reason="refusal", stop_details=details)
            message["usage"]["output_tokens"] = out_tokens
            ex.json(200, message)
            return
        ex.start_sse()
        ex.event("message_start", {"type": "message_start", "message": message})
        ex.event("ping", {"type": "ping"})
        if text:
            ex.event("content_block_start", {"type": "content_block_start", "index": 0,
                                             "content_block": {"type": "text", "text": ""}})
            ex.event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                             "delta": {"type": "text_delta", "text": text}})
            ex.event("content_block_stop", {"type": "content_block_stop", "index": 0})
        ex.event("message_delta", {
            "type": "message_delta",
            "delta": {"stop_reason": "refusal", "stop_sequence": None, "stop_details": details},
            "usage": {"input_tokens": usage["input_tokens"],
                      "cache_creation_input_tokens": usage["cache_creation_input_tokens"],
                      "cache_read_input_tokens": usage["cache_read_input_tokens"],
                      "output_tokens": out_tokens},
        })
        ex.event("message_stop", {"type": "message_stop"})
        ex.end_sse()

    def _serve_reply(self, ex: _Exchange, body: dict[str, Any], script: Reply) -> None:
        text = script.text if script.text is not None else self._echo(body)
        thinking_cfg = body.get("thinking") or {}
        omitted = isinstance(thinking_cfg, dict) and thinking_cfg.get("display") == "omitted"
        thinking_text = None
        if script.thinking is not None:
            thinking_text = "" if omitted else script.thinking
        usage = self._usage(body)
        prompt_tokens = (usage["input_tokens"] + usage["cache_creation_input_tokens"]
                         + usage["cache_read_input_tokens"])
        if script.input_tokens is not None:
            usage["input_tokens"] = script.input_tokens
        out_tokens = (script.output_tokens if script.output_tokens is not None
                      else max(1, (len(text) + len(script.thinking or "")) // CHARS_PER_TOKEN))
        iterations: list[dict[str, Any]] | None = None
        if script.compaction is not None:
            # The compaction is billed as its own iteration, outside the top-level fields.
            compaction_entry: dict[str, Any] = {
                "type": "compaction", "input_tokens": prompt_tokens,
                "output_tokens": max(1, len(script.compaction) // CHARS_PER_TOKEN),
                "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
            }
            compaction_entry.update(script.compaction_usage or {})
            iterations = [compaction_entry, {
                "type": "message", "input_tokens": usage["input_tokens"],
                "output_tokens": out_tokens,
                "cache_creation_input_tokens": usage["cache_creation_input_tokens"],
                "cache_read_input_tokens": usage["cache_read_input_tokens"],
                "cache_creation": dict(usage["cache_creation"]),
            }]
        stop_reason = script.stop_reason
        if script.stop_sequence is not None and stop_reason == "end_turn":
            stop_reason = "stop_sequence"

        # Each thinking block is bound to everything before it: the request's system prompt,
        # tools and messages, then the blocks of this reply before it.
        prefix = _BindingPrefix(body.get("tools"), body.get("system"))
        for _i, _j, role, block in _message_blocks(body["messages"]):
            prefix.add(role, block)
        blocks: list[dict[str, Any]] = []

        def add(block: dict[str, Any]) -> None:
            blocks.append(block)
            prefix.add("assistant", block)

        if script.compaction is not None:
            add(self.issue_compaction(script.compaction))
        if thinking_text is not None:
            add({"type": "thinking", "thinking": thinking_text,
                 "signature": self._mint_signature(thinking_text, prefix.digest())})
        if script.redacted_thinking:
            add({"type": "redacted_thinking", "data": self._mint_redacted(prefix.digest())})
        add({"type": "text", "text": text})
        stop_details = None
        if stop_reason == "refusal":
            stop_details = {"type": "refusal", "category": script.refusal_category,
                            "explanation": script.refusal_explanation}
            self._remember_refusal(ex, body, blocks, script)
        message = self._message_shell(body, usage)

        if not body.get("stream"):
            n = len(_split(text, script.chunks)) + len(_split(thinking_text or "", script.chunks))
            try:
                if script.delay and n > 1:
                    ex.wait(script.delay * (n - 1))
                if script.gate is not None:
                    script.at_gate.set()
                    ex.wait(None, gate=script.gate)
            except _Abort:
                ex.abort()
                return
            message["content"] = blocks
            message["stop_reason"] = stop_reason
            message["stop_sequence"] = script.stop_sequence
            message["stop_details"] = stop_details
            message["usage"]["output_tokens"] = out_tokens
            if iterations is not None:
                message["usage"]["iterations"] = iterations
            ex.json(200, message)
            return

        ex.start_sse()
        ex.event("message_start", {"type": "message_start", "message": message})
        ex.event("ping", {"type": "ping"})
        first_delta = True

        def pause() -> None:
            nonlocal first_delta
            if not first_delta and script.delay:
                ex.wait(script.delay)
            first_delta = False

        for index, block in enumerate(blocks):
            kind = block["type"]
            if kind == "thinking":
                ex.event("content_block_start", {
                    "type": "content_block_start", "index": index,
                    "content_block": {"type": "thinking", "thinking": "", "signature": ""}})
                for piece in _split(block["thinking"], script.chunks):
                    pause()
                    ex.event("content_block_delta", {
                        "type": "content_block_delta", "index": index,
                        "delta": {"type": "thinking_delta", "thinking": piece}})
                ex.event("content_block_delta", {
                    "type": "content_block_delta", "index": index,
                    "delta": {"type": "signature_delta", "signature": block["signature"]}})
            elif kind == "redacted_thinking":
                ex.event("content_block_start", {
                    "type": "content_block_start", "index": index, "content_block": block})
            elif kind == "compaction":
                ex.event("content_block_start", {
                    "type": "content_block_start", "index": index,
                    "content_block": {"type": "compaction", "content": None,
                                      "signature": block["signature"]}})
                ex.event("content_block_delta", {
                    "type": "content_block_delta", "index": index,
                    "delta": {"type": "compaction_delta", "content": block["content"],
                              "encrypted_content": None}})
            else:
                ex.event("content_block_start", {
                    "type": "content_block_start", "index": index,
                    "content_block": {"type": "text", "text": ""}})
                pieces = _split(block["text"], script.chunks)
                for k, piece in enumerate(pieces):
                    pause()
                    ex.event("content_block_delta", {
                        "type": "content_block_delta", "index": index,
                        "delta": {"type": "text_delta", "text": piece}})
                    if k == 0 and script.gate is not None:
                        script.at_gate.set()
                        ex.wait(None, gate=script.gate)
                if not pieces and script.gate is not None:
                    script.at_gate.set()
                    ex.wait(None, gate=script.gate)
            ex.event("content_block_stop", {"type": "content_block_stop", "index": index})
        final_usage: dict[str, Any] = {
            "input_tokens": usage["input_tokens"],
            "cache_creation_input_tokens": usage["cache_creation_input_tokens"],
            "cache_read_input_tokens": usage["cache_read_input_tokens"],
            "output_tokens": out_tokens,
        }
        if iterations is not None:
            final_usage["iterations"] = iterations
        ex.event("message_delta", {
            "type": "message_delta",
            "delta": {"stop_reason": stop_reason, "stop_sequence": script.stop_sequence,
                      "stop_details": stop_details},
            "usage": final_usage,
        })
        ex.event("message_stop", {"type": "message_stop"})
        ex.end_sse()

    def _serve_partial(self, ex: _Exchange, body: dict[str, Any],
                       script: StreamError | CutStream | ResetStream) -> None:
        usage = self._usage(body)
        message = self._message_shell(body, usage)
        if not body.get("stream"):
            if isinstance(script, StreamError):
                ex.error(ERROR_STATUS.get(script.type, 500), script.type, script.message)
                return
            message["content"] = [{"type": "text", "text": script.after_text or "partial"}]
            message["stop_reason"] = "end_turn"
            data = json.dumps(message).encode()
            ex.headers(200, "application/json", length=len(data))
            ex.write(data[: len(data) // 2])
            if isinstance(script, ResetStream):
                ex.reset()
            else:
                ex.h.wfile.flush()
                ex.abort()
            return
        ex.start_sse()
        ex.event("message_start", {"type": "message_start", "message": message})
        ex.event("ping", {"type": "ping"})
        ex.event("content_block_start", {"type": "content_block_start", "index": 0,
                                         "content_block": {"type": "text", "text": ""}})
        for k, piece in enumerate(_split(script.after_text, script.chunks)):
            if k and script.delay:
                ex.wait(script.delay)
            ex.event("content_block_delta", {
                "type": "content_block_delta", "index": 0,
                "delta": {"type": "text_delta", "text": piece}})
        if isinstance(script, StreamError):
            ex.event("error", {"type": "error",
                               "error": {"type": script.type, "message": script.message}})
            ex.end_sse()
        elif isinstance(script, CutStream):
            ex.end_sse()
        else:
            ex.reset()
