"""The notice bar (issue 18): an export's notice offers "Show in folder" (opening it only
when clicked) and closes when another conversation is shown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.conftest import until
from tests.fake_api import Reply
from tests.helpers.gui_helpers import chat_with

pytestmark = pytest.mark.asyncio


@pytest.fixture
def save_as(monkeypatch):
    """The save dialog answers with the path a test puts in ``save_as.path``."""

    class Answer:
        path = ""

    async def choose(dialog):
        dialog.selectedFiles = lambda: [Answer.path]
        return QFileDialog.DialogCode.Accepted

    monkeypatch.setattr("desktop_app.ui.lib.async_dialogs.run_dialog", choose)
    return Answer


@pytest.fixture
def opened(monkeypatch):
    urls = []
    monkeypatch.setattr("desktop_app.ui.window.notice_bar.QDesktopServices.openUrl",
                        lambda url: urls.append(url.toLocalFile()) or True)
    return urls


async def test_an_export_notice_shows_the_folder_on_click_and_leaves_with_its_conversation(
    app_factory, fake_api, qtbot, tmp_path, save_as, opened
):
    window = await app_factory()
    fake_api.enqueue(Reply("First answer."), Reply("Second answer."))
    first = await chat_with(window, qtbot, "first conversation")
    window.conversation_ops.on_new_requested()
    second = await chat_with(window, qtbot, "second conversation")
    window.controller.select(first.id)
    save_as.path = str(tmp_path / "exports" / "first.md")
    (tmp_path / "exports").mkdir()
    await window.transfer_ops.export_conversation(first.id, "markdown")
    bar = window.notice_bar
    assert bar.isVisible() and bar.text().startswith("Exported to")
    assert bar.folder_button.isVisible() and bar.folder_button.text() == "Show in folder"
    assert opened == []  # nothing opens by itself
    qtbot.mouseClick(bar.folder_button, Qt.MouseButton.LeftButton)
    assert opened == [str(tmp_path / "exports")]
    assert bar.isVisible()
    # Another conversation on screen: the notice about the first one goes.
    window.controller.select(second.id)
    await until(lambda: not bar.isVisible(), message="notice closed")


async def test_a_failed_export_offers_no_folder_and_a_general_notice_stays(
    app_factory, fake_api, qtbot, tmp_path, save_as, opened
):
    window = await app_factory()
    fake_api.enqueue(Reply("An answer."))
    conversation = await chat_with(window, qtbot, "a conversation")
    (tmp_path / "a-file").write_text("not a folder")
    save_as.path = str(tmp_path / "a-file" / "x.json")
    await window.transfer_ops.export_conversation(conversation.id, "json")
    bar = window.notice_bar
    assert bar.isVisible() and "could not be written" in bar.text()
    assert not bar.folder_button.isVisible()
    bar.show_message("Imported 3 conversations.")  # about no conversation in particular
    window.conversation_ops.on_new_requested()
    assert bar.isVisible() and not bar.folder_button.isVisible()
