"""The list of MCP servers in Settings -> Tools: each row its name (with a box: turned on),
local or remote, and its real state, updated as the state changes (starting, ready with N
tools, failed, stopped, sign-in needed)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from desktop_app.api.mcp_connection import ServerStatus
from desktop_app.ui.dialogs.server_state_text import state_summary, where_text
from desktop_app.ui.session.tool_servers import ToolServers

NAME, WHERE, STATE = 0, 1, 2
SERVER_ROLE = Qt.ItemDataRole.UserRole + 1


class ServerList(QTreeWidget):
    """One row per server, in the order they were added.

    Signals:
        enabled_toggled(str, bool): the user ticked or cleared a server's box.
        current_server_changed(str): another server was selected ("" for none).
    """

    enabled_toggled = Signal(str, bool)
    current_server_changed = Signal(str)

    def __init__(self, servers: ToolServers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._servers = servers
        self._building = False
        self.setColumnCount(3)
        self.setHeaderLabels([self.tr("Server"), self.tr("Where"), self.tr("State")])
        self.setAccessibleName(self.tr("MCP servers"))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(WHERE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATE, QHeaderView.ResizeMode.ResizeToContents)
        self.itemChanged.connect(self._on_item_changed)
        self.currentItemChanged.connect(
            lambda item, _previous: self.current_server_changed.emit(self._id(item)))
        servers.state_changed.connect(self.update_state)
        servers.servers_changed.connect(self.rebuild)
        self.rebuild()

    def current_server(self) -> str:
        return self._id(self.currentItem())

    def select_server(self, server_id: str) -> None:
        item = self.row_for(server_id)
        if item is not None:
            self.setCurrentItem(item)

    def row_for(self, server_id: str) -> QTreeWidgetItem | None:
        for i in range(self.topLevelItemCount()):
            if self._id(self.topLevelItem(i)) == server_id:
                return self.topLevelItem(i)
        return None

    def rebuild(self) -> None:
        """Every server, keeping the selected one selected."""
        current = self.current_server()
        self._building = True
        try:
            self.clear()
            for config in self._servers.configs:
                item = QTreeWidgetItem(self)
                item.setData(NAME, SERVER_ROLE, config.id)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsUserCheckable)
                self._fill(item)
        finally:
            self._building = False
        if self.topLevelItemCount():
            self.select_server(current)
            if self.currentItem() is None:
                self.setCurrentItem(self.topLevelItem(0))
        self.current_server_changed.emit(self.current_server())

    def update_state(self, server_id: str) -> None:
        item = self.row_for(server_id)
        if item is None:
            return
        self._building = True
        try:
            self._fill(item)
        finally:
            self._building = False
        if server_id == self.current_server():
            self.current_server_changed.emit(server_id)  # its line under the list follows

    def _fill(self, item: QTreeWidgetItem) -> None:
        config = self._servers.config(self._id(item))
        if config is None:
            return
        state = self._servers.state(config.id)
        item.setText(NAME, config.name)
        item.setCheckState(NAME, Qt.CheckState.Checked if config.enabled
                           else Qt.CheckState.Unchecked)
        item.setToolTip(NAME, self.tr("Tick to let the server start; clear to turn it off"))
        item.setText(WHERE, where_text(config))
        item.setText(STATE, state_summary(config, state))
        failed = config.enabled and state.status in (ServerStatus.FAILED,
                                                     ServerStatus.NEEDS_SIGN_IN)
        item.setForeground(STATE, self.palette().text() if failed
                           else self.palette().placeholderText())
        font = item.font(STATE)
        font.setBold(failed)
        item.setFont(STATE, font)

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._building or column != NAME:
            return
        config = self._servers.config(self._id(item))
        on = item.checkState(NAME) == Qt.CheckState.Checked
        if config is not None and config.enabled != on:
            self.enabled_toggled.emit(config.id, on)

    @staticmethod
    def _id(item: QTreeWidgetItem | None) -> str:
        return str(item.data(NAME, SERVER_ROLE) or "") if item is not None else ""
