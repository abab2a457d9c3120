"""A reply's Markdown is rendered in bounded pieces whatever the shape of its text: one long
line with or without spaces, a long code block, table or list, and random mixtures. No
update renders more than a bounded amount, the pieces together show exactly the text, and
the Markdown stays right where it is cut (code stays code, tables keep their header, bold
stays bold)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.markdown import MarkdownRenderer
from desktop_app.core.markdown_pieces import cut_tail, plain_cut
from desktop_app.ui.messages import markdown_body
from desktop_app.ui.messages.markdown_body import (
    NEW_CHARS_PER_UPDATE,
    TAIL_LIMIT_CHARS,
    MarkdownBody,
)

# What one render may be given: a bounded tail plus a frame's worth, plus a reopened block's
# first line (a code fence's info string, a table's header).
RENDER_BOUND = TAIL_LIMIT_CHARS + NEW_CHARS_PER_UPDATE + 400


class RecordingRenderer(MarkdownRenderer):
    """Notes the size of every text it renders."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def render(self, text: str, first_code_block: int = 0) -> tuple[str, list[str]]:
        self.sizes.append(len(text))
        return super().render(text, first_code_block)


def stream(text: str, delta: int = 1000, *, paced: bool = True) -> tuple[MarkdownBody, RecordingRenderer]:
    """Feed ``text`` to a body as a stream does (then complete), updating until caught up."""
    renderer = RecordingRenderer()
    body = MarkdownBody(renderer)
    arrived = 0
    while arrived < len(text):
        arrived = min(len(text), arrived + delta)
        body.set_markdown(text[:arrived], streaming=True, suffix_html="▍", paced=paced)
    while not body.set_markdown(text, streaming=False, paced=paced):
        pass
    return body, renderer


def shown_source(body: MarkdownBody) -> str:
    return body._frozen_text


