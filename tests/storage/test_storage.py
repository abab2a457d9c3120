"""The disk and the keyring: history, settings, caches and the API key."""

from __future__ import annotations

import errno
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import keyring
import pytest

from desktop_app.core.catalog import ModelInfo
from desktop_app.core.conversation import Conversation, ReplyState
from desktop_app.core.settings import Settings
from desktop_app.storage.atomic_file import write_bytes_atomic, write_json_atomic
from desktop_app.storage.history_store import SCHEMA_VERSION, HistoryStore, LoadProblem
from desktop_app.storage.key_store import (
    ENV_VAR,
    NO_KEYRING_MESSAGE,
    SERVICE,
    USERNAME,
    KeyLookup,
    KeyStore,
    mask,
)
from desktop_app.storage.model_cache import ModelCache
from desktop_app.storage.price_file import load_prices
from desktop_app.storage.settings_store import SettingsStore
from tests.helpers.memory_keyring import MemoryKeyring

KEY = "sk-ant-api03-Secret0Middle1Part2Of3The4Key5-tail9XYZ"


def no_space(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


# -- atomic_file --------------------------------------------------------------------------------


def test_atomic_write_replaces_old_content(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "file.json"
    write_bytes_atomic(target, b"old")
    write_json_atomic(target, {"new": "caf\u00e9"})
    assert json.loads(target.read_text(encoding="utf-8")) == {"new": "caf\u00e9"}
    assert os.listdir(target.parent) == ["file.json"]


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failed_write_keeps_the_old_file_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """A full disk mid-save: the previous version is whole and no stray file is left."""
    target = tmp_path / "data" / "conversation.json"
    target.parent.mkdir()
    target.write_bytes(b'{"old": true}')
    monkeypatch.setattr(os, failing, no_space)
    with pytest.raises(OSError) as info:
        write_json_atomic(target, {"new": "x" * 10_000})
    monkeypatch.undo()
    assert info.value.errno == errno.ENOSPC
    assert target.read_bytes() == b'{"old": true}'
    assert os.listdir(target.parent) == ["conversation.json"]


def test_unserialisable_data_never_truncates_the_file(tmp_path: Path) -> None:
    target = tmp_path / "data" / "f.json"
    target.parent.mkdir()
    target.write_bytes(b"[1]")
    with pytest.raises(TypeError):
        write_json_atomic(target, {"bad": object()})
    assert target.read_bytes() == b"[1]"
    assert os.listdir(target.parent) == ["f.json"]


# -- HistoryStore -------------------------------------------------------------------------------


def make_conversation(conv_id: str | None = None, updated: str = "2026-01-01T00:00:00.000Z",
                      text: str = "Hello") -> Conversation:
    conv = Conversation() if conv_id is None else Conversation(id=conv_id)
    conv.add_user_message(text)
    reply = conv.start_reply("claude-x")
    reply.content = [
        {"type": "thinking", "thinking": "t", "signature": "c2ln"},
        {"type": "text", "text": "Hi! \u2603"},
    ]
    reply.usage = {"input_tokens": 3, "output_tokens": 4}
    reply.state = ReplyState.COMPLETE
    conv.updated_at = updated
    return conv


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    return HistoryStore(tmp_path / "conversations")


def test_history_save_load_round_trip(store: HistoryStore) -> None:
    conv = make_conversation()
    conv.extra["from_the_future"] = {"keep": [1, 2]}
    store.save(conv)
    assert store.path_for(conv.id).exists()
    loaded = store.load(conv.id)
    assert loaded == conv
    on_disk = json.loads(store.path_for(conv.id).read_text(encoding="utf-8"))
    assert on_disk["schema"] == SCHEMA_VERSION
    assert on_disk["from_the_future"] == {"keep": [1, 2]}


def test_history_save_overwrites(store: HistoryStore) -> None:
    conv = make_conversation()
    store.save(conv)
    conv.add_user_message("second")
    store.save(conv)
    assert len(store.load(conv.id).messages) == 3
    assert [p.name for p in store.directory.iterdir()] == [f"{conv.id}.json"]


def test_load_all_newest_first(store: HistoryStore) -> None:
    for conv_id, updated in [("c_old", "2025-01-01T00:00:00.000Z"),
                             ("c_new", "2026-06-01T12:00:00.000Z"),
                             ("c_mid", "2026-01-01T00:00:00.000Z")]:
        store.save(make_conversation(conv_id, updated))
    result = store.load_all()
    assert [c.id for c in result.conversations] == ["c_new", "c_mid", "c_old"]
    assert result.problems == []


def test_load_all_without_a_directory(store: HistoryStore) -> None:
    result = store.load_all()
    assert result.conversations == [] and result.problems == []


CORRUPT: dict[str, bytes] = {
    "bad JSON": b'{"id": "c_bad", "messages": [',
    "not an object": b'["c_bad"]',
    "wrong id": json.dumps({"schema": 1, "id": "c_other", "messages": []}).encode(),
    "bad UTF-8": b'{"id": "c_bad", "title": "\xff\xfe caf\xe9"}',
    "bad message": json.dumps({"schema": 1, "id": "c_bad", "messages": [{"role": 3}]}).encode(),
    "message not an object": json.dumps({"id": "c_bad", "messages": ["hi"]}).encode(),
    "message without role": json.dumps({"id": "c_bad", "messages": [{"content": []}]}).encode(),
    "bad schema": json.dumps({"schema": "one", "id": "c_bad"}).encode(),
    "empty file": b"",
    "nested too deeply": b"[" * 200_000 + b"]" * 200_000,
}


def test_a_corrupt_file_is_set_aside_and_the_rest_loads(tmp_path: Path, subtests: Any) -> None:
    for number, (name, content) in enumerate(CORRUPT.items()):
        with subtests.test(name):
            check_corrupt_file(HistoryStore(tmp_path / f"case{number}"), content)


def check_corrupt_file(store: HistoryStore, content: bytes) -> None:
    store.save(make_conversation("c_good_1", "2026-01-02T00:00:00.000Z"))
    store.save(make_conversation("c_good_2", "2026-01-01T00:00:00.000Z"))
    bad = store.directory / "c_bad.json"
    bad.write_bytes(content)

    result = store.load_all()

    assert [c.id for c in result.conversations] == ["c_good_1", "c_good_2"]
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert isinstance(problem, LoadProblem)
    assert problem.path == bad
    assert problem.reason
    assert problem.moved_to is not None
    assert problem.moved_to.parent == store.directory
    assert problem.moved_to.name.startswith("c_bad.json.unreadable-")
    assert not bad.exists()
    assert problem.moved_to.read_bytes() == content  # renamed, never rewritten
    assert "c_bad.json" in problem.describe()
    assert problem.moved_to.name in problem.describe()
    # Next start: loads cleanly, without nagging about the same file again.
    again = store.load_all()
    assert again.problems == []
    assert len(again.conversations) == 2


def test_corrupt_file_reasons_are_readable(store: HistoryStore) -> None:
    store.directory.mkdir(parents=True)
    (store.directory / "c_json.json").write_bytes(b'{"id": ')
    (store.directory / "c_utf.json").write_bytes(b'{"id": "c_utf", "title": "\xff"}')
    reasons = {p.path.stem: p.reason for p in store.load_all().problems}
    assert "JSON" in reasons["c_json"]
    assert "UTF-8" in reasons["c_utf"]


def test_a_newer_schema_opens_read_only_and_is_left_untouched(store: HistoryStore) -> None:
    store.save(make_conversation("c_good"))
    newer = store.directory / "c_future.json"
    content = json.dumps(
        {"schema": SCHEMA_VERSION + 1, "id": "c_future", "shape": "unknown to us"}, indent=3
    ).encode()
    newer.write_bytes(content)
    before = newer.stat().st_mtime_ns

    result = store.load_all()

    assert sorted(c.id for c in result.conversations) == ["c_future", "c_good"]
    assert result.read_only == ["c_future"]  # the app shows it but never writes it
    assert result.problems == []
    assert newer.read_bytes() == content
    assert newer.stat().st_mtime_ns == before
    assert sorted(p.name for p in store.directory.iterdir()) == ["c_future.json", "c_good.json"]
    assert store.load("c_future").id == "c_future"  # opened (read-only) when the user clicks it
    assert newer.read_bytes() == content
    scanned = store.scan()
    assert [s.id for s in scanned.summaries if s.read_only] == ["c_future"]
    assert newer.read_bytes() == content


def test_invalid_ids_are_rejected(store: HistoryStore, subtests: Any) -> None:
    for bad_id in ["", "../escape", "a/b", "a\\b", "..", "c.json", "has space", "x" * 129,
                   "é", "a\x00b", "/abs"]:
        with subtests.test(bad_id=bad_id):
            with pytest.raises(ValueError):
                store.path_for(bad_id)
            with pytest.raises(ValueError):
                store.delete(bad_id)
            with pytest.raises(ValueError):
                store.load(bad_id)
            with pytest.raises(ValueError):
                store.save(Conversation(id=bad_id))
    assert not store.directory.exists()


def test_an_id_with_a_trailing_newline_is_rejected(store: HistoryStore) -> None:
    with pytest.raises(ValueError):
        store.path_for("abc\n")


def test_valid_ids(store: HistoryStore) -> None:
    assert store.path_for("conv_0123abcDEF-x").name == "conv_0123abcDEF-x.json"
    assert store.path_for("x" * 128).parent == store.directory


def test_delete(store: HistoryStore) -> None:
    keep, drop = make_conversation("c_keep"), make_conversation("c_drop")
    store.save(keep)
    store.save(drop)
    store.delete("c_drop")
    assert not store.path_for("c_drop").exists()
    assert [c.id for c in store.load_all().conversations] == ["c_keep"]
    store.delete("c_drop")  # already gone: not an error


def test_failed_save_keeps_the_previous_version(store: HistoryStore,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    conv = make_conversation("c_1")
    store.save(conv)
    conv.add_user_message("this will not fit on the disk")
    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OSError):
        store.save(conv)
    monkeypatch.undo()
    assert len(store.load("c_1").messages) == 2
    assert [p.name for p in store.directory.iterdir()] == ["c_1.json"]


def test_a_reply_with_a_lone_surrogate_can_be_saved(store: HistoryStore) -> None:
    conv = make_conversation("c_surrogate", text=json.loads('"broken \\ud83d emoji"'))
    store.save(conv)
    assert store.load("c_surrogate").messages[0].text == conv.messages[0].text


# -- SettingsStore ------------------------------------------------------------------------------


def test_settings_missing_file_gives_defaults(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "config" / "settings.json")
    assert store.load() == Settings()
    assert store.problem is None


def test_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    settings = Settings(default_model="claude-opus-4-7", max_tokens=3_000,
                        system_prompt="Short answers.", base_url="https://gw.example",
                        max_retries=4, timeout_seconds=42.5, theme="dark")
    SettingsStore(path).save(settings)
    assert json.loads(path.read_text(encoding="utf-8"))["schema"] == 1
    store = SettingsStore(path)
    assert store.load() == settings
    assert store.problem is None


def test_corrupt_settings_give_defaults_a_problem_and_are_set_aside(tmp_path: Path,
                                                                    subtests: Any) -> None:
    cases = {"bad JSON": b"{not json", "list": b"[1, 2]", "string": b'"text"',
             "bad UTF-8": b"\xff\xfe{}", "empty": b""}
    for number, (name, content) in enumerate(cases.items()):
        with subtests.test(name):
            directory = tmp_path / f"case{number}"
            directory.mkdir()
            check_corrupt_settings(directory, content)


def check_corrupt_settings(directory: Path, content: bytes) -> None:
    path = directory / "settings.json"
    path.write_bytes(content)
    store = SettingsStore(path)
    assert store.load() == Settings()
    assert store.problem and "defaults" in store.problem.text
    assert not path.exists()
    aside = [p for p in directory.iterdir() if p.name.startswith("settings.json.unreadable")]
    assert len(aside) == 1
    assert aside[0].read_bytes() == content
    # Saving afterwards works and the next start is clean.
    store.save(Settings(theme="light"))
    fresh = SettingsStore(path)
    assert fresh.load().theme == "light"
    assert fresh.problem is None


def test_settings_with_an_impossible_schema_give_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema": 0, "theme": "dark"}), encoding="utf-8")
    store = SettingsStore(path)
    assert isinstance(store.load(), Settings)
    assert store.problem


def test_settings_with_wrong_values_still_load(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema": 1, "max_tokens": "lots", "max_retries": 500,
                                "theme": "purple", "new_option": True}), encoding="utf-8")
    store = SettingsStore(path)
    settings = store.load()
    assert settings.max_tokens == Settings().max_tokens
    assert settings.max_retries == 10
    assert settings.theme == "system"
    assert store.problem is None
    assert path.exists()


