"""MCP tools as the Messages API takes them: a name the API accepts for every tool, the
schemas it would refuse, and the ``tools`` list of a request.

One tool the API refuses fails the whole request, so every tool is checked here before it is
offered (``schema_problem``) and reported instead of sent. The ``tools`` list sits first in
the prompt cache's prefix (tools, then system, then messages): ``tools_param`` gives the same
bytes for the same tools, so a conversation whose tools did not change keeps its cache warm.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from desktop_app.core.tool_approvals import tool_key

API_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
"""The names Cairn sends. The API now takes up to 128 characters, but 64 was its limit until
mid-2025 and is still what gateways and older proxies check, so Cairn stays within it."""
API_NAME_MAX = 64
_SEPARATOR = "__"
_HASH_CHARS = 6
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")

MAX_SCHEMA_BYTES = 64 * 1024
"""The largest input schema offered (as compact JSON). Not a published API limit: a schema
this large costs thousands of tokens in every request and is almost surely a server bug."""
MAX_DESCRIPTION_CHARS = 10_000
"""Longer descriptions are cut to this many characters (not refused): the API limits the size
of the tools it accepts, and a description is prose the model can do without the end of."""
_TOP_LEVEL_COMBINATORS = ("oneOf", "anyOf", "allOf")


@dataclass(frozen=True)
class ToolSpec:
    """One tool of one MCP server, as Cairn may offer it to Claude.

    Attributes:
        server_id: the server's stable id (``McpServerConfig.id``).
        server_name: the name the user gave the server (part of the API name).
        tool: the tool's name on its server (what ``tools/call`` is sent).
        title: the name to show people (the tool's title, else its name).
        description: the tool's description, for the model.
        input_schema: the JSON Schema of its arguments, as the server sent it.
        read_only: the server marks it read-only (``readOnlyHint``). A claim by the server,
            not a guarantee: it only matters when the user chose to trust such claims.
        remote: the server is reached over HTTP (shown on the approval card).
        api_name: the name sent to the API; set by ``api_tool_names`` (which keeps names
            unique among the tools offered together), empty until then.
    """

    server_id: str
    server_name: str
    tool: str
    title: str
    description: str
    input_schema: dict[str, Any] = field(hash=False)
    read_only: bool = False
    remote: bool = False
    api_name: str = ""

    @property
    def key(self) -> str:
        """``"<server id>/<tool>"``: how approvals and selections name this tool."""
        return tool_key(self.server_id, self.tool)


def _short_hash(spec: ToolSpec, salt: int = 0) -> str:
    text = f"{spec.server_id}/{spec.tool}" + (f"#{salt}" if salt else "")
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]


def _slug(text: str, fallback: str) -> str:
    return _UNSAFE.sub("_", text).strip("_") or fallback


def base_api_name(spec: ToolSpec) -> str:
    """``<server slug>__<tool slug>``, cut to 64 characters with a short hash of the server id
    and tool when longer, so two long names that share their start stay different.

    A slug is the name with each run of characters the API does not take made one ``_``, and
    none at either end (so the ``__`` between server and tool stays recognisable to the
    model); a name with nothing left becomes "server" or "tool" (and ``api_tool_names`` tells
    such tools apart by hash)."""
    name = f"{_slug(spec.server_name, 'server')}{_SEPARATOR}{_slug(spec.tool, 'tool')}"
    if len(name) > API_NAME_MAX:
        name = f"{name[:API_NAME_MAX - _HASH_CHARS - 1]}_{_short_hash(spec)}"
    return name


def _with_hash(name: str, spec: ToolSpec, salt: int) -> str:
    return f"{name[:API_NAME_MAX - _HASH_CHARS - 1]}_{_short_hash(spec, salt)}"


def api_tool_names(specs: Iterable[ToolSpec]) -> dict[str, ToolSpec]:
    """A unique API name for every tool, mapped to its spec (with ``api_name`` set).

    A tool's name depends only on its server's name and its own, unless two tools would share
    one (two servers with the same name, or names that differ only in characters the API does
    not take): then each of them carries a short hash of its server id and tool, so no tool
    takes the plain name by the accident of coming first. The result is the same whatever the
    order of ``specs``; a tool listed twice by its server (same server id and name) is kept
    once. Pass the same specs here and to ``tools_param`` so both agree.
    """
    unique: dict[tuple[str, str], ToolSpec] = {}
    ordered = sorted(specs, key=lambda s: (s.server_id, s.tool, s.server_name, s.title,
                                           s.description))
    for spec in ordered:
        unique.setdefault((spec.server_id, spec.tool), spec)
    groups: dict[str, list[ToolSpec]] = {}
    for spec in unique.values():
        groups.setdefault(base_api_name(spec), []).append(spec)
    plain = {name for name, members in groups.items() if len(members) == 1}
    named: dict[str, ToolSpec] = {}
    for name in sorted(plain):
        named[name] = replace(groups[name][0], api_name=name)
    for name in sorted(set(groups) - plain):
        for spec in groups[name]:  # sorted by (server id, tool)
            salt = 0
            candidate = _with_hash(name, spec, salt)
            while candidate in named or candidate in plain:
                salt += 1
                candidate = _with_hash(name, spec, salt)
            named[candidate] = replace(spec, api_name=candidate)
    return dict(sorted(named.items()))


class ToolProblemKind(StrEnum):
    """Why a tool is not offered. Each kind's facts are the names in its ``ENGLISH`` text."""

    EMPTY_NAME = "empty_name"  # (no facts): the server lists a tool without a name
    INVALID_NAME = "invalid_name"  # name: the API name Cairn made is not one the API takes
    SCHEMA_NOT_OBJECT = "schema_not_object"  # found: the schema is not a JSON object at all
    ROOT_TYPE_MISSING = "root_type_missing"  # (no facts): the schema has no "type"
    ROOT_TYPE_NOT_OBJECT = "root_type_not_object"  # found (JSON text): "type" is not "object"
    TOP_LEVEL_COMBINATOR = "top_level_combinator"  # keyword: oneOf / anyOf / allOf at the top
    NOT_JSON = "not_json"  # reason: a value JSON cannot carry (NaN, a set, ...)
    SCHEMA_TOO_LARGE = "schema_too_large"  # size, limit (bytes, ints)
    INVALID_SCHEMA = "invalid_schema"  # reason: not valid JSON Schema (the validator's words)


_K = ToolProblemKind
ENGLISH: Mapping[ToolProblemKind, str] = MappingProxyType({
    _K.EMPTY_NAME: "The tool has no name.",
    _K.INVALID_NAME: "The tool's name ({name}) is not one the API accepts.",
    _K.SCHEMA_NOT_OBJECT: "The tool's input schema is not a JSON object ({found}).",
    _K.ROOT_TYPE_MISSING: 'The tool\'s input schema has no type; the API requires type "object".',
    _K.ROOT_TYPE_NOT_OBJECT:
        'The tool\'s input schema has type {found}; the API requires type "object".',
    _K.TOP_LEVEL_COMBINATOR:
        "The tool's input schema uses {keyword} at its top level, which the API refuses.",
    _K.NOT_JSON: "The tool's input schema cannot be sent as JSON ({reason}).",
    _K.SCHEMA_TOO_LARGE:
        "The tool's input schema is {size:,} bytes, more than the {limit:,} Cairn sends.",
    _K.INVALID_SCHEMA: "The tool's input schema is not valid JSON Schema ({reason}).",
})


@dataclass(frozen=True)
class ToolProblem:
    """Why the API would refuse a tool, as data the UI words in the user's language.

    Attributes:
        kind: what is wrong.
        facts: the values the sentence names (see ``ToolProblemKind``).
    """

    kind: ToolProblemKind
    facts: Mapping[str, str | int] = field(default_factory=dict, hash=False)

    @property
    def text(self) -> str:
        """The problem in English, for logs."""
        return ENGLISH[self.kind].format(**self.facts)


def _json_text(value: Any) -> str:
    """A short JSON rendering of a value for a problem's facts (its type name if it has
    none)."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return _json_type_name(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _json_type_name(value: Any) -> str:
    if value is None:
        return "null"
    names = {bool: "boolean", int: "number", float: "number", str: "string", list: "array",
             dict: "object"}
    return names.get(type(value), type(value).__name__)


@functools.lru_cache(maxsize=1024)
def _schema_validity_problem(schema_json: str) -> str | None:
    """The JSON Schema validator's complaint about a schema (draft 2020-12, which the API
    checks against), or None.

    Keyed by the schema's JSON text and remembered: the check takes about a millisecond per
    tool, and every request of a tool round checks every tool offered. ``jsonschema`` comes
    with the ``mcp`` SDK; it is imported here, on first use, so start-up does not pay for it,
    and skipped if it is somehow missing."""
    try:
        jsonschema: Any = importlib.import_module("jsonschema")
    except ImportError:  # pragma: no cover - installed with mcp
        return None
    try:
        jsonschema.Draft202012Validator.check_schema(json.loads(schema_json))
    except jsonschema.SchemaError as error:
        where = "/".join(str(p) for p in error.absolute_path)
        return f"{where}: {error.message}" if where else str(error.message)
    except RecursionError:
        return "nested too deeply"
    return None


def schema_problem(spec: ToolSpec) -> ToolProblem | None:
    """What the API would refuse about this tool, or None when it can be offered.

    Checked: a name (and the API name made from it), the schema being a JSON object of
    ``"type": "object"`` with no ``oneOf``/``anyOf``/``allOf`` at its top (the API refuses
    those, and one refused tool fails the whole request), JSON-serialisable, at most
    ``MAX_SCHEMA_BYTES``, and valid JSON Schema. A long description is not a problem:
    ``tools_param`` cuts it.
    """
    if not spec.tool:
        return ToolProblem(_K.EMPTY_NAME)
    name = spec.api_name or base_api_name(spec)
    if not API_NAME_PATTERN.fullmatch(name):
        return ToolProblem(_K.INVALID_NAME, {"name": name})
    schema = spec.input_schema
    if not isinstance(schema, dict):
        return ToolProblem(_K.SCHEMA_NOT_OBJECT, {"found": _json_type_name(schema)})
    if "type" not in schema:
        return ToolProblem(_K.ROOT_TYPE_MISSING)
    root_type = schema["type"]
    if root_type != "object":
        return ToolProblem(_K.ROOT_TYPE_NOT_OBJECT, {"found": _json_text(root_type)})
    for keyword in _TOP_LEVEL_COMBINATORS:
        if keyword in schema:
            return ToolProblem(_K.TOP_LEVEL_COMBINATOR, {"keyword": keyword})
    try:
        text = json.dumps(schema, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError) as error:
        return ToolProblem(_K.NOT_JSON, {"reason": str(error) or type(error).__name__})
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        return ToolProblem(_K.NOT_JSON, {"reason": "text that is not valid Unicode"})
    if size > MAX_SCHEMA_BYTES:
        return ToolProblem(_K.SCHEMA_TOO_LARGE, {"size": size, "limit": MAX_SCHEMA_BYTES})
    reason = _schema_validity_problem(text)
    if reason is not None:
        return ToolProblem(_K.INVALID_SCHEMA, {"reason": reason})
    return None


def _description(spec: ToolSpec) -> str:
    text = spec.description if isinstance(spec.description, str) else ""
    if len(text) > MAX_DESCRIPTION_CHARS:
        text = text[:MAX_DESCRIPTION_CHARS - 1] + "…"
    return text


def tools_param(specs: Iterable[ToolSpec]) -> list[dict[str, Any]]:
    """The request's ``tools``: ``{"name", "description", "input_schema"}`` for every tool
    that ``schema_problem`` lets through, sorted by API name, names as ``api_tool_names``
    gives them for these specs.

    The same specs give the same list, byte for byte once serialised (order, keys and
    schemas as the server sent them), so the prompt cache's prefix stays the same from one
    request to the next. Schemas are copied (through JSON, so what is built is exactly what
    is sent), and later changes to a spec's dict do not leak into a request already built.
    """
    tools: list[dict[str, Any]] = []
    for name, spec in api_tool_names(specs).items():
        if schema_problem(spec) is not None:
            continue
        tools.append({
            "name": name,
            "description": _description(spec),
            "input_schema": json.loads(json.dumps(spec.input_schema, ensure_ascii=False)),
        })
    return tools
