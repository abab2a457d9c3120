"""Claude's own tools: the choices, which models take them, and what is sent."""

from __future__ import annotations

import json

import pytest

from desktop_app.core.catalog import FALLBACK_MODELS, ModelInfo
from desktop_app.core.server_tools import (
    SERVER_TOOLS,
    ServerToolOptions,
    effective_server_tools,
    enabled_server_tools,
    parse_domains,
    server_tools_param,
    supported_server_tools,
)

VERSIONS = {"web_search": "web_search_20260318", "web_fetch": "web_fetch_20260318",
            "code_execution": "code_execution_20260521"}


def api_model(web_search: bool = True, code_execution: bool = True) -> ModelInfo:
    return ModelInfo.from_api({
        "id": "claude-x", "display_name": "X",
        "capabilities": {"server_tools": {
            "supported": web_search or code_execution,
            "web_search": {"supported": web_search},
            "code_execution": {"supported": code_execution},
        }},
    })


ALL_ON = ServerToolOptions(web_search=True, web_fetch=True, code_execution=True)


def test_defaults_offer_nothing() -> None:
    assert server_tools_param(ServerToolOptions(), api_model(), VERSIONS) == []
    assert enabled_server_tools(ServerToolOptions(), api_model()) == ()


def test_all_three_in_a_fixed_order_with_the_given_versions() -> None:
    tools = server_tools_param(ALL_ON, api_model(), VERSIONS)
    assert [t["name"] for t in tools] == list(SERVER_TOOLS)
    assert [t["type"] for t in tools] == [VERSIONS[n] for n in SERVER_TOOLS]
    assert tools[0] == {"type": "web_search_20260318", "name": "web_search", "max_uses": 5}
    assert tools[1] == {"type": "web_fetch_20260318", "name": "web_fetch",
                        "citations": {"enabled": True}}
    assert tools[2] == {"type": "code_execution_20260521", "name": "code_execution"}


def test_byte_stable_for_the_same_choices() -> None:
    a = server_tools_param(ALL_ON, api_model(), VERSIONS)
    b = server_tools_param(ServerToolOptions.from_json(ALL_ON.to_json()), api_model(), dict(VERSIONS))
    assert json.dumps(a) == json.dumps(b)


def test_missing_version_uses_a_default_tag() -> None:
    tools = server_tools_param(ALL_ON, api_model(), {})
    assert [t["type"].rsplit("_", 1)[0] for t in tools] == list(SERVER_TOOLS)


def test_unsupported_tools_are_not_sent() -> None:
    model = api_model(web_search=False, code_execution=True)
    assert supported_server_tools(model) == {"code_execution"}
    assert [t["name"] for t in server_tools_param(ALL_ON, model, VERSIONS)] == ["code_execution"]
    assert enabled_server_tools(ALL_ON, api_model(web_search=True, code_execution=False)) == (
        "web_search", "web_fetch")
    assert supported_server_tools(ModelInfo("m", "M")) == frozenset()


def test_builtin_models_use_the_documented_list() -> None:
    assert supported_server_tools(FALLBACK_MODELS[0]) == frozenset(SERVER_TOOLS)


def test_domains_only_or_except_never_both_never_empty() -> None:
    only = ServerToolOptions(web_search=True, domains_mode="only", domains=("ex.org", "a.com"))
    tool = server_tools_param(only, api_model(), VERSIONS)[0]
    assert tool["allowed_domains"] == ["ex.org", "a.com"] and "blocked_domains" not in tool
    tool = server_tools_param(ServerToolOptions(**{**only.__dict__, "domains_mode": "except"}),
                              api_model(), VERSIONS)[0]
    assert tool["blocked_domains"] == ["ex.org", "a.com"] and "allowed_domains" not in tool
    empty = ServerToolOptions(web_search=True, domains_mode="only")
    tool = server_tools_param(empty, api_model(), VERSIONS)[0]
    assert "allowed_domains" not in tool and "blocked_domains" not in tool
    anyway = ServerToolOptions(web_search=True, domains=("ex.org",))
    assert "allowed_domains" not in server_tools_param(anyway, api_model(), VERSIONS)[0]


