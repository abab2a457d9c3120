"""Importing through the window: tens of thousands of conversations in steps, with progress
and Cancel, while the user's own saves go first; and files that trip the importers end in a
sentence, never in a hanging "Importing…"."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from desktop_app.core.conversation import Conversation
from desktop_app.storage.archive import MANIFEST_NAME
from desktop_app.storage.history_store import SCHEMA_VERSION
from tests.conftest import close_window, until
from tests.fake_api import Reply
from tests.helpers.gui_helpers import finished_reply, sidebar_titles, type_and_send

pytestmark = pytest.mark.asyncio


class StallMeter:
    """The longest time the Qt event loop went without running a 10 ms timer."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.monotonic()
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def stop(self) -> None:
        self._timer.stop()


def tiny_archive(path: Path, count: int) -> Path:
    """A Cairn backup of ``count`` one-message conversations (a few hundred bytes each)."""
    template = Conversation(id="conv_ID", title="Imported TITLE",
                            created_at="2024-01-01T00:00:00.000Z",
                            updated_at="2024-01-01T00:00:00.000Z")
    template.add_user_message("hello TITLE").id = "msg_ID"
    text = json.dumps(template.to_json(SCHEMA_VERSION))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(MANIFEST_NAME, "{}")
        for number in range(count):
            conversation_id = f"conv_{number:032x}"
            body = text.replace("conv_ID", conversation_id).replace("msg_ID", f"msg_{number:032x}")
            archive.writestr(f"conversations/{conversation_id}.json",
                             body.replace("TITLE", str(number)))
    return path


def progress_value(window) -> int:
    progress = window.transfer.progress
    return progress.dialog.value() if progress is not None else -1


async def test_a_50k_import_shows_progress_saves_the_users_message_first_and_can_be_cancelled(
    app_factory, fake_api, qtbot, tmp_path
):
    window = await app_factory()
    history = window.controller.services.history
    archive = tiny_archive(tmp_path / "backup.zip", 50_000)
    meter = StallMeter()
    task = asyncio.ensure_future(window.transfer.import_file(archive))

    await until(lambda: window.transfer.progress is not None
                and window.transfer.progress.dialog.isVisible()
                and progress_value(window) > 0, timeout=30, message="progress shown")
    text = window.transfer.progress.text()
    assert text.startswith("Importing… ") and text.endswith(" of 50,000"), text

    # A message sent meanwhile is on disk within a step or two, long before the import ends.
    fake_api.enqueue(Reply("Noted."))
    type_and_send(window, qtbot, "written while importing")
    mine = window.controller.current
    sent = time.monotonic()
    await until(lambda: history.path_for(mine.id).exists(), timeout=10, message="my save")
    waited = time.monotonic() - sent
    assert not task.done()
    assert waited < 1.5, f"the user's save waited {waited:.2f} s behind the import"
    await finished_reply(window)

    # Progress moves on; Cancel stops after the current step and keeps what was imported.
    before = progress_value(window)
    await until(lambda: progress_value(window) >= max(before + 500, 2_000), timeout=60,
                message="progress moving")
    cancel = window.transfer.progress.dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    cancel.click()
    message = await asyncio.wait_for(task, 10)
    meter.stop()
    # Imported ids are conv_000…; the user's own conversation (a random id) is not counted.
    kept = len([path for path in history.directory.glob("conv_000*.json")
                if path.stem != mine.id])
    assert 2_000 <= kept < 50_000
    assert message.startswith("Import from backup.zip cancelled; what was imported before is "
                              f"kept: {kept:,} conversations added"), message
    assert window.transfer.progress is None

    # The sidebar lists every kept conversation and mine; it never froze meanwhile.
    titles = sidebar_titles(window)
    assert len(titles) == kept + 1 and "written while importing" in titles
    assert meter.longest < 1.0, f"the window stalled {meter.longest:.2f} s"
    # Cairn still works: another message goes out and is answered.
    fake_api.enqueue(Reply("Still here."))
    type_and_send(window, qtbot, "and after")
    assert (await finished_reply(window)).text == "Still here."


