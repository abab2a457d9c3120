"""Settings -> MCP servers and Tools, and a conversation's own tools, as a person uses them:
a local server added through the dialog becomes "Ready" with its tools (a real MCP server,
``tests/mcp_servers/stdio_server.py``), Restart restarts it, a server that cannot start says
why and shows what it wrote to stderr, Claude Desktop's config is imported (hostile entries
reported, not added), secrets typed in the dialog end up in the keyring and in no file, the
form says what is wrong before saving, an "always allowed" tool is revoked, and the default
and per-conversation choice of tools are kept (and "Use defaults" forgets the latter)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox
from shiboken6 import isValid

from desktop_app.api.mcp_connection import ServerStatus
from desktop_app.core.mcp_servers import McpServerConfig, Transport, new_server_id
from desktop_app.ui.dialogs.mcp_import_dialog import ImportPreviewDialog
from desktop_app.ui.dialogs.mcp_server_dialog import McpServerDialog
from desktop_app.ui.dialogs.options_form import ConversationOptionsDialog
from desktop_app.ui.dialogs.secret_pairs_table import MASK, NAME, VALUE
from desktop_app.ui.dialogs.server_details_dialog import ServerDetailsDialog
from desktop_app.ui.dialogs.server_list import STATE
from desktop_app.ui.dialogs.settings_dialog import SettingsDialog
from desktop_app.ui.session.tool_rounds import SELECTION_OPTION
from tests.conftest import close_window, until

pytestmark = pytest.mark.asyncio

STDIO_SERVER = Path(__file__).resolve().parents[1] / "mcp_servers" / "stdio_server.py"
START_SECONDS = 30  # a fresh Python importing the MCP SDK on a busy machine


def gone(dialog: QDialog) -> bool:
    """Closed (and perhaps already deleted, as a dialog made for one question is)."""
    return not isValid(dialog) or not dialog.isVisible()


def visible(window, cls):
    return next((d for d in window.findChildren(cls) if d.isVisible()), None)


async def open_settings(window, qtbot, tab: str) -> SettingsDialog:
    """Settings opened with Ctrl+, on ``tab`` ("servers" or "tools")."""
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: visible(window, SettingsDialog), message="settings")
    dialog = visible(window, SettingsDialog)
    page = dialog.servers_tab if tab == "servers" else dialog.tools
    dialog.tabs.setCurrentWidget(page.parentWidget())
    await until(page.isVisible)
    return dialog


async def open_server_dialog(window, button) -> McpServerDialog:
    button.click()
    await until(lambda: visible(window, McpServerDialog), message="server dialog")
    return visible(window, McpServerDialog)


async def add_local_server(window, qtbot, dialog: SettingsDialog, name: str,
                           arguments: str) -> str:
    """Add… a local server: the test server run by this Python with ``arguments`` after the
    script's path; returns its id once the dialog has closed."""
    before = {c.id for c in window.controller.tool_servers.configs}
    form = await open_server_dialog(window, dialog.servers_tab.add_button)
    qtbot.keyClicks(form.name, name)
    qtbot.keyClicks(form.command, sys.executable)
    form.arguments.setFocus()
    qtbot.keyClicks(form.arguments, f"{STDIO_SERVER} {arguments}".strip())
    form.save_button.click()
    await until(lambda: gone(form), message="the server dialog closes")
    (added,) = {c.id for c in window.controller.tool_servers.configs} - before
    return added


def saved_settings(data_dir: Path) -> dict:
    path = data_dir / "config" / "settings.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def state_cell(dialog: SettingsDialog, server_id: str) -> str:
    return dialog.servers_tab.server_list.row_for(server_id).text(STATE)


# -- a local server ------------------------------------------------------------------------

async def test_a_local_server_added_in_the_dialog_becomes_ready_with_its_tools(
    app_factory, qtbot, data_dir
):
    window = await app_factory()
    servers = window.controller.tool_servers
    dialog = await open_settings(window, qtbot, "servers")
    server_id = await add_local_server(window, qtbot, dialog, "Test tools", "")

    await until(lambda: servers.state(server_id).status is ServerStatus.READY,
                timeout=START_SECONDS, message="the server is ready")
    tools = servers.state(server_id).tools
    assert {"echo", "fail", "sleep", "picture"} <= {t.name for t in tools}
    assert state_cell(dialog, server_id) == f"Ready · {len(tools)} tools"
    assert dialog.servers_tab.state_line.text() == (
        f"“Test tools” is ready with {len(tools)} tools.")
    assert not dialog.servers_tab.details_button.isVisible()
    # The tools reach the default choice on the Tools tab, each offered, read-only marked.
    tree = dialog.tools.tree
    echo = tree.item_for(server_id, "echo")
    assert echo is not None and echo.checkState(0) == Qt.CheckState.Checked
    assert echo.text(1) == "read-only"
    assert tree.item_for(server_id, "fail").text(1) == ""
    # Kept: the file names the server (the arguments as typed, split like a shell).
    saved = json.loads((data_dir / "config" / "mcp_servers.json").read_text("utf-8"))
    (entry,) = saved["servers"]
    assert (entry["name"], entry["command"], entry["args"]) == (
        "Test tools", sys.executable, [str(STDIO_SERVER)])
    dialog.reject()


