"""One line per figure, with its target and whether it is met."""

from __future__ import annotations

from typing import Any


def meets(figure: dict[str, Any]) -> bool:
    if figure["better"] == "lower":
        return bool(figure["value"] <= figure["target"])
    return bool(figure["value"] >= figure["target"])


def print_figure(figure: dict[str, Any]) -> None:
    unit = figure.get("unit", "")
    sign = "≤" if figure["better"] == "lower" else "≥"
    value = f"{figure['value']:.2f}" if figure["value"] < 10 else f"{figure['value']:.0f}"
    target = f"{figure['target']:g}"
    space = "" if unit in ("%", "×") else " "
    verdict = "ok" if meets(figure) else "MISSED"
    detail = f"  ({figure['detail']})" if figure.get("detail") else ""
    print(f"{figure['figure']}: {value}{space}{unit} (target {sign} {target}{space}{unit}) "
          f"{verdict}{detail}", flush=True)


def emit(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Print each figure; with ``--json PATH`` on the command line also append them there
    (``python -m benchmarks`` collects every module's figures this way)."""
    import json
    import sys
    from pathlib import Path

    for figure in figures:
        print_figure(figure)
    if "--json" in sys.argv:
        path = Path(sys.argv[sys.argv.index("--json") + 1])
        existing = json.loads(path.read_text()) if path.exists() else []
        path.write_text(json.dumps(existing + figures, indent=1, ensure_ascii=False))
    return figures
