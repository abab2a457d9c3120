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
signatures, redacted thinking, compaction blocks, tool use/result pairing), ``tools`` and
``tool_choice``, ``system``, ``thinking`` / ``output_config.effort`` against the model's
capabilities, ``cache_control`` breakpoints (at most 4, no 1h after 5m) and beta
``context_management``.
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
* **Tools** (``tools.py``; messages as the real API words them). ``tools``: a custom tool's
  ``name`` matches ``^[a-zA-Z0-9_-]{1,128}$`` (``tools.0.custom.name: String should match
  pattern ...``); names are unique across all tools (``tools: Tool names must be unique.``);
  ``input_schema`` is required, a dict with ``type: "object"``, without ``oneOf`` / ``anyOf`` /
  ``allOf`` at its top (``... input_schema does not support oneOf, allOf, or anyOf at the top
  level``) and a valid JSON Schema draft 2020-12 (``... JSON schema is invalid ...``); only
  the API's keys (``name``, ``description``, ``input_schema``, ``cache_control``, ``strict``,
  ``type: "custom"`` ...; anything else: ``tools.0.custom.<key>: Extra inputs are not
  permitted``). Web search / web fetch / code execution definitions are checked per version
  (see *Claude's server tools* below); other Anthropic-defined tools (``bash_*``,
  ``text_editor_*`` ...) are accepted by type without deep checks. ``tool_choice``:
  ``auto`` / ``any`` (with ``disable_parallel_tool_use``), ``tool`` (+ ``name`` of an
  offered tool), ``none``; ``any`` and ``tool`` need tools, and with thinking on (enabled or
  adaptive) they are refused: ``Thinking may not be enabled when tool_choice forces tool use.``
  In messages: ``tool_use.id`` matches ``^[a-zA-Z0-9_-]+$`` and is unique in the request;
  ``input`` is a dict; every call of an assistant turn is answered by a ``tool_result`` in the
  very next user turn (``messages.1: `tool_use` ids were found without `tool_result` blocks
  immediately after: ...``), each once (``each `tool_use` must have a single result``), the
  results FIRST in that turn (text may follow them: ``Did not find 1 `tool_result` block(s) at
  the beginning of this message ...``), and no result without its call (``unexpected
  `tool_use_id` ...``). A result's ``content`` is a string or a list of ``text`` (non-empty),
  ``image`` (checked and counted like any image), ``document``, ``search_result`` or
  ``tool_reference`` blocks (anything else, e.g. an MCP ``resource``: ``...tool_result.content.0:
  Input tag 'resource' found ...``); ``is_error`` is a boolean. History with calls but no
  ``tools`` (a server that is gone) is accepted: the current API answers such requests.
* **Thinking opens a tool-use turn.** With thinking on, a request that ends with a turn of tool
  results (a tool loop in progress) must send back the assistant message that opened that
  turn starting with its thinking block: ``messages.1.content.0.type: Expected `thinking` or
  `redacted_thinking`, but found `tool_use`. When `thinking` is enabled, a final `assistant`
  message must start with a thinking block (preceeding the lastmost set of `tool_use` and
  `tool_result` blocks). ...``. The turn starts after the last user message that holds no
  tool result, so later rounds of the same turn need not think again. For
  ``thinking.type == "enabled"`` this always applies (the model always thinks first); under
  ``adaptive`` the model may not think, so the fake applies it only when it served that
  message's calls after a thinking block. Thinking blocks keep their signature binding (see
  above): a tool turn's thinking must come back unchanged, with everything before it.

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
                    thinking / redacted thinking blocks, text block, ``tool_use`` blocks,
                    ``message_delta``, ``message_stop``) for ``"stream": true``, else the
                    Message JSON. Supports chunking, per-delta delay and a ``gate`` that holds
                    the reply after its first text delta (to press *Stop* mid-reply in a GUI
                    test). With ``compaction``: ``usage.iterations`` (``compaction_usage`` sets
                    its compaction entry). With ``tool_uses``: calls (see *Scripting tool
                    calls* below).
