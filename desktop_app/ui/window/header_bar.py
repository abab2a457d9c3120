"""The slim bar above the messages: title, the system prompt's pencil, the running cost,
the options chip and the model picker with prices.

Signals:
    model_chosen(str): a model id was picked for this conversation.
    sidebar_toggled: the sidebar button was pressed.
    options_requested: the options chip was pressed.
    system_prompt_requested: the pencil (edit the system prompt) was pressed.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from desktop_app.core.catalog import Catalog, ModelInfo
from desktop_app.core.conversation import Conversation
from desktop_app.core.cost import PriceTable, format_dollars
from desktop_app.core.options import ChatOptions, describe, describe_long
from desktop_app.core.safe_html import plain_to_html
from desktop_app.ui.lib.icons import icon
from desktop_app.ui.lib.theme import Theme
from desktop_app.ui.sidebar.conversation_list_model import display_title


class ConversationFacts(Protocol):
    """What the header asks about a conversation (the controller answers)."""

    def model_for(self, conversation: Conversation) -> ModelInfo | None: ...

    def options_for(self, conversation: Conversation) -> ChatOptions: ...

    def conversation_cost(self, conversation: Conversation) -> float | None: ...

    def describe_conversation_cost(self, conversation: Conversation) -> str: ...


class ElidedLabel(QLabel):
    """A one-line label that shrinks with "…" instead of pushing its neighbours away."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(60)
        self.setTextFormat(Qt.TextFormat.PlainText)  # a title may come from the model

    def setText(self, text: str) -> None:  # noqa: N802
        self._full = text
        self.setToolTip(f"<qt>{plain_to_html(text)}</qt>")
        self._elide()

    def text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        super().setText(shown)


class HeaderBar(QWidget):
    """See the module docstring for signals."""

    model_chosen = Signal(str)
    sidebar_toggled = Signal()
    options_requested = Signal()
    system_prompt_requested = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HeaderBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.sidebar_button = QToolButton()
        self.sidebar_button.setToolTip(self.tr("Show or hide the sidebar (Ctrl+B)"))
        self.sidebar_button.setAccessibleName(self.tr("Toggle sidebar"))
        self.sidebar_button.clicked.connect(self.sidebar_toggled)
        self.title = ElidedLabel()
        self.title.setObjectName("ConversationTitle")
        self.system_button = QToolButton()
        self.system_button.setToolTip(self.tr("Edit this conversation's system prompt"))
        self.system_button.setAccessibleName(self.tr("System prompt"))
        self.system_button.clicked.connect(self.system_prompt_requested)
        self.model_picker = QComboBox()
        self.model_picker.setObjectName("ModelPicker")
        self.model_picker.setAccessibleName(self.tr("Model"))
        self.model_picker.setToolTip(self.tr("The model for this conversation"))
        self.model_picker.view().setMinimumWidth(320)
        self.model_picker.activated.connect(self._on_activated)
        self.cost = QLabel()
        self.cost.setObjectName("CostLabel")
        self.cost.setToolTip(self.tr("What this conversation has cost so far"))
        self.options_chip = QToolButton()
        self.options_chip.setObjectName("OptionsChip")
        self.options_chip.setAccessibleName(self.tr("Conversation options"))
        self.options_chip.setToolTip(
            self.tr("Thinking, effort, caching and length for this conversation")
        )
        self.options_chip.clicked.connect(self.options_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 14, 8)
        layout.setSpacing(10)
        layout.addWidget(self.sidebar_button)
        layout.addWidget(self.title, 1)
        layout.addWidget(self.system_button)
        layout.addWidget(self.cost)
        layout.addWidget(self.options_chip)
        layout.addWidget(self.model_picker)
        self.apply_theme(theme)

    def apply_theme(self, theme: Theme) -> None:
        self.sidebar_button.setIcon(icon("sidebar", theme.muted, 16))
        self.system_button.setIcon(icon("pencil", theme.muted, 16))

    def show_conversation(self, conversation: Conversation, facts: ConversationFacts) -> None:
        """Title, model, options summary, what it has cost, and its system prompt (tooltip)."""
        self.set_title(display_title(conversation.title))
        model = facts.model_for(conversation)
        self.select_model(model.id if model else None)
        if model is not None:
            options = facts.options_for(conversation)
            self.set_options_summary(describe(options, model), describe_long(options, model))
        cost = facts.conversation_cost(conversation)
        spent = bool(conversation.auxiliary_usage) or any(
            m.usage for m in conversation.all_messages() if m.role == "assistant"
        )
        shown = format_dollars(cost) if cost is not None else self.tr("price unknown")
        self.set_cost(
            shown if spent else "",
            facts.describe_conversation_cost(conversation) if spent else "",
        )
        self.system_button.setToolTip(self.tr("System prompt (click to edit): {prompt}").format(
            prompt=conversation.system_prompt[:200] or self.tr("none")
        ))

    def set_title(self, title: str) -> None:
        self.title.setText(title)

    def set_cost(self, text: str, details: str = "") -> None:
        self.cost.setText(text)
        self.cost.setToolTip(details or self.tr("What this conversation has cost so far"))

    def set_options_summary(self, text: str, details: str = "") -> None:
        self.options_chip.setText(text)
        hint = self.tr("Click to change this conversation's options")
        self.options_chip.setToolTip((details + "\n" if details else "") + hint)

    def set_models(self, catalog: Catalog, prices: PriceTable, current: str | None) -> None:
        """Fill the picker: display name, with the input/output price per million tokens."""
        self.model_picker.blockSignals(True)
        self.model_picker.clear()
        for model in catalog.models:
            price = prices.price(model.id)
            label = model.display_name
            if price:
                label += f"  ·  ${price.input:g} / ${price.output:g}"
            if not model.is_active:
                label += "  " + self.tr("(deprecated)")
            tip = f"{model.id}\n"
            if price:
                tip += self.tr("${0:g} in / ${1:g} out per million tokens").format(
                    price.input, price.output
                )
            else:
                tip += self.tr("price unknown")
            self.model_picker.addItem(label, model.id)
            self.model_picker.setItemData(self.model_picker.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.select_model(current)
        self.model_picker.blockSignals(False)

    def select_model(self, model_id: str | None) -> None:
        index = self.model_picker.findData(model_id)
        if index >= 0:
            self.model_picker.setCurrentIndex(index)
        # As wide as the chosen model's label (the list itself opens as wide as it needs).
        text_width = self.model_picker.fontMetrics().horizontalAdvance(self.model_picker.currentText())
        self.model_picker.setFixedWidth(text_width + 64)

    def _on_activated(self, index: int) -> None:
        model_id = self.model_picker.itemData(index)
        self.select_model(model_id)
        if model_id:
            self.model_chosen.emit(model_id)
