"""How long the event loop was held: a heartbeat timer notes when the loop got round to it.

``LoopWatch`` is for GUI tests that promise "no stall over X ms": on a loaded machine a tick
can be late for reasons of its own, so bounds should keep a margin over what the code needs.
"""

from __future__ import annotations

import time
from types import TracebackType

from PySide6.QtCore import QTimer


class LoopWatch:
    """Used as ``with LoopWatch() as watch: ...`` around awaited work; ``watch.longest_ms`` is
    the longest time between two ticks of a 5 ms timer (and the ends of the block)."""

    def __init__(self, interval_ms: int = 5) -> None:
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.longest_ms = 0.0
        self.ticks = 0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_ms = max(self.longest_ms, (now - self._last) * 1000)
        self._last = now
        self.ticks += 1

    def __enter__(self) -> LoopWatch:
        self._last = time.perf_counter()
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._timer.stop()
        self._tick()
