"""Signing in to a remote MCP server with OAuth 2.1, as a desktop app should: in the system
browser, back through a one-shot listener on 127.0.0.1 (PKCE, dynamic client registration and
the rest are the SDK's ``OAuthClientProvider``), tokens kept in the keyring.

A background start never opens a browser: when the server wants a sign-in, the start ends as
NEEDS_SIGN_IN and the user's "Sign in" runs the flow (``McpConnection.sign_in``).

Two of the SDK's habits are worked around (seen in mcp 2.3):
- after a restart it loads the stored tokens but not their expiry, so it would present an
  expired token, get a 401 and send the user to the browser instead of refreshing: the
  absolute expiry is stored with the tokens and handed back to the provider;
- dynamic registration binds the client to the redirect URI, port included: the port is
  stored, and used again; when it is taken, a new port means a new registration.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)

SIGN_IN_TIMEOUT_SECONDS = 300.0  # the person may need to log in at the provider first
CALLBACK_PATH = "/callback"
CALLBACK_PAGE = (
    "<!doctype html><meta charset=utf-8><title>Cairn</title>"
    "<p style='font:16px sans-serif;margin:3em'>{message}</p>"
)
SIGNED_IN_MESSAGE = "You are signed in. You can close this tab and return to Cairn."
REFUSED_MESSAGE = "The sign-in did not complete. You can close this tab and return to Cairn."


class OAuthVault(Protocol):
    """Where a server's sign-in is kept (the keyring: ``storage.mcp_store.McpStore``'s
    ``load_oauth``/``save_oauth``/``forget_oauth``, run off the UI thread). The text is the
    api's own JSON; the vault only keeps it."""

    async def load(self, server_id: str) -> str | None: ...

    async def save(self, server_id: str, data: str) -> None: ...

    async def forget(self, server_id: str) -> None: ...


class NeedsSignIn(Exception):
    """A background start reached the point where the person must sign in."""


class SignInRefused(Exception):
    """The browser came back without a code (the person refused, or the server failed)."""


@dataclass
class SavedSignIn:
    """What the vault keeps for one server: the SDK's tokens and client registration as JSON,
    the tokens' absolute expiry, and the loopback port the registration names."""

    tokens: dict[str, Any] | None = None
    client_info: dict[str, Any] | None = None
    expires_at: float | None = None
    port: int | None = None

    @classmethod
    def parse(cls, text: str | None) -> SavedSignIn:
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}

        def part(name: str) -> dict[str, Any] | None:
            value = data.get(name)
            return value if isinstance(value, dict) else None

        expires_at, port = data.get("expires_at"), data.get("port")
        return cls(
            tokens=part("tokens"), client_info=part("client_info"),
            expires_at=float(expires_at) if isinstance(expires_at, int | float) else None,
            port=port if isinstance(port, int) and 0 < port < 65536 else None,
        )

    def to_text(self) -> str:
        return json.dumps({"tokens": self.tokens, "client_info": self.client_info,
                           "expires_at": self.expires_at, "port": self.port}, sort_keys=True)


class VaultTokenStorage:
    """The SDK's ``TokenStorage`` over the vault: every change is written through."""

    def __init__(self, vault: OAuthVault, server_id: str, saved: SavedSignIn) -> None:
        self._vault, self._server_id, self.saved = vault, server_id, saved

    async def get_tokens(self) -> Any:
        from mcp.shared.auth import OAuthToken

        return _validated(OAuthToken, self.saved.tokens)

    async def set_tokens(self, tokens: Any) -> None:
        self.saved.tokens = tokens.model_dump(mode="json", exclude_none=True)
        self.saved.expires_at = time.time() + tokens.expires_in if tokens.expires_in else None
        await self._vault.save(self._server_id, self.saved.to_text())

    async def get_client_info(self) -> Any:
        from mcp.shared.auth import OAuthClientInformationFull

        return _validated(OAuthClientInformationFull, self.saved.client_info)

    async def set_client_info(self, client_info: Any) -> None:
        self.saved.client_info = client_info.model_dump(mode="json", exclude_none=True)
        await self._vault.save(self._server_id, self.saved.to_text())


def _validated(model: Any, data: dict[str, Any] | None) -> Any:
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValueError:  # pydantic's ValidationError: a damaged entry means signing in again
        return None


