"""``FakeAnthropicServer``: its state, start and close, the script queue, the record of
requests, and routing each request to the Models API, validation, token counting or a reply.
The work itself is in the mixins it is made of (one module each)."""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from .accounting import Accounting
from .content_validation import ContentValidation
from .errors import _Abort, _ApiFailure
from .files_api import FilesApi
from .models import ModelsApi, default_models
from .refusals import Refusals, _RefusedExchange
from .replies import Replies
from .scripts import _SCRIPT_TYPES, RecordedRequest, Script, ServedRefusal
from .server_blocks import ServerBlockRules
from .server_tools import ServerTools
from .signatures import IssuedValues
from .stores import CONTAINER_LIFETIME, ContainerRecord, StoredFile
from .tools import ToolRules
from .validation import RequestValidation
from .wire import _Exchange, _Handler, _HTTPServer


DEFAULT_API_KEY = "sk-ant-test-key"


class FakeAnthropicServer(ModelsApi, RequestValidation, ContentValidation, ToolRules,
                          ServerBlockRules, ServerTools, FilesApi, IssuedValues, Accounting,
                          Refusals, Replies):
    """A fake Anthropic API on ``127.0.0.1`` for the real SDK (see the package docstring).

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
        self._served_tool_uses: dict[str, bool] = {}  # tool_use id -> served after thinking
        self.script_errors: list[str] = []
        """Why a scripted reply was not served (a call the real model could not make for the
        request it answered; see ``Reply``). A test can assert it is empty at the end."""
        self.rejected_tool_types: set[str] = set()
        """Server tool version tags refused as unknown (e.g. ``{"web_search_20260318"}``)."""
        self.files: dict[str, StoredFile] = {}
        """The Files store by id: uploads and the files code runs made (``downloadable``)."""
        self.containers: dict[str, ContainerRecord] = {}
        """Code execution containers by id (``expire_container(id)`` ends one)."""
        self.container_lifetime = CONTAINER_LIFETIME
        """Seconds a new container lives."""
        self.storage_quota_bytes: int | None = None
        """When set, an upload that would store more bytes than this is refused (quota)."""
        self.responder: Callable[[dict[str, Any]], Script | None] | None = None
        """For demos: when the queue is empty, called with the accepted request's body; the
        script it returns answers (``None``: the echo)."""
        self._issued_server_blocks: dict[str, str] = {}  # "use:"/"result:" + id -> canonical

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

    def request_with_result(self, tool_use_id: str) -> RecordedRequest | None:
        """The first ``POST /v1/messages`` request received (accepted or not) whose last turn
        holds a ``tool_result`` for ``tool_use_id`` (the turn that answered that call), or
        ``None`` if none came yet."""
        return next((r for r in self.message_requests() if tool_use_id in r.tool_results()),
                    None)

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
        elif path == "/v1/files" or path.startswith("/v1/files/"):
            self._check_headers(rec)
            self._route_files(ex, rec, path)
        else:
            raise _ApiFailure(404, "not_found_error", "Not Found")
