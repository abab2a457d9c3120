"""`python -m benchmarks`: every figure with its target, one line each, and all of them in
``benchmark-results.json`` (or the path given) for comparing commits. Each benchmark runs in
its own process so that one's Qt application and imports do not colour another's figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

MODULES = ("startup", "history_view", "streaming", "huge_reply", "history_scale", "image_prepare",
           "paste_image", "cache_hit", "tool_rounds")


def main() -> int:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "benchmark-results.json").resolve()
    target.write_text("[]")
    failed = []
    for name in MODULES:
        done = subprocess.run([sys.executable, "-m", f"benchmarks.{name}", "--json", str(target)],
                              cwd=Path(__file__).resolve().parents[1], check=False)
        if done.returncode != 0:
            failed.append(name)
    figures = json.loads(target.read_text())
    print(f"{len(figures)} figures written to {target}"
          + (f"; these benchmarks failed to run: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