class LoopbackReceiver:
    """A one-shot HTTP listener on 127.0.0.1 that takes the browser's redirect back."""

    def __init__(self) -> None:
        self._result: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._server: asyncio.Server | None = None
        self.port = 0

    async def listen(self, port: int | None) -> int:
        """Listen on ``port`` (the one the registration names) or, when it is taken or None,
        on a port the system picks. Returns the port."""
        for candidate in ([port] if port else []) + [0]:
            try:
                self._server = await asyncio.start_server(self._answer, "127.0.0.1", candidate)
            except OSError:
                continue
            self.port = self._server.sockets[0].getsockname()[1]
            return self.port
        raise OSError("no port on 127.0.0.1 to listen on")

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self.port}{CALLBACK_PATH}"

    async def wait(self) -> Any:
        """The code the browser brought back (an ``AuthorizationCodeResult``).

        Raises:
            SignInRefused: the redirect carried an error instead of a code.
            TimeoutError: nothing came back within ``SIGN_IN_TIMEOUT_SECONDS``.
        """
        return await asyncio.wait_for(asyncio.shield(self._result), SIGN_IN_TIMEOUT_SECONDS)

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
        if not self._result.done():
            self._result.cancel()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line = (await asyncio.wait_for(reader.readline(), 10)).decode("latin-1")
            while (await asyncio.wait_for(reader.readline(), 10)) not in {b"\r\n", b"\n", b""}:
                pass
            parts = request_line.split(" ")
            target = urllib.parse.urlsplit(parts[1] if len(parts) > 1 else "/")
            if parts[0] != "GET" or target.path != CALLBACK_PATH:
                _respond(writer, 404, "Not found")
                return
            query = urllib.parse.parse_qs(target.query)
            refused = "error" in query or "code" not in query
            _respond(writer, 200, REFUSED_MESSAGE if refused else SIGNED_IN_MESSAGE)
            if self._result.done():
                return
            if refused:
                self._result.set_exception(SignInRefused(_refusal(query)))
            else:
                self._result.set_result(_code_result(query))
        except (OSError, TimeoutError, UnicodeError):
            pass
        finally:
            with contextlib.suppress(OSError):
                await writer.drain()
            writer.close()


def _respond(writer: asyncio.StreamWriter, status: int, message: str) -> None:
    body = CALLBACK_PAGE.format(message=message).encode()
    reason = "OK" if status == 200 else "Not Found"
    writer.write(
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
        .encode() + body)


def _refusal(query: dict[str, list[str]]) -> str:
    error = query.get("error", ["no code"])[0][:100]
    description = query.get("error_description", [""])[0][:300]
    return f"{error}: {description}" if description else error


def _code_result(query: dict[str, list[str]]) -> Any:
    from mcp.shared.auth import AuthorizationCodeResult

    return AuthorizationCodeResult(
        code=query["code"][0], state=query.get("state", [None])[0],
        iss=query.get("iss", [None])[0])


@dataclass
class SignInFlow:
    """What a start gives the SDK's provider: a browser to open and the listener for its way
    back while the person signs in, or nothing (a background start, or the sign-in is over)."""

    open_url: Callable[[str], None] | None = None
    receiver: LoopbackReceiver | None = None

    def end(self) -> None:
        if self.receiver is not None:
            self.receiver.close()
        self.open_url, self.receiver = None, None


async def oauth_provider(
    vault: OAuthVault, server_id: str, server_url: str, flow: SignInFlow
) -> Any:
    """The SDK's ``OAuthClientProvider`` for one start: stored tokens (and their expiry)
    loaded; in a background start, a redirect ends the start with ``NeedsSignIn``."""
    from mcp.client.auth import OAuthClientProvider
    from mcp.shared.auth import OAuthClientMetadata

    _quiet_sdk_sign_in_errors()
    saved = SavedSignIn.parse(await vault.load(server_id))
    if flow.receiver is not None:
        port = await flow.receiver.listen(saved.port)
        if port != saved.port:  # the registration names another port: register again
            saved.client_info, saved.port = None, port
            await vault.save(server_id, saved.to_text())
    elif saved.port is None:
        saved.port = _free_port()  # the registration made now names it; sign-in reuses it
    redirect_uri = f"http://127.0.0.1:{saved.port}{CALLBACK_PATH}"
    storage = VaultTokenStorage(vault, server_id, saved)

    async def redirect(url: str) -> None:
        # Read at the time of the redirect: a refresh that fails long after the sign-in
        # ended must not open a browser the person did not ask for.
        if flow.open_url is None:
            raise NeedsSignIn(server_url)
        flow.open_url(url)

    async def callback() -> Any:
        if flow.receiver is None:
            raise NeedsSignIn(server_url)
        return await flow.receiver.wait()

    provider = OAuthClientProvider(
        server_url=server_url,
        client_metadata=OAuthClientMetadata(
            client_name="Cairn", redirect_uris=[redirect_uri],  # type: ignore[list-item]
            grant_types=["authorization_code", "refresh_token"], response_types=["code"],
            token_endpoint_auth_method="none",
        ),
        storage=storage, redirect_handler=redirect, callback_handler=callback,
    )
    provider.context.token_expiry_time = saved.expires_at
    return provider


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


_quiet_installed = False


def _quiet_sdk_sign_in_errors() -> None:
    """The SDK logs every failed flow with a traceback at ERROR, including the expected end
    of a background start that needs a sign-in: that one is not an error."""
    global _quiet_installed
    if _quiet_installed:
        return
    _quiet_installed = True

    def keep(record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, NeedsSignIn)

    logging.getLogger("mcp.client.auth.oauth2").addFilter(keep)

