"""Markdown from the model rendered as safe HTML: nothing runs, nothing loads, links are vetted."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.markdown import (
    DARK,
    LIGHT,
    MarkdownRenderer,
    is_safe_link,
    plain_to_html,
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


# -- hostile sizes ------------------------------------------------------------------------------

HUGE = {
    "one 100,000-character line": ("word *em* [l](https://x.example) `c` " * 2700)[:100_000],
    "100,000 characters without a space": "x" * 100_000,
    "2,000 nested list items": "\n".join("  " * i + f"- item {i}" for i in range(2_000)),
    "2,000 list markers on one line": "- " * 2_000 + "x",
    "2,000 nested quotes": ">" * 2_000 + " deep",
    "2,000 list items": "\n".join(f"- item {i}" for i in range(2_000)),
}


def test_huge_input_renders_in_seconds(subtests: Any) -> None:
    for name, source in HUGE.items():
        with subtests.test(name):
            start = time.monotonic()
            html, _ = MarkdownRenderer().render(source)
            assert time.monotonic() - start < 5.0
            assert_safe(html)


def test_a_huge_line_is_rendered_whole() -> None:
    html = render("x" * 100_000)
    assert visible_text(html).strip() == "x" * 100_000


def test_deeply_nested_list_loses_no_text() -> None:
    source = "\n".join("  " * i + f"- item{i}" for i in range(12)) + "\n\nThe conclusion."
    html = render(source)
    assert "item11" in html
    assert "The conclusion." in html


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
