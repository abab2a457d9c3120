"""The rules the real API enforces on a whole request, checked before any script is used: auth
and ``anthropic-version``, known fields and the betas some need, the model, ``max_tokens``,
``thinking`` and thinking blocks sent back, ``output_config.effort``, ``cache_control``
breakpoints, ``context_management`` and the prompt's length. Messages and their content blocks
are checked in ``content_validation.py``, tools and ``tool_choice`` in ``tools.py``."""

from __future__ import annotations

import hmac
import threading
from typing import Any

from .canonical import _message_blocks
from .errors import _ApiFailure, _invalid
from .models import _cap
from .scripts import RecordedRequest
from .server_tool_rules import check_model_supports
from .signatures import _BindingPrefix


COMPACT_BETA = "compact-2026-01-12"
"""``anthropic-beta`` value that unlocks ``context_management`` compaction and compaction blocks."""
CONTEXT_MANAGEMENT_BETA = "context-management-2025-06-27"
"""``anthropic-beta`` value that unlocks the ``clear_*`` context management edits."""
MAX_CACHE_BREAKPOINTS = 4
EFFORT_LEVELS = ("low", "medium", "high", "xhigh", "max")


_MESSAGE_FIELDS = frozenset({
    "model", "messages", "max_tokens", "stream", "system", "thinking", "output_config",
    "cache_control", "metadata", "stop_sequences", "tool_choice", "tools", "service_tier",
    "speed", "container", "diagnostics", "inference_geo", "context_management", "compaction",
    "mcp_servers", "billing_policy", "fallback_credit_token", "fallbacks", "thread",
})
_COUNT_FIELDS = frozenset({
    "model", "messages", "system", "thinking", "output_config", "cache_control", "tool_choice",
    "tools", "speed", "context_management", "compaction", "mcp_servers", "billing_policy",
})
_BETA_ONLY_FIELDS = {
    "context_management": (COMPACT_BETA, CONTEXT_MANAGEMENT_BETA),
    "compaction": ("compact-2026-09-04",),
}


