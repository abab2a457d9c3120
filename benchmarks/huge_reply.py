"""A 10 MB reply on a single line, streamed into the real window at full speed.

Two figures:
- the longest event-loop stall while it streams, from its first words until the window has
  shown what it shows of it (a 2 ms timer notes every gap);
- how long Stop takes to act: Esc is pressed when 2 MB have arrived, and the time runs until
  the reply is marked stopped and the window has nothing more to do for it (no repaint
  pending); the longest stall after the key is shown beside it.

A real model writes at most a few hundred thousand characters per reply; ten megabytes on one
line is what a misbehaving proxy or a hostile endpoint can send, and the window must stay
responsive and stoppable whatever the shape of the text. The fake Messages API runs in its own
process (``benchmarks.stream_server huge-line``) and sends the line in 1,000-character deltas;
the window is offscreen.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path
from typing import Any

HUGE_CHARS = 10_000_000
DELTA_CHARS = 1_000
STOP_AT_CHARS = 2_000_000
STALL_TARGET_MS = 50.0
STOP_TARGET_MS = 100.0
GIVE_UP_SECONDS = 240.0  # a run that has not finished by then is reported as such
MODEL = "claude-sonnet-4-6"

_WORDS = ("the", "reply", "goes", "on", "**without**", "a", "single", "`line_break`", "and",
          "never", "_ends_", "its", "paragraph", "so", "nothing", "can", "be", "frozen", "early")


def huge_line(chars: int = HUGE_CHARS) -> str:
    """``chars`` characters of words with inline Markdown, and no line break (deterministic)."""
    pattern = " ".join(_WORDS[(i * 7) % len(_WORDS)] for i in range(997)) + " "
    return (pattern * (chars // len(pattern) + 1))[:chars]


class _Ticks:
    """A 2 ms timer noting when the event loop got round to it."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.times: list[float] = []
        self._timer = QTimer()
        self._timer.setInterval(2)
        self._timer.timeout.connect(lambda: self.times.append(time.perf_counter()))

    def start(self) -> None:
        self.times = [time.perf_counter()]
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.times.append(time.perf_counter())

    def longest_gap(self, after: float = 0.0) -> float:
        pairs = zip(self.times, self.times[1:], strict=False)
        return max((b - a for a, b in pairs if b > after), default=0.0)


async def _send(window: Any) -> Any:
    """Start a new conversation, send, and return the reply message once it exists."""
    controller = window.controller
    window.conversation_ops.on_new_requested()
    controller.send("Write the huge answer.")
    while controller.current.last_reply is None:
        await asyncio.sleep(0.002)
    return controller.current.last_reply


async def in_the_window(base_url: str, data_dir: Path) -> dict[str, Any]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from benchmarks.app_window import close_window, open_window

    os.environ["ANTHROPIC_API_KEY"] = "sk-ant-test-key"
    os.environ["ANTHROPIC_BASE_URL"] = base_url

    def adjust(settings: Any) -> None:
        settings.generate_titles = False
        settings.thinking = "off"
        settings.default_model = MODEL

    window = await open_window(data_dir, adjust)
    controller, view = window.controller, window.messages
    while not controller.catalog.from_api:
        await asyncio.sleep(0.01)
    await asyncio.sleep(1.0)  # the token estimate and other start-up work settle
    ticks = _Ticks()

    # 1. The whole reply, until the window is done with it.
    ticks.start()
    start = time.perf_counter()
    reply = await _send(window)
    first_text = streamed = None
    while controller.is_busy() or view.has_pending_repaints():
        await asyncio.sleep(0.005)
        now = time.perf_counter()
        if first_text is None and reply.text:
            first_text = now
        if streamed is None and not controller.is_busy():
            streamed = now
        if now - start > GIVE_UP_SECONDS:
            break
    ticks.stop()
    end = time.perf_counter()
    finished = not (controller.is_busy() or view.has_pending_repaints())
    whole = {
        "stall": ticks.longest_gap(after=first_text or start),
        "streamed": (streamed or end) - start,
        "shown": end - start,
        "finished": finished,
        "chars": len(reply.text),
        "state": reply.state.value,
    }
    if not finished:
        controller.stop()
        await controller.wait_idle()
        while view.has_pending_repaints() and time.perf_counter() - end < GIVE_UP_SECONDS:
            await asyncio.sleep(0.05)

    # 2. Stop in the middle of it.
    reply = await _send(window)
    while len(reply.text) < STOP_AT_CHARS and controller.is_busy():
        await asyncio.sleep(0.002)
    arrived = len(reply.text)
    ticks.start()
    pressed = time.perf_counter()
    QTest.keyClick(window.composer.edit, Qt.Key.Key_Escape)
    while controller.is_busy() or view.has_pending_repaints():
        await asyncio.sleep(0.001)
        if time.perf_counter() - pressed > GIVE_UP_SECONDS:
            break
    stopped = time.perf_counter()
    ticks.stop()
    stop = {
        "ms": (stopped - pressed) * 1000,
        "stall": ticks.longest_gap(),
        "arrived": arrived,
        "kept": len(reply.text),
        "state": reply.state.value,
    }
    await close_window(window)
    return {"whole": whole, "stop": stop}


def run() -> list[dict[str, Any]]:
    from benchmarks.streaming import served_loop

    with served_loop("huge-line") as (base_url, loop), tempfile.TemporaryDirectory() as tmp:
        result = loop.run_until_complete(in_the_window(base_url, Path(tmp)))
    whole, stop = result["whole"], result["stop"]
    ending = (f"all shown after {whole['shown']:.1f} s" if whole["finished"]
              else f"NOT done after {whole['shown']:.0f} s")
    return [
        {"figure": "longest event-loop stall while a 10 MB single-line reply streams",
         "value": whole["stall"] * 1000, "unit": "ms", "target": STALL_TARGET_MS,
         "better": "lower",
         "detail": f"{whole['chars']:,} characters streamed in {whole['streamed']:.1f} s, "
                   f"{ending}, reply {whole['state']}"},
        {"figure": "Esc to the reply stopped and the window idle, 10 MB single-line reply",
         "value": stop["ms"], "unit": "ms", "target": STOP_TARGET_MS, "better": "lower",
         "detail": f"pressed at {stop['arrived']:,} characters, {stop['kept']:,} kept, reply "
                   f"{stop['state']}; longest stall after the key {stop['stall'] * 1000:.0f} ms"},
    ]


def main() -> None:
    from benchmarks.report import emit

    emit(run())


if __name__ == "__main__":
    main()
