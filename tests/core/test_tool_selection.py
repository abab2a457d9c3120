"""Which servers and tools a conversation offers: the choices a person makes in the tool
picker, stored as JSON and read back leniently (a bad file never stops Cairn). Pure core."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.settings import Settings
from desktop_app.core.tool_selection import ToolSelection

KNOWN = ("srv_a", "srv_b", "srv_c")


def test_by_default_every_server_and_tool_is_offered() -> None:
    selection = ToolSelection()
    assert selection.offers("srv_a", "echo")
    assert selection.offers("srv_new", "anything")  # a server added later is offered too
    assert ToolSelection.from_json(Settings().tools) == selection


def test_turning_a_tool_off_hides_only_that_tool() -> None:
    selection = ToolSelection().with_tool("srv_a", "delete", False)
    assert not selection.offers("srv_a", "delete")
    assert selection.offers("srv_a", "read")
    assert selection.offers("srv_b", "delete")  # same name on another server
    assert selection.with_tool("srv_a", "delete", True).offers("srv_a", "delete")


def test_turning_a_server_off_hides_its_tools_and_keeps_the_others() -> None:
    selection = ToolSelection().with_server("srv_b", False, known=KNOWN)
    assert not selection.offers("srv_b", "echo")
    assert selection.offers("srv_a", "echo") and selection.offers("srv_c", "echo")
    assert selection.servers == {"srv_a", "srv_c"}


def test_turning_every_server_back_on_offers_servers_added_later_again() -> None:
    off = ToolSelection().with_server("srv_b", False, known=KNOWN)
    on = off.with_server("srv_b", True, known=KNOWN)
    assert on.servers is None
    assert on.offers("srv_later", "echo")
    # Without the list of servers, the choice stays an explicit list.
    assert off.with_server("srv_b", True).servers == set(KNOWN)


def test_turning_a_server_off_from_every_server_needs_the_server_list() -> None:
    with pytest.raises(ValueError):
        ToolSelection().with_server("srv_a", False)


def test_a_tool_turned_off_stays_off_when_its_server_comes_back() -> None:
    selection = (ToolSelection().with_tool("srv_a", "delete", False)
                 .with_server("srv_a", False, known=KNOWN).with_server("srv_a", True))
    assert selection.offers("srv_a", "read")
    assert not selection.offers("srv_a", "delete")


def test_json_round_trip_is_exact_and_stable() -> None:
    selection = (ToolSelection().with_server("srv_c", False, known=KNOWN)
                 .with_tool("srv_a", "z", False).with_tool("srv_a", "b", False))
    data = selection.to_json()
    assert data == {"servers": ["srv_a", "srv_b"], "disabled": ["srv_a/b", "srv_a/z"]}
    assert ToolSelection.from_json(json.loads(json.dumps(data))) == selection
    assert ToolSelection().to_json() == {"servers": None, "disabled": []}
    assert ToolSelection.from_json(ToolSelection().to_json()) == ToolSelection()


@pytest.mark.parametrize("data", [
    None, 3, "all", [], {"servers": "srv_a"}, {"servers": 5, "disabled": {"a": 1}},
])
def test_values_of_the_wrong_type_read_as_the_default(data: Any) -> None:
    assert ToolSelection.from_json(data) == ToolSelection()


def test_entries_that_are_not_text_are_skipped() -> None:
    selection = ToolSelection.from_json(
        {"servers": ["srv_a", 7, None], "disabled": ["srv_a/x", 1, "no-slash", ["srv_a/y"]]})
    assert selection == ToolSelection(servers=frozenset({"srv_a"}),
                                      disabled=frozenset({"srv_a/x"}))


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["servers", "disabled", "x"]) | st.text(max_size=4), inner, max_size=4),
    max_leaves=12)


@given(_json)
def test_any_json_reads_without_raising(data: Any) -> None:
    selection = ToolSelection.from_json(data)
    assert ToolSelection.from_json(selection.to_json()) == selection
