"""Settings -> MCP servers: the list of servers with their real state, and Add, Edit,
Remove, Restart, a box per server to turn it on or off, and Import from Claude Desktop.

Changes here are saved as they are made (a server that was started cannot be "cancelled"
back), unlike the rest of Settings, which waits for Save; the tab says so.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from desktop_app.api.mcp_connection import ServerStatus
from desktop_app.core.mcp_servers import McpServerConfig
from desktop_app.storage.mcp_store import McpSaveResult
from desktop_app.ui.dialogs.form_fields import problem_label, show_problem, stacked
from desktop_app.ui.dialogs.mcp_import_dialog import servers_to_import
from desktop_app.ui.dialogs.mcp_server_dialog import McpServerDialog
from desktop_app.ui.dialogs.mcp_store_text import store_problems_text
from desktop_app.ui.dialogs.server_details_dialog import ServerDetailsDialog
from desktop_app.ui.dialogs.server_list import ServerList
from desktop_app.ui.dialogs.server_state_text import state_sentence
from desktop_app.ui.lib.async_dialogs import run_and_discard, show_and_discard
from desktop_app.ui.lib.owned_tasks import OwnedTasks
from desktop_app.ui.session.tool_servers import ToolServers


class ServersTab(QWidget):
    """The tab.

    Signals:
        server_removed(str): a server was removed (its "always allowed" tools go with it).

    Attributes:
        form: its form (Settings lines up the label columns of every tab).
        tasks: dialogs and saves under way; cancelled when Settings closes (a save itself is
            the servers' own task and completes).
    """

    server_removed = Signal(str)

    def __init__(self, servers: ToolServers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._servers = servers
        self.tasks = OwnedTasks()
        self.server_list = ServerList(servers)
        self.server_list.setMinimumHeight(150)
        self.server_list.enabled_toggled.connect(self._on_enabled_toggled)
        self.server_list.current_server_changed.connect(self._show_current)
        self.server_list.itemDoubleClicked.connect(lambda *_: self._on_edit())
        self.state_line = QLabel()
        self.state_line.setWordWrap(True)
        self.state_line.setTextFormat(Qt.TextFormat.PlainText)
        self.details_button = QPushButton(self.tr("Details…"))
        self.details_button.setAutoDefault(False)
        self.details_button.setToolTip(self.tr("Why, and the last lines the server wrote"))
        self.details_button.clicked.connect(self._on_details)
        self.sign_in_button = QPushButton(self.tr("Sign in…"))
        self.sign_in_button.setAutoDefault(False)
        self.sign_in_button.setToolTip(self.tr(
            "Open the server's sign-in page in your browser; it comes back to Cairn"))
        self.sign_in_button.clicked.connect(self._on_sign_in)
        state_row = QHBoxLayout()
        state_row.addWidget(self.state_line, 1)
        state_row.addWidget(self.sign_in_button, 0, Qt.AlignmentFlag.AlignTop)
        state_row.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)

        self.add_button = self._button(self.tr("Add…"), self._on_add)
        self.edit_button = self._button(self.tr("Edit…"), self._on_edit)
        self.remove_button = self._button(self.tr("Remove"), self._on_remove)
        self.restart_button = self._button(self.tr("Restart"), self._on_restart)
        self.restart_button.setToolTip(self.tr("Stop the server and start it again"))
        self.import_button = self._button(self.tr("Import from Claude Desktop…"), self._on_import)
        self.import_button.setToolTip(
            self.tr("Add the servers of Claude Desktop's claude_desktop_config.json"))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button,
                       self.restart_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        import_row = QHBoxLayout()
        import_row.addWidget(self.import_button)
        import_row.addStretch(1)
        self.problem = problem_label()
        self._show_problem(store_problems_text(servers.problems))
        saved_at_once = QLabel(self.tr(
            "Changes to servers are saved at once; Cancel does not undo them."))
        saved_at_once.setObjectName("HintLabel")
        saved_at_once.setWordWrap(True)
        servers_field = stacked(self.server_list, state_row, buttons, import_row, self.problem,
                               saved_at_once)

        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setSpacing(10)
        self.form.addRow(self.tr("Servers"), servers_field)
        self._show_current(self.server_list.current_server())

    # -- the selected server -------------------------------------------------------------------

    def _show_current(self, server_id: str) -> None:
        config = self._servers.config(server_id)
        has = config is not None
        for button in (self.edit_button, self.remove_button):
            button.setEnabled(has)
        self.restart_button.setEnabled(has and config is not None and config.enabled)
        if config is None:
            self.state_line.setText(self.tr(
                "No servers yet. Add one, or import those of Claude Desktop."))
            self.details_button.hide()
            self.sign_in_button.hide()
            return
        state = self._servers.state(server_id)
        self.sign_in_button.setVisible(
            config.enabled and state.status is ServerStatus.NEEDS_SIGN_IN
            and self._servers.can_sign_in(server_id))
        self.state_line.setText(state_sentence(config, state))
        # A program's own words are in its error output; a remote server has none to show.
        self.details_button.setVisible(config.enabled and (
            bool(state.stderr_tail) or (state.status is ServerStatus.FAILED and not config.remote)))

    def _on_details(self) -> None:
        config = self._servers.config(self.server_list.current_server())
        if config is not None:
            show_and_discard(ServerDetailsDialog(config, self._servers.state(config.id), self))

    # -- changes to the servers -----------------------------------------------------------------

    def _on_add(self) -> None:
        self.tasks.spawn(self._edit_server(None))

    def _on_edit(self) -> None:
        config = self._servers.config(self.server_list.current_server())
        if config is not None:
            self.tasks.spawn(self._edit_server(config))

    async def _edit_server(self, config: McpServerConfig | None) -> None:
        others = [c.name for c in self._servers.configs if config is None or c.id != config.id]
        dialog = McpServerDialog(config, others, self._keep_server, self)
        await run_and_discard(dialog)
        if dialog.saved_config is not None:
            self.server_list.select_server(dialog.saved_config.id)

    async def _keep_server(self, config: McpServerConfig) -> str:
        """Save the list with ``config`` added or replacing its old self; start it."""
        configs = self._servers.configs
        ids = [c.id for c in configs]
        if config.id in ids:
            configs[ids.index(config.id)] = config
        else:
            configs.append(config)
        return await self._save(configs, start=[config])

    def _on_remove(self) -> None:
        config = self._servers.config(self.server_list.current_server())
        if config is not None:
            self.tasks.spawn(self._remove(config))

    async def _remove(self, config: McpServerConfig) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Remove server"),
            self.tr("Remove “{name}”? Its settings and the values kept for it in the keyring "
                    "are deleted.").format(name=config.name),
            QMessageBox.StandardButton.Cancel, self)
        remove = box.addButton(self.tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        await run_and_discard(box)
        if box.clickedButton() is not remove:
            return
        await self._save([c for c in self._servers.configs if c.id != config.id])
        self.server_removed.emit(config.id)

    def _on_enabled_toggled(self, server_id: str, on: bool) -> None:
        config = self._servers.config(server_id)
        if config is not None:
            changed = replace(config, enabled=on)
            configs = [changed if c.id == server_id else c for c in self._servers.configs]
            self.tasks.spawn(self._save(configs, start=[changed]))

    def _on_restart(self) -> None:
        server_id = self.server_list.current_server()
        if self._servers.config(server_id) is not None:
            # The servers' own task: a restart goes on if Settings is closed meanwhile.
            self._servers.tasks.spawn(self._servers.restart(server_id))

    def _on_sign_in(self) -> None:
        server_id = self.server_list.current_server()
        if self._servers.config(server_id) is not None:
            # The servers' own task: the sign-in goes on if Settings is closed meanwhile.
            self._servers.tasks.spawn(self._servers.sign_in(server_id))

    def _on_import(self) -> None:
        self.tasks.spawn(self._import())

    async def _import(self) -> None:
        added = await servers_to_import(self, self._servers)
        if added:
            await self._save(self._servers.configs + added, start=added)
            self.server_list.select_server(added[0].id)

    async def _save(self, configs: list[McpServerConfig],
                    start: list[McpServerConfig] | None = None) -> str:
        """Keep the list; say why it could not be kept; start the enabled servers of
        ``start`` in the background (so the user sees them get ready)."""
        # The save is the servers' own task: closing Settings meanwhile does not cut it short.
        saving = self._servers.tasks.spawn(self._servers.save(configs))
        result: McpSaveResult = await asyncio.shield(saving)
        problem = store_problems_text(result.problems)
        self._show_problem(problem)
        for config in start or []:
            if config.enabled:
                self._servers.tasks.spawn(self._servers.start(config.id))
        return problem

    def _show_problem(self, text: str) -> None:
        show_problem(self.problem, text)

    def _button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

