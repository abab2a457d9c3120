"""LaTeX math -> readable rich text, because Qt's rich text cannot typeset TeX.

The common subset models write becomes escaped HTML that reads well: Greek letters and
operators as Unicode, scripts as <sup>/<sub>, fractions as a/b, matrices as rows. Anything
unknown is shown as written. Pure Python, no Qt; never raises and runs in linear time, because
its input is model output.
"""

from __future__ import annotations

import html
import re

__all__ = ["latex_to_html"]

MAX_SOURCE = 100_000  # longer "formulas" are shown as escaped source: nobody reads them as math
_MAX_DEPTH = 40  # deeper nesting is shown flat, so hostile input cannot exhaust the stack
_OPTIONAL_ARG_SPAN = 64  # tokens searched for the "]" of \sqrt[n]

# Atom kinds, after TeX's: they decide the spacing between neighbours.
ORD, OP, BIN, REL, OPEN, CLOSE, PUNCT = "ord", "op", "bin", "rel", "open", "close", "punct"
SPACE, BREAK = "space", "break"  # explicit spacing and line breaks: not atoms

_THIN = "\u2009"
_WIDE = " "  # around binary operators and relations; a real space so long formulas can wrap
_EM = "\u2003"

# TeX's inter-atom spacing (TeXbook ch. 18), with medium and thick both a plain space.
_GAPS: dict[tuple[str, str], str] = {
    (ORD, OP): _THIN, (ORD, BIN): _WIDE, (ORD, REL): _WIDE,
    (OP, ORD): _THIN, (OP, OP): _THIN, (OP, REL): _WIDE,
    (BIN, ORD): _WIDE, (BIN, OP): _WIDE, (BIN, OPEN): _WIDE,
    (REL, ORD): _WIDE, (REL, OP): _WIDE, (REL, OPEN): _WIDE,
    (CLOSE, OP): _THIN, (CLOSE, BIN): _WIDE, (CLOSE, REL): _WIDE,
    (PUNCT, ORD): _THIN, (PUNCT, OP): _THIN, (PUNCT, REL): _THIN, (PUNCT, OPEN): _THIN,
    (PUNCT, CLOSE): _THIN, (PUNCT, PUNCT): _THIN,
}
# In sub- and superscripts TeX keeps only the thin spaces around operators like sin.
_SCRIPT_GAPS = {pair: gap for pair, gap in _GAPS.items() if OP in pair and gap == _THIN}


def _table(kind: str, pairs: str) -> dict[str, tuple[str, str]]:
    """`"alpha α beta β"` -> {"alpha": (kind, "α"), ...}: keeps the tables below compact."""
    words = pairs.split()
    return {name: (kind, char) for name, char in zip(words[::2], words[1::2], strict=True)}


