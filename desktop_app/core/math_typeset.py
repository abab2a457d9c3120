"""A formula from a reply typeset as SVG (ziamath: LaTeX -> MathML -> SVG, pure Python).

Replies carry LaTeX; a hand-made Unicode rendering cannot draw a fraction bar or a matrix's
brackets, so a formula is typeset with a real maths font (STIX Two Math, shipped with
ziamath) and shown as an image. The ui draws the SVG (``ui/messages/formula_images``); this
module only turns LaTeX into SVG text and the metrics needed to set it on a text line.

ziamath is imported on first use, never at start-up, and the ui calls ``typeset`` on a worker
thread (one at a time: ziamath keeps global state). Model text is untrusted, so whatever
cannot be typeset safely gives None, and the caller shows the Unicode text of ``math_text``
instead: a parse error, input too long or too deeply nested, macro definitions, characters
the maths font lacks (a Chinese ``\\text{}``), or a result too large to show. ziamath lays
out each nested row twice (once to measure it without its stretchy parts), so its time
doubles with each level of nesting: the MathML is weighed first (``_layout_work``) and
anything that would take long is refused before it is laid out.
"""

from __future__ import annotations

import enum
import hashlib
import re
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

EM = 100.0  # the size formulas are typeset at: SVG units per em
MARGIN_EM = 0.06  # room around the ink, so anti-aliased edges are not cut off
MAX_LATEX_CHARS = 1500  # a long derivation fits; a pasted document does not
MAX_BRACE_DEPTH = 16
MAX_LAYOUT_WORK = 1000  # 0.1-0.4 s of layout (see _layout_work); real formulas weigh 5-250
MAX_WIDTH_EM = 200.0
MAX_HEIGHT_EM = 60.0
# Commands that define other commands, and equation tags: document-level LaTeX, not part of a
# formula (definitions are also the way to make expansion explode).
_DOCUMENT_COMMANDS = re.compile(r"\\(?:def|gdef|edef|xdef|let|newcommand|renewcommand|"
                                r"providecommand|DeclareMathOperator|tag)(?![A-Za-z])")

# An image of a formula in the HTML: "cairn-math:<formula_key>/<colour without #>".
FORMULA_SCHEME = "cairn-math:"
# Put before the Unicode text of a formula that is still being typeset, with the formula's
# key, so that the text can be rendered again once it is (Qt's HTML ignores comments).
PENDING_MARK = "<!--cairn-math-pending "
PENDING_KEYS = re.compile(r"<!--cairn-math-pending ([di][0-9a-f]{32})-->")


class FormulaState(enum.Enum):
    """How far a formula is: typeset (show its image), on its way, or not possible."""

    READY = "ready"
    PENDING = "pending"
    FAILED = "failed"


# What the Markdown renderer asks about each formula: (LaTeX, display?) -> its state.
FormulaLookup = Callable[[str, bool], FormulaState]

_setup_lock = threading.Lock()
_ziamath: Any = None


@dataclass(frozen=True)
class TypesetFormula:
    """A typeset formula: SVG text (black ink on nothing) and where its baseline is.

    All lengths are in em of the text the formula sits in.
    """

    svg: str
    width: float
    ascent: float  # from the top of the SVG down to the baseline
    descent: float  # from the baseline down to the bottom of the SVG (may be negative)

    @property
    def height(self) -> float:
        return self.ascent + self.descent


def formula_key(latex: str, display: bool) -> str:
    """A short name for a formula (a hash of its source), used to name its image."""
    digest = hashlib.sha256(latex.strip().encode("utf-8", "surrogatepass")).hexdigest()
    return ("d" if display else "i") + digest[:32]


def formula_image_name(latex: str, display: bool, colour: str) -> str:
    """The image name the HTML uses for a formula drawn in ``colour`` ("#rrggbb")."""
    return f"{FORMULA_SCHEME}{formula_key(latex, display)}/{colour.lstrip('#')}"


def pending_mark(latex: str, display: bool) -> str:
    """The mark before the Unicode text of a formula still being typeset."""
    return f"{PENDING_MARK}{formula_key(latex, display)}-->"


