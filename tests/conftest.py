"""Test set-up shared by every test.

Every test runs with a temporary data directory and home, an in-memory keyring, no API key or
base URL inherited from the developer's environment, and Qt offscreen. ``async def`` tests run
on a qasync event loop over the one QApplication, so they can await the app's coroutines.
"""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import keyring
import keyring.backends.fail
import pytest
import pytest_asyncio
import qasync
from PySide6.QtWidgets import QApplication

from tests.fake_api import FakeAnthropicServer
from tests.helpers.memory_keyring import MemoryKeyring

TEST_KEY = "sk-ant-test-key"


def _qapp() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(["cairn-tests"])
    assert isinstance(app, QApplication)
    # As in the app: windows close in stages, so closing the last one must not quit the loop.
    app.setQuitOnLastWindowClosed(False)
    return app


def pytest_configure(config: Any) -> None:
    from desktop_app.ui.lib import pyside_none_guard

    pyside_none_guard.install()  # as the app does (desktop_app/app.py)
    _qapp()


def pytest_asyncio_loop_factories(config: Any, item: Any) -> dict[str, Callable[[], Any]]:
    """async tests get a qasync loop driving the real Qt event loop."""
    return {"qasync": lambda: qasync.QEventLoop(_qapp())}


@pytest.fixture(autouse=True, scope="session")
def collect_garbage_on_main_thread() -> Iterator[None]:
    """As in the app (desktop_app/ui/runtime/main_thread_gc.py): Qt objects must never be collected by
    the fake server's or the disk's threads, so collection happens only between tests."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def collect_after_test() -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No test sees the developer's key, base URL, home or keyring."""
    home = tmp_path / "home"
    home.mkdir()
    for name in list(os.environ):
        if name.startswith("ANTHROPIC_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield tmp_path
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    backend = keyring.get_keyring()
    assert isinstance(backend, MemoryKeyring)
    return backend


@pytest.fixture
def no_keyring() -> None:
    """Behave like a headless Linux machine without a Secret Service."""
    keyring.set_keyring(keyring.backends.fail.Keyring())


@pytest.fixture
def fake_api() -> Iterator[FakeAnthropicServer]:
    with FakeAnthropicServer(api_key=TEST_KEY) as server:
        yield server


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


async def until(condition: Callable[[], Any], timeout: float = 10.0, message: str = "") -> None:
    """Poll a condition while the qasync loop keeps running (``qtbot.waitUntil`` would block it)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for: {message or condition}")
        await asyncio.sleep(0.01)


@pytest_asyncio.fixture
async def app_factory(
    data_dir: Path, fake_api: FakeAnthropicServer, monkeypatch: pytest.MonkeyPatch, qapp: Any
) -> AsyncIterator[Callable[..., Any]]:
    """Builds a started Cairn window over the test data directory, talking to the fake API.

    Call it again to "restart" the app on the same data. Every window is shut down at the end.
    """
    from desktop_app.storage.paths import AppPaths
    from desktop_app.ui.session.chat_controller import ChatController
    from desktop_app.ui.window.main_window import MainWindow
    from desktop_app.ui.session.services import Services

    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_api.base_url)
    windows: list[MainWindow] = []

    async def make(
        *, with_key: bool = True, start: bool = True, max_retries: int = 0, titles: bool = False,
        frame: Any = None,
    ) -> MainWindow:
        """``frame``: an already shown ``AppFrame`` to build the window into, as the app does."""
        if with_key:
            monkeypatch.setenv("ANTHROPIC_API_KEY", TEST_KEY)
        else:
            monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
        services = Services.create(AppPaths.portable(data_dir))
        services.settings.max_retries = max_retries
        services.settings.generate_titles = titles  # off: most tests script every request
        controller = ChatController(services)
        window = MainWindow(controller, frame)
        windows.append(window)
        if frame is None:
            window.show()
        else:
            frame.adopt(window)
        if start:
            await controller.start()
            if with_key:
                await until(lambda: controller.catalog.from_api, message="model list loaded")
        return window

    yield make
    for window in windows:
        await close_window(window)
    await mcp_owners_ended()


async def mcp_owners_ended() -> None:
    """Wait for any MCP server's owner task that outlived its window's shutdown (bounded:
    on a busy machine a stop can take longer) to end in this test's event loop; left
    pending, it is resumed during a later test, outside any running loop, and fails there
    ("no running event loop", a coroutine never awaited). One still running after 30 s is
    cancelled."""
    owners = [task for task in asyncio.all_tasks()
              if task.get_name().startswith("mcp ") and not task.done()]
    if not owners:
        return
    _done, pending = await asyncio.wait(owners, timeout=30)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=10)


async def close_window(window: Any, close: Callable[[], Any] | None = None) -> None:
    """Close a window the way a user does and wait for its staged shutdown.

    ``close``: how (Ctrl+Q, the frame's close button); ``window.close`` by default."""
    if window.shutdown.done:
        return
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    (close or window.close)()
    await asyncio.wait_for(closed.wait(), 10)
    window.controller.services.close()
    window.window().deleteLater()  # its AppFrame, when it has one
