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

The package, one module per job (import from ``tests.fake_api``, which re-exports them):

======================  =====================================================================
``server``              ``FakeAnthropicServer``: state, start / close, queue, routing
``scripts``             ``Reply`` and the other scripts; ``RecordedRequest``, ``ServedRefusal``
``validation``          the rules on a whole request (auth, fields, model, thinking, cache ...)
``content_validation``  the rules on ``system``, messages and content blocks
``media``               images and documents: limits, type, pixel size, token cost
``signatures``          issued thinking signatures / redacted data / compaction, and binding
``canonical``           the canonical form of prompt parts that every comparison uses
``accounting``          the tokenizer, prompt units and the simulated prompt cache
``refusals``            persisted refusals
``replies``             serving scripts: SSE events or one Message, partial streams
``models``              the default models, capabilities and the Models API
``wire``                HTTP/1.1 keep-alive, JSON and chunked SSE framing, connection ends
``errors``              error types, statuses and messages; the internal exceptions
======================  =====================================================================
"""

from __future__ import annotations

from .accounting import CHARS_PER_TOKEN, MIN_CACHEABLE_TOKENS, TTL_SECONDS, tokens_for_chars
from .errors import ERROR_MESSAGE, ERROR_STATUS, STATUS_ERROR, _ApiFailure
from .media import (
    IMAGE_MAX_EDGE,
    IMAGE_MEDIA_TYPES,
    MANY_IMAGES,
    MANY_IMAGES_MAX_SIDE,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_SIDE,
    MAX_MEDIA,
    URL_IMAGE_TOKENS,
)
from .models import _capabilities, default_models
from .scripts import (
    REFUSAL_CATEGORIES,
    ApiError,
    Before,
    CutStream,
    Hang,
    RecordedRequest,
    Reply,
    ResetStream,
    ServedRefusal,
    Script,
    StreamError,
    ToolUse,
    new_tool_use_id,
)
from .server import DEFAULT_API_KEY, FakeAnthropicServer
from .tools import (
    TOOL_NAME_PATTERN,
    TOOL_RESULT_CONTENT_TYPES,
    TOOL_USE_ID_PATTERN,
    TOOL_USE_SYSTEM_TOKENS,
    tool_turn_start,
)
from .validation import (
    COMPACT_BETA,
    CONTEXT_MANAGEMENT_BETA,
    EFFORT_LEVELS,
    MAX_CACHE_BREAKPOINTS,
)

# The package's public names, as when it was one module. Also importable from here, as they
# were from that module: the limits and error tables above, and for tests that reach inside,
# ``_ApiFailure`` (what validation raises) and ``_capabilities`` (builds a capability tree).
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
    "TOOL_NAME_PATTERN",
    "TOOL_RESULT_CONTENT_TYPES",
    "TOOL_USE_ID_PATTERN",
    "TOOL_USE_SYSTEM_TOKENS",
    "ToolUse",
    "default_models",
    "new_tool_use_id",
    "tokens_for_chars",
    "tool_turn_start",
]
