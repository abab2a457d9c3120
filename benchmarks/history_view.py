"""Opening a 2,000-message conversation, from the click to the first paint of its messages.

The conversation (1,000 questions and 1,000 Markdown answers with code, lists and tables) is
written by a generator into a temporary data folder; the window is built offscreen and the
figure is the median of 5 openings, each switching from a short conversation to the long one
(``controller.select``) and waiting until the message view has painted.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from desktop_app.core.conversation import Conversation, Message
from desktop_app.storage.history_store import HistoryStore

TARGET_MS = 300.0
MESSAGES = 2_000
RUNS = 5
ANSWER = (
    "Here is what to do, step by step:\n\n1. Read the file with `path.read_text()`.\n"
    "2. Parse it with `json.loads`.\n3. Handle `FileNotFoundError`.\n\n"
    "```python\ndata = json.loads(path.read_text(encoding='utf-8'))\n```\n\n"
    "| Step | Why |\n|---|---|\n| read | one call |\n| parse | strict |\n"
)


def make_history(folder: Path) -> tuple[str, str]:
    """A long conversation and a short one; returns their ids."""
    store = HistoryStore(folder / "conversations")
    long = Conversation(title="A very long conversation")
    for n in range(MESSAGES // 2):
        long.messages.append(Message("user", [{"type": "text", "text": f"Question {n}: how?"}]))
        long.messages.append(Message(
            "assistant", [{"type": "text", "text": f"Answer {n}. " + ANSWER}],
            model="claude-sonnet-4-6",
            usage={"input_tokens": 900 + n, "output_tokens": 120},
        ))
    short = Conversation(title="Short")
    short.add_user_message("Hello")
    store.save(long)
    store.save(short)
    return long.id, short.id


async def measure(data_dir: Path, long_id: str, short_id: str) -> list[float]:
    from PySide6.QtCore import QEvent, QObject

    from benchmarks.app_window import close_window, open_window

    os.environ.pop("ANTHROPIC_API_KEY", None)
    os.environ["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9"
    window = await open_window(data_dir)
    controller = window.controller
    painted = asyncio.Event()

    class PaintWatch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                painted.set()
            return False

    watch = PaintWatch()
    window.messages.viewport().installEventFilter(watch)
    timings = []
    for _ in range(RUNS):
        controller.select(short_id)
        await asyncio.sleep(0.3)
        painted.clear()
        start = time.perf_counter()
        controller.select(long_id)
        await painted.wait()
        timings.append(time.perf_counter() - start)
        await asyncio.sleep(0.3)
    await close_window(window)
    return timings


def run() -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp:
        long_id, short_id = make_history(Path(tmp))
        timings = loop.run_until_complete(measure(Path(tmp), long_id, short_id))
    return {
        "figure": f"open a {MESSAGES:,}-message conversation to first paint",
        "value": statistics.median(timings) * 1000, "unit": "ms", "target": TARGET_MS,
        "better": "lower", "detail": "runs: " + ", ".join(f"{t * 1000:.0f}" for t in timings),
    }


def main() -> None:
    from benchmarks.report import emit

    result = run()
    emit(result if isinstance(result, list) else [result])


if __name__ == "__main__":
    main()
