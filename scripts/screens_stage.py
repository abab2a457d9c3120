"""Cairn's real window, in this process, in one language and theme, over the tests' fake API.

A ``Stage`` starts Cairn exactly as ``python -m desktop_app --data-dir DIR`` does
(``app.build_window`` then ``app.run_window``: the outline frame, the translators, the theme,
the controller and its stores), with the language and theme written to the data folder's
settings first, an API key in the environment and ``ANTHROPIC_BASE_URL`` pointing at a
``FakeAnthropicServer``. Scenes then drive the window the way its own widgets do (their
signals, keys, public attributes) and ``shoot`` what is on screen with ``QWidget.grab()``,
which works offscreen, without any display.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QSplitter, QWidget

from tests.fake_api import FakeAnthropicServer

log = logging.getLogger("screens")

API_KEY = "sk-ant-test-key"  # what the fake API accepts (tests/conftest.py's TEST_KEY)
STEP_TIMEOUT = 15.0  # seconds any one wait in a scene may take before the scene gives up
STILL_FRAMES = 3  # a window is still once this many pictures 80 ms apart are all the same


@dataclass(frozen=True)
class Look:
    """One interface language and theme.

    Attributes:
        language: "en" or "zh_CN" (``Settings.language``).
        theme: "light" or "dark" (``Settings.theme``).
    """

    language: str
    theme: str

    @property
    def label(self) -> str:
        """The part of a file name that says the look: "en-light", "zh-dark"."""
        return f"{self.language.split('_')[0]}-{self.theme}"


class SceneFailed(RuntimeError):
    """A scene could not be produced (the window did not get where the scene needed it)."""


async def until(condition: Callable[[], Any], what: str, timeout: float = STEP_TIMEOUT) -> None:
    """Let the event loop run until ``condition()`` holds, or give up on this scene."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise SceneFailed(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def settled(rounds: int = 3) -> None:
    """Give Qt a few turns of its event loop: layouts, deferred repaints (the message view
    paces its repaints at 33 ms) and style polish all run from it. (Never
    ``processEvents()`` inside a coroutine: it would run other tasks' steps inside this
    one's, which asyncio refuses.)"""
    for _ in range(rounds):
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def finish(done: asyncio.Future[None] = done) -> None:
            if not done.done():
                done.set_result(None)

        QTimer.singleShot(40, finish)
        await done


def visible_dialogs() -> list[QDialog]:
    """The dialogs on screen now (each a top-level window of its own)."""
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


