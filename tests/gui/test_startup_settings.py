"""Start-up (models, cache, unreadable files), settings, the system prompt, and save order."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import json
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.ui.dialogs.settings_dialog import SettingsDialog, SystemPromptDialog
from tests.helpers.gui_helpers import sidebar_titles
from tests.conftest import close_window, until
from tests.fake_api import Reply, default_models

pytestmark = pytest.mark.asyncio


def visible(window, cls):
    found = [d for d in window.findChildren(cls) if d.isVisible()]
    return found[0] if found else None


async def test_models_come_from_every_page_of_the_models_api(app_factory, fake_api):
    base = default_models()[1]
    extra = []
    for n in range(130):
        model = copy.deepcopy(base)
        model["id"] = f"claude-test-{n:03d}"
        model["display_name"] = f"Claude Test {n:03d}"
        model["created_at"] = "2024-01-01T00:00:00Z"
        extra.append(model)
    fake_api.models = default_models() + extra
    window = await app_factory()
    ids = {m.id for m in window.controller.catalog.models}
    assert len(ids) == 134
    pages = [r for r in fake_api.requests if r.path.startswith("/v1/models")]
    assert len(pages) >= 2  # more than one page was read
    assert window.header.model_picker.count() == 134


async def test_offline_start_uses_cached_models(app_factory, fake_api, data_dir, monkeypatch):
    window = await app_factory()
    cached_ids = [m.id for m in window.controller.catalog.models]
    await close_window(window)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    window = await app_factory(start=False)
    await window.controller.start()
    await until(lambda: "Offline" in window.status_line.text(), message="offline status")
    assert [m.id for m in window.controller.catalog.models] == cached_ids
    assert window.header.model_picker.count() == len(cached_ids)


async def test_first_offline_start_uses_builtin_models(app_factory, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
    window = await app_factory(start=False)
    await window.controller.start()
    await until(lambda: "Offline" in window.status_line.text())
    lines = {m.line for m in window.controller.catalog.models}
    assert {"opus", "sonnet", "haiku"} <= lines
    assert window.controller.model_for(window.controller.current).line == "opus"


async def test_unreadable_history_file_is_set_aside_and_reported(app_factory, fake_api, qtbot, data_dir):
    window = await app_factory()
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "a good conversation")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    await until(lambda: len(window.controller.current.messages) == 2)
    await window.controller.wait_idle()
    await close_window(window)
    broken = data_dir / "conversations" / "conv_broken.json"
    broken.write_text('{"schema": 1, "id": "conv_broken", "messages": [', encoding="utf-8")
    window = await app_factory()
    await until(lambda: window.notice_bar.isVisible(), message="notice about the bad file")
    assert "conv_broken.json" in window.notice_bar.text()
    assert "not valid JSON" in window.notice_bar.text()
    assert not broken.exists()
    aside = list((data_dir / "conversations").glob("conv_broken.json.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_text().endswith('"messages": [')
    assert len(sidebar_titles(window)) == 1  # the good one still loads


async def test_users_words_are_on_disk_before_the_request(app_factory, fake_api, qtbot, data_dir):
    window = await app_factory()
    gate = threading.Event()
    fake_api.enqueue(Reply("late", gate=gate))
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "save me first")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    await until(lambda: len(fake_api.message_requests()) == 1, message="request arrived")
    files = list((data_dir / "conversations").glob("*.json"))
    assert len(files) == 1
    saved = json.loads(files[0].read_text())
    assert saved["messages"][0]["content"][0]["text"] == "save me first"
    gate.set()
    await window.controller.wait_idle()


async def test_settings_dialog_changes_what_is_sent(app_factory, fake_api, qtbot, data_dir):
    window = await app_factory()
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: visible(window, SettingsDialog) is not None, message="settings dialog")
    dialog = visible(window, SettingsDialog)
    dialog.options.max_tokens.setValue(2048)
    dialog.system_prompt.setPlainText("You are terse.")
    sonnet = next(i for i in range(dialog.model.count()) if "Sonnet" in dialog.model.itemText(i))
    dialog.model.setCurrentIndex(sonnet)
    dialog.accept()
    settings_file = data_dir / "config" / "settings.json"
    await until(lambda: settings_file.exists() and '"max_tokens": 2048' in settings_file.read_text(),
                message="settings saved")
    saved = json.loads(settings_file.read_text())
    assert saved["max_tokens"] == 2048 and saved["system_prompt"] == "You are terse."
    # A new conversation starts from the new defaults.
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "hi")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    await until(lambda: fake_api.message_requests())
    await window.controller.wait_idle()
    body = fake_api.message_requests()[-1].body
    assert body["max_tokens"] == 2048
    assert body["system"] == "You are terse."
    assert "sonnet" in body["model"]


async def test_a_message_sent_while_settings_are_being_saved_uses_all_of_them(
        app_factory, fake_api, qtbot, monkeypatch):
    """The new system prompt and limits apply together, even while the file is being written."""
    window = await app_factory()
    controller = window.controller
    store = controller.services.settings_store
    writing, finish = threading.Event(), threading.Event()
    real_save = store.save

    def slow_save(settings):
        writing.set()
        finish.wait(10)
        real_save(settings)

    monkeypatch.setattr(store, "save", slow_save)
    new = dataclasses.replace(controller.settings, max_tokens=3000, system_prompt="Be brief.")
    applying = asyncio.ensure_future(controller.apply_settings(new))
    await until(writing.is_set, message="settings file being written")
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "hi")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    finish.set()
    await applying
    await until(lambda: fake_api.message_requests(), message="request sent")
    body = fake_api.message_requests()[-1].body
    assert body["max_tokens"] == 3000
    assert body["system"] == "Be brief."
    await controller.wait_idle()


async def test_max_tokens_is_capped_by_the_model(app_factory, fake_api, qtbot):
    window = await app_factory()
    window.controller.settings.max_tokens = 10_000_000
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "hi")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    await until(lambda: fake_api.message_requests())
    await window.controller.wait_idle()
    model = window.controller.model_for(window.controller.current)
    assert fake_api.message_requests()[-1].body["max_tokens"] == model.max_tokens
    assert window.controller.current.messages[-1].error is None  # the server accepted it


async def test_system_prompt_dialog_sets_the_conversations_prompt(app_factory, fake_api, qtbot):
    window = await app_factory()
    qtbot.mouseClick(window.header.system_button, Qt.MouseButton.LeftButton)
    await until(lambda: visible(window, SystemPromptDialog) is not None)
    dialog = visible(window, SystemPromptDialog)
    dialog.edit.setPlainText("Reply in French.")
    dialog.accept()
    await until(lambda: window.controller.current.system_prompt == "Reply in French.")
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "hello")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    await until(lambda: fake_api.message_requests())
    await window.controller.wait_idle()
    assert fake_api.message_requests()[-1].body["system"] == "Reply in French."


async def test_ctrl_q_closes_cleanly(app_factory, qtbot):
    window = await app_factory()
    closed = []
    window.closed.connect(lambda: closed.append(True))
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: closed, message="window closed")
    assert not window.isVisible()
    assert QApplication.instance() is not None


async def test_history_from_a_newer_cairn_opens_read_only_and_is_never_written(
    app_factory, fake_api, qtbot, data_dir
):
    folder = data_dir / "conversations"
    folder.mkdir(parents=True, exist_ok=True)
    newer = folder / "conv_future.json"
    newer.write_text(json.dumps({
        "schema": 99, "id": "conv_future", "title": "From the future",
        "created_at": "2030-01-01T00:00:00.000Z", "updated_at": "2030-01-01T00:00:00.000Z",
        "hologram": {"keep": True},
        "messages": [{"id": "msg_1", "role": "user", "content": [{"type": "text", "text": "hi"}]}],
    }), encoding="utf-8")
    before = newer.read_bytes()
    window = await app_factory()
    await until(lambda: window.notice_bar.isVisible())
    assert "newer version" in window.notice_bar.text() and "read-only" in window.notice_bar.text()
    window.controller.select("conv_future")
    assert window.header.title.text() == "From the future"
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "can I write?")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    assert window.composer.text == "can I write?"  # refused, the text is kept
    await window.controller.rename("conv_future", "Renamed")
    await close_window(window)
    assert newer.read_bytes() == before
    assert fake_api.message_requests() == []
