"""Serve the tests' fake Messages API on 127.0.0.1 for manual tries and screenshots.

    .venv/bin/python scripts/demo_api.py > /tmp/url &   # prints its base URL
    ANTHROPIC_API_KEY=sk-ant-test-key ANTHROPIC_BASE_URL=$(cat /tmp/url) \
        .venv/bin/python -m desktop_app --data-dir /tmp/cairn-demo

Replies echo the last message, except the first, which shows off Markdown and code (with
``--maths``: formulas, inline and displayed, and one that cannot be typeset), and messages
that ask for Claude's own tools (when the conversation offers them):

* "search": a web search with three results and a cited answer (with web fetch on, a page read
  too, cited as well); "search" and "pause": a turn that pauses (``pause_turn``) on an unanswered
  second search, which runs when the turn is resumed;
* "run code": a code run (bash) that prints and makes a PNG chart (downloadable from the
  fake Files API);
* "fail": the tool's error result instead ("search" + "fail": too many requests).

Title requests get the question's first words (not an echo).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fake_api import (  # noqa: E402
    Cite,
    CodeRun,
    FakeAnthropicServer,
    ProducedFile,
    Reply,
    SearchHit,
    WebFetch,
    WebSearch,
)

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


HITS = [
    SearchHit("https://tidesandcurrents.noaa.gov/education/tides", "Tides and Water Levels - NOAA",
              "3 weeks ago"),
    SearchHit("https://en.wikipedia.org/wiki/Tide", "Tide - Wikipedia", "2 days ago"),
    SearchHit("https://www.metoffice.gov.uk/weather/learn-about/tides", "What causes tides? - "
              "Met Office", None),
]
PAGE = ("Tides are the rise and fall of sea levels caused by the combined effects of the "
        "gravitational forces exerted by the Moon and the Sun, and the rotation of the Earth. "
        "Most places have two high tides and two low tides every lunar day.")
CHART_CODE = """python3 - <<'EOF'
import matplotlib.pyplot as plt
hours = range(0, 25, 3)
plt.plot(hours, [1.2, 2.8, 3.9, 2.6, 1.1, 2.7, 3.8, 2.5, 1.3])
plt.savefig("/tmp/outputs/tides.png")
print("saved /tmp/outputs/tides.png")
EOF"""


def _chart_png() -> bytes:
    """A small line chart, drawn with Pillow (what the 'code run' would have made)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 280), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(40, 250), (460, 250)], fill="#555555", width=2)
    draw.line([(40, 20), (40, 250)], fill="#555555", width=2)
    levels = [1.2, 2.8, 3.9, 2.6, 1.1, 2.7, 3.8, 2.5, 1.3]
    points = [(40 + i * 52, 250 - int(level * 55)) for i, level in enumerate(levels)]
    draw.line(points, fill="#1f77b4", width=3)
    for x, y in points:
        draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill="#1f77b4")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _offered(body: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((t for t in body.get("tools") or [] if isinstance(t, dict)
                 and t.get("name") == name and str(t.get("type", "")).startswith(name + "_")),
                None)


def _last_user_text(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages") or []):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content
        return " ".join(b.get("text", "") for b in content if isinstance(b, dict)
                        and b.get("type") == "text")
    return ""


def _title(excerpt: str) -> str:
    """A title from the first words of the question a title request quotes."""
    question = excerpt.partition("<user>")[2].partition("</user>")[0].split()
    words = " ".join(question[:6]).strip(" .?!") or "New conversation"
    return words[:1].upper() + words[1:]


def server_tool_reply(body: dict[str, Any], delay: float) -> Reply | None:
    """A reply that uses Claude's tools when the last message asks for them and the request
    offers them; ``None`` (the echo) otherwise."""
    text = _last_user_text(body).lower()
    if "title for this conversation:" in text:   # Cairn's title request: a short title
        return Reply(_title(_last_user_text(body)))
    fail = "fail" in text
    resuming = (body.get("messages") or [{}])[-1].get("role") == "assistant"
    if "run code" in text or "运行代码" in text:
        if _offered(body, "code_execution") is None:
            return Reply("Code execution is off for this conversation: turn it on in Claude's "
                         "tools to let me run code.")
        if fail:
            run = CodeRun(CHART_CODE, error_code="execution_time_exceeded")
            return Reply("The run took too long, so I stopped it.", server_uses=[run],
                         delay=delay)
        run = CodeRun(CHART_CODE, stdout="saved /tmp/outputs/tides.png\n",
                      files=[ProducedFile("tides.png", _chart_png(), "image/png")])
        return Reply("I plotted a day of tide levels: two highs and two lows.",
                     server_uses=[run], delay=delay)
    if "search" not in text and "搜索" not in text:
        return None
    if _offered(body, "web_search") is None:
        return Reply("Web search is off for this conversation: turn it on in Claude's tools "
                     "to let me search.")
    if fail:
        return Reply("The search failed (too many requests); try again in a moment.",
                     server_uses=[WebSearch("tides", error_code="too_many_requests")])
    if "pause" in text:
        if not resuming:   # the second search is left unanswered: the turn pauses
            return Reply("Let me look this up.", delay=delay, dangling=True, server_uses=[
                WebSearch("what causes tides", hits=HITS), WebSearch("tide tables")])
        # resumed: the paused search runs now, and the answer cites it
        return Reply(" Here is what I found.", delay=delay,
                     server_uses=[WebSearch("tide tables", hits=HITS[1:])],
                     cites=[Cite(" Most coasts see two high tides a day.", use=0, hit=0,
                                 cited_text="Most places experience two high tides and two "
                                            "low tides each day.")])
    search = WebSearch("what causes tides", hits=HITS)
    uses: list[Any] = [search]
    cites = [Cite("Tides are caused by the gravity of the Moon and the Sun.", use=0, hit=0),
             Cite(" Most coasts see two high tides a day.", use=0, hit=1,
                  cited_text="Most places experience two high tides and two low tides each "
                             "day.")]
    fetch_tool = _offered(body, "web_fetch")
    if fetch_tool is not None:
        uses.append(WebFetch(HITS[2].url, title=HITS[2].title, text=PAGE))
        if (fetch_tool.get("citations") or {}).get("enabled"):
            cites.append(Cite(" The Earth's rotation sets their rhythm.", use=1,
                              cited_text="and the rotation of the Earth"))
    return Reply("Here is what I found. ", server_uses=uses, cites=cites, delay=delay)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.03)
    parser.add_argument("--maths", action="store_true",
                        help="the first reply shows formulas instead of code")
    args = parser.parse_args()
    server = FakeAnthropicServer().start()
    showcase = MATHS_SHOWCASE if args.maths else SHOWCASE
    first = [Reply(showcase, thinking=THINKING, chunks=60, delay=args.delay)]

    def respond(body: dict[str, Any]) -> Reply | None:
        # Claude's tools when asked for; the showcase answers the first other message.
        reply = server_tool_reply(body, args.delay)
        if reply is None and first:
            reply = first.pop()
        return reply

    server.responder = respond
    server.serve_until_interrupted()


if __name__ == "__main__":
    main()
