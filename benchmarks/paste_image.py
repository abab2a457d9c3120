"""Pasting a 62-megapixel screenshot into the real window.

One figure: the longest event-loop stall from Ctrl+V until the picture is attached (prepared,
stored and shown in the strip), measured with a 2 ms timer; the time until it is attached is
shown beside it. Everything that costs time with the picture must happen on a worker thread.
The window is offscreen; the clipboard holds a decoded QImage, as when another application
offers one.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path
from typing import Any

WIDTH, HEIGHT = 9600, 6500  # 62.4 megapixels
STALL_TARGET_MS = 100.0
RUNS = 3


async def in_the_window(data_dir: Path) -> dict[str, Any]:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter
    from PySide6.QtTest import QTest

    from benchmarks.app_window import close_window, open_window
    from benchmarks.huge_reply import _Ticks

    os.environ["ANTHROPIC_API_KEY"] = "sk-ant-test-key"
    os.environ["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9"  # never asked: nothing is sent
    window = await open_window(data_dir)
    await asyncio.sleep(1.0)
    tray = window.controller.attachments
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_RGB32)
    painter = QPainter(image)  # a gradient, not one colour: encoders have work to do
    gradient = QLinearGradient(0, 0, WIDTH, HEIGHT)
    gradient.setColorAt(0, QColor(20, 90, 200))
    gradient.setColorAt(1, QColor(240, 180, 40))
    painter.fillRect(image.rect(), gradient)
    painter.end()
    QGuiApplication.clipboard().setImage(image)
    del image
    ticks = _Ticks()
    stalls, waits = [], []
    for _ in range(RUNS):
        tray.take_blocks()
        window.composer.edit.setFocus()
        await asyncio.sleep(0.2)
        ticks.start()
        start = time.perf_counter()
        QTest.keyClick(window.composer.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        while not tray.items or tray.busy:
            await asyncio.sleep(0.002)
        waits.append(time.perf_counter() - start)
        await asyncio.sleep(0.1)  # the strip shows the card
        ticks.stop()
        stalls.append(ticks.longest_gap())
    details = tray.items[0].details
    QGuiApplication.clipboard().clear()
    await close_window(window)
    return {"stalls": stalls, "waits": waits, "details": details}


def run() -> list[dict[str, Any]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp:
        result = loop.run_until_complete(in_the_window(Path(tmp)))
    loop.close()
    stalls = [s * 1000 for s in result["stalls"]]
    return [
        {"figure": "longest event-loop stall while a 62-megapixel screenshot is pasted",
         "value": max(stalls), "unit": "ms", "target": STALL_TARGET_MS, "better": "lower",
         "detail": f"{RUNS} pastes: {', '.join(f'{s:.0f}' for s in stalls)} ms; attached after "
                   f"{', '.join(f'{w:.1f}' for w in result['waits'])} s ({result['details']})"},
    ]


def main() -> None:
    from benchmarks.report import emit

    emit(run())


if __name__ == "__main__":
    main()
