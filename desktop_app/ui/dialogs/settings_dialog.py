"""Settings (Ctrl+,): default model and its options, system prompt, connection, theme,
language, Claude's own tools (``server_tools_tab.py``), MCP servers (``servers_tab.py``) and
their tools (``tools_tab.py``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.catalog import Catalog
from desktop_app.core.settings import Settings
from desktop_app.ui.lib.async_dialogs import save_cancel_buttons
from desktop_app.ui.lib.owned_tasks import OwnedTasks
from desktop_app.ui.dialogs.form_fields import (
    align_label_columns,
    check_with_hint,
    compact_number_field,
)
from desktop_app.ui.dialogs.options_form import OptionsForm
from desktop_app.ui.dialogs.server_tools_tab import ServerToolsTab
from desktop_app.ui.dialogs.servers_tab import ServersTab
from desktop_app.ui.dialogs.tools_tab import ToolsTab
from desktop_app.ui.dialogs.wrapped_text_dialog import WrappedTextDialog
from desktop_app.ui.runtime.translations import available_languages
from desktop_app.ui.session.tool_servers import ToolServers

ConnectionTester = Callable[[Settings], Awaitable[str]]

THEMES = (
    (QT_TRANSLATE_NOOP("SettingsDialog", "Follow the system"), "system"),
    (QT_TRANSLATE_NOOP("SettingsDialog", "Light"), "light"),
    (QT_TRANSLATE_NOOP("SettingsDialog", "Dark"), "dark"),
)


class SettingsDialog(WrappedTextDialog):
    """Edits a copy of the settings; ``result_settings()`` returns it once accepted."""

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        test_connection: ConnectionTester | None = None,
        parent: QWidget | None = None,
        tool_servers: ToolServers | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(560)
        self._settings = settings
        self._catalog = catalog
        self._test_connection = test_connection
        self._tests = OwnedTasks()  # the connection test under way (one at a time)

        self.model = QComboBox()
        self.model.setAccessibleName(self.tr("Default model"))
        self.model.addItem(self.tr("Newest Opus (recommended)"), None)
        for info in catalog.models:
            self.model.addItem(info.display_name, info.id)
        index = self.model.findData(settings.default_model)
        self.model.setCurrentIndex(max(0, index))

        self.options = OptionsForm()
        self.options.set_options(settings.chat_options())
        self.server_tools = ServerToolsTab(settings)
        self._on_model_changed()
        self.model.currentIndexChanged.connect(self._on_model_changed)

        self.system_prompt = QPlainTextEdit(settings.system_prompt)
        self.system_prompt.setObjectName("SystemPromptEdit")
        self.system_prompt.setAccessibleName(self.tr("Default system prompt"))
        self.system_prompt.setPlaceholderText(
            self.tr("Instructions every new conversation starts with")
        )
        self.system_prompt.setFixedHeight(90)

        self.full_resolution = QCheckBox(self.tr("Send images at full resolution"))
        self.full_resolution.setAccessibleName(self.tr("Full-resolution images"))
        self.full_resolution.setChecked(settings.full_resolution_images)
        full_resolution_field = check_with_hint(
            self.full_resolution, self.tr("Up to 8000 px on the long side; costs more.")
        )

        self.tray_icon = QCheckBox(
            self.tr("Keep Cairn in the system tray when its window is closed")
        )
        self.tray_icon.setAccessibleName(self.tr("Tray icon"))
        self.tray_icon.setChecked(settings.tray_icon)

        self.stop_sequences = QLineEdit(", ".join(settings.stop_sequences or []))
        self.stop_sequences.setAccessibleName(self.tr("Stop sequences"))
        self.stop_sequences.setPlaceholderText(
            self.tr("Optional, comma-separated: texts that end a reply")
        )

        self.base_url = QLineEdit(settings.base_url)
        self.base_url.setAccessibleName(self.tr("API base URL"))
        self.base_url.setPlaceholderText(
            self.tr("Default (https://api.anthropic.com or ANTHROPIC_BASE_URL)")
        )

        self.proxy = QLineEdit(settings.proxy)
        self.proxy.setAccessibleName(self.tr("Proxy"))
        self.proxy.setPlaceholderText(
            self.tr("None (e.g. http://proxy:3128 or socks5://127.0.0.1:1080)")
        )
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.setAccessibleName(self.tr("Test connection"))
        self.test_button.clicked.connect(self._start_test)
        self.test_result = QLabel()
        self.test_result.setObjectName("HintLabel")
        self.test_result.setWordWrap(True)

        self.max_retries = QSpinBox()
        self.max_retries.setAccessibleName(self.tr("Retries"))
        self.max_retries.setRange(0, 10)
        self.max_retries.setValue(settings.max_retries)
        compact_number_field(self.max_retries)

        self.timeout = QDoubleSpinBox()
        self.timeout.setAccessibleName(self.tr("Timeout in seconds"))
        self.timeout.setRange(5, 3600)
        self.timeout.setDecimals(0)
        self.timeout.setSuffix(self.tr(" s", "seconds"))
        self.timeout.setValue(settings.timeout_seconds)
        compact_number_field(self.timeout)

        self.theme = QComboBox()
        self.theme.setAccessibleName(self.tr("Theme"))
        for label, value in THEMES:
            self.theme.addItem(self.tr(label), value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))

        self.language = QComboBox()
        self.language.setAccessibleName(self.tr("Language"))
        for code, name in available_languages():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.language_note = QLabel(self.tr("The new language is used when Cairn next starts."))
        self.language_note.setObjectName("HintLabel")
        self.language_note.setWordWrap(True)
        self.restart_button = QPushButton(self.tr("Restart now"))
        self.restart_button.setToolTip(
            self.tr("Save these settings, close Cairn and start it again in the new language")
        )
        self.restart_button.setAutoDefault(False)
        self.restart_button.clicked.connect(self._save_and_restart)
        self.restart_requested = False  # read by SettingsOps once the dialog is accepted
        self.language_restart = _reserved_row(self.language_note, self.restart_button)
        self.language.currentIndexChanged.connect(self._on_language_changed)

        self.generate_titles = QCheckBox(self.tr("Name new conversations after the first reply"))
        self.generate_titles.setAccessibleName(self.tr("Generate titles"))
        self.generate_titles.setToolTip(
            self.tr("Its cost is counted in the conversation's cost like any other request.")
        )
        self.generate_titles.setChecked(settings.generate_titles)
        titles_field = check_with_hint(self.generate_titles, self.tr("A short, cheap request."))

        general = QFormLayout()
        general.setSpacing(10)
        general.addRow(self.tr("Default model"), self.model)
        general.addRow(self.tr("Default system prompt"), self.system_prompt)
        general.addRow(self.tr("Stop sequences"), self.stop_sequences)
        general.addRow(self.tr("Images"), full_resolution_field)
        general.addRow(self.tr("Titles"), titles_field)
        general.addRow(self.tr("Closing"), self.tray_icon)
        general.addRow(self.tr("Theme"), self.theme)
        general.addRow(self.tr("Language"), self.language)
        general.addRow("", self.language_restart)  # last: its space, kept, is at the bottom
        connection = QFormLayout()
        connection.setSpacing(10)
        connection.addRow(self.tr("API base URL"), self.base_url)
        connection.addRow(self.tr("Proxy"), self.proxy)
        connection.addRow(self.tr("Retries"), self.max_retries)
        connection.addRow(self.tr("Timeout"), self.timeout)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        connection.addRow("", test_row)
        self.servers_tab: ServersTab | None = None
        self.tools: ToolsTab | None = None
        if tool_servers is not None:
            self.servers_tab = ServersTab(tool_servers)
            self.tools = ToolsTab(settings, tool_servers)
            self.servers_tab.server_removed.connect(self.tools.forget_server)
        tool_forms = [t.form for t in (self.servers_tab, self.tools) if t is not None]
        align_label_columns(general, self.options.form, self.server_tools.form, connection,
                            *tool_forms)
        self.tabs = QTabWidget()
        self.tabs.addTab(_page(general), self.tr("General"))
        self.tabs.addTab(_page(self.options), self.tr("Replies"))
        self.tabs.addTab(_page(connection), self.tr("Connection"))
        self.tabs.addTab(_page(self.server_tools), self.tr("Claude's tools"))
        if self.servers_tab is not None and self.tools is not None:
            self.tabs.addTab(_page(self.servers_tab), self.tr("MCP servers"))
            self.tabs.addTab(_page(self.tools), self.tr("Tools"))
        buttons = save_cancel_buttons(self)
        buttons.rejected.connect(self._tests.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def result_settings(self) -> Settings:
        options = self.options.options()
        stops = [s.strip() for s in self.stop_sequences.text().split(",") if s.strip()]
        return dataclasses.replace(
            self._settings,
            default_model=self.model.currentData(),
            max_tokens=options.max_tokens,
            thinking=options.thinking,
            effort=options.effort,
            budget_tokens=options.budget_tokens,
            cache_ttl=options.cache_ttl,
            compaction=options.compaction,
            system_prompt=self.system_prompt.toPlainText(),
            stop_sequences=stops or None,
            full_resolution_images=self.full_resolution.isChecked(),
            tray_icon=self.tray_icon.isChecked(),
            base_url=self.base_url.text().strip(),
            proxy=self.proxy.text().strip(),
            max_retries=self.max_retries.value(),
            timeout_seconds=float(self.timeout.value()),
            theme=self.theme.currentData(),
            language=self.language.currentData(),
            generate_titles=self.generate_titles.isChecked(),
            **self.server_tools.settings_changes(),
            **(self.tools.settings_changes() if self.tools is not None else {}),
        )

    def _on_model_changed(self) -> None:
        model = self._catalog.resolve(self.model.currentData())
        if model is not None:
            self.options.set_model(model)
            self.server_tools.set_model(model)

    def accept(self) -> None:  # noqa: D102 - not with choices the API would refuse
        field = self.server_tools.tools.first_problem()
        if field is not None:
            self.tabs.setCurrentWidget(self.server_tools.parentWidget())
            field.setFocus()
            return
        super().accept()

    def _on_language_changed(self) -> None:
        changed = self.language.currentData() != self._settings.language
        self.language_note.setVisible(changed)
        self.restart_button.setVisible(changed)

    def _save_and_restart(self) -> None:
        """Accept (the settings are saved) and ask for Cairn to be started again."""
        self.restart_requested = True
        self.accept()

    def _start_test(self) -> None:
        if self._test_connection is None:
            return
        self._tests.cancel()
        self.test_button.setEnabled(False)
        self.test_result.setText(self.tr("Connecting…"))
        self._tests.spawn(self._run_test())

    async def _run_test(self) -> None:
        assert self._test_connection is not None
        try:
            self.test_result.setText(await self._test_connection(self.result_settings()))
        finally:
            self.test_button.setEnabled(True)

    def done(self, result: int) -> None:  # noqa: D102 - closing cancels a test in flight
        self._tests.cancel()
        if self.servers_tab is not None:
            self.servers_tab.tasks.cancel()
        super().done(result)


def _reserved_row(*parts: QWidget) -> QWidget:
    """A row of parts (a note and its button), hidden until needed but with their space kept,
    so showing them does not grow the dialog. The row itself stays shown: ``QFormLayout``
    gives a hidden row no space, whatever its size policy says; a box layout keeps it."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        policy = part.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        part.setSizePolicy(policy)
        part.hide()
        layout.addWidget(part, 1 if isinstance(part, QLabel) else 0)
    return row


def _page(content: QFormLayout | QWidget) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    if isinstance(content, QWidget):
        layout.addWidget(content)
    else:
        layout.addLayout(content)
    layout.addStretch(1)
    return page


class SystemPromptDialog(QDialog):
    """Edits the system prompt of one conversation."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("System prompt"))
        self.setMinimumWidth(520)
        label = QLabel(self.tr("Instructions Claude follows throughout this conversation:"))
        self.edit = QPlainTextEdit(text)
        self.edit.setObjectName("SystemPromptEdit")
        self.edit.setAccessibleName(self.tr("System prompt"))
        buttons = save_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addWidget(buttons)

    @property
    def text(self) -> str:
        return self.edit.toPlainText()
