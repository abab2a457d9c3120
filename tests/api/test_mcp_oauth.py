"""Signing in to a remote MCP server (OAuth 2.1, the SDK's own authorization server in the
test): only when the person asks, in the browser, back through 127.0.0.1; tokens kept in the
keyring, refreshed without a browser after a restart, and a refusal or a cancel said plainly."""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.parse
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest
import pytest_asyncio

from desktop_app.api.mcp_connection import McpCallError, ServerStatus
from desktop_app.api.mcp_failures import ServerProblemKind
from desktop_app.api.mcp_oauth import SavedSignIn
from desktop_app.storage.mcp_store import OAUTH_SUFFIX, SERVICE, McpStore
from tests.conftest import until
from tests.helpers.memory_keyring import MemoryKeyring
from tests.mcp_servers.fixtures import (
    Watched,
    connections,  # noqa: F401 - a fixture
    http_config,
)
from tests.mcp_servers.http_server import RunningHttpServer, http_mcp_server
from tests.mcp_servers.oauth_server import AutoApprovingProvider, oauth_app

pytestmark = pytest.mark.asyncio

Connections = Callable[..., Watched]


class StoreVault:
    """The vault as the app wires it: McpStore's keyring methods, off the loop's thread."""

    def __init__(self, store: McpStore) -> None:
        self.store = store

    async def load(self, server_id: str) -> str | None:
        return await asyncio.to_thread(self.store.load_oauth, server_id)

    async def save(self, server_id: str, data: str) -> None:
        await asyncio.to_thread(self.store.save_oauth, server_id, data)

    async def forget(self, server_id: str) -> None:
        await asyncio.to_thread(self.store.forget_oauth, server_id)


