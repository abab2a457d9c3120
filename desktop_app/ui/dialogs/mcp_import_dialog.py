"""Import from Claude Desktop: its ``claude_desktop_config.json`` found where Claude Desktop
keeps it (or picked), and what it holds shown before anything is added: the servers that
will be added, and the entries that will not, each with why.

A server whose name is already in Cairn's list is skipped, not added twice, so importing the
same file again changes nothing. Reading the file happens on the disk thread.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.mcp_servers import ConfigProblem, ConfigProblemKind, McpServerConfig
from desktop_app.storage.claude_desktop_file import (
    find_claude_desktop_config,
    read_claude_desktop_config,
)
from desktop_app.ui.dialogs.argument_text import arguments_text
from desktop_app.ui.dialogs.mcp_config_text import config_problem_text
from desktop_app.ui.dialogs.wrapped_text_dialog import WrappedTextDialog
from desktop_app.ui.lib.async_dialogs import run_and_discard
from desktop_app.ui.session.tool_servers import ToolServers

# Problems that describe an entry that *was* imported (how), not one that was skipped.
NOTE_KINDS = frozenset({ConfigProblemKind.SSE_AS_HTTP, ConfigProblemKind.MCP_REMOTE_AS_HTTP})


class ImportPreviewDialog(WrappedTextDialog):
    """What importing ``path`` would do; accepted: add ``servers`` (the ones to add).

    Attributes:
        choose_other: the user asked to pick another file instead.
    """

    def __init__(
        self,
        path: Path,
        found: list[McpServerConfig],
        problems: list[ConfigProblem],
        taken_names: Collection[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import from Claude Desktop"))
        self.setMinimumWidth(560)
        self.choose_other = False
        taken = {name.strip().casefold() for name in taken_names}
        self.servers = [s for s in found if s.name.strip().casefold() not in taken]
        already = [s for s in found if s.name.strip().casefold() in taken]
        added_names = {s.name for s in self.servers}
        notes = {str(p.facts.get("name", "")): config_problem_text(p)
                 for p in problems if p.kind in NOTE_KINDS
                 and str(p.facts.get("name", "")) in added_names}
        skipped = [p for p in problems if p.kind not in NOTE_KINDS]

        source = QLabel(self.tr("From {path}").format(path=path))
        source.setObjectName("HintLabel")
        source.setWordWrap(True)
        source.setTextFormat(Qt.TextFormat.PlainText)
        source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(self.tr("What will be imported"))
        self.tree.setMinimumHeight(220)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a command keeps its end
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.added_group = self._group(self.tr("To be added ({count})").format(
            count=len(self.servers)))
        for server in self.servers:
            row = QTreeWidgetItem(self.added_group, [server.name, _what_it_runs(server)])
            row.setToolTip(1, _what_it_runs(server))
            if not server.enabled:
                row.setText(1, self.tr("turned off, as in Claude Desktop") + " · "
                            + _what_it_runs(server))
        skip_count = len(skipped) + len(already)
        self.skipped_group = self._group(self.tr("Not imported ({count})").format(
            count=skip_count))
        for server in already:
            QTreeWidgetItem(self.skipped_group, [
                server.name, self.tr("A server of this name is already in the list.")])
        for problem in skipped:
            name = str(problem.facts.get("name", ""))
            row = QTreeWidgetItem(self.skipped_group, [name, config_problem_text(problem)])
            row.setToolTip(1, config_problem_text(problem))
        self.skipped_group.setHidden(skip_count == 0)
        self.added_group.setExpanded(True)
        self.skipped_group.setExpanded(True)

        # How some entries were brought over, in sentences that wrap (a tree row cuts them).
        self.notes = QLabel(" ".join(notes.values()))
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setVisible(bool(notes))
        secrets = QLabel(self.tr(
            "Values of their environment variables and headers go to the system keyring, "
            "not to a file."))
        secrets.setObjectName("HintLabel")
        secrets.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = QPushButton(
            self.tr("Add 1 server") if len(self.servers) == 1
            else self.tr("Add {count} servers").format(count=len(self.servers)))
        self.add_button.setObjectName("PrimaryButton")
        self.add_button.setEnabled(bool(self.servers))
        buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.other_button = QPushButton(self.tr("Choose another file…"))
        self.other_button.setAutoDefault(False)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.other_button.clicked.connect(self._choose_other)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(source)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.notes)
        layout.addWidget(secrets)
        layout.addWidget(buttons)

    def _group(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title])
        item.setFirstColumnSpanned(True)
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        return item

    def _choose_other(self) -> None:
        self.choose_other = True
        self.reject()


def _what_it_runs(server: McpServerConfig) -> str:
    if server.remote:
        return server.url
    line = " ".join([server.command, arguments_text(server.args).replace("\n", " ")]).strip()
    return line if len(line) <= 160 else line[:159] + "…"


async def servers_to_import(
    parent: QWidget, servers: ToolServers, start_folder: Path | None = None
) -> list[McpServerConfig]:
    """Find (or let the user pick) a Claude Desktop config, show what it holds, and return
    the servers the user chose to add (none when cancelled)."""
    path = await servers.services.on_disk(find_claude_desktop_config)
    while True:
        if path is None:
            path = await _pick_file(parent, start_folder or Path.home())
            if path is None:
                return []
        found, problems = await servers.services.on_disk(read_claude_desktop_config, path)
        dialog = ImportPreviewDialog(
            path, found, problems, [c.name for c in servers.configs], parent)
        accepted = await run_and_discard(dialog) == ImportPreviewDialog.DialogCode.Accepted
        if dialog.choose_other:
            start_folder, path = path.parent, None
            continue
        return list(dialog.servers) if accepted else []


async def _pick_file(parent: QWidget, folder: Path) -> Path | None:
    title = QCoreApplication.translate("ImportPreviewDialog", "Claude Desktop configuration")
    dialog = QFileDialog(parent, title, str(folder))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilters([
        QCoreApplication.translate("ImportPreviewDialog", "MCP configurations") + " (*.json)",
        QCoreApplication.translate("ImportPreviewDialog", "All files") + " (*)",
    ])
    if await run_and_discard(dialog) != QFileDialog.DialogCode.Accepted:
        return None
    chosen = dialog.selectedFiles()
    return Path(chosen[0]) if chosen else None