_GREEK_LOWER = _table(ORD, """
    alpha α beta β gamma γ delta δ epsilon ϵ varepsilon ε zeta ζ eta η theta θ vartheta ϑ
    iota ι kappa κ varkappa ϰ lambda λ mu μ nu ν xi ξ omicron ο pi π varpi ϖ rho ρ varrho ϱ
    sigma σ varsigma ς tau τ upsilon υ phi ϕ varphi φ chi χ psi ψ omega ω digamma ϝ
""")
_SYMBOLS: dict[str, tuple[str, str]] = {
    **_GREEK_LOWER,
    **_table(ORD, """
        Gamma Γ Delta Δ Theta Θ Lambda Λ Xi Ξ Pi Π Sigma Σ Upsilon Υ Phi Φ Psi Ψ Omega Ω
        Alpha Α Beta Β Epsilon Ε Zeta Ζ Eta Η Iota Ι Kappa Κ Mu Μ Nu Ν Omicron Ο Rho Ρ Tau Τ
        Chi Χ varGamma Γ varDelta Δ varTheta Θ varLambda Λ varXi Ξ varPi Π varSigma Σ
        varUpsilon Υ varPhi Φ varPsi Ψ varOmega Ω
        infty ∞ partial ∂ nabla ∇ forall ∀ exists ∃ nexists ∄ emptyset ∅ varnothing ∅ hbar ℏ
        hslash ℏ ell ℓ Re ℜ Im ℑ aleph ℵ beth ℶ gimel ℷ wp ℘ angle ∠ measuredangle ∡
        sphericalangle ∢ triangle △ top ⊤ bot ⊥ neg ¬ lnot ¬ prime ′ backprime ‵ degree °
        dots … ldots … cdots ⋯ vdots ⋮ ddots ⋱ dotsc … dotsb ⋯ dotsm ⋯ dotsi ⋯ dotso …
        checkmark ✓ dagger † ddagger ‡ S § P ¶ surd √ clubsuit ♣ diamondsuit ♢ heartsuit ♡
        spadesuit ♠ flat ♭ natural ♮ sharp ♯ imath ı jmath ȷ mho ℧ square □ Box □
        blacksquare ■ Diamond ◇ lozenge ◊ bigstar ★ circledR ® copyright © pounds £ euro €
        yen ¥ complement ∁ infin ∞ cdotp · vert | Vert ‖ backslash \\ colon :
        textbackslash \\ textbar | eth ð
    """),
    **_table(BIN, """
        pm ± mp ∓ times × div ÷ cdot · ast ∗ star ⋆ circ ∘ bullet ∙ oplus ⊕ ominus ⊖
        otimes ⊗ oslash ⊘ odot ⊙ cup ∪ cap ∩ sqcup ⊔ sqcap ⊓ setminus ∖ smallsetminus ∖
        wedge ∧ land ∧ vee ∨ lor ∨ uplus ⊎ amalg ⨿ wr ≀ diamond ⋄ bigtriangleup △
        bigtriangledown ▽ triangleleft ◁ triangleright ▷ ltimes ⋉ rtimes ⋊ circledast ⊛
        boxplus ⊞ boxminus ⊟ boxtimes ⊠ dotplus ∔ divideontimes ⋇ intercal ⊺ barwedge ⊼
        veebar ⊻ centerdot · cupdot ⊍ Cup ⋓ Cap ⋒
    """),
    **_table(REL, """
        leq ≤ le ≤ geq ≥ ge ≥ leqslant ⩽ geqslant ⩾ leqq ≦ geqq ≧ neq ≠ ne ≠ approx ≈
        approxeq ≊ equiv ≡ nequiv ≢ sim ∼ simeq ≃ cong ≅ ncong ≇ propto ∝ varpropto ∝ ll ≪
        gg ≫ lll ⋘ ggg ⋙ subset ⊂ supset ⊃ subseteq ⊆ supseteq ⊇ subsetneq ⊊ supsetneq ⊋
        nsubseteq ⊈ nsupseteq ⊉ sqsubset ⊏ sqsupset ⊐ sqsubseteq ⊑ sqsupseteq ⊒ in ∈
        notin ∉ ni ∋ owns ∋ perp ⊥ parallel ∥ nparallel ∦ mid ∣ nmid ∤ to → rightarrow →
        leftarrow ← gets ← Rightarrow ⇒ Leftarrow ⇐ leftrightarrow ↔ Leftrightarrow ⇔
        implies ⟹ impliedby ⟸ iff ⟺ mapsto ↦ longmapsto ⟼ longrightarrow ⟶
        longleftarrow ⟵ longleftrightarrow ⟷ Longrightarrow ⟹ Longleftarrow ⟸
        Longleftrightarrow ⟺ uparrow ↑ downarrow ↓ updownarrow ↕ Uparrow ⇑ Downarrow ⇓
        Updownarrow ⇕ nearrow ↗ searrow ↘ swarrow ↙ nwarrow ↖ hookrightarrow ↪
        hookleftarrow ↩ rightharpoonup ⇀ rightharpoondown ⇁ leftharpoonup ↼
        leftharpoondown ↽ rightleftharpoons ⇌ leftrightharpoons ⇋ rightrightarrows ⇉
        leftleftarrows ⇇ twoheadrightarrow ↠ rightsquigarrow ⇝ leadsto ⇝ models ⊨ vDash ⊨
        vdash ⊢ dashv ⊣ Vdash ⊩ prec ≺ succ ≻ preceq ⪯ succeq ⪰ precsim ≾ succsim ≿
        asymp ≍ doteq ≐ coloneqq ≔ coloneq ≔ eqqcolon ≕ triangleq ≜ nsim ≁ lesssim ≲
        gtrsim ≳ lessgtr ≶ gtrless ≷ nless ≮ ngtr ≯ nleq ≰ ngeq ≱ smile ⌣ frown ⌢
        bowtie ⋈ Join ⨝ therefore ∴ because ∵ vartriangleleft ⊲ vartriangleright ⊳
        trianglelefteq ⊴ trianglerighteq ⊵ circeq ≗ bumpeq ≏ Bumpeq ≎ risingdotseq ≓
        fallingdotseq ≒ thicksim ∼ thickapprox ≈ backsim ∽ eqsim ≂ sqsubsetneq ⋤
        nleftarrow ↚ nrightarrow ↛ nLeftarrow ⇍ nRightarrow ⇏ nleftrightarrow ↮
        nLeftrightarrow ⇎ nvdash ⊬ nvDash ⊭ ntriangleleft ⋪ ntriangleright ⋫
    """),
    **_table(OP, """
        sum ∑ prod ∏ coprod ∐ int ∫ iint ∬ iiint ∭ iiiint ⨌ oint ∮ oiint ∯ oiiint ∰
        bigcup ⋃ bigcap ⋂ bigvee ⋁ bigwedge ⋀ bigoplus ⨁ bigotimes ⨂ bigodot ⨀
        biguplus ⨄ bigsqcup ⨆ intop ∫ smallint ∫
    """),
    **_table(OPEN, """
        langle ⟨ lfloor ⌊ lceil ⌈ lbrace { lbrack [ ulcorner ⌜ llcorner ⌞ lgroup ⟮
        lmoustache ⎰ lvert | lVert ‖ lparen (
    """),
    **_table(CLOSE, """
        rangle ⟩ rfloor ⌋ rceil ⌉ rbrace } rbrack ] urcorner ⌝ lrcorner ⌟ rgroup ⟯
        rmoustache ⎱ rvert | rVert ‖ rparen )
    """),
}
_ITALIC_SYMBOLS = {char for _, char in _GREEK_LOWER.values()}

