"""What the history format check finds is data (core/history_format_problems.py): a path, a
kind and its facts, with the English sentence Cairn always wrote as its text."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from desktop_app.core.history_format_problems import (
    ENGLISH,
    FormatProblem,
    FormatProblemKind,
    HistoryFormatError,
)
from desktop_app.core.history_schema import (
    HISTORY_SCHEMA,
    MAX_FREE_DEPTH,
    check_conversation,
    check_message,
    check_schema_version,
)
from tests.core.test_history_schema import REFUSED, with_change

K = FormatProblemKind


def found(document: Any) -> FormatProblem:
    with pytest.raises(HistoryFormatError) as info:
        check_conversation(document)
    return info.value.found


def deep() -> Any:
    nested: Any = "bottom"
    for _ in range(MAX_FREE_DEPTH + 1):
        nested = [nested]
    return {"x": nested}


# (where, new value or ..., the kind, its facts, the path reported)
KINDS: list[tuple[str, Any, FormatProblemKind, dict[str, Any], str]] = [
    ("messages[0].content[0].text", 5, K.WRONG_TYPE,
     {"expected": ("string",), "actual": "integer"}, "messages[0].content[0].text"),
    ("messages[1].usage", "lots", K.WRONG_TYPE,
     {"expected": ("object", "null"), "actual": "string"}, "messages[1].usage"),
    ("pinned", "yes", K.WRONG_TYPE, {"expected": ("boolean",), "actual": "string"}, "pinned"),
    ("schema", True, K.WRONG_TYPE, {"expected": ("integer",), "actual": "boolean"}, "schema"),
    ("messages[3].error.retry_after", float("nan"), K.NOT_FINITE, {"value": "NaN"},
     "messages[3].error.retry_after"),
    ("messages[0].role", "system", K.NOT_ALLOWED,
     {"allowed": ('"user"', '"assistant"'), "value": '"system"'}, "messages[0].role"),
    ("id", "../x", K.INVALID_ID, {"pattern": "^[A-Za-z0-9_-]{1,128}$", "value": '"../x"'}, "id"),
    ("messages[0].content[1].source.sha256", "A" * 64, K.NOT_SHA256,
     {"pattern": "^[0-9a-f]{64}$", "value": '"' + "A" * 38 + "…"},
     "messages[0].content[1].source.sha256"),
    ("system_prompt", "a \ud800", K.LONE_SURROGATE,
     {"pattern": r"^[^\ud800-\udfff]*$", "value": '"a \\ud800"'}, "system_prompt"),
    ("messages[1].usage.output_tokens", -3, K.BELOW_MINIMUM, {"minimum": 0, "value": "-3"},
     "messages[1].usage.output_tokens"),
    ("messages[0].role", ..., K.MISSING, {}, "messages[0].role"),
    ("branches[0].messages", [], K.EMPTY, {}, "branches[0].messages"),
    ("folder", deep(), K.TOO_DEEP, {"limit": MAX_FREE_DEPTH}, "folder"),
    ("messages[3].id", "msg_q1", K.REPEATED_ID, {"id": '"msg_q1"'}, "messages[3].id"),
]


@pytest.mark.parametrize(("where", "value", "kind", "facts", "path"), KINDS,
                         ids=[f"{k.value}:{w}" for w, _, k, _, _ in KINDS])
def test_each_problem_is_a_kind_and_facts_at_a_path(where, value, kind, facts, path) -> None:
    problem = found(with_change(where, value))
    assert (problem.kind, dict(problem.facts), problem.path) == (kind, facts, path)


def test_every_kind_but_two_is_found_by_the_check() -> None:
    """NO_MATCH and TOO_FEW_ITEMS are for schema changes: no pattern lacks its message and no
    list must hold more than one item today."""
    assert {kind for _, _, kind, _, _ in KINDS} == set(K) - {K.NO_MATCH, K.TOO_FEW_ITEMS}
    assert set(ENGLISH) == set(K)


@pytest.mark.parametrize(("where", "value", "words"), REFUSED,
                         ids=[f"{w}={v!r:.20}" for w, v, _ in REFUSED])
def test_the_text_is_the_english_sentence_of_before(where, value, words) -> None:
    problem = found(with_change(where, value))
    assert words in problem
    assert str(problem) == f"{problem.path} {problem.english_problem}"


def test_a_problem_without_a_path_names_its_subject() -> None:
    with pytest.raises(HistoryFormatError) as info:
        check_message("hello")
    problem = info.value.found
    assert (problem.path, problem.subject, problem.kind) == ("", "message", K.WRONG_TYPE)
    assert str(info.value) == "the message must be an object, not a string"


def test_the_schema_field_alone_is_checked_as_the_whole_check_does() -> None:
    for value, words in [(0, "schema must be at least 1, not 0"),
                         ("one", "schema must be an integer, not a string")]:
        with pytest.raises(HistoryFormatError) as info:
            check_schema_version(value)
        assert str(info.value) == words
        assert words in str(found(with_change("schema", value)))
    check_schema_version(3)


def test_each_error_message_of_the_schema_is_its_kinds_english() -> None:
    messages = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if "errorMessage" in value:
                messages.append(value["errorMessage"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(HISTORY_SCHEMA)
    assert sorted(set(messages)) == sorted(
        ENGLISH[kind] for kind in (K.INVALID_ID, K.NOT_SHA256, K.LONE_SURROGATE))


def test_a_problem_keeps_its_data_through_copy_and_pickle() -> None:
    problem = found(with_change("messages[1].usage", "lots"))
    error = HistoryFormatError(problem)
    for again in (copy.deepcopy(problem), pickle.loads(pickle.dumps(problem))):
        assert again == problem and again.kind is K.WRONG_TYPE
        assert (again.path, dict(again.facts)) == (problem.path, dict(problem.facts))
    assert pickle.loads(pickle.dumps(error)).found.kind is K.WRONG_TYPE
    assert error.path == "messages[1].usage" and error.problem == problem.english_problem
