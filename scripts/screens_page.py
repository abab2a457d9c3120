"""docs/screens.md: every scene of the last run, each with its pictures side by side (light
and dark in columns, one row per language and window size), so a change can be compared
with what was there before."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from scripts.screens_album import Album, Shot
from scripts.screens_scenes import Scene

LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}

HEADER = """# Cairn's screens

Every screen a user meets, in the light and the dark theme, in English and Chinese
(Simplified), at 800×600 and (the main window) 1440×900. The pictures are made by one
command, which starts Cairn's real window offscreen over the tests' fake API, scripts each
scene and grabs it (one to two minutes; no display needed):

```bash
.venv/bin/python -m scripts.screens        # or: .venv/bin/python scripts/screens.py
.venv/bin/python -m scripts.screens --help # one scene, one look, another folder
```

Run it after changing a screen and compare with `git diff --stat docs/screens/` and the
pictures below: a run gives the same pictures as the last one unless a screen changed (the
import's progress excepted). The Chinese pictures need the compiled catalog
(`bash scripts/update_translations.sh --compile`, done by the set-up scripts). The pictures are
reduced to 256 colours to keep the repository small.
"""


def write_page(album: Album, scenes: Sequence[Scene], page: Path) -> None:
    """Write the page listing every scene in ``scenes`` with the album's pictures of it."""
    lines = [HEADER.rstrip("\n")]
    if album.failures:
        lines += ["", "Not shot in the last run (the run goes on without them):", ""]
        lines += [f"- {failure}" for failure in album.failures]
    lines += ["", "Scenes: " + ", ".join(f"[{s.title}](#{_anchor(s.title)})" for s in scenes)]
    for scene in scenes:
        lines += ["", f"## {scene.title}", "", scene.about]
        shots = [shot for shot in album.shots if shot.scene == scene.name]
        if not shots:
            lines += ["", "*(not shot in the last run)*"]
        for key in dict.fromkeys(shot.key for shot in shots):
            lines += ["", *_table([s for s in shots if s.key == key], page.parent)]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _table(shots: list[Shot], folder: Path) -> list[str]:
    """One part of a scene: a caption, then rows of (language, size) and columns of themes."""
    lines = []
    caption = next((s.caption for s in shots if s.caption), "")
    if caption:
        lines += [f"**{caption}**", ""]
    themes = list(dict.fromkeys(s.look.theme for s in shots))
    lines += ["| | " + " | ".join(themes) + " |", "|---" * (len(themes) + 1) + "|"]
    rows = dict.fromkeys((s.look.language, s.size) for s in shots)
    for language, size in rows:
        cells = []
        for theme in themes:
            shot = next((s for s in shots if s.look.theme == theme
                         and s.look.language == language and s.size == size), None)
            cells.append(_image(shot, folder) if shot else "—")
        name = LANGUAGE_NAMES.get(language.split("_")[0], language)
        lines.append(f"| {name}, {size[0]}×{size[1]} | " + " | ".join(cells) + " |")
    return lines


def _image(shot: Shot, folder: Path) -> str:
    relative = Path(os.path.relpath(shot.path, folder)).as_posix()
    alt = f"{shot.key}, {shot.look.label}, {shot.size[0]}x{shot.size[1]}"
    blank = " (blank!)" if shot.blank else ""
    return f"[![{alt}]({relative})]({relative}){blank}"


def _anchor(title: str) -> str:
    """GitHub's anchor for a heading: lower case, spaces as hyphens, punctuation dropped."""
    kept = "".join(c for c in title.lower() if c.isalnum() or c in " -")
    return kept.replace(" ", "-")
