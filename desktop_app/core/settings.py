"""User preferences: the defaults each new conversation starts from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

DEFAULT_MAX_TOKENS = 16_000


@dataclass
class Settings:
    """Global settings, saved in the user config directory.

    Attributes:
        default_model: the model new conversations use (None: the catalog's default).
        max_tokens: the reply length limit, capped by each model's own maximum.
        system_prompt: the system prompt new conversations start with.
        base_url: an API base URL (proxy, gateway); empty uses ANTHROPIC_BASE_URL or the SDK's.
        max_retries: how often the SDK retries a failed request by itself.
        timeout_seconds: how long to wait for the API before giving up.
        theme: "system", "light" or "dark".
    """

    default_model: str | None = None
    max_tokens: int = DEFAULT_MAX_TOKENS
    system_prompt: str = ""
    base_url: str = ""
    max_retries: int = 2
    timeout_seconds: float = 600.0
    theme: str = "system"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Settings:
        """Read known fields, ignoring unknown ones and values of the wrong type."""
        defaults = cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value, default = data[f.name], getattr(defaults, f.name)
            if default is None or isinstance(value, type(default)) or (
                isinstance(default, float) and isinstance(value, int)
            ):
                values[f.name] = value
        settings = cls(**values)
        settings.max_tokens = max(1, int(settings.max_tokens))
        settings.max_retries = min(10, max(0, int(settings.max_retries)))
        settings.timeout_seconds = min(3600.0, max(5.0, float(settings.timeout_seconds)))
        if settings.theme not in ("system", "light", "dark"):
            settings.theme = "system"
        return settings
