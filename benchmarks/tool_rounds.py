"""Cairn's own time per round of tool use, and start-up with five MCP servers configured.

One reply in the real window calls a tool of the real stdio test server (``echo``, run
without asking: read-only tools are allowed in this run) ``ROUNDS`` times, then answers. The
turn's wall time, less the time spent inside the tool calls (the server's) and streaming the
replies from the fake Messages API (the network's), divided by the rounds, is what Cairn
itself adds per round: approvals, saving each round twice, planning the next request,
updating the window.

Start-up: the window built and started over a data folder with no servers, then with five
(alternated, the median of each); servers start in the background after the window, so the
two should match.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ROUNDS = 20
ROUND_TARGET_MS = 20.0
STARTUP_TARGET_MS = 25.0  # five servers may add at most this much to opening the window
STARTS = 5


def _timed(owner: Any, name: str, spent: list[float]) -> None:
    """Wrap ``owner.name`` (a coroutine method) so its time adds up in ``spent``."""
    inner = getattr(owner, name)

    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await inner(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)
    setattr(owner, name, wrapper)


async def one_turn(fake: Any, data: Path) -> dict[str, float]:
    from benchmarks.app_window import close_window, open_window
    from desktop_app.api.mcp_connection import ServerStatus
    from desktop_app.core.tool_specs import api_tool_names
    from tests.fake_api import Reply, ToolUse
    from tests.mcp_servers.fixtures import stdio_config

    window = await open_window(data, lambda s: setattr(s, "tools_auto_approve_read_only", True))
    controller = window.controller
    servers = controller.tool_servers
    await servers.save([stdio_config(name="bench")])
    server_id = servers.configs[0].id
    await servers.start(server_id)
    while servers.state(server_id).status != ServerStatus.READY:
        await asyncio.sleep(0.01)
    offered = controller.tool_rounds.offered_now(controller.current)
    echo = next(name for name, spec in api_tool_names(offered.values()).items()
                if spec.tool == "echo")
    in_tools: list[float] = []
    streaming: list[float] = []
    _timed(servers, "call", in_tools)
    _timed(controller.replies, "_stream_into", streaming)
    fake.enqueue(*[Reply(f"Round {n}.", tool_uses=[ToolUse(echo, {"text": f"call {n}"})])
                   for n in range(ROUNDS)], Reply("Finished."))
    started = time.perf_counter()
    controller.send("Go round and round.")
    await controller.wait_idle()
    wall = time.perf_counter() - started
    assert controller.current.messages[-1].text == "Finished.", "the turn did not finish"
    assert not fake.script_errors, fake.script_errors
    await close_window(window)  # (which stops the server)
    return {"wall": wall, "tools": sum(in_tools), "streaming": sum(streaming)}


async def startup(data: Path, servers: int) -> float:
    from benchmarks.app_window import close_window, open_window
    from desktop_app.storage.mcp_store import McpStore
    from tests.mcp_servers.fixtures import stdio_config

    McpStore(data / "config").save([stdio_config(name=f"server {n}") for n in range(servers)])
    started = time.perf_counter()
    window = await open_window(data)
    opened = time.perf_counter() - started
    await close_window(window)
    return opened


def run() -> list[dict[str, Any]]:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    from tests.fake_api import FakeAnthropicServer

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    key = "sk-ant-benchmark-key"
    with FakeAnthropicServer(api_key=key) as fake, tempfile.TemporaryDirectory() as tmp:
        os.environ["ANTHROPIC_BASE_URL"] = fake.base_url
        os.environ["ANTHROPIC_API_KEY"] = key
        turn = loop.run_until_complete(one_turn(fake, Path(tmp) / "turn"))
        times: dict[int, list[float]] = {0: [], 5: []}
        for attempt in range(STARTS):
            for count in (0, 5):
                data = Path(tmp) / f"start-{count}-{attempt}"
                (data / "config").mkdir(parents=True)
                times[count].append(loop.run_until_complete(startup(data, count)))
    loop.close()
    own = (turn["wall"] - turn["tools"] - turn["streaming"]) / ROUNDS
    none, five = statistics.median(times[0]), statistics.median(times[5])
    return [
        {"figure": "Cairn's own time per round of tool use", "value": own * 1000, "unit": "ms",
         "target": ROUND_TARGET_MS, "better": "lower",
         "detail": f"{ROUNDS} rounds in {turn['wall']:.2f} s: {turn['tools']:.2f} s in the "
                   f"tool calls, {turn['streaming']:.2f} s streaming the replies"},
        {"figure": "opening the window with five MCP servers, over none", "value":
         (five - none) * 1000, "unit": "ms", "target": STARTUP_TARGET_MS, "better": "lower",
         "detail": f"median of {STARTS}: {none * 1000:.0f} ms with none, "
                   f"{five * 1000:.0f} ms with five"},
    ]


def main() -> None:
    from benchmarks.report import emit

    emit(run())


if __name__ == "__main__":
    main()
