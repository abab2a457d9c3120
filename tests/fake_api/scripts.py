"""What a test hands the fake and what it hands back: the scripted responses a test enqueues for
``POST /v1/messages`` (``Reply`` and the ``ToolUse`` calls it makes, ``ApiError``,
``StreamError``, ``CutStream``, ``ResetStream``, ``Hang``) and the records the server keeps
(``RecordedRequest``, ``ServedRefusal``). Plain data only: how each script is served is in
``replies.py``."""

from __future__ import annotations

import json
import secrets
import string
import threading
from dataclasses import dataclass, field
from typing import Any

from .errors import ERROR_MESSAGE, STATUS_ERROR
from .server_scripts import Cite, CodeRun, ServerUse, WebSearch


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

    def tool_results(self) -> dict[str, dict[str, Any]]:
        """The ``tool_result`` blocks of the request's last message (the turn that answers the
        previous reply's tool calls), by ``tool_use_id``, in the order they were sent; empty
        when the last message is not a user turn or holds no results."""
        messages = (self.body or {}).get("messages")
        if not isinstance(messages, list) or not messages:
            return {}
        last = messages[-1]
        if not isinstance(last, dict) or last.get("role") != "user":
            return {}
        content = last.get("content")
        return {str(b.get("tool_use_id")): b for b in content if isinstance(b, dict)
                and b.get("type") == "tool_result"} if isinstance(content, list) else {}

    def tool_result_text(self, tool_use_id: str) -> str:
        """The text of the result sent for ``tool_use_id`` (a string content, or its text
        blocks joined). Raises ``KeyError`` when the last message has no such result."""
        content = self.tool_results()[tool_use_id].get("content")
        if isinstance(content, str):
            return content
        return "".join(part.get("text", "") for part in content or []
                       if isinstance(part, dict) and part.get("type") == "text")


_ID_ALPHABET = string.ascii_letters + string.digits


def new_tool_use_id() -> str:
    """An id shaped like the API's (``toolu_01`` + 22 letters and digits)."""
    return "toolu_01" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(22))


@dataclass
class ToolUse:
    """One call a scripted ``Reply`` makes: a ``tool_use`` block with ``name`` and ``input``.

    ``id`` is made when the call is created, so a test can look up the result sent for it
    (``RecordedRequest.tool_result_text(call.id)``). When streamed, the input is sent as the
    API sends it: ``content_block_start`` with ``input: {}``, an empty ``input_json_delta``,
    then the JSON text in pieces (``Reply.chunks``; default every 8 characters), then
    ``content_block_stop``. ``input_json`` replaces that JSON text (e.g. to send text that is
    not valid JSON, as a reply cut by ``max_tokens`` in the middle of a call can); without it
    the text is ``json.dumps(input)``. A non-streamed Message carries ``input`` itself.
    """

    name: str
    input: dict[str, Any] = field(default_factory=dict)
    id: str = field(default_factory=new_tool_use_id)
    input_json: str | None = None

    @property
    def streamed_json(self) -> str:
        """The JSON text the stream sends for this call's input."""
        if self.input_json is not None:
            return self.input_json
        return json.dumps(self.input, ensure_ascii=False)

    def block(self) -> dict[str, Any]:
        """The ``tool_use`` block as a Message holds it."""
        return {"type": "tool_use", "id": self.id, "name": self.name, "input": self.input}


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

    Server tools (``server_tools.py``): ``server_uses`` (``WebSearch`` / ``WebFetch`` /
    ``CodeRun``) come first, each a ``server_tool_use`` block and its result block; then
    ``text``, then one text block per ``Cite``, then ``tool_uses``. ``text=None`` is empty
    (not an echo) when there are server uses or cites. ``dangling=True`` leaves the last server
    use without its result, as the content's last block (stop reason ``"pause_turn"`` unless
    given).
    """

    def __post_init__(self) -> None:
        unknown = set(self.compaction_usage or {}) - set(_ITERATION_FIELDS)
        if unknown:
            raise TypeError(f"compaction_usage: unknown fields {sorted(unknown)}")
        if self.refusal_category not in REFUSAL_CATEGORIES:
            raise TypeError(f"refusal_category must be one of {REFUSAL_CATEGORIES}")
        if self.dangling and not self.server_uses:
            raise TypeError("dangling=True needs server_uses (the last one is left unanswered)")
        for i, cite in enumerate(self.cites):
            _check_cite(i, cite, self.server_uses, self.dangling)

    text: str | None = None
    thinking: str | None = None
    stop_reason: str | None = None
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
    tool_uses: list[ToolUse] = field(default_factory=list)
    server_uses: list[ServerUse] = field(default_factory=list)
    cites: list[Cite] = field(default_factory=list)
    dangling: bool = False

    @property
    def final_stop_reason(self) -> str:
        """The stop reason sent: ``stop_reason`` if given, else ``"pause_turn"`` for a dangling
        reply, ``"tool_use"`` for a reply that calls tools, ``"stop_sequence"`` with a
        ``stop_sequence``, else ``"end_turn"``."""
        if self.stop_reason is not None:
            return self.stop_reason
        if self.dangling:
            return "pause_turn"
        if self.tool_uses:
            return "tool_use"
        return "stop_sequence" if self.stop_sequence is not None else "end_turn"


def _check_cite(i: int, cite: Cite, uses: list[ServerUse], dangling: bool) -> None:
    """A cite must name a search hit or a fetched page that the reply's uses produced."""
    answered = len(uses) - (1 if dangling else 0)
    if not 0 <= cite.use < answered:
        raise TypeError(f"cites[{i}]: use={cite.use} is not an answered use of server_uses")
    use = uses[cite.use]
    if isinstance(use, CodeRun):
        raise TypeError(f"cites[{i}]: a code run cannot be cited")
    if use.error_code is not None:
        raise TypeError(f"cites[{i}]: server_uses[{cite.use}] is an error result")
    if isinstance(use, WebSearch) and not 0 <= cite.hit < len(use.hits):
        raise TypeError(f"cites[{i}]: hit={cite.hit} but the search has {len(use.hits)} hits")


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
