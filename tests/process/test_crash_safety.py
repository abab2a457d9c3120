"""Cairn as a real process, killed with SIGKILL at random points (while streaming, while
saving, while deleting), many times over the same data folder.

After every kill: every history file parses, every user message the window had shown as sent
is on disk (unless its conversation was being deleted), no file was set aside, and the next
start continues the conversation with a request the fake API accepts.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from desktop_app.storage.history_store import HistoryStore
from tests.conftest import TEST_KEY
from tests.fake_api import Reply, ToolUse

ROUNDS = int(os.environ.get("CAIRN_CRASH_ROUNDS", "10"))
SEED = int(os.environ.get("CAIRN_CRASH_SEED", "20261125"))

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


class CairnProcess:
    """A Cairn process in --automation mode: commands in, what the window showed out."""

    def __init__(self, data_dir: Path, base_url: str) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ANTHROPIC_API_KEY": TEST_KEY,
               "ANTHROPIC_BASE_URL": base_url}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "desktop_app", "--data-dir", str(data_dir), "--automation"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.strip())

    def wait_for(self, prefix: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"no {prefix!r} line; saw {self.seen[-5:]}"
            try:
                line = self.lines.get(timeout=min(left, 0.5))
            except queue.Empty:
                assert self.process.poll() is None, f"Cairn exited; saw {self.seen[-5:]}"
                continue
            self.seen.append(line)
            if line.startswith(prefix):
                return line

    def drain(self) -> None:
        while True:
            try:
                self.seen.append(self.lines.get_nowait())
            except queue.Empty:
                return

    def command(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        time.sleep(0.05)  # let the reader thread see the end of the output
        self.drain()
        self.close()

    def close(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None and not pipe.closed:
                try:
                    pipe.close()
                except OSError:
                    pass


def shown_and_deleted(lines: list[str]) -> tuple[dict[str, str], set[str]]:
    sent = {}
    deleted = set()
    for line in lines:
        parts = line.split()
        if parts[0] == "sent":
            sent[parts[2]] = parts[1]  # message id -> conversation id
        elif parts[0] == "deleting":
            deleted.add(parts[1])
    return sent, deleted


def test_sigkill_at_random_points_never_loses_what_was_shown(fake_api, data_dir):
    rng = random.Random(SEED)
    shown: dict[str, str] = {}
    deleted: set[str] = set()
    killed_mid_reply = 0
    history = HistoryStore(data_dir / "conversations")
    for round_number in range(ROUNDS):
        fake_api.clear_queue()
        # Replies that take a while to stream, so kills land in the middle of them.
        fake_api.enqueue(*[Reply(f"Reply {round_number}.{n} " + "word " * 60,
                                 chunks=30, delay=rng.uniform(0.005, 0.04)) for n in range(8)])
        cairn = CairnProcess(data_dir, fake_api.base_url)
        try:
            cairn.wait_for("ready")
            if round_number > 0:
                # The conversation left by the kill continues: its next request must be valid.
                cairn.command(f"send continuing after kill {round_number}")
                cairn.wait_for("sent")
                assert cairn.wait_for("idle").split()[2] == "complete", cairn.seen[-3:]
            kill_at = time.monotonic() + rng.uniform(0.05, 2.0)
            while time.monotonic() < kill_at:
                action = rng.choices(["send", "new", "delete", "wait"], [6, 1, 1, 2])[0]
                if action == "send":
                    cairn.command(f"send round {round_number} message {rng.randrange(10**6)}")
                elif action in ("new", "delete"):
                    cairn.command(action)
                time.sleep(rng.uniform(0.0, 0.25))
        finally:
            cairn.kill()
        events = [line.split()[0] for line in cairn.seen if line.split()[0] in ("sent", "idle")]
        killed_mid_reply += bool(events) and events[-1] == "sent"  # a reply was streaming
        sent, deleting = shown_and_deleted(cairn.seen)
        shown.update(sent)
        deleted |= deleting
        assert not list(history.directory.glob("*.unreadable-*")), "a file was set aside"
        result = history.load_all()
        assert result.problems == [] and result.read_only == []
        on_disk = {m.id for c in result.conversations for m in c.all_messages()}
        lost = [m for m, c in shown.items() if m not in on_disk and c not in deleted]
        assert lost == [], f"round {round_number}: shown as sent but not on disk: {lost}"
    # After all that, a last start continues normally.
    cairn = CairnProcess(data_dir, fake_api.base_url)
    try:
        cairn.wait_for("ready")
        cairn.command("send the end")
        assert cairn.wait_for("idle").split()[2] == "complete"
        cairn.command("quit")
        assert cairn.process.wait(30) == 0
    finally:
        if cairn.process.poll() is None:
            cairn.kill()
        cairn.close()
    assert len(shown) >= ROUNDS  # the test really sent and saw messages
    assert killed_mid_reply >= ROUNDS // 3  # and really killed Cairn while replies streamed


def test_sigkill_during_tool_rounds_leaves_conversations_that_continue(fake_api, data_dir):
    """Killed while a tool runs, between rounds, or while a round streams: every file parses
    and the next request (which answers any call left waiting) is one the API accepts."""
    from desktop_app.core.tool_specs import ToolSpec, api_tool_names
    from desktop_app.storage.mcp_store import McpStore
    from tests.mcp_servers.fixtures import stdio_config

    config = stdio_config(name="tester")
    (data_dir / "config").mkdir(parents=True, exist_ok=True)
    assert McpStore(data_dir / "config").save([config]).saved
    # No title requests: one could take a scripted reply meant for the conversation.
    (data_dir / "config" / "settings.json").write_text(
        '{"tools_auto_approve_read_only": true, "generate_titles": false}', encoding="utf-8")
    names = {spec.tool: name for name, spec in api_tool_names(
        ToolSpec(config.id, config.name, tool, tool, "", {"type": "object"})
        for tool in ("echo", "sleep")).items()}
    rng = random.Random(SEED + 1)
    history = HistoryStore(data_dir / "conversations")
    rounds = max(4, ROUNDS // 2)
    for round_number in range(rounds):
        fake_api.clear_queue()
        scripts = []
        for n in range(6):
            scripts += [
                Reply(f"Round {round_number}.{n}: calling.", tool_uses=[
                    ToolUse(names["sleep"], {"seconds": rng.uniform(0.5, 2.5)}),
                    ToolUse(names["echo"], {"text": f"echo {n}"})], chunks=20, delay=0.01),
                Reply(f"Round {round_number}.{n} done " + "word " * 30, chunks=30, delay=0.01),
            ]
        fake_api.enqueue(*scripts)
        cairn = CairnProcess(data_dir, fake_api.base_url)
        try:
            cairn.wait_for("ready")
            if round_number > 0:
                fake_api.clear_queue()
                fake_api.enqueue(Reply("Carrying on."), *scripts)
                cairn.command(f"send continuing after kill {round_number}")
                cairn.wait_for("sent")
                assert cairn.wait_for("idle").split()[2] == "complete", cairn.seen[-3:]
            cairn.command(f"send round {round_number}")
            cairn.wait_for("sent")
            time.sleep(rng.uniform(0.3, 3.0))
        finally:
            cairn.kill()
        assert not list(history.directory.glob("*.unreadable-*")), "a file was set aside"
        result = history.load_all()
        assert result.problems == [] and result.read_only == []
    assert not fake_api.script_errors
    assert any(m.is_tool_results for c in history.load_all().conversations
               for m in c.messages), "no tool round was ever answered"