# -- ModelCache ---------------------------------------------------------------------------------


def test_model_cache_round_trip(tmp_path: Path) -> None:
    models = [
        ModelInfo.from_api({
            "id": "claude-opus-4-7", "display_name": "Claude Opus 4.7",
            "created_at": "2026-04-16T00:00:00Z", "lifecycle": "active", "line": "opus",
            "max_input_tokens": 1_000_000, "max_tokens": 128_000,
            "capabilities": {"effort": {"supported": True, "high": {"supported": True}}},
        }),
        ModelInfo("claude-haiku-4-5", "Claude Haiku 4.5", lifecycle="deprecated"),
    ]
    cache = ModelCache(tmp_path / "cache" / "models.json")
    cache.save(models)
    loaded = ModelCache(tmp_path / "cache" / "models.json").load()
    assert loaded == models
    assert loaded is not None and loaded[0].effort_levels == ["high"]


def test_unusable_model_cache_is_none(tmp_path: Path, subtests: Any) -> None:
    path = tmp_path / "models.json"
    for content in [b"{", b"[]", b'{"models": 5}', b'{"models": [{"display_name": "no id"}]}',
                    b'{"models": []}', b"\xff", b'{"other": []}', b'{"models": [5]}']:
        with subtests.test(content=content):
            path.write_bytes(content)
            assert ModelCache(path).load() is None


