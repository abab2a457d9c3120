"""The API key and the SDK clients made from it: one client for the current key and settings,
replaced ones kept until shutdown closes them, and the settings dialog's connection test."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktop_app.api.errors import describe_error, sdk_error
from desktop_app.core.settings import Settings
from desktop_app.storage.key_store import KeySaveResult
from desktop_app.ui.session.error_text import error_sentence
from desktop_app.ui.session.services import Services
from desktop_app.ui.session.session_events import SessionEvents

if TYPE_CHECKING:
    import anthropic


class Account(QObject):
    """The key Cairn uses and the SDK client that goes with it.

    Signals:
        None of its own; emits ``key_changed`` and ``key_required`` on the session's events.

    Attributes:
        api_key: the key in use (None: none yet).
        key_source: where it came from ("environment", "keyring", "session"; None: no key).
    """

    def __init__(
        self, services: Services, events: SessionEvents, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.events = events
        self.api_key: str | None = None
        self.key_source: str | None = None
        self._client: anthropic.AsyncAnthropic | None = None
        self._old_clients: list[anthropic.AsyncAnthropic] = []

    async def load(self) -> bool:
        """Look the key up (environment, keyring) off the UI thread. Without one, asks for it
        (``key_required``) and returns False."""
        lookup = await self.services.on_disk(self.services.key_store.load)
        if not lookup.key:
            self.events.key_required.emit(lookup.problem or "")
            return False
        self.api_key, self.key_source = lookup.key, lookup.source
        self.events.key_changed.emit()
        return True

    async def set_key(self, key: str) -> KeySaveResult:
        """Keep a new key (in the keyring when there is one) and use it from now on."""
        key = key.strip()
        result = await self.services.on_disk(self.services.key_store.save, key)
        self.api_key = key
        self.key_source = "keyring" if result.persisted else "session"
        self.events.key_changed.emit()
        self.replace_client()
        return result

    def client(self) -> anthropic.AsyncAnthropic | None:
        """The SDK client for the key and settings in use, made on first use (None: no key)."""
        from desktop_app.api.client_factory import make_client

        if self._client is None and self.api_key:
            self._client = make_client(self.api_key, self.services.settings)
        return self._client

    def replace_client(self) -> None:
        """The next request gets a new client (new key or settings); the old one is closed at
        shutdown, since a reply may still be using it."""
        if self._client is not None:
            self._old_clients.append(self._client)
            self._client = None

    async def test_connection(self, settings: Settings) -> str:
        """Try settings (base URL, proxy, timeout) by listing models; say what happened."""
        from desktop_app.api.client_factory import make_client
        from desktop_app.api.models_api import fetch_models

        if not self.api_key:
            return self.tr("Enter an API key first.")
        client = make_client(self.api_key, settings)
        try:
            models = await fetch_models(client)
        except sdk_error() as exc:
            return self.tr("Failed: {reason}").format(reason=error_sentence(describe_error(exc)))
        except (ValueError, ImportError) as exc:  # a malformed proxy URL, a missing SOCKS extra
            return self.tr("Failed: {reason}").format(reason=exc)
        finally:
            await client.close()
        return self.tr("Connected: {count} models available.").format(count=len(models))

    async def close(self) -> None:
        """Close every client made (at shutdown, once nothing uses them any more)."""
        for client in [*self._old_clients, *([self._client] if self._client else [])]:
            await client.close()
        self._client = None
        self._old_clients.clear()
