"""The real API's rules on client tools: the ``tools`` a request offers (names, schemas, known
keys, unique names), ``tool_choice`` and its clash with thinking, the thinking that must open a
tool-use turn still in progress, and what a scripted reply may call (a ``Reply`` with
``tool_uses`` must be one the real model could give for the request). ``tool_use`` /
``tool_result`` blocks inside messages are checked in ``content_validation.py``."""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from .canonical import _message_blocks
from .errors import _ApiFailure, _invalid
from .server_tool_rules import family, validate_server_tool

if TYPE_CHECKING:
    from .scripts import Reply


TOOL_NAME_PATTERN = "^[a-zA-Z0-9_-]{1,128}$"
"""What the API accepts as a custom tool's name (``{1,64}`` before mid-2025)."""
TOOL_USE_ID_PATTERN = "^[a-zA-Z0-9_-]+$"
TOOL_RESULT_CONTENT_TYPES = ("text", "image", "search_result", "document", "tool_reference")
"""The block types a ``tool_result``'s list content may hold."""
TOOL_CHOICE_TYPES = ("auto", "any", "tool", "none")
TOOL_USE_SYSTEM_TOKENS = {"auto": 346, "none": 346, "any": 313, "tool": 313}
"""The system prompt the API adds to a request with tools, in tokens, by ``tool_choice``
(the figures the pricing page gives for current models): counted as input and cached at the
very start of the prefix."""

_CUSTOM_TOOL_KEYS = frozenset({
    "type", "name", "description", "input_schema", "cache_control", "strict", "defer_loading",
    "eager_input_streaming", "input_examples", "allowed_callers",
})
_TOOL_CHOICE_KEYS = {
    "auto": frozenset({"type", "disable_parallel_tool_use"}),
    "any": frozenset({"type", "disable_parallel_tool_use"}),
    "tool": frozenset({"type", "name", "disable_parallel_tool_use"}),
    "none": frozenset({"type"}),
}
# Other versioned Anthropic-defined tools (bash, text editor, computer, memory ...): accepted by
# their type's prefix, without deep validation. Web search, web fetch and code execution are
# checked in ``server_tool_rules.py``.
_SERVER_TOOL_PREFIXES = (
    "web_search_", "web_fetch_", "code_execution_", "bash_", "text_editor_", "computer_",
    "memory_", "tool_search_tool_", "mcp_toolset",
)
_SCHEMA_COMBINATORS = ("oneOf", "anyOf", "allOf")
_INVALID_SCHEMA = ("JSON schema is invalid. It must match JSON Schema draft 2020-12 "
                   "(https://json-schema.org/draft/2020-12). Learn more about tool use at "
                   "https://platform.claude.com/docs/en/agents-and-tools/tool-use/overview.")
_THINKING_FIRST = (
    "When `thinking` is enabled, a final `assistant` message must start with a thinking block "
    "(preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you "
    "include thinking blocks from previous turns. To avoid this requirement, disable "
    "`thinking`. Please consult our documentation at "
    "https://docs.claude.com/en/docs/build-with-claude/extended-thinking")


def _thinking_kind(body: dict[str, Any]) -> str | None:
    config = body.get("thinking")
    kind = config.get("type") if isinstance(config, dict) else None
    return kind if kind in ("enabled", "adaptive") else None


def _has_tool_result(message: Any) -> bool:
    content = message.get("content") if isinstance(message, dict) else None
    return isinstance(content, list) and any(
        isinstance(b, dict) and b.get("type") == "tool_result" for b in content)


def tool_turn_start(messages: list[Any]) -> int | None:
    """The index of the assistant message that opened the tool-use turn still in progress: the
    request ends with a user message of tool results, and the turn began after the last user
    message that holds no tool result. ``None`` when no tool-use turn is in progress."""
    if not messages or not _has_tool_result(messages[-1]):
        return None
    start = None
    for i in range(len(messages) - 1, -1, -1):
        msg = messages[i]
        role = msg.get("role") if isinstance(msg, dict) else None
        if role == "assistant":
            start = i
        elif not _has_tool_result(msg):
            break
    return start


