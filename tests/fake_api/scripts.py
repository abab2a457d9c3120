"""What a test hands the fake and what it hands back: the scripted responses a test enqueues for
``POST /v1/messages`` (``Reply``, ``ApiError``, ``StreamError``, ``CutStream``, ``ResetStream``,
``Hang``) and the records the server keeps (``RecordedRequest``, ``ServedRefusal``). Plain data
only: how each script is served is in ``replies.py``."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from .errors import ERROR_MESSAGE, STATUS_ERROR


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
