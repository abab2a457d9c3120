"""Serve the tests' fake Messages API on 127.0.0.1 for manual tries and screenshots.

    .venv/bin/python scripts/demo_api.py > /tmp/url &   # prints its base URL
    ANTHROPIC_API_KEY=sk-ant-test-key ANTHROPIC_BASE_URL=$(cat /tmp/url) \
        .venv/bin/python -m desktop_app --data-dir /tmp/cairn-demo

Replies echo the last message, except the first, which shows off Markdown and code (with
``--maths``: formulas, inline and displayed, and one that cannot be typeset).
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


MATHS_SHOWCASE = r"""For a quadratic $ax^2 + bx + c = 0$ with $a \ne 0$, the roots are

$$
x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}
$$

so the ratio $\frac{a}{b}$ and the discriminant $\Delta = b^2 - 4ac$ decide them. A rotation by
$\theta$ is the matrix

\[
R(\theta) = \begin{pmatrix} \cos\theta & -\sin\theta \\ \sin\theta & \cos\theta \end{pmatrix}
\]

and the Gaussian integral is $\int_{-\infty}^{\infty} e^{-x^2}\,dx = \sqrt{\pi}$. Sums work
too: $\sum_{n=1}^{\infty} \frac{1}{n^2} = \frac{\pi^2}{6}$, as do cases:

$$
|x| = \begin{cases} x & \text{if } x \ge 0 \\ -x & \text{otherwise} \end{cases}
$$

It costs $5 either way. A formula that cannot be typeset stays text: $\frac{a$.
"""


THINKING = (
    "The user wants a safe way to read JSON. Show pathlib + json, handle the missing file, and "
    "mention atomic writes since that is the usual follow-up question."
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.03)
    parser.add_argument("--maths", action="store_true",
                        help="the first reply shows formulas instead of code")
    args = parser.parse_args()
    server = FakeAnthropicServer().start()
    showcase = MATHS_SHOWCASE if args.maths else SHOWCASE
    server.enqueue(Reply(showcase, thinking=THINKING, chunks=60, delay=args.delay))
    server.serve_until_interrupted()


if __name__ == "__main__":
    main()
