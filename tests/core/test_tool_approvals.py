"""The approval policy: a call runs without asking only on the user's own standing choice
(always, this conversation, or read-only tools when the user turned that on). Pure core."""

from __future__ import annotations

from desktop_app.core.tool_approvals import ApprovalChoice, preapproved, tool_key
from desktop_app.core.tool_specs import ToolSpec


def spec(tool: str = "write", *, server_id: str = "srv_1", read_only: bool = False) -> ToolSpec:
    return ToolSpec(server_id=server_id, server_name="Files", tool=tool, title=tool,
                    description="", input_schema={"type": "object"}, read_only=read_only)


def ask(tool_spec: ToolSpec, *, always: tuple[str, ...] = (), granted: tuple[str, ...] = (),
        auto_read_only: bool = False) -> bool:
    return preapproved(tool_spec, always=always, conversation_grants=granted,
                       auto_read_only=auto_read_only)


def test_with_no_standing_choice_the_user_is_asked() -> None:
    assert not ask(spec())
    assert not ask(spec(read_only=True))  # read-only alone is the server's claim, not consent


def test_always_and_conversation_grants_preapprove_exactly_that_tool() -> None:
    assert ask(spec(), always=("srv_1/write",))
    assert ask(spec(), granted=("srv_1/write",))
    assert not ask(spec("delete"), always=("srv_1/write",), granted=("srv_1/write",))
    # Keyed by server id: another server with the same tool name is asked about.
    assert not ask(spec(server_id="srv_2"), always=("srv_1/write",))


def test_read_only_tools_run_unasked_only_when_the_user_turned_that_on() -> None:
    assert ask(spec(read_only=True), auto_read_only=True)
    assert not ask(spec(read_only=False), auto_read_only=True)


def test_choices_are_stored_as_stable_words() -> None:
    assert [c.value for c in ApprovalChoice] == ["once", "conversation", "always", "deny"]
    assert ApprovalChoice("always") is ApprovalChoice.ALWAYS
    assert [c.runs for c in ApprovalChoice] == [True, True, True, False]


def test_a_tool_key_is_server_id_slash_tool() -> None:
    assert tool_key("srv_1", "read.file") == "srv_1/read.file"
    assert tool_key("srv_1", "a/b").split("/", 1) == ["srv_1", "a/b"]
