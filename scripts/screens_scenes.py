"""The scenes a run shoots, in the order they are played in one window: the first start
before any history exists, then (after ``populate``) every other screen, the import last
because it adds thousands of conversations.

A scene's description on the page is the first paragraph of its function's docstring.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from scripts import screens_dialog_scenes as dialogs
from scripts import screens_server_tools as server_tools
from scripts import screens_window_scenes as window
from scripts.screens_setup import Take


@dataclass(frozen=True)
class Scene:
    """One screen to shoot.

    Attributes:
        name: the start of its pictures' file names (``--only`` takes it).
        title: its heading on the page.
        play: gets the window there and shoots it.
        everywhere: shot in every look (both languages and themes) at both window sizes;
            otherwise in English light and dark and Chinese light, at 800×600.
        needs_history: played after the conversations are made (``populate``).
    """

    name: str
    title: str
    play: Callable[[Take], Awaitable[None]]
    everywhere: bool = False
    needs_history: bool = True

    @property
    def about(self) -> str:
        return (inspect.getdoc(self.play) or "").split("\n\n")[0].replace("\n", " ")


SCENES = (
    Scene("first-start", "Empty first start", window.first_start, needs_history=False),
    Scene("main", "Main window with a streamed reply", window.main_window, everywhere=True),
    Scene("streaming", "A reply while it streams", window.streaming),
    Scene("error", "An error card", window.error_card),
    Scene("attachments", "Attachments strip with three cards", window.attachments),
    Scene("edit", "Edit mode", window.edit_mode),
    Scene("search", "Sidebar search with a hit", window.search),
    Scene("rename", "Inline rename", window.rename),
    Scene("tools", "A tool call and an approval card", window.tool_calls),
    Scene("server-tools", "Claude's own tools: a cited search, a code run",
          server_tools.server_tools),
    Scene("settings", "Settings", dialogs.settings),
    Scene("options", "Conversation options", dialogs.conversation_options),
    Scene("shortcuts", "Keyboard shortcuts", dialogs.shortcuts),
    Scene("key", "API key dialog", dialogs.key_dialog),
    Scene("about", "About Cairn", dialogs.about),
    Scene("notice", "A notice", window.notice),
    Scene("undo", "Undo bar after a delete", window.undo_bar),
    Scene("import", "Bulk import progress", dialogs.bulk_import),
)
