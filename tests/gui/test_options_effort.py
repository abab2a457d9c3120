"""The options form offers effort wherever the model has effort control, also beside a
thinking budget, and what is picked there is what the request sends."""

from __future__ import annotations

from typing import Any

from desktop_app.core.catalog import ModelInfo
from desktop_app.core.conversation import Conversation
from desktop_app.core.options import ChatOptions
from desktop_app.core.request import build_request
from desktop_app.ui.dialogs.options_form import OptionsForm
from tests.fake_api import _capabilities, default_models


def budget_model_with_effort() -> ModelInfo:
    """Effort low/medium/high and budget thinking only, as Claude Opus 4.5 has."""
    data = {**default_models()[0], "id": "claude-effort-budget",
            "display_name": "Claude with effort and budget", "max_tokens": 64_000,
            "capabilities": _capabilities(adaptive=False, enabled=True, between_tools=False,
                                          effort=("low", "medium", "high"), compact=False)}
    return ModelInfo.from_api(data)


def test_effort_is_offered_beside_a_thinking_budget_and_sent(qtbot: Any) -> None:
    model = budget_model_with_effort()
    form = OptionsForm()
    qtbot.addWidget(form)
    form.set_options(ChatOptions(effort="medium", budget_tokens=4_096))
    form.set_model(model)
    form.show()
    assert form.effort.isVisibleTo(form) and form.budget.isVisibleTo(form)
    assert [form.effort.itemData(i) for i in range(form.effort.count())] == [
        "low", "medium", "high"]
    assert form.effort.currentData() == "medium"
    form.effort.setCurrentIndex(form.effort.findData("low"))
    conversation = Conversation()
    conversation.add_user_message("Hello")
    sent = build_request(conversation, form.options(), model).kwargs
    assert sent["thinking"] == {"type": "enabled", "budget_tokens": 4_096}
    assert sent["output_config"] == {"effort": "low"}


def test_effort_stays_choosable_with_thinking_off(qtbot: Any) -> None:
    """Effort is sent with thinking off too, so its picker stays usable; the budget does not."""
    model = budget_model_with_effort()
    form = OptionsForm()
    qtbot.addWidget(form)
    form.set_options(ChatOptions(thinking="off", effort="high"))
    form.set_model(model)
    form.show()
    assert not form.thinking.isChecked()
    assert form.effort.isEnabled() and not form.budget.isEnabled()
    form.effort.setCurrentIndex(form.effort.findData("low"))
    conversation = Conversation()
    conversation.add_user_message("Hello")
    sent = build_request(conversation, form.options(), model).kwargs
    assert sent["output_config"] == {"effort": "low"}
