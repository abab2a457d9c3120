"""The session's files on Anthropic's side (the Files API), for code execution.

- Files the code made are fetched when a reply first shows them (small ones) or when the user
  saves one, then kept in the local cache (``storage/produced_files.py``); a picture is shown
  inline only when its bytes decode as one (the name and declared type are never trusted).
- A user's file given to code execution is uploaded when it is attached, and goes in the user
  message as a ``container_upload`` block; the conversation records it in
  ``extra["files"]``.
- Deleting a conversation deletes its files there too; deletes that cannot reach the API are
  kept and tried again at the next start.

Every failure is said in words (``problem_text``).

Signals (on AnthropicFiles):
    file_changed(str): a produced file's state changed (fetched, or failed): see ``state``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from desktop_app.core.code_files import (
    FileRecord,
    conversation_file_ids,
    forget_file,
    is_file_id,
    record_file,
    upload_name,
    uploads_in,
)
from desktop_app.core.conversation import Conversation, Message
from desktop_app.core.image_headers import read_image_header
from desktop_app.storage.produced_files import CachedFile, ProducedFileCache
from desktop_app.ui.lib.os_error_text import os_error_text
from desktop_app.ui.lib.owned_tasks import OwnedTasks, close_together
from desktop_app.ui.lib.thumbnails import qimage_thumbnail
from desktop_app.ui.session.services import Services

if TYPE_CHECKING:
    from desktop_app.api.files_api import FilesApi, FilesError, StoredFile
    from desktop_app.ui.session.account import Account

log = logging.getLogger(__name__)

INLINE_FETCH_LIMIT = 10 * 1024 * 1024  # produced files up to this size are fetched to be shown
INLINE_EDGE = 640  # a produced picture is shown at most this wide (logical pixels, 2x sharp)


@dataclass
class ProducedFile:
    """A produced file as the window shows it.

    Attributes:
        file_id: the Files API id.
        status: ``"loading"``, ``"ready"`` (fetched, or known and too large to fetch
            unasked) or ``"failed"``.
        name: its name once known (the id until then).
        size: bytes (0 until known).
        cached: the local copy, once downloaded.
        picture: the decoded picture (at most INLINE_EDGE a side) when the bytes are one.
        problem: why it could not be fetched, in words.
        gone: it can no longer be fetched (expired, deleted, not downloadable): asking again
            would not help.
    """

    file_id: str
    status: str = "loading"
    name: str = ""
    size: int = 0
    cached: CachedFile | None = None
    picture: QImage | None = None
    problem: str = ""
    gone: bool = False


class AnthropicFiles(QObject):
    """See the module docstring.

    Args:
        services: the cache folder and the disk thread.
        account: the SDK client of the current key.
        conversation_of: a conversation in full by id (None when it is not listed).
    """

    file_changed = Signal(str)

    def __init__(self, services: Services, account: Account,
                 conversation_of: Callable[[str], Conversation | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.account = account
        self.cache = ProducedFileCache(services.paths.produced_files_dir)
        self.tasks = OwnedTasks()
        self._conversation_of = conversation_of
        self._files: dict[str, ProducedFile] = {}
        self._api: FilesApi | None = None

    # -- the API -----------------------------------------------------------------------------

    def api(self) -> FilesApi:
        """The Files API through the current client.

        Raises:
            FilesError: ``key``: there is no API key yet.
        """
        from desktop_app.api.files_api import FilesApi, FilesError

        client = self.account.client()
        if client is None:
            raise FilesError("key")
        if self._api is None or self._api.client is not client:
            self._api = FilesApi(client)
        return self._api

    def problem_text(self, error: FilesError) -> str:
        """A failure in one sentence for the user."""
        texts = {
            "not_downloadable": self.tr(
                "This file cannot be downloaded: the Files API gives back only files that "
                "code execution made."),
            "expired": self.tr("This file has expired on Anthropic's side and is gone."),
            "not_found": self.tr("This file is no longer stored on Anthropic's side."),
            "quota": self.tr(
                "Your organisation's file storage on Anthropic's side is full. Delete files "
                "you no longer need (a conversation's menu › Files on Anthropic), then try "
                "again."),
            "too_large": self.tr("The file is too large for the Files API (at most 500 MB)."),
            "offline": self.tr(
                "Anthropic's API could not be reached. Check your connection and try again."),
            "key": self.tr("Your API key was not accepted (or there is none yet)."),
        }
        return texts.get(error.reason) or self.tr(
            "The Files API refused: {detail}").format(detail=error.detail or error.reason)

    # -- files the code made ----------------------------------------------------------------------

    def state(self, file_id: str) -> ProducedFile | None:
        return self._files.get(file_id)

    def request(self, file_id: str) -> ProducedFile:
        """The file's state, fetching it in the background the first time (``file_changed``
        when it is there). A failed fetch is tried again when asked again."""
        known = self._files.get(file_id)
        if known is not None and (known.status != "failed" or known.gone):
            return known
        entry = ProducedFile(file_id, name=file_id)
        self._files[file_id] = entry
        if not is_file_id(file_id):
            entry.status, entry.problem = "failed", self.tr("This file id is not valid.")
            return entry
        self.tasks.spawn(self._fetch(entry, force=False), key=file_id)
        return entry

    async def _fetch(self, entry: ProducedFile, *, force: bool) -> None:
        from desktop_app.api.files_api import FilesError

        try:
            cached = await self.services.on_disk(self.cache.get, entry.file_id)
            if cached is None:
                api = self.api()
                meta = await api.metadata(entry.file_id)
                entry.name, entry.size = meta.name, meta.size
                if not meta.downloadable:
                    raise FilesError("not_downloadable")
                if meta.size > INLINE_FETCH_LIMIT and not force:
                    entry.status = "ready"  # saved on request only
                    return
                data = await api.download(entry.file_id)
                cached = await self.services.on_disk(
                    self.cache.put, entry.file_id, meta.name, meta.media_type, data)
            entry.cached, entry.name, entry.size = cached, cached.name, cached.size
            # Decoded on a worker thread of its own (not the disk thread: writes wait there).
            loop = asyncio.get_running_loop()
            entry.picture = await loop.run_in_executor(None, _picture_of, cached.path)
            entry.status, entry.problem = "ready", ""
        except FilesError as exc:
            log.info("file %s not fetched: %s", entry.file_id, exc)
            entry.status, entry.problem = "failed", self.problem_text(exc)
            entry.gone = exc.reason in ("not_found", "expired", "not_downloadable")
        except OSError as exc:
            entry.status = "failed"
            entry.problem = self.tr("The file could not be kept on this computer: {error}."
                                    ).format(error=os_error_text(exc))
        finally:
            self.file_changed.emit(entry.file_id)

    async def save_as(self, file_id: str, target: Path) -> str:
        """Write a produced file to ``target``; "" when done, else why not in words."""
        entry = self._files.get(file_id) or ProducedFile(file_id, name=file_id)
        self._files[file_id] = entry
        if entry.cached is None:
            entry.status = "loading"
            self.file_changed.emit(file_id)
            await self._fetch(entry, force=True)
        if entry.cached is None:
            return entry.problem or self.tr("The file could not be fetched.")
        source = entry.cached.path

        def copy() -> None:
            from desktop_app.storage.atomic_file import write_bytes_atomic

            write_bytes_atomic(target, source.read_bytes())

        try:
            await self.services.on_disk(copy)
        except OSError as exc:
            return self.tr("{name} could not be saved: {error}.").format(
                name=target.name, error=os_error_text(exc))
        return ""

    # -- files the user gives the code ------------------------------------------------------------

    async def upload(self, name: str, data: bytes, media_type: str) -> StoredFile:
        """Store a user's file for code execution (raises FilesError)."""
        return await self.api().upload(name, data, media_type)

    def discard_upload(self, file_id: str) -> None:
        """An uploaded file taken out of the tray before sending: delete it there."""
        self.tasks.spawn(self._delete_remote([file_id]))

    def on_message_added(self, conversation_id: str, message: Message) -> None:
        """Record the files a user message gives the code in ``extra["files"]`` (saved with
        the reply that follows)."""
        conversation = self._conversation_of(conversation_id)
        if conversation is None:
            return
        for block in uploads_in(message.content):
            notes = _notes(block)
            record = FileRecord.from_json({
                "id": block["file_id"], "name": notes.get("name"), "size": notes.get("bytes"),
                "media_type": notes.get("media_type"), "origin": "upload"})
            if record is not None:  # (always: uploads_in gives only blocks naming a file)
                record_file(conversation, record)

    # -- what is stored, and deleting -------------------------------------------------------------

    async def stored(self, conversation: Conversation) -> list[StoredFile]:
        """The conversation's files still stored on Anthropic's side (raises FilesError)."""
        ids = conversation_file_ids(conversation)
        if not ids:
            return []
        return await self.api().existing(ids)

    async def delete_file(self, conversation: Conversation, file_id: str) -> None:
        """Delete one file on Anthropic's side, and here (raises FilesError). A user's file
        leaves the messages that gave it (the API would refuse a request naming a deleted
        file): a short note takes its place."""
        await self.api().delete(file_id)
        cached = await self.services.on_disk(self.cache.get, file_id)
        known = self._files.get(file_id)
        name = cached.name if cached is not None else known.name if known is not None else ""
        forget_file(conversation, file_id)
        for message in conversation.all_messages():
            if any(b.get("file_id") == file_id for b in uploads_in(message.content)):
                message.content = [_deleted_note(b, self.tr("(The file {name} was deleted.)"))
                                   if b.get("type") == "container_upload"
                                   and b.get("file_id") == file_id else b
                                   for b in message.content]
        await self.services.on_disk(self.cache.remove, [file_id])
        self._files[file_id] = ProducedFile(
            file_id, "failed", name=name or file_id, gone=True,
            problem=self.tr("You deleted this file on Anthropic's side."))
        self.file_changed.emit(file_id)

    async def conversation_deleted(self, conversation: Conversation) -> None:
        """A conversation is gone for good: its files go here and on Anthropic's side (kept
        for later when that cannot be reached)."""
        ids = conversation_file_ids(conversation)
        if not ids:
            return
        await self.services.on_disk(self.cache.remove, ids)
        pending = await self.services.on_disk(self.cache.pending_deletes)
        await self._set_pending([*pending, *ids])
        self.tasks.spawn(self._delete_remote(ids))

    def retry_pending_deletes(self) -> None:
        """At start: the deletes an earlier session could not do."""
        self.tasks.spawn(self._retry_pending())

    async def _retry_pending(self) -> None:
        ids = await self.services.on_disk(self.cache.pending_deletes)
        if ids and self.account.api_key:
            await self._delete_remote(ids)

    async def _delete_remote(self, ids: list[str]) -> None:
        from desktop_app.api.files_api import FilesError

        done: list[str] = []
        for file_id in ids:
            try:
                await self.api().delete(file_id)
            except FilesError as exc:
                log.info("file %s not deleted yet: %s", file_id, exc)
                if exc.reason in ("offline", "key"):
                    break  # the rest would fail alike: the next start tries again
                continue
            done.append(file_id)
        if done:
            pending = await self.services.on_disk(self.cache.pending_deletes)
            await self._set_pending([i for i in pending if i not in done])

    async def _set_pending(self, ids: list[str]) -> None:
        try:
            await self.services.on_disk(self.cache.set_pending_deletes, ids)
        except OSError as exc:
            log.warning("pending file deletes not kept: %s", os_error_text(exc))

    async def shutdown(self) -> None:
        """Stop fetches and deletes (those not done are still listed for the next start)."""
        await close_together(self.tasks)


def _deleted_note(block: dict[str, Any], template: str) -> dict[str, Any]:
    return {"type": "text", "text": template.format(name=upload_name(block)),
            "cairn": {"deleted_upload": block.get("file_id")}}


def _notes(block: dict[str, Any]) -> dict[str, Any]:
    notes = block.get("cairn")
    return notes if isinstance(notes, dict) else {}


def _picture_of(path: Path) -> QImage | None:
    """On the disk thread: the file as a picture when its bytes are one, else None."""
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    if read_image_header(head) is None:
        return None
    return qimage_thumbnail(path.read_bytes(), INLINE_EDGE * 2)