_FUNCTIONS = frozenset([
    "arccos", "arcsin", "arctan", "arctg", "arcctg", "arg", "ch", "cos", "cosec", "cosh",
    "cot", "cotg", "coth", "csc", "ctg", "cth", "deg", "det", "dim", "exp", "gcd", "hom",
    "inf", "injlim", "ker", "lg", "lim", "liminf", "limsup", "ln", "log", "max", "min", "Pr",
    "projlim", "sec", "sh", "sin", "sinh", "sup", "tan", "tanh", "tg", "th", "lcm", "sgn",
    "tr", "Tr", "rank", "diag", "argmax", "argmin", "erf", "Var", "Cov",
])

_SPACES = {
    ",": _THIN, ":": " ", ">": " ", ";": " ", " ": " ", "quad": _EM, "qquad": _EM + _EM,
    "enspace": "\u2002", "thinspace": _THIN, "medspace": " ", "thickspace": " ",
    "space": " ", "nobreakspace": "\u00a0", "enskip": "\u2002",
}
_IGNORED = frozenset([
    "negthinspace", "negmedspace", "negthickspace", "displaystyle", "textstyle", "scriptstyle",
    "scriptscriptstyle", "limits", "nolimits", "nonumber", "notag", "strut", "mathstrut",
    "allowbreak", "nobreak", "relax", "centering", "hfill", "hline", "hdashline", "smallskip",
    "medskip", "bigskip", "noindent", "protect",
])
_SIZED = frozenset([
    "left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
    "biggl", "biggr", "Biggl", "Biggr", "bigm", "Bigm", "biggm", "Biggm",
])
_SKIP_ONE_ARG = frozenset([
    "label", "color", "vspace", "phantom", "hphantom", "vphantom", "mspace", "kern", "mkern",
    "hskip", "cline",
])

# Escaped characters that stand for themselves.
_LITERAL_ESCAPES = {"%": "%", "$": "$", "#": "#", "&": "&", "_": "_", "{": "{", "}": "}",
                    "|": "‖", "\\": "\\"}

_TEXT_COMMANDS = {  # text-mode argument -> (opening, closing) markup
    "text": ("", ""), "textrm": ("", ""), "textnormal": ("", ""), "textup": ("", ""),
    "textsf": ("", ""), "texttt": ("", ""), "textmd": ("", ""), "textsc": ("", ""),
    "mbox": ("", ""), "hbox": ("", ""), "textbf": ("<b>", "</b>"),
    "textit": ("<i>", "</i>"), "textsl": ("<i>", "</i>"), "emph": ("<i>", "</i>"),
}
_FONT_COMMANDS = {
    "mathrm": "rm", "mathup": "rm", "mathsf": "rm", "mathtt": "rm", "mathnormal": None,
    "mathit": "it", "mathbf": "bf", "mathbfit": "bfit", "boldsymbol": "bfit", "bm": "bfit",
    "pmb": "bfit", "mathbb": "bb", "Bbb": "bb", "mathbbm": "bb", "mathcal": "cal",
    "mathscr": "cal", "mathfrak": "frak", "frak": "frak",
}
_FONT_SWITCHES = {"rm": "rm", "bf": "bf", "it": "it", "sf": "rm", "tt": "rm", "cal": "cal",
                  "mit": None, "boldmath": "bfit", "unboldmath": None}

_ACCENTS = {  # combining mark for one character, a spacing mark above anything longer
    "hat": ("\u0302", "^"), "widehat": ("\u0302", "^"), "check": ("\u030c", "ˇ"),
    "tilde": ("\u0303", "~"), "widetilde": ("\u0303", "~"), "acute": ("\u0301", "´"),
    "grave": ("\u0300", "`"), "dot": ("\u0307", "˙"), "ddot": ("\u0308", "¨"),
    "dddot": ("\u20db", "⋯"), "breve": ("\u0306", "˘"), "vec": ("\u20d7", "→"),
    "overrightarrow": ("\u20d7", "→"), "overleftarrow": ("\u20d6", "←"),
    "mathring": ("\u030a", "˚"), "bar": ("\u0304", ""), "overline": ("\u0305", ""),
    "widebar": ("\u0305", ""),
}
_DECORATIONS = {"bar": "overline", "overline": "overline", "widebar": "overline",
                "underline": "underline", "cancel": "line-through", "bcancel": "line-through",
                "xcancel": "line-through", "sout": "line-through"}

_MATRIX_DELIMITERS = {"pmatrix": ("(", ")"), "bmatrix": ("[", "]"), "Bmatrix": ("{", "}"),
                      "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"), "cases": ("{", ""),
                      "dcases": ("{", ""), "rcases": ("", "}"), "pmatrix*": ("(", ")"),
                      "bmatrix*": ("[", "]")}