class Stage:
    """Cairn's window for one ``Look``, started over a data folder (see the module docstring).

    Args:
        look: the language and theme, saved in the data folder's settings before the start.
        server: the fake API every request goes to.
        data_dir: Cairn's ``--data-dir`` (new and empty for a first start).
    """

    def __init__(self, look: Look, server: FakeAnthropicServer, data_dir: Path) -> None:
        self.look = look
        self.server = server
        self.data_dir = data_dir
        self.window: Any = None  # desktop_app.ui.window.main_window.MainWindow once open
        self._task: asyncio.Task[int] | None = None

    @property
    def frame(self) -> QWidget:
        """The top-level window the user sees (the ``AppFrame`` holding the main window)."""
        frame: QWidget = self.window.window()
        return frame

    @property
    def controller(self) -> Any:
        return self.window.controller

    async def open(self) -> None:
        """Start Cairn as the app does and wait until its history and model list are in."""
        from desktop_app import app

        config = self.data_dir / "config"
        config.mkdir(parents=True, exist_ok=True)
        # Titles are set by the scenes (a title request would take a scripted reply), and a
        # failed request fails at once so the error card is the first thing shown.
        settings = {"theme": self.look.theme, "language": self.look.language,
                    "generate_titles": False, "max_retries": 0}
        (config / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
        os.environ["ANTHROPIC_API_KEY"] = API_KEY
        os.environ["ANTHROPIC_BASE_URL"] = self.server.base_url
        args = app.parse_args(["--data-dir", str(self.data_dir)])
        # build_window paints the first frame with processEvents(), as the app does before
        # its event loop exists: nothing else may be waiting to run then (see settled()).
        await until(lambda: len(asyncio.all_tasks()) == 1, "the previous window's tasks")
        built = app.build_window(args)
        # Cairn closes its window on SIGINT/SIGTERM; here they stop the script instead.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if built is None:
            raise SceneFailed(f"another Cairn runs on {self.data_dir}")
        self.window = built.window
        self._task = task = asyncio.ensure_future(app.run_window(args, built))
        await until(lambda: self.controller.catalog.from_api or task.done(),
                    "the model list from the fake API", timeout=30)
        if task.done():
            task.result()  # raises what stopped it
            raise SceneFailed("Cairn stopped while starting")
        await asyncio.wait_for(self.controller.settle(), 30)
        await settled()

    async def close(self) -> None:
        """Close any dialog left open, then quit the way Ctrl+Q does and wait for the staged
        shutdown (everything saved, the SDK clients closed)."""
        if self.window is None or self._task is None:
            return
        close_dialogs()
        self.window.quit()
        try:
            await asyncio.wait_for(self._task, 30)
        finally:
            self.frame.deleteLater()
            await settled(1)

    async def still(self, widget: QWidget, timeout: float = 3.0) -> None:
        """Wait (at most ``timeout`` seconds, then go on) until ``widget`` has stopped
        changing by itself: no short single-shot timer pending in the window (a debounced
        token count, a paced repaint) and two pictures of it in a row the same; so a scene
        gives the same picture each run."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout

        def timer_pending() -> bool:
            return any(t.isSingleShot() and t.isActive() and t.interval() <= 1000
                       for t in self.frame.findChildren(QTimer))

        await settled()
        before, same = widget.grab().toImage(), 0
        while loop.time() < deadline and same < STILL_FRAMES:
            await settled(2)
            now = widget.grab().toImage()
            same = same + 1 if now == before and not timer_pending() else 0
            before = now

    async def resize(self, width: int, height: int) -> None:
        """Give the top-level window this size (logical pixels) and let it lay out."""
        self.frame.resize(width, height)
        await settled()
        # The sidebar at its first-start width: a splitter shares a change of window size out
        # as the layout's timing has it, and each picture should start from the same place.
        from desktop_app.ui.window.startup_shell import SIDEBAR_WIDTH

        splitter = getattr(self.window, "splitter", None)
        if isinstance(splitter, QSplitter) and splitter.count() == 2:
            splitter.setSizes([SIDEBAR_WIDTH, max(0, width - SIDEBAR_WIDTH)])
            await settled()

    def ask(self, signal: str, keys: str = "") -> Callable[[], None]:
        """What asks the window for something: the widget signal at the dotted path
        ``signal`` from the main window ("sidebar.footer.settings_requested"), as a click
        emits it; when a change to the window has taken that signal away, the keyboard
        shortcut ``keys`` ("Ctrl+,"), pressed in the window."""

        def trigger() -> None:
            try:
                emit = attrgetter(signal + ".emit")(self.window)
            except AttributeError:
                if not keys:
                    raise
                log.warning("no %s in the window: pressing %s instead", signal, keys)
                QTest.keySequence(self.frame, QKeySequence(keys))
            else:
                emit()

        return trigger

    async def open_dialog(self, trigger: Callable[[], Any], what: str) -> QDialog:
        """Do what opens a dialog (emit a widget's signal, press its shortcut) and return the
        dialog once it is shown and laid out."""
        before = set(map(id, visible_dialogs()))
        trigger()
        await until(lambda: any(id(d) not in before for d in visible_dialogs()), what)
        dialog = next(d for d in visible_dialogs() if id(d) not in before)
        await settled()
        return dialog


def close_dialogs() -> None:
    """Reject every dialog on screen (a scene that failed half-way may have left one)."""
    for dialog in visible_dialogs():
        dialog.reject()
