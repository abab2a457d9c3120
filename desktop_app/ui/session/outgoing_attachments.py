"""The attachments waiting to go with the next message: prepared off the UI thread, stored
once by content hash, and shown in the strip above the composer.

Everything that costs time with a picture happens on a worker thread: reading the file,
turning a pasted ``QImage`` into pixels for Pillow (never encoding it on the UI thread: a
62-megapixel screenshot took 2 s to encode there), decoding, scaling, encoding, and the
thumbnail and preview the strip shows (``QImage`` is reentrant: an image that no thread
changes can be read on another). The UI thread only puts the finished result on screen.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import sys
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData, QObject, Signal
from PySide6.QtGui import QImage

from desktop_app.core.code_files import upload_block
from desktop_app.core.image_headers import read_image_header
from desktop_app.core.images import (
    ImageError,
    PixelLayout,
    PreparedImage,
    file_suffix,
    prepare_image,
    prepare_pdf,
    prepare_pixels,
    stored_document_block,
    stored_image_block,
    url_image_block,
)
from desktop_app.ui.lib.numbers import size_text
from desktop_app.ui.lib.os_error_text import os_error_text
from desktop_app.ui.lib.owned_tasks import OwnedTasks
from desktop_app.ui.lib.thumbnails import qimage_thumbnail
from desktop_app.ui.session.services import Services

if TYPE_CHECKING:
    from desktop_app.ui.session.anthropic_files import AnthropicFiles

log = logging.getLogger(__name__)

MAX_PENDING = 20
THUMBNAIL_EDGE = 88  # the strip's 44 px cards, sharp on a 2x screen too
PICTURE_EDGE = 760  # the larger look when a card is clicked

# Encoded pictures a clipboard or a drag may offer, taken as they are (no decoding here).
_ENCODED_IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp",
                        "image/gif": ".gif", "image/bmp": ".bmp", "image/tiff": ".tiff"}
_LITTLE_ENDIAN = sys.byteorder == "little"
# QImage formats whose bytes Pillow reads as they are (0xAARRGGBB words are BGRA in memory
# on a little-endian machine); any other format is converted first, on the worker thread.
_PIXEL_LAYOUTS: dict[QImage.Format, PixelLayout] = {
    QImage.Format.Format_RGBA8888: "RGBA",
    QImage.Format.Format_RGBX8888: "RGBX",
    QImage.Format.Format_RGB888: "RGB",
    QImage.Format.Format_Grayscale8: "L",
    **({QImage.Format.Format_ARGB32: "BGRA", QImage.Format.Format_RGB32: "BGRX"}
       if _LITTLE_ENDIAN else {}),
}


def image_in(mime: QMimeData) -> tuple[bytes | QImage, str] | None:
    """The picture a paste or drop carries, and the file suffix it has (".png"), without
    decoding it on the UI thread: the encoded file when one is offered (other applications
    offer PNG), else Qt's image (already decoded when it comes from this process). None: no
    picture. ``OutgoingAttachments.pasted_name`` names it."""
    for mime_type, suffix in _ENCODED_IMAGE_TYPES.items():
        if mime.hasFormat(mime_type):
            data = mime.data(mime_type).data()
            if data:
                return bytes(data), suffix
    if not mime.hasImage():
        return None
    image = mime.imageData()
    if not isinstance(image, QImage) or image.isNull():
        return None
    return image, ".png"


@dataclass(frozen=True)
class PendingAttachment:
    """One attachment in the strip.

    Attributes:
        block: the content block history will keep (a stored reference or a URL source).
        name: the file name or link shown.
        details: e.g. "1568×1176 · 240 KB · ≈ 2.4k tokens" or "PDF · 12 pages · 1.1 MB".
        kind: "image", "pdf", "url" or "code_file" (uploaded for code execution).
        preview: the prepared image's bytes (None for PDFs and links).
        tokens: the estimated input tokens (None when unknown).
        thumbnail: the image at most THUMBNAIL_EDGE a side, made on a worker thread.
        picture: the image at most PICTURE_EDGE a side, for the larger look.
    """

    block: dict[str, Any]
    name: str
    details: str
    kind: str
    preview: bytes | None = None
    tokens: int | None = None
    thumbnail: QImage | None = None
    picture: QImage | None = None


class OutgoingAttachments(QObject):
    """The attachments of the next message (see the module docstring).

    Signals:
        changed: an attachment was added or removed, or preparation started or ended.
        problem(str): one clear sentence about input that could not be attached ("" clears it).

    Args:
        services: the attachment store and the disk thread.
        accepts: ``accepts(kind)`` says whether the current model takes "image" or "pdf" input.
    """

    changed = Signal()
    problem = Signal(str)

    def __init__(
        self, services: Services, accepts: Callable[[str], bool], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self._accepts = accepts
        self.items: list[PendingAttachment] = []
        # Each addition is prepared in a task of its own; ``changed`` when one starts or ends.
        self._tasks = OwnedTasks(on_change=self.changed.emit)
        # The longest side a picture is prepared at, asked when it is attached (it depends on
        # the settings and on how many images the conversation already holds).
        self.edge_limit: Callable[[], int] = lambda: 1568
        self._pasted = 0  # pictures pasted for the next message, numbered from 1 in their names
        # Files given to code execution are uploaded by the session's Files API object, when
        # the conversation shown offers code execution (both set by the controller).
        self.files: AnthropicFiles | None = None
        self.code_execution_on: Callable[[], bool] = lambda: False

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

    def pasted_name(self, suffix: str) -> str:
        """A name for a pasted picture that tells it from the others of the same message:
        "Pasted image 1.png", "Pasted image 2.png", ... (numbered again for each message)."""
        self._pasted += 1
        return self.tr("Pasted image {number}").format(number=self._pasted) + suffix

    def add_image(self, image: bytes | QImage, name: str) -> None:
        """Attach a pasted or dropped picture: an encoded file, or a decoded ``QImage``
        (turned into pixels for Pillow on a worker thread, never encoded here)."""
        self._run(self._add_data(image, name))

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

    def add_code_paths(self, paths: list[Path]) -> None:
        """Give files of any kind to code execution (uploaded one after another)."""
        self._run(self._add_code_files(list(paths)))

    async def _add_code_files(self, paths: list[Path]) -> None:
        from desktop_app.api.files_api import UPLOAD_LIMIT

        for path in paths:
            try:
                if (await self.services.on_disk(path.stat)).st_size > UPLOAD_LIMIT:
                    self.problem.emit(self.tr(
                        "{0} is too large for the Files API (at most 500 MB).").format(path.name))
                    continue
                data = await self.services.on_disk(path.read_bytes)
            except OSError as exc:
                self.problem.emit(
                    self.tr("{0} could not be read: {1}.").format(path.name, os_error_text(exc)))
                continue
            await self._upload(data, path.name)

    async def _upload(self, data: bytes, name: str) -> None:
        """Upload a file for code execution; it waits in the strip as a ``container_upload``
        block (the message cannot be sent before the upload has ended)."""
        from desktop_app.api.files_api import FilesError

        if self.files is None or not self.code_execution_on():
            self.problem.emit(self.tr(
                "Turn on code execution for this conversation (its options) to give Claude "
                "files of any kind."))
            return
        if len(self.items) >= MAX_PENDING:
            self.problem.emit(
                self.tr("At most {0} attachments can go with one message.").format(MAX_PENDING))
            return
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        try:
            stored = await self.files.upload(name, data, media_type)
        except FilesError as exc:
            self.problem.emit(self.tr("{name} could not be uploaded: {reason}").format(
                name=name, reason=self.files.problem_text(exc)))
            return
        block = upload_block(stored.id, name, len(data), media_type)
        self._append(PendingAttachment(
            block, name, self.tr("{size} · for code execution").format(
                size=size_text(len(data))),
            "code_file"))

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.items):
            block = self.items[index].block
            del self.items[index]
            if block.get("type") == "container_upload" and self.files is not None:
                self.files.discard_upload(str(block.get("file_id")))
            self.changed.emit()

    def take_blocks(self) -> list[dict[str, Any]]:
        """The blocks for the message being sent; the tray is empty afterwards."""
        blocks = [item.block for item in self.items]
        self.items = []
        self._pasted = 0
        self.changed.emit()
        return blocks

    @property
    def estimated_tokens(self) -> int:
        return sum(item.tokens or 0 for item in self.items)

    async def wait(self) -> None:
        """Until everything added so far is prepared (tests, and sending)."""
        await self._tasks.wait()

    def cancel(self) -> None:
        """Stop preparing (at shutdown); what was prepared stays."""
        self._tasks.cancel()

    # -- preparing ---------------------------------------------------------------------------------

    def _run(self, coro: Coroutine[Any, Any, None]) -> None:
        self._tasks.spawn(coro)

    async def _add_file(self, path: Path) -> None:
        try:
            data = await self.services.on_disk(path.read_bytes)
        except OSError as exc:
            self.problem.emit(
                self.tr("{0} could not be read: {1}.").format(path.name, os_error_text(exc))
            )
            return
        if self.code_execution_on() and not _picture_or_pdf(data, path.name):
            await self._upload(data, path.name)  # a CSV, a script...: for the code to use
            return
        await self._add_data(data, path.name)

    async def _add_data(self, data: bytes | QImage, name: str) -> None:
        if len(self.items) >= MAX_PENDING:
            self.problem.emit(
                self.tr("At most {0} attachments can go with one message.").format(MAX_PENDING)
            )
            return
        is_pdf = isinstance(data, bytes) and (data[:5] == b"%PDF-" or name.lower().endswith(".pdf"))
        kind = "pdf" if is_pdf else "image"
        if not self._allowed(kind):
            return
        loop = asyncio.get_running_loop()
        try:
            if is_pdf:
                assert isinstance(data, bytes)
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
                image, thumbnail, picture = await loop.run_in_executor(
                    None, _prepare_picture, data, name, edge
                )
                await self.services.on_disk(
                    self.services.attachments.put, image.data, image.sha256,
                    file_suffix(image.media_type),
                )
                item = PendingAttachment(
                    stored_image_block(image), name,
                    f"{image.width}×{image.height} · {_size(image.size_bytes)} · "
                    + self.tr("≈ {0:,} tokens").format(image.estimated_tokens),
                    "image", image.data, image.estimated_tokens, thumbnail, picture,
                )
        except ImageError as exc:
            self.problem.emit(str(exc))
            return
        except OSError as exc:
            self.problem.emit(
                self.tr("{0} could not be saved: {1}.").format(name, os_error_text(exc))
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


def _prepare_picture(
    data: bytes | QImage, name: str, edge: int
) -> tuple[PreparedImage, QImage | None, QImage | None]:
    """On a worker thread: the prepared picture, its thumbnail and its larger preview."""
    if isinstance(data, QImage):
        image = data
        layout = _PIXEL_LAYOUTS.get(image.format())
        if layout is None:
            image = image.convertToFormat(QImage.Format.Format_RGBA8888)
            layout = "RGBA"
        prepared = prepare_pixels(
            image.constBits(), width=image.width(), height=image.height(),
            stride=image.bytesPerLine(), layout=layout, name=name, max_edge=edge,
        )
    else:
        prepared = prepare_image(data, name=name, max_edge=edge)
    return (prepared, qimage_thumbnail(prepared.data, THUMBNAIL_EDGE),
            qimage_thumbnail(prepared.data, PICTURE_EDGE))


# Pictures the image preparation reads beyond what ``read_image_header`` recognises.
_OTHER_PICTURE_SUFFIXES = (".bmp", ".tif", ".tiff", ".heic", ".heif", ".avif")


def _picture_or_pdf(data: bytes, name: str) -> bool:
    """Whether a file goes to Claude as an image or a PDF (else, with code execution on, it
    is given to the code)."""
    return (data[:5] == b"%PDF-" or read_image_header(data[:64 * 1024]) is not None
            or name.lower().endswith(_OTHER_PICTURE_SUFFIXES))


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