def plain(html_text: str) -> str:
    """The text of the HTML, with runs of spaces and line breaks as one space (the pieces of
    a line cut between words end with the space and start on a line of their own)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html_text).replace("&amp;", "&"))


@pytest.fixture(autouse=True)
def _qt(qapp):
    return qapp


def test_one_long_line_of_words_is_cut_between_words_with_its_bold_intact():
    unit = "the reply goes on **without** a `line_break` and _never_ ends "
    text = unit * 3000  # 186,000 characters, one line
    body, renderer = stream(text)
    assert max(renderer.sizes) <= RENDER_BOUND
    assert body.chunk_count > 40
    html_text = body.text()
    assert html_text.count("<strong>without</strong>") == 3000
    assert html_text.count("<code>line_break</code>") == 3000
    assert "**" not in html_text and "`" not in html_text
    assert plain(html_text).count("the reply goes on") == 3000


def test_a_line_without_spaces_is_cut_between_characters():
    text = "abcdefghij" * 50_000  # 500,000 characters, no space, no line break
    body, renderer = stream(text, delta=5000)
    assert max(renderer.sizes) <= RENDER_BOUND
    assert plain(body.text()).replace(" ", "") == text  # cut between any two characters
    assert body.chunk_count > 100


def test_a_long_line_with_an_unclosed_code_span_goes_on_as_plain_text():
    text = "Before.\n\nIt starts `here and never closes " + "word " * 20_000 + "\n\nAfter **it**."
    body, renderer = stream(text)
    assert max(renderer.sizes) <= RENDER_BOUND
    html_text = body.text()
    assert "too long to format" in html_text  # says why
    assert "`here and never closes" in plain(html_text)  # shown as written
    assert "<strong>it</strong>" in html_text  # Markdown again after the line
    assert plain(html_text).count("word") == 20_000


def test_a_long_code_block_stays_one_code_block_to_copy():
    code = "".join(f"def step_{n}(x):\n    return x * {n}  # ``` not a fence\n"
                   for n in range(3000))
    text = f"Here:\n\n```python\n{code}```\n\nDone."
    body, renderer = stream(text)
    assert max(renderer.sizes) <= RENDER_BOUND
    assert body.chunk_count > 20
    html_text = body.text()
    assert "```" not in plain(html_text).replace("# ``` not a fence", "")
    assert all("<pre" in piece.text() for piece in body._chunks)  # every piece is code
    assert body.code_block(0) == code  # Copy on any piece copies the whole block
    assert body.code_block(5) == code
    assert "Done." in html_text


def test_a_long_table_keeps_its_header_in_every_piece():
    rows = "".join(f"| {n} | value {n} |\n" for n in range(4000))
    text = "| Number | Value |\n|---|---|\n" + rows + "\nAfter."
    body, renderer = stream(text)
    assert max(renderer.sizes) <= RENDER_BOUND
    html_text = body.text()
    pieces = [piece.text() for piece in body._chunks]
    assert all("<table" in piece and ">Number<" in piece for piece in pieces[:-1])
    assert all(f">value {n}<" in html_text for n in (0, 1999, 3999))


def test_a_long_numbered_list_goes_on_numbering():
    text = "".join(f"{n}. item {n}\n" for n in range(1, 5001))
    body, renderer = stream(text)
    assert max(renderer.sizes) <= RENDER_BOUND
    starts = [int(m) for m in re.findall(r'<ol start="(\d+)"', body.text())]
    assert starts and starts == sorted(starts)  # each piece starts where the last ended
    assert plain(body.text()).count("item") == 5000


def test_short_complete_text_is_still_one_piece():
    body, renderer = stream("Hello **there**.\n\nA second paragraph.", paced=False)
    assert body.chunk_count == 0 and "<strong>there</strong>" in body.text()


def test_long_complete_text_is_built_a_frame_at_a_time():
    renderer = RecordingRenderer()
    body = MarkdownBody(renderer)
    text = "word " * 100_000  # 500 KB, complete (as opened from history)
    steps = 0
    while not body.set_markdown(text, streaming=False, paced=True):
        steps += 1
    assert steps >= 500_000 // NEW_CHARS_PER_UPDATE - 1
    assert max(renderer.sizes) <= RENDER_BOUND


def test_the_display_limit_and_show_all(monkeypatch):
    monkeypatch.setattr(markdown_body, "DISPLAY_LIMIT_CHARS", 20_000)
    body = MarkdownBody(MarkdownRenderer())
    text = "".join(f"Paragraph {n}.\n\n" for n in range(5000))
    while not body.set_markdown(text, streaming=False, paced=True):
        pass
    # The limit, moved back to the end of a line or word:
    assert 19_000 <= body.shown_chars <= 20_000 and text[body.shown_chars - 1] in " \n"
    assert body.hidden_chars == len(text) - body.shown_chars
    assert not body._more.isHidden()
    assert "Paragraph 4999." not in body.text()
    body.show_all()
    while body.hidden_chars or body.shown_chars < len(text):
        body._build_more()
    assert "Paragraph 4999." in body.text() and body._more.isHidden()


def test_stop_holds_what_is_shown_when_far_behind():
    body = MarkdownBody(MarkdownRenderer())
    text = "Some words here. " * 10_000
    body.set_markdown(text[:50_000], streaming=True, paced=True)
    shown = body.shown_chars
    body.hold(len(text))
    assert body.set_markdown(text, streaming=False, paced=True)  # nothing left to do
    assert shown - 1000 <= body.shown_chars <= shown  # at the end of a word
    assert text[body.shown_chars - 1] == " "
    assert body.hidden_chars == len(text) - body.shown_chars
    near = MarkdownBody(MarkdownRenderer())  # a normal Stop: the last words still shown
    near.set_markdown(text[:1000], streaming=True, paced=True)
    near.hold(1200)
    assert near.set_markdown(text[:1200], streaming=False, paced=True)
    assert near.shown_chars == 1200 and near.hidden_chars == 0


_FRAGMENTS = st.sampled_from([
    "word ", "**bold** ", "*it* ", "`code` ", "[link](https://e.com/x) ", "$x^2$ ", "_u_ ",
    "a*b ", "\n", "\n\n", "# Heading\n", "- item\n", "1. one\n", "> quote\n", "| a | b |\n",
    "|---|---|\n", "```python\n", "```\n", "    indented\n", "~~s~~ ", "&amp; ", "é", "👍🏽",
    "x" * 50, "\\*", "<https://e.com> ", "[unclosed ", "`", "$$\n",
])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_FRAGMENTS, min_size=50, max_size=700), st.integers(7, 3000))
def test_any_text_is_shown_whole_in_bounded_pieces(fragments, delta):
    text = "".join(fragments) * 4
    body, renderer = stream(text, delta=delta)
    assert max(renderer.sizes, default=0) <= RENDER_BOUND
    assert body.shown_chars == len(text)
    assert text.startswith(shown_source(body))


@given(st.text(min_size=1, max_size=400), st.data())
def test_cuts_are_inside_the_text_and_plain_cuts_keep_characters_whole(text, data):
    cut = cut_tail(text, keep=20)
    assert 0 <= cut.at <= len(text)
    assert cut.at > 0 or cut.plain
    lo = data.draw(st.integers(1, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    at = plain_cut(text, lo, hi)
    assert lo <= at <= hi or at == hi
