"""Screenshots of every screen of Cairn, and the page showing them (docs/screens.md).

    .venv/bin/python -m scripts.screens                 # everything, into docs/screens/
    .venv/bin/python scripts/screens.py                 # the same
    .venv/bin/python -m scripts.screens --only main,settings --looks en-dark --out /tmp/s

Cairn's real window runs in this process, offscreen (no display needed), over the tests' fake
API (``tests.fake_api``) and a scratch data folder: once per look (language and theme), as
``python -m desktop_app`` starts it. Each scene (``scripts/screens_scenes.py``) drives the
window through its widgets' signals and shoots it with ``QWidget.grab()``. A scene that cannot
be produced (a widget changed) is reported and skipped; the run goes on. A complete run
replaces every picture in the folder and rewrites the page.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a file: the repository's packages are importable
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QWidget  # noqa: E402

from scripts.screens_album import Album, Shot  # noqa: E402
from scripts.screens_scenes import SCENES, Scene  # noqa: E402
from scripts.screens_setup import Props, Take, populate, props_for  # noqa: E402
from scripts.screens_stage import API_KEY, Look, Stage, close_dialogs  # noqa: E402

LOOKS = (Look("en", "light"), Look("en", "dark"), Look("zh_CN", "light"), Look("zh_CN", "dark"))
FULL_LOOKS = LOOKS[:3]  # every scene; the last look shows the main window only
SMALL, LARGE = (800, 600), (1440, 900)
SCENE_TIMEOUT = 60.0
MARKER = ".cairn-screens"  # in the scratch folder: it may be emptied
Plan = list[tuple[Look, list[tuple[Scene, list[tuple[int, int]]]]]]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scripts.screens", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens",
                        help="folder for the pictures (default: docs/screens)")
    parser.add_argument("--page", type=Path, default=None,
                        help="write the page here (default: docs/screens.md, on a complete run)")
    parser.add_argument("--only", default="", help="scene names, comma-separated: "
                        + ", ".join(scene.name for scene in SCENES))
    parser.add_argument("--looks", default="", help="looks, comma-separated: "
                        + ", ".join(look.label for look in LOOKS))
    parser.add_argument("--sizes", default="", help="window sizes, e.g. 800x600,1440x900")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "cairn-screens",
                        help="a scratch folder, emptied first and removed at the end (default: "
                             "the same each run, so paths on screen do not change the pictures)")
    return parser.parse_args(argv)


def make_plan(only: set[str], looks: set[str], sizes: set[str]) -> Plan:
    """Which scenes each look plays, at which sizes (the filters empty: everything)."""
    plan: Plan = []
    for look in LOOKS:
        if looks and look.label not in looks:
            continue
        scenes = []
        for scene in SCENES:
            if (only and scene.name not in only) or (
                    not scene.everywhere and look not in FULL_LOOKS):
                continue
            wanted = [s for s in ((SMALL, LARGE) if scene.everywhere else (SMALL,))
                      if not sizes or f"{s[0]}x{s[1]}" in sizes]
            if wanted:
                scenes.append((scene, wanted))
        if scenes:
            plan.append((look, scenes))
    return plan


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def reason(exc: BaseException) -> str:
    if isinstance(exc, asyncio.TimeoutError):
        return f"took longer than {SCENE_TIMEOUT:.0f} s"
    return f"{type(exc).__name__}: {exc}".strip()


async def play_look(look: Look, scenes: list[tuple[Scene, list[tuple[int, int]]]],
                    album: Album, stage: Stage, props: Props) -> None:
    """Every scene of one look in one window; the history is made before the first scene
    that needs it."""
    populated = False
    for scene, sizes in scenes:
        if scene.needs_history and not populated:
            populated = True
            try:
                await asyncio.wait_for(populate(stage, props), SCENE_TIMEOUT)
            except Exception as exc:  # noqa: BLE001 - reported; the scenes say what they lack
                album.failed("set-up (the conversations)", look, SMALL, reason(exc))
                traceback.print_exc()
        for size in sizes:
            started = time.monotonic()

            async def shoot(widget: QWidget, part: str = "", caption: str = "", *,
                            _scene: Scene = scene, _size: tuple[int, int] = size) -> Shot:
                await stage.still(widget)
                return album.take(widget, _scene.name, look, _size, part, caption)

            try:
                await stage.resize(*size)
                await asyncio.wait_for(scene.play(Take(stage, props, shoot)), SCENE_TIMEOUT)
                say(f"  {look.label} {scene.name} {size[0]}x{size[1]}: "
                    f"{time.monotonic() - started:.1f} s")
            except Exception as exc:  # noqa: BLE001 - one scene never stops the run
                album.failed(scene.name, look, size, reason(exc))
                traceback.print_exc()
            finally:
                close_dialogs()


async def run(plan: Plan, album: Album, work: Path) -> None:
    """Play the plan: one Cairn window per look, each on a new data folder."""
    from tests.fake_api import FakeAnthropicServer

    with FakeAnthropicServer(api_key=API_KEY) as server:
        for look, scenes in plan:
            say(f"{look.label}:")
            stage = Stage(look, server, work / "data" / look.label)
            props = props_for(stage, work / "files")
            try:
                await stage.open()
                await play_look(look, scenes, album, stage, props)
            except Exception as exc:  # noqa: BLE001 - the next look may still work
                album.failed("start", look, SMALL, reason(exc))
                traceback.print_exc()
            finally:
                try:
                    await stage.close()
                except Exception as exc:  # noqa: BLE001
                    album.failed("close", look, SMALL, reason(exc))
                server.clear_queue()


def start_qt(home: Path) -> object:
    """The QApplication, set up as ``desktop_app.app.main`` sets it up, in a world of its own:
    ``home`` as the home folder (file dialogs start there), a keyring in memory, and no key or
    base URL of the developer's."""
    import keyring
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.lib import pyside_none_guard
    from tests.helpers.memory_keyring import MemoryKeyring

    for name in list(os.environ):
        if name.startswith("ANTHROPIC_"):
            del os.environ[name]
    home.mkdir(parents=True, exist_ok=True)
    os.environ["HOME"] = str(home)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[name] = str(home / name.lower())
    keyring.set_keyring(MemoryKeyring())
    pyside_none_guard.install()
    app = QApplication.instance() or QApplication(["cairn"])
    assert isinstance(app, QApplication)
    app.setApplicationName("Cairn")
    app.setApplicationDisplayName("Cairn")
    app.setQuitOnLastWindowClosed(False)
    app.styleHints().setCursorFlashTime(0)  # a text cursor that never blinks: same pictures
    return app


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    only, looks, sizes = (set(filter(None, value.split(","))) for value in
                          (args.only, args.looks, args.sizes))
    plan = make_plan(only, looks, sizes)
    if not plan:
        say("nothing to shoot: check --only, --looks and --sizes")
        return 2
    complete = not (only or looks or sizes)
    out: Path = args.out.resolve()
    if complete:
        for old in out.glob("*.png"):
            old.unlink()
    import qasync

    album = Album(out)
    started = time.monotonic()
    work: Path = args.work.resolve()
    if work.exists() and any(work.iterdir()) and not (work / MARKER).exists():
        say(f"{work} is not empty and not a scratch folder of this script: choose another --work")
        return 2
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    (work / MARKER).touch()
    try:
        app = start_qt(work / "home")
        qasync.run(run(plan, album, work))
        del app
    finally:
        shutil.rmtree(work, ignore_errors=True)
    page = args.page or (ROOT / "docs" / "screens.md" if complete else None)
    if page is not None:
        from scripts.screens_page import write_page

        write_page(album, [scene for scene in SCENES if any(
            scene is s for _look, scenes in plan for s, _sizes in scenes)], page)
    blank = [shot.path.name for shot in album.shots if shot.blank]
    say(f"{len(album.shots)} pictures in {out} ({time.monotonic() - started:.0f} s); "
        f"{len(album.failures)} not shot; {len(blank)} blank")
    for failure in album.failures:
        say(f"  not shot: {failure}")
    return 0 if album.shots else 1


if __name__ == "__main__":
    sys.exit(main())
