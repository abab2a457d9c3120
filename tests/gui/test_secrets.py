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


MCP_SECRET = "mcp-secret-value-7f3a9c2e51d84b06"


async def test_no_mcp_server_secret_in_any_file_after_a_session_that_used_the_server(
    app_factory, fake_api, qtbot, memory_keyring, data_dir, tmp_path
):
    """A server's environment secret (which the server even prints on its stderr) is kept in
    the keyring, reaches the server, and is in no file, log line, export or notice."""
    from desktop_app.api.mcp_connection import ServerStatus
    from tests.fake_api import Reply, ToolUse
    from tests.helpers.gui_helpers import finished_reply, type_and_send
    from tests.mcp_servers.fixtures import stdio_config

    handler = log_files.install(data_dir / "logs", level=logging.DEBUG)
    shown: list[str] = []
    try:
        window = await app_factory()
        window.controller.notice.connect(shown.append)
        window.controller.settings.tools_auto_approve_read_only = True
        servers = window.controller.tool_servers
        await servers.save([stdio_config("--print-env", "API_TOKEN", name="secretive",
                                         env=[("API_TOKEN", MCP_SECRET)])])
        server_id = servers.configs[0].id
        await servers.start(server_id)
        await until(lambda: servers.state(server_id).status == ServerStatus.READY, timeout=30)
        shown += servers.state(server_id).stderr_tail
        offered = window.controller.tool_rounds.offered_now(window.controller.current)
        echo = next(name for name, spec in offered.items() if spec.tool == "echo")
        call = ToolUse(echo, {"text": "hello"})
        fake_api.enqueue(Reply("Calling.", tool_uses=[call]), Reply("Done."))
        type_and_send(window, qtbot, "use the server")
        await finished_reply(window)
        exports = tmp_path / "exports"
        exports.mkdir()
        shown.append(await window.transfer.export_all(exports / "all.zip"))
        await close_window(window)
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    secret = MCP_SECRET.encode()
    files = [p for p in [*data_dir.rglob("*"), *exports.rglob("*")] if p.is_file()]
    assert any(p.name == "mcp_servers.json" for p in files)
    for path in files:
        assert secret not in path.read_bytes(), path
    with zipfile.ZipFile(exports / "all.zip") as archive:
        for name in archive.namelist():
            assert secret not in archive.read(name), name
    for text in shown:
        assert MCP_SECRET not in text, text
    assert any(MCP_SECRET in value for value in memory_keyring.passwords.values())