``ApiError``        An HTTP error response ``{"type": "error", "error": {...}, "request_id"}``.
``StreamError``     Starts a stream, sends ``after_text``, then an ``event: error`` and ends.
``CutStream``       Starts a stream, sends ``after_text``, then ends the body cleanly without
                    ``content_block_stop`` / ``message_delta`` / ``message_stop``.
``ResetStream``     Starts a stream, sends ``after_text``, then resets the TCP connection.
``Hang``            Sends nothing for ``seconds`` (or until ``close()`` / the client leaves),
                    then serves ``then`` or closes the connection without a response.
(queue empty)       ``Reply()``: text ``"Echo: " + <text of the last user message>`` (of a
                    turn of tool results: the results' text, then any text after them).
(refused before)    A request whose history still holds a refused exchange is refused again
                    without taking a script (see *Refusals* above).
==================  ===========================================================================

Scripting tool calls. ``Reply(tool_uses=[ToolUse(name, input), ...])`` answers with one
``tool_use`` block per call, after its thinking and text, and ``stop_reason: "tool_use"``::

    search = ToolUse("files__search", {"query": "budget"})   # search.id: "toolu_01..."
    fake_api.enqueue(
        Reply("Let me look.", tool_uses=[search]),            # round 1: one call
        Reply("I found it."),                                 # after the results
    )
    ...                                                       # the window runs the call
    await until(lambda: fake_api.request_with_result(search.id))
    sent = fake_api.request_with_result(search.id)            # the request that answered it
    assert sent.tool_result_text(search.id) == "3 files"
    assert sent.tool_results()[search.id].get("is_error") is None

* Several calls at once: ``Reply(tool_uses=[ToolUse("a__x"), ToolUse("b__y", {...})])``;
  ``sent.tool_results()`` maps each ``tool_use_id`` to its block, in the order sent.
  ``fake_api.request_with_result(id)`` is the first ``/v1/messages`` request whose last turn
  answers that call (``None`` until one came), so a test can wait for it whatever else (a
  title request ...) was sent in between.
* Thinking, then calls: ``Reply(thinking="Plan.", tool_uses=[...])`` streams a signed thinking
  block first. When the request has ``thinking.type == "enabled"`` and starts a turn, the real
  model always thinks first, so a ``Reply`` with calls must have ``thinking`` there.
* A call after a denied one: script the next round as another ``Reply(tool_uses=[...])`` and
  assert on the first answer: ``sent.tool_results()[first.id]["is_error"] is True`` and
  ``sent.tool_result_text(first.id)`` is the text sent to Claude.
* Pace and Stop: ``chunks`` and ``delay`` apply to the input JSON too. A ``gate`` holds the
  reply after its first text delta, or, with no text, after the first piece of the first
  call's input. ``ToolUse(..., input_json='{"q": "bud')`` streams that text instead of
  ``json.dumps(input)`` (a call cut mid-input: pair it with ``stop_reason="max_tokens"``).
* How a call streams: ``content_block_start`` with ``{"type": "tool_use", "id", "name",
  "input": {}}``, an ``input_json_delta`` with ``partial_json: ""``, then the JSON text in
  pieces, ``content_block_stop``. A non-streamed request gets the blocks with their ``input``.
* Only calls the real model could make are served: each call names a tool the request
  offers, ``tool_choice`` allows it (not ``none``; ``tool`` forces that name; at most one
  call with ``disable_parallel_tool_use``), and thinking comes first as above. Otherwise the
  request gets a 500 ``fake_api script error: ...`` (``x-should-retry: false``), the script
  is used up, and the reason is appended to ``server.script_errors`` (assert it is empty).
* Every call served is remembered with whether a thinking block came before it (for the
  thinking rule under adaptive thinking).

Tools in token counts and the cache: a request with ``tools`` pays the API's tool-use system
prompt (``TOOL_USE_SYSTEM_TOKENS``: 346 tokens for ``auto`` / ``none``, 313 for ``any`` /
``tool``) and each tool's canonical JSON, before the system prompt; ``count_tokens`` counts
the same. The cache prefix is tools -> system -> messages: a breakpoint on the last tool caches
the tools alone, changing or reordering a tool invalidates everything after it.

Claude's server tools (web search, web fetch, code execution)::

    search = WebSearch("tides", hits=[SearchHit("https://ex.org/a", "Title A", "2 days ago")])
    fetch = WebFetch("https://ex.org/a", title="Title A", text="page text")
    run = CodeRun("python plot.py", stdout="ok\n",
                  files=[ProducedFile("plot.png", png_bytes, "image/png")])   # kind="bash"
    fake_api.enqueue(Reply("Answer before the cited part. ", server_uses=[search, fetch, run],
                           cites=[Cite("The cited sentence.", use=0, hit=0)]))

* Order of the content: thinking, then each use (``server_tool_use`` + its result block),
  ``text`` (``None`` = empty here; ``""`` adds no block), one text block per ``Cite``, client
  ``tool_uses``, and with ``dangling=True`` the last use's ``server_tool_use`` alone (stop
  reason ``pause_turn`` unless given). Each use has an ``id`` (``srvtoolu_01…``) made at
  creation. ``error_code`` (the SDK's codes for that tool; another one is a ``TypeError``)
  gives the tool's error result instead.
* Streamed as the API does: a ``server_tool_use`` opens with ``input: {}``, an empty
  ``input_json_delta`` and the input's JSON in pieces; a result block comes whole in its
  ``content_block_start``; a cited text block opens with ``citations: []``, sends its
  ``citations_delta`` first, then the text. A search cite is a ``web_search_result_location``
  {url, title, cited_text, encrypted_index}; a fetch cite a ``char_location`` (document_index
  0, document_title, character range of ``cited_text`` in the page).
* ``usage.server_tool_use = {"web_search_requests": n, "web_fetch_requests": m}`` (non-error
  answered uses) in the final usage (``message_delta`` / the Message) of a reply with uses.
* A reply with a ``CodeRun`` (or a request with ``container`` or a ``container_upload``
  block) carries ``container: {"id": "container_011C…", "expires_at": …}`` in
  ``message_delta.delta`` and the Message: the request's container when it names one, else a
  new one (``server.containers``; lives ``container_lifetime`` seconds). The files a run
  makes go into ``server.files`` as ``downloadable``.
* Script errors (500, ``script_errors``) for uses the real model could not make: the tool not
  offered (``tools[].name`` web_search / web_fetch / code_execution), ``tool_choice: none``, a
  bash run with ``code_execution_20250522`` (python only), more answered uses than
  ``max_uses``, a hit or fetched URL outside ``allowed_domains`` / inside
  ``blocked_domains``, a cited page whose web_fetch tool lacks ``citations: {"enabled": true}``.
* Rules (400): definitions are checked per version tag (``server_tool_rules.py``:
  ``SERVER_TOOL_KEYS``; an unknown tag, or one in ``server.rejected_tool_types``, gives the
  unknown-``type`` message); a server tool on a model whose capabilities lack it; a
  ``server_tool_use`` / result block sent back that this server did not issue or that
  changed (``issue_server_use(use)`` issues blocks for stored history); an assistant
  message holding a ``server_tool_use`` without its result (``messages.N.content.J:
  `web_search` tool use with id `srvtoolu_…` was found without a corresponding
  `web_search_tool_result` block``), a resumed paused turn included; ``container`` naming an
  unknown or expired container (``expire_container(id)``); a ``container_upload`` naming a
  file not stored (or deleted / expired), or without the code execution tool; a text block's
  ``citations`` that are not whole citations of the API's types (``server_blocks.py``).
* The Files API (``files_api.py``): ``POST /v1/files`` (multipart), ``GET /v1/files``
  (``data`` + ``next_page`` cursor, newest first; ``ids``), ``GET /v1/files/{id}``,
  ``GET /v1/files/{id}/content`` (only ``downloadable`` files, else 400
  ``file_not_downloadable``; expired: 404 ``file_expired``; see ``expire_file(id)``),
  ``DELETE /v1/files/{id}`` (the record stays in ``server.files`` with ``deleted=True``).
  No beta header is needed (the SDK's GA ``client.files`` sends none); the beta one is
  accepted too. ``storage_quota_bytes`` refuses uploads past a quota
  (``storage_quota_exceeded``).
* ``server.responder`` (for demos): called with the body when the queue is empty.

SDK retries: the SDK itself retries 408, 409, 429 and 5xx responses (and connection errors),
honouring ``retry-after`` / ``retry-after-ms`` and ``x-should-retry``. Tests of a single error
should build clients with ``max_retries=0`` (or enqueue one error per attempt).

Token counting is deliberately simple and deterministic: the prompt is split into units (the
tool-use system prompt and each tool, each system block, each message content block, in that
order), each unit is serialised as canonical JSON (sorted keys, no spaces, ``cache_control``
removed) plus a newline, and a prefix of ``n`` characters counts as ``n // 4`` tokens. An image block counts as its pixels, as on the
real API, not as its base64 text: ``width * height / 750`` tokens after scaling its long edge
down to 1568 px (1600 for a URL / file image), i.e. ``4 * tokens`` characters.
``count_tokens`` returns that count for the whole prompt. Output tokens are
``max(1, (len(text) + len(thinking) + len(each call's input JSON)) // 4)``.

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
``scripts``             ``Reply`` (+ ``ToolUse``) and the other scripts; ``RecordedRequest``
                        (with ``tool_results()`` / ``tool_result_text(id)``), ``ServedRefusal``
``validation``          the rules on a whole request (auth, fields, model, thinking, cache ...)
``content_validation``  the rules on ``system``, messages and content blocks (tool use pairing)
``tools``               the rules on ``tools`` and ``tool_choice``, thinking in a tool-use
                        turn, and which scripted calls may be served
``media``               images and documents: limits, type, pixel size, token cost
``signatures``          issued thinking signatures / redacted data / compaction, and binding
``canonical``           the canonical form of prompt parts that every comparison uses
``accounting``          the tokenizer, prompt units and the simulated prompt cache
``refusals``            persisted refusals
``replies``             serving scripts: SSE events or one Message, partial streams
``server_scripts``      ``WebSearch`` / ``SearchHit`` / ``WebFetch`` / ``CodeRun`` /
                        ``ProducedFile`` / ``Cite``: server tool uses and their blocks
``server_tools``        serving them: what a reply may use, blocks, usage, container, files
``server_tool_rules``   the rules on server tool definitions (per version) and model support
``server_blocks``       server blocks sent back, dangling calls, ``container``, uploads
``stores``              the Files store and container records
``files_api``           the Files API endpoints
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
from .server_scripts import (
    Cite,
    CodeRun,
    ProducedFile,
    SearchHit,
    WebFetch,
    WebSearch,
    new_file_id,
    new_server_tool_use_id,
)
from .server_tool_rules import SERVER_TOOL_KEYS
from .stores import ContainerRecord, StoredFile
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
    "Cite",
    "CodeRun",
    "ContainerRecord",
    "CutStream",
    "FakeAnthropicServer",
    "Hang",
    "ProducedFile",
    "RecordedRequest",
    "Reply",
    "ResetStream",
    "SERVER_TOOL_KEYS",
    "SearchHit",
    "ServedRefusal",
    "Script",
    "StoredFile",
    "StreamError",
    "TOOL_NAME_PATTERN",
    "TOOL_RESULT_CONTENT_TYPES",
    "TOOL_USE_ID_PATTERN",
    "TOOL_USE_SYSTEM_TOKENS",
    "ToolUse",
    "WebFetch",
    "WebSearch",
    "default_models",
    "new_file_id",
    "new_server_tool_use_id",
    "new_tool_use_id",
    "tokens_for_chars",
    "tool_turn_start",
]
