"""The request options (thinking, effort, budget, length, caching, compaction) as a form that
offers only what the chosen model supports.

Used for the global defaults in Settings and for one conversation's own choices (whose
dialog also chooses the conversation's tools: Claude's own and those of MCP servers, a tab
each).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.catalog import ModelInfo
from desktop_app.core.options import MIN_BUDGET_TOKENS, ChatOptions, fit_to_model, model_choices
from desktop_app.core.server_tools import ServerToolOptions
from desktop_app.core.tool_selection import ToolSelection
from desktop_app.ui.dialogs.form_fields import (
    align_label_columns,
    check_with_hint,
    compact_number_field,
)
from desktop_app.ui.dialogs.server_tools_form import ServerToolsForm, overrides
from desktop_app.ui.dialogs.tool_choice_tree import ToolChoiceTree
from desktop_app.ui.dialogs.wrapped_text_dialog import WrappedTextDialog
from desktop_app.ui.lib.async_dialogs import save_cancel_buttons
from desktop_app.ui.session.tool_servers import ToolServers

# Labels are translated where they are shown (OptionsForm.tr).
CACHE_LABELS = (
    (QT_TRANSLATE_NOOP("OptionsForm", "Off"), "off"),
    (QT_TRANSLATE_NOOP("OptionsForm", "5 minutes"), "5m"),
    (QT_TRANSLATE_NOOP("OptionsForm", "1 hour"), "1h"),
)
EFFORT_HELP = {
    "low": QT_TRANSLATE_NOOP("OptionsForm", "Low: fastest and cheapest"),
    "medium": QT_TRANSLATE_NOOP("OptionsForm", "Medium"),
    "high": QT_TRANSLATE_NOOP("OptionsForm", "High (default)"),
    "xhigh": QT_TRANSLATE_NOOP("OptionsForm", "Extra high"),
    "max": QT_TRANSLATE_NOOP("OptionsForm", "Max: most thorough"),
}


class OptionsForm(QWidget):
    """Edits :class:`ChatOptions` for one model; unsupported choices are hidden."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model: ModelInfo | None = None
        self._options = ChatOptions()
        self.thinking = QCheckBox(self.tr("Think before answering"))
        self.thinking.setAccessibleName(self.tr("Extended thinking"))
        self.effort = QComboBox()
        self.effort.setAccessibleName(self.tr("Effort"))
        self.budget = QSpinBox()
        self.budget.setAccessibleName(self.tr("Thinking budget in tokens"))
        self.budget.setSuffix(self.tr(" tokens"))
        self.budget.setSingleStep(1024)
        self.max_tokens = QSpinBox()
        self.max_tokens.setAccessibleName(self.tr("Maximum reply length in tokens"))
        self.max_tokens.setSuffix(self.tr(" tokens"))
        self.max_tokens.setSingleStep(1000)
        compact_number_field(self.budget)
        compact_number_field(self.max_tokens)
        self.cache = QComboBox()
        self.cache.setAccessibleName(self.tr("Prompt caching"))
        for label, value in CACHE_LABELS:
            self.cache.addItem(self.tr(label), value)
        self.compaction = QCheckBox(self.tr("Summarise old context (beta)"))
        self.compaction.setAccessibleName(self.tr("Compaction"))
        self.compaction_field = check_with_hint(
            self.compaction,
            self.tr("When the conversation gets long, its oldest part is summarised to make room."),
        )
        self.note = QLabel()
        self.note.setObjectName("HintLabel")
        self.note.setWordWrap(True)

        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setSpacing(10)
        self.form.addRow(self.tr("Thinking"), self.thinking)
        self.form.addRow(self.tr("Effort"), self.effort)
        self.form.addRow(self.tr("Thinking budget"), self.budget)
        self.form.addRow(self.tr("Maximum reply length"), self.max_tokens)
        self.form.addRow(self.tr("Prompt caching"), self.cache)
        self.form.addRow(self.tr("Compaction"), self.compaction_field)
        self.form.addRow(self.note)
        self.thinking.toggled.connect(self._update_enabled)
        self.max_tokens.valueChanged.connect(self._bound_budget)

    def set_model(self, model: ModelInfo) -> None:
        """Offer what this model supports, keeping the current values where they still fit."""
        current = self.options() if self._model is not None else self._options
        self._model = model
        self._load(current)

    def set_options(self, options: ChatOptions) -> None:
        self._options = options
        if self._model is not None:
            self._load(options)

    def options(self) -> ChatOptions:
        """What the form says, fitted to the model (always a valid combination)."""
        if self._model is None:
            return self._options
        choices = model_choices(self._model)
        thinking = "on" if self.thinking.isChecked() else "off"
        if len(choices.thinking_modes) == 1:
            thinking = choices.thinking_modes[0]
        wanted = ChatOptions(
            thinking=thinking,
            effort=self.effort.currentData() or self._options.effort,
            budget_tokens=self.budget.value() if choices.thinking_kind == "enabled"
            else self._options.budget_tokens,
            cache_ttl=self.cache.currentData(),
            compaction=self.compaction.isChecked() if choices.compaction else self._options.compaction,
            max_tokens=self.max_tokens.value(),
        )
        fitted = fit_to_model(wanted, self._model)
        if not choices.compaction:  # keep the wish for models that do support it
            fitted = replace(fitted, compaction=self._options.compaction)
        return fitted

    def _load(self, options: ChatOptions) -> None:
        assert self._model is not None
        model, choices = self._model, model_choices(self._model)
        fitted = fit_to_model(options, model)
        self._options = options
        self.max_tokens.setRange(1, choices.max_tokens)
        self.max_tokens.setValue(fitted.max_tokens)
        self.thinking.setChecked(fitted.thinking == "on")
        self.thinking.setEnabled(len(choices.thinking_modes) > 1)
        self.effort.clear()
        for level in choices.effort_levels:
            label = EFFORT_HELP.get(level)
            self.effort.addItem(self.tr(label) if label else level, level)
        self.effort.setCurrentIndex(max(0, self.effort.findData(fitted.effort)))
        self._bound_budget()
        self.budget.setValue(fitted.budget_tokens)
        self.cache.setCurrentIndex(max(0, self.cache.findData(fitted.cache_ttl)))
        self.compaction.setChecked(fitted.compaction)
        self._show_row(self.effort, bool(choices.effort_levels))
        self._show_row(self.budget, choices.thinking_kind == "enabled")
        self._show_row(self.compaction_field, choices.compaction)
        notes = []
        name = model.display_name
        if choices.thinking_kind is None:
            notes.append(self.tr("{0} does not think before answering.").format(name))
        elif len(choices.thinking_modes) == 1 and choices.thinking_modes[0] == "on":
            notes.append(self.tr("{0} always thinks before answering.").format(name))
        elif choices.thinking_kind == "adaptive":
            notes.append(self.tr("{0} decides how much to think; effort steers it.").format(name))
        else:
            notes.append(
                self.tr(
                    "{0} thinks within a token budget (at least {1:,}, below the reply length)."
                ).format(name, MIN_BUDGET_TOKENS)
            )
        if model.builtin:
            notes.append(
                self.tr("Its capabilities are not known yet (offline): options are limited.")
            )
        self.note.setText(" ".join(notes))
        self._update_enabled()

    def _bound_budget(self) -> None:
        """The API needs MIN_BUDGET_TOKENS <= budget < max_tokens; the form enforces it."""
        top = max(MIN_BUDGET_TOKENS, self.max_tokens.value() - 1)
        self.budget.setRange(MIN_BUDGET_TOKENS, top)
        if self.max_tokens.value() <= MIN_BUDGET_TOKENS and self.budget.isVisibleTo(self):
            self.max_tokens.setValue(MIN_BUDGET_TOKENS + 1)

    def _update_enabled(self) -> None:
        # Effort steers the whole reply, thinking or not (it is sent either way).
        self.budget.setEnabled(self.thinking.isChecked())

    def _show_row(self, field: QWidget, visible: bool) -> None:
        self.form.setRowVisible(field, visible)


