"""Citations as footnotes: cited stretches found, sources numbered in reading order and kept
once each, links only for http(s), Markdown for display and for copy/export, and hostile
history content never raising (#16)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.citations import (
    CitedSpan,
    display_markdown,
    fold_citations,
    footnoted_markdown,
    site_of,
)
from desktop_app.core.markdown import LIGHT, MarkdownRenderer


def _web(url: str, title: str, cited: str) -> dict[str, object]:
    return {"type": "web_search_result_location", "url": url, "title": title,
            "cited_text": cited, "encrypted_index": "e"}


CITED = [
    {"type": "text", "text": "Tides follow the moon. "},
    {"type": "text", "text": "High tide is at 6 pm", "citations": [
        _web("https://www.tides.example/today", "Tide table", "High tide 18:00")]},
    {"type": "text", "text": " and the water is cold", "citations": [
        _web("https://sea.example/temp", "Sea temperature", "12 °C"),
        _web("https://www.tides.example/today", "Tide table", "Low tide 12:00")]},
    {"type": "text", "text": "."},
]


def test_spans_and_sources_in_reading_order() -> None:
    fold = fold_citations(CITED)
    assert fold.text == "Tides follow the moon. High tide is at 6 pm and the water is cold."
    assert fold.spans == (CitedSpan(23, 43, (1,)), CitedSpan(44, 65, (2, 1)))
    assert fold.text[23:43] == "High tide is at 6 pm"
    tide, sea = fold.sources
    assert (tide.number, tide.title, tide.url, tide.site) == (
        1, "Tide table", "https://www.tides.example/today", "tides.example")
    assert tide.passages == ("High tide 18:00", "Low tide 12:00")
    assert (sea.number, sea.site) == (2, "sea.example")


def test_display_markdown_links_each_marker_to_its_source() -> None:
    text = display_markdown(fold_citations(CITED))
    assert "6 pm[&#91;1&#93;](<https://www.tides.example/today>) and" in text
    html, _ = MarkdownRenderer(LIGHT).render(text + "\n\n[1]: https://evil.example")
    assert 'href="https://www.tides.example/today"' in html
    assert 'href="https://sea.example/temp"' in html
    assert ">[1]</a>" in html and ">[2]</a>" in html and "evil" not in html


def test_footnoted_markdown_for_copy_and_export() -> None:
    text = footnoted_markdown(fold_citations(CITED))
    assert text.startswith("Tides follow the moon. High tide is at 6 pm[^1] and the water "
                           "is cold[^2][^1].")
    assert "[^1]: [Tide table](<https://www.tides.example/today>) (tides.example): " \
           "“High tide 18:00”" in text
    assert "[^2]: [Sea temperature](<https://sea.example/temp>) (sea.example)" in text


def test_no_citations_leaves_the_text_alone() -> None:
    blocks = [{"type": "text", "text": "Plain *text* "}]
    fold = fold_citations(blocks)
    assert fold.sources == () and footnoted_markdown(fold) == "Plain *text* "
    assert display_markdown(fold) == "Plain *text* "


def test_unsafe_links_are_never_made() -> None:
    fold = fold_citations([{"type": "text", "text": "Claim", "citations": [
        _web("javascript:alert(1)", "Evil", "x")]}])
    assert fold.sources[0].url == ""
    assert "javascript" not in display_markdown(fold)
    assert "javascript" not in footnoted_markdown(fold)


def test_a_fetched_page_cited_as_a_document_gets_its_address() -> None:
    blocks = [
        {"type": "web_fetch_tool_result", "tool_use_id": "s", "content": {
            "type": "web_fetch_result", "url": "https://ex.org/page", "content": {
                "type": "document", "title": "The page", "source": {"type": "text"}}}},
        {"type": "text", "text": "Fact", "citations": [{
            "type": "char_location", "document_index": 0, "document_title": "The page",
            "start_char_index": 0, "end_char_index": 4, "cited_text": "fact"}]},
        {"type": "text", "text": "Other", "citations": [{
            "type": "page_location", "document_index": 1, "document_title": None,
            "start_page_number": 1, "end_page_number": 2, "cited_text": "other"}]},
    ]
    page, document = fold_citations(blocks).sources
    assert (page.url, page.title, page.site) == ("https://ex.org/page", "The page", "ex.org")
    assert (document.url, document.title) == ("", "")


def test_a_link_destination_cannot_be_broken_out_of() -> None:
    fold = fold_citations([{"type": "text", "text": "A", "citations": [
        _web("https://ex.org/a b>)[x](https://evil.example)\n", "T", "c")]}])
    html, _ = MarkdownRenderer(LIGHT).render(display_markdown(fold))
    assert html.count("<a ") == 1 and 'href="https://evil.example"' not in html


def test_site_of() -> None:
    assert site_of("https://www.Example.org:8080/x") == "example.org"
    assert site_of("") == "" and site_of("http://[::1") == ""


def test_wrong_types_give_fewer_citations() -> None:
    fold = fold_citations([
        {"type": "text", "text": 5, "citations": [_web("https://a.example", "A", "a")]},
        {"type": "text", "text": "B", "citations": "nope"},
        {"type": "text", "text": "C", "citations": [None, 3, {"type": "char_location",
                                                        "document_index": "x"}]},
        {"type": "text", "text": "D", "citations": [{"type": "web_search_result_location"}]},
        None, "text",
    ])
    assert fold.text == "BCD"
    assert [s.numbers for s in fold.spans] == [(2,)]
    assert fold_citations({"a": 1}).text == ""


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from([
        "type", "text", "citations", "url", "title", "cited_text", "document_index",
        "document_title", "source", "content"]), children, max_size=5),
    max_leaves=25)
CITATION_TYPES = st.sampled_from(["web_search_result_location", "char_location",
                                  "page_location", "content_block_location",
                                  "search_result_location", "other"])
CITATION = st.builds(lambda kind, rest: {**rest, "type": kind} if isinstance(rest, dict)
                     else rest, CITATION_TYPES, JSON)
BLOCK = st.builds(lambda text, cites: {"type": "text", "text": text, "citations": cites},
                  st.text(max_size=20) | JSON, st.lists(CITATION | JSON, max_size=3) | JSON)


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(BLOCK | JSON, max_size=6))
def test_any_json_folds_and_renders_without_raising(content: list[object]) -> None:
    json.dumps(content)
    fold = fold_citations(content)
    for span in fold.spans:
        assert 0 <= span.start <= span.end <= len(fold.text)
        assert all(fold.source(n) is not None for n in span.numbers)
    for source in fold.sources:
        assert source.url == "" or source.url.lower().startswith(("http://", "https://"))
    display_markdown(fold)
    footnoted_markdown(fold)