def claude_export(path: Path, count: int) -> Path:
    conversations = [{
        "uuid": str(uuid.UUID(int=number + 1)), "name": f"From claude.ai {number}",
        "created_at": "2024-02-01T00:00:00Z", "updated_at": "2024-02-01T00:00:00Z",
        "chat_messages": [{"uuid": str(uuid.UUID(int=10**9 + number)), "sender": "human",
                           "text": f"question {number}"}],
    } for number in range(count)]
    path.write_text(json.dumps(conversations))
    return path


async def test_a_claude_export_imports_to_the_end_in_steps(app_factory, qtbot, tmp_path):
    window = await app_factory()
    export = claude_export(tmp_path / "conversations.json", 1_500)
    seen: list[str] = []
    sampler = QTimer()
    sampler.setInterval(20)
    sampler.timeout.connect(lambda: window.transfer.progress is not None
                            and seen.append(window.transfer.progress.text()))
    sampler.start()
    message = await window.transfer.import_file(export)
    sampler.stop()
    assert message == "Import from conversations.json: 1,500 conversations added."
    assert any(text.startswith("Importing… ") and text.endswith(" %)") for text in seen), seen
    titles = sidebar_titles(window)
    assert len(titles) == 1_500 and "From claude.ai 1499" in titles
    again = await window.transfer.import_file(export)
    assert again == "Import from conversations.json: 0 conversations added, 1,500 already here."


async def test_files_that_trip_the_importers_end_in_a_sentence(
    app_factory, fake_api, qtbot, tmp_path, monkeypatch
):
    """Structures the format does not allow (a number for a text, a block without its
    fields) and failures nobody foresaw are reported; the window keeps working."""
    window = await app_factory()
    hostile = Conversation(title="Numbers for words")
    hostile.add_user_message("placeholder")
    document = hostile.to_json(SCHEMA_VERSION)
    document["messages"][0]["content"] = [{"type": "text", "text": 42}]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document))
    message = await window.transfer.import_file(path)
    assert message.startswith(("Import from hostile.json: 0 conversations added",
                               "hostile.json is not a Cairn conversation")), message
    assert not window.controller.services.history.path_for(hostile.id).exists()

    claude = tmp_path / "conversations.json"
    claude.write_text(json.dumps([{"uuid": 7, "chat_messages": [
        {"sender": "human", "text": {"nested": ["x"]}, "content": "not a list",
         "attachments": [{"file_name": ["a"], "extracted_content": 5}]}]}]))
    message = await window.transfer.import_file(claude)
    assert message.startswith("Import from conversations.json:"), message

    import desktop_app.storage.import_file as import_file

    def broken(*_args):
        raise KeyError("entries")

    monkeypatch.setattr(import_file, "open_import", broken)
    message = await window.transfer.import_file(path)
    assert message == "Cannot import hostile.json: 'entries'"

    fake_api.enqueue(Reply("Fine."))
    type_and_send(window, qtbot, "still working?")
    assert (await finished_reply(window)).text == "Fine."


async def test_closing_the_window_mid_import_is_clean(app_factory, tmp_path):
    """The import belongs to the window: closing it stops the import between two steps, and
    every file written is whole (the next start finds nothing to set aside)."""
    window = await app_factory()
    history = window.controller.services.history
    task = window.spawn(window.transfer.import_file(tiny_archive(tmp_path / "b.zip", 20_000)))
    await until(lambda: progress_value(window) > 0, timeout=30, message="import under way")
    await close_window(window)
    assert task.done()
    written = list(history.directory.glob("*.json"))
    assert 0 < len(written) < 20_000
    assert list(history.directory.glob(".*.tmp")) == []
    scan = history.scan()
    assert scan.problems == [] and len(scan.summaries) == len(written)
