"""Export and import for the window: one conversation to Markdown or JSON, everything to a
backup archive, and importing any of those (or a claude.ai export). The file work runs on the
disk thread (an import a step at a time, with progress and Cancel); the result is one
sentence for the user."""

from __future__ import annotations

import contextlib
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop_app.core.claude_import import ImportFormatError
from desktop_app.core.conversation import Conversation
from desktop_app.storage.history_store import SCHEMA_VERSION
from desktop_app.ui.lib.numbers import grouped
from desktop_app.ui.lib.os_error_text import os_error_text
from desktop_app.ui.session.chat_controller import ChatController
from desktop_app.ui.transfer.export_problem_text import export_problem_text
from desktop_app.ui.transfer.import_problem_text import problem_text
from desktop_app.ui.transfer.import_summary import import_summary

if TYPE_CHECKING:
    from desktop_app.storage.archive import ImportStep

log = logging.getLogger(__name__)

SIDEBAR_EVERY_SECONDS = 1.0  # while importing, the sidebar is refreshed this often at most


class DataTransfer(QObject):
    """Export/import operations over the controller's conversations and services."""

    def __init__(self, controller: ChatController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.progress: ImportProgress | None = None  # of the import under way

    async def export_conversation(self, conversation_id: str, kind: str, path: Path) -> str:
        """Write one conversation as Markdown (images beside it) or self-contained JSON."""
        from desktop_app.storage.conversation_export import (
            export_conversation_json,
            export_markdown,
        )

        conversation = self.controller.conversation(conversation_id)
        if conversation is None:
            return self.tr("That conversation is no longer here.")
        snapshot = Conversation.from_json(conversation.to_json(SCHEMA_VERSION))  # for the worker
        store = self.controller.services.attachments
        writer = export_markdown if kind == "markdown" else export_conversation_json
        try:
            result = await self.controller.services.on_disk(writer, snapshot, path, store)
        except OSError as exc:
            return self.tr("The export could not be written: {error}.").format(
                error=os_error_text(exc))
        return " ".join([self.tr("Exported to {path}.").format(path=path),
                         *(export_problem_text(p) for p in result.problems)])

    async def export_all(self, path: Path) -> str:
        """Every conversation, attachment and the settings in one .zip (never the key)."""
        from desktop_app.storage.archive import export_archive

        controller, services = self.controller, self.controller.services
        for conversation in list(controller.conversations.values()):
            if conversation.messages:
                await controller.save(conversation)  # the archive holds what is on screen
        settings_file = services.paths.config_dir / "settings.json"
        try:
            result = await services.on_disk(
                export_archive, path, services.history, services.attachments,
                settings_file if settings_file.is_file() else None,
            )
        except OSError as exc:
            return self.tr("The backup could not be written: {error}.").format(
                error=os_error_text(exc))
        conversations = (
            self.tr("1 conversation") if result.conversations == 1
            else self.tr("{count} conversations").format(count=grouped(result.conversations))
        )
        attachments = (
            self.tr("1 attachment") if result.attachments == 1
            else self.tr("{count} attachments").format(count=grouped(result.attachments))
        )
        summary = self.tr("Backed up {conversations} and {attachments} to {path}.").format(
            conversations=conversations, attachments=attachments, path=path
        )
        return " ".join([summary, *(export_problem_text(p) for p in result.problems)])

    async def import_file(self, path: Path) -> str:
        """Merge a backup, an exported conversation or a claude.ai export; nothing here is
        overwritten. Never raises (except when cancelled): every failure is a sentence.

        The import runs on the disk thread a step at a time (``STEP_SECONDS`` each), so a
        save the user makes meanwhile waits at most one step. After each step the new
        conversations are listed (the sidebar refreshed about once a second) and a progress
        window, shown once the import takes more than a step, says how far it got; its
        Cancel stops after the current step and keeps what was imported."""
        from desktop_app.storage.import_file import open_import

        services = self.controller.services
        try:
            job = await services.on_disk(open_import, path, services.history, services.attachments)
        except ImportFormatError as exc:
            return problem_text(exc.problem)
        except OSError as exc:
            return self.tr("{name} could not be read: {error}.").format(
                name=path.name, error=os_error_text(exc))
        except Exception as exc:  # noqa: BLE001 - whatever the file holds, a sentence
            log.warning("cannot import %s", path, exc_info=True)
            return self._cannot_import(path, exc)
        progress = ImportProgress(path.name, self._dialog_parent())
        self.progress = progress
        announced = time.monotonic()
        cancelled = False
        try:
            while True:
                step = await services.on_disk(job.step)
                now = time.monotonic()
                announce = step.finished or now - announced >= SIDEBAR_EVERY_SECONDS
                if step.summaries or announce:
                    self.controller.list_imported(step.summaries, announce=announce)
                    if announce:
                        announced = now
                if step.finished:
                    break
                if progress.cancelled:
                    cancelled = True
                    break
                progress.show_step(step)
        except Exception as exc:  # noqa: BLE001 - the disk thread failed us: say so
            log.warning("import of %s failed", path, exc_info=True)
            return self._cannot_import(path, exc)
        finally:
            progress.finish()
            self.progress = None
            with contextlib.suppress(Exception):
                await services.on_disk(job.close)
        result = job.result
        if cancelled:
            self.controller.list_imported([], announce=True)
            heading = self.tr(
                "Import from {name} cancelled; what was imported before is kept: {summary}"
            ).format(name=path.name, summary=import_summary(result))
        else:
            heading = self.tr("Import from {name}: {summary}").format(
                name=path.name, summary=import_summary(result))
        return " ".join([heading, *(problem_text(p) for p in result.problems[:3])])

    def _cannot_import(self, path: Path, exc: BaseException) -> str:
        if isinstance(exc, OSError):  # the disk failed part way
            reason = os_error_text(exc)
        else:
            reason = str(exc).strip() or type(exc).__name__
        if len(reason) > 200:
            reason = reason[:199] + "…"
        return self.tr("Cannot import {name}: {reason}").format(name=path.name, reason=reason)

    def _dialog_parent(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None


class ImportProgress(QObject):
    """The progress window of one import: "Importing… 12,000 of 50,000" and Cancel.

    Shown only once the import has taken more than one step; not modal, so Cairn stays
    usable (a message sent meanwhile is saved between two steps)."""

    def __init__(self, name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.cancelled = False
        dialog = QProgressDialog(parent)
        dialog.setWindowTitle(self.tr("Importing {name}").format(name=name))
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        dialog.setMinimumDuration(0)
        dialog.setCancelButtonText(self.tr("Cancel"))
        dialog.canceled.connect(self._cancel)
        dialog.hide()
        self.dialog = dialog

    def _cancel(self) -> None:
        self.cancelled = True
        self.dialog.setLabelText(self.tr("Cancelling… what was imported so far is kept."))

    def text(self) -> str:
        return self.dialog.labelText()

    def show_step(self, step: ImportStep) -> None:
        if self.cancelled:
            return
        if step.total:
            self.dialog.setRange(0, step.total)
            self.dialog.setValue(min(step.handled, step.total))
            self.dialog.setLabelText(self.tr("Importing… {done} of {total}").format(
                done=grouped(step.handled), total=grouped(step.total)))
        else:
            fraction = step.fraction or 0.0
            self.dialog.setRange(0, 1000)
            self.dialog.setValue(round(fraction * 1000))
            self.dialog.setLabelText(self.tr("Importing… {done} conversations ({percent} %)")
                                     .format(done=grouped(step.handled),
                                             percent=int(fraction * 100)))
        if not self.dialog.isVisible():
            self.dialog.show()

    def finish(self) -> None:
        self.dialog.hide()
        self.dialog.deleteLater()
        self.deleteLater()
