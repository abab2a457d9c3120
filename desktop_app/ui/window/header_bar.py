"""The slim bar above the messages: title, the system prompt's button, the running cost, the
options chip and the model picker with prices.

In a narrow window the header gives way in steps, so nothing in it is ever cut off: first the
picker drops the price from its face (the name stays), then the chip drops caching from its
summary, and past that the title, chip and picker elide their text. The system prompt's button
sits right after the title and the cost has a place kept for it, so the button does not move
when the first reply's cost appears.

Signals:
    model_chosen(str): a model id was picked for this conversation.
    sidebar_toggled: the sidebar button was pressed.
    options_requested: the options chip was pressed.
    system_prompt_requested: the system prompt's button was pressed.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from desktop_app.core.catalog import Catalog, ModelInfo
from desktop_app.core.conversation import Conversation
from desktop_app.core.cost import Price, PriceTable, format_dollars
from desktop_app.core.options import ChatOptions, summarize
from desktop_app.core.safe_html import plain_to_html
from desktop_app.core.server_tools import ServerToolOptions, enabled_server_tools
from desktop_app.ui.lib.icons import icon
from desktop_app.ui.lib.theme import Theme
from desktop_app.ui.session.options_text import chip_wordings, options_tooltip
from desktop_app.ui.sidebar.conversation_list_model import display_title
from desktop_app.ui.window.model_picker import ModelPicker
from desktop_app.ui.window.options_chip import OptionsChip

TITLE_ROOM = 160  # the title keeps this much (or its whole text) before the picker loses its price
COST_SAMPLE = "$0.0000"  # the cost's kept place is as wide as this (wider costs widen it)


class ConversationFacts(Protocol):
    """What the header asks about a conversation (the controller answers)."""

    def model_for(self, conversation: Conversation) -> ModelInfo | None: ...

    def options_for(self, conversation: Conversation) -> ChatOptions: ...

    def server_tools_for(self, conversation: Conversation) -> ServerToolOptions: ...

    def conversation_cost(self, conversation: Conversation) -> float | None: ...

    def describe_conversation_cost(self, conversation: Conversation) -> str: ...

    def awaiting_model_list(self) -> bool: ...


class ElidedLabel(QLabel):
    """A one-line label that shrinks with "…" instead of pushing its neighbours away; it
    asks for its whole text's width when there is room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(60)
        self.setTextFormat(Qt.TextFormat.PlainText)  # a title may come from the model

    def setText(self, text: str) -> None:  # noqa: N802
        self._full = text
        self.setToolTip(f"<qt>{plain_to_html(text)}</qt>")
        self._elide()
        self.updateGeometry()

    def text(self) -> str:
        return self._full

    def full_width(self) -> int:
        return self.fontMetrics().horizontalAdvance(self._full) + 2

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(max(self.minimumWidth(), self.full_width()), super().sizeHint().height())

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
        self.system_button.setObjectName("SystemPromptButton")
        self.system_button.setToolTip(self.tr("Edit this conversation's system prompt"))
        self.system_button.setAccessibleName(self.tr("System prompt"))
        self.system_button.clicked.connect(self.system_prompt_requested)
        self.model_picker = ModelPicker()
        self.model_picker.setObjectName("ModelPicker")
        self.model_picker.setAccessibleName(self.tr("Model"))
        self.model_picker.setToolTip(self.tr("The model for this conversation"))
        self.model_picker.view().setMinimumWidth(320)
        self.model_picker.activated.connect(self._on_activated)
        self.cost = QLabel()
        self.cost.setObjectName("CostLabel")
        self.cost.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.cost.setToolTip(self.tr("What this conversation has cost so far"))
        self.options_chip = OptionsChip()
        self.options_chip.setAccessibleName(self.tr("Conversation options"))
        self.options_chip.setToolTip(
            self.tr("Thinking, effort, caching and length for this conversation")
        )
        self.options_chip.clicked.connect(self.options_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 14, 8)
        layout.setSpacing(10)
        layout.addWidget(self.sidebar_button)
        layout.addWidget(self.title)
        layout.addWidget(self.system_button)
        layout.addWidget(self.cost, 1)  # it takes the spare room, its text to the right
        layout.addWidget(self.options_chip)
        layout.addWidget(self.model_picker)
        self.apply_theme(theme)

    def apply_theme(self, theme: Theme) -> None:
        self.sidebar_button.setIcon(icon("sidebar", theme.muted, 16))
        self.system_button.setIcon(icon("system-prompt", theme.muted, 16))
        self._keep_place_for_cost()

    def show_conversation(self, conversation: Conversation, facts: ConversationFacts) -> None:
        """Title, model, options summary, what it has cost, and its system prompt (tooltip)."""
        self.set_title(display_title(conversation.title))
        awaiting = facts.awaiting_model_list()
        model = None if awaiting else facts.model_for(conversation)
        if awaiting:
            self.show_models_loading()
        else:
            self.select_model(model.id if model else None)
        self.options_chip.setVisible(model is not None)
        if model is not None:
            summary = summarize(facts.options_for(conversation), model)
            tools = enabled_server_tools(facts.server_tools_for(conversation), model)
            self.set_options_summary(chip_wordings(summary, tools),
                                     options_tooltip(summary, tools))
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
        self._fit()

    def set_cost(self, text: str, details: str = "") -> None:
        self.cost.setText(text)
        self._keep_place_for_cost()
        self.cost.setToolTip(details or self.tr("What this conversation has cost so far"))
        self._fit()

    def set_options_summary(self, wordings: tuple[str, ...], details: str = "") -> None:
        """The chip's wordings, fullest first, and every option in words for its tooltip."""
        self.options_chip.set_wordings(*wordings)
        hint = self.tr("Click to change this conversation's options")
        self.options_chip.setToolTip((details + "\n" if details else "") + hint)
        self._fit()

    def set_models(self, catalog: Catalog, prices: PriceTable, current: str | None) -> None:
        """Fill the picker: display name, with the input/output price per million tokens."""
        self.model_picker.blockSignals(True)
        self.model_picker.clear()
        self.model_picker.setEnabled(True)
        for model in catalog.models:
            price = prices.price(model.id)
            label = model.display_name
            if price:
                label += "  ·  " + self._price_words(price)
            if not model.is_active:
                label += "  " + self.tr("(deprecated)")
            tip = f"{model.id}\n"
            tip += self._price_words(price) if price else self.tr("price unknown")
            self.model_picker.addItem(label, model.id)
            self.model_picker.setItemData(
                self.model_picker.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
            self.model_picker.setItemData(
                self.model_picker.count() - 1,
                (model.display_name, self._short_price(price) if price else ""),
                Qt.ItemDataRole.UserRole + 1)
        self.select_model(current)
        self.model_picker.blockSignals(False)

    def show_models_loading(self) -> None:
        """A neutral face until the account's model list has arrived (the built-in guesses
        may name a model the account does not have)."""
        self.model_picker.setEnabled(False)
        self.model_picker.set_face(self.tr("Loading models…"))
        self._fit()

    def select_model(self, model_id: str | None) -> None:
        index = self.model_picker.findData(model_id)
        if index >= 0:
            self.model_picker.setCurrentIndex(index)
        self.model_picker.setEnabled(self.model_picker.count() > 0)
        face = self.model_picker.itemData(self.model_picker.currentIndex(),
                                          Qt.ItemDataRole.UserRole + 1)
        name, price = face if isinstance(face, tuple) else (self.model_picker.currentText(), "")
        self.model_picker.set_face(name, price)
        self._fit()

    def _price_words(self, price: Price) -> str:
        return self.tr("${input} in / ${output} out per MTok").format(
            input=f"{price.input:g}", output=f"{price.output:g}")

    def _short_price(self, price: Price) -> str:
        return self.tr("${input} / ${output} per MTok").format(
            input=f"{price.input:g}", output=f"{price.output:g}")

    def _on_activated(self, index: int) -> None:
        model_id = self.model_picker.itemData(index)
        self.select_model(model_id)
        if model_id:
            self.model_chosen.emit(model_id)

    # -- narrow windows -------------------------------------------------------------------

    def _keep_place_for_cost(self) -> None:
        """As wide as a typical cost even while there is none, and never narrower than the
        cost it shows (a label squeezed below its text cuts the text off)."""
        metrics = self.cost.fontMetrics()
        self.cost.setMinimumWidth(max(metrics.horizontalAdvance(COST_SAMPLE),
                                      metrics.horizontalAdvance(self.cost.text())) + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Choose the picker's and the chip's wordings for the width the header has, and
        how wide each (and the title) may be: the price goes first, then caching from the
        chip, then the chip's other words but one; then the title shrinks to its minimum,
        then the chip elides, and the model's name last (see the module docstring)."""
        layout = self.layout()
        margins = layout.contentsMargins()
        chip = self.options_chip if self.options_chip.isVisibleTo(self) else None
        fixed = [self.sidebar_button, self.system_button, self.cost]
        gaps = layout.spacing() * (len(fixed) + (2 if chip is not None else 1))
        room = (self.width() - margins.left() - margins.right() - gaps
                - sum(max(w.sizeHint().width(), w.minimumWidth()) for w in fixed))
        title_least = self.title.minimumWidth()
        title_wish = max(title_least, min(self.title.full_width(), TITLE_ROOM))
        picker, levels = self.model_picker, [(False, 0), (True, 0)]
        if chip is not None:
            levels += [(True, level) for level in range(1, chip.levels)]
        for picker_compact, chip_level in levels:
            picker_width = picker.width_for(picker_compact)
            chip_width = chip.width_for(chip_level) if chip is not None else 0
            if picker_width + chip_width <= room - title_wish:
                break
        picker.set_compact(picker_compact)
        # Still too wide: the title gives way to its minimum, then the chip, then the picker.
        left = room - title_least
        if chip is not None:
            chip.set_level(chip_level)
            chip_width = max(chip.minimumSizeHint().width(), min(chip_width, left - picker_width))
            chip.setMaximumWidth(chip_width)
        picker_width = max(picker.minimumSizeHint().width(), min(picker_width, left - chip_width))
        picker.setMaximumWidth(picker_width)
        self.title.setMaximumWidth(max(title_least, room - chip_width - picker_width))
