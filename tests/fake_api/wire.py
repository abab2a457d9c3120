"""The wire: HTTP/1.1 with keep-alive on 127.0.0.1 (threaded server, one handler per
connection), JSON responses with ``Content-Length``, SSE events in chunked transfer encoding,
and the ways a connection ends (clean close, client gone, TCP reset)."""

from __future__ import annotations

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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from .errors import _Abort
from .scripts import RecordedRequest

if TYPE_CHECKING:
    from .server import FakeAnthropicServer


_ALNUM = string.ascii_letters + string.digits


def _rand_id(prefix: str, n: int = 22) -> str:
    return prefix + "".join(secrets.choice(_ALNUM) for _ in range(n))


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
