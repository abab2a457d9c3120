"""User preferences: the defaults each new conversation starts from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from desktop_app.core.options import ChatOptions
from desktop_app.core.server_tools import ServerToolOptions

DEFAULT_MAX_TOKENS = 16_000

# The user interface languages Cairn ships ("" follows the operating system's language).
LANGUAGES = ("", "en", "zh_CN")


@dataclass
class Settings:
    """Global settings, saved in the user config directory.

    Attributes:
        default_model: the model new conversations use (None: the catalog's default).
        max_tokens: the reply length limit, capped by each model's own maximum.
        thinking, effort, budget_tokens, cache_ttl, compaction: the defaults of
            :class:`ChatOptions` (see there); each conversation may override them.
        full_resolution_images: send images up to the API's maximum size instead of
            downscaling them to the models' standard 1568 px long edge.
        system_prompt: the system prompt new conversations start with.
        stop_sequences: texts that end a reply when Claude writes them.
        base_url: an API base URL (gateway); empty uses ANTHROPIC_BASE_URL or the SDK's.
        proxy: an HTTP(S) or SOCKS5 proxy URL; empty for none (or the environment's).
        max_retries: how often the SDK retries a failed request by itself.
        timeout_seconds: how long to wait for the API before giving up.
        theme: "system", "light" or "dark".
        tray_icon: keep running in the system tray when the window is closed.
        language: the user interface language, one of :data:`LANGUAGES`: "en", "zh_CN",
            or "" to follow the operating system's language (English when it has none of
            these). A change applies when Cairn is next started.
        generate_titles: name new conversations with a short, cheap request after the first
            reply; its cost is counted like any other.
        tools: which MCP servers and tools new conversations offer Claude
            (``core.tool_selection.ToolSelection`` as JSON; None: every enabled server's tools).
        tools_always_allowed: tools the user chose "Always allow" for, as
            ``"<server id>/<tool name>"``; revocable in Settings -> Tools.
        tools_auto_approve_read_only: run without asking the tools their server marks
            read-only (off unless the user turns it on: a server's own word is not proof).
        tool_timeout_seconds: how long one tool call may take before it is answered with an
            error result saying it timed out.
        tool_rounds_per_turn: how many rounds of tool calls one reply may make before Cairn
            stops it with a notice and a Continue button (a runaway loop costs money).
        server_tools: which of Claude's own tools (web search, web fetch, code execution)
            new conversations offer, and how; a conversation overrides parts of it in
            ``options["server_tools"]`` (``core.server_tools``).
        pause_resumes: how often a turn Claude paused (``pause_turn``: long server-side work)
            is resumed without asking; after that the reply waits with a Continue button.
    """

    default_model: str | None = None
    max_tokens: int = DEFAULT_MAX_TOKENS
    thinking: str = "on"
    effort: str = "high"
    budget_tokens: int = 8_000
    cache_ttl: str = "5m"
    compaction: bool = True
    full_resolution_images: bool = False
    system_prompt: str = ""
    stop_sequences: list[str] | None = None
    base_url: str = ""
    proxy: str = ""
    max_retries: int = 2
    timeout_seconds: float = 600.0
    theme: str = "system"
    tray_icon: bool = False
    language: str = ""
    generate_titles: bool = True
    tools: dict[str, Any] | None = None
    tools_always_allowed: list[str] | None = None
    tools_auto_approve_read_only: bool = False
    tool_timeout_seconds: float = 60.0
    tool_rounds_per_turn: int = 25
    server_tools: ServerToolOptions = field(default_factory=ServerToolOptions)
    pause_resumes: int = 5

    def chat_options(self) -> ChatOptions:
        """The defaults every conversation starts from."""
        return ChatOptions.from_json(self.to_json())

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["server_tools"] = self.server_tools.to_json()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Settings:
        """Read known fields, ignoring unknown ones and values of the wrong type."""
        defaults = cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value, default = data[f.name], getattr(defaults, f.name)
            if isinstance(value, bool) != isinstance(default, bool):
                continue  # JSON true/false is not a number, and a number is not a flag
            if f.name == "server_tools":
                values[f.name] = ServerToolOptions.from_json(value)
            elif f.name == "default_model":
                if value is None or isinstance(value, str):
                    values[f.name] = value
            elif default is None or isinstance(value, type(default)) or (
                isinstance(default, float) and isinstance(value, int)
            ):
                values[f.name] = value
        settings = cls(**values)
        settings.max_tokens = max(1, int(settings.max_tokens))
        settings.max_retries = min(10, max(0, int(settings.max_retries)))
        settings.timeout_seconds = min(3600.0, max(5.0, float(settings.timeout_seconds)))
        settings.tool_timeout_seconds = min(3600.0, max(1.0, float(settings.tool_timeout_seconds)))
        settings.tool_rounds_per_turn = min(500, max(1, int(settings.tool_rounds_per_turn)))
        settings.pause_resumes = min(50, max(0, int(settings.pause_resumes)))
        if not isinstance(settings.tools_always_allowed, list) or not all(
            isinstance(s, str) and "/" in s for s in settings.tools_always_allowed
        ):
            settings.tools_always_allowed = None
        if not isinstance(settings.tools, dict):
            settings.tools = None
        if settings.theme not in ("system", "light", "dark"):
            settings.theme = "system"
        if settings.language not in LANGUAGES:
            settings.language = ""
        options = settings.chat_options()  # drops invalid option values to their defaults
        for name, value in options.to_json().items():
            setattr(settings, name, value)
        if not isinstance(settings.stop_sequences, list) or not all(
            isinstance(s, str) and s for s in settings.stop_sequences
        ):
            settings.stop_sequences = None
        return settings
