"""The real API's rules on the definitions of Claude's server tools in ``tools``: the version
tags it knows (those of the installed SDK's ``*_tool_*_param.py`` types), the keys each version
takes, and the values of each key (domains, ``max_uses``, ``user_location``, ``citations``,
``max_content_tokens`` ...); and whether the request's model supports the tool (its Models API
capabilities). ``FakeAnthropicServer.rejected_tool_types`` makes chosen version tags unknown, so
a client's fallback to an older version can be tested."""

from __future__ import annotations

import re
import zoneinfo
from functools import cache
from typing import Any

from .errors import _invalid
from .models import _cap


_COMMON = frozenset({"type", "name", "allowed_callers", "cache_control", "defer_loading",
                     "strict"})
_SEARCH = _COMMON | {"allowed_domains", "blocked_domains", "max_uses", "user_location"}
_FETCH = _COMMON | {"allowed_domains", "blocked_domains", "citations", "max_content_tokens",
                    "max_uses", "url_sources"}

SERVER_TOOL_KEYS: dict[str, frozenset[str]] = {
    "web_search_20250305": _SEARCH,
    "web_search_20260209": _SEARCH,
    "web_search_20260318": _SEARCH | {"response_inclusion"},
    "web_fetch_20250910": _FETCH,
    "web_fetch_20260209": _FETCH,
    "web_fetch_20260309": _FETCH | {"use_cache"},
    "web_fetch_20260318": _FETCH | {"use_cache", "response_inclusion"},
    "code_execution_20250522": _COMMON,
    "code_execution_20250825": _COMMON,
    "code_execution_20260120": _COMMON,
    "code_execution_20260521": _COMMON,
}
"""Each server tool version the installed SDK defines, with the keys its definition takes."""
SERVER_TOOL_FAMILIES = ("web_search", "web_fetch", "code_execution")
"""A definition whose ``type`` starts with one of these and ``_`` is checked here."""
_CALLERS = ("direct", "code_execution_20250825", "code_execution_20260120",
            "code_execution_20260521")
_CAPABILITY = {"web_search": ("server_tools", "web_search"),
               "code_execution": ("server_tools", "code_execution"),
               # the Models API has no web_fetch flag: it goes with server tools as a whole
               "web_fetch": ("server_tools",)}
_URL_SOURCE_KEYS = ("client_tool_results", "server_tool_results", "user_input")


def family(kind: str) -> str | None:
    """``"web_search"`` for ``"web_search_20260318"`` ...; ``None`` for other types."""
    for name in SERVER_TOOL_FAMILIES:
        if kind.startswith(name + "_"):
            return name
    return None


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_server_tool(tool: dict[str, Any], where: str, rejected: set[str]) -> None:
    """Refuse a web search / web fetch / code execution definition the real API refuses (the
    messages follow the API's ``tools.N.<type>.<key>: ...`` shape)."""
    kind = str(tool.get("type"))
    if kind not in SERVER_TOOL_KEYS or kind in rejected:
        raise _invalid(f"{where}: Input tag '{kind}' found using 'type' does not match any of "
                       "the expected tags")
    at = f"{where}.{kind}"
    name = family(kind)
    for key in tool:
        if key not in SERVER_TOOL_KEYS[kind]:
            raise _invalid(f"{at}.{key}: Extra inputs are not permitted")
    if "name" not in tool:
        raise _invalid(f"{at}.name: Field required")
    if tool["name"] != name:
        raise _invalid(f"{at}.name: Input should be '{name}'")
    for flag in ("defer_loading", "strict", "use_cache"):
        if flag in tool and not isinstance(tool[flag], bool):
            raise _invalid(f"{at}.{flag}: Input should be a valid boolean")
    callers = tool.get("allowed_callers")
    if callers is not None and (not isinstance(callers, list)
                                or any(c not in _CALLERS for c in callers)):
        raise _invalid(f"{at}.allowed_callers: Input should be a list of "
                       + ", ".join(repr(c) for c in _CALLERS))
    if "response_inclusion" in tool and tool["response_inclusion"] not in ("full", "excluded"):
        raise _invalid(f"{at}.response_inclusion: Input should be 'full' or 'excluded'")
    for key in ("max_uses", "max_content_tokens"):
        value = tool.get(key)
        if value is None:
            continue
        if not _is_int(value):
            raise _invalid(f"{at}.{key}: Input should be a valid integer")
        if value < 1:
            raise _invalid(f"{at}.{key}: Input should be greater than or equal to 1")
    _check_domains(tool, at)
    if tool.get("user_location") is not None:
        _check_location(tool["user_location"], f"{at}.user_location")
    citations = tool.get("citations")
    if citations is not None and (not isinstance(citations, dict) or set(citations) - {"enabled"}
                                  or not isinstance(citations.get("enabled", False), bool)):
        raise _invalid(f"{at}.citations: Input should be an object with a boolean `enabled`")
    sources = tool.get("url_sources")
    if sources is not None and (not isinstance(sources, dict)
                                or set(sources) - set(_URL_SOURCE_KEYS)):
        raise _invalid(f"{at}.url_sources: Input should be an object with keys "
                       + ", ".join(f"`{k}`" for k in _URL_SOURCE_KEYS))


