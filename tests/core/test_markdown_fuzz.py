"""Fuzzing the reply renderer: whatever the model writes, rendering does not raise, and the HTML
has no active content and no link Cairn would not open (#5, #6)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.markdown import (
    DARK,
    LIGHT,
    MarkdownRenderer,
    Palette,
    stable_prefix_length,
)
from desktop_app.core.math_text import latex_to_html
from tests.core.test_markdown import FORBIDDEN_TAGS, tags

FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Any Unicode text but lone surrogates (which a str from the API cannot hold), controls included.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=400)

SCHEMES = ["javascript:", "JaVaScRiPt:", " javascript:", "java\tscript:", "vbscript:", "file:",
           "file://", "data:", "data:text/html;base64,", "cairn-copy:", "cairn-copy:0",
           "myapp://", "ftp://", "about:", "blob:", "chrome://", "//", "/", "#", "",
           "http://", "https://", "mailto:", "HTTPS://"]
URLS = st.builds(lambda scheme, rest: scheme + rest, st.sampled_from(SCHEMES),
                 st.text(st.characters(exclude_categories=("Cs",)), max_size=30))
LABELS = st.text(st.characters(exclude_categories=("Cs",)), max_size=15)
PAYLOADS = [
    "<script>alert(1)</script>", "<img src=https://evil.example/t.png onerror=alert(1)>",
    "<iframe src=https://evil.example>", "<svg onload=alert(1)>", "<style>*{}</style>",
    "<link rel=stylesheet href=https://evil.example/x.css>", "<meta http-equiv=refresh>",
    "<form action=https://evil.example><input name=x></form>", "<object data=x>",
    "<embed src=x>", "<video src=x>", "<audio src=x>", "<base href=https://evil.example/>",
    '"><script>x</script>', "<a href=javascript:alert(1)>x</a>", "<!-- comment -->",
    "<?php x ?>", "<![CDATA[x]]>", "&lt;script&gt;", "&#x3C;script&#x3E;", "\u0000", "\u202e",
    '<span style="background-image:url(https://evil.example/t.png)">x</span>',
]
PIECES = st.one_of(
    st.sampled_from(PAYLOADS),
    st.builds("[{}]({})".format, LABELS, URLS),
    st.builds("[{}]({} \"{}\")".format, LABELS, URLS, LABELS),
    st.builds("<{}>".format, URLS),
    st.builds("![{}]({})".format, LABELS, URLS),
    st.builds("[{0}][r]\n\n[r]: {1}\n".format, LABELS, URLS),
    st.builds("```{}\n{}\n```\n".format, LABELS, st.sampled_from(PAYLOADS)),
    st.builds("${}$".format, st.sampled_from(PAYLOADS)),
    st.builds("$$\n{}\n$$\n".format, st.sampled_from(PAYLOADS)),
    st.builds("\\({}\\)".format, st.sampled_from(PAYLOADS)),
    st.builds("- [ ] {}".format, st.sampled_from(PAYLOADS)),
    st.sampled_from(["\n", "\n\n", "- ", "> ", "# ", "| a | b |\n|---|---|\n| ", "    ", "*", "_",
                     "`", "~~", "\\", "$", "$$", "\\[", "\\]", "[", "]", "(", ")", "!", "<", ">"]),
    LABELS,
)
HOSTILE_MARKDOWN = st.lists(PIECES, max_size=20).map("".join)

ALLOWED_LINK = re.compile(r"(?i)(https?://|mailto:)|cairn-copy:\d+$")


def assert_harmless(html: str) -> None:
    """No forbidden tag, no script hook, nothing loaded, every link one Cairn would open."""
    for tag, attrs in tags(html):
        assert tag not in FORBIDDEN_TAGS, html
        assert not any(name.startswith("on") for name in attrs), html
        assert "src" not in attrs and "background" not in attrs, html
        style = (attrs.get("style") or "").lower()
        assert "url(" not in style and "expression(" not in style and "@import" not in style
        href = attrs.get("href")
        if href is not None:
            assert ALLOWED_LINK.match(href.strip()), href
            assert tag == "a"


@FUZZ
@given(ANY_TEXT)
def test_any_text(text: str) -> None:
    html, blocks = MarkdownRenderer().render(text)
    assert_harmless(html)
    assert all(isinstance(block, str) for block in blocks)


@FUZZ
@given(HOSTILE_MARKDOWN, st.sampled_from([LIGHT, DARK]))
def test_hostile_markdown(text: str, palette: Palette) -> None:
    html, _ = MarkdownRenderer(palette).render(text)
    assert_harmless(html)
    lowered = html.lower()
    for payload_tag in ("<script", "<img", "<iframe", "<svg", "<style", "<link", "<input"):
        assert payload_tag not in lowered


@FUZZ
@given(HOSTILE_MARKDOWN, st.integers(min_value=0, max_value=10**6))
def test_hostile_markdown_in_streamed_chunks(text: str, first_code_block: int) -> None:
    boundary = stable_prefix_length(text)
    assert 0 <= boundary <= len(text)
    for chunk in (text[:boundary], text[boundary:]):
        html, _ = MarkdownRenderer().render(chunk, first_code_block=first_code_block)
        assert_harmless(html)


@FUZZ
@given(st.one_of(ANY_TEXT, HOSTILE_MARKDOWN))
def test_any_math(source: str) -> None:
    html = latex_to_html(source)
    for tag, attrs in tags(html):
        assert tag in {"i", "b", "sup", "sub", "span", "br"}, html
        assert set(attrs) <= {"style"}, html
