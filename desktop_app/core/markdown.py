"""Model text -> safe HTML for Qt's rich-text widgets.

Model output is untrusted: raw HTML is escaped, images become plain links (nothing remote is
ever loaded), links are kept only for http(s) and mailto, and bidirectional controls are shown
as visible markers so they cannot reorder a line (also the LRM/RLM/ALM marks in link text; see
``core.link_safety``). Code blocks are highlighted with
Pygments using inline colours, which Qt's rich text understands. A LaTeX formula becomes an
image of it typeset (``math_typeset``) when the renderer is given a ``FormulaLookup`` that has
it ready, with the LaTeX as the image's title (tooltip, copy, screen readers); otherwise, and
while it is being typeset, it is shown as readable Unicode text made by `math_text`. Task
lists get ☐/☑ glyphs, as Qt cannot show checkboxes.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.dollarmath.index import math_inline_dollar
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from desktop_app.core.link_safety import neutralise_bidi
from desktop_app.core.math_text import latex_to_html
from desktop_app.core.math_typeset import (
    FormulaLookup,
    FormulaState,
    formula_image_name,
    pending_mark,
)
from desktop_app.core.safe_html import (  # kept importable from here
    COPY_SCHEME,
    DARK,
    LIGHT,
    SAFE_SCHEMES,
    Palette,
    is_safe_link,
    plain_to_html,
)

__all__ = [
    "COPY_SCHEME", "DARK", "LIGHT", "MAX_NESTING", "SAFE_SCHEMES", "MarkdownRenderer", "Palette",
    "is_safe_link", "plain_to_html", "stable_prefix_length",
]
MAX_NESTING = 100
# Longer replies are shown as plain text: markdown-it-py needs about 4 s per MB, and the
# longest real reply (128k output tokens) is about half a megabyte.
MAX_MARKDOWN_CHARS = 1_000_000
# Deeper than this, blocks are shown as plain lines rather than nested further, because
# markdown-it silently drops everything past maxNesting, including the rest of the reply.
_DEEP_LEVEL = MAX_NESTING - 10
_MATH_BLOCK_LINES = 200  # how far a $$ or \[ looks for its closing line
_MATH_FONTS = "Cambria,'DejaVu Serif','Times New Roman',serif"
_CACHED_MATH_CHARS = 2_000  # formulas up to this size are cached: streaming re-renders them


@lru_cache(maxsize=1024)
def _cached_math(source: str) -> str:
    return latex_to_html(source)


def _math_html(source: str) -> str:
    """LaTeX as HTML; small formulas are cached because a streamed reply renders them often."""
    source = source.strip()
    return _cached_math(source) if len(source) <= _CACHED_MATH_CHARS else latex_to_html(source)


class _SafeRenderer(RendererHTML):
    """markdown-it's HTML renderer with the unsafe parts replaced."""

    palette: Palette = LIGHT
    formulas: FormulaLookup | None = None

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        src = str(token.attrs.get("src", ""))
        alt = self.renderInlineAsText(token.children or [], options, env) or "image"
        label = html.escape(f"[image: {alt}]")
        if is_safe_link(src):
            return f'<a href="{html.escape(src)}">{neutralise_bidi(label, marks=True)}</a>'
        return label

    def link_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        href = str(tokens[idx].attrs.get("href", ""))
        if not is_safe_link(href):
            tokens[idx].attrs.pop("href", None)
            return "<span>"
        _mark_link_text(tokens, idx)
        return f'<a href="{html.escape(href)}" style="color:{self.palette.link}">'

    def link_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
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

    def html_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        # The parser has HTML off, so only a plugin could make these: show them, never run them.
        return html.escape(tokens[idx].content)

    def html_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return html.escape(tokens[idx].content)

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        language = token.info.strip().split(" ")[0] if token.info else ""
        return self._code_block(token.content, language, env)

    def code_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return self._code_block(tokens[idx].content, "", env)

    def _code_block(self, code: str, language: str, env: EnvType) -> str:
        blocks: list[str] = env.setdefault("code_blocks", [])
        number = env.get("first_code_block", 0) + len(blocks)
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

    def table_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return (
            f'<table cellspacing="0" cellpadding="6" border="1" '
            f'style="border-color:{self.palette.code_border}; border-collapse:collapse;'
            f' margin-top:6px; margin-bottom:6px">'
        )

    def th_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return f'<th style="background-color:{self.palette.code_header}" align="left">'

    def bullet_list_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        if tokens[idx].meta.get("tasks"):  # every item has its ☐/☑: no bullet as well
            return '<ul style="list-style-type:none">\n'
        return "<ul>\n"

    def task_checkbox(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return "☑ " if tokens[idx].meta.get("checked") else "☐ "

    def math_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        latex = tokens[idx].content
        state = self._formula_state(latex, display=False)
        if state is FormulaState.READY:
            # Qt sets an image's middle at half the x-height above the baseline: the
            # image is padded so that the formula's own baseline falls on the line's.
            return self._formula_image(latex, display=False, style="vertical-align:middle")
        text = f'<span style="{self._math_style()}">{_math_html(latex)}</span>'
        return _mark_pending(state, latex, display=False) + text

    # $$...$$ inside a paragraph cannot be a centred block in Qt's rich text: show it inline.
    math_inline_double = math_inline

    def math_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        latex = tokens[idx].content
        state = self._formula_state(latex, display=True)
        if state is FormulaState.READY:
            # Not the reply's 140 % line height (which Qt's HTML import gives the first
            # paragraph of a piece): 40 % of a tall formula's height would go below it.
            image = self._formula_image(latex, display=True)
            return f'<p align="center" style="line-height:100%">{image}</p>\n'
        body = _math_html(latex)
        paragraph = f'<p align="center" style="{self._math_style()}">{body}</p>\n'
        return _mark_pending(state, latex, display=True) + paragraph

    def _math_style(self) -> str:
        return f"font-family:{_MATH_FONTS}; color:{self.palette.math}"

    def _formula_state(self, latex: str, display: bool) -> FormulaState:
        if self.formulas is None:
            return FormulaState.FAILED
        return self.formulas(latex.strip(), display)

    def _formula_image(self, latex: str, display: bool, style: str = "") -> str:
        """The typeset formula as an image; its title keeps the LaTeX (tooltip, Copy,
        screen readers), with line breaks as character references so they survive."""
        source = latex.strip()
        name = formula_image_name(source, display, self.palette.math)
        title = html.escape(source).replace("\n", "&#10;")
        style_attribute = f' style="{style}"' if style else ""
        return f'<img src="{name}" title="{title}"{style_attribute}>'


def _mark_pending(state: FormulaState, latex: str, display: bool) -> str:
    return pending_mark(latex.strip(), display) if state is FormulaState.PENDING else ""


def _mark_link_text(tokens: Sequence[Token], idx: int) -> None:
    """Shows the LRM/RLM/ALM marks in the text of the link opened at ``idx`` as markers too:
    in link text they serve only to disguise an address. (The other bidi controls are
    replaced everywhere, in ``MarkdownRenderer.render``.)"""
    depth = 0
    for i in range(idx + 1, len(tokens)):
        token = tokens[i]
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            if depth == 0:
                return
            depth -= 1
        elif token.content and token.type in ("text", "code_inline", "math_inline",
                                              "math_inline_double"):
            token.content = neutralise_bidi(token.content, marks=True)


# Languages whose highlighters are loaded ahead (see ``warm_up``): loading one the first time
# takes 20-90 ms (imports and regular expressions), which would stall a streaming reply.
COMMON_LANGUAGES = ("python", "javascript", "typescript", "bash", "json", "html", "css", "sql",
                    "rust", "go", "java", "c", "cpp", "yaml", "toml", "diff")


def warm_up(languages: tuple[str, ...] = COMMON_LANGUAGES) -> None:
    """Do the first-use work of rendering (the parser's rules, each common language's
    highlighter) now, on a worker thread, instead of in the middle of the first reply."""
    renderer = MarkdownRenderer()
    sample = "\n".join(f"```{language}\nx = 1\n```\n" for language in languages)
    renderer.render("# Title\n\n*Some* `code`, $x^2$ and a [link](https://example.com).\n\n"
                    "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n" + sample)


def _highlight(code: str, language: str, style: str) -> str:
    lexer = _lexer(language) if language and len(code) <= 200_000 else None
    if lexer is None:
        return html.escape(code.rstrip("\n"))
    return str(highlight(code, lexer, _formatter(style))).rstrip("\n")


# Lexers and formatters hold no state between uses; building them costs more than
# highlighting a short block (a formatter resolves its whole style, about 2 ms), so a reply
# with many code blocks reuses one of each.
@lru_cache(maxsize=64)
def _lexer(language: str) -> Any:
    """The highlighter for a language name, or None for a name Pygments does not know."""
    try:
        return get_lexer_by_name(language, stripnl=False)
    except ClassNotFound:
        return None


@lru_cache(maxsize=4)
def _formatter(style: str) -> HtmlFormatter:
    return HtmlFormatter(nowrap=True, noclasses=True, style=style)


# -- parser rules -------------------------------------------------------------------------------


def _math_block_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Display math: ``$$ ... $$`` or ``\\[ ... \\]`` starting a line, on one or more lines.

    Unlike dollarmath's block rule this never crosses a blank line and looks at most
    _MATH_BLOCK_LINES ahead, so a reply full of stray ``$$`` stays linear, and a blank line is
    always a safe place to split a streamed reply (see `stable_prefix_length`).
    """
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False  # indented code
    src = state.src
    start = state.bMarks[start_line] + state.tShift[start_line]
    if src.startswith("$$", start):
        closer = "$$"
    elif src.startswith("\\[", start):
        closer = "\\]"
    else:
        return False
    first = src[start + 2 : state.eMarks[start_line]].rstrip()
    if closer in first:  # all on one line: the closer must end it
        if not first.endswith(closer) or closer in first[:-2]:
            return False
        parts = [first[:-2]]
        last_line = start_line
    else:
        last_line = _next_closing_line(state, closer, start_line + 1)
        if last_line < 0 or last_line >= min(end_line, start_line + 1 + _MATH_BLOCK_LINES):
            return False
        blocked = state.env.get("cairn_math_blocked")
        if (blocked is not None and blocked[0] is src and blocked[1] == state.blkIndent
                and blocked[2] <= start_line < blocked[3] < last_line):
            return False  # the line that stopped an earlier opener stops this one too
        parts = [first]
        for line in range(start_line + 1, last_line + 1):
            if state.isEmpty(line) or state.sCount[line] < state.blkIndent:
                state.env["cairn_math_blocked"] = (src, state.blkIndent, start_line, line)
                return False
            text = src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]].rstrip()
            parts.append(text[:-2] if line == last_line else text)
    content = "\n".join(parts)
    if not content.strip():
        return False
    if silent:
        return True
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = content
    token.markup = closer
    token.map = [start_line, last_line + 1]
    state.line = last_line + 1
    return True


def _next_closing_line(state: StateBlock, closer: str, from_line: int) -> int:
    """The first line at or after `from_line` that ends with `closer`, or -1.

    Lines are indexed once per document, so a reply with thousands of unclosed ``$$`` lines
    costs a binary search per line rather than a scan ahead per line.
    """
    cache: dict[str, Any] = state.env.setdefault("cairn_math_lines", {})
    cached = cache.get(closer)
    if cached is None or cached[0] is not state.src:
        pattern = re.escape(closer) + r"[ \t]*$"
        ends = state.eMarks
        found = re.finditer(pattern, state.src, re.MULTILINE)
        lines = [bisect_left(ends, m.start()) for m in found]
        cached = cache[closer] = (state.src, lines)
    lines = cached[1]
    i = bisect_left(lines, from_line)
    return int(lines[i]) if i < len(lines) else -1


_BRACKET_CLOSERS = {"(": "\\)", "[": "\\]"}


def _math_inline_bracket_rule(state: StateInline, silent: bool) -> bool:
    """Inline ``\\( ... \\)`` (and ``\\[ ... \\]`` in the middle of a paragraph)."""
    src = state.src
    pos = state.pos
    if src[pos] != "\\" or pos + 1 >= state.posMax or src[pos + 1] not in _BRACKET_CLOSERS:
        return False
    end = _next_closer(state, _BRACKET_CLOSERS[src[pos + 1]], pos + 2)
    if end < 0 or end + 2 > state.posMax or not src[pos + 2 : end].strip():
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content = src[pos + 2 : end]
        token.markup = src[pos : pos + 2]
    state.pos = end + 2
    return True


def _next_closer(state: StateInline, closer: str, start: int) -> int:
    """Where the next `closer` is in the paragraph, or -1; indexed once per paragraph so that
    many unclosed openers cost a binary search each, not a scan to the end each."""
    cache: dict[str, Any] = state.env.setdefault("cairn_math_closers", {})
    cached = cache.get(closer)
    if cached is None or cached[0] is not state.src:
        positions = [m.start() for m in re.finditer(re.escape(closer), state.src)]
        cached = cache[closer] = (state.src, positions)
    positions = cached[1]
    i = bisect_left(positions, start)
    return int(positions[i]) if i < len(positions) else -1


_TASK_MARKER = re.compile(r"\[([ xX])\](?:[ \t]+|$)")


def _task_list_rule(state: StateCore) -> None:
    """GFM task items: ``- [ ] todo`` gets a ☐ (``[x]``: ☑); a list of only tasks, no bullets.

    One pass with a stack of open lists, because mdit_py_plugins' tasklists emits <input>
    (which Qt cannot show) and searches backwards for each item's list (quadratic).
    """
    tokens = state.tokens
    open_lists: list[tuple[Token, list[bool]]] = []
    for i, token in enumerate(tokens):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            open_lists.append((token, [True]))
        elif kind in ("bullet_list_close", "ordered_list_close") and open_lists:
            opener, all_tasks = open_lists.pop()
            if all_tasks[0]:
                opener.meta["tasks"] = True
        elif kind == "list_item_open":
            is_task = (
                i + 2 < len(tokens)
                and tokens[i + 1].type == "paragraph_open"
                and tokens[i + 2].type == "inline"
                and _make_task(tokens[i + 2])
            )
            if open_lists and not is_task:
                open_lists[-1][1][0] = False


def _make_task(inline: Token) -> bool:
    children = inline.children
    if not children or children[0].type != "text" or len(inline.content.strip()) <= 3:
        return False
    first = children[0]
    match = _TASK_MARKER.match(first.content)
    if match is None:
        return False
    first.content = first.content[match.end() :]
    checkbox = Token("task_checkbox", "", 0)
    checkbox.meta = {"checked": match.group(1) != " "}
    children.insert(0, checkbox)
    return True


_CONTAINER_MARKERS = re.compile(r"(?:(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]*)+")


def _deep_block_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Past _DEEP_LEVEL, shows the rest of the container as plain lines (markers stripped)
    instead of nesting on until markdown-it gives up and drops the rest of the reply."""
    if state.level < _DEEP_LEVEL or silent:
        return False
    last = start_line
    line = start_line
    while line < end_line:
        if not state.isEmpty(line):
            if state.sCount[line] < state.blkIndent:
                break
            last = line
            text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
            text = _CONTAINER_MARKERS.sub("", text, count=1).strip()
            if text:  # own token types: a tight list would hide paragraph_open's <p>
                opening = state.push("deep_line_open", "p", 1)
                opening.map = [line, line + 1]
                opening.block = True
                inline = state.push("inline", "", 0)
                inline.content = text
                inline.map = [line, line + 1]
                inline.children = []
                state.push("deep_line_close", "p", -1).block = True
        line += 1
    state.line = last + 1
    return True


def _make_parser() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        # Deeper nesting than commonmark's default of 20 is common in model output.
        {"html": False, "linkify": False, "breaks": False, "maxNesting": MAX_NESTING},
    )
    md.enable(["table", "strikethrough"])
    md.block.ruler.before("table", "cairn_deep", _deep_block_rule)
    md.block.ruler.before(
        "fence", "cairn_math_block", _math_block_rule,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    # dollarmath's inline rule: "$5 and $10" stays text (no space inside the dollars, no
    # digit right after the closing one), "$$x$$" inside a paragraph is math too.
    md.inline.ruler.before(
        "escape", "math_inline",
        math_inline_dollar(allow_space=False, allow_digits=False, allow_double=True),
    )
    md.inline.ruler.before("escape", "cairn_math_bracket", _math_inline_bracket_rule)
    md.core.ruler.after("inline", "cairn_task_lists", _task_list_rule)
    return md


class MarkdownRenderer:
    """Renders Markdown to safe HTML, remembering each code block for its Copy link."""

    def __init__(self, palette: Palette = LIGHT, formulas: FormulaLookup | None = None) -> None:
        """A renderer for one theme.

        Args:
            palette: the colours of the theme.
            formulas: says which formulas are typeset (shown as images named by
                ``math_typeset.formula_image_name``); without it formulas are Unicode text.
        """
        self._md = _make_parser()
        renderer = _SafeRenderer(self._md)
        renderer.palette = palette
        renderer.formulas = formulas
        self._md.renderer = renderer
        self._palette = palette

    def render(self, text: str, first_code_block: int = 0) -> tuple[str, list[str]]:
        """Returns the HTML and this text's code blocks in order (for ``cairn-copy:N`` links).

        Args:
            text: the Markdown.
            first_code_block: the number of the first code block's Copy link, so a reply
                rendered in chunks (see `stable_prefix_length`) numbers its blocks as a whole.
        """
        if len(text) > MAX_MARKDOWN_CHARS:
            return neutralise_bidi(self._render_plain(text)), []
        env: dict[str, Any] = {"first_code_block": first_code_block}
        body = self._md.render(text, env)
        # Bidi controls may sit anywhere (prose, code, maths, link text): replaced in the
        # finished HTML, so no path through the renderer can miss one. Code blocks copy as
        # written.
        html_text = neutralise_bidi(f'<div style="line-height:140%">{body}</div>')
        return html_text, list(env.get("code_blocks", []))

    def _render_plain(self, text: str) -> str:
        note = "This reply is too long to format, so it is shown as plain text."
        return (
            f'<div style="line-height:140%"><p style="color:{self._palette.muted}">{note}</p>'
            f'<p style="white-space:pre-wrap">{html.escape(text)}</p></div>'
        )


# -- streaming ----------------------------------------------------------------------------------

_BLOCK_PARSER: MarkdownIt | None = None


def _block_parser() -> MarkdownIt:
    """The renderer's parser without the inline pass: only block structure is needed."""
    global _BLOCK_PARSER
    if _BLOCK_PARSER is None:
        md = _make_parser()
        md.disable(["inline", "text_join", "cairn_task_lists"])
        _BLOCK_PARSER = md
    return _BLOCK_PARSER


def stable_prefix_length(text: str) -> int:
    """How much of a still-growing reply is complete top-level blocks that cannot change.

    The boundary is the start of a line that follows a blank line, begins in column 0, is
    complete (a newline follows it), and starts a new top-level block in markdown-it's own
    parse, so no fence, list or math block spans it. More text cannot change what comes
    before it: render ``text[:n]`` once and re-render only ``text[n:]`` as it grows. A
    boundary stays a boundary, so during streaming pass only the text after the last
    boundary (the cost is linear in what you pass) and add the offsets.

    Reference-style links are the exception: a ``[ref]: url`` arriving later does not link a
    ``[text][ref]`` in a chunk already rendered. Texts over MAX_MARKDOWN_CHARS render as plain
    text as a whole but not in chunks.

    Returns:
        An offset into `text`: 0, or the start of a line; 0 if no boundary is certain yet.
    """
    # markdown-it reads \r\n and \r as \n; keep offsets by replacing them one for one.
    source = text.replace("\r\n", " \n").replace("\r", "\n")
    candidates: list[tuple[int, int]] = []  # (line number, offset of its start)
    offset = line_number = 0
    previous_blank = False
    while True:
        newline = source.find("\n", offset)
        if newline < 0:
            break  # the last line is still being written
        blank = not source[offset:newline].strip(" \t")
        if previous_blank and not blank and source[offset] not in " \t":
            candidates.append((line_number, offset))
        previous_blank = blank
        offset = newline + 1
        line_number += 1
    if not candidates:
        return 0
    # Lines after the last candidate cannot change how the lines before it parse.
    last_offset = candidates[-1][1]
    tokens = _block_parser().parse(source[: source.index("\n", last_offset) + 1], {})
    starts = {token.map[0] for token in tokens if token.level == 0 and token.map is not None}
    for line, start in reversed(candidates):
        if line in starts:
            return start
    return 0
