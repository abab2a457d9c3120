"""First-run key dialog, keyring storage, no keyring, and a rejected key."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop_app.storage.key_store import SERVICE, USERNAME
from desktop_app.ui.dialogs.key_dialog import KeyDialog
from tests.conftest import TEST_KEY, until
from tests.fake_api import ApiError

pytestmark = pytest.mark.asyncio


def visible_key_dialog(window):
    dialogs = [d for d in window.findChildren(KeyDialog) if d.isVisible()]
    return dialogs[0] if dialogs else None


async def enter_key(window, qtbot, key: str) -> None:
    await until(lambda: visible_key_dialog(window) is not None, message="key dialog")
    dialog = visible_key_dialog(window)
    assert dialog.field.echoMode() == QLineEdit.EchoMode.Password  # masked
    assert "console.anthropic.com" in dialog.findChildren(type(dialog.reason))[0].text()
    qtbot.keyClicks(dialog.field, key)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)


async def test_first_run_asks_for_key_and_keeps_it_in_keyring(
    app_factory, fake_api, qtbot, memory_keyring, data_dir
):
    window = await app_factory(with_key=False)
    assert window.controller.api_key is None
    await enter_key(window, qtbot, TEST_KEY)
    await until(lambda: window.controller.catalog.from_api, message="models loaded with new key")
    assert memory_keyring.passwords[(SERVICE, USERNAME)] == TEST_KEY
    assert window.sidebar.key_state.text() == "Key: keyring"
    assert TEST_KEY not in window.sidebar.key_state.toolTip()
    assert TEST_KEY[-4:] in window.sidebar.key_state.toolTip()
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert TEST_KEY.encode() not in path.read_bytes(), path
    # Restarting uses the stored key: no dialog.
    from tests.conftest import close_window

    await close_window(window)
    window = await app_factory(with_key=False)
    assert window.controller.api_key == TEST_KEY
    assert visible_key_dialog(window) is None


async def test_environment_key_wins_and_no_dialog(app_factory, memory_keyring):
    memory_keyring.passwords[(SERVICE, USERNAME)] = "sk-ant-stored-other"
    window = await app_factory(with_key=True)
    assert window.controller.api_key == TEST_KEY
    assert window.controller.key_source == "environment"
    assert visible_key_dialog(window) is None
    assert window.composer.edit.hasFocus()


async def test_without_keyring_key_is_kept_for_the_session_only(
    app_factory, fake_api, qtbot, no_keyring, data_dir
):
    window = await app_factory(with_key=False)
    await enter_key(window, qtbot, TEST_KEY)
    await until(lambda: window.notice_bar.isVisible(), message="no-keyring notice")
    assert "keyring" in window.notice_bar.text().lower()
    assert "never written to a file" in window.notice_bar.text()
    assert window.sidebar.key_state.text() == "Key: session"
    await until(lambda: window.controller.catalog.from_api)
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert TEST_KEY.encode() not in path.read_bytes(), path


async def test_rejected_key_brings_the_dialog_back(app_factory, fake_api, qtbot):
    window = await app_factory()
    fake_api.enqueue(ApiError(401, "authentication_error", "invalid x-api-key"))
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "hello")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    await until(lambda: visible_key_dialog(window) is not None, message="dialog after 401")
    dialog = visible_key_dialog(window)
    assert "not accepted" in dialog.reason.text()
    reply = window.controller.current.messages[-1]
    assert reply.error.kind == "authentication" and reply.error.needs_key
    # A new key, then Retry, and the conversation goes on.
    qtbot.keyClicks(dialog.field, TEST_KEY)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    await until(lambda: visible_key_dialog(window) is None)
    await window.controller.wait_idle()
    assert window.controller.retry(reply.id)
    await window.controller.wait_idle()
    assert window.controller.current.messages[-1].text == "Echo: hello"


async def test_cancelling_key_dialog_keeps_typed_text(app_factory, qtbot):
    window = await app_factory(with_key=False)
    await until(lambda: visible_key_dialog(window) is not None)
    visible_key_dialog(window).reject()
    await until(lambda: visible_key_dialog(window) is None)
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "draft")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    assert window.composer.text == "draft"  # not lost
    await until(lambda: visible_key_dialog(window) is not None, message="asked again on send")
