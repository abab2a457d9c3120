"""Files between the user and code execution, as data (core/code_files.py): ids found in every
result shape, records in extra["files"] read leniently, hostile JSON never raising."""

from __future__ import annotations

import json

import pytest

from desktop_app.core.code_files import (
    FileRecord,
    conversation_file_ids,
    forget_file,
    is_file_id,
    produced_file_ids,
    produced_in,
    record_file,
    recorded_files,
    upload_block,
    uploads_in,
)
from desktop_app.core.conversation import Conversation


def bash_result(*file_ids: object) -> dict:
    return {"type": "bash_code_execution_tool_result", "tool_use_id": "srvtoolu_01",
            "content": {"type": "bash_code_execution_result", "stdout": "", "stderr": "",
                        "return_code": 0,
                        "content": [{"type": "bash_code_execution_output", "file_id": i}
                                    for i in file_ids]}}


def test_files_made_by_bash_and_python_runs_are_found_in_order_once():
    python = {"type": "code_execution_tool_result", "tool_use_id": "srvtoolu_02",
              "content": {"type": "code_execution_result", "stdout": "", "stderr": "",
                          "return_code": 0, "content": [
                              {"type": "code_execution_output", "file_id": "file_b"}]}}
    assert produced_file_ids(bash_result("file_a", "file_c", "file_a")) == ["file_a", "file_c"]
    assert produced_in([{"type": "text", "text": "x"}, bash_result("file_a"), python]) == [
        "file_a", "file_b"]


@pytest.mark.parametrize("block", [
    None, 3, "text", [], {"type": "bash_code_execution_tool_result"},
    {"type": "bash_code_execution_tool_result", "content": "oops"},
    {"type": "bash_code_execution_tool_result", "content": {"content": {"file_id": "file_a"}}},
    {"type": "bash_code_execution_tool_result", "content": {
        "type": "bash_code_execution_tool_result_error", "error_code": "unavailable"}},
    bash_result(None, 5, "../etc/passwd", "file_/x", "", ["file_a"]),
    {"type": "web_search_tool_result", "content": {"content": [
        {"type": "bash_code_execution_output", "file_id": "file_a"}]}},
])
def test_malformed_results_give_no_files(block):
    assert produced_file_ids(block) == []


def test_file_ids_are_only_api_shaped_names():
    assert is_file_id("file_011CNha8iCJcU1wXNR6q4V8w")
    for bad in ("file_", "file_a/b", "../file_a", "FILE_a", "file_a\n", 7, None, "file_" + "a" * 300):
        assert not is_file_id(bad)


def test_an_upload_block_carries_notes_the_request_drops():
    block = upload_block("file_up", "data.csv", 120, "text/csv")
    assert block == {"type": "container_upload", "file_id": "file_up",
                     "cairn": {"name": "data.csv", "bytes": 120, "media_type": "text/csv"}}
    assert uploads_in([block, {"type": "container_upload", "file_id": 3}, "x"]) == [block]


def test_records_round_trip_through_the_history_file_and_unknown_entries_survive():
    conversation = Conversation()
    conversation.extra["files"] = [{"id": "file_old", "future_field": 1}, "junk"]
    assert record_file(conversation, FileRecord("file_up", "data.csv", 120, "text/csv"))
    assert not record_file(conversation, FileRecord("file_up", "again.csv"))
    again = Conversation.from_json(json.loads(json.dumps(conversation.to_json(schema=1))))
    assert [r.id for r in recorded_files(again)] == ["file_old", "file_up"]
    assert recorded_files(again)[1] == FileRecord("file_up", "data.csv", 120, "text/csv", "upload")
    assert again.extra["files"][0]["future_field"] == 1 and "junk" in again.extra["files"]
    forget_file(again, "file_up")
    assert [r.id for r in recorded_files(again)] == ["file_old"]


@pytest.mark.parametrize("entries", [None, 3, "x", {"id": "file_a"}, [None, {"id": 5}, {"name": "x"}]])
def test_malformed_records_are_skipped(entries):
    conversation = Conversation()
    conversation.extra["files"] = entries
    assert recorded_files(conversation) == []
    assert FileRecord.from_json({"id": "file_a", "size": True, "origin": "x", "name": 4}) == \
        FileRecord("file_a", "file_a", 0, "", "upload")


def test_a_conversation_knows_every_file_it_has_on_anthropics_side():
    conversation = Conversation()
    record_file(conversation, FileRecord("file_rec", "r.txt"))
    conversation.add_user_message("use it", [upload_block("file_up", "d.csv", 1, "text/csv")])
    reply = conversation.start_reply("claude-opus-4-7")
    reply.content = [bash_result("file_made")]
    assert conversation_file_ids(conversation) == ["file_rec", "file_up", "file_made"]
