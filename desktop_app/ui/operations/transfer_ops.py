"""Export and import as the user asks for them: where to write or what to read (a file
dialog), then the work (``DataTransfer``), then its result in one sentence in the notice bar.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QFileDialog

from desktop_app.ui.lib.async_dialogs import run_and_discard
from desktop_app.ui.operations.context import OperationContext
from desktop_app.ui.transfer.data_transfer import DataTransfer


def safe_file_name(title: str) -> str:
    """A conversation title made fit to be a file name on every system."""
    cleaned = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in title).strip(" .")
    return cleaned[:80] or "conversation"


class TransferOps(QObject):
    """See the module docstring."""

    def __init__(self, context: OperationContext, transfer: DataTransfer) -> None:
        super().__init__(context.parent)
        self._context = context
        self._transfer = transfer
        self._folder = Path.home()  # where the last export or import was

    def on_export_requested(self, conversation_id: str, kind: str) -> None:
        self._context.spawn(self.export_conversation(conversation_id, kind))

    async def export_conversation(self, conversation_id: str, kind: str) -> None:
        """One conversation as Markdown (``kind`` "markdown") or JSON."""
        conversation = self._context.controller.conversation(conversation_id)
        if conversation is None:
            return
        suffix = ".md" if kind == "markdown" else ".json"
        path = await self._ask_save_path(
            self.tr("Export conversation"), safe_file_name(conversation.title) + suffix,
            "Markdown (*.md)" if kind == "markdown" else "JSON (*.json)",
        )
        if path is not None:
            result = await self._transfer.export_conversation(conversation_id, kind, path)
            self._context.show_notice(result, conversation_id=conversation_id,
                                      folder=await self._written_folder(path))

    def on_export_all_requested(self) -> None:
        self._context.spawn(self.export_all())

    async def export_all(self) -> None:
        path = await self._ask_save_path(
            self.tr("Back up all conversations"), f"cairn-backup-{date.today():%Y-%m-%d}.zip",
            self.tr("Zip archive") + " (*.zip)",
        )
        if path is not None:
            result = await self._transfer.export_all(path)
            self._context.show_notice(result, folder=await self._written_folder(path))

    def on_import_requested(self) -> None:
        self._context.spawn(self.import_file())

    async def import_file(self) -> None:
        dialog = QFileDialog(self._context.parent, self.tr("Import conversations"),
                             str(self._folder))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([
            self.tr("Cairn backups, exported conversations, claude.ai exports") + " (*.zip *.json)",
            self.tr("All files") + " (*)",
        ])
        if await run_and_discard(dialog) != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return
        path = Path(dialog.selectedFiles()[0])
        self._folder = path.parent
        self._context.show_status(self.tr("Importing {name}…").format(name=path.name))
        self._context.show_notice(await self._transfer.import_file(path))
        self._context.show_status(self.tr("Ready"))

    async def _written_folder(self, path: Path) -> Path | None:
        """The folder of a file an export wrote (None when it was not written): the notice
        offers to show it. Looked at on the disk thread, as every file is."""
        written = await self._context.controller.services.on_disk(path.is_file)
        return path.parent if written else None

    async def _ask_save_path(self, title: str, name: str, name_filter: str) -> Path | None:
        dialog = QFileDialog(self._context.parent, title, str(self._folder / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(name_filter)
        if await run_and_discard(dialog) != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        path = Path(dialog.selectedFiles()[0])
        self._folder = path.parent
        return path