def test_missing_model_cache_is_none(tmp_path: Path) -> None:
    assert ModelCache(tmp_path / "nope.json").load() is None


def test_model_cache_write_failure_is_not_an_error(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "models.json"
    ModelCache(path).save([ModelInfo("a", "A")])
    monkeypatch.setattr(os, "replace", no_space)
    ModelCache(path).save([ModelInfo("b", "B")])
    monkeypatch.undo()
    cached = ModelCache(path).load()
    assert cached is not None and [m.id for m in cached] == ["a"]


# -- KeyStore -----------------------------------------------------------------------------------


def files_containing(root: Path, needle: str) -> list[Path]:
    data = needle.encode()
    return [p for p in root.rglob("*") if p.is_file() and data in p.read_bytes()]


def test_environment_key_wins(memory_keyring: MemoryKeyring,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    memory_keyring.passwords[(SERVICE, USERNAME)] = "sk-ant-from-keyring"
    monkeypatch.setenv(ENV_VAR, f"  {KEY}\n")
    lookup = KeyStore().load()
    assert (lookup.key, lookup.source, lookup.problem) == (KEY, "environment", None)


def test_environment_can_be_injected(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.passwords[(SERVICE, USERNAME)] = "sk-ant-from-keyring"
    assert KeyStore({ENV_VAR: KEY}).load().key == KEY
    blank = KeyStore({ENV_VAR: "   "}).load()
    assert (blank.key, blank.source) == ("sk-ant-from-keyring", "keyring")


def test_keyring_round_trip(memory_keyring: MemoryKeyring, tmp_path: Path) -> None:
    store = KeyStore({})
    assert store.load().key is None and store.load().source is None
    result = store.save(f"  {KEY}  \n")
    assert result.persisted and result.problem is None
    assert memory_keyring.passwords[(SERVICE, USERNAME)] == KEY
    lookup = KeyStore({}).load()  # a new run finds it
    assert (lookup.key, lookup.source) == (KEY, "keyring")
    assert files_containing(tmp_path, KEY) == []


def test_forget_removes_the_key(memory_keyring: MemoryKeyring) -> None:
    store = KeyStore({})
    store.save(KEY)
    store.forget()
    assert memory_keyring.passwords == {}
    assert store.load().key is None
    store.forget()  # nothing to forget: not an error


@pytest.mark.usefixtures("no_keyring")
def test_no_keyring_keeps_the_key_for_this_session_only(tmp_path: Path) -> None:
    store = KeyStore({})
    first = store.load()
    assert first.key is None
    assert first.problem == NO_KEYRING_MESSAGE

    result = store.save(KEY)

    assert not result.persisted
    assert result.problem == NO_KEYRING_MESSAGE
    assert "keyring" in result.problem and "never written to a file" in result.problem
    assert KEY not in result.problem
    lookup = store.load()
    assert (lookup.key, lookup.source) == (KEY, "session")
    # Not on disk anywhere (home, XDG dirs, data dirs all live under tmp_path) ...
    assert files_containing(tmp_path, KEY) == []
    # ... so the next run asks again.
    assert KeyStore({}).load().key is None
    store.forget()
    assert store.load().key is None


def test_locked_keyring_on_read(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.passwords[(SERVICE, USERNAME)] = KEY
    memory_keyring.locked = True
    lookup = KeyStore({}).load()
    assert lookup.key is None
    assert lookup.problem and "keyring" in lookup.problem
    assert KEY not in lookup.problem


def test_locked_keyring_on_save_keeps_the_key_for_the_session(memory_keyring: MemoryKeyring,
                                                              tmp_path: Path) -> None:
    memory_keyring.locked = True
    store = KeyStore({})
    result = store.save(KEY)
    assert not result.persisted
    assert result.problem and "keyring" in result.problem
    assert KEY not in result.problem
    assert store.load().key == KEY
    assert store.load().source == "session"
    store.forget()  # a locked keyring on delete is logged, not raised
    assert store.load().key is None
    assert files_containing(tmp_path, KEY) == []


def test_saving_again_after_the_keyring_recovers(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.locked = True
    store = KeyStore({})
    store.save("sk-ant-first-key-session-only")
    memory_keyring.locked = False
    assert store.save(KEY).persisted
    assert store.load() == KeyLookup(KEY, "keyring")


def test_key_store_uses_the_process_environment_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = KeyStore()
    assert store.load().source is None
    monkeypatch.setenv(ENV_VAR, KEY)
    assert store.load().source == "environment"
    assert keyring.get_password(SERVICE, USERNAME) is None  # the env key is never stored


# -- mask ---------------------------------------------------------------------------------------


def test_mask_shows_only_the_prefix_and_last_four(subtests: Any) -> None:
    for key in [KEY, "sk-ant-api03-" + "A" * 80 + "wxyz", "abcdefghijklm",
                "sk-ant-12345678901234"]:
        with subtests.test(key=key):
            shown = mask(key)
            assert shown == f"{key[:7]}…{key[-4:]}"
            assert key not in shown
            assert key[7:-4] not in shown


def test_mask_hides_short_keys_entirely(subtests: Any) -> None:
    for key in ["", "short", "exactly12chr"]:
        with subtests.test(key=key):
            shown = mask(key)
            assert set(shown) <= {"•"}
            assert len(shown) == len(key)


# -- price file ---------------------------------------------------------------------------------


def test_load_prices_reads_the_shipped_file() -> None:
    raw = json.loads(
        resources.files("desktop_app.resources").joinpath("prices.json").read_text("utf-8")
    )
    table = load_prices()
    assert set(table.known()) == set(raw["models"])
    assert raw["models"], "the shipped price table is empty"
    for model_id, entry in raw["models"].items():
        price = table.price(model_id)
        assert price is not None
        assert price.input == float(entry["input"])
        assert price.output == float(entry["output"])
        assert price.cache_read == float(entry.get("cache_read", entry["input"] * 0.1))
        assert price.output >= price.input > 0
        assert table.price(f"{model_id}-20260101") == price  # dated ids cost the same


def test_load_all_removes_temporary_files_left_by_a_crash(tmp_path) -> None:
    from desktop_app.core.conversation import Conversation
    from desktop_app.storage.history_store import HistoryStore

    store = HistoryStore(tmp_path)
    conversation = Conversation()
    conversation.add_user_message("kept")
    store.save(conversation)
    stale = tmp_path / f".{conversation.id}.json.abc123.tmp"
    stale.write_text('{"half": ')
    result = store.load_all()
    assert [c.id for c in result.conversations] == [conversation.id] and not result.problems
    assert not stale.exists()


def _schema_two(monkeypatch):
    """A pretend next schema: version 2 notes where each file came from."""
    from desktop_app.storage import history_store

    def one_to_two(data):
        data = dict(data)
        data["migrated_from"] = 1
        return data

    monkeypatch.setattr(history_store, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(history_store.MIGRATIONS, 1, one_to_two)


def test_an_older_file_is_backed_up_before_it_is_migrated(tmp_path, monkeypatch) -> None:
    import json as _json

    from desktop_app.core.conversation import Conversation
    from desktop_app.storage.history_store import HistoryStore

    store = HistoryStore(tmp_path / "conversations")
    old = Conversation()
    old.add_user_message("written by an older Cairn")
    store.save(old)  # schema 1
    original = (tmp_path / "conversations" / f"{old.id}.json").read_bytes()
    _schema_two(monkeypatch)
    loaded = store.load_all()
    assert [c.id for c in loaded.conversations] == [old.id] and not loaded.problems
    backup = tmp_path / "backups" / "schema-1" / f"{old.id}.json"
    assert backup.read_bytes() == original
    store.save(loaded.conversations[0])
    saved = _json.loads((tmp_path / "conversations" / f"{old.id}.json").read_text())
    assert saved["schema"] == 2 and saved["migrated_from"] == 1
    assert backup.read_bytes() == original  # the backup is never overwritten
    store.load_all()
    assert backup.read_bytes() == original


def test_no_backup_no_migration_and_the_file_is_left_alone(tmp_path, monkeypatch) -> None:
    from desktop_app.core.conversation import Conversation
    from desktop_app.storage.history_store import HistoryStore

    store = HistoryStore(tmp_path / "conversations")
    old = Conversation()
    old.add_user_message("keep me")
    store.save(old)
    path = tmp_path / "conversations" / f"{old.id}.json"
    original = path.read_bytes()
    (tmp_path / "backups").write_text("a file where the backups folder should be")
    _schema_two(monkeypatch)
    loaded = store.load_all()
    assert loaded.conversations == [] and len(loaded.problems) == 1
    assert "backup could not be written" in loaded.problems[0].describe()
    assert path.read_bytes() == original and not list(path.parent.glob("*.unreadable-*"))


# -- files that do not match the history format (issue 17) ------------------------------------


def poisoned(conversation_id: str, change: Any) -> bytes:
    """A conversation as Cairn saves it, with ``change(document)`` applied."""
    document = make_conversation(conversation_id).to_json(SCHEMA_VERSION)
    document["messages"][0]["content"].append(
        {"type": "image", "source": {"type": "cairn_attachment", "sha256": "a" * 64,
                                     "media_type": "image/png"}})
    change(document)
    return json.dumps(document).encode()


POISONS: dict[str, Any] = {
    "a number for text": lambda d: d["messages"][1]["content"][1].update(text=42),
    "an image without its sha256": lambda d: d["messages"][0]["content"][1]["source"].pop(
        "sha256"),
    "usage as a string": lambda d: d["messages"][1].update(usage="lots"),
    "model as a list": lambda d: d["messages"][1].update(model=["claude-x"]),
    "system_prompt as an object": lambda d: d.update(system_prompt={"text": "be nice"}),
    "created_at as a number": lambda d: d.update(created_at=1_700_000_000),
    "an unknown role": lambda d: d["messages"][0].update(role="system"),
    "a message id twice": lambda d: d["messages"][1].update(id=d["messages"][0]["id"]),
    "deep nesting where nothing is described": lambda d: d.update(x=json.loads(
        "[" * 100 + "]" * 100)),
}


def test_a_file_off_the_format_never_stops_the_start_up_scan(tmp_path: Path,
                                                             subtests: Any) -> None:
    """Before: the scan built each summary outside its error handling and Message.from_json
    did not check block types, so one such file made every start exit with a TypeError (or
    a KeyError for the image)."""
    for number, (name, change) in enumerate(POISONS.items()):
        with subtests.test(name):
            store = HistoryStore(tmp_path / f"case{number}")
            store.save(make_conversation("c_good", "2026-01-02T00:00:00.000Z"))
            bad = store.directory / "c_bad.json"
            content = poisoned("c_bad", change)
            bad.write_bytes(content)

            result = store.scan()

            assert [s.id for s in result.summaries] == ["c_good"]
            (problem,) = result.problems
            assert problem.reason.startswith("not in Cairn's history format: ")
            assert problem.moved_to is not None and problem.moved_to.read_bytes() == content
            assert not bad.exists()
            assert store.scan().problems == []  # said once


def test_loading_a_file_off_the_format_raises_a_value_error_saying_why(store: HistoryStore) -> None:
    store.directory.mkdir(parents=True)
    (store.directory / "c_bad.json").write_bytes(poisoned("c_bad", POISONS["usage as a string"]))
    with pytest.raises(ValueError, match=r"messages\[1\].usage must be an object or null"):
        store.load("c_bad")
    (store.directory / "c_bad.json").write_bytes(
        poisoned("c_bad", POISONS["system_prompt as an object"]))
    with pytest.raises(ValueError, match="system_prompt must be a string, not an object"):
        store.load("c_bad")


def test_an_error_of_cairns_own_is_reported_and_leaves_the_file_alone(
        store: HistoryStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug met while summarising one file must not stop Cairn from starting, nor set the
    file aside (every file would be, if the bug hit them all)."""
    from desktop_app.core import conversation_summary

    store.save(make_conversation("c_good", "2026-01-02T00:00:00.000Z"))
    store.save(make_conversation("c_trips", "2026-01-01T00:00:00.000Z"))
    real = conversation_summary.ConversationSummary.of.__func__  # type: ignore[attr-defined]

    def of(cls: Any, conversation: Conversation, *, read_only: bool = False) -> Any:
        if conversation.id == "c_trips":
            raise TypeError("a bug")
        return real(cls, conversation, read_only=read_only)

    monkeypatch.setattr(conversation_summary.ConversationSummary, "of", classmethod(of))
    result = store.scan()
    assert [s.id for s in result.summaries] == ["c_good"]
    (problem,) = result.problems
    assert "an error in Cairn" in problem.reason and problem.moved_to is None
    assert (store.directory / "c_trips.json").exists()


def test_a_file_name_that_is_not_utf8_is_set_aside_and_shown_readably(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "conversations")
    store.save(make_conversation("c_good"))
    raw = os.fsencode(store.directory) + b"/c_\xff\xfe.json"
    with open(raw, "wb") as handle:
        handle.write(json.dumps({"id": "c_x", "messages": []}).encode())
    result = store.scan()
    (problem,) = result.problems
    assert problem.moved_to is not None
    text = problem.describe()
    text.encode("utf-8")  # no lone surrogates: it can be shown, logged and translated
    assert "c_\ufffd\ufffd.json" in text


# -- a keyring that keeps nothing (issue 17) ---------------------------------------------------


def test_a_keyring_that_keeps_nothing_is_not_called_the_system_keyring(tmp_path: Path) -> None:
    """keyring's null backend accepts set_password and stores nothing: Cairn read the key back
    only on the next start, after telling the user it was kept in the keyring."""
    import keyring.backends.null

    keyring.set_keyring(keyring.backends.null.Keyring())
    store = KeyStore({})
    result = store.save(KEY)
    assert not result.persisted
    assert result.problem is not None and "did not keep it" in result.problem
    assert KEY not in result.problem
    assert store.load() == KeyLookup(KEY, "session")
    assert KeyStore({}).load().key is None  # the next run asks again
    assert files_containing(tmp_path, KEY) == []


def test_a_keyring_that_keeps_another_value_is_not_trusted(memory_keyring: MemoryKeyring) -> None:
    original = memory_keyring.set_password
    memory_keyring.set_password = lambda s, u, p: original(s, u, p[:10])  # type: ignore[method-assign]
    result = KeyStore({}).save(KEY)
    assert not result.persisted and result.problem
