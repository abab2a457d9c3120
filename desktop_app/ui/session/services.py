"""The objects behind the window: stores, key, models, prices, and a disk thread.

Built once by ``app.py`` (or by tests, over a temporary folder) and handed to the controller.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from desktop_app.core.cost import PriceTable
from desktop_app.core.settings import Settings
from desktop_app.storage.attachment_store import AttachmentStore
from desktop_app.storage.history_store import HistoryStore
from desktop_app.storage.key_store import KeyStore
from desktop_app.storage.mcp_store import McpStore
from desktop_app.storage.model_cache import ModelCache
from desktop_app.storage.paths import AppPaths
from desktop_app.storage.price_file import load_prices
from desktop_app.storage.settings_store import SettingsStore

T = TypeVar("T")


@dataclass
class Services:
    """Everything the UI needs from the layers below, in one place."""

    paths: AppPaths
    history: HistoryStore
    attachments: AttachmentStore
    settings_store: SettingsStore
    settings: Settings
    key_store: KeyStore
    model_cache: ModelCache
    prices: PriceTable
    mcp_servers: McpStore
    # One worker: disk writes happen in the order they were asked for.
    disk: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="cairn-disk")
    )

    @classmethod
    def create(cls, paths: AppPaths, key_store: KeyStore | None = None) -> Services:
        paths.ensure()
        settings_store = SettingsStore(paths.settings_file)
        return cls(
            paths=paths,
            history=HistoryStore(paths.conversations_dir),
            attachments=AttachmentStore(paths.attachments_dir),
            settings_store=settings_store,
            settings=settings_store.load(),
            key_store=key_store or KeyStore(),
            model_cache=ModelCache(paths.models_cache_file),
            prices=load_prices(),
            mcp_servers=McpStore(paths.config_dir),
        )

    async def on_disk(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a blocking disk (or keyring) call on the disk thread and await it."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.disk, functools.partial(fn, *args))

    def close(self) -> None:
        self.disk.shutdown(wait=True)
