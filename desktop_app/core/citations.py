"""Citations in a reply, as numbered footnotes: which stretches of the reply's text cite what,
and the sources they cite (title, site, link, the passages quoted), numbered in the order the
reader meets them.

The API sends a cited claim as a text block of its own with a ``citations`` list (web search
results carry a URL; a fetched page or a document is named by its title and index; the kinds
are in the SDK's ``text_citation.py``). ``fold_citations`` turns a message's blocks into the
text the reader sees, where each cited stretch is, and the sources. Two renderings come from
it: ``display_markdown`` (a ``[1]`` link after each cited stretch, opened on click like any
link in a reply) and ``footnoted_markdown`` (``[^1]`` references and footnote definitions, for
copy and Markdown export). A history file may come from anywhere: wrong types give fewer
citations, never an exception; only http(s) links are ever made.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import Any

from desktop_app.core.markdown_links import escape_label, link_target, one_line, web_url

__all__ = [
    "CitationFold", "CitedSpan", "Source", "display_markdown", "fold_citations",
    "footnote_lines", "footnoted_blocks", "footnoted_markdown", "site_of",
]

MAX_PASSAGES = 5  # cited passages kept per source
MAX_PASSAGE_CHARS = 1500
MAX_SOURCES = 500


@dataclass(frozen=True)
class Source:
    """One footnote: what is cited. ``url`` is "" when the source has no web address Cairn
    would open (a document, or a link that is not http(s))."""

    number: int
    title: str
    url: str = ""
    site: str = ""
    passages: tuple[str, ...] = ()


@dataclass(frozen=True)
class CitedSpan:
    """A stretch of the reply's text (``text[start:end]``) and the footnotes it cites."""

    start: int
    end: int
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class CitationFold:
    """A message's text with its citations, as footnotes."""

    text: str
    spans: tuple[CitedSpan, ...] = ()
    sources: tuple[Source, ...] = ()
    # (index in the content, where its text starts in ``text``) of each text block
    text_blocks: tuple[tuple[int, int], ...] = ()

    def source(self, number: int) -> Source | None:
        return self.sources[number - 1] if 0 < number <= len(self.sources) else None


def fold_citations(content: Any) -> CitationFold:
    """The text of ``content`` (a message's blocks, or several messages' blocks in order)
    with its citations numbered in reading order; the same source is one footnote however
    often it is cited."""
    if not isinstance(content, list):
        return CitationFold("")
    blocks = [b for b in content if isinstance(b, dict) and isinstance(b.get("type"), str)]
    fetched = _fetched_pages(blocks)
    pieces: list[str] = []
    at = 0
    spans: list[CitedSpan] = []
    order: dict[tuple[str, ...], int] = {}
    found: list[dict[str, Any]] = []  # title, url, passages per number - 1
    text_blocks: list[tuple[int, int]] = []
    for position, block in enumerate(content):
        if not (isinstance(block, dict) and block.get("type") == "text"):
            continue
        text_blocks.append((position, at))
        text = block.get("text")
        text = text if isinstance(text, str) else ""
        citations = block.get("citations")
        numbers: list[int] = []
        for citation in citations if isinstance(citations, list) else []:
            described = _describe(citation, fetched)
            if described is None:
                continue
            key, title, url, passage = described
            if key not in order:
                if len(found) >= MAX_SOURCES:
                    continue
                order[key] = len(found) + 1
                found.append({"title": title, "url": url, "passages": []})
            number = order[key]
            entry = found[number - 1]
            passages: list[str] = entry["passages"]
            if passage and passage not in passages and len(passages) < MAX_PASSAGES:
                passages.append(passage)
            if number not in numbers:
                numbers.append(number)
        if numbers and text.strip():
            # The span leaves out the white space around the claim, so a marker goes right
            # after its last word.
            lead = len(text) - len(text.lstrip())
            spans.append(CitedSpan(at + lead, at + len(text.rstrip()), tuple(numbers)))
        pieces.append(text)
        at += len(text)
    sources = tuple(
        Source(number=i + 1, title=entry["title"], url=entry["url"], site=site_of(entry["url"]),
               passages=tuple(entry["passages"]))
        for i, entry in enumerate(found))
    return CitationFold("".join(pieces), tuple(spans), sources, tuple(text_blocks))


def display_markdown(fold: CitationFold) -> str:
    """The text with a ``[n]`` after each cited stretch: a link to the source when it has a
    web address (opened only when clicked, as any link in a reply), plain text otherwise."""
    def marker(number: int) -> str:
        source = fold.source(number)
        # Brackets as entities: "\\[" would start a formula, and a bare "[1]" could be taken
        # for a reference the reply's own text defines.
        label = f"&#91;{number}&#93;"
        if source is not None and source.url:
            return f"[{label}](<{link_target(source.url)}>)"
        return label
    return _with_markers(fold, lambda numbers: "".join(marker(n) for n in numbers))


