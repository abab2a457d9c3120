"""MCP servers on disk: configurations in mcp_servers.json, their secrets only in the keyring,
and every keyring failure said, never worked around with a file."""

from __future__ import annotations

import errno
import json
import shutil
import sys
from pathlib import Path

import keyring
import pytest

from desktop_app.core.mcp_servers import ConfigProblemKind, McpServerConfig, Transport
from desktop_app.storage.claude_desktop_file import (
    MAX_CONFIG_BYTES,
    find_claude_desktop_config,
    read_claude_desktop_config,
)
from desktop_app.storage.mcp_store import SERVICE, McpStore, StoreProblemKind
from tests.helpers.memory_keyring import MemoryKeyring

API_KEY = "sk-live-secret-0123456789"
TOKEN = "Bearer token-abcdef-987654"

FILES = McpServerConfig(
    id="srv_00000000000000a1", name="Files", transport=Transport.STDIO, command="npx",
    args=("-y", "server-filesystem"), env=(("API_KEY", API_KEY), ("REGION", "eu-west-1")),
)
REMOTE = McpServerConfig(
    id="srv_00000000000000b2", name="Remote", transport=Transport.HTTP,
    url="https://mcp.example.com/mcp", headers=(("Authorization", TOKEN),),
)
PLAIN = McpServerConfig(id="srv_00000000000000c3", name="Time", transport=Transport.STDIO,
                        command="uvx", args=("mcp-server-time",))


def files_containing(root: Path, needle: str) -> list[Path]:
    data = needle.encode()
    return [p for p in root.rglob("*") if p.is_file() and data in p.read_bytes()]


class CountingKeyring(MemoryKeyring):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0
        self.reads = 0

    def set_password(self, service: str, username: str, password: str) -> None:
        self.writes += 1
        super().set_password(service, username, password)

    def get_password(self, service: str, username: str) -> str | None:
        self.reads += 1
        return super().get_password(service, username)


