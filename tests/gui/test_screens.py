"""The screenshots page's one command (``python -m scripts.screens``): it starts Cairn's real
window offscreen, shoots scenes into a folder as PNG files that show something, and lists them
on a page; a blank picture is told apart from a real one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageStat

from scripts.screens import LOOKS, SCENES, make_plan
from scripts.screens_images import is_blank, pixel_spread

ROOT = Path(__file__).resolve().parents[2]


def test_two_scenes_are_shot_as_pictures_that_show_the_window(tmp_path):
    out, page = tmp_path / "screens", tmp_path / "screens.md"
    result = subprocess.run(
        [sys.executable, "-m", "scripts.screens", "--only", "first-start,main",
         "--looks", "en-dark", "--sizes", "800x600", "--out", str(out), "--page", str(page),
         "--work", str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=110,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert "  not shot: " not in result.stderr, result.stderr
    pictures = sorted(path.name for path in out.glob("*.png"))
    assert pictures == ["first-start-en-dark-800x600.png", "main-end-en-dark-800x600.png",
                        "main-top-en-dark-800x600.png"]
    for name in pictures:
        with Image.open(out / name) as picture:
            assert picture.size == (800, 600)
            assert not is_blank(picture), f"{name} shows one colour only"
            # The dark theme: mostly dark pixels, not a light window that ignored it.
            assert ImageStat.Stat(picture.convert("L")).mean[0] < 100, name
    text = page.read_text(encoding="utf-8")
    assert "## Main window with a streamed reply" in text
    assert "(screens/main-end-en-dark-800x600.png)" in text
    assert not (tmp_path / "work").exists()  # the scratch folder is gone


def test_a_one_colour_picture_is_blank_and_a_drawn_one_is_not():
    empty = Image.new("RGB", (200, 100), (250, 248, 245))
    assert is_blank(empty)
    drawn = empty.copy()
    ImageDraw.Draw(drawn).text((10, 40), "Cairn", fill=(43, 41, 38))
    ImageDraw.Draw(drawn).rectangle((120, 20, 180, 80), fill=(196, 98, 45))
    assert not is_blank(drawn) and pixel_spread(drawn) > pixel_spread(empty)


def test_the_full_plan_keeps_to_its_promise():
    """Every scene in English light and dark and Chinese light at 800x600; the main window
    in all four looks at both sizes."""
    plan = dict(make_plan(set(), set(), set()))
    assert [look.label for look in plan] == ["en-light", "en-dark", "zh-light", "zh-dark"]
    for look in LOOKS[:3]:
        assert [scene.name for scene, _sizes in plan[look]] == [s.name for s in SCENES]
    assert [(scene.name, sizes) for scene, sizes in plan[LOOKS[3]]] == [
        ("main", [(800, 600), (1440, 900)])]
    assert all(scene.about for scene in SCENES)  # the page says what each scene shows
