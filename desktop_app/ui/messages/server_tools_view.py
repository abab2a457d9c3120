"""Claude's own tool calls in one reply, a row each (see `server_tool_row`), in Claude's
order; folded from the reply's blocks by ``core.server_tool_activity``."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop_app.core.conversation import Message
from desktop_app.core.server_tool_activity import fold_server_tools
from desktop_app.ui.lib.theme import Theme
from desktop_app.ui.messages.server_tool_row import ServerToolRow


class ServerToolsView(QWidget):
    """The rows of a reply's server tool calls.

    Signals:
        link_activated(str): a link in a row was clicked.
    """

    link_activated = Signal(str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self.rows: dict[str, ServerToolRow] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 4)
        self._layout.setSpacing(2)
        self.hide()

    def refresh(self, message: Message) -> None:
        """Show each call as it is now (a new row for each new call, in order)."""
        activities = fold_server_tools(message.content)
        for number, activity in enumerate(activities):
            key = activity.tool_use_id or f"#{number}"
            row = self.rows.get(key)
            if row is None:
                row = ServerToolRow(activity, self._theme, self)
                row.link_activated.connect(self.link_activated)
                self.rows[key] = row
                self._layout.addWidget(row)
            else:
                row.set_activity(activity)
        self.setVisible(bool(activities))

    def link_texts(self, href: str) -> list[str]:
        """The visible text of every link to ``href`` in the rows."""
        return [text for row in self.rows.values() for text in row.link_texts(href)]
