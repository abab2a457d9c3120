"""The last model list the Models API gave, so Cairn can start offline."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from desktop_app.core.catalog import ModelInfo
from desktop_app.storage.atomic_file import write_json_atomic

log = logging.getLogger(__name__)


class ModelCache:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> list[ModelInfo] | None:
        """The cached models, or None when there is no usable cache."""
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
            models = [ModelInfo.from_api(m) for m in data["models"]]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("model cache unreadable: %s", exc)
            return None
        return models or None

    def save(self, models: list[ModelInfo]) -> None:
        try:
            write_json_atomic(self.path, {"models": [m.to_json() for m in models]})
        except OSError as exc:  # a cache: losing it costs only an offline start
            log.warning("cannot write model cache: %s", exc)
