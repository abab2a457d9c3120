"""LaTeX from the model shown as readable rich text: symbols, scripts, fractions, matrices,
and never an exception, a hang or a tag the math did not earn."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core import math_text
from desktop_app.core.math_text import latex_to_html
from tests.core.test_markdown import parse

ALLOWED_TAGS = {"i", "b", "sup", "sub", "span", "br"}
ALLOWED_STYLES = {"text-decoration:overline", "text-decoration:underline",
                  "text-decoration:line-through"}


def shown(source: str) -> str:
    """What a reader sees, with the spacing made comparable: any run of spaces becomes one."""
    html = latex_to_html(source)
    assert_only_math_markup(html)
    text = "".join(parse(html).text)
    return re.sub(r"[ \u2009\u2003\u2002\u00a0]+", " ", text).strip()


def assert_only_math_markup(html: str) -> None:
    for tag, attrs in parse(html).tags:
        assert tag in ALLOWED_TAGS, html
        if tag == "span":
            assert set(attrs) == {"style"} and attrs["style"] in ALLOWED_STYLES, html
        else:
            assert attrs == {}, html


# -- symbols ------------------------------------------------------------------------------------


def test_greek_letters_and_symbols_become_unicode(subtests: Any) -> None:
    for source, expected in [
        (r"\alpha \beta \gamma \Delta \Omega \pi", "αβγΔΩπ"),
        (r"\sum \int \infty \partial \nabla", "∑ ∫ ∞∂∇"),
        (r"a \le b \ge c \neq d", "a ≤ b ≥ c ≠ d"),
        (r"a \pm b \times c \div d \cdot e", "a ± b × c ÷ d · e"),
        (r"a \to b \Rightarrow c \implies d", "a → b ⇒ c ⟹ d"),
        (r"x \in A \notin B \subset C \cup D \cap E", "x ∈ A ∉ B ⊂ C ∪ D ∩ E"),
        (r"\forall x \exists y", "∀x∃y"),
        (r"a \approx b \equiv c", "a ≈ b ≡ c"),
        (r"1, \dots, n \ldots \cdots", "1, …, n…⋯"),
    ]:
        with subtests.test(source=source):
            assert shown(source) == expected


def test_variables_are_italic_and_functions_upright() -> None:
    html = latex_to_html(r"\sin x + \log y")
    assert "sin" in html and "<i>sin</i>" not in html
    assert "<i>x</i>" in html and "<i>y</i>" in html
    assert shown(r"\sin x + \log y") == "sin x + log y"
    assert shown(r"\lim_{x \to 0} f(x)") == "limx→0 f(x)"
    assert "<sub><i>x</i>→0</sub>" in latex_to_html(r"\lim_{x \to 0} f(x)")


def test_binary_minus_and_signs_are_spaced_like_tex() -> None:
    assert shown("a-b") == "a − b"
    assert shown("-a") == "−a"
    assert shown("(-1)") == "(−1)"
    assert shown("a = -b") == "a = −b"
    assert shown("E=mc^2") == "E = mc2"


# -- structure ----------------------------------------------------------------------------------


def test_scripts_take_a_group_or_a_single_token() -> None:
    assert latex_to_html("x^2") == "<i>x</i><sup>2</sup>"
    assert latex_to_html("x_i") == "<i>x</i><sub><i>i</i></sub>"
    assert latex_to_html("x^{n+1}") == "<i>x</i><sup><i>n</i>+1</sup>"
    assert latex_to_html("x^23") == "<i>x</i><sup>2</sup>3"
    assert latex_to_html(r"e^{i\pi}") == "<i>e</i><sup><i>iπ</i></sup>"
    assert latex_to_html(r"x^\alpha") == "<i>x</i><sup><i>α</i></sup>"
    assert shown("f'(x)") == "f′(x)"


def test_fractions_get_parentheses_only_when_needed(subtests: Any) -> None:
    for source, expected in [
        (r"\frac{a}{b}", "a/b"),
        (r"\frac12", "1/2"),
        (r"\frac{a+b}{2}", "(a + b)/2"),
        (r"\frac{1}{2\pi}", "1/(2π)"),
        (r"\frac{dy}{dx}", "dy/dx"),
        (r"\frac{n(n+1)}{2}", "n(n + 1)/2"),
        (r"\frac{x^2}{2}", "x2/2"),
        (r"\frac{\frac{a}{b}}{c}", "(a/b)/c"),
        (r"\dfrac{\sin x}{x}", "(sin x)/x"),
        (r"\frac{-1}{2}", "−1/2"),
    ]:
        with subtests.test(source=source):
            assert shown(source) == expected


def test_roots(subtests: Any) -> None:
    for source, expected in [
        (r"\sqrt{2}", "√2"),
        (r"\sqrt{x^2+1}", "√(x2 + 1)"),
        (r"\sqrt[3]{x}", "∛x"),
        (r"\sqrt[n]{x+y}", "n√(x + y)"),
        (r"\sqrt", "√"),
    ]:
        with subtests.test(source=source):
            assert shown(source) == expected
    assert latex_to_html(r"\sqrt[n]{x}") == "<sup><i>n</i></sup>√<i>x</i>"


def test_text_fonts_and_accents() -> None:
    assert shown(r"x = 1 \text{ if } y > 0") == "x = 1 if y > 0"
    assert latex_to_html(r"\text{if}") == "if"  # upright: no <i>
    assert latex_to_html(r"\mathrm{d}x") == "d<i>x</i>"
    assert latex_to_html(r"\mathbf{v}") == "<b>v</b>"
    assert shown(r"\mathbb{R}^n \times \mathbb{N} \mathcal{L}") == "ℝn × ℕℒ"
    assert shown(r"\operatorname{argmax}_x f") == "argmaxx f"
    assert shown(r"\hat{x} \vec{v} \dot{y}") == "x\u0302v\u20d7y\u0307"  # combining marks
    assert latex_to_html(r"\overline{AB}") == (
        '<span style="text-decoration:overline"><i>AB</i></span>')


def test_delimiters_spacing_and_dropped_commands() -> None:
    assert shown(r"\left( \frac{a}{b} \right)") == "(a/b)"
    assert shown(r"\left. f \right|_0^1") == "f|01"
    assert shown(r"\bigl[ x \bigr]") == "[x]"
    assert shown(r"\{ x \mid x > 0 \}") == "{x ∣ x > 0}"
    assert "\u2009" in latex_to_html(r"a\,b")
    assert "\u2003" in latex_to_html(r"a \quad b")
    assert shown(r"\displaystyle \sum\limits_{k} k \label{eq}") == "∑k k"
    assert shown(r"\not= \not\in \not\subset") == "≠∉⊄"


def test_environments_become_lines(subtests: Any) -> None:
    for source, expected_lines in [
        (r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", ["⎛a b⎞", "⎝c d⎠"]),
        (r"\begin{bmatrix} 1 & 0 \\ 0 & 1 \\ 2 & 2 \end{bmatrix}", ["⎡1 0⎤", "⎢0 1⎥", "⎣2 2⎦"]),
        (r"\begin{matrix} a & b \end{matrix}", ["a b"]),
        (r"f = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}",
         ["f = ⎧1 x > 0", "⎩0 otherwise"]),
        (r"\begin{aligned} a &= b + c \\ &= d \\ \end{aligned}", ["a = b + c", "= d"]),
        (r"\begin{align*} x &= 1 & y &= 2 \end{align*}", ["x = 1 y = 2"]),
        (r"\begin{array}{cc} 1 & 2 \end{array}", ["1 2"]),
    ]:
        with subtests.test(source=source):
            html = latex_to_html(source)
            assert_only_math_markup(html)
            lines = [re.sub(r"[ \u2009\u2003]+", " ", "".join(parse(part).text)).strip()
                     for part in html.split("<br>")]
            assert lines == expected_lines


def test_unknown_commands_are_shown_as_written() -> None:
    assert shown(r"\foo x") == r"\foox"
    assert shown(r"\weird{a}{b}") == r"\weird{a}{b}"
    assert shown(r"\begin{weird} a & b \end{weird}") == "a b"


def test_everything_is_escaped() -> None:
    html = latex_to_html(r'<script>alert("x")</script> \text{<img src=x onerror=y>} \foo{<b>}')
    assert_only_math_markup(html)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html.replace(" ", "").replace("<i>", "").replace("</i>", "")
    assert "&lt;img src=x onerror=y&gt;" in html
    assert shown(r"a < b > c & d") == "a < b > c d"


def test_malformed_input_is_shown_not_raised(subtests: Any) -> None:
    for source in ["{", "}", "{{{{", "}}}}", "\\", "x^", "x_", "^", r"\frac", r"\frac{",
                   r"\sqrt[", r"\sqrt[3", r"\begin{pmatrix", r"\begin{cases} a &", r"\end{x}",
                   r"\left", r"\right.", r"\text{", r"\not", "x^^^2", "''''", "&&&", r"\\\\",
                   "$", "%", "#", "~", "\x00", "\ud7ff", "α", "", " "]:
        with subtests.test(source=source):
            assert_only_math_markup(latex_to_html(source))


# -- hostile sizes ------------------------------------------------------------------------------

HOSTILE = {
    "50,000 nested groups": "{" * 50_000 + "x" + "}" * 50_000,
    "unclosed groups": "{" * 90_000,
    "nested superscripts": "x" + "^{" * 30_000 + "}" * 30_000,
    "a chain of fractions": r"\frac" * 20_000,
    "unclosed root indices": r"\sqrt[" * 15_000,
    "nested environments": r"\begin{pmatrix}" * 5_000,
    "a huge matrix": r"\begin{pmatrix}" + r"a & b \\ " * 8_000 + r"\end{pmatrix}",
    "unknown commands with groups": r"\foo{" * 20_000,
    "backslashes": "\\" * 90_000,
    "a long formula": (r"\sum_{i=1}^{n} \frac{x_i^2}{\sqrt{\alpha+\beta}} \le \int_0^1 f " * 1500),
}


def test_hostile_input_converts(subtests: Any) -> None:
    for name, source in HOSTILE.items():
        with subtests.test(name):
            html = latex_to_html(source)
            assert_only_math_markup(html)


def test_deep_nesting_is_flattened_but_kept() -> None:
    html = latex_to_html("{" * 500 + "deep" + "}" * 500)
    assert "deep" in "".join(parse(html).text)


def test_input_over_the_limit_is_shown_as_source() -> None:
    source = "<x>^" * (math_text.MAX_SOURCE // 4 + 1)
    assert latex_to_html(source) == source.replace("<", "&lt;").replace(">", "&gt;")


# -- property -----------------------------------------------------------------------------------

LATEXISH = st.lists(
    st.sampled_from(list("{}^_&'~ ax1.,-+=()[]|<>\"\\$%#\n") + [
        r"\frac", r"\sqrt", r"\begin{", r"\end{", "pmatrix}", "cases}", "aligned}", r"\left",
        r"\right", r"\text", r"\\", r"\mathbb", r"\hat", r"\not", r"\operatorname*", r"\alpha",
        r"\sum", r"\sin", r"\overline", r"\substack", r"\binom", r"\foo", "<script>", "&amp;",
    ]),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(LATEXISH, st.text(max_size=200)))
def test_any_input_gives_only_math_markup(source: str) -> None:
    # The converter itself, not the fallback in latex_to_html, must cope.
    html = math_text._Converter(source).convert()
    assert_only_math_markup(html)
    assert latex_to_html(source) == html

