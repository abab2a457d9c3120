"""The fake Messages API in its own process (so its CPU time is not the app's), serving the
same long reply to every request: ``python -m benchmarks.stream_server [long|huge-line]``
prints its base URL, then serves until killed.

``long`` (the default): the 50,000-token Markdown reply (``benchmarks.long_reply``).
``huge-line``: a 10 MB reply on one line (``benchmarks.huge_reply``), in 1,000-character deltas.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fake_api import FakeAnthropicServer, Reply  # noqa: E402


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "long"
    if kind == "huge-line":
        from benchmarks.huge_reply import DELTA_CHARS, huge_line

        text = huge_line()
        chunks = len(text) // DELTA_CHARS
    else:
        from benchmarks.long_reply import CHUNKS, long_markdown

        text, chunks = long_markdown(), CHUNKS
    server = FakeAnthropicServer().start()

    def keep_stocked() -> None:  # one scripted reply per request, for as long as we run
        while True:
            if server.pending < 2:
                server.enqueue(Reply(text, chunks=chunks))
            time.sleep(0.05)

    threading.Thread(target=keep_stocked, daemon=True).start()
    server.serve_until_interrupted()


if __name__ == "__main__":
    main()
