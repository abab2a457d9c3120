"""The logs folder never holds a key, and the history loader survives arbitrary bytes."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.conversation import Conversation
from desktop_app.storage import log_files
from desktop_app.storage.history_store import SCHEMA_VERSION, HistoryStore

KEY = "sk-ant-api03-SECRETSECRETSECRET-abcdef"


def test_log_lines_and_tracebacks_never_carry_the_key(tmp_path: Path) -> None:
    handler = log_files.install(tmp_path / "logs")
    assert handler is not None
    log = logging.getLogger("desktop_app.test")
    try:
        log.warning("request with key %s failed", KEY)
        log.info("Authorization: Bearer %s", KEY)
        try:
            raise ValueError(f"bad key {KEY}")
        except ValueError:
            log.exception("boom")
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    text = (tmp_path / "logs" / "cairn.log").read_text()
    assert "boom" in text and "request with key sk-ant-api0…" in text
    assert KEY not in text and "SECRETSECRET" not in text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_the_loader(tmp_path: Path, data: bytes) -> None:
    folder = tmp_path / "fuzz"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / "conv_x.json").write_bytes(data)
    result = HistoryStore(folder).load_all()
    assert len(result.conversations) + len(result.problems) == 1


texts = st.text(max_size=40)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.booleans(), texts.filter(lambda t: t.strip())), max_size=6),
       texts, st.dictionaries(st.text(min_size=1, max_size=8).filter(lambda k: k.startswith("x")),
                              st.integers() | texts, max_size=3))
def test_valid_conversations_round_trip_exactly(tmp_path: Path, turns, title, extra) -> None:
    conversation = Conversation(title=title or "t", extra=extra)
    for is_user, text in turns:
        if is_user:
            conversation.add_user_message(text)
        else:
            conversation.start_reply("m").content.append({"type": "text", "text": text})
    store = HistoryStore(tmp_path / "rt")
    store.save(conversation)
    loaded = store.load(conversation.id)
    assert loaded.to_json(SCHEMA_VERSION) == json.loads(
        json.dumps(conversation.to_json(SCHEMA_VERSION)))


def test_library_lines_that_carry_request_content_are_cut(tmp_path):
    import logging

    from desktop_app.storage import log_files

    handler = log_files.install(tmp_path, level=logging.DEBUG)
    try:
        logging.getLogger("anthropic._base_client").debug(
            "Request options: %s", {"json_data": {"messages": [{"content": "my secret diary"}]}})
        logging.getLogger("desktop_app.test").info("a line of ours")
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    text = (tmp_path / log_files.LOG_FILE).read_text()
    assert "my secret diary" not in text and "Request options: [left out" in text
    assert "a line of ours" in text


# -- structurally valid JSON that is not the history format (issue 17) -------------------------
# A document using every part of the format is spoiled one to three times (a value of another
# JSON type, a key removed, deep nesting, a long string, lone surrogates, a message repeated,
# one part moved into another's place): it either loads, round-trips and can be used (listed,
# searched, costed, exported, sent), or it is refused with a ValueError saying why; never
# another exception.

import random  # noqa: E402

from desktop_app.storage.history_store import FILE_ERRORS  # noqa: E402
from tests.helpers.history_documents import (  # noqa: E402
    json_copy,
    loads_and_round_trips,
    rich_document,
    spoil,
    use_everything,
)

FUZZ = settings(max_examples=200, deadline=5000,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@FUZZ
@given(st.randoms(use_true_random=False))
def test_spoiled_documents_are_refused_clearly_or_load_and_round_trip(rng: random.Random) -> None:
    loads_and_round_trips(spoil(rich_document(), rng))


def _write(path: Path, document: object) -> None:
    path.write_text(json.dumps(document), encoding="utf-8")


@FUZZ
@given(st.randoms(use_true_random=False))
def test_the_history_loader_refuses_spoiled_files_clearly(tmp_path: Path,
                                                          rng: random.Random) -> None:
    store = HistoryStore(tmp_path / "load")
    store.directory.mkdir(exist_ok=True)
    _write(store.directory / "conv_rich.json", spoil(rich_document(), rng))
    try:
        conversation = store.load("conv_rich")
    except FILE_ERRORS as exc:
        assert str(exc).strip()
        return
    store.save(conversation)
    again = store.load("conv_rich")
    assert json.dumps(again.to_json(SCHEMA_VERSION)) == json.dumps(
        json_copy(conversation.to_json(SCHEMA_VERSION)))
    use_everything(again)


@FUZZ
@given(st.randoms(use_true_random=False))
def test_the_start_up_scan_sets_spoiled_files_aside_and_lists_the_rest(
        tmp_path: Path, rng: random.Random) -> None:
    folder = tmp_path / "scan"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    store = HistoryStore(folder)
    _write(folder / "conv_good.json", rich_document("conv_good"))
    spoiled = spoil(rich_document("conv_spoiled"), rng)
    _write(folder / "conv_spoiled.json", spoiled)

    result = store.scan()

    ids = [s.id for s in result.summaries]
    assert "conv_good" in ids
    if "conv_spoiled" in ids:
        assert result.problems == []
        use_everything(store.load("conv_spoiled"))
    else:
        (problem,) = result.problems
        assert problem.moved_to is not None or "newer version" in problem.reason, problem
        assert "error in Cairn" not in problem.reason
        problem.describe().encode("utf-8")
