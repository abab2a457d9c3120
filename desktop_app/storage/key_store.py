"""The API key: in the OS keyring, or in the environment, never in a plain file.

All methods block (the keyring may talk to a daemon): call them off the UI thread.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


log = logging.getLogger(__name__)

SERVICE = "Cairn"
USERNAME = "anthropic-api-key"
ENV_VAR = "ANTHROPIC_API_KEY"


@dataclass(frozen=True)
class KeyLookup:
    """Where the key came from: "environment", "keyring", "session" (this run only) or None."""

    key: str | None
    source: str | None
    problem: str | None = None


@dataclass(frozen=True)
class KeySaveResult:
    persisted: bool
    problem: str | None = None


def mask(key: str) -> str:
    """How a key may ever be shown again: its start and last four characters."""
    if len(key) <= 12:
        return "•" * len(key)
    return f"{key[:7]}…{key[-4:]}"


class KeyStore:
    """Finds and keeps the key; a missing keyring keeps it in memory for this run only."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ
        self._session_key: str | None = None

    def load(self) -> KeyLookup:
        env_key = (self._environ.get(ENV_VAR) or "").strip()
        if env_key:
            return KeyLookup(env_key, "environment")
        if self._session_key:
            return KeyLookup(self._session_key, "session")
        keyring, errors = _keyring()
        try:
            stored = keyring.get_password(SERVICE, USERNAME)
        except errors.NoKeyringError:
            return KeyLookup(None, None, NO_KEYRING_MESSAGE)
        except errors.KeyringError as exc:
            log.warning("keyring read failed: %s", type(exc).__name__)
            return KeyLookup(None, None, f"The system keyring could not be read ({type(exc).__name__}).")
        return KeyLookup(stored, "keyring" if stored else None)

    def save(self, key: str) -> KeySaveResult:
        """Keep the key in the keyring, and say so only once it can be read back from there
        (a backend may accept the key and keep nothing: keyring's null backend, a misconfigured
        one); otherwise it is kept in memory for this run only, and ``problem`` says why."""
        key = key.strip()
        self._session_key = None
        keyring, errors = _keyring()
        try:
            keyring.set_password(SERVICE, USERNAME, key)
            kept = keyring.get_password(SERVICE, USERNAME)
        except errors.NoKeyringError:
            self._session_key = key
            return KeySaveResult(False, NO_KEYRING_MESSAGE)
        except errors.KeyringError as exc:
            self._session_key = key
            log.warning("keyring write failed: %s", type(exc).__name__)
            return KeySaveResult(
                False,
                f"The system keyring refused the key ({type(exc).__name__}). "
                "It will be used until Cairn closes, and is not saved anywhere else.",
            )
        if kept != key:
            self._session_key = key
            log.warning("the keyring (%s) did not keep the key", _backend_name(keyring))
            return KeySaveResult(False, NOT_KEPT_MESSAGE)
        return KeySaveResult(True)

    def forget(self) -> None:
        """Remove the saved key (used when the API rejects it)."""
        self._session_key = None
        keyring, errors = _keyring()
        try:
            keyring.delete_password(SERVICE, USERNAME)
        except (errors.PasswordDeleteError, errors.NoKeyringError):
            pass
        except errors.KeyringError as exc:
            log.warning("keyring delete failed: %s", type(exc).__name__)


def _keyring() -> tuple[Any, Any]:
    """The keyring package and its errors, imported on first use (on the disk thread, after
    the window is up: it takes about 75 ms to import)."""
    import keyring
    import keyring.errors

    return keyring, keyring.errors


def _backend_name(keyring: Any) -> str:
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - only for the log line
        return "unknown"
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


NOT_KEPT_MESSAGE = (
    "The system keyring accepted your key but did not keep it, so it is not saved. Cairn will "
    "use it until it closes and will ask again next time; it is never written to a file."
)
NO_KEYRING_MESSAGE = (
    "No system keyring is available, so your key cannot be saved. Cairn will use it until it "
    "closes and will ask again next time; it is never written to a file."
)
