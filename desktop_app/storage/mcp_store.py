"""The user's MCP servers on disk: their configurations in ``<config dir>/mcp_servers.json``,
and the values of their environment variables and headers (API keys, tokens) in the system
keyring, one entry per server. A secret is never written to a file: with no keyring, or one
that refuses, the secrets live for this run only and the result says so.

Every method blocks (the keyring may talk to a daemon, or ask the user to unlock it): call
them off the UI thread.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from desktop_app.core.mcp_servers import McpServerConfig, Transport
from desktop_app.storage.atomic_file import write_json_atomic

log = logging.getLogger(__name__)

SERVICE = "Cairn MCP"
OAUTH_SUFFIX = "/oauth"  # username of a server's sign-in entry: "<server id>/oauth"
FILE_NAME = "mcp_servers.json"
MCP_SCHEMA = 1

Fact = str | int


class StoreProblemKind(StrEnum):
    """What went wrong; facts are the names in the English sentence (``ENGLISH``, for logs)."""

    FILE_UNREADABLE = "file_unreadable"  # reason, aside (where the broken file was moved)
    NEWER_VERSION = "newer_version"  # the file is from a newer Cairn: used, never overwritten
    SERVER_UNREADABLE = "server_unreadable"  # position (1-based), reason: that entry skipped
    CANNOT_WRITE = "cannot_write"  # reason (from the system)
    KEYRING_UNAVAILABLE = "keyring_unavailable"  # no keyring on this system
    KEYRING_ERROR = "keyring_error"  # reason (the keyring's error type, e.g. KeyringLocked)
    KEYRING_NOT_KEPT = "keyring_not_kept"  # server: the keyring accepted secrets, kept nothing
    SECRETS_MISSING = "secrets_missing"  # server, names ("API_KEY, Authorization")


ENGLISH: Mapping[StoreProblemKind, str] = MappingProxyType({
    StoreProblemKind.FILE_UNREADABLE:
        "The MCP servers file could not be read ({reason}); it was set aside as {aside}.",
    StoreProblemKind.NEWER_VERSION:
        "The MCP servers were saved by a newer version of Cairn; changes are not saved.",
    StoreProblemKind.SERVER_UNREADABLE: "MCP server number {position} could not be read ({reason}).",
    StoreProblemKind.CANNOT_WRITE: "The MCP servers could not be saved ({reason}).",
    StoreProblemKind.KEYRING_UNAVAILABLE:
        "No system keyring is available, so the MCP servers' secrets cannot be kept: they are "
        "used until Cairn closes and never written to a file.",
    StoreProblemKind.KEYRING_ERROR:
        "The system keyring could not be used ({reason}), so the MCP servers' secrets are "
        "used until Cairn closes and never written to a file.",
    StoreProblemKind.KEYRING_NOT_KEPT:
        "The system keyring accepted the secrets of {server!r} but did not keep them; they are "
        "used until Cairn closes and never written to a file.",
    StoreProblemKind.SECRETS_MISSING:
        "The keyring has no saved value for {names} of the MCP server {server!r}.",
})


@dataclass(frozen=True)
class StoreProblem:
    kind: StoreProblemKind
    facts: Mapping[str, Fact] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return ENGLISH[self.kind].format(**self.facts)


@dataclass(frozen=True)
class McpLoadResult:
    """The servers (secrets filled in where the keyring had them) and what went wrong."""

    servers: tuple[McpServerConfig, ...] = ()
    problems: tuple[StoreProblem, ...] = ()


@dataclass(frozen=True)
class McpSaveResult:
    """``saved``: the file was written; ``secrets_kept``: every secret is in the keyring (when
    False, ``problems`` says why; the caller keeps using the values it has, for this run)."""

    saved: bool
    secrets_kept: bool
    problems: tuple[StoreProblem, ...] = ()


class McpStore:
    """Loads and saves the server list; remembers which keyring entries it wrote, so a save
    touches the keyring only for servers whose secrets changed (each write may ask the user
    to unlock the keyring) and removes the entries of removed servers."""

    def __init__(self, config_dir: Path) -> None:
        self.path = config_dir / FILE_NAME
        self.read_only = False
        self._kept: dict[str, str] = {}  # server id -> the JSON in its keyring entry
        self._unread: set[str] = set()  # server ids whose secrets the keyring could not give
        self._owned: set[str] = set()  # server ids that have (or may have) a keyring entry
        self._signed_in: set[str] = set()  # server ids whose sign-in this store has kept

    # -- load ------------------------------------------------------------------------------------

    def load(self) -> McpLoadResult:
        """The saved servers; a broken file is set aside (and reported) so a save cannot
        overwrite what the user may still want to recover."""
        self._kept.clear()
        self._unread.clear()
        self._owned.clear()
        self._signed_in.clear()
        problems: list[StoreProblem] = []
        entries = self._read_entries(problems)
        if entries is None:
            return McpLoadResult((), tuple(problems))
        configs: list[McpServerConfig] = []
        seen: set[str] = set()
        for position, entry in enumerate(entries, start=1):
            try:
                config = McpServerConfig.from_json(entry, None)
            except ValueError as exc:
                problems.append(StoreProblem(StoreProblemKind.SERVER_UNREADABLE,
                                             {"position": position, "reason": str(exc)}))
                continue
            if config.id in seen:
                problems.append(StoreProblem(StoreProblemKind.SERVER_UNREADABLE,
                                             {"position": position, "reason": "a repeated id"}))
                continue
            seen.add(config.id)
            configs.append(config)
        return McpLoadResult(tuple(self._with_secrets(configs, problems)), tuple(problems))

    def _read_entries(self, problems: list[StoreProblem]) -> list[Any] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("servers", []), list):
                raise ValueError("not a list of servers")
            version = data.get("schema", 1)
            if not isinstance(version, int) or isinstance(version, bool) or version < 1:
                raise ValueError(f"unknown schema {version!r:.20}")
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("MCP servers file unreadable: %s", type(exc).__name__)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            aside = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
            try:
                os.replace(self.path, aside)
            except OSError:
                self.read_only = True  # cannot move it: at least never overwrite it
            problems.append(StoreProblem(StoreProblemKind.FILE_UNREADABLE,
                                         {"reason": str(exc)[:200], "aside": aside.name}))
            return None
        if version > MCP_SCHEMA:
            self.read_only = True
            problems.append(StoreProblem(StoreProblemKind.NEWER_VERSION))
        servers: list[Any] = data.get("servers", [])
        return servers

    def _with_secrets(
        self, configs: list[McpServerConfig], problems: list[StoreProblem]
    ) -> list[McpServerConfig]:
        # Remote servers may have a sign-in entry; removing one later removes that too.
        self._signed_in.update(c.id for c in configs if c.transport is Transport.HTTP)
        needing = [config for config in configs if config.has_secrets()]
        if not needing:
            return configs  # the keyring is not touched (it may ask to be unlocked)
        keyring, errors = _keyring()
        filled: dict[str, McpServerConfig] = {}
        for config in needing:
            try:
                raw = keyring.get_password(SERVICE, config.id)
            except errors.NoKeyringError:
                problems.append(StoreProblem(StoreProblemKind.KEYRING_UNAVAILABLE))
                break
            except errors.KeyringError as exc:
                log.warning("keyring read failed: %s", type(exc).__name__)
                problems.append(StoreProblem(StoreProblemKind.KEYRING_ERROR,
                                             {"reason": type(exc).__name__}))
                break
            secrets = _parsed(raw)
            missing = config.missing_secrets(secrets)
            if missing:
                problems.append(StoreProblem(StoreProblemKind.SECRETS_MISSING,
                                             {"server": config.name, "names": ", ".join(missing)}))
            else:
                self._kept[config.id] = raw or ""
            filled[config.id] = McpServerConfig.from_json(config.to_json(), secrets)
        self._owned.update(c.id for c in needing)
        self._unread.update(c.id for c in needing if c.id not in self._kept)
        return [filled.get(config.id, config) for config in configs]

    # -- save ------------------------------------------------------------------------------------

    def save(self, servers: Sequence[McpServerConfig]) -> McpSaveResult:
        """Write the file (names only), then each server's changed secrets to the keyring, and
        remove the keyring entries of servers that no longer have any."""
        if self.read_only:
            return McpSaveResult(False, False, (StoreProblem(StoreProblemKind.NEWER_VERSION),))
        try:
            write_json_atomic(self.path, {
                "schema": MCP_SCHEMA, "servers": [server.to_json() for server in servers]})
        except OSError as exc:
            log.warning("MCP servers file not written: %s", exc)
            return McpSaveResult(False, False, (StoreProblem(
                StoreProblemKind.CANNOT_WRITE, {"reason": exc.strerror or type(exc).__name__}),))
        problems = self._save_secrets(servers)
        return McpSaveResult(True, not problems, tuple(problems))

    # -- sign-in (OAuth) -------------------------------------------------------------------------

    def load_oauth(self, server_id: str) -> str | None:
        """A remote server's sign-in (tokens, client registration) as the api wrote it, or
        None (never signed in, or no keyring: then the user signs in again next run)."""
        keyring, errors = _keyring()
        try:
            value: str | None = keyring.get_password(SERVICE, server_id + OAUTH_SUFFIX)
        except errors.KeyringError as exc:
            log.warning("keyring read failed: %s", type(exc).__name__)
            return None
        return value

    def save_oauth(self, server_id: str, data: str) -> StoreProblem | None:
        """Keep a sign-in in the keyring; what went wrong otherwise (never a file)."""
        keyring, errors = _keyring()
        try:
            keyring.set_password(SERVICE, server_id + OAUTH_SUFFIX, data)
            kept = keyring.get_password(SERVICE, server_id + OAUTH_SUFFIX)
        except errors.NoKeyringError:
            return StoreProblem(StoreProblemKind.KEYRING_UNAVAILABLE)
        except errors.KeyringError as exc:
            log.warning("keyring write failed: %s", type(exc).__name__)
            return StoreProblem(StoreProblemKind.KEYRING_ERROR, {"reason": type(exc).__name__})
        if kept != data:
            return StoreProblem(StoreProblemKind.KEYRING_NOT_KEPT, {"server": server_id})
        self._signed_in.add(server_id)
        return None

    def forget_oauth(self, server_id: str) -> None:
        """Sign out: the tokens and registration are removed from the keyring."""
        keyring, errors = _keyring()
        try:
            keyring.delete_password(SERVICE, server_id + OAUTH_SUFFIX)
        except errors.PasswordDeleteError:
            pass
        except errors.KeyringError as exc:
            log.warning("keyring delete failed: %s", type(exc).__name__)
            return
        self._signed_in.discard(server_id)

    def _save_secrets(self, servers: Sequence[McpServerConfig]) -> list[StoreProblem]:
        for server_id in self._signed_in - {server.id for server in servers}:
            self.forget_oauth(server_id)  # a removed server's sign-in goes with it
        keep = {server.id for server in servers if server.has_secrets()}
        deletes = sorted(self._owned - keep)
        changed = [
            server for server in servers
            if server.has_secrets() and self._kept.get(server.id) != _payload(server.secrets())
        ]
        if not changed and not deletes:
            return []
        keyring, errors = _keyring()
        problems: list[StoreProblem] = []
        try:
            for server in changed:
                secrets = server.secrets()
                if server.id in self._unread:
                    # Its values did not come from the keyring at load: an empty one is not
                    # the user's choice, so the keyring's value (if it now gives one) stays.
                    secrets = _merged(secrets, _parsed(keyring.get_password(SERVICE, server.id)))
                payload = _payload(secrets)
                keyring.set_password(SERVICE, server.id, payload)
                self._owned.add(server.id)
                if keyring.get_password(SERVICE, server.id) != payload:
                    problems.append(StoreProblem(StoreProblemKind.KEYRING_NOT_KEPT,
                                                 {"server": server.name}))
                    continue
                self._kept[server.id] = payload
                self._unread.discard(server.id)
            for server_id in deletes:
                try:
                    keyring.delete_password(SERVICE, server_id)
                except errors.PasswordDeleteError:
                    pass  # nothing there
                self._owned.discard(server_id)
                self._kept.pop(server_id, None)
        except errors.NoKeyringError:
            return [StoreProblem(StoreProblemKind.KEYRING_UNAVAILABLE)]
        except errors.KeyringError as exc:
            log.warning("keyring write failed: %s", type(exc).__name__)
            return [StoreProblem(StoreProblemKind.KEYRING_ERROR, {"reason": type(exc).__name__})]
        return problems


def _payload(secrets: Mapping[str, Mapping[str, str]]) -> str:
    return json.dumps(secrets, sort_keys=True, ensure_ascii=False)


def _merged(
    secrets: dict[str, dict[str, str]], stored: Mapping[str, Any] | None
) -> dict[str, dict[str, str]]:
    if stored is None:
        return secrets
    merged = {part: dict(values) for part, values in secrets.items()}
    for part, values in merged.items():
        kept = stored.get(part)
        if not isinstance(kept, Mapping):
            continue
        for name, value in values.items():
            if not value and isinstance(kept.get(name), str):
                values[name] = kept[name]
    return merged


def _parsed(raw: str | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _keyring() -> tuple[Any, Any]:
    """The keyring package and its errors, imported on first use (see key_store._keyring)."""
    import keyring
    import keyring.errors

    return keyring, keyring.errors
