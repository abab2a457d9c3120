"""The thinking row (issue 18): its size in words, and the rule down the left of the opened
thinking, drawn in both themes."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from desktop_app.core.conversation import Message, ReplyState
from desktop_app.ui.lib.theme import DARK, LIGHT, style_sheet
from desktop_app.ui.messages.thinking_row import ThinkingRow, WordCounter


def thinking_message(thinking: str, text: str = "", state=ReplyState.COMPLETE) -> Message:
    content = [{"type": "thinking", "thinking": thinking, "signature": "s"}]
    if text:
        content.append({"type": "text", "text": text})
    return Message(role="assistant", content=content, state=state)


def test_words_are_counted_in_any_script_and_as_the_text_grows():
    counter = WordCounter()
    assert counter.count("") == 0
    assert counter.count("One, two — three's 4!") == 4
    assert WordCounter().count("中文段落，用来检查 and English") == 10
    text = "Let me think about this step by step. 我们先看看。 Then decide."
    grown = WordCounter()
    for end in range(len(text) + 1):  # streamed a character at a time
        assert grown.count(text[:end]) == WordCounter().count(text[:end]), text[:end]


def test_the_row_says_words_and_stays_folded_until_opened(qtbot):
    row = ThinkingRow()
    qtbot.addWidget(row)
    row.show()
    row.refresh(thinking_message("Weigh it up", state=ReplyState.STREAMING), LIGHT)
    assert row.toggle.text() == "Thinking… · 3 words" and not row.text.isVisible()
    row.refresh(thinking_message("Weigh it up carefully", "Answer."), LIGHT)
    assert row.toggle.text() == "Thinking · 4 words" and not row.text.isVisible()
    row.set_open(True)
    assert row.text.isVisible() and row.text.text() == "Weigh it up carefully"
    row.refresh(thinking_message("x", "Answer."), LIGHT)
    assert row.toggle.text() == "Thinking · 1 word"


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_the_opened_thinking_has_a_rule_down_its_left_side(qtbot, theme):
    app = QApplication.instance()
    previous = app.styleSheet()
    app.setStyleSheet(style_sheet(theme))
    try:
        row = ThinkingRow()
        qtbot.addWidget(row)
        row.resize(400, 200)
        row.show()
        row.refresh(thinking_message("Some careful thought " * 8, "Answer."), theme)
        row.set_open(True)
        qtbot.waitUntil(lambda: row.text.isVisible() and row.text.height() > 20)
        image = row.text.grab().toImage()
        middle = image.height() // 2
        assert image.pixelColor(0, middle) == QColor(theme.border)
        assert image.pixelColor(1, middle) == QColor(theme.border)
        assert image.pixelColor(3, middle) != QColor(theme.border)
    finally:
        app.setStyleSheet(previous)
