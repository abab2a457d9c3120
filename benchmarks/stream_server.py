"""The fake Messages API in its own process (so its CPU time is not the app's), serving the
same long Markdown reply to every request: ``python -m benchmarks.stream_server`` prints its
base URL, then serves until killed."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.long_reply import CHUNKS, long_markdown  # noqa: E402
from tests.fake_api import FakeAnthropicServer, Reply  # noqa: E402


def main() -> None:
    server = FakeAnthropicServer().start()
    text = long_markdown()

    def keep_stocked() -> None:  # one scripted reply per request, for as long as we run
        while True:
            if server.pending < 2:
                server.enqueue(Reply(text, chunks=CHUNKS))
            time.sleep(0.05)

    threading.Thread(target=keep_stocked, daemon=True).start()
    server.serve_until_interrupted()


if __name__ == "__main__":
    main()
