"""Settings -> Tools: which servers and tools new conversations offer, the tools always
allowed (with Revoke), running read-only tools without asking, and the limits of one call
and of one reply. All of it is part of the settings, saved with Save.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from desktop_app.core.settings import Settings
from desktop_app.core.tool_selection import ToolSelection
from desktop_app.ui.dialogs.always_allowed_list import AlwaysAllowedList
from desktop_app.ui.dialogs.form_fields import check_with_hint, compact_number_field, stacked
from desktop_app.ui.dialogs.tool_choice_tree import ToolChoiceTree
from desktop_app.ui.session.tool_servers import ToolServers


class ToolsTab(QWidget):
    """The tab. ``settings_changes()`` gives the settings it edits, for Settings' Save.

    Attributes:
        form: its form (Settings lines up the label columns of every tab).
    """

    def __init__(self, settings: Settings, servers: ToolServers,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.tree = ToolChoiceTree(servers, ToolSelection.from_json(settings.tools))
        self.tree.setMinimumHeight(150)
        self.tree.setMaximumHeight(190)
        tree_hint = QLabel(self.tr("Each conversation can change this in its options."))
        tree_hint.setObjectName("HintLabel")
        tree_hint.setWordWrap(True)

        self.always = AlwaysAllowedList(servers, settings.tools_always_allowed or [])
        self.auto_read_only = QCheckBox(self.tr("Run them without asking"))
        self.auto_read_only.setAccessibleName(self.tr("Run read-only tools without asking"))
        self.auto_read_only.setChecked(settings.tools_auto_approve_read_only)
        auto_field = check_with_hint(self.auto_read_only, self.tr(
            "Tools their server marks read-only. Cairn takes the server's word for it: use "
            "this only with servers you trust."))

        self.timeout = QDoubleSpinBox()
        self.timeout.setAccessibleName(self.tr("Time limit per tool call in seconds"))
        self.timeout.setRange(1, 3600)
        self.timeout.setDecimals(0)
        self.timeout.setSuffix(self.tr(" s", "seconds"))
        self.timeout.setValue(settings.tool_timeout_seconds)
        compact_number_field(self.timeout)
        self.rounds = QSpinBox()
        self.rounds.setAccessibleName(self.tr("Tool rounds per reply"))
        self.rounds.setRange(1, 500)
        self.rounds.setValue(settings.tool_rounds_per_turn)
        self.rounds.setToolTip(self.tr(
            "After this many rounds of tool calls a reply stops and offers Continue"))
        compact_number_field(self.rounds)

        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setSpacing(10)
        self.form.addRow(self.tr("Offered by default"), stacked(self.tree, tree_hint))
        self.form.addRow(self.tr("Always allowed"), self.always)
        self.form.addRow(self.tr("Read-only tools"), auto_field)
        self.form.addRow(self.tr("Time limit per call"), self.timeout)
        self.form.addRow(self.tr("Tool rounds per reply"), self.rounds)

    def settings_changes(self) -> dict[str, Any]:
        """The settings this tab edits, as ``dataclasses.replace`` keywords."""
        tools = self.tree.selection().to_json() if self.tree.touched else self._settings.tools
        return {
            "tools": tools,
            "tools_always_allowed": self.always.keys() or None,
            "tools_auto_approve_read_only": self.auto_read_only.isChecked(),
            "tool_timeout_seconds": float(self.timeout.value()),
            "tool_rounds_per_turn": self.rounds.value(),
        }

    def forget_server(self, server_id: str) -> None:
        """A server was removed: its tools are no longer "always allowed"."""
        self.always.revoke(*(key for key in self.always.keys()
                             if key.startswith(server_id + "/")))

