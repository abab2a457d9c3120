"""Settings on disk: a versioned JSON file in the user config directory."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop_app.core.os_error_reason import OsErrorReason
from desktop_app.core.settings import Settings
from desktop_app.storage.atomic_file import write_json_atomic

log = logging.getLogger(__name__)

SETTINGS_SCHEMA = 1
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


@dataclass(frozen=True)
class SettingsProblem:
    """Why the settings file was not used as it is, as data the window words.

    Attributes:
        newer: the file is from a newer Cairn (used as far as understood, never saved).
        reason: else why it could not be read: "not_json" (``line``, ``column`` in
            ``facts``), "not_utf8", "not_object", "unknown_schema", or "os_error"
            (``error``: an ``OsErrorReason``).
    """

    newer: bool = False
    reason: str = ""
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The English sentence (logs, and what Cairn always said)."""
        if self.newer:
            return ("Your settings were saved by a newer version of Cairn. They are used as "
                    "far as this version understands them, and changes are not saved.")
        detail = {
            "not_json": "not valid JSON (line {line}, column {column})",
            "not_utf8": "not UTF-8 text",
            "not_object": "not a JSON object",
            "unknown_schema": "an unknown format version",
        }.get(self.reason, "{error}").format(**{"line": 0, "column": 0, "error": "",
                                                **self.facts})
        return f"Your settings file could not be read ({detail}); defaults are in use."


def _unreadable(exc: Exception) -> SettingsProblem:
    if isinstance(exc, json.JSONDecodeError):
        return SettingsProblem(reason="not_json", facts={"line": exc.lineno, "column": exc.colno})
    if isinstance(exc, UnicodeDecodeError):
        return SettingsProblem(reason="not_utf8")
    if isinstance(exc, OSError):
        return SettingsProblem(reason="os_error", facts={"error": OsErrorReason.of(exc)})
    return SettingsProblem(reason=str(exc.args[0]) if exc.args else "not_object")


class SettingsStore:
    """Loads and saves :class:`Settings`; a broken file is set aside and defaults are used."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: SettingsProblem | None = None
        self.read_only = False  # a file from a newer Cairn is used but never overwritten

    def load(self) -> Settings:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not_object")
            version = data.get("schema", 1)
            if not isinstance(version, int) or isinstance(version, bool) or version < 1:
                raise ValueError("unknown_schema")
            if version > SETTINGS_SCHEMA:
                self.read_only = True
                self.problem = SettingsProblem(newer=True)
            while version < SETTINGS_SCHEMA:
                data = MIGRATIONS[version](data)
                version += 1
            return Settings.from_json(data)
        except FileNotFoundError:
            return Settings()
        except (OSError, ValueError) as exc:
            log.warning("settings unreadable: %s", exc)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            aside = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
            try:
                os.replace(self.path, aside)
            except OSError:
                pass
            self.problem = _unreadable(exc)
            return Settings()

    def save(self, settings: Settings) -> None:
        """Raises OSError when the file cannot be written (the old one is then intact)."""
        if self.read_only:
            return
        write_json_atomic(self.path, {"schema": SETTINGS_SCHEMA, **settings.to_json()})
