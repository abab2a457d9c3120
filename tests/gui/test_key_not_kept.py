"""A keyring that accepts the key and keeps nothing (keyring's null backend): Cairn must not
say the key is kept in the system keyring (issue 17)."""

from __future__ import annotations

import keyring
import keyring.backends.null
import pytest

from tests.conftest import TEST_KEY, close_window, until
from tests.gui.test_key import enter_key, visible_key_dialog

pytestmark = pytest.mark.asyncio


async def test_a_keyring_that_keeps_nothing_is_not_called_the_system_keyring(
    app_factory, fake_api, qtbot, data_dir
):
    keyring.set_keyring(keyring.backends.null.Keyring())  # the conftest puts its own back
    window = await app_factory(with_key=False)
    await enter_key(window, qtbot, TEST_KEY)
    await until(lambda: window.notice_bar.isVisible(), message="the key-not-kept notice")
    notice = window.notice_bar.text()
    assert "did not keep it" in notice and "never written to a file" in notice
    assert TEST_KEY not in notice
    assert window.sidebar.key_state.text() == "Key: session"
    assert "system keyring" not in window.sidebar.key_state.toolTip()
    await until(lambda: window.controller.catalog.from_api, message="the key works meanwhile")
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert TEST_KEY.encode() not in path.read_bytes(), path
    await close_window(window)
    window = await app_factory(with_key=False)
    await until(lambda: visible_key_dialog(window) is not None, message="asked again next time")