class ForgetfulKeyring(MemoryKeyring):
    """Accepts everything and keeps nothing (keyring's null backend, a broken one)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()


@pytest.fixture
def counting_keyring() -> CountingKeyring:
    backend = CountingKeyring()
    keyring.set_keyring(backend)
    return backend


def test_secrets_go_to_the_keyring_and_never_to_the_file(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    config_dir = tmp_path / "config"
    result = McpStore(config_dir).save([FILES, REMOTE, PLAIN])
    assert (result.saved, result.secrets_kept, result.problems) == (True, True, ())
    # Not in any file under the test's folder (data, config, home, XDG dirs).
    for secret in (API_KEY, TOKEN, "eu-west-1"):
        assert files_containing(tmp_path, secret) == []
    saved = json.loads((config_dir / "mcp_servers.json").read_text())
    assert saved["schema"] == 1
    assert [server["name"] for server in saved["servers"]] == ["Files", "Remote", "Time"]
    assert saved["servers"][0]["env"] == ["API_KEY", "REGION"]
    # One keyring entry per server that has secrets, under Cairn's MCP service.
    assert sorted(memory_keyring.passwords) == [(SERVICE, FILES.id), (SERVICE, REMOTE.id)]
    loaded = McpStore(config_dir).load()  # the next run
    assert loaded.problems == ()
    assert loaded.servers == (FILES, REMOTE, PLAIN)


def test_saving_touches_the_keyring_only_for_changed_secrets(
    tmp_path: Path, counting_keyring: CountingKeyring
) -> None:
    store = McpStore(tmp_path)
    store.save([FILES, REMOTE])
    assert counting_keyring.writes == 2
    store.save([FILES, REMOTE, PLAIN])  # a server without secrets added
    store.save([FILES.__class__(**{**FILES.__dict__, "name": "Renamed"}), REMOTE])
    assert counting_keyring.writes == 2
    changed = McpServerConfig(**{**REMOTE.__dict__, "headers": (("Authorization", "Bearer new"),)})
    store.save([FILES, changed])
    assert counting_keyring.writes == 3
    assert json.loads(counting_keyring.passwords[(SERVICE, REMOTE.id)])["headers"] == {
        "Authorization": "Bearer new"}
    # A new run that loads and saves unchanged servers writes nothing.
    fresh = McpStore(tmp_path)
    fresh.load()
    fresh.save([FILES, changed])
    assert counting_keyring.writes == 3


def test_servers_without_secrets_never_touch_the_keyring(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.locked = True  # any keyring call would fail (and, on a desktop, prompt)
    store = McpStore(tmp_path)
    assert store.save([PLAIN]).problems == ()
    assert McpStore(tmp_path).load().problems == ()


def test_removing_a_server_or_its_secrets_removes_its_keyring_entry(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    store = McpStore(tmp_path)
    store.save([FILES, REMOTE])
    store.save([FILES])
    assert list(memory_keyring.passwords) == [(SERVICE, FILES.id)]
    fresh = McpStore(tmp_path)  # also after a restart
    fresh.load()
    fresh.save([McpServerConfig(**{**FILES.__dict__, "env": ()})])
    assert memory_keyring.passwords == {}


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_secrets_are_refused_and_never_written(tmp_path: Path) -> None:
    store = McpStore(tmp_path / "config")
    result = store.save([FILES, REMOTE])
    assert result.saved and not result.secrets_kept
    assert [p.kind for p in result.problems] == [StoreProblemKind.KEYRING_UNAVAILABLE]
    assert "never written to a file" in result.problems[0].text
    assert files_containing(tmp_path, API_KEY) == [] and files_containing(tmp_path, TOKEN) == []
    loaded = McpStore(tmp_path / "config").load()
    assert [p.kind for p in loaded.problems] == [StoreProblemKind.KEYRING_UNAVAILABLE]
    assert loaded.servers[0].env == (("API_KEY", ""), ("REGION", ""))


def test_a_locked_keyring_at_start_up_never_costs_the_saved_secrets(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    McpStore(tmp_path).save([FILES])
    memory_keyring.locked = True
    store = McpStore(tmp_path)
    loaded = store.load()
    assert [(p.kind, dict(p.facts)) for p in loaded.problems] == [
        (StoreProblemKind.KEYRING_ERROR, {"reason": "KeyringLocked"})]
    unknown = loaded.servers[0]
    assert unknown.env == (("API_KEY", ""), ("REGION", ""))
    # Saving while locked fails (and says so) ...
    assert not store.save([unknown]).secrets_kept
    # ... and once unlocked, saving the servers as loaded (a rename, say) keeps the real values.
    memory_keyring.locked = False
    renamed = McpServerConfig(**{**unknown.__dict__, "name": "Renamed",
                                 "env": (("API_KEY", ""), ("REGION", "us-east-1"))})
    assert store.save([renamed]).secrets_kept
    assert McpStore(tmp_path).load().servers[0].env == (
        ("API_KEY", API_KEY), ("REGION", "us-east-1"))


def test_a_keyring_that_keeps_nothing_is_found_out(tmp_path: Path) -> None:
    keyring.set_keyring(ForgetfulKeyring())
    result = McpStore(tmp_path).save([FILES, PLAIN])
    assert result.saved and not result.secrets_kept
    assert [(p.kind, dict(p.facts)) for p in result.problems] == [
        (StoreProblemKind.KEYRING_NOT_KEPT, {"server": "Files"})]


def test_missing_or_damaged_keyring_entries_are_named(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    McpStore(tmp_path).save([FILES, REMOTE])
    memory_keyring.passwords[(SERVICE, FILES.id)] = json.dumps({"env": {"REGION": "x"}})
    memory_keyring.passwords[(SERVICE, REMOTE.id)] = "not json"
    loaded = McpStore(tmp_path).load()
    assert [(p.kind, dict(p.facts)) for p in loaded.problems] == [
        (StoreProblemKind.SECRETS_MISSING, {"server": "Files", "names": "API_KEY"}),
        (StoreProblemKind.SECRETS_MISSING, {"server": "Remote", "names": "Authorization"}),
    ]
    assert loaded.servers[0].env == (("API_KEY", ""), ("REGION", "x"))


def test_a_broken_file_is_set_aside_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "mcp_servers.json"
    for broken in ("{not json", "[]", '{"servers": {}}', '{"schema": "two", "servers": []}'):
        path.write_text(broken)
        store = McpStore(tmp_path)
        loaded = store.load()
        assert loaded.servers == ()
        assert [p.kind for p in loaded.problems] == [StoreProblemKind.FILE_UNREADABLE]
        aside = tmp_path / str(loaded.problems[0].facts["aside"])
        assert aside.read_text() == broken
        aside.unlink()
        assert not path.exists()


def test_unreadable_entries_are_skipped_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "mcp_servers.json"
    path.write_text(json.dumps({"schema": 1, "servers": [
        PLAIN.to_json(), {"id": "nope"}, "text", PLAIN.to_json(), {**PLAIN.to_json(), "id": "srv_0123456"},
    ]}))
    loaded = McpStore(tmp_path).load()
    assert [server.id for server in loaded.servers] == [PLAIN.id, "srv_0123456"]
    assert [(p.kind, p.facts["position"]) for p in loaded.problems] == [
        (StoreProblemKind.SERVER_UNREADABLE, 2), (StoreProblemKind.SERVER_UNREADABLE, 3),
        (StoreProblemKind.SERVER_UNREADABLE, 4)]


def test_a_file_from_a_newer_cairn_is_used_but_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "mcp_servers.json"
    text = json.dumps({"schema": 2, "servers": [PLAIN.to_json()], "future": True})
    path.write_text(text)
    store = McpStore(tmp_path)
    loaded = store.load()
    assert loaded.servers == (PLAIN,)
    assert [p.kind for p in loaded.problems] == [StoreProblemKind.NEWER_VERSION]
    assert not store.save([]).saved
    assert path.read_text() == text


def test_a_failed_write_says_so_and_touches_no_secret(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(path: Path, data: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("desktop_app.storage.mcp_store.write_json_atomic", disk_full)
    result = McpStore(tmp_path).save([PLAIN, FILES])
    assert (result.saved, result.secrets_kept) == (False, False)
    assert [(p.kind, dict(p.facts)) for p in result.problems] == [
        (StoreProblemKind.CANNOT_WRITE, {"reason": "No space left on device"})]
    assert memory_keyring.passwords == {}


# -- Claude Desktop's config file ----------------------------------------------------------------


def test_claude_desktop_config_is_found_where_the_app_keeps_it(tmp_path: Path) -> None:
    home = tmp_path / "me"
    environ = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    assert find_claude_desktop_config("Linux", environ, home) is None
    fallback = home / ".config" / "Claude" / "claude_desktop_config.json"
    fallback.parent.mkdir(parents=True)
    fallback.write_text("{}")
    assert find_claude_desktop_config("Linux", environ, home) == fallback
    first = tmp_path / "xdg" / "Claude" / "claude_desktop_config.json"
    first.parent.mkdir(parents=True)
    first.write_text("{}")
    assert find_claude_desktop_config("Linux", environ, home) == first
    mac = home / "Library" / "Application Support" / "Claude" / "claude_desktop_config.json"
    mac.parent.mkdir(parents=True)
    mac.write_text("{}")
    assert find_claude_desktop_config("Darwin", {}, home) == mac


def test_claude_desktop_config_is_read_safely(tmp_path: Path) -> None:
    path = tmp_path / "claude_desktop_config.json"
    config = {"mcpServers": {"time": {"command": "uvx", "args": ["mcp-server-time"],
                                      "env": {"TZ": "Europe/Paris"}}}}
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(config).encode())  # Notepad's BOM
    servers, problems = read_claude_desktop_config(path)
    assert problems == [] and [(s.name, s.env) for s in servers] == [("time", (("TZ", "Europe/Paris"),))]

    path.write_bytes(b"{" + b" " * MAX_CONFIG_BYTES + b"}")
    assert [p.kind for p in read_claude_desktop_config(path)[1]] == [ConfigProblemKind.FILE_TOO_LARGE]
    path.write_bytes(b'{"mcpServers": {"\xff": {}}}')
    assert [p.kind for p in read_claude_desktop_config(path)[1]] == [ConfigProblemKind.NOT_TEXT]
    for unreadable in (tmp_path / "missing.json", tmp_path):
        servers, problems = read_claude_desktop_config(unreadable)
        assert servers == [] and [p.kind for p in problems] == [ConfigProblemKind.FILE_UNREADABLE]
        assert problems[0].facts["reason"]


def test_a_sign_in_is_kept_in_the_keyring_or_refused_plainly(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    store = McpStore(tmp_path)
    assert store.load_oauth(REMOTE.id) is None
    assert store.save_oauth(REMOTE.id, '{"tokens": {"access_token": "at-123456"}}') is None
    assert memory_keyring.passwords[(SERVICE, REMOTE.id + "/oauth")].startswith('{"tokens"')
    assert store.load_oauth(REMOTE.id) == '{"tokens": {"access_token": "at-123456"}}'
    assert files_containing(tmp_path, "at-123456") == []
    memory_keyring.locked = True
    assert store.load_oauth(REMOTE.id) is None  # the person signs in again
    problem = store.save_oauth(REMOTE.id, "{}")
    assert problem is not None and problem.kind is StoreProblemKind.KEYRING_ERROR
    memory_keyring.locked = False
    store.forget_oauth(REMOTE.id)
    store.forget_oauth(REMOTE.id)  # nothing left: not an error
    assert memory_keyring.passwords == {}
    keyring.set_keyring(ForgetfulKeyring())
    problem = store.save_oauth(REMOTE.id, "{}")
    assert problem is not None and problem.kind is StoreProblemKind.KEYRING_NOT_KEPT


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_a_sign_in_lasts_one_run(tmp_path: Path) -> None:
    store = McpStore(tmp_path)
    problem = store.save_oauth(REMOTE.id, '{"tokens": {"access_token": "at-123456"}}')
    assert problem is not None and problem.kind is StoreProblemKind.KEYRING_UNAVAILABLE
    assert store.load_oauth(REMOTE.id) is None
    assert files_containing(tmp_path, "at-123456") == []


REAL_KEYRING_SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[4])  # this checkout's desktop_app, whatever is installed
from desktop_app.core.mcp_servers import McpServerConfig, Transport
from desktop_app.storage.mcp_store import McpStore
store = McpStore(Path(sys.argv[2]))
if sys.argv[1] == "save":
    server = McpServerConfig(id="srv_00000000000000a1", name="Files", transport=Transport.STDIO,
                             command="npx", env=(("API_KEY", sys.argv[3]),))
    result = store.save([server])
    print("kept" if result.secrets_kept else [p.text for p in result.problems])
else:
    loaded = store.load()
    print(loaded.servers[0].env == (("API_KEY", sys.argv[3]),), [p.text for p in loaded.problems])
"""


@pytest.mark.skipif(not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
                    reason="needs dbus and gnome-keyring (installed by scripts/test.sh on Debian)")
def test_secrets_round_trip_through_the_secret_service(tmp_path: Path) -> None:
    from tests.storage.test_real_keyring import in_session

    home = tmp_path / "desktop-user"
    home.mkdir()
    script = tmp_path / "mcp.py"
    script.write_text(REAL_KEYRING_SCRIPT)
    config_dir = home / "config"
    python = [sys.executable, str(script)]
    root = str(Path(__file__).resolve().parents[2])
    lines = in_session(home, python + ["save", str(config_dir), API_KEY, root],
                       python + ["load", str(config_dir), API_KEY, root])
    assert lines == ["kept", "True []"]
    assert files_containing(config_dir, API_KEY) == []