def footnoted_markdown(fold: CitationFold) -> str:
    """The text with ``[^n]`` after each cited stretch and the footnotes at the end (title as
    a link, the site, the cited passage): for copying a reply. Text with no citations comes
    back unchanged."""
    if not fold.sources:
        return fold.text
    body = _with_markers(fold, lambda numbers: "".join(f"[^{n}]" for n in numbers))
    return body.rstrip() + "\n\n" + "\n".join(footnote_lines(fold))


def footnoted_blocks(fold: CitationFold, first: int = 1) -> dict[int, str]:
    """Each text block's text (by its index in the content) with ``[^n]`` references, the
    footnotes numbered from ``first`` (a document of many replies numbers them on, since a
    footnote label names one note in the whole document)."""
    def refs(numbers: tuple[int, ...]) -> str:
        return "".join(f"[^{n + first - 1}]" for n in numbers)
    ends = [start for _, start in fold.text_blocks[1:]] + [len(fold.text)]
    return {position: _with_markers(fold, refs, start, end)
            for (position, start), end in zip(fold.text_blocks, ends, strict=True)}


def footnote_lines(fold: CitationFold, first: int = 1) -> list[str]:
    """The footnotes as Markdown definitions: ``[^n]: [Title](url) (site): “passage”``."""
    notes = []
    for source in fold.sources:
        title = escape_label(one_line(source.title) or source.site or source.url or "Source")
        line = f"[^{source.number + first - 1}]: "
        line += f"[{title}](<{link_target(source.url)}>)" if source.url else title
        if source.site and source.site not in title:
            line += f" ({source.site})"
        if source.passages:
            line += ": “" + escape_label(one_line(source.passages[0])[:300]) + "”"
        notes.append(line)
    return notes


def site_of(url: str) -> str:
    """The host a reader recognises (without ``www.``), or "" for no address."""
    try:
        host = urllib.parse.urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


# -- inside -------------------------------------------------------------------------------------


def _with_markers(fold: CitationFold, markers: Any, start: int = 0,
                  end: int | None = None) -> str:
    """``fold.text[start:end]`` with ``markers(numbers)`` after each cited stretch in it."""
    text, out = fold.text, []
    end = len(text) if end is None else end
    at = start
    for span in fold.spans:
        if not (start <= span.start and span.end <= end):
            continue  # another text block's
        out.append(text[at:span.end])
        if span.end > 0 and text[span.end - 1] == "\\":
            out.append(" ")  # a trailing backslash would escape the marker's bracket
        out.append(markers(span.numbers))
        at = span.end
    out.append(text[at:end])
    return "".join(out)


def _describe(citation: Any, fetched: dict[str, str]
              ) -> tuple[tuple[str, ...], str, str, str] | None:
    """(identity, title, safe URL or "", cited passage) of one citation, or None when it is
    not one Cairn can show."""
    if not isinstance(citation, dict):
        return None
    kind = _text(citation.get("type"))
    passage = one_line(_text(citation.get("cited_text")))[:MAX_PASSAGE_CHARS]
    if kind == "web_search_result_location":
        url = web_url(_text(citation.get("url")).strip())
        title = _text(citation.get("title"))
        if not url and not title:
            return None
        return ("web", url or title), title or site_of(url), url, passage
    if kind in ("char_location", "page_location", "content_block_location"):
        title = _text(citation.get("document_title"))
        index = citation.get("document_index")
        index_text = str(index) if type(index) is int else ""
        url = fetched.get(title, "") if title else ""
        if url:
            return ("web", url), title, url, passage
        return ("document", index_text, title), title, "", passage
    if kind == "search_result_location":
        source = _text(citation.get("source"))
        url = web_url(source.strip())
        title = _text(citation.get("title")) or source
        if not title:
            return None
        return ("search", source, title), title, url, passage
    return None


def _fetched_pages(blocks: list[dict[str, Any]]) -> dict[str, str]:
    """Title -> URL of each page web fetch read in these blocks (a fetched page is cited by
    its title as a document)."""
    pages: dict[str, str] = {}
    for block in blocks:  # each with a string type (fold_citations checked)
        body = block.get("content") if block.get("type") == "web_fetch_tool_result" else None
        if not isinstance(body, dict) or body.get("type") != "web_fetch_result":
            continue
        document = body.get("content")
        title = _text(document.get("title")) if isinstance(document, dict) else ""
        url = web_url(_text(body.get("url")).strip())
        if title and url:
            pages.setdefault(title, url)
    return pages






def _text(value: Any) -> str:
    return value[:20_000] if isinstance(value, str) else ""
