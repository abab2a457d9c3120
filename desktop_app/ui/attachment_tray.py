"""The attachments waiting to go with the next message: prepared off the UI thread, stored
once by content hash, and shown in the strip above the composer.

Signals (on AttachmentTray):
    changed: an attachment was added or removed, or preparation started or ended.
    problem(str): one clear sentence about input that could not be attached ("" clears it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop_app.core.images import (
    ImageError,
    file_suffix,
    prepare_image,
    prepare_pdf,
    stored_document_block,
    stored_image_block,
    url_image_block,
)
from desktop_app.ui.services import Services

log = logging.getLogger(__name__)

MAX_PENDING = 20


@dataclass(frozen=True)
class PendingAttachment:
    """One attachment in the strip.

    Attributes:
        block: the content block history will keep (a stored reference or a URL source).
        name: the file name or link shown.
        details: e.g. "1568×1176 · 240 KB · ≈ 2.4k tokens" or "PDF · 12 pages · 1.1 MB".
        kind: "image", "pdf" or "url".
        preview: the prepared image's bytes, for its thumbnail (None for PDFs and links).
        tokens: the estimated input tokens (None when unknown).
    """

    block: dict[str, Any]
    name: str
    details: str
    kind: str
    preview: bytes | None = None
    tokens: int | None = None


class AttachmentTray(QObject):
    """See the module docstring. ``accepts(kind)`` says whether the current model takes
    "image" or "pdf" input."""

    changed = Signal()
    problem = Signal(str)

    def __init__(
        self, services: Services, accepts: Callable[[str], bool], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self._accepts = accepts
        self.items: list[PendingAttachment] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        # The longest side a picture is prepared at, asked when it is attached (it depends on
        # the settings and on how many images the conversation already holds).
        self.edge_limit: Callable[[], int] = lambda: 1568

    @property
    def busy(self) -> bool:
        """Whether something is still being prepared (the message must wait for it)."""
        return bool(self._tasks)

    def add_paths(self, paths: list[Path]) -> None:
        """Attach files in the order given (prepared one after another)."""
        self._run(self._add_files(list(paths)))

    async def _add_files(self, paths: list[Path]) -> None:
        for path in paths:
            await self._add_file(path)

    def add_bytes(self, data: bytes, name: str) -> None:
        self._run(self._add_data(data, name))

    def add_url(self, url: str) -> None:
        url = url.strip()
        if not self._allowed("image"):
            return
        try:
            block = url_image_block(url)
        except ImageError as exc:
            self.problem.emit(str(exc))
            return
        self._append(PendingAttachment(block, url, self.tr("Image link: Claude fetches it"), "url"))

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.items):
            del self.items[index]
            self.changed.emit()

    def take_blocks(self) -> list[dict[str, Any]]:
        """The blocks for the message being sent; the tray is empty afterwards."""
        blocks = [item.block for item in self.items]
        self.items = []
        self.changed.emit()
        return blocks

    @property
    def estimated_tokens(self) -> int:
        return sum(item.tokens or 0 for item in self.items)

    async def wait(self) -> None:
        """Until everything added so far is prepared (tests, and sending)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def cancel(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    # -- preparing ----------------------------------------------------------------------------

    def _run(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        self.changed.emit()

        def done(finished: asyncio.Task[Any]) -> None:
            self._tasks.discard(finished)
            self.changed.emit()

        task.add_done_callback(done)

    async def _add_file(self, path: Path) -> None:
        try:
            data = await self.services.on_disk(path.read_bytes)
        except OSError as exc:
            self.problem.emit(
                self.tr("{0} could not be read: {1}.").format(path.name, exc.strerror or exc)
            )
            return
        await self._add_data(data, path.name)

    async def _add_data(self, data: bytes, name: str) -> None:
        if len(self.items) >= MAX_PENDING:
            self.problem.emit(
                self.tr("At most {0} attachments can go with one message.").format(MAX_PENDING)
            )
            return
        is_pdf = data[:5] == b"%PDF-" or name.lower().endswith(".pdf")
        kind = "pdf" if is_pdf else "image"
        if not self._allowed(kind):
            return
        loop = asyncio.get_running_loop()
        try:
            if is_pdf:
                document = await loop.run_in_executor(None, prepare_pdf, data, name)
                await self.services.on_disk(
                    self.services.attachments.put, document.data, document.sha256, ".pdf"
                )
                pages = (
                    self.tr("{0} pages").format(document.page_count) + " · "
                    if document.page_count else ""
                )
                item = PendingAttachment(
                    stored_document_block(document), name,
                    f"PDF · {pages}{_size(document.size_bytes)}", "pdf",
                )
            else:
                edge = self.edge_limit()
                image = await loop.run_in_executor(
                    None, lambda: prepare_image(data, name=name, max_edge=edge)
                )
                await self.services.on_disk(
                    self.services.attachments.put, image.data, image.sha256,
                    file_suffix(image.media_type),
                )
                item = PendingAttachment(
                    stored_image_block(image), name,
                    f"{image.width}×{image.height} · {_size(image.size_bytes)} · "
                    + self.tr("≈ {0:,} tokens").format(image.estimated_tokens),
                    "image", image.data, image.estimated_tokens,
                )
        except ImageError as exc:
            self.problem.emit(str(exc))
            return
        except OSError as exc:
            self.problem.emit(
                self.tr("{0} could not be saved: {1}.").format(name, exc.strerror or exc)
            )
            return
        self._append(item)

    def _allowed(self, kind: str) -> bool:
        if self._accepts(kind):
            return True
        if kind == "image":
            text = self.tr("This model does not accept images. Pick another model in the header.")
        else:
            text = self.tr(
                "This model does not accept PDF documents. Pick another model in the header."
            )
        self.problem.emit(text)
        return False

    def _append(self, item: PendingAttachment) -> None:
        self.items.append(item)
        self.problem.emit("")
        self.changed.emit()


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