def _check_domains(tool: dict[str, Any], at: str) -> None:
    allowed, blocked = tool.get("allowed_domains"), tool.get("blocked_domains")
    if allowed is not None and blocked is not None:
        raise _invalid(f"{at}: Cannot specify both allowed_domains and blocked_domains. "
                       "Use one or the other.")
    for key, domains in (("allowed_domains", allowed), ("blocked_domains", blocked)):
        if domains is None:
            continue
        if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
            raise _invalid(f"{at}.{key}: Input should be a valid list of strings")
        if not domains:
            raise _invalid(f"{at}.{key}: List should have at least 1 item after validation, "
                           "not 0")
        for d in domains:
            if not d.strip():
                raise _invalid(f"{at}.{key}: domains must be non-empty")
            if "://" in d:
                raise _invalid(f"{at}.{key}: Domain '{d}' should not include the scheme "
                               "(use 'example.com', not 'https://example.com')")


def _check_location(location: Any, at: str) -> None:
    if not isinstance(location, dict):
        raise _invalid(f"{at}: Input should be a valid dictionary")
    if location.get("type") != "approximate":
        raise _invalid(f"{at}.type: Input should be 'approximate'")
    for key in location:
        if key not in ("type", "city", "region", "country", "timezone"):
            raise _invalid(f"{at}.{key}: Extra inputs are not permitted")
    for key in ("city", "region", "country", "timezone"):
        value = location.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise _invalid(f"{at}.{key}: Input should be a valid string")
        if not 1 <= len(value) <= 255:
            raise _invalid(f"{at}.{key}: String should have between 1 and 255 characters")
    country = location.get("country")
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        raise _invalid(f"{at}.country: String should be a two-letter ISO 3166-1 alpha-2 "
                       "country code (e.g. 'US')")
    timezone = location.get("timezone")
    if timezone is not None and timezone not in _timezones():
        raise _invalid(f"{at}.timezone: Invalid IANA time zone: '{timezone}'")


def check_model_supports(tools: Any, model: dict[str, Any]) -> None:
    """Refuse a server tool the request's model does not support (its capabilities)."""
    for i, tool in enumerate(tools if isinstance(tools, list) else []):
        kind = tool.get("type") if isinstance(tool, dict) else None
        name = family(kind) if isinstance(kind, str) else None
        if name is None:
            continue
        if not _cap(model, *_CAPABILITY[name]):
            raise _invalid(f"tools.{i}.{kind}: '{kind}' is not supported on model "
                           f"'{model.get('id')}'. Check the model's capabilities in the "
                           "Models API.")
