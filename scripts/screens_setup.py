"""The history the scenes show, made through the window as a user would make it: messages
typed and sent, each answered by a scripted reply of the fake API (streamed), a picture
attached, a reply that fails; plus the files the scenes attach or import.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from scripts.screens_content import Content, content_for
from scripts.screens_stage import SceneFailed, Stage, settled, until
from tests.fake_api import ApiError, Reply

# A one-page PDF the attachment strip can describe (as tests/gui/test_images.py makes one).
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
       b"3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
IMPORT_SIZE = 20_000  # conversations in the backup the import scene reads: several steps


@dataclass
class Props:
    """What the scenes need besides the window: the words, the files, and the ids of the
    conversations ``populate`` made (empty until it ran)."""

    content: Content
    files: Path
    showcase_id: str = ""
    retry_id: str = ""
    photo_id: str = ""
    error_id: str = ""

    def picture(self, name: str, sky: tuple[int, int, int], sea: tuple[int, int, int]) -> Path:
        """A small landscape picture (sky, sun, sea, sand) saved as ``name``.png."""
        path = self.files / f"{name}.png"
        if not path.exists():
            image = Image.new("RGB", (640, 420), sky)
            draw = ImageDraw.Draw(image)
            draw.ellipse((440, 50, 540, 150), fill=(250, 214, 120))
            draw.rectangle((0, 250, 640, 340), fill=sea)
            draw.rectangle((0, 340, 640, 420), fill=(226, 202, 160))
            path.parent.mkdir(parents=True, exist_ok=True)
            image.save(path, "PNG")
        return path

    def pdf(self) -> Path:
        path = self.files / "report.pdf"
        path.write_bytes(PDF)
        return path

    def backup(self) -> Path:
        """A Cairn backup of ``IMPORT_SIZE`` one-message conversations (made once a run)."""
        path = self.files / "cairn-backup.zip"
        if not path.exists():
            _write_backup(path, IMPORT_SIZE)
        return path


def props_for(stage: Stage, files: Path) -> Props:
    return Props(content_for(stage.look.language), files)


def _write_backup(path: Path, count: int) -> None:
    from desktop_app.core.conversation import Conversation
    from desktop_app.storage.archive import MANIFEST_NAME
    from desktop_app.storage.history_store import SCHEMA_VERSION

    template = Conversation(id="conv_ID", title="Imported TITLE",
                            created_at="2024-01-01T00:00:00.000Z",
                            updated_at="2024-01-01T00:00:00.000Z")
    template.add_user_message("hello TITLE").id = "msg_ID"
    text = json.dumps(template.to_json(SCHEMA_VERSION))
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(MANIFEST_NAME, "{}")
        for number in range(count):
            conversation_id = f"conv_{number:032x}"
            body = text.replace("conv_ID", conversation_id).replace("msg_ID", f"msg_{number:032x}")
            archive.writestr(f"conversations/{conversation_id}.json",
                             body.replace("TITLE", str(number)))


async def new_conversation(stage: Stage) -> None:
    """What "New chat" does."""
    before = stage.controller.current
    stage.ask("sidebar.new_requested", "Ctrl+N")()
    await until(lambda: stage.controller.current is not before, "a new conversation")


def type_and_send(stage: Stage, text: str) -> None:
    """Put ``text`` in the composer and press Enter (``setPlainText``: typing Chinese key by
    key is not possible offscreen)."""
    edit = stage.window.composer.edit
    edit.setFocus()
    edit.setPlainText(text)
    QTest.keyClick(edit, Qt.Key.Key_Return)


async def send(stage: Stage, text: str, *scripts: object) -> str:
    """Send ``text``, answered by ``scripts`` (the fake API's queue), and wait until the reply
    has ended however it ends. Returns the conversation's id."""
    stage.server.enqueue(*scripts)  # type: ignore[arg-type]
    controller = stage.controller
    type_and_send(stage, text)
    await until(lambda: controller.current is not None and controller.current.messages
                and controller.current.messages[-1].role == "assistant"
                and not controller.is_busy(), "the reply to " + text[:30])
    await controller.wait_idle()
    stage.window.messages.flush()
    return str(controller.current.id)


async def populate(stage: Stage, props: Props) -> None:
    """Four conversations, newest last: a search hit, a message with a picture, a reply that
    failed (529 overloaded), and the showcase (Markdown, code, table, maths), left open."""
    c, controller = props.content, stage.controller
    props.retry_id = await send(stage, c.retry_prompt, Reply(c.retry_reply, chunks=8))
    await controller.rename(props.retry_id, c.retry_title)

    await new_conversation(stage)
    controller.attachments.add_paths([props.picture("coast", (150, 196, 230), (40, 110, 160))])
    await controller.attachments.wait()
    if not controller.attachments.items:
        raise SceneFailed("the picture was not attached")
    props.photo_id = await send(stage, c.photo_prompt, Reply(c.photo_reply, chunks=4))
    await controller.rename(props.photo_id, c.photo_title)

    await new_conversation(stage)
    props.error_id = await send(stage, c.error_prompt,
                                ApiError(status=529, type="overloaded_error"))
    await controller.rename(props.error_id, c.error_title)

    await new_conversation(stage)
    props.showcase_id = await send(stage, c.showcase_prompt, Reply(
        c.showcase_reply, thinking=c.showcase_thinking, chunks=40, delay=0.005))
    await controller.rename(props.showcase_id, c.showcase_title)
    await settled()


@dataclass
class Take:
    """What a scene works with: the running window, its props, and ``await shoot(widget,
    part="", caption="")``, which waits until the window is still and saves what ``widget``
    shows as the scene's picture (or one ``part`` of it, ``caption`` saying in English what
    that part shows)."""

    stage: Stage
    props: Props
    shoot: Callable[..., Awaitable[object]]
