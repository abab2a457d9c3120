"""Claude's own tools (web search, web fetch, code execution): the user's choices, which models
take them, and the tool definitions sent for them.

These tools run on Anthropic's side, so Cairn only offers them (a definition in ``tools``)
and shows what came back. The choices are plain data: ``Settings.server_tools`` holds the
defaults and ``conversation.options["server_tools"]`` a conversation's partial overrides,
read with :meth:`ServerToolOptions.from_json` over those defaults. Nothing here is sent that
the API would refuse: domain lists are never empty and never both kinds, the location is
sent only when asked for and only with the fields that are valid.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from desktop_app.core.catalog import ModelInfo

SERVER_TOOLS = ("web_search", "web_fetch", "code_execution")
DOMAINS_MODES = ("any", "only", "except")

# The version tag sent when nothing better is known (the api layer discovers the newest the
# installed SDK defines, and falls back to older ones the API accepts).
DEFAULT_VERSIONS: Mapping[str, str] = {
    "web_search": "web_search_20250305",
    "web_fetch": "web_fetch_20250910",
    "code_execution": "code_execution_20250825",
}

MAX_SEARCH_USES = 100  # a sanity bound for the form; the API sets none of its own
MAX_DOMAINS = 100
_LOCATION_TEXT_LIMIT = 100

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
# An IANA zone name: "UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5".
_TIMEZONE = re.compile(r"^(UTC|GMT|[A-Z][A-Za-z_]+(/[A-Za-z0-9_+\-]+){1,2})$")


@dataclass(frozen=True)
class ServerToolOptions:
    """Which of Claude's own tools a conversation offers, and how.

    Attributes:
        web_search: offer web search.
        search_max_uses: how many searches one reply may make (sent as ``max_uses``).
        domains_mode: "any" (no filter), "only" (``allowed_domains``) or "except"
            (``blocked_domains``); the API refuses both lists at once, so there is one mode.
        domains: normalised host names (optionally with a path) for the mode; when empty,
            no filter is sent (the API refuses an empty list).
        location: send an approximate user location, so results suit where the user is
            (off by default: it says something about the user).
        city, region: free text; country: ISO 3166-1 alpha-2; timezone: an IANA zone name.
        web_fetch: offer web fetch (Claude reads pages whose address is in the conversation).
        fetch_citations: ask for citations of fetched pages (off in the API by default).
        fetch_max_content_tokens: cut a fetched page to about this many tokens (None: no cut).
        code_execution: offer code execution in a sandboxed container.
    """

    web_search: bool = False
    search_max_uses: int = 5
    domains_mode: str = "any"
    domains: tuple[str, ...] = ()
    location: bool = False
    city: str = ""
    region: str = ""
    country: str = ""
    timezone: str = ""
    web_fetch: bool = False
    fetch_citations: bool = True
    fetch_max_content_tokens: int | None = None
    code_execution: bool = False

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (the domains as a list)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["domains"] = list(self.domains)
        return data

    @classmethod
    def from_json(cls, data: Any, base: ServerToolOptions | None = None) -> ServerToolOptions:
        """Options from JSON, keeping ``base`` (or the defaults) for missing or bad values.

        Hostile-safe: anything that is not a dict, and any value of the wrong type or out of
        range, is ignored rather than trusted, so a hand-edited file cannot make Cairn send
        a request the API refuses.
        """
        result = base or cls()
        if not isinstance(data, dict):
            return result
        changes: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = _checked(f.name, data[f.name])
            if value is not _INVALID:
                changes[f.name] = value
        return replace(result, **changes)


class _Invalid:
    pass


_INVALID: Any = _Invalid()
_FLAGS = ("web_search", "location", "web_fetch", "fetch_citations", "code_execution")


def _checked(name: str, value: Any) -> Any:
    """``value`` as the field ``name`` keeps it, or ``_INVALID``."""
    if name in _FLAGS:
        return value if isinstance(value, bool) else _INVALID
    if name == "search_max_uses":
        return value if _is_int(value) and 1 <= value <= MAX_SEARCH_USES else _INVALID
    if name == "fetch_max_content_tokens":
        if value is None:
            return None
        return value if _is_int(value) and value >= 1 else _INVALID
    if name == "domains_mode":
        return value if value in DOMAINS_MODES else _INVALID
    if name == "domains":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            return _INVALID
        hosts, _ = parse_domains("\n".join(value))
        return hosts
    if name == "country":
        if not isinstance(value, str):
            return _INVALID
        value = value.strip().upper()
        return value if value == "" or _COUNTRY.match(value) else _INVALID
    if name == "timezone":
        if not isinstance(value, str):
            return _INVALID
        value = value.strip()
        return value if value == "" or valid_timezone(value) else _INVALID
    if name in ("city", "region"):
        if not isinstance(value, str):
            return _INVALID
        value = " ".join(value.split())
        return value if len(value) <= _LOCATION_TEXT_LIMIT else _INVALID
    return _INVALID


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def valid_country(text: str) -> bool:
    """Whether ``text`` looks like an ISO 3166-1 alpha-2 code ("FR"; upper or lower case)."""
    return bool(_COUNTRY.match(text.strip().upper()))


def valid_timezone(text: str) -> bool:
    """Whether ``text`` has the shape of an IANA zone name ("Europe/Paris", "UTC")."""
    return bool(_TIMEZONE.match(text.strip()))


def parse_domains(text: str) -> tuple[tuple[str, ...], list[str]]:
    """Domain names typed by the user -> (normalised hosts, the entries that are not valid).

    Entries are separated by commas, spaces or new lines. A scheme ("https://") and a
    trailing "/" are dropped; a path is kept (the API filters on it); host
    names are lower-cased and internationalised ones written in ASCII (punycode). A port,
    a wildcard, user info or a bare word without a dot is not a domain. Duplicates are
    kept once, in the order typed.
    """
    hosts: list[str] = []
    invalid: list[str] = []
    for entry in re.split(r"[\s,;]+", text):
        if not entry:
            continue
        host = _normalised_domain(entry)
        if host is None:
            invalid.append(entry)
        elif host not in hosts:
            hosts.append(host)
    return tuple(hosts[:MAX_DOMAINS]), invalid


def _normalised_domain(entry: str) -> str | None:
    text = entry.strip()
    text = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", text)
    host, slash, path = text.partition("/")
    host = host.rstrip(".").lower()
    if not host or any(c in host for c in ":@*?#[]"):
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = ascii_host.split(".")
    if len(labels) < 2 or len(ascii_host) > 253 or not all(_LABEL.match(x) for x in labels):
        return None
    if labels[-1].isdigit():
        return None  # an IP address is not a domain the filter takes
    path = path.split("?")[0].split("#")[0].rstrip("/")
    if path and any(c.isspace() for c in path):
        return None
    return f"{ascii_host}/{path}" if slash and path else ascii_host


# What the documentation lists for the built-in models (their capabilities are unknown until
# the Models API answers): every current model takes all three tools.
_BUILTIN_SUPPORT = frozenset(SERVER_TOOLS)


def supported_server_tools(model: ModelInfo) -> frozenset[str]:
    """The server tools ``model`` takes.

    From the Models API's ``capabilities.server_tools`` (``web_search``, ``code_execution``);
    it has no flag for web fetch, which is offered wherever web search is (the two are
    documented for the same models). A built-in model (no capabilities yet) uses the
    documented list.
    """
    if model.builtin:
        return _BUILTIN_SUPPORT
    supported: set[str] = set()
    if model.supports("server_tools", "web_search"):
        supported.update(("web_search", "web_fetch"))
    if model.supports("server_tools", "code_execution"):
        supported.add("code_execution")
    return frozenset(supported)


def enabled_server_tools(options: ServerToolOptions, model: ModelInfo) -> tuple[str, ...]:
    """The tools turned on and taken by ``model``, in :data:`SERVER_TOOLS` order."""
    supported = supported_server_tools(model)
    return tuple(name for name in SERVER_TOOLS if getattr(options, name) and name in supported)


def server_tools_param(
    options: ServerToolOptions, model: ModelInfo, versions: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The tool definitions for the enabled tools, in a fixed order with fixed key order, so
    the same choices give byte-identical ``tools`` (the prompt cache stays warm).

    Args:
        options: the conversation's effective choices.
        model: the model; tools it does not take are left out.
        versions: tool name -> version tag to send (e.g. ``"web_search_20260318"``); a tool
            missing here uses :data:`DEFAULT_VERSIONS`.
    """
    tools: list[dict[str, Any]] = []
    for name in enabled_server_tools(options, model):
        tool: dict[str, Any] = {"type": versions.get(name) or DEFAULT_VERSIONS[name], "name": name}
        if name == "web_search":
            tool["max_uses"] = options.search_max_uses
            if options.domains and options.domains_mode == "only":
                tool["allowed_domains"] = list(options.domains)
            elif options.domains and options.domains_mode == "except":
                tool["blocked_domains"] = list(options.domains)
            location = _location_param(options)
            if location:
                tool["user_location"] = location
        elif name == "web_fetch":
            tool["citations"] = {"enabled": options.fetch_citations}
            if options.fetch_max_content_tokens:
                tool["max_content_tokens"] = options.fetch_max_content_tokens
        tools.append(tool)
    return tools


def _location_param(options: ServerToolOptions) -> dict[str, str] | None:
    """The ``user_location`` for the options, or None when off or empty. Fields are checked
    again here, so a value that slipped past the form is left out instead of refused."""
    if not options.location:
        return None
    location = {"type": "approximate"}
    if options.city.strip():
        location["city"] = options.city.strip()
    if options.region.strip():
        location["region"] = options.region.strip()
    if options.country and valid_country(options.country):
        location["country"] = options.country.strip().upper()
    if options.timezone and valid_timezone(options.timezone):
        location["timezone"] = options.timezone.strip()
    return location if len(location) > 1 else None


CONVERSATION_OPTION = "server_tools"
"""The key of ``conversation.options`` holding a conversation's own choices (partial)."""


def effective_server_tools(defaults: ServerToolOptions, conversation_options: Any) -> ServerToolOptions:
    """The defaults with a conversation's own choices (``options["server_tools"]``) on top."""
    overrides = conversation_options.get(CONVERSATION_OPTION) if isinstance(conversation_options, dict) else None
    return ServerToolOptions.from_json(overrides, base=defaults)
