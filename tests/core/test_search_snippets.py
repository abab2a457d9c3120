"""Search excerpts: centred on the match, the query's words marked, and narrowed to a row's
width without losing the match (issue 18: "…exponential back…" for "backoff")."""

from __future__ import annotations

from desktop_app.core.search import SearchIndex
from desktop_app.core.search_snippets import (
    Snippet,
    elide_right,
    excerpt,
    find_folded,
    fit_around_focus,
    mark_spans,
)
from tests.core.test_search_sidebar import chat

RETRY = ("When a server is overloaded, retrying immediately only makes things worse. The usual "
         "answer is a retry loop with exponential backoff and jitter: wait 1 s, then 2 s, then "
         "4 s, each time plus a random fraction, and give up after a few attempts.")


def marked(snippet: Snippet) -> list[str]:
    return [snippet.text[start:end] for start, end in snippet.marks]


def chars(limit: int):
    """A stand-in for a row's width: at most ``limit`` characters fit."""
    return lambda snippet: len(snippet.text) <= limit


def test_an_excerpt_is_centred_on_the_match_with_it_marked() -> None:
    piece = excerpt(RETRY, "backoff")
    assert piece.focus is not None and piece.text[slice(*piece.focus)] == "backoff"
    before, after = piece.text[:piece.focus[0]], piece.text[piece.focus[1]:]
    assert abs(len(before) - len(after)) < 16  # about as much on each side
    assert piece.text.startswith("…") and piece.text.endswith("…")
    assert marked(piece) == ["backoff"]


def test_every_word_of_the_query_is_marked_wherever_it_occurs() -> None:
    piece = excerpt(RETRY, "backoff", ["backoff", "s,"])
    assert marked(piece).count("backoff") == 1 and marked(piece).count("s,") >= 2
    assert marked(excerpt("Retry, retry, RETRY", "retry")) == ["Retry", "retry", "RETRY"]


def test_a_narrow_row_keeps_the_match_in_the_middle() -> None:
    for width in (60, 30, 20, 12):
        fitted = fit_around_focus(excerpt(RETRY, "backoff"), chars(width))
        assert len(fitted.text) <= width
        assert fitted.focus is not None and fitted.text[slice(*fitted.focus)] == "backoff"
        assert marked(fitted) == ["backoff"]
        assert fitted.text.startswith("…") and fitted.text.endswith("…")
    assert fit_around_focus(excerpt(RETRY, "backoff"), chars(30)).text == (
        "…with exponential backoff and…")


def test_a_match_near_either_end_gives_its_room_to_the_other_side() -> None:
    start = fit_around_focus(excerpt(RETRY, "when"), chars(30))
    assert start.text.startswith("When a server") and len(start.text) >= 25
    end = fit_around_focus(excerpt(RETRY, "attempts"), chars(30))
    assert end.text.endswith("few attempts.") and len(end.text) >= 25


def test_a_row_narrower_than_the_match_shows_its_start() -> None:
    fitted = fit_around_focus(excerpt(RETRY, "overloaded"), chars(6))
    assert fitted.text == "…over…" and marked(fitted) == ["over"]


def test_text_without_spaces_is_cut_where_it_fits() -> None:
    text = "量子比特可以同时处于零和一的叠加态，" * 3
    fitted = fit_around_focus(excerpt(text, "叠加态"), chars(12))
    assert "叠加态" in fitted.text and len(fitted.text) == 12 and marked(fitted) == ["叠加态"]
    short = "量子比特可以同时处于零和一的叠加态，这让某些算法快得多。"  # one "word" each side
    fitted = fit_around_focus(excerpt(short, "叠加"), chars(14))
    assert fitted.text == "…于零和一的叠加态，这让某…" and marked(fitted) == ["叠加"]


def test_casefolding_that_lengthens_text_still_marks_the_right_letters() -> None:
    text = "Die Straße ist lang; STRASSE heißt street."
    assert find_folded(text, "strasse") == (4, 10)  # "Straße": ß folds to "ss"
    assert [text[a:b] for a, b in mark_spans(text, ["strasse"])] == ["Straße", "STRASSE"]
    assert [text[a:b] for a, b in mark_spans(text, ["heiss"])] == ["heiß"]


def test_a_title_is_cut_at_the_right_with_its_marks() -> None:
    title = Snippet("Retrying flaky HTTP requests", mark_spans("Retrying flaky HTTP requests",
                                                               ["http"]))
    fitted = elide_right(title, chars(18))
    assert fitted.text == "Retrying flaky HT…" and marked(fitted) == ["HT"]
    assert elide_right(title, chars(40)) == title


def test_a_hit_gives_its_excerpt_and_the_query_words() -> None:
    a = chat("Networking", "how do I retry?", RETRY)
    hit = SearchIndex().search("Backoff jitter", [a], lambda _id: a.all_messages())[a.id]
    assert hit.terms == ["backoff", "jitter"]
    assert hit.excerpt.text == hit.snippet and marked(hit.excerpt) == ["backoff", "jitter"]
    assert hit.excerpt.text[slice(*hit.excerpt.focus)] == "backoff"


def test_a_snippet_shows_the_text_as_read_not_its_markdown() -> None:
    """Issue 18: "…with **exponential **backoff** ** and…" showed the asterisks."""
    from desktop_app.core.conversation import Message
    from desktop_app.core.search import first_match

    markdown = ("## Retrying\n\nThe usual answer is a retry loop with **exponential backoff** "
                "and `jitter`, see [the guide](https://example.com/retry) for details.\n\n"
                "- *wait* 1 s\n- then 2 s\n\n```python\nsleep(2 ** n)\n```\n")
    message = Message("assistant", [{"type": "text", "text": markdown}])
    message_id, piece = first_match([message], ["backoff"])
    assert message_id == message.id
    for syntax in ("**", "`", "](", "##", "https://", "```", "- "):
        assert syntax not in piece.text, syntax
    assert "with exponential backoff and jitter, see the guide for" in piece.text
    assert piece.focus is not None and piece.text[slice(*piece.focus)] == "backoff"
    assert marked(piece) == ["backoff"]
    # A word found only in the syntax still shows where it is (a link's address).
    _, address = first_match([message], ["example.com"])
    assert marked(address) == ["example.com"]
    # Code keeps its text; only the fences go.
    _, code = first_match([message], ["sleep"])
    assert "sleep(2 ** n)" in code.text and "```" not in code.text


def test_plain_text_takes_out_each_kind_of_markdown_syntax() -> None:
    from desktop_app.core.search_plain_text import plain_text

    assert plain_text("# Title #") == "Title"
    assert plain_text("> quoted **bold** and _it_") == "quoted bold and it"
    assert plain_text("1. first\n  * [x] done") == "first\n  done"
    assert plain_text("![a chart](c.png) and <https://a.b/c>") == "a chart and https://a.b/c"
    assert plain_text("***both*** ~~gone~~ snake_case_name 2 * 3 * 4") == (
        "both gone snake_case_name 2 * 3 * 4")
    assert plain_text("| a | b |\n|---|:-:|\n| 1 | 2 |") == "a b\n1 2"
    assert plain_text("`a **b** c` \\*literal\\*") == "a **b** c *literal*"
    assert plain_text("text\n---\n~~~\n# not a heading\n~~~") == "text\n# not a heading"
