"""Model text -> safe HTML for Qt's rich-text widgets.

Model output is untrusted: raw HTML is escaped, images become plain links (nothing remote is
ever loaded), and links are kept only for http(s) and mailto. Code blocks are highlighted with
Pygments using inline colours, which Qt's rich text understands.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

SAFE_SCHEMES = ("http://", "https://", "mailto:")
COPY_SCHEME = "cairn-copy:"
MAX_NESTING = 100  # links of this scheme ask the app to copy code block N


@dataclass(frozen=True)
class Palette:
    """The colours the HTML uses, so light and dark themes can each have their own."""

    code_background: str = "#f4f1ec"
    code_header: str = "#e9e4dc"
    code_border: str = "#e2dcd2"
    muted: str = "#6b6660"
    link: str = "#b4541e"
    pygments_style: str = "friendly"


LIGHT = Palette()
DARK = Palette(
    code_background="#23211f",
    code_header="#2d2a27",
    code_border="#3a3632",
    muted="#a39c94",
    link="#f0a070",
    pygments_style="monokai",
)


def is_safe_link(url: str) -> bool:
    """Whether a link from model output may be opened (in the system browser, on click)."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


class _SafeRenderer(RendererHTML):
    """markdown-it's HTML renderer with the unsafe parts replaced."""

    palette: Palette = LIGHT

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        src = str(token.attrs.get("src", ""))
        alt = self.renderInlineAsText(token.children or [], options, env) or "image"
        label = html.escape(f"[image: {alt}]")
        if is_safe_link(src):
            return f'<a href="{html.escape(src)}">{label}</a>'
        return label

    def link_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        href = str(tokens[idx].attrs.get("href", ""))
        if not is_safe_link(href):
            tokens[idx].attrs.pop("href", None)
            return "<span>"
        return f'<a href="{html.escape(href)}" style="color:{self.palette.link}">'

    def link_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        # Pair with link_open: find the matching opener to know what it emitted.
        depth = 0
        for j in range(idx - 1, -1, -1):
            kind = tokens[j].type
            if kind == "link_close":
                depth += 1
            elif kind == "link_open":
                if depth == 0:
                    return "</a>" if "href" in tokens[j].attrs else "</span>"
                depth -= 1
        return "</a>"

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        language = token.info.strip().split(" ")[0] if token.info else ""
        return self._code_block(token.content, language, env)

    def code_block(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return self._code_block(tokens[idx].content, "", env)

    def _code_block(self, code: str, language: str, env: EnvType) -> str:
        blocks: list[str] = env.setdefault("code_blocks", [])
        number = len(blocks)
        blocks.append(code)
        p = self.palette
        body = _highlight(code, language, p.pygments_style)
        label = html.escape(language or "text")
        return (
            f'<table width="100%" cellspacing="0" cellpadding="8" border="0" '
            f'style="background-color:{p.code_background}; margin-top:6px; margin-bottom:6px">'
            f'<tr><td width="95%" style="background-color:{p.code_header}; color:{p.muted}">'
            f'<span style="font-size:small">{label}</span></td>'
            f'<td align="right" style="background-color:{p.code_header}">'
            f'<a href="{COPY_SCHEME}{number}" style="color:{p.link}; font-size:small">Copy</a>'
            f"</td></tr>"
            f'<tr><td colspan="2"><pre style="margin:0">{body}</pre></td></tr></table>'
        )

    def table_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return (
            f'<table cellspacing="0" cellpadding="6" border="1" '
            f'style="border-color:{self.palette.code_border}; border-collapse:collapse;'
            f' margin-top:6px; margin-bottom:6px">'
        )

    def th_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return f'<th style="background-color:{self.palette.code_header}" align="left">'


def _highlight(code: str, language: str, style: str) -> str:
    if len(code) > 200_000 or not language:
        return html.escape(code.rstrip("\n"))
    try:
        lexer = get_lexer_by_name(language, stripnl=False)
    except ClassNotFound:
        return html.escape(code.rstrip("\n"))
    formatter = HtmlFormatter(nowrap=True, noclasses=True, style=style)
    return str(highlight(code, lexer, formatter)).rstrip("\n")


class MarkdownRenderer:
    """Renders Markdown to safe HTML, remembering each code block for its Copy link."""

    def __init__(self, palette: Palette = LIGHT) -> None:
        self._md = MarkdownIt(
            "commonmark",
            # Deeper nesting than commonmark's default of 20 is common in model output;
            # markdown-it drops what is nested deeper than this, so keep it generous.
            {"html": False, "linkify": False, "breaks": False, "maxNesting": MAX_NESTING},
        )
        self._md.enable(["table", "strikethrough"])
        renderer = _SafeRenderer(self._md)
        renderer.palette = palette
        self._md.renderer = renderer

    def render(self, text: str) -> tuple[str, list[str]]:
        """Returns the HTML and the code blocks in order (for ``cairn-copy:N`` links)."""
        env: dict[str, Any] = {}
        body = self._md.render(text, env)
        return f'<div style="line-height:140%">{body}</div>', list(env.get("code_blocks", []))


def plain_to_html(text: str) -> str:
    """User text shown as typed: escaped, line breaks kept."""
    return html.escape(text).replace("\n", "<br>")