_ALIGNED = frozenset([
    "aligned", "align", "align*", "alignat", "alignat*", "alignedat", "gather", "gather*",
    "gathered", "split", "eqnarray", "eqnarray*", "multline", "multline*", "flalign",
    "flalign*", "equation", "equation*", "displaymath", "math",
])
_ENV_WITH_SPEC = frozenset(["array", "alignat", "alignat*", "alignedat", "tabular", "subarray"])
# Tall delimiters built from pieces: (top, middle, bottom, centre) for rows of a matrix.
_TALL = {"(": ("⎛", "⎜", "⎝", "⎜"), ")": ("⎞", "⎟", "⎠", "⎟"), "[": ("⎡", "⎢", "⎣", "⎢"),
         "]": ("⎤", "⎥", "⎦", "⎥"), "{": ("⎧", "⎪", "⎩", "⎨"), "}": ("⎫", "⎪", "⎭", "⎬"),
         "|": ("|", "|", "|", "|"), "‖": ("‖", "‖", "‖", "‖")}

_CHARS = {"+": (BIN, "+"), "-": (BIN, "\u2212"), "*": (BIN, "∗"), "=": (REL, "="),
          "<": (REL, "<"), ">": (REL, ">"), ":": (REL, ":"), ",": (PUNCT, ","),
          ";": (PUNCT, ";"), "(": (OPEN, "("), "[": (OPEN, "["), ")": (CLOSE, ")"),
          "]": (CLOSE, "]"), "!": (CLOSE, "!"), "?": (CLOSE, "?"), "'": (ORD, "′")}


def _alphabet(upper: int, lower: int | None, exceptions: str) -> dict[str, str]:
    """A Unicode mathematical alphabet, with the letters that live elsewhere in Unicode."""
    table = {chr(65 + i): chr(upper + i) for i in range(26)}
    if lower is not None:
        table.update({chr(97 + i): chr(lower + i) for i in range(26)})
    table.update(zip(exceptions[::2], exceptions[1::2], strict=True))
    return table


_ALPHABETS = {
    "bb": {**_alphabet(0x1D538, 0x1D552, "CℂHℍNℕPℙQℚRℝZℤ"),
           **{str(d): chr(0x1D7D8 + d) for d in range(10)}},
    "cal": _alphabet(0x1D49C, None, "BℬEℰFℱHℋIℐLℒMℳRℛ"),
    "frak": _alphabet(0x1D504, 0x1D51E, "CℭHℌIℑRℜZℨ"),
}

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\\|\s+|.", re.DOTALL)


class _Piece:
    """One rendered atom (or group) and what its neighbours need to know about it."""

    __slots__ = ("atoms", "char", "compound", "html", "italic", "kind", "number")

    def __init__(self, html_text: str, kind: str = ORD, *, char: str | None = None,
                 italic: bool = False, compound: bool = False, atoms: int = 1,
                 number: bool = False) -> None:
        self.html = html_text
        self.kind = kind
        self.char = char  # the one character shown, so an accent can combine with it
        self.italic = italic
        self.compound = compound  # would need parentheses as a fraction's numerator
        self.atoms = atoms
        self.number = number


def latex_to_html(source: str) -> str:
    """Converts LaTeX math to escaped HTML that Qt's rich text shows readably.

    Only <i>, <b>, <sup>, <sub>, <br> and <span style> with fixed styles are produced, and
    every character of the source is escaped, so nothing in the math can inject markup.

    Args:
        source: the math without its delimiters (``\\frac{a}{b}``, not ``$\\frac{a}{b}$``).

    Returns:
        The HTML. Never raises: input too long or too strange is shown as escaped source.
    """
    if len(source) > MAX_SOURCE:
        return html.escape(source)
    try:
        return _Converter(source).convert()
    except Exception:  # noqa: BLE001 - the last line of defence for a display-only feature
        return html.escape(source)


def _join(pieces: list[_Piece], script: bool) -> _Piece:
    """Joins atoms with TeX's spacing; the result is one ordinary atom."""
    kinds = [p.kind for p in pieces]
    previous, previous_at = "", -1
    for i, kind in enumerate(kinds):
        if kind == SPACE:
            continue
        if kind == BREAK:
            if previous == BIN:
                kinds[previous_at] = ORD
            previous, previous_at = "", -1
            continue
        if kind == BIN and previous in ("", BIN, OP, REL, OPEN, PUNCT):
            kind = kinds[i] = ORD  # a sign, not an operation: -x, (+1), a = -b
        elif kind in (REL, CLOSE, PUNCT) and previous == BIN:
            kinds[previous_at] = ORD
        previous, previous_at = kind, i
    if previous == BIN:
        kinds[previous_at] = ORD

    gaps = _SCRIPT_GAPS if script else _GAPS
    out: list[str] = []
    previous = ""
    atoms = nesting = 0
    compound = number = False
    for piece, kind in zip(pieces, kinds, strict=True):
        if kind in (SPACE, BREAK):
            out.append(piece.html)
            compound = compound or kind == BREAK
            previous = "" if kind == BREAK else previous
            continue
        if previous:
            out.append(gaps.get((previous, kind), ""))
        out.append(piece.html)
        previous = kind
        atoms += 1
        number = number or piece.number
        if kind == OPEN:
            nesting += 1
        elif kind == CLOSE:
            nesting = max(0, nesting - 1)
        elif nesting == 0:  # n(n+1) is one term: what is inside parentheses does not count
            compound = compound or piece.compound or kind in (BIN, REL, PUNCT, OP)
    if atoms <= 1 and not any(p.compound for p in pieces) and BREAK not in kinds:
        compound = False  # one atom, e.g. \sin alone: no parentheses needed around it
    single = pieces[0] if len(pieces) == 1 else None
    return _Piece("".join(out), ORD, char=single.char if single else None,
                  italic=bool(single and single.italic), compound=compound, atoms=atoms,
                  number=number)


