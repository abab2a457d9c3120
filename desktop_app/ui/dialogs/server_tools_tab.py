"""Settings -> Claude's tools: which of Claude's own tools (web search, web fetch, code
execution) new conversations offer, and how. Saved with the other settings; each
conversation can change them in its options."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.core.catalog import ModelInfo
from desktop_app.core.settings import Settings
from desktop_app.ui.dialogs.server_tools_form import ServerToolsForm


class ServerToolsTab(QWidget):
    """The tab: the form over the default model. ``settings_changes()`` gives what it edits,
    ``problems()`` what keeps it from being saved.

    Attributes:
        form: the form's layout (Settings lines up the label columns of every tab).
        tools: the form itself.
    """

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools = ServerToolsForm()
        self.tools.set_options(settings.server_tools)
        self.form = self.tools.form
        # Under the form, so its first field starts where every other tab's does.
        hint = QLabel(self.tr(
            "These tools run on Anthropic's side. New conversations offer the ones turned on "
            "here; each conversation can change this in its options."))
        hint.setObjectName("HintLabel")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.tools)
        layout.addWidget(hint)

    def set_model(self, model: ModelInfo) -> None:
        """The default model changed: offer what it takes."""
        self.tools.set_model(model)

    def settings_changes(self) -> dict[str, Any]:
        """The settings this tab edits, as ``dataclasses.replace`` keywords."""
        return {"server_tools": self.tools.options()}
