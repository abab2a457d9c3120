"""Settings -> MCP servers -> Sign in…: a remote server that asks for a sign-in says so, and
the button opens its page in the browser (never before it is pressed); once the browser comes
back to Cairn, the server is ready with its tools and the button goes away. The server is the
MCP SDK's own OAuth authorization server (``tests/mcp_servers/oauth_server.py``)."""

from __future__ import annotations

import asyncio
import json

import httpx2
import pytest
from PySide6.QtCore import Qt

from desktop_app.api.mcp_connection import ServerStatus
from desktop_app.storage.mcp_store import McpStore
from desktop_app.ui.dialogs.settings_dialog import SettingsDialog
from desktop_app.ui.session import tool_servers
from tests.conftest import until
from tests.mcp_servers.fixtures import http_config
from tests.mcp_servers.http_server import http_mcp_server
from tests.mcp_servers.oauth_server import AutoApprovingProvider, oauth_app

pytestmark = pytest.mark.asyncio


class Browser:
    """The system browser, as QDesktopServices reaches it: follows the authorization page's
    redirect back to Cairn's listener on 127.0.0.1."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.pages: list[str] = []
        self._visits: set[asyncio.Task[None]] = set()

    def openUrl(self, url) -> bool:  # noqa: N802 - QDesktopServices' name
        self.opened.append(url.toString())
        task = asyncio.ensure_future(self._visit(url.toString()))
        self._visits.add(task)
        task.add_done_callback(self._visits.discard)
        return True

    async def _visit(self, url: str) -> None:
        async with httpx2.AsyncClient() as client:
            answer = await client.get(url)
            back = await client.get(answer.headers["location"])
            self.pages.append(f"{back.status_code} {back.text}")


async def test_sign_in_opens_the_page_only_when_asked_and_the_server_becomes_ready(
    app_factory, qtbot, data_dir, memory_keyring, monkeypatch
):
    provider = AutoApprovingProvider()
    browser = Browser()
    monkeypatch.setattr(tool_servers, "QDesktopServices", browser)
    async with http_mcp_server(make_app=lambda port: oauth_app(provider, port)) as served:
        config = http_config(served.url, name="Team notes")
        McpStore(data_dir / "config").save([config])
        window = await app_factory()
        servers = window.controller.tool_servers

        try:
            qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
            await until(lambda: any(d.isVisible() for d in window.findChildren(SettingsDialog)))
            dialog = next(d for d in window.findChildren(SettingsDialog) if d.isVisible())
            tab = dialog.servers_tab
            dialog.tabs.setCurrentWidget(tab.parentWidget())
            tab.server_list.select_server(config.id)
            await until(lambda: servers.state(config.id).status is ServerStatus.NEEDS_SIGN_IN,
                        timeout=30, message="the server asks for a sign-in")
            await until(tab.sign_in_button.isVisible, message="Sign in… is offered")
            assert tab.state_line.text() == "“Team notes” needs you to sign in before its tools can be used."
            assert browser.opened == [] and provider.authorizations == 0  # not before it is asked

            tab.sign_in_button.click()
            await until(lambda: servers.state(config.id).status is ServerStatus.READY,
                        timeout=30, message="the server is ready after the sign-in")
            assert len(browser.opened) == 1 and "code_challenge" in browser.opened[0]
            await until(lambda: browser.pages, message="the browser was told it may close the tab")
            assert browser.pages[0].startswith("200 ")
            await until(lambda: not tab.sign_in_button.isVisible())
            assert tab.state_line.text() == "“Team notes” is ready with 1 tool."
            # The sign-in is kept in the keyring, and in no file of Cairn's.
            saved = json.dumps(list(memory_keyring.passwords.values()))
            token = next(iter(provider.tokens))
            assert token in saved
            assert not [p for p in data_dir.rglob("*") if p.is_file() and token.encode() in p.read_bytes()]
            dialog.reject()
        finally:  # the connection ends before its server does
            await servers.stop(config.id)
