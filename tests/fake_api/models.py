"""The Models API: the models the fake knows by default (with the real API's capability tree),
how a capability is read from it, and ``GET /v1/models`` (paging, lifecycle filter) and
``GET /v1/models/{id}``. Requests are validated against the same list."""

from __future__ import annotations

import copy
from typing import Any

from .errors import _invalid


def _sup(flag: bool) -> dict[str, bool]:
    return {"supported": flag}


def _capabilities(
    *,
    adaptive: bool,
    enabled: bool,
    between_tools: bool,
    effort: tuple[str, ...],
    compact: bool,
) -> dict[str, Any]:
    return {
        "batch": _sup(True),
        "citations": _sup(True),
        "code_execution": _sup(True),
        "context_management": {
            "supported": True,
            "clear_thinking_20251015": _sup(True),
            "clear_tool_uses_20250919": _sup(True),
            "compact_20260112": _sup(compact),
        },
        "effort": {
            "supported": bool(effort),
            "low": _sup("low" in effort),
            "medium": _sup("medium" in effort),
            "high": _sup("high" in effort),
            "max": _sup("max" in effort),
            "xhigh": _sup("xhigh" in effort),
        },
        "image_input": _sup(True),
        "pdf_input": _sup(True),
        "server_tools": {
            "supported": True,
            "code_execution": _sup(True),
            "web_search": _sup(True),
        },
        "structured_outputs": _sup(True),
        "thinking": {
            "supported": adaptive or enabled or between_tools,
            "types": {
                "adaptive": _sup(adaptive),
                "between_tools": _sup(between_tools),
                "disabled": _sup(True),
                "enabled": _sup(enabled),
            },
        },
    }


def default_models() -> list[dict[str, Any]]:
    """Fresh ModelInfo dicts (the shape of ``anthropic.types.ModelInfo``), newest first.

    ``claude-opus-4-7`` (adaptive thinking only, effort low..max incl. xhigh, compaction,
    1M input, 128000 max_tokens), ``claude-sonnet-4-6`` (adaptive + budget thinking, effort
    low/medium/high/max, compaction, 64000), ``claude-haiku-4-5`` (budget thinking only, no
    effort, no compaction, 64000) and the deprecated ``claude-opus-4-1`` (budget thinking only,
    32000).
    """
    return [
        {
            "id": "claude-opus-4-7",
            "type": "model",
            "display_name": "Claude Opus 4.7",
            "created_at": "2026-04-16T00:00:00Z",
            "lifecycle": "active",
            "deprecated_at": None,
            "retires_at": None,
            "line": "opus",
            "max_input_tokens": 1_000_000,
            "max_tokens": 128_000,
            "capabilities": _capabilities(
                adaptive=True, enabled=False, between_tools=True,
                effort=("low", "medium", "high", "xhigh", "max"), compact=True,
            ),
        },
        {
            "id": "claude-sonnet-4-6",
            "type": "model",
            "display_name": "Claude Sonnet 4.6",
            "created_at": "2026-02-17T00:00:00Z",
            "lifecycle": "active",
            "deprecated_at": None,
            "retires_at": None,
            "line": "sonnet",
            "max_input_tokens": 1_000_000,
            "max_tokens": 64_000,
            "capabilities": _capabilities(
                adaptive=True, enabled=True, between_tools=False,
                effort=("low", "medium", "high", "max"), compact=True,
            ),
        },
        {
            "id": "claude-haiku-4-5",
            "type": "model",
            "display_name": "Claude Haiku 4.5",
            "created_at": "2025-10-15T00:00:00Z",
            "lifecycle": "active",
            "deprecated_at": None,
            "retires_at": None,
            "line": "haiku",
            "max_input_tokens": 200_000,
            "max_tokens": 64_000,
            "capabilities": _capabilities(
                adaptive=False, enabled=True, between_tools=False, effort=(), compact=False,
            ),
        },
        {
            "id": "claude-opus-4-1",
            "type": "model",
            "display_name": "Claude Opus 4.1",
            "created_at": "2025-08-05T00:00:00Z",
            "lifecycle": "deprecated",
            "deprecated_at": "2026-03-01T00:00:00Z",
            "retires_at": "2026-12-01T00:00:00Z",
            "line": "opus",
            "max_input_tokens": 200_000,
            "max_tokens": 32_000,
            "capabilities": _capabilities(
                adaptive=False, enabled=True, between_tools=False, effort=(), compact=False,
            ),
        },
    ]


def _cap(model: dict[str, Any], *path: str) -> bool:
    """A capability flag of ``model``; a model without ``capabilities`` allows everything."""
    node: Any = model.get("capabilities")
    if node is None:
        return True
    for key in path:
        if not isinstance(node, dict) or node.get(key) is None:
            return False
        node = node[key]
    if isinstance(node, dict):
        return bool(node.get("supported"))
    return bool(node)


class ModelsApi:
    """``FakeAnthropicServer``'s model list: sorting, lookup and the paged listing."""

    models: list[dict[str, Any]]

    # -- models ------------------------------------------------------------------------------
    def _sorted_models(self) -> list[dict[str, Any]]:
        models = list(self.models)
        return sorted(models, key=lambda m: str(m.get("created_at", "")), reverse=True)

    def _find_model(self, model_id: str) -> dict[str, Any] | None:
        for m in list(self.models):
            if m.get("id") == model_id:
                return m
        return None

    def _list_models(self, query: dict[str, str]) -> dict[str, Any]:
        try:
            limit = int(query.get("limit", "20"))
        except ValueError:
            raise _invalid("limit: Input should be a valid integer") from None
        if limit < 1:
            raise _invalid("limit: Input should be greater than or equal to 1")
        if limit > 1000:
            raise _invalid("limit: Input should be less than or equal to 1000")
        wanted_raw = query.get("lifecycle[]") or query.get("lifecycle")
        wanted = set(wanted_raw.split(",")) if wanted_raw else {"active", "deprecated"}
        models = [m for m in self._sorted_models() if m.get("lifecycle", "active") in wanted]
        ids = [m["id"] for m in models]
        after, before = query.get("after_id"), query.get("before_id")
        if after is not None:
            if after not in ids:
                page, has_more = [], False
            else:
                start = ids.index(after) + 1
                page, has_more = models[start:start + limit], start + limit < len(models)
        elif before is not None:
            if before not in ids:
                page, has_more = [], False
            else:
                end = ids.index(before)
                start = max(0, end - limit)
                page, has_more = models[start:end], start > 0
        else:
            page, has_more = models[:limit], limit < len(models)
        return {
            "data": copy.deepcopy(page),
            "has_more": has_more,
            "first_id": page[0]["id"] if page else None,
            "last_id": page[-1]["id"] if page else None,
        }
