"""A whole session that sets, uses and changes the API key, exports everything and meets a
rejected key: afterwards neither key is in any file under the data and config folders, in
any log line, in any export (archive entries included) or in any message the user saw."""

from __future__ import annotations

import logging
import zipfile

import pytest
from PySide6.QtCore import Qt

from desktop_app.storage import log_files
from tests.conftest import close_window, until
from tests.helpers.gui_helpers import chat_with
from tests.gui.test_key import enter_key, visible_key_dialog

pytestmark = pytest.mark.asyncio

FIRST_KEY = "sk-ant-api03-FIRSTsecretKEYfirstSECRETkey0123456789abcdefFIRST-AA"
SECOND_KEY = "sk-ant-api03-SECONDsecretKEYsecondSECRETkey9876543210fedcbaSECOND-BB"


def leaks(data: bytes) -> list[str]:
    """Which keys (or their long middles, in case of partial masking) appear in ``data``."""
    found = []
    for key in (FIRST_KEY, SECOND_KEY):
        for piece in (key, key[14:-6]):
            if piece.encode() in data:
                found.append(piece)
    return found


async def test_no_key_anywhere_after_a_session_that_set_used_and_changed_it(
    app_factory, fake_api, qtbot, memory_keyring, data_dir, tmp_path
):
    handler = log_files.install(data_dir / "logs", level=logging.DEBUG)
    shown: list[str] = []
    try:
        fake_api.api_key = FIRST_KEY
        window = await app_factory(with_key=False)
        window.controller.notice.connect(shown.append)
        window.controller.status_changed.connect(shown.append)
        await enter_key(window, qtbot, FIRST_KEY)
        await until(lambda: window.controller.catalog.from_api, message="models with the key")
        conversation = await chat_with(window, qtbot, "first question")
        # The key is revoked: the API refuses it, the dialog comes back, a new key is entered.
        fake_api.api_key = SECOND_KEY
        await chat_with(window, qtbot, "second question")
        failed = window.controller.current.messages[-1]
        assert failed.error is not None and failed.error.needs_key
        shown += [failed.error.message, visible_key_dialog(window).reason.text()]
        qtbot.keyClicks(visible_key_dialog(window).field, SECOND_KEY)
        qtbot.keyClick(visible_key_dialog(window).field, Qt.Key.Key_Return)
        await until(lambda: visible_key_dialog(window) is None)
        assert window.controller.retry(failed.id)
        await window.controller.wait_idle()
        assert window.controller.current.messages[-1].text == "Echo: second question"
        shown += [window.sidebar.key_state.text(), window.sidebar.key_state.toolTip()]
        # Export everything there is to export.
        exports = tmp_path / "exports"
        exports.mkdir()
        shown.append(await window.transfer.export_conversation(
            conversation.id, "json", exports / "c.json"))
        shown.append(await window.transfer.export_conversation(
            conversation.id, "markdown", exports / "c.md"))
        shown.append(await window.transfer.export_all(exports / "all.zip"))
        await close_window(window)
    finally:
        if handler is not None:
            logging.getLogger().removeHandler(handler)
            handler.close()

    files = [p for p in [*data_dir.rglob("*"), *(tmp_path / "exports").rglob("*")] if p.is_file()]
    logs = [p for p in files if p.parent.name == "logs"]
    assert logs, "the session wrote a log"
    for path in logs:  # what the user wrote and what Claude said stay out of the logs too
        content = path.read_bytes()
        assert b"first question" not in content and b"Echo: second" not in content, path
    for path in files:
        assert leaks(path.read_bytes()) == [], path
    with zipfile.ZipFile(tmp_path / "exports" / "all.zip") as archive:
        for name in archive.namelist():
            assert leaks(archive.read(name)) == [], name
    for text in shown:
        assert leaks(text.encode()) == [], text
    assert memory_keyring.passwords  # the key lives in the keyring, and only there
