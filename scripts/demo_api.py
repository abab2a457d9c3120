"""Serve the tests' fake Messages API on 127.0.0.1 for manual tries and screenshots.

    .venv/bin/python scripts/demo_api.py > /tmp/url &   # prints its base URL
    ANTHROPIC_API_KEY=sk-ant-test-key ANTHROPIC_BASE_URL=$(cat /tmp/url) \
        .venv/bin/python -m desktop_app --data-dir /tmp/cairn-demo

Replies echo the last message, except the first, which shows off Markdown and code.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fake_api import FakeAnthropicServer, Reply  # noqa: E402

SHOWCASE = """Here is a small, **idiomatic** way to read a JSON file safely in Python:

```python
import json
from pathlib import Path

def load_settings(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
```

A few notes:

1. `read_text` closes the file for you.
2. Catching only `FileNotFoundError` keeps *real* errors visible.
3. For writes, use a temporary file and `os.replace` so a crash never leaves half a file.

| Approach | Safe on crash | Simple |
|---|---|---|
| `open(..., "w")` | no | yes |
| temp file + `os.replace` | yes | yes |
"""


THINKING = (
    "The user wants a safe way to read JSON. Show pathlib + json, handle the missing file, and "
    "mention atomic writes since that is the usual follow-up question."
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.03)
    args = parser.parse_args()
    server = FakeAnthropicServer().start()
    server.enqueue(Reply(SHOWCASE, thinking=THINKING, chunks=60, delay=args.delay))
    server.serve_until_interrupted()


if __name__ == "__main__":
    main()
