"""The models the key can use: the Models API's list (cached on disk; built-in guesses before
it), the default model, each conversation's model and what it accepts, and the account's own
default in place of a guessed model the API does not know."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop_app.api.errors import ReplyFailed, describe_error, sdk_error
from desktop_app.core.catalog import Catalog, ModelInfo
from desktop_app.core.conversation import Conversation, Message
from desktop_app.ui.lib.owned_tasks import OwnedTasks
from desktop_app.ui.session.account import Account
from desktop_app.ui.session.error_text import error_sentence
from desktop_app.ui.session.services import Services
from desktop_app.ui.session.session_events import SessionEvents

log = logging.getLogger(__name__)

_REFRESH = "model list"  # the key of the refresh among the session's background tasks


class ModelCatalog(QObject):
    """The model list in use (``catalog``) and the questions asked of it.

    Signals:
        list_replaced: a new list from the API is in use; emitted before the session's
            ``catalog_changed``, so conversations not started yet can follow it first.
    """

    list_replaced = Signal()

    def __init__(
        self,
        services: Services,
        events: SessionEvents,
        account: Account,
        tasks: OwnedTasks,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.events = events
        self.account = account
        self.tasks = tasks
        self.catalog = Catalog.fallback()
        # True until a list is known (cached or fetched) or a first fetch has failed: until
        # then the built-in guesses are not shown as if they were the account's models.
        self._list_pending = True

    async def load_cached(self) -> None:
        """Use the list saved by the last run, if there is one (read off the UI thread)."""
        cached = await self.services.on_disk(self.services.model_cache.load)
        if cached:
            self.catalog = Catalog(cached, from_api=False)
            self._list_pending = False

    def awaiting_list(self) -> bool:
        """Whether the window should say the model list is loading rather than name a
        built-in guess: no list was ever had, and a fetch is coming or under way (not failed,
        not waiting for a key)."""
        return self._list_pending and not self.has_api_list()

    def default_model_id(self) -> str | None:
        """The model a new conversation starts with (the settings' default, resolved)."""
        model = self.catalog.resolve(self.services.settings.default_model)
        return model.id if model else None

    def model_for(self, conversation: Conversation) -> ModelInfo | None:
        return self.catalog.resolve(conversation.model)

    def model_name(self, model_id: str) -> str:
        model = self.catalog.get(model_id)
        return model.display_name if model else model_id

    def accepts(self, conversation: Conversation | None, kind: str) -> bool:
        """Whether the conversation's model takes "image" or "pdf" input (unknown models:
        assume so)."""
        model = self.model_for(conversation) if conversation else None
        if model is None or model.builtin:
            return True
        return model.supports("image_input" if kind == "image" else "pdf_input")

    def has_api_list(self) -> bool:
        """Whether the models come from the API (now or cached), not the built-in guesses."""
        return any(not m.builtin for m in self.catalog.models)

    def refreshing(self) -> asyncio.Task[Any]:
        """The refresh under way, or a new one started in the background."""
        task = self.tasks.get(_REFRESH)
        if task is None or task.done():
            task = self.tasks.spawn(self.refresh(), key=_REFRESH)
        return task

    def refresh_in_background(self) -> None:
        """Start a refresh (a new key: its list may differ), whatever one is under way."""
        if not self._list_pending and not self.has_api_list():
            self._list_pending = True  # the guesses give way to "loading" again
            self.events.catalog_changed.emit()
        self.tasks.spawn(self.refresh(), key=_REFRESH)

    async def refresh(self) -> None:
        """Fetch every page of the Models API; keep the cached or built-in list on failure."""
        from desktop_app.api.models_api import fetch_models

        client = self.account.client()
        if client is None:
            self.stop_waiting()
            return
        try:
            models = await fetch_models(client)
        except sdk_error() as exc:
            self.stop_waiting()
            info = describe_error(exc)
            if info.needs_key:
                self.events.key_required.emit(error_sentence(info))
            else:
                self.events.status_changed.emit(self.tr("Offline: using the saved model list"))
            log.info("model list not refreshed: %s", info.kind)
            return
        if not models:
            self.stop_waiting()
            return
        catalog = Catalog(models, from_api=True)
        await self.services.on_disk(self.services.model_cache.save, catalog.models)
        self.catalog = catalog
        self._list_pending = False
        self.list_replaced.emit()
        self.events.catalog_changed.emit()
        await _warm_up_streaming(self.services)

    def stop_waiting(self) -> None:
        """No list is coming this time (no key, offline, an error): the built-in guesses are
        what requests will use, so they are shown after all."""
        if self._list_pending:
            self._list_pending = False
            self.events.catalog_changed.emit()

    async def replacement_for(
        self, conversation: Conversation, reply: Message, model: ModelInfo, failure: ReplyFailed
    ) -> ModelInfo | None:
        """A model the user did not pick was not found (a built-in guess, a gateway with a
        list of its own): the account's real default, to send once more with (None: give up)."""
        if (failure.info.kind != "not_found" or reply.content or conversation.model_chosen
                or model.id == self.services.settings.default_model):
            return None
        await self.refresh()
        replacement = self.catalog.default_model()
        if replacement is None or replacement.id == model.id:
            return None
        log.info("model %s not found; using the account's default instead", model.id)
        conversation.model = replacement.id
        self.events.catalog_changed.emit()
        return replacement


async def _warm_up_streaming(services: Services) -> None:
    """Import the streaming and Markdown code, and load the common languages' highlighters,
    on the disk thread while the user is still reading (a new model list is the moment), so
    the first reply does not stall the window with first-use work (100 ms for the Markdown
    parser and Pygments, up to 90 ms for each language's highlighter)."""
    import importlib

    try:
        await services.on_disk(importlib.import_module, "desktop_app.api.reply_stream")
        markdown = await services.on_disk(importlib.import_module, "desktop_app.core.markdown")
        await services.on_disk(markdown.warm_up)
    except ImportError:  # pragma: no cover - the first use imports it again, says why
        log.warning("streaming or Markdown code could not be loaded ahead", exc_info=True)