class ToolRules:
    """``FakeAnthropicServer``'s checks of tools, ``tool_choice`` and tool-use turns."""

    _lock: threading.RLock
    _served_tool_uses: dict[str, bool]
    script_errors: list[str]
    rejected_tool_types: set[str]

    # -- tools and tool_choice ---------------------------------------------------------------
    def _validate_tools(self, tools: Any) -> None:
        if tools is None:
            return
        if not isinstance(tools, list):
            raise _invalid("tools: Input should be a valid list")
        names: list[str] = []
        for i, tool in enumerate(tools):
            where = f"tools.{i}"
            if not isinstance(tool, dict):
                raise _invalid(f"{where}: Input should be a valid dictionary")
            kind = tool.get("type", "custom")
            if kind == "custom" or kind is None:
                self._validate_custom_tool(tool, f"{where}.custom")
            elif isinstance(kind, str) and family(kind) is not None:
                with self._lock:
                    rejected = set(self.rejected_tool_types)
                validate_server_tool(tool, where, rejected)
            elif isinstance(kind, str) and kind.startswith(_SERVER_TOOL_PREFIXES):
                if not isinstance(tool.get("name"), str):
                    raise _invalid(f"{where}.{kind}.name: Field required")
            else:
                raise _invalid(f"{where}: Input tag '{kind}' found using 'type' does not match "
                               "any of the expected tags")
            names.append(tool["name"])
        if len(set(names)) != len(names):
            raise _invalid("tools: Tool names must be unique.")

    @staticmethod
    def _validate_custom_tool(tool: dict[str, Any], where: str) -> None:
        for key in tool:
            if key not in _CUSTOM_TOOL_KEYS:
                raise _invalid(f"{where}.{key}: Extra inputs are not permitted")
        name = tool.get("name")
        if not isinstance(name, str):
            raise _invalid(f"{where}.name: Field required")
        if not re.match(TOOL_NAME_PATTERN, name):
            raise _invalid(f"{where}.name: String should match pattern '{TOOL_NAME_PATTERN}'")
        if "description" in tool and not isinstance(tool["description"], str):
            raise _invalid(f"{where}.description: Input should be a valid string")
        for flag in ("strict", "defer_loading", "eager_input_streaming"):
            if flag in tool and not isinstance(tool[flag], bool):
                raise _invalid(f"{where}.{flag}: Input should be a valid boolean")
        if "input_schema" not in tool:
            raise _invalid(f"{where}.input_schema: Field required")
        schema = tool["input_schema"]
        if not isinstance(schema, dict):
            raise _invalid(f"{where}.input_schema: Input should be a valid dictionary")
        if schema.get("type") != "object":
            raise _invalid(f"{where}.input_schema.type: Input should be 'object'")
        if any(key in schema for key in _SCHEMA_COMBINATORS):
            raise _invalid(f"{where}.input_schema: input_schema does not support oneOf, allOf, "
                           "or anyOf at the top level")
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError:
            raise _invalid(f"{where}.input_schema: {_INVALID_SCHEMA}") from None

    @staticmethod
    def _validate_tool_choice(body: dict[str, Any]) -> None:
        choice = body.get("tool_choice")
        if choice is None:
            return
        if not isinstance(choice, dict):
            raise _invalid("tool_choice: Input should be a valid dictionary")
        kind = choice.get("type")
        if kind not in TOOL_CHOICE_TYPES:
            raise _invalid(f"tool_choice: Input tag '{kind}' found using 'type' does not match "
                           "any of the expected tags: 'auto', 'any', 'tool', 'none'")
        for key in choice:
            if key not in _TOOL_CHOICE_KEYS[kind]:
                raise _invalid(f"tool_choice.{kind}.{key}: Extra inputs are not permitted")
        if "disable_parallel_tool_use" in choice and not isinstance(
                choice["disable_parallel_tool_use"], bool):
            raise _invalid(f"tool_choice.{kind}.disable_parallel_tool_use: Input should be a "
                           "valid boolean")
        names = [t.get("name") for t in body.get("tools") or [] if isinstance(t, dict)]
        if kind in ("any", "tool") and not names:
            raise _invalid(f"tool_choice.{kind}: tool_choice forces tool use, but the request "
                           "defines no `tools`")
        if kind == "tool":
            name = choice.get("name")
            if not isinstance(name, str):
                raise _invalid("tool_choice.tool.name: Field required")
            if name not in names:
                raise _invalid(f"tool_choice.tool.name: Tool '{name}' not found in `tools`")
        if kind in ("any", "tool") and _thinking_kind(body) is not None:
            raise _invalid("Thinking may not be enabled when tool_choice forces tool use.")

    # -- thinking in a tool-use turn ---------------------------------------------------------
    def _validate_tool_turn_thinking(self, body: dict[str, Any]) -> None:
        """With thinking on, the assistant message that opened the tool-use turn in progress
        must start with its thinking block. The real API enforces this for
        ``thinking.type == "enabled"`` (where the model always thinks first); under adaptive
        thinking the model may not think, so the fake enforces it only for a message whose
        calls it served after a thinking block."""
        kind = _thinking_kind(body)
        messages = body["messages"]
        start = tool_turn_start(messages)
        if kind is None or start is None:
            return
        blocks = [b for i, _j, _role, b in _message_blocks(messages) if i == start]
        first = blocks[0] if blocks else None
        first_type = first.get("type") if isinstance(first, dict) else None
        if first_type in ("thinking", "redacted_thinking"):
            return
        if kind == "adaptive":
            with self._lock:
                served_with_thinking = any(
                    self._served_tool_uses.get(str(b.get("id"))) for b in blocks
                    if isinstance(b, dict) and b.get("type") == "tool_use")
            if not served_with_thinking:
                return
        raise _invalid(f"messages.{start}.content.0.type: Expected `thinking` or "
                       f"`redacted_thinking`, but found `{first_type}`. {_THINKING_FIRST}")

    # -- what a scripted reply may call ------------------------------------------------------
    def _check_tool_script(self, body: dict[str, Any], script: Reply) -> None:
        """Refuse to serve tool calls the real model could not make for this request (a test
        that scripts them would pass without the client offering the tool)."""
        if not script.tool_uses:
            return
        offered = [t.get("name") for t in body.get("tools") or [] if isinstance(t, dict)]
        choice = body.get("tool_choice") or {}
        problem = None
        names = [call.name for call in script.tool_uses]
        missing = [n for n in names if n not in offered]
        ids = [call.id for call in script.tool_uses]
        if len(set(ids)) != len(ids):
            problem = f"the reply makes two calls with one id: {ids}"
        elif missing:
            problem = (f"the reply calls {missing}, but the request offers only "
                       f"{offered} as `tools`")
        elif choice.get("type") == "none":
            problem = "the reply calls tools, but the request's tool_choice is 'none'"
        elif choice.get("type") == "tool" and set(names) != {choice.get("name")}:
            problem = (f"the reply calls {names}, but tool_choice forces "
                       f"{choice.get('name')!r}")
        elif choice.get("disable_parallel_tool_use") and len(names) > 1:
            problem = (f"the reply makes {len(names)} calls, but the request sets "
                       "disable_parallel_tool_use")
        elif (_thinking_kind(body) == "enabled" and script.thinking is None
              and not script.redacted_thinking and tool_turn_start(body["messages"]) is None):
            problem = ("the request has thinking enabled and starts a new turn: the real model "
                       "thinks before it calls a tool, so give the Reply a `thinking` text")
        if problem is not None:
            with self._lock:
                self.script_errors.append(problem)
            raise _ApiFailure(500, "api_error", f"fake_api script error: {problem}",
                              headers={"x-should-retry": "false"})

    def _remember_tool_uses(self, ids: list[str], after_thinking: bool) -> None:
        with self._lock:
            for tool_use_id in ids:
                self._served_tool_uses[tool_use_id] = after_thinking
