"""The tools the user chose "Always allow" for, each with its server's name, and Revoke.

An "always" that cannot be seen or taken back is not a choice a person can trust: every one
is listed here, including those of a server since removed (they no longer apply, but the
user should see them go).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.api.mcp_connection import ServerStatus
from desktop_app.ui.session.tool_servers import ToolServers

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class AlwaysAllowedList(QWidget):
    """``keys()``: what is still allowed ("server_id/tool"), once the user revoked some."""

    def __init__(
        self, servers: ToolServers, keys: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._servers = servers
        self._keys = list(dict.fromkeys(keys))
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Tools always allowed"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.itemSelectionChanged.connect(self._update_button)
        self.empty = QLabel(self.tr("None: Cairn asks before every tool call."))
        self.empty.setObjectName("HintLabel")
        self.empty.setWordWrap(True)
        self.revoke_button = QPushButton(self.tr("Revoke"))
        self.revoke_button.setToolTip(self.tr("Ask again before the selected tools run"))
        self.revoke_button.setAutoDefault(False)
        self.revoke_button.clicked.connect(self.revoke_selected)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addWidget(self.revoke_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addLayout(row)
        # Bound methods (not lambdas): Qt drops them when this list is deleted.
        servers.servers_changed.connect(self._fill)
        servers.state_changed.connect(self._on_state_changed)
        self._fill()

    def keys(self) -> list[str]:
        return list(self._keys)

    def revoke(self, *keys: str) -> None:
        """No longer allow these tools without asking (the list is refilled once)."""
        kept = [key for key in self._keys if key not in keys]
        if kept != self._keys:
            self._keys = kept
            self._fill()

    def revoke_selected(self) -> None:
        self.revoke(*(str(item.data(KEY_ROLE)) for item in self.list.selectedItems()))

    def _on_state_changed(self, _server_id: str) -> None:
        self._fill()  # a tool's title is known once its server is ready

    def _fill(self) -> None:
        self.list.clear()
        for key in self._keys:
            item = QListWidgetItem(self._label(key))
            item.setData(KEY_ROLE, key)
            self.list.addItem(item)
        has_any = bool(self._keys)
        if has_any:  # as tall as its rows, up to four (then it scrolls)
            rows = min(len(self._keys), 4)
            frame = 2 * self.list.frameWidth()
            self.list.setFixedHeight(self.list.sizeHintForRow(0) * rows + frame + 4)
        self.list.setVisible(has_any)
        self.revoke_button.setVisible(has_any)
        self.empty.setVisible(not has_any)
        self._update_button()

    def _label(self, key: str) -> str:
        server_id, _, tool = key.partition("/")
        config = self._servers.config(server_id)
        if config is None:
            return self.tr("{tool} (of a server that was removed)").format(tool=tool)
        state = self._servers.state(server_id)
        title = tool
        if state.status is ServerStatus.READY:
            title = next((t.title or t.name for t in state.tools if t.name == tool), tool)
        return self.tr("{tool} · {server}").format(tool=title, server=config.name)

    def _update_button(self) -> None:
        self.revoke_button.setEnabled(bool(self.list.selectedItems()))
