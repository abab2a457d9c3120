"""Claude's own tools as a person turns them on: the defaults in Settings -> Claude's tools are
saved and come back after a restart; a conversation's own choice (its options dialog) is what
its next request offers, and the header chip says which tools are on; what the API would
refuse (a wrong site name, an empty list, a made-up country or time zone) is refused with the
reason under the field; a model that cannot use a tool has it greyed, with the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.ui.dialogs.options_form import ConversationOptionsDialog
from desktop_app.ui.dialogs.settings_dialog import SettingsDialog
from tests.conftest import close_window, until
from tests.fake_api import Reply, default_models
from tests.helpers.gui_helpers import finished_reply, type_and_send

pytestmark = pytest.mark.asyncio


def visible(window, cls):
    return next((d for d in window.findChildren(cls) if d.isVisible()), None)


def saved_settings(data_dir: Path) -> dict:
    path = data_dir / "config" / "settings.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


async def open_tab(window, qtbot) -> SettingsDialog:
    """Settings (Ctrl+,) on its "Claude's tools" tab."""
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: visible(window, SettingsDialog), message="settings")
    dialog = visible(window, SettingsDialog)
    index = next(i for i in range(dialog.tabs.count())
                 if dialog.tabs.tabText(i) == "Claude's tools")
    dialog.tabs.setCurrentIndex(index)
    await until(dialog.server_tools.isVisible)
    return dialog


async def open_options(window) -> ConversationOptionsDialog:
    """The conversation's options (the header chip), on its "Claude's tools" tab."""
    window.header.options_chip.click()
    await until(lambda: visible(window, ConversationOptionsDialog), message="options")
    dialog = visible(window, ConversationOptionsDialog)
    dialog.tabs.setCurrentWidget(dialog.server_tools.parentWidget())
    await until(dialog.server_tools.isVisible)
    return dialog


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton,
                     pos=widget.rect().topLeft() + widget.rect().center() / 4)


def type_into(qtbot, field, text: str) -> None:
    """Type ``text`` into a line edit as a user does, then leave it (Tab)."""
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Tab)


def choose(combo, value: str) -> None:
    combo.setCurrentIndex(combo.findData(value))


def press_save(dialog) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    box = dialog.findChild(QDialogButtonBox)
    box.button(QDialogButtonBox.StandardButton.Save).click()


def tool_types(request) -> list[str]:
    return [tool.get("type", "") for tool in request.body.get("tools") or []]


# -- the defaults --------------------------------------------------------------------------

async def test_defaults_chosen_in_settings_are_saved_and_come_back(
    app_factory, qtbot, data_dir
):
    window = await app_factory()
    dialog = await open_tab(window, qtbot)
    form = dialog.server_tools.tools
    assert not form.web_search.isChecked() and not form.max_uses.isEnabled()  # off by default
    assert not form.location.isChecked()
    click(qtbot, form.web_search)
    assert form.max_uses.isEnabled() and not form.domains.isEnabled()  # "Any site": no list
    form.max_uses.setValue(3)
    choose(form.domains_mode, "except")
    type_into(qtbot, form.domains, "Pinterest.com, https://www.quora.com/")
    click(qtbot, form.location)
    type_into(qtbot, form.city, "Lyon")
    type_into(qtbot, form.country, "fr")
    type_into(qtbot, form.timezone, "Europe/Paris")
    click(qtbot, form.web_fetch)
    click(qtbot, form.fetch_citations)  # on by default: now off
    form.fetch_limit.setValue(20_000)
    click(qtbot, form.code_execution)
    assert not form.domains_problem.isVisible() and not form.location_problem.isVisible()
    press_save(dialog)
    await until(lambda: saved_settings(data_dir).get("server_tools", {}).get("web_search"),
                message="saved")
    expected = {
        "web_search": True, "search_max_uses": 3, "domains_mode": "except",
        "domains": ["pinterest.com", "www.quora.com"], "location": True, "city": "Lyon",
        "region": "", "country": "FR", "timezone": "Europe/Paris", "web_fetch": True,
        "fetch_citations": False, "fetch_max_content_tokens": 20_000, "code_execution": True,
    }
    assert saved_settings(data_dir)["server_tools"] == expected
    # New conversations follow them: the chip says so.
    await until(lambda: window.header.options_chip.wording(0).endswith(
        " · Search · Fetch · Code"), message="the chip says which tools are on")

    await close_window(window)
    window = await app_factory()  # Cairn started again over the same data
    assert window.controller.settings.server_tools.to_json() == expected
    dialog = await open_tab(window, qtbot)
    form = dialog.server_tools.tools
    assert form.web_search.isChecked() and form.max_uses.value() == 3
    assert form.domains_mode.currentData() == "except"
    assert form.domains.text() == "pinterest.com, www.quora.com"
    assert form.location.isChecked() and form.city.text() == "Lyon"
    assert (form.country.text(), form.timezone.text()) == ("FR", "Europe/Paris")
    assert form.web_fetch.isChecked() and not form.fetch_citations.isChecked()
    assert form.fetch_limit.value() == 20_000 and form.code_execution.isChecked()
    dialog.reject()


