"""Settings on disk: a versioned JSON file in the user config directory."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.core.settings import Settings
from desktop_app.storage.atomic_file import write_json_atomic

log = logging.getLogger(__name__)

SETTINGS_SCHEMA = 1
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class SettingsStore:
    """Loads and saves :class:`Settings`; a broken file is set aside and defaults are used."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None
        self.read_only = False  # a file from a newer Cairn is used but never overwritten

    def load(self) -> Settings:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            version = data.get("schema", 1)
            if not isinstance(version, int) or isinstance(version, bool) or version < 1:
                raise ValueError(f"unknown schema {version!r}")
            if version > SETTINGS_SCHEMA:
                self.read_only = True
                self.problem = (
                    "Your settings were saved by a newer version of Cairn. They are used as far "
                    "as this version understands them, and changes are not saved."
                )
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
            self.problem = f"Your settings file could not be read ({exc}); defaults are in use."
            return Settings()

    def save(self, settings: Settings) -> None:
        """Raises OSError when the file cannot be written (the old one is then intact)."""
        if self.read_only:
            return
        write_json_atomic(self.path, {"schema": SETTINGS_SCHEMA, **settings.to_json()})
