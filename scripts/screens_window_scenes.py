"""Scenes of the main window: each gets the window where a user would have it (through the
widgets' own signals and public attributes), shoots the whole window, and puts things back so
the next scene starts from the same place.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from scripts.screens_setup import Take, new_conversation, type_and_send
from scripts.screens_stage import SceneFailed, Stage, settled, until
from tests.fake_api import Reply


async def show_conversation(stage: Stage, conversation_id: str) -> None:
    """Open a conversation as a click on its sidebar row does."""
    if not conversation_id:
        raise SceneFailed("its conversation was not made (see the set-up's failure)")
    stage.window.sidebar.selected.emit(conversation_id)
    await until(lambda: stage.controller.current is not None
                and stage.controller.current.id == conversation_id, "the conversation shown")
    stage.window.messages.flush()
    await settled()


async def first_start(take: Take) -> None:
    """A new data folder: no history yet, the key from ``ANTHROPIC_API_KEY``."""
    await settled()
    await take.shoot(take.stage.frame)


async def main_window(take: Take) -> None:
    """The showcase conversation (Markdown, code, a table, maths) as opened, scrolled to its
    end; then, when it does not fit, scrolled to its top."""
    stage = take.stage
    await show_conversation(stage, take.props.showcase_id)
    await until(lambda: not stage.window.messages.has_pending_repaints(), "repaints")
    stage.window.messages.scroll_to_bottom()
    await settled()
    await take.shoot(stage.frame, "end", "The conversation as opened: the end of the reply")
    scroll_bar = stage.window.messages.verticalScrollBar()
    if scroll_bar.maximum() > 0:  # not all of it fits the window
        scroll_bar.setValue(0)
        await settled()
        await take.shoot(stage.frame, "top", "Scrolled to the top: the question, thinking, code")


async def streaming(take: Take) -> None:
    """A reply held half-way through its stream (Stop instead of Send)."""
    stage, c = take.stage, take.props.content
    await new_conversation(stage)
    gate = threading.Event()
    stage.server.enqueue(Reply(c.showcase_reply, thinking=c.showcase_thinking, chunks=3,
                               gate=gate))
    type_and_send(stage, c.showcase_prompt)
    controller = stage.controller
    try:
        await until(lambda: controller.is_busy() and controller.current.messages[-1].role
                    == "assistant" and controller.current.messages[-1].text, "streamed text")
        await settled(5)
        await take.shoot(stage.frame)
    finally:
        gate.set()
        await controller.wait_idle()
    await controller.rename(controller.current.id, c.showcase_title + " (2)")


async def error_card(take: Take) -> None:
    """The reply that failed with 529 overloaded: the card and its Retry."""
    await show_conversation(take.stage, take.props.error_id)
    await take.shoot(take.stage.frame)


async def attachments(take: Take) -> None:
    """Three attachments waiting above the composer: two pictures and a PDF."""
    stage, props = take.stage, take.props
    await show_conversation(stage, props.showcase_id)
    pending = stage.controller.attachments
    pending.add_paths([props.picture("harbour", (182, 208, 226), (52, 96, 140)),
                       props.picture("dusk", (236, 170, 140), (70, 70, 120)), props.pdf()])
    await pending.wait()
    try:
        await until(lambda: len(pending.items) == 3, "three attachments")
        await settled()
        await take.shoot(stage.frame)
    finally:
        while pending.items:
            pending.remove(0)


async def edit_mode(take: Take) -> None:
    """A sent message (with its picture) being edited in place."""
    stage = take.stage
    await show_conversation(stage, take.props.photo_id)
    first = stage.controller.current.messages[0]
    widget = stage.window.messages.widget_for(first.id)
    if widget is None:
        raise SceneFailed("no widget for the first message")
    widget.start_editing()
    await settled()
    try:
        await take.shoot(stage.frame)
    finally:
        widget.cancel_editing()


async def search(take: Take) -> None:
    """The sidebar searched for a word of an earlier reply: the hit and its snippet."""
    stage = take.stage
    await show_conversation(stage, take.props.showcase_id)
    field = stage.frame.findChild(QLineEdit, "SearchField")
    if field is None:
        raise SceneFailed("no search field (a QLineEdit named SearchField)")
    field.setFocus()
    field.setText(take.props.content.search)
    try:
        await until(lambda: stage.window.list_model.rowCount() > 0, "search results")
        await settled()
        await take.shoot(stage.frame)
    finally:
        field.clear()
        stage.window.composer.focus()


async def rename(take: Take) -> None:
    """A sidebar row renamed in place (what F2 or the ⋯ menu's Rename opens)."""
    stage, props = take.stage, take.props
    await show_conversation(stage, props.showcase_id)
    sidebar = stage.window.sidebar
    sidebar.start_rename(props.error_id)

    def editor() -> QLineEdit | None:
        found = [e for e in sidebar.list.viewport().findChildren(QLineEdit) if e.isVisible()]
        return found[0] if found else None

    await until(lambda: editor() is not None, "the rename field")
    field = editor()
    assert field is not None
    field.setText(props.content.rename_to)
    await settled()
    try:
        await take.shoot(stage.frame)
    finally:
        QTest.keyClick(field, Qt.Key.Key_Escape)  # cancels: the title stays as it was
        # The shown conversation highlighted again (Esc leaves the renamed row current).
        sidebar.show_current(props.showcase_id)
        await settled(1)


async def notice(take: Take) -> None:
    """The notice bar with an export's result (what Export → As Markdown… ends with)."""
    from scripts.screens_dialog_scenes import answer_file_dialog

    stage, props = take.stage, take.props
    await show_conversation(stage, props.showcase_id)
    target = props.files / stage.look.label / "export.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    bar = stage.window.notice_bar
    await answer_file_dialog(
        stage, lambda: stage.window.sidebar.export_requested.emit(props.showcase_id, "markdown"),
        target)
    await until(lambda: bar.isVisible() and target.exists(), "the export's notice")
    await settled()
    try:
        await take.shoot(stage.frame)
    finally:
        bar.hide()


async def undo_bar(take: Take) -> None:
    """A conversation just deleted: the bar offering Undo (pressed afterwards)."""
    stage, props = take.stage, take.props
    await show_conversation(stage, props.showcase_id)
    bar = stage.window.undo_bar
    stage.window.sidebar.delete_requested.emit(props.retry_id)
    await until(bar.isVisible, "the undo bar")
    await settled()
    try:
        await take.shoot(stage.frame)
    finally:
        bar.button.click()
        await until(lambda: stage.window.list_model.row_of(props.retry_id) >= 0,
                    "the conversation listed again")



async def tool_calls(take: Take) -> None:
    """A reply that used a tool of an MCP server (the call opened to its arguments and
    result), then asks to run another: the approval card, Deny the default."""
    from desktop_app.api.mcp_connection import ServerStatus
    from desktop_app.core.tool_approvals import ApprovalChoice, tool_key
    from desktop_app.ui.messages.tool_call_row import ToolCallRow
    from desktop_app.ui.session.tool_rounds import GRANTS_FIELD
    from tests.fake_api import ToolUse
    from tests.mcp_servers.fixtures import stdio_config

    stage = take.stage
    controller = stage.controller
    servers = controller.tool_servers
    await servers.save([stdio_config(name="Notes")])
    server_id = servers.configs[0].id
    await servers.start(server_id)
    await until(lambda: servers.state(server_id).status == ServerStatus.READY, "the server")
    await new_conversation(stage)
    conversation = controller.current
    conversation.extra[GRANTS_FIELD] = [tool_key(server_id, "echo")]
    names = {spec.tool: name for name, spec in
             controller.tool_rounds.offered_now(conversation).items()}
    read = ToolUse(names["echo"], {"text": "Milk, eggs, flour.\nCall the plumber on Tuesday."})
    risky = ToolUse(names["fail"], {"reason": "Delete last week's notes"})
    stage.server.enqueue(
        Reply("Let me read your notes first.", tool_uses=[read]),
        Reply("Your list says milk, eggs and flour. Shall I tidy up the old notes too?",
              tool_uses=[risky]),
        Reply("All right, I left them as they are."))
    type_and_send(stage, "What is on my shopping list?")
    activity = controller.tool_activity
    await until(lambda: activity.asking(conversation.id), "the approval card")
    stage.window.messages.flush()
    for row in stage.window.messages.findChildren(ToolCallRow):
        if row.tool_use_id == read.id:
            row.set_open(True)
    stage.window.messages.scroll_to_bottom()
    await settled(3)
    try:
        await take.shoot(stage.frame)
    finally:
        activity.answer(risky.id, ApprovalChoice.DENY)
        await controller.wait_idle()
        await servers.save([])
