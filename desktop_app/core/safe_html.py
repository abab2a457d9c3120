"""The light pieces of showing text safely, apart from the Markdown renderer so that the
window can be built before markdown-it and Pygments are imported: the colour palettes, which
links may be opened, and user text as HTML."""

from __future__ import annotations

import html
from dataclasses import dataclass

from desktop_app.core.link_safety import neutralise_bidi

SAFE_SCHEMES = ("http://", "https://", "mailto:")
COPY_SCHEME = "cairn-copy:"  # links of this scheme ask the app to copy code block N


@dataclass(frozen=True)
class Palette:
    """The colours the HTML uses, so light and dark themes can each have their own."""

    code_background: str = "#f4f1ec"
    code_header: str = "#e9e4dc"
    code_border: str = "#e2dcd2"
    muted: str = "#6b6660"
    link: str = "#b4541e"
    pygments_style: str = "friendly"
    math: str = "#2b2926"  # formulas are drawn in the text's colour (ui.lib.theme's "text")


LIGHT = Palette()
DARK = Palette(
    code_background="#23211f",
    code_header="#2d2a27",
    code_border="#3a3632",
    muted="#a39c94",
    link="#f0a070",
    pygments_style="monokai",
    math="#e9e5df",
)


def is_safe_link(url: str) -> bool:
    """Whether a link from model output may be opened (in the system browser, on click)."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


def plain_to_html(text: str) -> str:
    """User text shown as typed: escaped, line breaks kept, bidi controls shown as markers
    (a message may come from an imported file)."""
    return neutralise_bidi(html.escape(text)).replace("\n", "<br>")