async def test_restart_from_the_list_starts_the_server_again(app_factory, qtbot):
    window = await app_factory()
    servers = window.controller.tool_servers
    dialog = await open_settings(window, qtbot, "servers")
    server_id = await add_local_server(window, qtbot, dialog, "Restartable", "")
    await until(lambda: servers.state(server_id).status is ServerStatus.READY,
                timeout=START_SECONDS, message="first start")
    seen: list[ServerStatus] = []
    servers.state_changed.connect(lambda sid: seen.append(servers.state(sid).status))
    shown: list[str] = []
    dialog.servers_tab.server_list.itemChanged.connect(
        lambda item, column: shown.append(item.text(STATE)) if column == STATE else None)

    dialog.servers_tab.server_list.select_server(server_id)
    dialog.servers_tab.restart_button.click()
    await until(lambda: ServerStatus.STARTING in seen, message="it starts again")
    await until(lambda: servers.state(server_id).status is ServerStatus.READY,
                timeout=START_SECONDS, message="ready again")
    assert seen.index(ServerStatus.STARTING) < len(seen) - 1  # and it got past starting
    assert "Starting…" in shown  # the list said so meanwhile
    assert state_cell(dialog, server_id).startswith("Ready · ")
    dialog.reject()


async def test_a_server_that_cannot_start_says_why_and_shows_its_stderr(app_factory, qtbot):
    window = await app_factory()
    servers = window.controller.tool_servers
    dialog = await open_settings(window, qtbot, "servers")
    server_id = await add_local_server(
        window, qtbot, dialog, "Broken",
        "--exit-at-start 'ModuleNotFoundError: No module named widgets'")
    await until(lambda: servers.state(server_id).status is ServerStatus.FAILED,
                timeout=START_SECONDS, message="the server fails")
    tab = dialog.servers_tab
    assert state_cell(dialog, server_id) == "Failed"
    assert tab.state_line.text().startswith("“Broken” failed: ")
    assert len(tab.state_line.text()) > len("“Broken” failed: ") + 5  # a reason, not nothing
    assert tab.details_button.isVisible()

    tab.details_button.click()
    await until(lambda: visible(window, ServerDetailsDialog), message="details")
    details = visible(window, ServerDetailsDialog)
    assert "No module named widgets" in details.output.toPlainText()
    assert details.output.isVisible()
    details.copy_button.click()
    assert "No module named widgets" in QApplication.clipboard().text()
    details.reject()
    dialog.reject()


# -- the form ------------------------------------------------------------------------------

async def test_the_server_form_says_what_is_wrong_and_stays_open(app_factory, qtbot):
    window = await app_factory()
    await window.controller.tool_servers.save([McpServerConfig(
        id=new_server_id(), name="First", transport=Transport.STDIO, command="uvx",
        enabled=False)])
    dialog = await open_settings(window, qtbot, "servers")
    form = await open_server_dialog(window, dialog.servers_tab.add_button)

    form.save_button.click()  # nothing filled in
    assert form.isVisible() and form.problem.isVisible()
    assert form.problem.text().splitlines() == [
        "Give the server a name.", "Enter the command that starts the server."]
    qtbot.keyClicks(form.name, "first")  # the same name, other case
    qtbot.keyClicks(form.command, "uvx")
    form.arguments.setFocus()
    qtbot.keyClicks(form.arguments, "server 'unclosed")
    assert form.arguments_reading.text() == "A quote is not closed."
    form.save_button.click()
    assert form.problem.text().splitlines() == [
        "Another server is already called “first”.",
        "The arguments have a quote that is not closed."]

    form.remote.click()  # a remote server: its address is checked instead
    qtbot.keyClicks(form.url, "ftp://example.com/mcp")
    form.name.clear()
    qtbot.keyClicks(form.name, "Remote")
    form.save_button.click()
    assert form.isVisible()
    assert form.problem.text() == "The address must start with http:// or https://."
    assert len(window.controller.tool_servers.configs) == 1
    form.reject()
    dialog.reject()