def _tall(delimiter: str, rows: int, row: int) -> str:
    """The piece of a tall delimiter for one row of a matrix."""
    if not delimiter or rows == 1:
        return delimiter
    top, middle, bottom, centre = _TALL.get(delimiter, (delimiter,) * 4)
    if row == 0:
        return top
    if row == rows - 1:
        return bottom
    return centre if rows % 2 and row == rows // 2 else middle


class _Converter:
    """A recursive-descent reader over LaTeX tokens; every call consumes at least one token."""

    def __init__(self, source: str) -> None:
        self.tokens: list[str] = _TOKEN.findall(source)
        self.match = [-1] * len(self.tokens)  # index of the partner brace, -1 if unbalanced
        opened: list[int] = []
        for i, token in enumerate(self.tokens):
            if token == "{":
                opened.append(i)
            elif token == "}" and opened:
                j = opened.pop()
                self.match[i], self.match[j] = j, i
        self.pos = 0
        self.font: str | None = None

    def convert(self) -> str:
        pieces = self.parse_list(len(self.tokens), 0, script=False)
        return _join(pieces, script=False).html.replace("</i><i>", "")

    # -- lists, groups and arguments ------------------------------------------------------------

    def parse_list(self, end: int, depth: int, script: bool, in_env: bool = False) -> list[_Piece]:
        """Atoms up to `end` (or, in an environment, up to the next & or \\\\ or \\end)."""
        pieces: list[_Piece] = []
        tokens = self.tokens
        while True:
            self.skip_space(end)
            if self.pos >= end:
                return pieces
            token = tokens[self.pos]
            if in_env and token in ("&", "\\\\", "\\end", "\\cr"):
                return pieces
            if token == "}":  # unbalanced: ignore it, as TeX would complain and go on
                self.pos += 1
                continue
            if token in ("^", "_"):
                atom: _Piece | None = _Piece("", ORD, atoms=0)
            else:
                atom = self.parse_atom(end, depth, script)
            if atom is not None:
                pieces.append(self.parse_scripts(atom, end, depth))

    def parse_group(self, end: int, depth: int, script: bool) -> _Piece:
        """A {...} group; an unclosed one runs to `end`."""
        close = self.match[self.pos]
        stop = close if 0 <= close < end else end
        self.pos += 1
        if depth > _MAX_DEPTH:
            flat = html.escape("".join(self.tokens[self.pos:stop]))
            self.pos = min(stop + 1, end)
            return _Piece(flat, compound=True)
        font = self.font
        pieces = self.parse_list(stop, depth + 1, script)
        self.font = font
        self.pos = min(stop + 1, end)
        return _join(pieces, script) if pieces else _Piece("", atoms=0)

    def parse_arg(self, end: int, depth: int, script: bool) -> _Piece:
        """A command's argument: a group or a single token, as in \\frac12."""
        self.skip_space(end)
        if self.pos >= end:
            return _Piece("", atoms=0)
        if self.tokens[self.pos] == "{":
            return self.parse_group(end, depth + 1, script)
        if self.tokens[self.pos] == "}":
            return _Piece("", atoms=0)
        return self.parse_atom(end, depth + 1, script, single=True) or _Piece("", atoms=0)

    def parse_scripts(self, base: _Piece, end: int, depth: int) -> _Piece:
        """Superscripts, subscripts and primes after an atom."""
        suffix: list[str] = []
        while True:
            self.skip_space(end)
            if self.pos >= end:
                break
            token = self.tokens[self.pos]
            if token in ("^", "_"):
                self.pos += 1
                tag = "sup" if token == "^" else "sub"
                argument = self.parse_arg(end, depth + 1, script=True)
                suffix.append(f"<{tag}>{argument.html}</{tag}>")
            elif token == "'":
                self.pos += 1
                suffix.append("′")
            elif token in ("\\limits", "\\nolimits"):
                self.pos += 1
            else:
                break
        if not suffix:
            return base
        return _Piece(base.html + "".join(suffix), base.kind, compound=base.compound,
                      number=base.number)

    def skip_space(self, end: int) -> None:
        tokens = self.tokens
        while self.pos < end and tokens[self.pos].isspace():
            self.pos += 1

    def raw_group(self, end: int) -> str:
        """The plain text of a {...} argument such as an environment name; consumes it."""
        self.skip_space(end)
        if self.pos >= end or self.tokens[self.pos] != "{":
            return ""
        close = self.match[self.pos]
        stop = close if 0 <= close < end else end
        text = "".join(self.tokens[self.pos + 1:stop])
        self.pos = min(stop + 1, end)
        return text.strip()

    def optional_arg_end(self, end: int) -> int:
        """Index of the "]" closing a [...] argument at self.pos, or -1 if there is none."""
        self.skip_space(end)
        if self.pos >= end or self.tokens[self.pos] != "[":
            return -1
        i = self.pos + 1
        limit = min(end, self.pos + _OPTIONAL_ARG_SPAN)
        while i < limit:
            token = self.tokens[i]
            if token == "]":
                return i
            if token == "}":
                return -1
            if token == "{":
                close = self.match[i]
                if not 0 <= close < end:
                    return -1
                i = close
            i += 1
        return -1

    # -- atoms ----------------------------------------------------------------------------------

    def glyph(self, text: str, italic: bool) -> str:
        """Characters in the current font (\\mathbb, \\mathbf, ...), escaped."""
        font = self.font
        if font in _ALPHABETS:
            alphabet = _ALPHABETS[font]
            return html.escape("".join(alphabet.get(c, c) for c in text))
        escaped = html.escape(text)
        if font == "bf":
            return f"<b>{escaped}</b>"
        if font == "bfit":
            return f"<b><i>{escaped}</i></b>" if italic else f"<b>{escaped}</b>"
        if font == "it" or (italic and font is None):
            return f"<i>{escaped}</i>"
        return escaped

    def parse_atom(self, end: int, depth: int, script: bool,
                   single: bool = False) -> _Piece | None:
        """One atom starting at self.pos (always consumes a token); None if it shows nothing."""
        token = self.tokens[self.pos]
        if depth > _MAX_DEPTH:
            self.pos += 1
            return _Piece(html.escape(token))
        if token == "{":
            return self.parse_group(end, depth, script)
        if len(token) > 1 and token[0] == "\\":
            self.pos += 1
            return self.parse_command(token[1:], end, depth, script)
        self.pos += 1
        if token.isdigit() or (token == "." and self.pos < end and self.tokens[self.pos].isdigit()):
            digits = [token]
            tokens = self.tokens
            while not single and self.pos < end:  # 3.14 and 1,000 are one number each;
                following = tokens[self.pos]      # \frac12 and x^23 take one digit
                if following.isdigit() or (following in ".," and self.pos + 1 < end
                                           and tokens[self.pos + 1].isdigit()):
                    digits.append(following)
                    self.pos += 1
                else:
                    break
            text = "".join(digits)
            return _Piece(self.glyph(text, False), char=text if len(text) == 1 else None,
                          number=True)
        if (token.isalpha() and token.isascii()) or token in _ITALIC_SYMBOLS:
            return _Piece(self.glyph(token, True), char=token, italic=True)
        if token == "~":
            return _Piece("\u00a0", SPACE)
        if token == "&":  # alignment outside an environment
            return _Piece(_EM, SPACE)
        if token in _CHARS:
            kind, char = _CHARS[token]
            return _Piece(html.escape(char), kind, char=char)
        return _Piece(html.escape(token), char=token)

    def parse_command(self, name: str, end: int, depth: int, script: bool) -> _Piece | None:
        """A control sequence (its name without the backslash) and its arguments."""
        if len(name) == 1 and not name.isalpha():
            return self.control_symbol(name)
        if name in _SYMBOLS:
            kind, char = _SYMBOLS[name]
            italic = char in _ITALIC_SYMBOLS
            return _Piece(self.glyph(char, italic), kind, char=char, italic=italic)
        if name in _FUNCTIONS:
            return _Piece(html.escape(name), OP)
        if name in _SPACES:
            return _Piece(_SPACES[name], SPACE)
        if name in _SIZED:  # \left( -> (; \left. -> nothing
            self.skip_space(end)
            if self.pos < end and self.tokens[self.pos] == ".":
                self.pos += 1
            return None
        if name in _IGNORED:
            return None
        if name in _SKIP_ONE_ARG:
            self.raw_group(end)
            return None
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            return self.fraction(end, depth, script)
        if name in ("binom", "dbinom", "tbinom"):
            n = self.parse_arg(end, depth, script)
            k = self.parse_arg(end, depth, script)
            return _Piece(f"C({n.html},{_THIN}{k.html})")
        if name == "sqrt":
            return self.root(end, depth, script)
        if name in _TEXT_COMMANDS:
            opening, closing = _TEXT_COMMANDS[name]
            text = self.text_arg(end)
            return _Piece(opening + text + closing, compound=" " in text.strip())
        if name in _FONT_COMMANDS or name == "operatorname":
            return self.font_command(name, end, depth, script)
        if name in _FONT_SWITCHES:
            self.font = _FONT_SWITCHES[name]
            return None
        if name in _ACCENTS or name in _DECORATIONS:
            return self.accent(name, end, depth, script)
        if name in ("begin", "substack"):
            return self.environment(name, end, depth, script)
        if name == "end":
            self.raw_group(end)
            return None
        if name in ("newline", "cr"):
            return _Piece("<br>", BREAK)
        return self.other_command(name, end, depth, script)

    def control_symbol(self, symbol: str) -> _Piece | None:
        if symbol == "\\":
            return _Piece("<br>", BREAK)
        if symbol in _SPACES:
            return _Piece(_SPACES[symbol], SPACE)
        if symbol in ("!", "/"):
            return None
        if symbol == "{":
            return _Piece("{", OPEN, char="{")
        if symbol == "}":
            return _Piece("}", CLOSE, char="}")
        if symbol in _LITERAL_ESCAPES:
            char = _LITERAL_ESCAPES[symbol]
            return _Piece(html.escape(char), char=char)
        if symbol.isspace():
            return _Piece(" ", SPACE)
        return _Piece(html.escape("\\" + symbol))

    def other_command(self, name: str, end: int, depth: int, script: bool) -> _Piece | None:
        if name == "not":
            negated = self.parse_arg(end, depth, script)
            known = {"=": "≠", "∈": "∉", "≡": "≢", "∼": "≁", "⊂": "⊄", "⊃": "⊅", "⊆": "⊈",
                     "⊇": "⊉", "<": "≮", ">": "≯", "≤": "≰", "≥": "≱", "∃": "∄", "∣": "∤"}
            if negated.char in known:
                return _Piece(known[negated.char], REL)
            return _Piece(negated.html + "\u0338", REL)
        if name in ("overset", "stackrel", "underset"):
            above = self.parse_arg(end, depth, True)
            base = self.parse_arg(end, depth, script)
            tag = "sub" if name == "underset" else "sup"
            return _Piece(f"{base.html}<{tag}>{above.html}</{tag}>",
                          REL if name == "stackrel" else ORD)
        if name in ("overbrace", "underbrace", "boxed", "fbox", "displaylines", "mathop",
                    "mathord", "mathbin", "mathrel"):
            inner = self.parse_arg(end, depth, script)
            kind = {"mathop": OP, "mathbin": BIN, "mathrel": REL}.get(name, ORD)
            return _Piece(inner.html, kind, compound=inner.compound)
        if name in ("textcolor", "colorbox"):
            self.raw_group(end)
            return self.parse_arg(end, depth, script)
        if name in ("xrightarrow", "xleftarrow"):
            below = self.optional_arg_end(end)
            if below != -1:
                self.pos = below + 1
            above = self.parse_arg(end, depth, True)
            arrow = "⟶" if name == "xrightarrow" else "⟵"
            return _Piece(f"{arrow}<sup>{above.html}</sup>" if above.html else arrow, REL)
        if name in ("bmod", "mod"):
            return _Piece("mod", BIN)
        if name == "pmod":
            modulus = self.parse_arg(end, depth, script)
            return _Piece(f"{_EM}(mod{_THIN}{modulus.html})")
        if name == "tag":
            return _Piece(f"{_EM}({html.escape(self.raw_group(end))})", SPACE)
        if name in ("hspace", "hspace*"):
            self.raw_group(end)
            return _Piece(" ", SPACE)
        # Unknown: show it as written, with its braces, so nothing silently disappears.
        shown = [html.escape("\\" + name)]
        while self.pos < end and self.tokens[self.pos] == "{":
            inner = self.parse_group(end, depth + 1, script)
            shown.append("{" + inner.html + "}")
        return _Piece("".join(shown), compound=len(shown) > 1)

    # -- constructs -----------------------------------------------------------------------------

    def fraction(self, end: int, depth: int, script: bool) -> _Piece:
        numerator = self.parse_arg(end, depth, script)
        denominator = self.parse_arg(end, depth, script)
        top = f"({numerator.html})" if numerator.compound else numerator.html
        bottom_needs = denominator.compound or (denominator.atoms > 1 and denominator.number)
        bottom = f"({denominator.html})" if bottom_needs else denominator.html
        return _Piece(f"{top}/{bottom}", compound=True)

    def root(self, end: int, depth: int, script: bool) -> _Piece:
        index_end = self.optional_arg_end(end)
        sign = "√"
        if index_end != -1:
            self.pos += 1
            index = _join(self.parse_list(index_end, depth + 1, True), True)
            self.pos = index_end + 1
            sign = {"2": "√", "3": "∛", "4": "∜"}.get(index.html, f"<sup>{index.html}</sup>√")
        radicand = self.parse_arg(end, depth, script)
        if radicand.atoms > 1 or radicand.compound:
            return _Piece(f"{sign}({radicand.html})")
        return _Piece(sign + radicand.html)

    def font_command(self, name: str, end: int, depth: int, script: bool) -> _Piece:
        operator = name == "operatorname"
        if operator and self.pos < end and self.tokens[self.pos] == "*":
            self.pos += 1  # \operatorname*{argmax}
        saved = self.font
        self.font = "rm" if operator else _FONT_COMMANDS[name]
        inner = self.parse_arg(end, depth, script)
        self.font = saved
        if operator:
            return _Piece(inner.html, OP)
        return inner

    def accent(self, name: str, end: int, depth: int, script: bool) -> _Piece:
        inner = self.parse_arg(end, depth, script)
        if name in _ACCENTS and inner.char is not None and len(inner.char) == 1:
            mark = _ACCENTS[name][0]
            return _Piece(self.glyph(inner.char + mark, inner.italic), char=None)
        if name in _DECORATIONS:
            line = _DECORATIONS[name]
            return _Piece(f'<span style="text-decoration:{line}">{inner.html}</span>')
        return _Piece(f"{inner.html}<sup>{html.escape(_ACCENTS[name][1])}</sup>")

    def text_arg(self, end: int) -> str:
        """A text-mode argument (\\text{...}): spaces kept, no math inside."""
        self.skip_space(end)
        if self.pos >= end:
            return ""
        if self.tokens[self.pos] != "{":
            token = self.tokens[self.pos]
            self.pos += 1
            return html.escape(token)
        close = self.match[self.pos]
        stop = close if 0 <= close < end else end
        out: list[str] = []
        for token in self.tokens[self.pos + 1:stop]:
            if token in ("{", "}", "$"):
                continue
            if token.isspace():
                out.append(" ")
            elif token == "~":
                out.append("\u00a0")
            elif len(token) == 2 and token[0] == "\\" and not token[1].isalpha():
                symbol = token[1]
                out.append(" " if symbol.isspace() or symbol in _SPACES
                           else html.escape(_LITERAL_ESCAPES.get(symbol, symbol)))
            elif len(token) > 1 and token[0] == "\\":
                known = _SYMBOLS.get(token[1:])
                if known is not None:
                    out.append(html.escape(known[1]))
                elif token[1:] not in _TEXT_COMMANDS:  # nested \textbf: keep just its text
                    out.append(html.escape(token))
            else:
                out.append(html.escape(token))
        self.pos = min(stop + 1, end)
        return "".join(out)

    def environment(self, name: str, end: int, depth: int, script: bool) -> _Piece:
        """\\begin{matrix}...\\end{matrix} and friends (and \\substack) as lines of text."""
        if name == "substack":
            self.skip_space(end)
            if self.pos >= end or self.tokens[self.pos] != "{":
                return _Piece("")
            close = self.match[self.pos]
            stop = close if 0 <= close < end else end
            self.pos += 1
            rows = self.rows(stop, depth + 1, script)
            self.pos = min(stop + 1, end)
            stacked = [_EM.join(_join(cell, script).html for cell in row) for row in rows]
            return _Piece(f",{_THIN}".join(stacked), compound=True)
        kind = self.raw_group(end)
        if kind in _ENV_WITH_SPEC:
            placement = self.optional_arg_end(end)  # \begin{array}[t]{cc}
            if placement != -1:
                self.pos = placement + 1
            self.raw_group(end)
        rows = self.rows(end, depth + 1, script, until_end=True)
        if kind in _ALIGNED:
            # "a &= b & c &= d": the first & of each pair aligns, the second separates columns.
            # One list per row, so "a &= b" is spaced like "a = b".
            lines: list[str] = []
            for row in rows:
                pieces: list[_Piece] = []
                for i, cell in enumerate(row):
                    if i and i % 2 == 0:
                        pieces.append(_Piece(_EM, SPACE))
                    pieces.extend(cell)
                lines.append(_join(pieces, script).html)
            return _Piece("<br>".join(lines), compound=True)
        left, right = _MATRIX_DELIMITERS.get(kind, ("", ""))
        count = len(rows)
        lines = [
            html.escape(_tall(left, count, i))
            + _EM.join(_join(cell, script).html for cell in row)
            + html.escape(_tall(right, count, i))
            for i, row in enumerate(rows)
        ]
        return _Piece("<br>".join(lines), compound=True)

    def rows(self, end: int, depth: int, script: bool,
             until_end: bool = False) -> list[list[list[_Piece]]]:
        """Cells separated by & and rows by \\\\, up to \\end (consumed) or `end`."""
        rows: list[list[list[_Piece]]] = [[]]
        if depth > _MAX_DEPTH:
            start = self.pos
            self.pos = end
            return [[[_Piece(html.escape("".join(self.tokens[start:end])))]]]
        while True:
            rows[-1].append(self.parse_list(end, depth, script, in_env=True))
            if self.pos >= end:
                break
            token = self.tokens[self.pos]
            self.pos += 1
            if token == "&":
                continue
            if token in ("\\\\", "\\cr"):
                rows.append([])
                continue
            self.raw_group(end)  # \end{name}
            if until_end:
                break
        if len(rows) > 1 and rows[-1] == [[]]:
            rows.pop()  # a trailing \\ before \end
        return rows

