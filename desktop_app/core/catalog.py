"""The models a user can pick, and what each supports, as the Models API describes them.

The live list comes from ``models.list()``; a cached copy lets Cairn start offline and a small
built-in list covers the very first start without a network. Capabilities are kept as the
API's plain dict so that new keys need no code change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

EFFORT_LEVELS = ("low", "medium", "high", "xhigh", "max")


@dataclass(frozen=True)
class ModelInfo:
    """One model from the Models API."""

    id: str
    display_name: str
    created_at: str = ""
    lifecycle: str = "active"
    line: str | None = None
    max_input_tokens: int | None = None
    max_tokens: int | None = None
    capabilities: dict[str, Any] = field(default_factory=dict)
    builtin: bool = False  # True for the fallback entries, whose capabilities are unknown

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> ModelInfo:
        """Build from a ``ModelInfo`` as the API (or our cache) serialises it."""
        return cls(
            id=str(data["id"]),
            display_name=str(data.get("display_name") or data["id"]),
            created_at=str(data.get("created_at") or ""),
            lifecycle=str(data.get("lifecycle") or "active"),
            line=data.get("line"),
            max_input_tokens=data.get("max_input_tokens"),
            max_tokens=data.get("max_tokens"),
            capabilities=dict(data.get("capabilities") or {}),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "display_name": self.display_name,
            "created_at": self.created_at,
            "lifecycle": self.lifecycle,
            "line": self.line,
            "max_input_tokens": self.max_input_tokens,
            "max_tokens": self.max_tokens,
            "capabilities": self.capabilities,
        }

    def supports(self, *path: str) -> bool:
        """Whether the capability at ``path`` is marked supported, e.g.
        ``supports("thinking", "types", "adaptive")``. Unknown means no."""
        node: Any = self.capabilities
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return False
            node = node[key]
        if isinstance(node, dict):
            return bool(node.get("supported"))
        return bool(node)

    @property
    def effort_levels(self) -> list[str]:
        """The effort levels the model accepts, lowest first (empty: no effort control)."""
        if not self.supports("effort"):
            return []
        return [level for level in EFFORT_LEVELS if self.supports("effort", level)]

    @property
    def is_active(self) -> bool:
        return self.lifecycle == "active"


# The built-in list: enough to start and chat before the Models API has answered once.
# Capabilities are left empty on purpose, so no optional parameter is sent to a model whose
# support we have not been told about. The limits are the documented ones of the current
# generation (platform.claude.com/docs/en/models/<model>/overview: each of Opus 5.5,
# Sonnet 5.5 and Haiku 5.5 has a 1M-token context window and 128K max output tokens);
# the Models API's own figures replace them as soon as it answers.
FALLBACK_MODELS: tuple[ModelInfo, ...] = (
    ModelInfo("claude-opus-5-5", "Claude Opus 5.5", "2026-09-01T00:00:00Z", line="opus",
              max_input_tokens=1_000_000, max_tokens=128_000, builtin=True),
    ModelInfo("claude-sonnet-5-5", "Claude Sonnet 5.5", "2026-09-01T00:00:00Z", line="sonnet",
              max_input_tokens=1_000_000, max_tokens=128_000, builtin=True),
    ModelInfo("claude-haiku-5-5", "Claude Haiku 5.5", "2026-10-01T00:00:00Z", line="haiku",
              max_input_tokens=1_000_000, max_tokens=128_000, builtin=True),
)


class Catalog:
    """An ordered set of models: what the picker shows and what requests are checked against."""

    def __init__(self, models: Iterable[ModelInfo], *, from_api: bool) -> None:
        self._models = sorted(
            (m for m in models if m.lifecycle != "retired"),
            key=lambda m: (not m.is_active, _line_rank(m.line), _neg_date(m.created_at)),
        )
        self._by_id = {m.id: m for m in self._models}
        self.from_api = from_api

    @classmethod
    def fallback(cls) -> Catalog:
        return cls(FALLBACK_MODELS, from_api=False)

    @property
    def models(self) -> list[ModelInfo]:
        return list(self._models)

    def get(self, model_id: str | None) -> ModelInfo | None:
        return self._by_id.get(model_id or "")

    def default_model(self) -> ModelInfo | None:
        """The newest active Opus; failing that the newest active model; else anything."""
        active = [m for m in self._models if m.is_active]
        opus = [m for m in active if m.line == "opus" or (m.line is None and "opus" in m.id)]
        for group in (opus, active, self._models):
            if group:
                return max(group, key=lambda m: m.created_at)
        return None

    def resolve(self, wanted: str | None) -> ModelInfo | None:
        """The wanted model if it is listed, else the default."""
        return self.get(wanted) or self.default_model()


_LINE_ORDER = {"opus": 0, "sonnet": 1, "haiku": 2}


def _line_rank(line: str | None) -> int:
    return _LINE_ORDER.get(line or "", 3)


def _neg_date(created_at: str) -> tuple[int, ...]:
    """Sort key putting newer dates first (ISO strings compare as text)."""
    return tuple(-ord(c) for c in created_at)
