"""Which servers and which of their tools are offered to Claude: a tree of servers and their
tools with check boxes, over a ``core.tool_selection.ToolSelection``.

The same widget edits the default for new conversations (Settings -> Tools) and one
conversation's own choice (its options dialog). It follows the servers live: tools appear
when a server becomes ready. The selection is kept as data, not read back from the boxes, so
a choice about a tool that is not listed now (its server is stopped) is kept as it was.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from desktop_app.api.mcp_connection import ServerStatus
from desktop_app.core.tool_selection import ToolSelection
from desktop_app.ui.dialogs.server_state_text import state_summary
from desktop_app.ui.session.tool_servers import ToolServers

NAME, NOTE = 0, 1
SERVER_ROLE = Qt.ItemDataRole.UserRole + 1  # the server id of every row
TOOL_ROLE = Qt.ItemDataRole.UserRole + 2  # the tool's name on tool rows
MAX_TOOLTIP = 600  # characters of a tool's description shown on hover


class ToolChoiceTree(QTreeWidget):
    """Servers (checked: offered) and, under each, its tools (checked: offered).

    Attributes:
        touched: the user changed something (a conversation keeps a choice of its own only
            then, or when it already had one).
    """

    def __init__(
        self, servers: ToolServers, selection: ToolSelection, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._servers = servers
        self._selection = selection
        self._building = False
        self.touched = False
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setAccessibleName(self.tr("Servers and tools offered"))
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.ResizeToContents)
        self.itemChanged.connect(self._on_item_changed)
        servers.state_changed.connect(self._on_state_changed)
        servers.servers_changed.connect(self.rebuild)
        self.rebuild()

    def selection(self) -> ToolSelection:
        return self._selection

    def set_selection(self, selection: ToolSelection) -> None:
        """Show another selection (the boxes follow; not a change by the user)."""
        self._selection = selection
        self.rebuild()

    # -- the rows --------------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Every server and its known tools, keeping which servers were opened."""
        opened = {self._server_id(self.topLevelItem(i)) for i in range(self.topLevelItemCount())
                  if self.topLevelItem(i).isExpanded()}
        first = self.topLevelItemCount() == 0
        self._building = True
        try:
            self.clear()
            for config in self._servers.configs:
                item = QTreeWidgetItem(self)
                item.setData(NAME, SERVER_ROLE, config.id)
                self._fill_server(item)
                item.setExpanded(config.id in opened or (first and item.childCount() <= 8))
            if not self._servers.configs:
                placeholder = QTreeWidgetItem(self, [self.tr("No servers yet.")])
                placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
        finally:
            self._building = False

    def _fill_server(self, item: QTreeWidgetItem) -> None:
        server_id = self._server_id(item)
        config = self._servers.config(server_id)
        if config is None:
            return
        state = self._servers.state(server_id)
        offered = self._selection.offers_server(server_id)
        item.setText(NAME, config.name)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(NAME, Qt.CheckState.Checked if offered else Qt.CheckState.Unchecked)
        item.setText(NOTE, state_summary(config, state))
        item.setForeground(NOTE, self.palette().placeholderText())
        if config.enabled and state.status is not ServerStatus.READY:
            item.setToolTip(NOTE, self.tr("Its tools are listed once it is ready"))
        item.setToolTip(NAME, self.tr("Offer the tools of “{name}”").format(name=config.name))
        item.takeChildren()
        if state.status is not ServerStatus.READY:
            return
        for tool in state.tools:
            child = QTreeWidgetItem(item)
            child.setData(NAME, SERVER_ROLE, server_id)
            child.setData(NAME, TOOL_ROLE, tool.name)
            child.setText(NAME, tool.title or tool.name)
            flags = Qt.ItemFlag.ItemIsUserCheckable
            if offered:
                flags |= Qt.ItemFlag.ItemIsEnabled
            child.setFlags(flags)
            child.setCheckState(NAME, Qt.CheckState.Checked
                                if self._selection.offers(server_id, tool.name)
                                else Qt.CheckState.Unchecked)
            if tool.read_only:
                child.setText(NOTE, self.tr("read-only"))
                child.setForeground(NOTE, self.palette().placeholderText())
                child.setToolTip(NOTE, self.tr("Its server says this tool changes nothing"))
            child.setToolTip(NAME, _tool_tooltip(tool.title, tool.name, tool.description))

    def _on_state_changed(self, server_id: str) -> None:
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            if self._server_id(item) == server_id:
                was_empty = item.childCount() == 0
                self._building = True
                try:
                    self._fill_server(item)
                finally:
                    self._building = False
                if was_empty and 0 < item.childCount() <= 8:
                    item.setExpanded(True)  # its tools just arrived: show them
                return
        self.rebuild()  # a server this tree has not seen

    # -- the user's choices ----------------------------------------------------------------------

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        server_id = self._server_id(item)
        if self._building or column != NAME or not server_id:
            return
        on = item.checkState(NAME) == Qt.CheckState.Checked
        tool = item.data(NAME, TOOL_ROLE)
        if tool:
            self._selection = self._selection.with_tool(server_id, str(tool), on)
        else:
            known = [config.id for config in self._servers.configs]
            self._selection = self._selection.with_server(server_id, on, known=known)
            self._building = True
            try:
                self._fill_server(item)  # its tools are enabled or greyed with it
            finally:
                self._building = False
        self.touched = True

    def item_for(self, server_id: str, tool: str | None = None) -> QTreeWidgetItem | None:
        """The row of a server, or of one of its tools (for tests and keyboard users' tools)."""
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            if self._server_id(item) != server_id:
                continue
            if tool is None:
                return item
            for j in range(item.childCount()):
                if item.child(j).data(NAME, TOOL_ROLE) == tool:
                    return item.child(j)
        return None

    @staticmethod
    def _server_id(item: QTreeWidgetItem) -> str:
        return str(item.data(NAME, SERVER_ROLE) or "")


def _tool_tooltip(title: str, name: str, description: str) -> str:
    """The tool's title, its MCP name when that differs, and its description (cut when long),
    as escaped rich text: a server's words are shown, never interpreted."""
    heading = html.escape(title or name)
    if title and title != name:
        heading += f" <span style='opacity:0.7'>({html.escape(name)})</span>"
    text = description.strip()
    if len(text) > MAX_TOOLTIP:
        text = text[:MAX_TOOLTIP - 1] + "…"
    body = html.escape(text).replace("\n", "<br>")
    return f"<p><b>{heading}</b></p>" + (f"<p>{body}</p>" if body else "")
