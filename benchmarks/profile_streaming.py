"""A pyinstrument profile of the UI thread while the 50,000-token reply of
``benchmarks.streaming`` streams into the real window (set-up and closing included).

    .venv/bin/pip install pyinstrument   # not a dependency of Cairn
    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.profile_streaming

docs/profiles/streaming-pyinstrument.txt is its output. Time spent inside Qt (text layout,
painting) is counted to the Python call that entered Qt.
"""

from __future__ import annotations

import tempfile
from pathlib import Path


def main() -> None:
    from pyinstrument import Profiler

    from benchmarks.streaming import in_the_window, served_loop

    profiler = Profiler(interval=0.001)
    with served_loop() as (base_url, loop), tempfile.TemporaryDirectory() as tmp:
        profiler.start()
        result = loop.run_until_complete(in_the_window(base_url, Path(tmp)))
        profiler.stop()
    print(f"longest stall {result['stall'] * 1000:.0f} ms, app CPU {result['cpu']:.2f} s")
    print(profiler.output_text(unicode=True, color=False, short_mode=True))


if __name__ == "__main__":
    main()