class RequestValidation:
    """``FakeAnthropicServer``'s checks of a request as a whole."""

    api_key: str | None
    _lock: threading.RLock
    _signatures: dict[str, str | None]
    _redacted: dict[str, str | None]

    def _check_headers(self, rec: RecordedRequest) -> None:
        if self.api_key is not None:
            # SDK 2.x sends the key as ``Authorization: Bearer <key>``; older clients (and curl
            # examples) use ``x-api-key``. Accept either, like the real API.
            key = rec.headers.get("x-api-key")
            auth = rec.headers.get("authorization", "")
            if key is None and auth.lower().startswith("bearer "):
                key = auth[len("bearer "):].strip()
            if key is None:
                raise _ApiFailure(401, "authentication_error", "x-api-key header is required")
            if not hmac.compare_digest(key.encode(), self.api_key.encode()):
                raise _ApiFailure(401, "authentication_error", "invalid x-api-key")
        if not rec.headers.get("anthropic-version"):
            raise _invalid("anthropic-version: header is required")

    # -- validation --------------------------------------------------------------------------
    def _betas(self, rec: RecordedRequest) -> set[str]:
        raw = rec.headers.get("anthropic-beta", "")
        return {b.strip() for b in raw.split(",") if b.strip()}

    def _validate(self, rec: RecordedRequest,
                  count_tokens: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        body = rec.body
        if body is None:
            raise _invalid("There was an error parsing the body of your request: "
                           "expected a JSON object")
        allowed = _COUNT_FIELDS if count_tokens else _MESSAGE_FIELDS
        for key in body:
            if key not in allowed:
                raise _invalid(f"{key}: Extra inputs are not permitted")
        required = ("model", "messages") if count_tokens else ("model", "max_tokens", "messages")
        for key in required:
            if key not in body:
                raise _invalid(f"{key}: Field required")
        betas = self._betas(rec)
        for key, needed in _BETA_ONLY_FIELDS.items():
            if key in body and not betas.intersection(needed):
                raise _invalid(f"{key}: Extra inputs are not permitted (this field requires the "
                               f"`anthropic-beta: {needed[0]}` header)")
        model_id = body["model"]
        if not isinstance(model_id, str) or not model_id:
            raise _invalid("model: Input should be a valid string")
        model = self._find_model(model_id)
        if model is None or model.get("lifecycle") == "retired":
            raise _ApiFailure(404, "not_found_error", f"model: {model_id}")

        if not count_tokens:
            max_tokens = body["max_tokens"]
            if not isinstance(max_tokens, int) or isinstance(max_tokens, bool):
                raise _invalid("max_tokens: Input should be a valid integer")
            if max_tokens < 1:
                raise _invalid("max_tokens: Input should be greater than or equal to 1")
            limit = model.get("max_tokens")
            if isinstance(limit, int) and max_tokens > limit:
                raise _invalid(f"max_tokens: {max_tokens} > {limit}, which is the maximum "
                               f"allowed number of output tokens for {model_id}")
            if "stream" in body and not isinstance(body["stream"], bool):
                raise _invalid("stream: Input should be a valid boolean")
        self._validate_system(body.get("system"))
        self._validate_tools(body.get("tools"))
        check_model_supports(body.get("tools"), model)
        self._validate_tool_choice(body)
        self._validate_messages(body["messages"], model, betas)
        self._validate_server_blocks(body)
        if not count_tokens:
            self._validate_container(body)
        self._validate_thinking(body, model, count_tokens)
        first_binds = self._validate_thinking_blocks(body)
        self._validate_tool_turn_thinking(body)
        self._validate_output_config(body.get("output_config"), model)
        self._validate_cache_control(body)
        self._validate_context_management(body.get("context_management"), model, betas)
        limit_in = model.get("max_input_tokens")
        total = self._prompt(body).total_tokens
        if isinstance(limit_in, int) and total > limit_in:
            raise _invalid(f"prompt is too long: {total} tokens > {limit_in} maximum")
        if not count_tokens:
            with self._lock:  # blocks issued without ``before=``: bound by their first use
                for table, key, digest in first_binds:
                    if table.get(key, "") is None:
                        table[key] = digest
        return body, model

    def _validate_thinking(self, body: dict[str, Any], model: dict[str, Any],
                           count_tokens: bool) -> None:
        thinking = body.get("thinking")
        if thinking is None:
            return
        if not isinstance(thinking, dict):
            raise _invalid("thinking: Input should be a valid dictionary")
        kind = thinking.get("type")
        allowed_keys = {"enabled": {"type", "budget_tokens", "display"},
                        "adaptive": {"type", "display"},
                        "disabled": {"type"},
                        "between_tools": {"type"}}
        if kind not in allowed_keys:
            raise _invalid(f"thinking: Input tag '{kind}' found using 'type' does not match any "
                           "of the expected tags: 'enabled', 'disabled', 'adaptive', "
                           "'between_tools'")
        for key in thinking:
            if key not in allowed_keys[kind]:
                raise _invalid(f"thinking.{kind}.{key}: Extra inputs are not permitted")
        if thinking.get("display") not in (None, "summarized", "omitted"):
            raise _invalid(f"thinking.{kind}.display: Input should be 'summarized' or 'omitted'")
        model_id = model.get("id")
        if not _cap(model, "thinking", "types", kind):
            hint = ""
            if kind == "enabled" and _cap(model, "thinking", "types", "adaptive"):
                hint = (" Use `thinking.type.adaptive` and `output_config.effort` to control "
                        "thinking behavior.")
            raise _invalid(f"thinking.type.{kind}: thinking type '{kind}' is not supported for "
                           f"model {model_id}.{hint}")
        if kind == "enabled":
            budget = thinking.get("budget_tokens")
            if not isinstance(budget, int) or isinstance(budget, bool):
                raise _invalid("thinking.enabled.budget_tokens: Field required")
            if budget < 1024:
                raise _invalid("thinking.enabled.budget_tokens: Input should be greater than or "
                               "equal to 1024")
            if not count_tokens and budget >= body["max_tokens"]:
                raise _invalid("`max_tokens` must be greater than `thinking.budget_tokens`. "
                               "Please consult our documentation at https://docs.claude.com/en/"
                               "docs/build-with-claude/extended-thinking#max-tokens-and-context-"
                               "window-size")

    def _validate_thinking_blocks(
        self, body: dict[str, Any]
    ) -> list[tuple[dict[str, str | None], str, str]]:
        """Thinking blocks only with thinking on, and each one after exactly the prefix it was
        produced after. Returns the (table, key, digest) of blocks sent back for the first time
        that were issued without a binding."""
        config = body.get("thinking")
        kind = config.get("type") if isinstance(config, dict) else None
        first_binds: list[tuple[dict[str, str | None], str, str]] = []
        prefix = _BindingPrefix(body.get("tools"), body.get("system"))
        for i, j, role, block in _message_blocks(body["messages"]):
            btype = block.get("type") if isinstance(block, dict) else None
            if btype in ("thinking", "redacted_thinking"):
                where = f"messages.{i}.content.{j}"
                if kind in (None, "disabled"):
                    setting = "`thinking` is not set" if kind is None else (
                        "`thinking.type` is 'disabled'")
                    raise _invalid(
                        f"{where}: `{btype}` blocks can only be sent back when thinking is "
                        f"enabled, and in this request {setting}. Remove the thinking blocks "
                        "from earlier assistant turns, or turn thinking on.")
                if btype == "thinking":
                    table, key = self._signatures, block["signature"]
                    what = "Invalid `signature` in `thinking` block"
                else:
                    table, key = self._redacted, block["data"]
                    what = "Invalid `data` in `redacted_thinking` block"
                digest = prefix.digest()
                with self._lock:
                    bound = table.get(key)
                if bound is None:
                    first_binds.append((table, key, digest))
                elif bound != digest:
                    raise _invalid(
                        f"{where}: {what}. The block is bound to a different conversation: the "
                        "system prompt, tools or messages before it have changed since it was "
                        "produced, so its signature does not match the conversation before it. "
                        "Remove the block, or set "
                        '`thinking.block_binding.prefix_mismatch_behavior` to "drop_block".')
            prefix.add(role, block)
        return first_binds

    def _validate_output_config(self, config: Any, model: dict[str, Any]) -> None:
        if config is None:
            return
        if not isinstance(config, dict):
            raise _invalid("output_config: Input should be a valid dictionary")
        for key in config:
            if key not in ("effort", "format", "task_budget"):
                raise _invalid(f"output_config.{key}: Extra inputs are not permitted")
        effort = config.get("effort")
        if effort is None:
            return
        if effort not in EFFORT_LEVELS:
            raise _invalid("output_config.effort: Input should be 'low', 'medium', 'high', "
                           "'xhigh' or 'max'")
        if not _cap(model, "effort") or not _cap(model, "effort", effort):
            raise _invalid(f"output_config.effort: effort '{effort}' is not supported by model "
                           f"{model.get('id')}")

    def _validate_cache_control(self, body: dict[str, Any]) -> None:
        self._validate_cc(body.get("cache_control"), "cache_control")
        found: list[tuple[str, str]] = []  # (where, ttl) in prompt order
        tools = body.get("tools")
        if tools is not None and not isinstance(tools, list):
            raise _invalid("tools: Input should be a valid list")
        for i, tool in enumerate(tools or []):
            if not isinstance(tool, dict) or not isinstance(tool.get("name"), str):
                raise _invalid(f"tools.{i}.name: Field required")
            if isinstance(tool, dict) and tool.get("cache_control") is not None:
                self._validate_cc(tool["cache_control"], f"tools.{i}")
                found.append((f"tools.{i}", tool["cache_control"].get("ttl", "5m")))
        system = body.get("system")
        if isinstance(system, list):
            for i, block in enumerate(system):
                if block.get("cache_control") is not None:
                    found.append((f"system.{i}", block["cache_control"].get("ttl", "5m")))
        for i, msg in enumerate(body["messages"]):
            content = msg.get("content")
            if isinstance(content, list):
                for j, block in enumerate(content):
                    if isinstance(block, dict) and block.get("cache_control") is not None:
                        found.append((f"messages.{i}.content.{j}",
                                      block["cache_control"].get("ttl", "5m")))
        if body.get("cache_control") is not None:
            found.append(("cache_control", body["cache_control"].get("ttl", "5m")))
        if len(found) > MAX_CACHE_BREAKPOINTS:
            raise _invalid(f"A maximum of {MAX_CACHE_BREAKPOINTS} blocks with cache_control may "
                           f"be provided. Found {len(found)}.")
        seen_5m = False
        for _where, ttl in found:
            if ttl == "5m":
                seen_5m = True
            elif seen_5m:
                raise _invalid("a ttl='1h' cache_control block must not come after a ttl='5m' "
                               "cache_control block. Note that blocks are processed in the "
                               "following order: `tools`, `system`, `messages`.")

    def _validate_context_management(self, cm: Any, model: dict[str, Any],
                                      betas: set[str]) -> None:
        if cm is None:
            return
        if not isinstance(cm, dict):
            raise _invalid("context_management: Input should be a valid dictionary")
        for key in cm:
            if key != "edits":
                raise _invalid(f"context_management.{key}: Extra inputs are not permitted")
        edits = cm.get("edits", [])
        if not isinstance(edits, list):
            raise _invalid("context_management.edits: Input should be a valid list")
        needs = {"compact_20260112": COMPACT_BETA,
                 "clear_tool_uses_20250919": CONTEXT_MANAGEMENT_BETA,
                 "clear_thinking_20251015": CONTEXT_MANAGEMENT_BETA}
        for i, edit in enumerate(edits):
            where = f"context_management.edits.{i}"
            kind = edit.get("type") if isinstance(edit, dict) else None
            if kind not in needs:
                raise _invalid(f"{where}: Input tag '{kind}' found using 'type' does not match "
                               "any of the expected tags: " + ", ".join(repr(k) for k in needs))
            if needs[kind] not in betas:
                raise _invalid(f"{where}: '{kind}' requires the `anthropic-beta: {needs[kind]}` "
                               "header")
            if not _cap(model, "context_management") or not _cap(model, "context_management",
                                                                  kind):
                raise _invalid(f"{where}: context management strategy '{kind}' is not supported "
                               f"for model {model.get('id')}")
            if kind == "compact_20260112":
                for key in edit:
                    if key not in ("type", "instructions", "pause_after_compaction", "trigger"):
                        raise _invalid(f"{where}.{key}: Extra inputs are not permitted")
                trigger = edit.get("trigger")
                if trigger is not None:
                    if (not isinstance(trigger, dict) or trigger.get("type") != "input_tokens"
                            or not isinstance(trigger.get("value"), int)):
                        raise _invalid(f"{where}.trigger: expected {{'type': 'input_tokens', "
                                       "'value': int}")
                    if trigger["value"] < 50_000:
                        raise _invalid(f"{where}.trigger.value: Input should be greater than or "
                                       "equal to 50000")
                if "pause_after_compaction" in edit and not isinstance(
                        edit["pause_after_compaction"], bool):
                    raise _invalid(f"{where}.pause_after_compaction: Input should be a valid "
                                   "boolean")
