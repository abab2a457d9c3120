"""Settings (Ctrl+,): default model, reply length, default system prompt, connection, theme."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.catalog import Catalog
from desktop_app.core.settings import Settings

THEMES = (("Follow the system", "system"), ("Light", "light"), ("Dark", "dark"))


class SettingsDialog(QDialog):
    """Edits a copy of the settings; ``result_settings()`` returns it once accepted."""

    def __init__(self, settings: Settings, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        self._settings = settings

        self.model = QComboBox()
        self.model.setAccessibleName("Default model")
        self.model.addItem("Newest Opus (recommended)", None)
        for info in catalog.models:
            self.model.addItem(info.display_name, info.id)
        index = self.model.findData(settings.default_model)
        self.model.setCurrentIndex(max(0, index))

        self.max_tokens = QSpinBox()
        self.max_tokens.setAccessibleName("Maximum reply length in tokens")
        self.max_tokens.setRange(1, 1_000_000)
        self.max_tokens.setSingleStep(1000)
        self.max_tokens.setValue(settings.max_tokens)
        self.max_tokens.setSuffix(" tokens")

        self.system_prompt = QPlainTextEdit(settings.system_prompt)
        self.system_prompt.setObjectName("SystemPromptEdit")
        self.system_prompt.setAccessibleName("Default system prompt")
        self.system_prompt.setPlaceholderText("Instructions every new conversation starts with")
        self.system_prompt.setFixedHeight(90)

        self.base_url = QLineEdit(settings.base_url)
        self.base_url.setAccessibleName("API base URL")
        self.base_url.setPlaceholderText("Default (https://api.anthropic.com or ANTHROPIC_BASE_URL)")

        self.max_retries = QSpinBox()
        self.max_retries.setAccessibleName("Retries")
        self.max_retries.setRange(0, 10)
        self.max_retries.setValue(settings.max_retries)

        self.timeout = QDoubleSpinBox()
        self.timeout.setAccessibleName("Timeout in seconds")
        self.timeout.setRange(5, 3600)
        self.timeout.setDecimals(0)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(settings.timeout_seconds)

        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        for label, value in THEMES:
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))

        form = QFormLayout()
        form.setSpacing(10)
        form.addRow("Default model", self.model)
        form.addRow("Maximum reply length", self.max_tokens)
        form.addRow("Default system prompt", self.system_prompt)
        form.addRow("API base URL", self.base_url)
        form.addRow("Retries", self.max_retries)
        form.addRow("Timeout", self.timeout)
        form.addRow("Theme", self.theme)
        note = QLabel("The reply length is capped by each model's own maximum.")
        note.setObjectName("HintLabel")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def result_settings(self) -> Settings:
        return dataclasses.replace(
            self._settings,
            default_model=self.model.currentData(),
            max_tokens=self.max_tokens.value(),
            system_prompt=self.system_prompt.toPlainText(),
            base_url=self.base_url.text().strip(),
            max_retries=self.max_retries.value(),
            timeout_seconds=float(self.timeout.value()),
            theme=self.theme.currentData(),
        )


class SystemPromptDialog(QDialog):
    """Edits the system prompt of one conversation."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("System prompt")
        self.setMinimumWidth(520)
        label = QLabel("Instructions Claude follows throughout this conversation:")
        self.edit = QPlainTextEdit(text)
        self.edit.setObjectName("SystemPromptEdit")
        self.edit.setAccessibleName("System prompt")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addWidget(buttons)

    @property
    def text(self) -> str:
        return self.edit.toPlainText()
