"""The real Cairn window for benchmarks that measure it in-process: built over a data folder
as desktop_app.app builds it, and closed the way a user closes it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any


async def open_window(data_dir: Path, adjust: Callable[[Any], None] | None = None) -> Any:
    """A shown, started MainWindow over ``data_dir``, inside an AppFrame as the app shows it;
    ``adjust(settings)`` runs first."""
    from desktop_app.app import freeze_long_lived_objects
    from desktop_app.ui.lib import pyside_none_guard

    pyside_none_guard.install()  # as desktop_app.app.main does
    from desktop_app.storage.paths import AppPaths
    from desktop_app.ui.session.chat_controller import ChatController
    from desktop_app.ui.runtime.main_thread_gc import MainThreadGarbageCollector
    from desktop_app.ui.window.main_window import MainWindow
    from desktop_app.ui.session.services import Services
    from desktop_app.ui.window.startup_shell import AppFrame, saved_theme_name

    collector = MainThreadGarbageCollector()  # as the app: collections on the Qt thread
    paths = AppPaths.portable(data_dir)
    frame = AppFrame(paths.config_dir / "window.ini", saved_theme_name(paths.settings_file))
    frame.show_and_focus()
    services = Services.create(paths)
    if adjust is not None:
        adjust(services.settings)
    window = MainWindow(ChatController(services), frame)
    frame.adopt(window)
    window.benchmark_collector = collector
    await window.controller.start()
    freeze_long_lived_objects()  # as the app does once the history is loaded
    return window


async def close_window(window: Any) -> None:
    """Close in stages as the app does, then release the services."""
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    window.close()  # closes its AppFrame in stages
    await closed.wait()
    window.controller.services.close()
    window.benchmark_collector.stop()