async def test_what_the_api_would_refuse_is_not_saved_and_the_reason_is_said(
    app_factory, qtbot, data_dir
):
    window = await app_factory()
    dialog = await open_tab(window, qtbot)
    form = dialog.server_tools.tools
    click(qtbot, form.web_search)
    choose(form.domains_mode, "only")
    form.domains.setFocus()
    qtbot.keyClicks(form.domains, "example.com, localhost:8080")
    assert not form.domains_problem.isVisible()  # not while typing
    qtbot.keyClick(form.domains, Qt.Key.Key_Tab)
    await until(form.domains_problem.isVisible, message="said once the field is left")
    assert form.domains_problem.text().startswith("Not a site name: localhost:8080.")

    press_save(dialog)
    assert dialog.isVisible(), "saved with a site name the API would refuse"
    assert dialog.tabs.currentWidget() is dialog.server_tools.parentWidget()
    await until(lambda: QApplication.focusWidget() is form.domains, message="to fix")
    assert "server_tools" not in saved_settings(data_dir)

    form.domains.clear()  # never an empty list
    assert form.domains_problem.text().startswith(
        "List at least one site, or choose “Any site”")
    press_save(dialog)
    assert dialog.isVisible()

    type_into(qtbot, form.domains, "example.com")
    assert not form.domains_problem.isVisible()
    click(qtbot, form.location)
    type_into(qtbot, form.country, "XX")
    assert form.location_problem.text() == (
        "“XX” is not a country code: two letters, such as FR or US.")
    type_into(qtbot, form.country, "JP")
    type_into(qtbot, form.timezone, "Mars/Olympus_Mons")
    assert form.location_problem.text().startswith(
        "“Mars/Olympus_Mons” is not a time zone name")
    press_save(dialog)
    assert dialog.isVisible()
    await until(lambda: QApplication.focusWidget() is form.timezone, message="to fix")
    type_into(qtbot, form.timezone, "Asia/Tokyo")
    assert not form.location_problem.isVisible()
    press_save(dialog)
    await until(lambda: "server_tools" in saved_settings(data_dir), message="saved now")
    saved = saved_settings(data_dir)["server_tools"]
    assert (saved["domains_mode"], saved["domains"]) == ("only", ["example.com"])
    assert (saved["country"], saved["timezone"]) == ("JP", "Asia/Tokyo")


async def test_a_location_turned_on_needs_something_to_send(app_factory, qtbot):
    window = await app_factory()
    dialog = await open_options(window)
    form = dialog.server_tools
    click(qtbot, form.web_search)
    click(qtbot, form.location)
    press_save(dialog)
    assert dialog.isVisible()
    assert form.location_problem.text().startswith(
        "Fill in at least one of city, region, country or time zone")
    click(qtbot, form.location)  # off again: nothing to fill in
    assert not form.location_problem.isVisible()
    press_save(dialog)
    await until(lambda: window.controller.current.options.get("server_tools"), message="saved")
    assert window.controller.current.options["server_tools"] == {"web_search": True}
    await until(lambda: window.header.options_chip.wording(0).endswith(" · Search"))


# -- one conversation ------------------------------------------------------------------------

