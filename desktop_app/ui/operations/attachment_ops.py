"""Attaching to the next message: picking files (Ctrl+O), an image link, a pasted picture,
and whatever is dropped on the window; the attachment queue prepares each one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QObject
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog

from desktop_app.ui.composer.attachment_strip import AttachmentStrip
from desktop_app.ui.lib.async_dialogs import run_and_discard, show_and_discard
from desktop_app.ui.operations.context import OperationContext
from desktop_app.ui.session.outgoing_attachments import image_in


class AttachmentOps(QObject):
    """See the module docstring.

    Args:
        strip: the strip above the composer, which says when a picture cannot be read.
    """

    def __init__(self, context: OperationContext, strip: AttachmentStrip) -> None:
        super().__init__(context.parent)
        self._context = context
        self._attachments = context.controller.attachments
        self._strip = strip
        self._folder = Path.home()  # the next pick starts where the last one ended

    def on_attach_file_requested(self) -> None:
        self._context.spawn(self.pick_files())

    async def pick_files(self) -> None:
        dialog = QFileDialog(self._context.parent, self.tr("Attach images or PDFs"),
                             str(self._folder))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters([
            self.tr("Images and PDFs")
            + " (*.png *.jpg *.jpeg *.gif *.webp *.bmp *.tif *.tiff *.heic *.pdf)",
            self.tr("All files") + " (*)",
        ])
        if await run_and_discard(dialog) != QDialog.DialogCode.Accepted:
            return
        paths = [Path(p) for p in dialog.selectedFiles()]
        if paths:
            self._folder = paths[0].parent
        self._attachments.add_paths(paths)
        self._context.focus_composer()

    def on_attach_code_file_requested(self) -> None:
        self._context.spawn(self.pick_code_files())

    async def pick_code_files(self) -> None:
        """Files of any kind for code execution: uploaded to the Files API when picked."""
        dialog = QFileDialog(self._context.parent, self.tr("Files for code execution"),
                             str(self._folder))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        if await run_and_discard(dialog) != QDialog.DialogCode.Accepted:
            return
        paths = [Path(p) for p in dialog.selectedFiles()]
        if paths:
            self._folder = paths[0].parent
        self._attachments.add_code_paths(paths)
        self._context.focus_composer()

    def on_attach_url_requested(self) -> None:
        dialog = QInputDialog(self._context.parent)
        dialog.setWindowTitle(self.tr("Attach an image link"))
        dialog.setLabelText(self.tr("Image address (http or https):"))
        dialog.textValueSelected.connect(self._attachments.add_url)
        show_and_discard(dialog)

    def on_files_pasted(self, paths: list[Path]) -> None:
        self._attachments.add_paths(paths)

    def on_image_pasted(self, mime: QMimeData) -> None:
        found = image_in(mime)  # decoded and encoded on the queue's worker, not here
        if found is None:
            self._strip.show_problem(self.tr("The pasted image could not be read."))
            return
        picture, suffix = found
        self._attachments.add_image(picture, self._attachments.pasted_name(suffix))

    def on_dropped(self, mime: QMimeData) -> None:
        """Files and http(s) links are attached; a bare picture as if it was pasted."""
        files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        links = [u.toString() for u in mime.urls() if u.scheme() in ("http", "https")]
        if files:
            self._attachments.add_paths(files)
        for link in links:
            self._attachments.add_url(link)
        if not files and not links and mime.hasImage():
            self.on_image_pasted(mime)
        self._context.focus_composer()