async def test_arguments_are_read_per_line_or_split_as_a_shell_would(app_factory, qtbot):
    window = await app_factory()
    dialog = await open_settings(window, qtbot, "servers")
    form = await open_server_dialog(window, dialog.servers_tab.add_button)
    form.arguments.setPlainText("-y @scope/server '/home/me/My Documents'")
    assert form.arguments_reading.text() == (
        "Split as a shell would, into 3 arguments: ‹-y›  ‹@scope/server›  "
        "‹/home/me/My Documents›")
    form.arguments.setPlainText("-y\n/home/me/My Documents\n")
    assert form.arguments_reading.text() == "Read as one argument per line: 2 arguments."
    assert form.config().args == ("-y", "/home/me/My Documents")
    form.reject()
    dialog.reject()


# -- secrets -------------------------------------------------------------------------------

SECRET_ENV = "sk-live-ENVsecret-0123456789abcdef"
SECRET_HEADER = "Bearer HEADERsecret-fedcba9876543210"


async def test_secrets_typed_in_the_dialog_are_in_the_keyring_and_in_no_file(
    app_factory, qtbot, data_dir, memory_keyring
):
    window = await app_factory()
    dialog = await open_settings(window, qtbot, "servers")
    form = await open_server_dialog(window, dialog.servers_tab.add_button)
    qtbot.keyClicks(form.name, "With a key")
    qtbot.keyClicks(form.command, sys.executable)
    form.arguments.setPlainText(str(STDIO_SERVER))
    table = form.environment.table
    form.environment.add_button.click()  # a new row, its name being edited
    qtbot.keyClicks(QApplication.focusWidget(), "API_KEY")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # on to the value's editor
    editor = QApplication.focusWidget()
    assert table.currentColumn() == VALUE
    assert editor.echoMode() == editor.EchoMode.Password  # masked while typed
    qtbot.keyClicks(editor, SECRET_ENV)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    await until(lambda: form.environment.pairs() == (("API_KEY", SECRET_ENV),))
    assert form.environment.shown_value(0) == MASK  # on screen, masked
    form.environment.show_values.click()
    assert form.environment.shown_value(0) == SECRET_ENV  # until asked for
    form.save_button.click()
    await until(lambda: gone(form))

    form = await open_server_dialog(window, dialog.servers_tab.add_button)
    qtbot.keyClicks(form.name, "Remote with a token")
    form.remote.click()
    qtbot.keyClicks(form.url, "http://127.0.0.1:9/mcp")  # nothing listens: no network
    row = form.headers.add_row()
    form.headers.table.item(row, NAME).setText("Authorization")
    form.headers.table.item(row, VALUE).setText(SECRET_HEADER)
    form.save_button.click()
    await until(lambda: gone(form))
    await until(lambda: len(window.controller.tool_servers.configs) == 2)
    dialog.accept()
    await until(lambda: gone(dialog))
    await window.controller.tool_servers.shutdown()

    kept = " ".join(memory_keyring.passwords.values())
    assert SECRET_ENV in kept and SECRET_HEADER in kept
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "mcp_servers.json" for p in files)
    for path in files:
        data = path.read_bytes()
        for secret in (SECRET_ENV, SECRET_HEADER, SECRET_ENV[8:-4], SECRET_HEADER[7:-4]):
            assert secret.encode() not in data, f"{secret!r} in {path}"
    saved = json.loads((data_dir / "config" / "mcp_servers.json").read_text("utf-8"))
    assert [s.get("env") or s.get("headers") for s in saved["servers"]] == [
        ["API_KEY"], ["Authorization"]]


# -- Claude Desktop ------------------------------------------------------------------------

CLAUDE_CONFIG = {
    "globalShortcut": "Ctrl+Space",
    "mcpServers": {
        # Commands that do not exist here: imported servers are started, and must fail fast.
        "filesystem": {"command": "/nonexistent/mcp-filesystem", "args": ["/home/me/Desktop"]},
        "github": {"command": "/nonexistent/docker", "args": ["run", "-i", "ghcr.io/github/mcp"],
                   "env": {"GITHUB_TOKEN": "ghp_importedSECRET123"}},
        "linear": {"command": "npx", "args": ["-y", "mcp-remote", "http://127.0.0.1:9/sse"]},
        "Already here": {"command": "uvx", "args": ["something"]},
        "broken args": {"command": "node", "args": "server.js --port 1"},
        "no command": {"env": {"A": "b"}},
        "not an entry": ["node", "server.js"],
        "websocket": {"type": "ws", "command": "ws-bridge"},
    },
}