def test_location_off_by_default_and_only_valid_fields_sent() -> None:
    assert "user_location" not in server_tools_param(
        ServerToolOptions(web_search=True, city="Paris"), api_model(), VERSIONS)[0]
    on = ServerToolOptions(web_search=True, location=True, city=" Paris ", country="fr",
                           timezone="Europe/Paris", region="")
    assert server_tools_param(on, api_model(), VERSIONS)[0]["user_location"] == {
        "type": "approximate", "city": "Paris", "country": "FR", "timezone": "Europe/Paris"}
    bad = ServerToolOptions(web_search=True, location=True, country="France", timezone="paris")
    assert "user_location" not in server_tools_param(bad, api_model(), VERSIONS)[0]


def test_fetch_options() -> None:
    fetch = ServerToolOptions(web_fetch=True, fetch_citations=False, fetch_max_content_tokens=5000)
    assert server_tools_param(fetch, api_model(), VERSIONS) == [
        {"type": "web_fetch_20260318", "name": "web_fetch", "citations": {"enabled": False},
         "max_content_tokens": 5000}]


@pytest.mark.parametrize(("text", "hosts", "invalid"), [
    ("example.com", ("example.com",), []),
    ("https://Example.COM/, ex.org\nex.org", ("example.com", "ex.org"), []),
    ("docs.ex.org/blog/ a.b.c", ("docs.ex.org/blog", "a.b.c"), []),
    ("bücher.de", ("xn--bcher-kva.de",), []),
    ("localhost ex.org:8080 *.ex.org 10.0.0.1 -bad-.com", (), [
        "localhost", "ex.org:8080", "*.ex.org", "10.0.0.1", "-bad-.com"]),
    ("", (), []),
])
def test_parse_domains(text: str, hosts: tuple[str, ...], invalid: list[str]) -> None:
    assert parse_domains(text) == (hosts, invalid)


def test_json_round_trip() -> None:
    options = ServerToolOptions(web_search=True, search_max_uses=3, domains_mode="except",
                                domains=("ex.org",), location=True, city="Lyon", country="FR",
                                timezone="Europe/Paris", web_fetch=True,
                                fetch_max_content_tokens=100, code_execution=True)
    data = json.loads(json.dumps(options.to_json()))
    assert data["domains"] == ["ex.org"]
    assert ServerToolOptions.from_json(data) == options


@pytest.mark.parametrize("hostile", [
    None, [], "web_search", 3,
    {"web_search": 1, "search_max_uses": True, "domains_mode": "both", "domains": "ex.org",
     "country": 12, "timezone": ["x"], "city": None, "fetch_max_content_tokens": 0,
     "code_execution": "yes", "location": {"a": 1}},
    {"search_max_uses": 0}, {"search_max_uses": 10**9}, {"domains": [1, 2]},
    {"country": "FRA"}, {"timezone": "not a zone"}, {"city": "x" * 1000},
])
def test_from_json_ignores_hostile_values(hostile: object) -> None:
    base = ServerToolOptions(web_fetch=True, search_max_uses=7)
    assert ServerToolOptions.from_json(hostile, base=base) == base


def test_from_json_normalises_and_drops_bad_domains() -> None:
    options = ServerToolOptions.from_json({"domains": ["HTTPS://Ex.org/", "not a domain", "ex.org"]})
    assert options.domains == ("ex.org",)


def test_conversation_overrides_are_partial() -> None:
    defaults = ServerToolOptions(web_search=True, search_max_uses=9)
    effective = effective_server_tools(defaults, {"server_tools": {"web_fetch": True}})
    assert effective == ServerToolOptions(web_search=True, search_max_uses=9, web_fetch=True)
    assert effective_server_tools(defaults, {}) == defaults
    assert effective_server_tools(defaults, {"server_tools": "junk"}) == defaults