class Browser:
    """The system browser: follows the authorization server's redirect back to Cairn."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.pages: list[str] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.stay_away = False  # the person never finishes signing in

    def open_url(self, url: str) -> None:
        self.opened.append(url)
        if not self.stay_away:
            self.tasks.append(asyncio.create_task(self._visit(url)))

    async def _visit(self, url: str) -> None:
        async with httpx2.AsyncClient() as client:
            answer = await client.get(url)
            assert answer.status_code == 302, answer.text
            back = await client.get(answer.headers["location"])
            self.pages.append(f"{back.status_code} {back.text}")


@pytest_asyncio.fixture
async def oauth_server() -> AsyncIterator[tuple[RunningHttpServer, AutoApprovingProvider]]:
    provider = AutoApprovingProvider()
    async with http_mcp_server(make_app=lambda port: oauth_app(provider, port)) as served:
        yield served, provider


@pytest.fixture
def vault(tmp_path: Path) -> StoreVault:
    return StoreVault(McpStore(tmp_path / "config"))


def saved(memory_keyring: MemoryKeyring, server_id: str) -> SavedSignIn:
    return SavedSignIn.parse(memory_keyring.passwords.get((SERVICE, server_id + OAUTH_SUFFIX)))


async def test_a_background_start_never_opens_a_browser(
    oauth_server: Any, connections: Connections, vault: StoreVault,
    caplog: pytest.LogCaptureFixture,
) -> None:
    served, provider = oauth_server
    server = connections(http_config(served.url), oauth_vault=vault)
    state = await server.start()
    assert (state.status, state.problem_kind, state.problem_facts) == (
        ServerStatus.NEEDS_SIGN_IN, ServerProblemKind.SIGN_IN_REQUIRED, {"url": served.url})
    assert provider.authorizations == 0
    with pytest.raises(McpCallError) as raised:
        await server.call("whoami", {}, timeout=5)
    assert raised.value.kind == "not_ready"
    # Expected, so not logged as an error (the SDK would, with a traceback).
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_signing_in_in_the_browser_keeps_the_tokens_in_the_keyring(
    oauth_server: Any, connections: Connections, vault: StoreVault,
    memory_keyring: MemoryKeyring, tmp_path: Path,
) -> None:
    served, provider = oauth_server
    config = http_config(served.url)
    server = connections(config, oauth_vault=vault)
    browser = Browser()
    state = await server.sign_in(browser.open_url)
    assert state.status is ServerStatus.READY, state.problem
    assert [tool.name for tool in state.tools] == ["whoami"]
    assert (await server.call("whoami", {}, timeout=10)).content[0]["text"] == "signed in"
    # The browser was sent to the server's authorization page, with PKCE, and came back to
    # a listener on 127.0.0.1 that told the person what to do next.
    assert len(browser.opened) == 1
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(browser.opened[0]).query)
    assert query["code_challenge_method"] == ["S256"] and query["client_id"]
    redirect = query["redirect_uri"][0]
    assert redirect.startswith("http://127.0.0.1:") and redirect.endswith("/callback")
    await until(lambda: browser.pages, message="the browser got an answer")
    assert browser.pages[0].startswith("200 ") and "close this tab" in browser.pages[0]
    # The tokens are in the keyring (with their expiry and the port), in no file.
    kept = saved(memory_keyring, config.id)
    assert kept.tokens and kept.tokens["access_token"] in provider.tokens
    assert kept.client_info and kept.expires_at and kept.port == int(redirect.split(":")[2].split("/")[0])
    access = kept.tokens["access_token"]
    assert [p for p in tmp_path.rglob("*") if p.is_file() and access.encode() in p.read_bytes()] == []
    # Another run connects with them, without a browser.
    again = connections(config, oauth_vault=StoreVault(McpStore(tmp_path / "config")))
    assert (await again.start()).status is ServerStatus.READY
    assert provider.authorizations == 1 and len(browser.opened) == 1


async def test_an_expired_sign_in_is_refreshed_after_a_restart_without_a_browser(
    oauth_server: Any, connections: Connections, vault: StoreVault, memory_keyring: MemoryKeyring,
) -> None:
    served, provider = oauth_server
    config = http_config(served.url)
    browser = Browser()
    assert (await connections(config, oauth_vault=vault).sign_in(browser.open_url)).status is ServerStatus.READY
    # An hour later: the server no longer takes the access token, and the stored expiry says so.
    provider.expire_access_tokens()
    entry = json.loads(memory_keyring.passwords[(SERVICE, config.id + OAUTH_SUFFIX)])
    entry["expires_at"] = 1.0
    memory_keyring.passwords[(SERVICE, config.id + OAUTH_SUFFIX)] = json.dumps(entry)
    restarted = connections(config, oauth_vault=vault)
    state = await restarted.start()
    assert state.status is ServerStatus.READY, state.problem
    assert (provider.refreshes, provider.authorizations, len(browser.opened)) == (1, 1, 1)
    assert saved(memory_keyring, config.id).expires_at > 1.0  # the new tokens, kept

    # When the refresh is refused too, the start asks for a sign-in (still no browser).
    provider.expire_access_tokens()
    provider.refresh_tokens.clear()
    entry = json.loads(memory_keyring.passwords[(SERVICE, config.id + OAUTH_SUFFIX)])
    entry["expires_at"] = 1.0
    memory_keyring.passwords[(SERVICE, config.id + OAUTH_SUFFIX)] = json.dumps(entry)
    assert (await restarted.restart()).status is ServerStatus.NEEDS_SIGN_IN
    assert len(browser.opened) == 1


async def test_a_refusal_in_the_browser_is_said(
    oauth_server: Any, connections: Connections, vault: StoreVault,
) -> None:
    served, provider = oauth_server
    provider.refuse = True
    browser = Browser()
    state = await connections(http_config(served.url), oauth_vault=vault).sign_in(browser.open_url)
    assert (state.status, state.problem_kind) == (ServerStatus.FAILED, ServerProblemKind.SIGN_IN_FAILED)
    assert "access_denied" in state.problem_facts["reason"]
    await until(lambda: browser.pages, message="the browser got an answer")
    assert "did not complete" in browser.pages[0]


async def test_cancelling_a_sign_in_stops_waiting_for_the_browser(
    oauth_server: Any, connections: Connections, vault: StoreVault,
) -> None:
    served, _ = oauth_server
    server = connections(http_config(served.url), oauth_vault=vault)
    browser = Browser()
    browser.stay_away = True
    attempt = asyncio.create_task(server.sign_in(browser.open_url))
    await until(lambda: browser.opened, message="the browser was opened")
    redirect = urllib.parse.parse_qs(urllib.parse.urlsplit(browser.opened[0]).query)["redirect_uri"][0]
    attempt.cancel()
    with pytest.raises(asyncio.CancelledError):
        await attempt
    assert server.state.status is ServerStatus.STOPPED
    with pytest.raises(httpx2.ConnectError):  # the listener is closed
        async with httpx2.AsyncClient() as client:
            await client.get(redirect + "?code=late&state=x")


async def test_the_registered_port_is_used_again_or_registered_anew(
    oauth_server: Any, connections: Connections, vault: StoreVault, memory_keyring: MemoryKeyring,
) -> None:
    served, provider = oauth_server
    config = http_config(served.url)
    server = connections(config, oauth_vault=vault)
    browser = Browser()
    await server.sign_in(browser.open_url)
    port = saved(memory_keyring, config.id).port
    # The sign-in runs out (nothing to refresh with): signing in again reuses the client
    # registered for that port.
    provider.expire_access_tokens()
    provider.refresh_tokens.clear()
    assert (await server.sign_in(browser.open_url)).status is ServerStatus.READY
    assert provider.redirect_uris[0] == provider.redirect_uris[1]
    assert len(provider.clients) == 1
    # The port is taken by someone else at the next sign-in: a new port, a new registration.
    provider.expire_access_tokens()
    provider.refresh_tokens.clear()
    async with http_mcp_server(port=port or 0):
        state = await server.sign_in(browser.open_url)
    assert state.status is ServerStatus.READY, state.problem
    assert saved(memory_keyring, config.id).port not in {None, port}
    assert len(provider.clients) == 2
    # Signing out forgets the sign-in.
    await server.sign_out()
    assert (SERVICE, config.id + OAUTH_SUFFIX) not in memory_keyring.passwords
    assert server.state.status is ServerStatus.STOPPED


async def test_servers_with_their_own_authorization_never_sign_in(
    oauth_server: Any, connections: Connections, vault: StoreVault,
) -> None:
    served, provider = oauth_server
    with_header = connections(http_config(served.url, [("Authorization", "Bearer mine")]),
                              oauth_vault=vault)
    assert not with_header.can_sign_in
    state = await with_header.start()
    assert (state.status, state.problem_kind, state.problem_facts) == (
        ServerStatus.FAILED, ServerProblemKind.UNAUTHORIZED, {"url": served.url, "status": 401})
    without_vault = await connections(http_config(served.url)).start()
    assert without_vault.problem_kind == ServerProblemKind.UNAUTHORIZED
    assert provider.authorizations == 0


async def test_removing_a_server_removes_its_sign_in(
    oauth_server: Any, connections: Connections, tmp_path: Path, memory_keyring: MemoryKeyring,
) -> None:
    served, _ = oauth_server
    store = McpStore(tmp_path / "config")
    config = http_config(served.url)
    store.save([config])
    await connections(config, oauth_vault=StoreVault(store)).sign_in(Browser().open_url)
    assert (SERVICE, config.id + OAUTH_SUFFIX) in memory_keyring.passwords
    fresh = McpStore(tmp_path / "config")  # also in a later run
    fresh.load()
    fresh.save([])
    assert memory_keyring.passwords == {}