async def test_import_from_claude_desktop_adds_the_good_servers_and_says_why_not_the_rest(
    app_factory, qtbot, monkeypatch, tmp_path, data_dir, memory_keyring
):
    # Where Claude Desktop keeps its config on Linux: found without asking.
    config_home = Path(tmp_path / "home" / "xdg_config_home" / "Claude")
    config_home.mkdir(parents=True)
    (config_home / "claude_desktop_config.json").write_text(json.dumps(CLAUDE_CONFIG), "utf-8")
    previews: list[ImportPreviewDialog] = []
    window = await app_factory()
    await window.controller.tool_servers.save([McpServerConfig(
        id=new_server_id(), name="Already here", transport=Transport.STDIO, command="uvx",
        enabled=False)])
    dialog = await open_settings(window, qtbot, "servers")

    original = ImportPreviewDialog.open
    monkeypatch.setattr(ImportPreviewDialog, "open",
                        lambda self: (previews.append(self), original(self))[1])
    dialog.servers_tab.import_button.click()
    await until(lambda: previews and previews[0].isVisible(), message="the preview")
    preview = previews[0]
    to_add = [preview.added_group.child(i).text(0)
              for i in range(preview.added_group.childCount())]
    skipped = {preview.skipped_group.child(i).text(0): preview.skipped_group.child(i).text(1)
               for i in range(preview.skipped_group.childCount())}
    assert to_add == ["filesystem", "github", "linear"]
    assert skipped == {
        "Already here": "A server of this name is already in the list.",
        "broken args": "“broken args”: its “args” cannot be used.",
        "no command": "“no command”: neither a command nor an address.",
        "not an entry": "“not an entry”: not a server entry.",
        "websocket": "“websocket”: servers of type “ws” are not supported.",
    }
    assert preview.notes.text() == (
        "“linear” ran mcp-remote for http://127.0.0.1:9/sse; Cairn connects to that address "
        "itself.")
    assert preview.add_button.text() == "Add 3 servers"
    preview.add_button.click()

    servers = window.controller.tool_servers
    await until(lambda: len(servers.configs) == 4, message="three servers added")
    names = [c.name for c in servers.configs]
    assert names == ["Already here", "filesystem", "github", "linear"]
    linear = servers.configs[3]
    assert linear.remote and linear.url == "http://127.0.0.1:9/sse"
    rows = [dialog.servers_tab.server_list.topLevelItem(i).text(0) for i in range(4)]
    assert rows == names
    # Each is started at once and shows how that went (nothing runs here: they fail).
    for config in servers.configs[1:]:
        await until(lambda: servers.state(config.id).status is ServerStatus.FAILED,
                    timeout=START_SECONDS, message=f"{config.name} tried")
        assert state_cell(dialog, config.id) == "Failed"
    # The imported token went to the keyring, not to Cairn's file.
    assert "ghp_importedSECRET123" in " ".join(memory_keyring.passwords.values())
    assert b"ghp_importedSECRET123" not in (data_dir / "config" / "mcp_servers.json").read_bytes()
    dialog.reject()


async def test_import_asks_for_the_file_when_claude_desktop_has_none(
    app_factory, qtbot, monkeypatch, tmp_path
):
    path = tmp_path / "elsewhere.json"
    path.write_text('{"mcpServers": {"one": {"command": "/nonexistent/one", "args": ["x"]}}}',
                    "utf-8")
    asked: list[QDialog] = []

    async def answer(dialog):  # the user picks the file, then adds what it holds
        asked.append(dialog)
        if isinstance(dialog, QFileDialog):
            dialog.selectedFiles = lambda: [str(path)]
        return QDialog.DialogCode.Accepted

    window = await app_factory()
    dialog = await open_settings(window, qtbot, "servers")
    monkeypatch.setattr("desktop_app.ui.lib.async_dialogs.run_dialog", answer)
    dialog.servers_tab.import_button.click()
    servers = window.controller.tool_servers
    await until(lambda: [c.name for c in servers.configs] == ["one"], message="imported")
    assert [type(d) for d in asked] == [QFileDialog, ImportPreviewDialog]
    (one,) = servers.configs
    await until(lambda: servers.state(one.id).status is ServerStatus.FAILED,
                timeout=START_SECONDS, message="tried")
    assert dialog.servers_tab.state_line.text() == (
        "“one” failed: the command “/nonexistent/one” was not found.")
    dialog.reject()


