"""Formulas typeset by ziamath (core.math_typeset): what typesets, how it is measured, what
falls back to Unicode text, and that hostile LaTeX costs bounded time and size."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.markdown import MarkdownRenderer
from desktop_app.core.math_typeset import (
    MAX_HEIGHT_EM,
    MAX_WIDTH_EM,
    PENDING_KEYS,
    PENDING_MARK,
    FormulaState,
    formula_image_name,
    formula_key,
    parse_formula_image_name,
    pending_mark,
    typeset,
)
from desktop_app.core.safe_html import DARK, LIGHT

PMATRIX = r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}"
# Slow for this machine class when other work runs at the same time; a formula that is
# refused or typeset normally takes well under a tenth of this.
BOUND_SECONDS = 3.0


def test_a_fraction_is_typeset_as_one_picture_with_a_baseline() -> None:
    inline = typeset(r"\frac{a}{b}", display=False)
    display = typeset(r"\frac{a}{b}", display=True)
    assert inline is not None and display is not None
    assert inline.svg.startswith("<svg") and "<path" in inline.svg and "<rect" in inline.svg
    # A fraction stands above and below the baseline, in display style larger than inline.
    assert 0.5 < inline.ascent < 1.5 and 0.2 < inline.descent < 1.0
    assert display.height > inline.height and display.width >= inline.width
    assert 0.3 < inline.width < 1.5


def test_a_pmatrix_is_one_picture_two_rows_tall() -> None:
    matrix = typeset(PMATRIX, display=True)
    letter = typeset("x", display=True)
    assert matrix is not None and letter is not None
    assert matrix.height > 2 * letter.height  # both rows and the tall brackets, one picture
    assert matrix.width > 4 * letter.width  # the brackets and two columns apart
    assert letter.descent < 0.2 < letter.ascent < 0.8  # a letter sits on the baseline


def test_what_cannot_be_typeset_gives_none(subtests: Any) -> None:
    for latex in ["", "   ", r"\frac{a", r"\begin{pmatrix} 1 & 2", r"\left( x", "x^2^3",
                  r"\text{速度}", r"\def\x{\x\x}\x", r"\newcommand{\a}{b}\a", r"x \tag{1}"]:
        with subtests.test(latex=latex):
            assert typeset(latex, display=False) is None


HOSTILE = {
    "deep braces": "{" * 40 + "x" + "}" * 40,
    "nested fractions": r"\frac{1}{" * 12 + "x" + "}" * 12,
    "nested roots": r"\sqrt{" * 12 + "x" + "}" * 12,
    "nested powers": "x^{" * 12 + "y" + "}" * 12,
    "many fractions": r"\frac{a}{b}+" * 120 + "c",
    "long sum": "a+" * 700 + "b",
    "over the length limit": "x" * 5000,
    "a huge matrix": r"\begin{pmatrix}" + r"\\".join("&".join("x" * 30) for _ in range(30))
                     + r"\end{pmatrix}",
    "a large matrix": r"\begin{pmatrix}" + r"\\".join("&".join("x" * 15) for _ in range(15))
                      + r"\end{pmatrix}",
    "self-expanding macro": r"\def\a{\a\a}\a",
    "binom backtracking": r"\binom{" + "{" * 14 + "x" * 1400,
    "mathrm backtracking": r"\mathrm{" * 180,
    "unbalanced": "}" * 1000 + "{" * 400,
    "control characters": "\x00\x01\u202e\ufffd" * 100,
    "markup": "</svg><script>alert(1)</script>",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_latex_costs_bounded_time_and_size(name: str) -> None:
    started = time.perf_counter()
    result = typeset(HOSTILE[name], display=True)
    assert time.perf_counter() - started < BOUND_SECONDS
    if result is not None:
        assert result.width <= MAX_WIDTH_EM and result.height <= MAX_HEIGHT_EM
        assert len(result.svg) < 2_000_000
        assert "<script" not in result.svg


LATEX_PIECES = st.sampled_from([
    r"\frac", r"\sqrt", r"\left(", r"\right)", r"\begin{pmatrix}", r"\end{pmatrix}",
    r"\begin{cases}", r"\end{cases}", "{", "}", "^", "_", "&", r"\\", "x", "1", "+", "=",
    r"\alpha", r"\sum", r"\int", r"\text{a}", r"\mathbf{v}", r"\def", "\\", "$", "<", "中",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LATEX_PIECES, max_size=60).map("".join), st.booleans())
def test_any_latex_typesets_or_gives_none_quickly(latex: str, display: bool) -> None:
    started = time.perf_counter()
    result = typeset(latex, display=display)
    assert time.perf_counter() - started < BOUND_SECONDS
    assert result is None or 0 < result.width <= MAX_WIDTH_EM


def test_image_names_carry_the_formula_and_the_colour() -> None:
    key = formula_key(r" \frac{a}{b} ", display=False)
    assert key == formula_key(r"\frac{a}{b}", display=False) != formula_key(r"\frac{a}{b}", True)
    name = formula_image_name(r"\frac{a}{b}", False, "#2b2926")
    assert parse_formula_image_name(name) == (key, "#2b2926")
    for junk in ["", "cairn-math:", "cairn-math:x/2b2926", f"cairn-math:{key}/red",
                 f"https://example.com/{key}/2b2926", f"cairn-math:{key}/2b2926/../x"]:
        assert parse_formula_image_name(junk) is None, junk


class Lookup:
    """Stands in for the ui's typesetter: every formula in one given state."""

    def __init__(self, state: FormulaState) -> None:
        self.state = state
        self.asked: list[tuple[str, bool]] = []

    def __call__(self, latex: str, display: bool) -> FormulaState:
        self.asked.append((latex, display))
        return self.state


def test_a_ready_formula_is_an_image_with_its_latex_as_title() -> None:
    lookup = Lookup(FormulaState.READY)
    html, _ = MarkdownRenderer(DARK, formulas=lookup).render(
        "Area $\\pi r^2$ and\n\n\\[\n" + PMATRIX.replace(r" \\ ", " \\\\\n") + "\n\\]\n")
    assert lookup.asked == [(r"\pi r^2", False),
                            (PMATRIX.replace(r" \\ ", " \\\\\n"), True)]
    inline = formula_image_name(r"\pi r^2", False, DARK.math)
    display = formula_image_name(PMATRIX.replace(r" \\ ", " \\\\\n"), True, DARK.math)
    assert f'<img src="{inline}" title="\\pi r^2" style="vertical-align:middle">' in html
    assert (f'<p align="center" style="line-height:100%"><img src="{display}" title="\\begin{{pmatrix}} 1 &amp; 2 '
            f'\\\\&#10;3 &amp; 4 \\end{{pmatrix}}"></p>') in html
    assert "πr" not in html and PENDING_MARK not in html


def test_a_pending_formula_is_unicode_text_marked_for_later() -> None:
    html, _ = MarkdownRenderer(LIGHT, formulas=Lookup(FormulaState.PENDING)).render(
        "Area $\\pi r^2$.")
    assert pending_mark(r"\pi r^2", display=False) in html
    assert PENDING_KEYS.findall(html) == [formula_key(r"\pi r^2", display=False)]
    assert "<img" not in html and "π" in html


def test_a_failed_formula_is_unicode_text_and_prices_ask_nothing() -> None:
    lookup = Lookup(FormulaState.FAILED)
    html, _ = MarkdownRenderer(LIGHT, formulas=lookup).render(
        "It costs $5 and $10; the area is $\\pi r^2$.")
    assert lookup.asked == [(r"\pi r^2", False)]
    assert PENDING_MARK not in html and "<img" not in html and "π" in html

