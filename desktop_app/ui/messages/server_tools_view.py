"""Claude's own tool calls in one reply, a row each (see `server_tool_row`), in Claude's
order; folded from the reply's blocks by ``core.server_tool_activity``."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop_app.core.conversation import Message, ReplyState
from desktop_app.core.server_tool_activity import fold_server_tools
from desktop_app.ui.lib.theme import Theme
from desktop_app.ui.messages.produced_files_view import ProducedFilesView
from desktop_app.ui.messages.server_tool_row import ServerToolRow
from desktop_app.ui.session.anthropic_files import AnthropicFiles


class ServerToolsView(QWidget):
    """The rows of a reply's server tool calls.

    Signals:
        link_activated(str): a link in a row was clicked.
        file_save_requested(str, str): (file id, name): Save as… on a file a code run made.

    Args:
        files: the session's Files API object; a code run's files show under its row in a
            ``ProducedFilesView`` (None: only their ids, in the opened row).
    """

    link_activated = Signal(str)
    file_save_requested = Signal(str, str)

    def __init__(self, theme: Theme, files: AnthropicFiles | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self._files = files
        self._file_views: dict[str, ProducedFilesView] = {}
        self.rows: dict[str, ServerToolRow] = {}
        self._folded: tuple[int, int, ReplyState] | None = None  # the content last folded
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 4)
        self._layout.setSpacing(2)
        self.hide()

    def refresh(self, message: Message) -> None:
        """Show each call as it is now (a new row for each new call, in order; a call no
        longer in the reply, such as one dropped before a paused turn resumed, goes)."""
        content = message.content
        folded = (id(content), len(content), message.state)
        if folded == self._folded and content and content[-1].get("type") == "text":
            return  # only the reply's last text grew: no call changed (the streaming path)
        self._folded = folded
        activities = fold_server_tools(content)
        streaming = message.state == ReplyState.STREAMING
        keys = [activity.tool_use_id or f"#{number}" for number, activity in enumerate(activities)]
        for gone in set(self.rows) - set(keys):
            stale = self.rows.pop(gone)
            self._file_views.pop(gone, None)
            self._layout.removeWidget(stale)
            stale.hide()
            stale.deleteLater()
        for key, activity in zip(keys, activities, strict=True):
            row = self.rows.get(key)
            if row is None:
                row = ServerToolRow(activity, self._theme, self, streaming=streaming)
                row.link_activated.connect(self.link_activated)
                self.rows[key] = row
                self._layout.addWidget(row)
            else:
                row.set_activity(activity, streaming=streaming)
            if row.file_ids and self._files is not None:
                self._show_files(key, row)
        self.setVisible(bool(activities))

    def _show_files(self, key: str, row: ServerToolRow) -> None:
        view = self._file_views.get(key)
        if view is None:
            assert self._files is not None
            view = ProducedFilesView(self._files)
            view.save_requested.connect(self.file_save_requested)
            self._file_views[key] = view
            row.set_produced_files_view(view)
        view.show_files(list(row.file_ids))

    def link_texts(self, href: str) -> list[str]:
        """The visible text of every link to ``href`` in the rows."""
        return [text for row in self.rows.values() for text in row.link_texts(href)]
