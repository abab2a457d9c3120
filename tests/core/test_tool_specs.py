"""MCP tools as the API takes them: unique names within the API's pattern, the schemas the API
refuses reported instead of sent, and a ``tools`` list that is byte-stable (the prompt cache's
prefix). Pure core."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.tool_specs import (
    MAX_DESCRIPTION_CHARS,
    MAX_SCHEMA_BYTES,
    ToolProblemKind,
    ToolSpec,
    api_tool_names,
    schema_problem,
    tools_param,
)

# The real API's pattern is {1,128}; Cairn keeps to the older {1,64} that gateways still check.
API_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")

# What the mcp SDK's MCPServer generates for `def echo(text: str) -> str` (seen running it).
ECHO_SCHEMA = {
    "type": "object",
    "properties": {"text": {"title": "Text", "type": "string"}},
    "required": ["text"],
    "title": "echoArguments",
}


def spec(tool: str = "echo", *, server_id: str = "srv_1", server_name: str = "Files",
         schema: Any = None, description: str = "Echoes text.") -> ToolSpec:
    return ToolSpec(server_id=server_id, server_name=server_name, tool=tool, title=tool,
                    description=description,
                    input_schema=dict(ECHO_SCHEMA) if schema is None else schema)


def test_a_tool_is_named_after_its_server_and_itself() -> None:
    names = api_tool_names([spec("read_file"), spec("list.dir")])
    assert list(names) == ["Files__list_dir", "Files__read_file"]
    assert names["Files__list_dir"].tool == "list.dir"  # the MCP name is kept for the call
    assert names["Files__read_file"].api_name == "Files__read_file"


def test_characters_the_api_does_not_take_become_underscores() -> None:
    (name,) = api_tool_names([spec("search", server_name="Web (work) – ü")])
    assert name == "Web_work__search"
    (name,) = api_tool_names([spec("files.read-all", server_name="my server")])
    assert name == "my_server__files_read-all"


def test_two_servers_with_the_same_name_get_different_names() -> None:
    first = spec("search", server_id="srv_a", server_name="Web")
    second = spec("search", server_id="srv_b", server_name="Web")
    names = api_tool_names([first, second])
    assert len(names) == 2
    assert {s.server_id for s in names.values()} == {"srv_a", "srv_b"}
    # Neither takes the plain name by coming first: the names do not depend on the order.
    assert "Web__search" not in names
    assert names == api_tool_names([second, first])
    assert all(API_NAME.fullmatch(n) for n in names)


def test_names_that_differ_only_in_refused_characters_stay_apart() -> None:
    names = api_tool_names([spec("a.b"), spec("a_b"), spec("a-b")])
    assert len(names) == 3
    assert "Files__a-b" in names  # no collision: keeps its plain name
    assert {s.tool for s in names.values()} == {"a.b", "a_b", "a-b"}


def test_long_names_are_cut_to_64_with_a_hash_that_keeps_them_apart() -> None:
    stem = "x" * 80
    names = api_tool_names([spec(stem + "_one"), spec(stem + "_two")])
    assert len(names) == 2
    assert all(len(n) == 64 and API_NAME.fullmatch(n) for n in names)


def test_a_tool_listed_twice_by_its_server_is_offered_once() -> None:
    names = api_tool_names([spec("echo"), spec("echo", description="again")])
    assert list(names) == ["Files__echo"]


def test_names_with_no_character_the_api_takes_still_get_valid_distinct_names() -> None:
    names = api_tool_names([spec("検索", server_name="ファイル"), spec("読む", server_name="")])
    assert len(names) == 2
    assert all(API_NAME.fullmatch(n) and n.startswith("server__tool_") for n in names)


_text = st.text(min_size=0, max_size=90)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["srv_a", "srv_b", "srv_c"]), _text, _text),
                max_size=12))
def test_any_set_of_tools_gets_unique_valid_names_whatever_its_order(
        triples: list[tuple[str, str, str]]) -> None:
    specs = [spec(tool, server_id=sid, server_name=name) for sid, name, tool in triples]
    names = api_tool_names(specs)
    assert all(API_NAME.fullmatch(n) for n in names)
    # One name per distinct (server, tool); each name maps to its own tool.
    assert len(names) == len({(s.server_id, s.tool) for s in specs})
    assert all(s.api_name == n for n, s in names.items())
    assert list(api_tool_names(reversed(specs))) == list(names)


def kind(schema: Any, **changes: Any) -> ToolProblemKind | None:
    problem = schema_problem(spec(schema=schema, **changes))
    return None if problem is None else problem.kind


def test_schemas_servers_really_send_are_offered() -> None:
    assert schema_problem(spec()) is None
    assert kind({"type": "object"}) is None
    assert kind({"type": "object", "properties": {}, "additionalProperties": False,
                 "$defs": {"x": {"type": "string"}}}) is None


def test_schemas_the_api_refuses_are_reported_with_why() -> None:
    assert kind([1, 2]) is ToolProblemKind.SCHEMA_NOT_OBJECT
    assert kind({"properties": {}}) is ToolProblemKind.ROOT_TYPE_MISSING
    assert kind({"type": "array", "items": {}}) is ToolProblemKind.ROOT_TYPE_NOT_OBJECT
    assert kind({"type": ["object", "null"]}) is ToolProblemKind.ROOT_TYPE_NOT_OBJECT
    assert kind({"type": "object", "anyOf": [{"required": ["a"]}, {"required": ["b"]}]}) is (
        ToolProblemKind.TOP_LEVEL_COMBINATOR)
    assert kind({"type": "object", "properties": {"a": {"type": "number",
                                                       "maximum": float("nan")}}}) is (
        ToolProblemKind.NOT_JSON)
    assert kind({"type": "object", "default": {1, 2}}) is ToolProblemKind.NOT_JSON
    assert kind({"type": "object", "properties": {"a": {"type": "int"}}}) is (
        ToolProblemKind.INVALID_SCHEMA)
    assert kind({"type": "object", "required": "a"}) is ToolProblemKind.INVALID_SCHEMA
    assert kind({"type": "object", "description": "\ud800"}) is ToolProblemKind.NOT_JSON
    assert kind(None, tool="") is ToolProblemKind.EMPTY_NAME


def test_a_problem_is_data_with_an_english_text_for_logs() -> None:
    problem = schema_problem(spec(schema={"type": "object", "oneOf": []}))
    assert problem is not None
    assert problem.facts == {"keyword": "oneOf"}
    assert "oneOf" in problem.text
    wrong = schema_problem(spec(schema={"type": "string"}))
    assert wrong is not None and wrong.facts == {"found": '"string"'}
    invalid = schema_problem(spec(schema={"type": "object", "properties": {"a": {"type": 3}}}))
    assert invalid is not None and "properties/a/type" in str(invalid.facts["reason"])


def test_a_huge_schema_is_refused_with_its_size() -> None:
    big = {"type": "object", "description": "d" * MAX_SCHEMA_BYTES}
    problem = schema_problem(spec(schema=big))
    assert problem is not None and problem.kind is ToolProblemKind.SCHEMA_TOO_LARGE
    assert problem.facts["limit"] == MAX_SCHEMA_BYTES
    assert int(problem.facts["size"]) > MAX_SCHEMA_BYTES
    assert f"{MAX_SCHEMA_BYTES:,}" in problem.text


def test_a_deeply_nested_schema_is_reported_not_crashed_on() -> None:
    schema: dict[str, Any] = {"type": "object"}
    inner = schema
    for _ in range(5000):
        inner["properties"] = {"a": {"type": "object"}}
        inner = inner["properties"]["a"]
    assert kind(schema) in (ToolProblemKind.NOT_JSON, ToolProblemKind.INVALID_SCHEMA)


def test_tools_param_has_exactly_the_api_keys_sorted_by_name() -> None:
    tools = tools_param([spec("zeta"), spec("alpha"), spec("mid", server_name="Git")])
    assert [t["name"] for t in tools] == ["Files__alpha", "Files__zeta", "Git__mid"]
    assert all(set(t) == {"name", "description", "input_schema"} for t in tools)
    assert tools[0] == {"name": "Files__alpha", "description": "Echoes text.",
                        "input_schema": ECHO_SCHEMA}


def test_tools_the_api_would_refuse_are_not_sent() -> None:
    tools = tools_param([spec("good"), spec("bad", schema={"type": "object", "allOf": []})])
    assert [t["name"] for t in tools] == ["Files__good"]


def test_the_same_tools_give_the_same_bytes_in_any_order() -> None:
    specs = [spec(f"t{i}", server_id=f"srv_{i % 3}", server_name=f"S{i % 3}") for i in range(9)]
    first = json.dumps(tools_param(specs))
    assert json.dumps(tools_param(list(reversed(specs)))) == first
    assert json.dumps(tools_param(specs[3:] + specs[:3])) == first


def test_a_built_request_does_not_change_when_the_server_s_dict_does() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    tools = tools_param([spec(schema=schema)])
    schema["properties"]["a"]["type"] = "number"
    assert tools[0]["input_schema"]["properties"]["a"]["type"] == "string"


def test_a_long_description_is_cut_not_refused() -> None:
    long = spec(description="w" * (MAX_DESCRIPTION_CHARS + 500))
    assert schema_problem(long) is None
    (tool,) = tools_param([long])
    assert len(tool["description"]) == MAX_DESCRIPTION_CHARS
    assert tool["description"].endswith("…")


def test_a_tool_spec_knows_its_approval_key() -> None:
    assert spec("echo", server_id="srv_9").key == "srv_9/echo"
