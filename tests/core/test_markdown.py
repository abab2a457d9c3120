"""Markdown from the model rendered as safe HTML: nothing runs, nothing loads, links are vetted."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core import markdown
from desktop_app.core.markdown import (
    DARK,
    LIGHT,
    MarkdownRenderer,
    is_safe_link,
    plain_to_html,
    stable_prefix_length,
)

FORBIDDEN_TAGS = {"script", "img", "iframe", "object", "embed", "style", "link", "meta", "form",
                  "input", "svg", "video", "audio", "base"}


class _Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Parsed:
    parser = _Parsed()
    parser.feed(html)
    parser.close()
    return parser


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    return parse(html).tags


def tag_names(html: str) -> list[str]:
    return [tag for tag, _ in tags(html)]


def visible_text(html: str) -> str:
    """What a reader sees (entities decoded, markup removed)."""
    return "".join(parse(html).text)


def hrefs(html: str) -> list[str]:
    return [attrs["href"] or "" for _, attrs in tags(html) if "href" in attrs]


def assert_safe(html: str) -> None:
    """No active content, no event handlers, and every link is web, mail or our Copy link."""
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<img" not in lowered
    for tag, attrs in tags(html):
        assert tag not in FORBIDDEN_TAGS, html
        assert not any(name.startswith("on") for name in attrs), html
        assert "src" not in attrs, html
    for href in hrefs(html):
        assert is_safe_link(href) or re.fullmatch(r"cairn-copy:\d+", href), href


def render(text: str) -> str:
    html, _ = MarkdownRenderer().render(text)
    assert_safe(html)
    return html


# -- raw HTML -----------------------------------------------------------------------------------


def test_raw_html_is_shown_as_text(subtests: Any) -> None:
    for source in [
        "<script>alert(1)</script>",
        "Hello <script>alert(1)</script> world",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        '<img src="http://evil.example/track.png" onerror="alert(1)">',
        '<div onclick="steal()">click</div>',
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        "<style>body{display:none}</style>",
    ]:
        with subtests.test(source=source):
            html = render(source)
            assert "&lt;" in html
            assert source.strip() in visible_text(html)  # shown exactly as written
            assert hrefs(html) == []


def test_raw_html_text_stays_readable() -> None:
    html = render("Use <b>bold</b> & <br> tags")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&amp;" in html


# -- links --------------------------------------------------------------------------------------


def test_unsafe_links_are_not_clickable_but_their_text_stays(subtests: Any) -> None:
    for url in [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "myapp://open?x=1",
        "cairn-copy:0",  # a model must not fake our Copy links
        "ftp://files.example/x",
        "/etc/passwd",
        "relative/page.html",
        "#anchor",
    ]:
        with subtests.test(url=url):
            html = render(f"see [the docs]({url}) now")
            assert "the docs" in visible_text(html)
            assert hrefs(html) == []


def test_unsafe_links_in_other_forms(subtests: Any) -> None:
    for source in [
        "<javascript:alert(1)>",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        "[x][ref]\n\n[ref]: myapp://x",
        "[outer [inner](http://ok.example) text](javascript:alert(1))",
    ]:
        with subtests.test(source=source):
            html = render(source)
            assert all(h.startswith("http://ok.example") for h in hrefs(html))


def test_web_and_mail_links_are_kept(subtests: Any) -> None:
    for source, href in [
        ("[site](https://example.com/a?b=1&c=2)", "https://example.com/a?b=1&c=2"),
        ("[site](http://example.com)", "http://example.com"),
        ("[SITE](HTTPS://EXAMPLE.COM)", "HTTPS://EXAMPLE.COM"),
        ("<https://example.com/x>", "https://example.com/x"),
        ("[mail](mailto:someone@example.com)", "mailto:someone@example.com"),
        ("<someone@example.com>", "mailto:someone@example.com"),
        ("[ref link][r]\n\n[r]: https://example.com/r", "https://example.com/r"),
    ]:
        with subtests.test(source=source):
            assert hrefs(render(source)) == [href]


def test_link_attributes_cannot_be_injected() -> None:
    html = render(r'[x](https://a.example/"onmouseover="alert(1) "t\" onclick=\"y")')
    (href,) = hrefs(html)
    assert href.startswith("https://a.example/")
    assert '"' not in href
    for _, attrs in tags(html):
        assert "title" not in attrs
        assert not any("alert" in (value or "") for name, value in attrs.items() if name != "href")


def test_links_use_the_palette_colour() -> None:
    light, _ = MarkdownRenderer(LIGHT).render("[a](https://x.example)")
    dark, _ = MarkdownRenderer(DARK).render("[a](https://x.example)")
    assert LIGHT.link in light and DARK.link in dark


def test_is_safe_link() -> None:
    assert [is_safe_link(u) for u in ("https://x", "  HTTP://x", "mailto:a@b")] == [True] * 3
    unsafe = ("javascript:x", "file:///x", "data:,x", "cairn-copy:1", "", "httpx://x")
    assert [is_safe_link(u) for u in unsafe] == [False] * len(unsafe)


# -- images -------------------------------------------------------------------------------------


def test_images_become_links_never_img() -> None:
    html = render("![a chart](https://example.com/chart.png)")
    assert "[image: a chart]" in html
    assert hrefs(html) == ["https://example.com/chart.png"]


def test_images_from_elsewhere_are_only_text(subtests: Any) -> None:
    for url in ["data:image/png;base64,iVBORw0KGgo=", "file:///home/me/secret.png",
                "track.png", "javascript:alert(1)", "myapp://img"]:
        with subtests.test(url=url):
            html = render(f"![pixel]({url})")
            assert hrefs(html) == []
            assert "pixel" in visible_text(html)


def test_image_without_alt_text_and_with_markup_in_alt() -> None:
    assert "[image: image]" in render("![](https://example.com/x.png)")
    html = render('![<b>"bold"</b> *alt*](https://example.com/x.png)')
    assert "<b>" not in html


def test_image_inside_a_link() -> None:
    html = render("[![logo](https://example.com/logo.png)](https://example.com)")
    assert "[image: logo]" in html


# -- code blocks --------------------------------------------------------------------------------


def test_code_block_is_highlighted_with_a_label_and_copy_link() -> None:
    source = "Intro\n\n```python\ndef f(x):\n    return x + 1\n```\n"
    html, blocks = MarkdownRenderer().render(source)
    assert_safe(html)
    assert blocks == ["def f(x):\n    return x + 1\n"]
    assert "python" in visible_text(html)
    assert "cairn-copy:0" in hrefs(html)
    assert '<span style="color' in html  # Pygments inline colours
    assert "def f(x):\n    return x + 1" in visible_text(html)


def test_several_code_blocks_come_back_in_order() -> None:
    source = (
        "```js\nconsole.log(1)\n```\n\nprose\n\n    indented block\n\n"
        "- item\n\n  ```\n  in a list\n  ```\n"
    )
    html, blocks = MarkdownRenderer().render(source)
    assert_safe(html)
    assert blocks == ["console.log(1)\n", "indented block\n", "in a list\n"]
    copy_links = [h for h in hrefs(html) if h.startswith("cairn-copy:")]
    assert copy_links == ["cairn-copy:0", "cairn-copy:1", "cairn-copy:2"]
    seen = visible_text(html)
    assert "js" in seen
    assert "text" in seen  # no language: labelled as text


def test_each_render_numbers_code_blocks_from_zero() -> None:
    renderer = MarkdownRenderer()
    renderer.render("```\na\n```")
    html, blocks = renderer.render("```\nb\n```")
    assert blocks == ["b\n"]
    assert "cairn-copy:0" in hrefs(html)


def test_code_is_escaped_not_run() -> None:
    source = "```html\n<script>alert('x')</script>\n<img src=x onerror=y>\n```"
    html, blocks = MarkdownRenderer().render(source)
    assert_safe(html)
    assert blocks == ["<script>alert('x')</script>\n<img src=x onerror=y>\n"]
    plain, _ = MarkdownRenderer().render("```\n<script>alert(1)</script>\n```")
    assert "&lt;script&gt;" in plain


def test_unknown_or_hostile_language_label(subtests: Any) -> None:
    for language in ["not-a-language", '"><script>x</script>', "<img"]:
        with subtests.test(language=language):
            html, blocks = MarkdownRenderer().render(f"```{language}\nplain <b>code</b>\n```")
            assert_safe(html)
            assert blocks == ["plain <b>code</b>\n"]
            assert "plain <b>code</b>" in visible_text(html)
            assert language in visible_text(html)  # the label, as text


def test_inline_code_is_escaped() -> None:
    html = render("Use `<script>` here")
    assert "code" in tag_names(html)
    assert "Use <script> here" in visible_text(html)


# -- other markdown -----------------------------------------------------------------------------


def test_tables_render() -> None:
    html = render("| Name | Value |\n|------|------:|\n| a | **1** |\n| b | 2 |")
    names = tag_names(html)
    assert "table" in names
    assert names.count("th") == 2
    assert names.count("td") == 4
    assert names.count("tr") == 3
    assert "strong" in names
    assert [t for t in visible_text(html).split() if t] == ["Name", "Value", "a", "1", "b", "2"]


def test_strikethrough_renders() -> None:
    html = render("this is ~~gone~~ now")
    assert re.search(r"<(s|del|strike)\b[^>]*>gone</\1>", html)
    assert "~~" not in html


def test_common_markdown_renders() -> None:
    html = render("# Title\n\n*em* **strong**\n\n- a\n- b\n\n1. one\n\n> quote")
    names = tag_names(html)
    for tag in ("h1", "em", "strong", "ul", "li", "ol", "blockquote"):
        assert tag in names
    assert "*" not in visible_text(html)


def test_plain_to_html_escapes_and_keeps_line_breaks() -> None:
    assert plain_to_html("a < b\n<script>\n&") == "a &lt; b<br>&lt;script&gt;<br>&amp;"


# -- task lists ---------------------------------------------------------------------------------


def test_task_items_show_a_box_glyph_and_no_bullet() -> None:
    html = render("- [ ] write tests\n- [x] read the brief\n- [X] also done")
    assert "input" not in html
    assert visible_text(html).split("\n")[1:4] == [
        "☐ write tests", "☑ read the brief", "☑ also done"]
    assert '<ul style="list-style-type:none">' in html  # the glyph replaces the bullet


def test_a_list_mixing_tasks_and_items_keeps_its_bullets() -> None:
    html = render("- [ ] a task\n- a plain item")
    assert "☐ a task" in visible_text(html)
    assert "list-style-type" not in html


def test_task_markers_that_are_not_tasks(subtests: Any) -> None:
    for source, seen in [
        ("- [ ]", "[ ]"),  # nothing to do
        ("- [y] maybe", "[y] maybe"),
        ("- [x](https://x.example) a link", "x a link"),
        ("- \\[ ] escaped", "[ ] escaped"),
        ("[ ] not in a list", "[ ] not in a list"),
    ]:
        with subtests.test(source=source):
            text = visible_text(render(source))
            assert seen in text
            assert "☐" not in text and "☑" not in text


def test_task_items_in_ordered_and_nested_lists() -> None:
    html = render("1. [x] first\n2. [ ] second\n   - [ ] nested **bold**")
    text = visible_text(html)
    assert "☑ first" in text and "☐ second" in text and "☐ nested bold" in text
    assert "strong" in tag_names(html)


# -- math ---------------------------------------------------------------------------------------


def math_spans(html: str) -> list[str]:
    return re.findall(r'<span style="font-family:[^"]*">(.*?)</span>', html)


def test_inline_math_in_every_notation() -> None:
    html = render(r"Let $x^2$ and \(\alpha \le \beta\) hold.")
    assert "x<sup>2</sup>" in html.replace("<i>", "").replace("</i>", "")
    assert "Let x2 and α ≤ β hold." == visible_text(html).strip()


def test_display_math_is_a_centred_paragraph(subtests: Any) -> None:
    for source in ["$$\n\\frac{a}{b}\n$$", "$$ \\frac{a}{b} $$", "\\[\n\\frac{a}{b}\n\\]",
                   "Intro:\n$$\n\\frac{a}{b}\n$$\nafter", "> $$\n> \\frac{a}{b}\n> $$",
                   "- item\n\n  \\[ \\frac{a}{b} \\]"]:
        with subtests.test(source=source):
            html = render(source)
            (paragraph,) = re.findall(r'<p align="center" style="[^"]*">(.*?)</p>', html)
            assert paragraph == "<i>a</i>/<i>b</i>"
            assert "$" not in visible_text(html) and "\\" not in visible_text(html)


def test_prices_are_not_math(subtests: Any) -> None:
    for source in ["It costs $5 and $10.", "between $5-$10", "$5, or $10 for two",
                   "from $20,000 to $30,000", "$5/$10", "Pay $5 now. Later, $ 3 more.",
                   "save $$$ today", "US$5 and CA$6"]:
        with subtests.test(source=source):
            html = render(source)
            assert math_spans(html) == []
            assert visible_text(html).strip() == source


def test_math_next_to_prices_and_code() -> None:
    html = render("It costs $5, and the area is $\\pi r^2$. Code: `$x$`, escaped: \\$y\\$.")
    assert len(math_spans(html)) == 1
    assert "It costs $5, and the area is πr2. Code: $x$, escaped: $y$." in visible_text(html)


def test_unclosed_math_is_shown_as_written(subtests: Any) -> None:
    for source, seen in [("$$\nx^2", "$$\nx^2"), ("\\[ x", "[ x"), ("\\(x", "(x"), ("$x", "$x"),
                         ("$$\nx\n\ny\n$$", "$$\nx\ny\n$$")]:  # \[ alone: an escaped [
        with subtests.test(source=source):
            html = render(source)
            assert '<p align="center"' not in html
            assert visible_text(html).strip() == seen


def test_math_cannot_inject_markup(subtests: Any) -> None:
    for source in ["$<script>alert(1)</script>$", "$$\n<img src=x onerror=y>\n$$",
                   r"\(\text{<iframe src=https://evil.example>}\)",
                   r"$\href{javascript:alert(1)}{x}$", "$a</span><script>x</script>$"]:
        with subtests.test(source=source):
            html = render(source)
            assert hrefs(html) == []
            assert {t for t in tag_names(html)} <= {"div", "p", "span", "i", "b", "sup", "sub",
                                                     "br"}


def test_math_uses_the_palette_colour() -> None:
    light, _ = MarkdownRenderer(LIGHT).render("$x$")
    dark, _ = MarkdownRenderer(DARK).render("$$\nx\n$$")
    assert f"color:{LIGHT.math}" in light and f"color:{DARK.math}" in dark
    assert LIGHT.math != DARK.math


# -- hostile sizes ------------------------------------------------------------------------------

HUGE = {
    "one 100,000-character line": ("word *em* [l](https://x.example) `c` " * 2700)[:100_000],
    "100,000 characters without a space": "x" * 100_000,
    "2,000 nested list items": "\n".join("  " * i + f"- item {i}" for i in range(2_000)),
    "2,000 list markers on one line": "- " * 2_000 + "x",
    "2,000 nested quotes": ">" * 2_000 + " deep",
    "2,000 list items": "\n".join(f"- item {i}" for i in range(2_000)),
}


def test_huge_input_renders(subtests: Any) -> None:
    # No timing here (speed targets live in benchmarks/); pytest-timeout catches a hang.
    for name, source in HUGE.items():
        with subtests.test(name):
            html, _ = MarkdownRenderer().render(source)
            assert_safe(html)


def test_a_huge_line_is_rendered_whole() -> None:
    html = render("x" * 100_000)
    assert visible_text(html).strip() == "x" * 100_000


def test_deeply_nested_list_loses_no_text() -> None:
    source = "\n".join("  " * i + f"- item{i}" for i in range(12)) + "\n\nThe conclusion."
    html = render(source)
    assert "item11" in html
    assert "The conclusion." in html



def visible_lines(html: str) -> list[str]:
    return [line.strip() for line in visible_text(html).splitlines() if line.strip()]


def test_a_five_megabyte_reply_is_shown_as_plain_text() -> None:
    source = "# Start\n\n" + ("Some **bold** text <b>x</b>.\n\n" * 170_000) + "The end."
    assert len(source) > 5_000_000
    html, blocks = MarkdownRenderer().render(source)
    assert_safe(html)
    assert blocks == []
    text = visible_text(html)
    assert "too long to format" in text
    assert "# Start" in text and text.rstrip().endswith("The end.")
    assert "<b>x</b>" in text  # shown, escaped, not run


def test_the_plain_text_fallback_keeps_every_character(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown, "MAX_MARKDOWN_CHARS", 50)
    source = "<script>alert(1)</script>\n  indented   spaces\n[x](javascript:y) & ```"
    html, _ = MarkdownRenderer(DARK).render(source)
    assert_safe(html)
    assert visible_text(html).endswith(source)
    assert "white-space:pre-wrap" in html and DARK.muted in html


def test_ten_thousand_nested_list_markers_keep_the_deepest_text() -> None:
    html = render("- " * 10_000 + "the deepest item")
    assert "the deepest item" in visible_text(html)


def test_ten_thousand_nested_quotes_keep_their_text_and_what_follows() -> None:
    html = render(">" * 10_000 + " the deepest quote\n\nAfterwards.")
    text = visible_text(html)
    assert "the deepest quote" in text and "Afterwards." in text
    assert ">>" not in text  # the quote markers past the nesting limit are not shown


def test_ten_thousand_items_nesting_past_the_limit_all_stay_visible() -> None:
    depth = 55  # markdown-it gives up at 50 nested lists (maxNesting 100)
    lines = [" " * (2 * d) + f"- item {run}.{d}" for run in range(10_000 // depth + 1)
             for d in range(depth)][:10_000]
    html = render("\n".join(lines) + "\n\nThe conclusion.")
    seen = visible_lines(html)
    assert seen[:-1] == [line.strip()[2:] for line in lines]  # every item, in order
    assert seen[-1] == "The conclusion."


def test_a_deep_list_then_more_text() -> None:
    source = "\n".join("  " * i + f"- item{i}" for i in range(300)) + "\n\nThe conclusion."
    seen = visible_lines(render(source))
    assert seen == [f"item{i}" for i in range(300)] + ["The conclusion."]


def test_a_100000_character_line_of_markup() -> None:
    line = ("word *em* [l](https://x.example) `c` $x^2$ \\(y\\) $5 " * 2_000)[:100_000]
    html = render(line)
    text = visible_text(html)
    assert text.count("word") == line.count("word")
    assert text.count("l") >= line.count("[l]")


def test_many_unclosed_math_openers_render() -> None:
    for source in ["$" * 100_000, "\\( a " * 20_000, "\n".join("\\[ a" for _ in range(20_000)),
                   "text\n" + "\n".join("$$ a" for _ in range(20_000)),
                   "\n".join("- $$ a" for _ in range(5_000))]:
        html = render(source)
        assert '<p align="center"' not in html


def test_a_huge_code_block_is_shown_whole_and_copyable() -> None:
    code = "x = 1  # <tag>\n" * 20_000  # 300 KB: over the highlighting limit
    html, blocks = MarkdownRenderer().render(f"```python\n{code}```\n\nafter")
    assert_safe(html)
    assert blocks == [code]
    assert hrefs(html) == ["cairn-copy:0"]
    assert visible_text(html).count("x = 1  # <tag>") == 20_000
    assert "after" in visible_text(html)


def test_a_large_code_block_is_still_highlighted() -> None:
    code = "def f(x):\n    return x + 1\n" * 4_000  # about 100 KB
    html, blocks = MarkdownRenderer().render(f"```python\n{code}```")
    assert blocks == [code]
    assert '<span style="color' in html
    assert visible_text(html).count("return x + 1") == 4_000


# -- property -----------------------------------------------------------------------------------

MARKDOWNISH = st.lists(
    st.sampled_from(list("<>[]()!*_`~|-#:=\"'&;/\\ \n\t.") + [
        "script", "img", "javascript:", "https://", "mailto:", "data:", "file:", "```", "src",
        "onerror", "a", "x", "1", "    ", "&#x3C;", "&lt;", "\u00a0", "\u200b",
    ]),
    max_size=120,
).map("".join)


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), MARKDOWNISH))
def test_any_text_renders_safely(text: str) -> None:
    html, blocks = MarkdownRenderer().render(text)
    assert isinstance(html, str)
    assert all(isinstance(b, str) for b in blocks)
    assert_safe(html)



# -- streaming ----------------------------------------------------------------------------------


def test_code_block_numbers_continue_across_chunks() -> None:
    renderer = MarkdownRenderer()
    html, blocks = renderer.render("```\na\n```\n\n```\nb\n```", first_code_block=3)
    assert blocks == ["a\n", "b\n"]  # only this chunk's blocks
    assert [h for h in hrefs(html) if h.startswith("cairn-copy:")] == [
        "cairn-copy:3", "cairn-copy:4"]


def test_stable_prefix_examples(subtests: Any) -> None:
    for source, rest in [
        ("", ""),
        ("para", "para"),
        ("para\n\nnext\n", "next\n"),
        ("para\n\nnext", "para\n\nnext"),  # the last line may still grow
        ("# Title\n\npara\n\n- a\n- b\n\nafter\nmore", "after\nmore"),
        ("- a\n\n- b\n", "- a\n\n- b\n"),  # a loose list: not over yet
        ("- a\n\n  b\n\nafter\n", "after\n"),
        ("1. a\n\n2\n", "2\n"),
        ("```\ncode\n\nmore\n", "```\ncode\n\nmore\n"),  # inside an open fence
        ("```\ncode\n\nmore\n```\n\nnext\n", "next\n"),
        ("~~~~\n```\n\nx\n~~~~\n\ny\n", "y\n"),
        ("   ```\nx\n\ny\n", "   ```\nx\n\ny\n"),
        ("- a\n\n  ```\n  code\n\nfoo\n  ```\n\nbar\n", "foo\n  ```\n\nbar\n"),
        ("para\n\n    code\n\n    more\n", "para\n\n    code\n\n    more\n"),
        ("$$\nx\n$$\n\nnext\n", "next\n"),
        ("> q\n\n> r\n", "> r\n"),
        ("a\r\n\r\nb\r\n", "b\r\n"),
        ("a\r\rb\r", "b\r"),
    ]:
        with subtests.test(source=source):
            n = stable_prefix_length(source)
            assert source[n:] == rest


FRAGMENTS = [
    "para text", "more *text*", "- item", "  - nested", "* star", "1. one", "2. two",
    "- [ ] task", "- [x] done", "```", "```python", "~~~", "````", "    indented",
    "> quote", ">", "$$", "x^2 + \\frac{a}{b}", "$$ y $$", "\\[", "\\]", "# Head", "===", "---",
    "| a | b |", "|---|---|", "text $x$ and $5", "\\(a\\)", "<b>raw</b>", "  continued",
    "[l](https://x.example)", "![i](https://x.example/i.png)", "", "", "", " ", "\t",
]
DOCUMENTS = st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("\n".join)


def render_visible(text: str, first_code_block: int = 0) -> tuple[str, list[str], list[str]]:
    html, blocks = MarkdownRenderer().render(text, first_code_block)
    return visible_text(html), hrefs(html), blocks


def render_in_chunks(text: str, cuts: list[int]) -> tuple[str, list[str], list[str]]:
    """Renders a reply the way the UI streams it: stable chunks once, then the tail."""
    seen: list[str] = []
    links: list[str] = []
    blocks: list[str] = []
    for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True):
        chunk_seen, chunk_links, chunk_blocks = render_visible(text[start:end], len(blocks))
        seen.append(chunk_seen)
        links += chunk_links
        blocks += chunk_blocks
    return "".join(seen), links, blocks


@settings(max_examples=120, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.sampled_from(["", "\n"]))
def test_streamed_chunks_render_like_the_whole(text: str, ending: str) -> None:
    text += ending
    committed: list[int] = []
    previous = 0
    for k in sorted({*range(0, len(text) + 1, 5), *(i + 1 for i, c in enumerate(text)
                                                     if c == "\n")}):
        start = committed[-1] if committed else 0
        boundary = start + stable_prefix_length(text[start:k])
        assert previous <= boundary <= k
        assert boundary == 0 or text[boundary - 1] in "\r\n"
        if boundary > start:
            committed.append(boundary)
        previous = boundary
    assert render_in_chunks(text, committed) == render_visible(text)


@settings(max_examples=120, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, DOCUMENTS, st.sampled_from(["", "\n", "\n\n", " ", "`", "-", "1"]))
def test_a_boundary_stays_a_boundary(text: str, more: str, joint: str) -> None:
    boundary = stable_prefix_length(text)
    assert 0 <= boundary <= len(text)
    grown = text + joint + more
    assert stable_prefix_length(grown) >= boundary
    assert render_in_chunks(grown, [boundary]) == render_visible(grown)