async def test_a_conversations_own_choice_is_offered_in_its_next_request(
    app_factory, fake_api, qtbot
):
    window = await app_factory()
    controller, chip = window.controller, window.header.options_chip
    conversation = controller.current
    assert "Search" not in chip.wording(0) and "Claude's tools" not in chip.toolTip()
    dialog = await open_options(window)
    form = dialog.server_tools
    click(qtbot, form.web_search)
    form.max_uses.setValue(2)
    click(qtbot, form.code_execution)
    press_save(dialog)
    await until(lambda: "server_tools" in conversation.options, message="its own choice")
    # Only what differs from Settings is the conversation's own.
    assert conversation.options["server_tools"] == {
        "web_search": True, "search_max_uses": 2, "code_execution": True}
    assert not controller.settings.server_tools.web_search  # the defaults are untouched
    assert chip.wording(0).endswith(" · Search · Code")
    assert chip.wording(chip.levels - 1) == "Search · Code"  # what a narrow header keeps
    assert "Claude's tools: web search, code execution" in chip.toolTip()

    fake_api.enqueue(Reply("Here is what I found."))
    type_and_send(window, qtbot, "Look it up")
    await finished_reply(window)
    (request,) = fake_api.message_requests()
    tools = request.body["tools"]
    assert [tool["name"] for tool in tools] == ["web_search", "code_execution"]
    assert tool_types(request)[0].startswith("web_search_")
    assert tool_types(request)[1].startswith("code_execution_")
    assert tools[0]["max_uses"] == 2
    assert not any(key in tools[0] for key in ("allowed_domains", "blocked_domains",
                                               "user_location"))

    # "Use defaults" forgets it: the next request offers none of them.
    dialog = await open_options(window)
    assert dialog.server_tools.web_search.isChecked()
    dialog.reset_button.click()
    await until(lambda: "server_tools" not in conversation.options, message="forgotten")
    await until(lambda: "Search" not in chip.wording(0), message="the chip follows")
    fake_api.enqueue(Reply("Plain answer."))
    type_and_send(window, qtbot, "Again")
    await until(lambda: len(fake_api.message_requests()) == 2, message="second request")
    await finished_reply(window)
    assert "tools" not in fake_api.message_requests()[-1].body


# -- a model that cannot use them --------------------------------------------------------------

async def pick_model(window, name: str) -> None:
    """Choose the model in the header's picker, as a user does."""
    picker = window.header.model_picker
    index = next(i for i in range(picker.count()) if name in picker.itemText(i))
    picker.setCurrentIndex(index)
    picker.activated.emit(index)
    await until(lambda: window.controller.current.model == picker.itemData(index))


async def test_a_model_without_web_search_has_it_greyed_with_the_reason(
    app_factory, fake_api, qtbot, data_dir
):
    models = default_models()
    haiku = next(m for m in models if m["id"] == "claude-haiku-4-5")
    haiku["capabilities"]["server_tools"]["web_search"] = {"supported": False}
    fake_api.models = models
    (data_dir / "config").mkdir()
    (data_dir / "config" / "settings.json").write_text(json.dumps(
        {"server_tools": {"web_search": True, "code_execution": True}}), "utf-8")
    window = await app_factory()
    controller = window.controller
    assert window.header.options_chip.wording(0).endswith(" · Search · Code")
    await pick_model(window, "Haiku")
    chip = window.header.options_chip
    assert chip.wording(0).endswith(" · Code"), chip.wording(0)  # not "Search" on this model
    assert "Claude's tools: code execution" in chip.toolTip()

    dialog = await open_options(window)
    form = dialog.server_tools
    assert not form.web_search.isEnabled() and not form.web_search.isChecked()
    assert not form.web_fetch.isEnabled()
    assert form.web_search.toolTip() == "Claude Haiku 4.5 cannot use web search."
    assert "Claude Haiku 4.5 cannot use web search and web fetch." in form.note.text()
    assert form.code_execution.isEnabled() and form.code_execution.isChecked()
    assert not form.max_uses.isEnabled()
    press_save(dialog)
    await until(lambda: not dialog.isVisible(), message="saved")
    # The wish survives: on a model that has web search, it is on again.
    assert "web_search" not in controller.current.options.get("server_tools", {})
    await pick_model(window, "Opus 4.7")
    assert window.header.options_chip.wording(0).endswith(" · Search · Code")
    dialog = await open_options(window)
    assert dialog.server_tools.web_search.isEnabled()
    assert dialog.server_tools.web_search.isChecked()
    dialog.reject()
