"""A pyinstrument profile of start-up, from the first import to the window complete (its
outline, which the start-up figure times, is shown part-way through ``build_window``), over a
data folder given as argument.

    .venv/bin/pip install pyinstrument   # not a dependency of Cairn
    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.profile_startup DATA_DIR

docs/profiles/startup-pyinstrument.txt is its output for 2,000 conversations.
"""

from __future__ import annotations

import sys


def main() -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    from PySide6.QtWidgets import QApplication

    from desktop_app.app import build_window, parse_args
    from desktop_app.ui.runtime import pyside_import_check

    pyside_import_check.install()  # as desktop_app.app.main does
    app = QApplication(sys.argv[:1])
    built = build_window(parse_args(["--data-dir", sys.argv[1]]))
    app.processEvents()
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, short_mode=True))
    if built is not None:
        built.instance.close()
        built.services.close()


if __name__ == "__main__":
    main()