# -- the list ------------------------------------------------------------------------------

async def test_a_server_turned_off_stops_and_remove_asks_first(app_factory, qtbot, monkeypatch):
    window = await app_factory()
    servers = window.controller.tool_servers
    server_id = new_server_id()
    await servers.save([McpServerConfig(
        id=server_id, name="Switchable", transport=Transport.STDIO, command=sys.executable,
        args=(str(STDIO_SERVER),))])
    await servers.start(server_id)
    assert servers.state(server_id).status is ServerStatus.READY
    window.controller.settings.tools_always_allowed = [f"{server_id}/echo", "srv_0ther/tool"]
    dialog = await open_settings(window, qtbot, "servers")
    assert dialog.tools.always.list.item(0).text() == "Echo · Switchable"
    row = dialog.servers_tab.server_list.row_for(server_id)
    row.setCheckState(0, Qt.CheckState.Unchecked)  # the user clears its box
    await until(lambda: not servers.config(server_id).enabled, message="turned off")
    await until(lambda: servers.state(server_id).status is ServerStatus.STOPPED)
    await until(lambda: not servers.tasks and not servers.stopping, timeout=30,
                message="its process has stopped")
    assert state_cell(dialog, server_id) == "Turned off"
    assert not dialog.servers_tab.restart_button.isEnabled()

    answers = ["cancel", "remove"]
    asked: list[str] = []

    async def answer(box):  # the user reads the question and answers it
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        role = (QMessageBox.ButtonRole.DestructiveRole if answers.pop(0) == "remove"
                else QMessageBox.ButtonRole.RejectRole)
        chosen = next(b for b in box.buttons() if box.buttonRole(b) == role)
        box.clickedButton = lambda: chosen
        return 0

    monkeypatch.setattr("desktop_app.ui.lib.async_dialogs.run_dialog", answer)
    dialog.servers_tab.remove_button.click()
    await until(lambda: len(asked) == 1, message="asked first")
    assert "Remove “Switchable”?" in asked[0]
    await until(lambda: not dialog.servers_tab.tasks, message="answered")
    assert servers.config(server_id) is not None  # cancelled: still there
    dialog.servers_tab.remove_button.click()
    await until(lambda: servers.config(server_id) is None, message="removed")
    assert dialog.servers_tab.server_list.topLevelItemCount() == 0
    assert dialog.tools.always.keys() == ["srv_0ther/tool"]  # its "always" went with it
    dialog.reject()


# -- approvals and defaults ----------------------------------------------------------------

async def test_revoking_an_always_allowed_tool_is_saved(app_factory, qtbot, data_dir):
    window = await app_factory()
    controller = window.controller
    controller.settings.tools_always_allowed = [
        "srv_0123456789abcdef/echo", "srv_0123456789abcdef/sleep"]
    dialog = await open_settings(window, qtbot, "tools")
    always = dialog.tools.always
    labels = [always.list.item(i).text() for i in range(always.list.count())]
    assert labels == ["echo (of a server that was removed)", "sleep (of a server that was removed)"]
    assert not always.revoke_button.isEnabled()
    always.list.item(0).setSelected(True)
    always.revoke_button.click()
    assert [always.list.item(i).text() for i in range(always.list.count())] == [
        "sleep (of a server that was removed)"]
    dialog.accept()
    await until(lambda: saved_settings(data_dir).get("tools_always_allowed")
                == ["srv_0123456789abcdef/sleep"], message="saved without the revoked tool")
    assert controller.settings.tools_always_allowed == ["srv_0123456789abcdef/sleep"]


async def test_limits_and_read_only_approval_are_saved(app_factory, qtbot, data_dir):
    window = await app_factory()
    dialog = await open_settings(window, qtbot, "tools")
    tools = dialog.tools
    assert not tools.auto_read_only.isChecked()  # off unless the user turns it on
    assert tools.timeout.value() == 60 and tools.rounds.value() == 25
    tools.auto_read_only.click()
    tools.timeout.setValue(90)
    tools.rounds.setValue(8)
    dialog.accept()
    await until(lambda: saved_settings(data_dir).get("tool_rounds_per_turn") == 8)
    saved = saved_settings(data_dir)
    assert (saved["tools_auto_approve_read_only"], saved["tool_timeout_seconds"]) == (True, 90)
    settings = window.controller.settings
    assert settings.tools_auto_approve_read_only and settings.tool_timeout_seconds == 90


