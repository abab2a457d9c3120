"""Garbage collection on the Qt thread only.

Python's cyclic collector runs in whichever thread happens to allocate when a threshold is
crossed. If that is a worker (the disk thread, the SDK's threads) and the garbage holds Qt
objects, Qt warns "Timers cannot be stopped from another thread" and may crash. So automatic
collection is switched off and a timer on the GUI thread collects instead (as qutebrowser does).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

_INTERVAL_MS = 1000


class MainThreadGarbageCollector(QObject):
    """Collects young garbage every second and older generations when they fill up."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(_INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> None:
        counts = gc.get_count()
        if counts[0] > self._threshold[0]:
            generation = 0
            if counts[1] > self._threshold[1]:
                generation = 1
                if counts[2] > self._threshold[2]:
                    generation = 2
            gc.collect(generation)

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()
