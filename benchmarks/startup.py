"""Process start to the main window shown and accepting input, with 2,000 saved
conversations, against a bare PySide6 window started the same way in the same run.

Both are timed from just before the process is spawned to the line the process prints once its
window is shown and events have been processed (``--startup-probe``); the median of 9 runs each,
the two alternating so that the machine's changing pace affects both alike, with Cairn's bytecode compiled as an installed Cairn has it. Cairn's window first shows its
outline with a composer that takes typing (ui/startup_shell.py) and then fills in; the time
until it is complete (sidebar, header, messages, the real composer) is printed beside the figure.
A second figure counts the modules that must wait for their first use (the maths typesetter)
but were imported by one more start, watched with ``python -X importtime``.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from desktop_app.core.conversation import Conversation
from desktop_app.storage.history_store import HistoryStore

TARGET_RATIO = 1.3
RUNS = 9
CONVERSATIONS = 2_000

BARE_WINDOW = (
    "import time\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\n"
    "w = QMainWindow(); w.setWindowTitle('bare'); w.resize(1100, 760); w.show()\n"
    "app.processEvents()\n"
    "print('shown', flush=True)\n"
)


def make_history(folder: Path) -> None:
    store = HistoryStore(folder / "conversations")
    for n in range(CONVERSATIONS):
        conversation = Conversation(title=f"Conversation {n}")
        conversation.add_user_message(f"Question number {n}: " + "words " * 40)
        reply = conversation.start_reply("claude-opus-4-7")
        reply.content.append({"type": "text", "text": "An answer. " * 60})
        store.save(conversation)


def time_until_lines(command: list[str], markers: tuple[str, ...],
                     env: dict[str, str]) -> tuple[float, ...]:
    """Seconds from spawning the command until it printed each marker."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, env=env)
    assert process.stdout is not None
    elapsed: dict[str, float] = {}
    for line in process.stdout:
        for marker in markers:
            if marker in line and marker not in elapsed:
                elapsed[marker] = time.perf_counter() - start
    process.wait(timeout=60)
    missing = [m for m in markers if m not in elapsed]
    if missing:
        raise RuntimeError(f"{command[:3]} never printed {missing!r}")
    return tuple(elapsed[m] for m in markers)


# Imported when first needed, never at start (the maths typesetter: when a reply has maths).
LAZY_MODULES = ("ziamath", "ziafont", "latex2mathml")


def imported_at_start(data: Path, env: dict[str, str]) -> list[str]:
    """Which of LAZY_MODULES a start (window complete, history loaded) imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "desktop_app", "--startup-probe",
         "--data-dir", str(data)], capture_output=True, text=True, env=env, timeout=120)
    if done.returncode != 0 or "window complete" not in done.stdout:
        raise RuntimeError(f"the start-up probe failed: {done.stderr[-2000:]}")
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                for line in done.stderr.splitlines() if line.startswith("import time:")}
    return [name for name in LAZY_MODULES if name in imported]


def main() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "ANTHROPIC_API_KEY": "sk-ant-benchmark", "ANTHROPIC_BASE_URL": "http://127.0.0.1:9"}
    # Bytecode as an installed Cairn has it (the set-up scripts and the installers compile
    # it; a machine with PYTHONDONTWRITEBYTECODE set would otherwise compile at every start).
    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "desktop_app"), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        make_history(data)
        bare, cairn = [], []
        for _ in range(RUNS):
            bare.append(time_until_lines([sys.executable, "-c", BARE_WINDOW], ("shown",), env)[0])
            cairn.append(time_until_lines(
                [sys.executable, "-m", "desktop_app", "--startup-probe", "--data-dir", str(data)],
                ("window shown and accepting input", "window complete"), env))
        lazy_loaded = imported_at_start(data, env)
    bare_s = statistics.median(bare)
    cairn_s = statistics.median(shown for shown, _complete in cairn)
    complete_s = statistics.median(complete for _shown, complete in cairn)
    from benchmarks.report import emit

    emit([{
        "figure": f"start to window accepting input, {CONVERSATIONS:,} conversations",
        "value": cairn_s / bare_s, "unit": "×", "target": TARGET_RATIO, "better": "lower",
        "detail": f"Cairn {cairn_s * 1000:.0f} ms (complete at {complete_s * 1000:.0f} ms), "
                  f"bare PySide6 window {bare_s * 1000:.0f} ms",
    }, {
        "figure": "modules imported at start that wait for first use",
        "value": len(lazy_loaded), "unit": "", "target": 0, "better": "lower",
        "detail": ", ".join(lazy_loaded) or f"none of {', '.join(LAZY_MODULES)}",
    }])


if __name__ == "__main__":
    main()
