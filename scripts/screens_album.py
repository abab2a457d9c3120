"""What a run of ``scripts/screens.py`` shot and what it could not, and the page listing it.

Each picture is named ``<scene>[-<part>]-<look>-<width>x<height>.png`` (for example
``settings-tab2-zh-light-800x600.png``), so the same screen in another look or size sits next
to it in a file listing, and the page can put them side by side.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QWidget

from scripts.screens_images import is_blank, save_small_png, to_pillow
from scripts.screens_stage import Look

log = logging.getLogger("screens")


@dataclass(frozen=True)
class Shot:
    """One picture on disk.

    Attributes:
        scene: the scene's name; part: which picture of the scene ("" for its only one).
        caption: what the part shows, in English (a tab's name).
        look, size: the language and theme, and the window size it was taken at.
        path: the PNG file.
        blank: whether it shows nothing but one colour (reported, and kept to be seen).
    """

    scene: str
    part: str
    caption: str
    look: Look
    size: tuple[int, int]
    path: Path
    blank: bool

    @property
    def key(self) -> str:
        """The scene and part: one row of pictures on the page."""
        return f"{self.scene}-{self.part}" if self.part else self.scene


@dataclass
class Album:
    """The pictures of one run, written into ``folder`` as they are taken."""

    folder: Path
    shots: list[Shot] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def file_name(self, key: str, look: Look, size: tuple[int, int]) -> str:
        return f"{key}-{look.label}-{size[0]}x{size[1]}.png"

    def take(self, widget: QWidget, scene: str, look: Look, size: tuple[int, int],
             part: str = "", caption: str = "") -> Shot:
        """Grab what ``widget`` shows now (a window or a dialog) and save it."""
        picture = to_pillow(widget.grab())
        key = f"{scene}-{part}" if part else scene
        path = self.folder / self.file_name(key, look, size)
        save_small_png(picture, path)
        shot = Shot(scene, part, caption, look, size, path, is_blank(picture))
        if shot.blank:
            log.warning("%s is blank: the screen showed one colour only", path.name)
        self.shots.append(shot)
        return shot

    def failed(self, scene: str, look: Look, size: tuple[int, int], reason: str) -> None:
        text = f"{scene} ({look.label}, {size[0]}x{size[1]}): {reason}"
        log.warning("not shot: %s", text)
        self.failures.append(text)