async def test_the_default_and_a_conversations_own_choice_of_tools(app_factory, qtbot):
    window = await app_factory()
    controller = window.controller
    servers = controller.tool_servers
    dialog = await open_settings(window, qtbot, "servers")
    server_id = await add_local_server(window, qtbot, dialog, "Chosen", "")
    await until(lambda: servers.state(server_id).status is ServerStatus.READY,
                timeout=START_SECONDS)
    # The default: "sleep" is not offered to new conversations.
    dialog.tabs.setCurrentWidget(dialog.tools.parentWidget())
    dialog.tools.tree.item_for(server_id, "sleep").setCheckState(0, Qt.CheckState.Unchecked)
    dialog.accept()
    await until(lambda: controller.settings.tools is not None)
    assert controller.settings.tools == {"servers": None, "disabled": [f"{server_id}/sleep"]}

    conversation = controller.current
    window.settings_ops.on_options_requested()
    await until(lambda: visible(window, ConversationOptionsDialog), message="options")
    options = visible(window, ConversationOptionsDialog)
    tree = options.tools
    assert tree.item_for(server_id, "sleep").checkState(0) == Qt.CheckState.Unchecked
    tree.item_for(server_id, "echo").setCheckState(0, Qt.CheckState.Unchecked)  # this one too
    options.accept()
    await until(lambda: SELECTION_OPTION in conversation.options, message="its own choice")
    assert conversation.options[SELECTION_OPTION] == {
        "servers": None, "disabled": [f"{server_id}/echo", f"{server_id}/sleep"]}
    assert controller.tool_rounds.selection(conversation).offers(server_id, "fail")
    assert not controller.tool_rounds.selection(conversation).offers(server_id, "echo")

    window.settings_ops.on_options_requested()
    await until(lambda: visible(window, ConversationOptionsDialog), message="options again")
    options = visible(window, ConversationOptionsDialog)
    assert options.tools.item_for(server_id, "echo").checkState(0) == Qt.CheckState.Unchecked
    assert options.reset_button.isEnabled()
    options.reset_button.click()
    await until(lambda: SELECTION_OPTION not in conversation.options, message="forgotten")
    assert conversation.options == {}
    assert controller.tool_rounds.selection(conversation).offers(server_id, "echo")


async def test_options_saved_without_touching_tools_keep_following_the_default(
    app_factory, qtbot
):
    window = await app_factory()
    conversation = window.controller.current
    window.settings_ops.on_options_requested()
    await until(lambda: visible(window, ConversationOptionsDialog), message="options")
    options = visible(window, ConversationOptionsDialog)
    assert options.tools is None  # no servers: a hint instead of an empty tree
    options.accept()
    await until(lambda: conversation.options, message="options saved")
    assert SELECTION_OPTION not in conversation.options


async def test_closing_cairn_with_the_server_dialog_open_leaves_nothing_waiting(
    app_factory, qtbot
):
    window = await app_factory()
    dialog = await open_settings(window, qtbot, "servers")
    await open_server_dialog(window, dialog.servers_tab.add_button)
    waiting = dialog.servers_tab.tasks
    assert len(waiting) == 1  # the Add… awaiting its dialog
    await close_window(window)
    # The dialogs went with the window: what awaited them ended, as if cancelled.
    await until(lambda: not waiting, message="nothing left waiting")


async def test_without_a_keyring_the_list_says_the_secrets_last_until_cairn_closes(
    app_factory, qtbot, no_keyring, data_dir
):
    window = await app_factory()
    dialog = await open_settings(window, qtbot, "servers")
    form = await open_server_dialog(window, dialog.servers_tab.add_button)
    qtbot.keyClicks(form.name, "Needs a key")
    qtbot.keyClicks(form.command, "uvx")
    form.environment.add_row("API_KEY", SECRET_ENV)
    form.save_button.click()
    await until(lambda: gone(form))
    problem = dialog.servers_tab.problem
    await until(problem.isVisible, message="the problem is said")
    assert problem.text() == (
        "There is no system keyring, so the values of environment variables and headers "
        "cannot be kept: they are used until Cairn closes and never written to a file.")
    (config,) = window.controller.tool_servers.configs
    assert config.env == (("API_KEY", SECRET_ENV),)  # used for this run all the same
    for path in data_dir.rglob("*"):
        assert not path.is_file() or SECRET_ENV.encode() not in path.read_bytes()
