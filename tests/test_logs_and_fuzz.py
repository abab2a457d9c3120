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