class ConversationOptionsDialog(WrappedTextDialog):
    """One conversation's options and tools, a tab each (Replies, Claude's tools, Tools);
    "Use defaults" goes back to the global settings.

    Args:
        model, options: the conversation's model and its options as they stand.
        has_own: the conversation has choices of its own (options or tools).
        tool_servers: the servers whose tools can be offered (None: no Tools tab).
        tools: the tools offered now (the conversation's own choice, else the default).
        own_tools: ``tools`` is the conversation's own choice (kept as its own when saved).
        server_tools: Claude's own tools as the conversation has them now (its choices over
            the defaults); server_tool_defaults: Settings' defaults of them.
    """

    def __init__(
        self, model: ModelInfo, options: ChatOptions, has_own: bool,
        parent: QWidget | None = None, *, tool_servers: ToolServers | None = None,
        tools: ToolSelection | None = None, own_tools: bool = False,
        server_tools: ServerToolOptions | None = None,
        server_tool_defaults: ServerToolOptions | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Conversation options"))
        self.setMinimumWidth(480)
        self.use_defaults = False
        self._own_tools = own_tools
        self._tools_given = tools or ToolSelection()
        intro = QLabel(
            self.tr("Options for this conversation with <b>{0}</b>:").format(model.display_name)
        )
        self.form = OptionsForm()
        self.form.set_options(options)
        self.form.set_model(model)
        self._server_tool_defaults = server_tool_defaults or ServerToolOptions()
        self.server_tools = ServerToolsForm()
        self.server_tools.set_options(server_tools or self._server_tool_defaults)
        self.server_tools.set_model(model)
        align_label_columns(self.form.form, self.server_tools.form)
        self.tools: ToolChoiceTree | None = None
        buttons = save_cancel_buttons(self)
        self.reset_button = QPushButton(self.tr("Use defaults"))
        self.reset_button.setEnabled(has_own)
        self.reset_button.setToolTip(
            self.tr("Forget this conversation's own choices and follow Settings")
        )
        buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.reset_button.clicked.connect(self._reset)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        self.tabs = QTabWidget()
        self.tabs.addTab(_tab_page(self.form), self.tr("Replies"))
        self.tabs.addTab(_tab_page(self.server_tools), self.tr("Claude's tools"))
        if tool_servers is not None:
            self.tabs.addTab(_tab_page(self._tools_section(tool_servers, self._tools_given)),
                             self.tr("Tools"))
        layout.addWidget(intro)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _tools_section(self, servers: ToolServers, tools: ToolSelection) -> QWidget:
        section = QWidget()
        column = QVBoxLayout(section)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        heading = QLabel(self.tr("Tools of your MCP servers Claude may use in this conversation"))
        column.addWidget(heading)
        if not servers.configs:
            none = QLabel(self.tr("No tool servers yet: add them in Settings, under MCP servers."))
            none.setObjectName("HintLabel")
            none.setWordWrap(True)
            column.addWidget(none)
            return section
        self.tools = ToolChoiceTree(servers, tools)
        self.tools.setMinimumHeight(90)
        self.tools.setMaximumHeight(150)
        heading.setBuddy(self.tools)
        column.addWidget(self.tools)
        return section

    def tool_selection(self) -> dict[str, Any] | None:
        """The conversation's own choice of tools to keep (JSON), or None to follow Settings:
        a choice is its own once the user changed it here, or if it already was."""
        if self.tools is None:
            return self._tools_given.to_json() if self._own_tools else None
        if not (self.tools.touched or self._own_tools):
            return None
        return self.tools.selection().to_json()

    def server_tool_overrides(self) -> dict[str, Any]:
        """Claude's tools as this conversation keeps them (``options["server_tools"]``): what
        differs from the defaults; empty when it follows them."""
        return overrides(self._server_tool_defaults, self.server_tools.options())

    def accept(self) -> None:  # noqa: D102 - not with choices the API would refuse
        field = None if self.use_defaults else self.server_tools.first_problem()
        if field is not None:
            self.tabs.setCurrentWidget(self.server_tools.parentWidget())
            field.setFocus()
            return
        super().accept()

    def _reset(self) -> None:
        self.use_defaults = True
        self.accept()


def _tab_page(content: QWidget) -> QWidget:
    """``content`` at the top of a tab, with the tab's margins."""
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addWidget(content)
    layout.addStretch(1)
    return page
