"""The page of an empty conversation: a greeting, a few example prompts to start from, and the
keys that matter, so a first-time user is never looking at a blank column."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.ui.messages.message_requests import MessageRequests

# In English; shown (and put in the composer) in the interface language.
EXAMPLES = (
    QT_TRANSLATE_NOOP("EmptyState", "Explain a tricky concept simply"),
    QT_TRANSLATE_NOOP("EmptyState", "Help me write a polite follow-up email"),
    QT_TRANSLATE_NOOP("EmptyState", "Review this code for bugs"),
    QT_TRANSLATE_NOOP("EmptyState", "Plan a three-day trip to Kyoto"),
)


def example_prompts() -> list[str]:
    """The example prompts of the empty page, in the interface language."""
    return [QCoreApplication.translate("EmptyState", text) for text in EXAMPLES]


class EmptyState(QWidget):
    """The page of an empty conversation: a greeting and a few example prompts (a click on
    one is sent as ``requests.example_chosen``)."""

    def __init__(self, requests: MessageRequests, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        greeting = QLabel(self.tr("How can I help today?"))
        greeting.setObjectName("Greeting")
        greeting.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        chips = QWidget()
        grid = QVBoxLayout(chips)
        grid.setSpacing(8)
        self.buttons: list[QPushButton] = []
        examples = example_prompts()
        for row_start in range(0, len(examples), 2):
            row = QHBoxLayout()
            row.addStretch(1)
            for text in examples[row_start:row_start + 2]:
                button = QPushButton(text)
                button.setObjectName("ExampleChip")
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.clicked.connect(
                    lambda _=False, t=text: requests.example_chosen.emit(t))
                self.buttons.append(button)
                row.addWidget(button)
            row.addStretch(1)
            grid.addLayout(row)
        hint = QLabel(self.tr("Enter sends · Shift+Enter adds a line · Esc stops a reply"))
        hint.setObjectName("HintLabel")
        hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(greeting)
        layout.addSpacing(18)
        layout.addWidget(chips)
        layout.addSpacing(14)
        layout.addWidget(hint)
        layout.addStretch(3)
