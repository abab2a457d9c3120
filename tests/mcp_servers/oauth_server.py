"""An MCP server behind OAuth 2.1 for the tests: the SDK's own authorization server routes
(metadata, dynamic client registration, authorize, token) over an in-memory provider that
approves every request at once (or refuses, when told to), and one tool, ``whoami``.

Serve it with ``http_mcp_server(app=oauth_app(provider, port))`` on a port chosen first.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from mcp.server.auth.provider import (
    AccessToken,
    AuthorizationCode,
    RefreshToken,
    construct_redirect_uri,
)
from mcp.server.auth.settings import AuthSettings, ClientRegistrationOptions
from mcp.server.mcpserver import MCPServer
from mcp.shared.auth import OAuthToken
from pydantic import AnyHttpUrl


@dataclass
class AutoApprovingProvider:
    """Authorizes without asking anyone; counts what clients did, so tests can tell a
    refresh from a sign-in in the browser."""

    refuse: bool = False  # the person clicks "Deny"
    clients: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, AuthorizationCode] = field(default_factory=dict)
    tokens: dict[str, AccessToken] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshToken] = field(default_factory=dict)
    authorizations: int = 0
    refreshes: int = 0
    redirect_uris: list[str] = field(default_factory=list)

    async def get_client(self, client_id: str) -> Any:
        return self.clients.get(client_id)

    async def register_client(self, client_info: Any) -> None:
        self.clients[client_info.client_id] = client_info

    async def authorize(self, client: Any, params: Any) -> str:
        self.authorizations += 1
        self.redirect_uris.append(str(params.redirect_uri))
        if self.refuse:
            return construct_redirect_uri(str(params.redirect_uri), error="access_denied",
                                          error_description="The user said no", state=params.state)
        code = secrets.token_urlsafe(16)
        self.codes[code] = AuthorizationCode(
            code=code, scopes=params.scopes or [], expires_at=time.time() + 300,
            client_id=client.client_id, code_challenge=params.code_challenge,
            redirect_uri=params.redirect_uri,
            redirect_uri_provided_explicitly=params.redirect_uri_provided_explicitly,
            resource=params.resource,
        )
        return construct_redirect_uri(str(params.redirect_uri), code=code, state=params.state)

    async def load_authorization_code(self, client: Any, code: str) -> AuthorizationCode | None:
        return self.codes.get(code)

    async def exchange_authorization_code(self, client: Any, code: AuthorizationCode) -> OAuthToken:
        self.codes.pop(code.code, None)
        return self._issue(client.client_id, code.scopes, code.resource)

    async def load_refresh_token(self, client: Any, refresh_token: str) -> RefreshToken | None:
        return self.refresh_tokens.get(refresh_token)

    async def exchange_refresh_token(
        self, client: Any, refresh_token: RefreshToken, scopes: list[str]
    ) -> OAuthToken:
        self.refreshes += 1
        self.refresh_tokens.pop(refresh_token.token, None)
        return self._issue(client.client_id, scopes or refresh_token.scopes, None)

    async def load_access_token(self, token: str) -> AccessToken | None:
        return self.tokens.get(token)

    async def revoke_token(self, token: Any) -> None:
        self.tokens.pop(getattr(token, "token", ""), None)

    def expire_access_tokens(self) -> None:
        """Every access token stops working (as after its hour is up)."""
        self.tokens.clear()

    def _issue(self, client_id: str, scopes: list[str], resource: Any) -> OAuthToken:
        access, refresh = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        self.tokens[access] = AccessToken(token=access, client_id=client_id, scopes=scopes,
                                          expires_at=int(time.time()) + 3600, resource=resource)
        self.refresh_tokens[refresh] = RefreshToken(token=refresh, client_id=client_id, scopes=scopes)
        return OAuthToken(access_token=access, expires_in=3600, refresh_token=refresh,
                          scope=" ".join(scopes) or None)


def oauth_app(provider: AutoApprovingProvider, port: int) -> Any:
    """The Starlette app of an OAuth-protected MCP server at http://127.0.0.1:<port>/mcp."""
    base = f"http://127.0.0.1:{port}"
    server = MCPServer(
        "cairn-test-oauth", auth_server_provider=provider,
        auth=AuthSettings(
            issuer_url=AnyHttpUrl(base), resource_server_url=AnyHttpUrl(base + "/mcp"),
            validate_token_resource=False,
            client_registration_options=ClientRegistrationOptions(enabled=True),
        ),
    )

    @server.tool()
    def whoami() -> str:
        """Says the caller got in."""
        return "signed in"

    return server.streamable_http_app()