def parse_formula_image_name(name: str) -> tuple[str, str] | None:
    """(formula key, "#rrggbb") from an image name made by `formula_image_name`, or None."""
    if not name.startswith(FORMULA_SCHEME):
        return None
    key, _, colour = name[len(FORMULA_SCHEME):].partition("/")
    if not re.fullmatch(r"[di][0-9a-f]{32}", key) or not re.fullmatch(r"[0-9a-fA-F]{6}", colour):
        return None
    return key, "#" + colour


def typeset(latex: str, display: bool) -> TypesetFormula | None:
    """Typeset ``latex`` (display style for a formula on its own line, text style inline).

    Returns None for anything that cannot be typeset safely and well (see the module
    docstring); never raises. Not thread-safe: call it from one thread at a time.
    """
    source = latex.strip()
    if not source or len(source) > MAX_LATEX_CHARS or _brace_depth(source) > MAX_BRACE_DEPTH:
        return None
    if _DOCUMENT_COMMANDS.search(source):
        return None
    try:
        return _typeset(source, display)
    except Exception:  # noqa: BLE001 - untrusted input: any failure means "show the text"
        return None


def _typeset(source: str, display: bool) -> TypesetFormula | None:
    import xml.etree.ElementTree as ET

    ziamath = _load_ziamath()
    from ziamath.tex import tex2mml

    element = ET.fromstring(tex2mml(source, inline=not display))
    if _layout_work(element) > MAX_LAYOUT_WORK or not _font_has_glyphs(ziamath, element):
        return None
    for table in element.iter():
        if table.tag.rpartition("}")[2] == "mtable" and "columnspacing" not in table.attrib:
            # MathML's own default (ziamath's 0.3 em runs a matrix's columns together).
            table.set("columnspacing", "0.8em")
    margin = MARGIN_EM * EM
    formula = ziamath.Math(element, size=EM, margin=margin)
    svg = formula.svg()
    box = formula.node.bbox
    width = (box.xmax - box.xmin + 2 * margin) / EM
    ascent = (box.ymax + margin) / EM
    descent = (margin - box.ymin) / EM
    if not (0 < width <= MAX_WIDTH_EM and 0 < ascent + descent <= MAX_HEIGHT_EM):
        return None
    return TypesetFormula(svg=svg, width=width, ascent=ascent, descent=descent)


def _load_ziamath() -> Any:
    """ziamath, imported and set up once (about 0.15 s: it reads its maths font)."""
    global _ziamath
    with _setup_lock:
        if _ziamath is None:
            with warnings.catch_warnings():
                # 0.13 finds its font with importlib.resources.path, deprecated since 3.11.
                warnings.simplefilter("ignore", DeprecationWarning)
                import ziamath
                from ziamath.config import config

            config.svg2 = False  # xlink:href, which QtSvg understands
            config.numbering.autonumber = False
            _ziamath = ziamath
    return _ziamath


def _brace_depth(source: str) -> int:
    depth = deepest = 0
    escaped = False
    for char in source:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "}":
            depth = max(0, depth - 1)
    return deepest


def _layout_work(root: ET.Element) -> int:
    """How much work ziamath's layout of this MathML is, in units of about 0.1-0.3 ms: each
    element counts 2 to the power of the rows it is nested in (each row lays out its
    content twice)."""
    work = 0
    stack = [(root, 0)]
    while stack:
        element, rows = stack.pop()
        work += 1 << min(rows, 40)
        if work > MAX_LAYOUT_WORK:
            return work
        inner = rows + (1 if element.tag.rpartition("}")[2] == "mrow" else 0)
        stack.extend((child, inner) for child in element)
    return work


def _font_has_glyphs(ziamath: Any, root: ET.Element) -> bool:
    """Whether the maths font draws every character of the formula's text (it has Latin,
    Greek and the maths symbols, but no CJK: such text is better shown by Qt's fonts)."""
    font = ziamath.zmath.loadedfonts["default"]
    for element in root.iter():
        for char in element.text or "":
            if not char.isspace() and font.glyphindex(char) == 0:
                return False
    return True
